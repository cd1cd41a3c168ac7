// Per-thread reuse of GMP/MPFR memory blocks: see include/certbound/arith/mp_memory.hpp.
#include "certbound/arith/mp_memory.hpp"

#include <gmp.h>
#include <mpfr.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#if defined(__SANITIZE_ADDRESS__)
#define CERTBOUND_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CERTBOUND_ASAN 1
#endif
#endif

namespace certbound::mp_memory {

void use_widest_exponent_range() {
  mpfr_set_emax(mpfr_get_emax_max());
  mpfr_set_emin(mpfr_get_emin_min());
}
namespace {

constexpr std::size_t kGranule = 8;  // block sizes kept: multiples of 8 bytes, 8 … kMaxCachedSize
constexpr std::size_t kSizes = kMaxCachedSize / kGranule + 1;

struct FreeBlock {
  FreeBlock* next;
};

/// Trivially destructible, so it stays usable while the thread's other objects are destroyed.
struct ThreadLists {
  FreeBlock* head[kSizes];
  std::size_t count[kSizes];
  bool ended;  // set when the thread's lists were emptied at its exit: malloc/free from then on
};
thread_local ThreadLists lists{};

void drain(ThreadLists& l) {
  for (std::size_t k = 0; k < kSizes; ++k) {
    while (FreeBlock* b = l.head[k]) {
      l.head[k] = b->next;
      std::free(b);
    }
    l.count[k] = 0;
  }
}

/// Empties this thread's lists when the thread ends (constructed on first use in each thread).
struct ListsAtExit {
  ~ListsAtExit() {
    drain(lists);
    lists.ended = true;
  }
};
thread_local ListsAtExit at_exit;

std::atomic<bool> active{false};

bool cacheable(std::size_t n) { return n >= kGranule && n <= kMaxCachedSize && n % kGranule == 0; }

[[noreturn]] void out_of_memory(std::size_t n) {
  // GMP's own functions abort too: its callers cannot handle a failed allocation.
  std::fprintf(stderr, "certbound: error: out of memory allocating %zu bytes\n", n);
  std::abort();
}

// Unused under AddressSanitizer, where install() keeps GMP's own functions.
[[maybe_unused]] void* allocate(std::size_t n) {
  if (cacheable(n) && !lists.ended) {
    const std::size_t k = n / kGranule;
    if (FreeBlock* b = lists.head[k]) {
      lists.head[k] = b->next;
      --lists.count[k];
      return b;
    }
  }
  void* p = std::malloc(std::max<std::size_t>(n, 1));
  if (p == nullptr) out_of_memory(n);
  return p;
}

[[maybe_unused]] void release(void* p, std::size_t n) {
  if (cacheable(n) && !lists.ended) {
    (void)&at_exit;  // registers the exit hook of this thread
    const std::size_t k = n / kGranule;
    if (lists.count[k] < kMaxBlocksPerSize) {
      auto* b = static_cast<FreeBlock*>(p);
      b->next = lists.head[k];
      lists.head[k] = b;
      ++lists.count[k];
      return;
    }
  }
  std::free(p);
}

[[maybe_unused]] void* reallocate(void* p, std::size_t old_size, std::size_t new_size) {
  if (old_size == new_size) return p;
  if (!cacheable(old_size) && !cacheable(new_size)) {
    void* q = std::realloc(p, std::max<std::size_t>(new_size, 1));
    if (q == nullptr) out_of_memory(new_size);
    return q;
  }
  void* q = allocate(new_size);
  std::memcpy(q, p, std::min(old_size, new_size));
  release(p, old_size);
  return q;
}

}  // namespace

void install() {
#ifndef CERTBOUND_ASAN
  if (active.exchange(true)) return;
  mp_set_memory_functions(allocate, reallocate, release);
#endif
}

bool installed() { return active.load(); }

CacheStats this_thread_cache() {
  CacheStats s;
  for (std::size_t k = 0; k < kSizes; ++k) {
    s.blocks += lists.count[k];
    s.bytes += lists.count[k] * k * kGranule;
  }
  return s;
}

}  // namespace certbound::mp_memory
