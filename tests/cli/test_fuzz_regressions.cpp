// Replays the fuzz seed corpus and every input that once broke a parser (tests/fuzz/regressions)
// through the fuzz targets' entry points, in the ordinary build: a fixed parser stays fixed even
// where nobody runs the fuzzers. See tests/fuzz/fuzz_entry.hpp for what counts as a failure.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_entry.hpp"

namespace {

namespace fs = std::filesystem;

std::string read_bytes(const fs::path& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream b;
  b << f.rdbuf();
  return b.str();
}

/// The first bytes in hex, to reproduce a failure from the log alone.
std::string hex_prefix(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < 64; ++i) {
    out += digits[static_cast<unsigned char>(bytes[i]) >> 4];
    out += digits[static_cast<unsigned char>(bytes[i]) & 15];
  }
  return out + (bytes.size() > 64 ? "..." : "");
}

std::vector<fs::path> inputs_of(const std::string& target, const char* kind) {
  std::vector<fs::path> files;
  const fs::path dir = fs::path(CERTBOUND_SOURCE_DIR) / "tests" / "fuzz" / kind / target;
  if (fs::is_directory(dir))
    for (const auto& e : fs::directory_iterator(dir))
      if (e.is_regular_file()) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

void replay(const std::string& target) {
  const auto entry = certbound::fuzz::entries().at(target);
  const auto corpus = inputs_of(target, "corpus");
  CHECK_MESSAGE(!corpus.empty(), "no seed corpus for " << target);
  for (const char* kind : {"corpus", "regressions"})
    for (const auto& path : inputs_of(target, kind)) {
      const std::string bytes = read_bytes(path);
      INFO(path.string() << " (" << bytes.size() << " bytes: " << hex_prefix(bytes) << ")");
      CHECK_NOTHROW(entry(bytes));
    }
}

}  // namespace

TEST_CASE("fuzz corpus and regressions: CSV") { replay("csv"); }
TEST_CASE("fuzz corpus and regressions: .npy") { replay("npy"); }
TEST_CASE("fuzz corpus and regressions: .npz") { replay("npz"); }
TEST_CASE("fuzz corpus and regressions: exact decimals") { replay("decimal"); }
TEST_CASE("fuzz corpus and regressions: counterexample JSON") { replay("counterexample"); }
TEST_CASE("fuzz corpus and regressions: certificate") { replay("certificate"); }
TEST_CASE("fuzz corpus and regressions: checkpoint") { replay("checkpoint"); }
TEST_CASE("fuzz corpus and regressions: command line") { replay("cli"); }
