// FNV-1a, the one non-cryptographic hash of certbound: checksums that detect accidental corruption
// of a file (never an edit: anyone can recompute them), hashes naming a definition, and seeds.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace certbound {

inline std::uint64_t fnv1a(std::string_view text, std::uint64_t seed = 0) {
  std::uint64_t h = 1469598103934665603ull ^ seed;
  for (unsigned char ch : text) h = (h ^ ch) * 1099511628211ull;
  return h;
}

/// The hash as 16 hexadecimal digits.
inline std::string fnv1a_hex(std::string_view text) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a(text)));
  return buf;
}

}  // namespace certbound
