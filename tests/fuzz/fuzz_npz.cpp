// libFuzzer target: see fuzz_entry.hpp for what is fed to which parser and what counts as a bug.
#include "fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return certbound::fuzz::run_or_abort(certbound::fuzz::npz, data, size);
}
