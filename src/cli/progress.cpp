// Progress lines on stderr: see progress.hpp. Only timing and counts: nothing here decides a result.
#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include "cli/commands.hpp"

namespace certbound::cli {

void ProgressOptions::add_to(CLI::App& sub) {
  sub.add_flag("--quiet", quiet, "no progress lines on stderr");
  sub.add_option("--progress-seconds", seconds,
                 "when stderr is not a terminal, at most one progress line per this many seconds")
      ->capture_default_str();
}

void ProgressOptions::validate() const {
  if (!(seconds >= 0 && seconds <= 86400)) throw BadInput("--progress-seconds must be in [0, 86400]");
}

Progress::Progress(const ProgressOptions& options, std::string unit, long long total)
    : enabled_(!options.quiet),
      terminal_(::isatty(2) != 0),
      every_(terminal_ ? 0.1 : options.seconds),
      unit_(std::move(unit)),
      total_(total),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() {
  if (enabled_ && terminal_ && printed_) {
    std::fprintf(stderr, "\r%120s\r", "");
    std::fflush(stderr);
  }
}

std::string Progress::line(long long done, long long total, const std::string& unit, double seconds,
                           const std::string& detail) {
  char buf[256];
  std::string out = std::to_string(done);
  if (total > 0) out += "/" + std::to_string(total);
  out += " " + unit;
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  std::snprintf(buf, sizeof buf, ", %.3g/s, %.0f s", rate, seconds);
  out += buf;
  if (total > 0 && done > 0 && done < total && rate > 0) {
    std::snprintf(buf, sizeof buf, ", about %.0f s left", static_cast<double>(total - done) / rate);
    out += buf;
  }
  if (!detail.empty()) out += "; " + detail;
  return out;
}

void Progress::update(long long done, const std::string& detail) {
  if (!enabled_) return;
  const std::lock_guard<std::mutex> lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (std::chrono::duration<double>(now - last_).count() < every_) return;
  last_ = now;
  printed_ = true;
  const std::string text = line(done, total_, unit_, std::chrono::duration<double>(now - start_).count(), detail);
  if (terminal_) std::fprintf(stderr, "\r%-118.118s", text.c_str());
  else std::fprintf(stderr, "%s\n", text.c_str());
  std::fflush(stderr);
}

}  // namespace certbound::cli
