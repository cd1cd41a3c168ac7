// Per-thread reuse of GMP/MPFR memory blocks, and the per-thread MPFR exponent range.
//
// Every multiprecision temporary costs two heap blocks (an MPFI interval is two MPFR numbers), and a
// prover box at 128 bits makes a few hundred of them. glibc's malloc takes its lock-free fast path
// only while the process has never started a thread; with worker threads every malloc and free pays
// atomic operations, which kept the 2-thread prover below a 1.8x speed-up. install() gives GMP (and
// so MPFR and MPFI) allocation functions that keep freed small blocks in per-thread lists, one per
// exact size, and hand them out again; larger blocks, full lists and ended threads use malloc.
//
// A block is reused only for a request of exactly its size, and GMP passes every free and realloc
// the block's size (GMP manual, "Custom Allocation"), so blocks allocated before install() (plain
// malloc) are handled correctly too, by any thread. Under AddressSanitizer install() does nothing,
// so ASan keeps seeing every block.
#pragma once

#include <cstddef>

namespace certbound::mp_memory {

/// Installs the caching allocation functions for GMP, MPFR and MPFI (idempotent).
void install();

/// Widen this thread's MPFR exponent range to the largest MPFR supports (about 2^±4.6e18 instead
/// of the default 2^±1.07e9). Constants such as e^{10R²} at R = 10⁴ (2^{1.44e9}) would otherwise
/// overflow to +∞, and ratios such as 10^{-4.3e8} underflow to 0: still enclosures, but ones that
/// say nothing. Widening is safe for numbers that exist already; MPFR keeps the range per thread,
/// so every thread that computes calls it (main, the test main, the workers of check and prove).
void use_widest_exponent_range();

/// Whether install() took effect (false under AddressSanitizer, or before install()).
bool installed();

/// Blocks currently kept in this thread's lists, and their bytes (for tests and benchmarks).
struct CacheStats {
  std::size_t blocks = 0, bytes = 0;
};
CacheStats this_thread_cache();

/// The most blocks one list keeps; beyond, freed blocks go back to malloc.
inline constexpr std::size_t kMaxBlocksPerSize = 1024;
/// The largest block size kept (bytes); MPFR numbers up to ~4000 bits fit.
inline constexpr std::size_t kMaxCachedSize = 512;

}  // namespace certbound::mp_memory
