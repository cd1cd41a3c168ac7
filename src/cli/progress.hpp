// Progress on stderr for the long commands (check, sweep, stress; prove has its own line, riding on
// its checkpoint hook, with the same options). On a terminal: one line rewritten in place, at most
// ten times a second. Elsewhere (a file, a pipe, CI logs): a full line at most every
// --progress-seconds (default 10). --quiet: nothing. stdout, the report, is never touched.
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

namespace certbound::cli {

/// The options every long command shares: --quiet and --progress-seconds.
struct ProgressOptions {
  bool quiet = false;
  double seconds = 10;  ///< off a terminal: at most one line per this many seconds
  void add_to(CLI::App& sub);
  /// Throws BadInput when --progress-seconds is outside [0, 86400].
  void validate() const;
};

class Progress {
 public:
  /// `total` units (e.g. "obligations", "cases") to do; 0 when unknown.
  Progress(const ProgressOptions& options, std::string unit, long long total);
  ~Progress();  ///< clears the terminal line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// `done` units finished; `detail` says what finished last. Safe from several threads.
  void update(long long done, const std::string& detail = "");

  /// The line for `done` units after `seconds`: "12/31 obligations, 0.8/s, 15 s, about 23 s left".
  static std::string line(long long done, long long total, const std::string& unit, double seconds,
                          const std::string& detail);

 private:
  bool enabled_, terminal_;
  double every_;
  std::string unit_;
  long long total_;
  std::chrono::steady_clock::time_point start_, last_;
  bool printed_ = false;
  std::mutex mutex_;
};

}  // namespace certbound::cli
