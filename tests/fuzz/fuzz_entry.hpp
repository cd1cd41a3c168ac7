// One entry point per parser of certbound, shared by the libFuzzer targets (fuzz_<target>.cpp) and
// by the plain test suite, which replays the seed corpus and every regression input through the
// same functions (tests/test_fuzz_regressions.cpp).
//
// An entry feeds the bytes to the parser exactly as the command line does. It returns normally
// when the input is parsed, or rejected with the error the parser documents (the command line turns
// that into a one-line message and exit 2). It throws InvariantBroken when an accepted result is
// wrong (a matrix of another shape than declared, a round trip that changes a value, a certificate
// accepted after an edit). Any other exception escaping an entry is a bug as well: the command line
// would report it as an internal error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "certbound/engine/proof_checker.hpp"

namespace certbound::fuzz {

struct InvariantBroken : std::logic_error {
  using std::logic_error::logic_error;
};

using Entry = void (*)(std::string_view bytes);

void csv(std::string_view bytes);             ///< io::parse_matrix on CSV text
void npy(std::string_view bytes);             ///< io::parse_matrix on a .npy file
void npz(std::string_view bytes);             ///< io::parse_npz on a .npz archive (each member a .npy)
void decimal(std::string_view bytes);         ///< parse_enclosure; the first byte picks the precision
void counterexample(std::string_view bytes);  ///< JSON → report::parse_counterexample (as `replay` reads it)
void certificate(std::string_view bytes);     ///< JSON → verify_certificate and merge_certificates
void checkpoint(std::string_view bytes);      ///< checkpoint file → restore_checkpoint for the run of the seed checkpoints
void cli(std::string_view bytes);             ///< argv split on NUL / newline → the CLI parser, nothing run

/// Every entry by target name (the directory names under tests/fuzz/corpus and regressions).
const std::map<std::string, Entry>& entries();

/// For LLVMFuzzerTestOneInput: run `entry`, and abort with the reason on anything but a normal return.
int run_or_abort(Entry entry, const std::uint8_t* data, std::size_t size);

}  // namespace certbound::fuzz

/// libFuzzer's entry point, defined by each fuzz_<target>.cpp (declared here so that its
/// definition has a prior declaration, as every external function of certbound does).
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
