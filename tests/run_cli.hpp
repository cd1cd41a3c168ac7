// Test helper: run the certbound binary and capture exit code, stdout and stderr.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace certbound::test {

struct CliResult {
  int code = -1;
  std::string out, err;
};

inline std::string slurp(const std::string& path) {
  std::ifstream f(path);
  std::stringstream b;
  b << f.rdbuf();
  return b.str();
}

/// A fresh scratch directory under the build tree for one test.
inline std::string scratch_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("certbound-test-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

/// Run `certbound <args>` (args are passed to the shell as written: quote where needed).
inline CliResult run_cli(const std::string& args, const std::string& dir = "") {
  // Without a scratch directory, name the capture files by process: ctest runs tests in parallel.
  const std::string base = dir.empty() ? std::filesystem::temp_directory_path().string() + "/certbound-cli-" +
                                             std::to_string(::getpid())
                                       : dir + "/cli";
  const std::string cmd = std::string(CERTBOUND_BINARY) + " " + args + " >" + base + ".out 2>" + base + ".err";
  const int status = std::system(cmd.c_str());
  CliResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(base + ".out");
  r.err = slurp(base + ".err");
  return r;
}

/// Number of lines in a string (a trailing newline does not start a new line).
inline int line_count(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  if (!s.empty() && s.back() != '\n') ++n;
  return n;
}

}  // namespace certbound::test
