#include "cli/options.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "certbound/engine/interrupt.hpp"

#include "cli/commands.hpp"

namespace certbound::cli {

std::vector<std::string>& command_line() {
  static std::vector<std::string> args;
  return args;
}

nlohmann::json read_json_file(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw BadInput("cannot read '" + path + "'");
  std::stringstream buf;
  buf << f.rdbuf();
  try {
    return nlohmann::json::parse(buf.str());
  } catch (const nlohmann::json::exception&) {
    throw BadInput("'" + path + "' is not valid JSON (truncated?)");
  }
}

void add_settings_options(CLI::App& app, Settings& s, bool with_scale) {
  app.add_option("--n", s.n, "number of tokens n (rows of A)")->capture_default_str();
  app.add_option("--d", s.d, "dimension d (columns of A)")->capture_default_str();
  app.add_option("--R", s.R, "radius R (exact decimal)")->capture_default_str();
  app.add_option("--eta", s.eta, "learning rate η of the gradient step (exact decimal)")->capture_default_str();
  if (with_scale) {
    app.add_option("--scale", s.scale, "multiply every constant by c (c < 1 tightens; lower bounds use C/c)")
        ->capture_default_str();
  }
  app.add_option("--beta", s.beta, "β: a number, or 'tight' for min α per case (default e^{-R^2})");
}

namespace {
Enclosure number(const std::string& name, const std::string& text) {
  try {
    return parse_enclosure(text);
  } catch (const ParseError&) {
    throw BadInput("--" + name + " '" + text + "' is not a number");
  }
}
}  // namespace

void validate_settings(const Settings& s) {
  constexpr int kMaxDimension = 1 << 16;  // a 65536×65536 interval matrix would not fit in memory
  if (s.n < 1) throw BadInput("--n must be at least 1 (got " + std::to_string(s.n) + ")");
  if (s.d < 1) throw BadInput("--d must be at least 1 (got " + std::to_string(s.d) + ")");
  if (s.n > kMaxDimension || s.d > kMaxDimension || static_cast<long long>(s.n) * s.d > (1LL << 24))
    throw BadInput("--n × --d too large (n·d must be at most 2^24)");
  if (!number("R", s.R).certainly_positive()) throw BadInput("--R must be positive (got " + s.R + ")");
  if (!number("eta", s.eta).certainly_positive()) throw BadInput("--eta must be positive (got " + s.eta + ")");
  if (!number("scale", s.scale).certainly_positive()) throw BadInput("--scale must be positive (got " + s.scale + ")");
  if (!s.beta.empty() && s.beta != "tight" && !number("beta", s.beta).certainly_positive())
    throw BadInput("--beta must be positive or 'tight' (got " + s.beta + ")");
  if (number("R", s.R).upper_double() > 1e6) throw BadInput("--R too large (at most 1e6)");
}

namespace {
std::string power_of_ten_text(long long v) {
  if (v < 100000) return std::to_string(v);
  const int e = static_cast<int>(std::lround(std::log10(static_cast<double>(v))));
  long long p = 1;
  for (int i = 0; i < e; ++i) p *= 10;
  return p == v ? "10^" + std::to_string(e) : std::to_string(v);
}
std::string bytes_text(double b) {
  char buf[32];
  if (b >= 1e12) std::snprintf(buf, sizeof buf, "%.3g TB", b / 1e12);
  else if (b >= 1e9) std::snprintf(buf, sizeof buf, "%.3g GB", b / 1e9);
  else std::snprintf(buf, sizeof buf, "%.3g MB", b / 1e6);
  return buf;
}
}  // namespace

void require_range(const std::string& name, long long value, long long lo, long long hi) {
  if (value < lo || value > hi)
    throw BadInput("--" + name + " must be between " + power_of_ten_text(lo) + " and " + power_of_ten_text(hi) + " (got " +
                   std::to_string(value) + ")");
}

void validate_precision(long long bits) { require_range("precision", bits, 53, 1025); }

void require_memory(double bytes, const std::string& what) {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  // Unknown physical memory: assume 8 GB rather than refuse nothing.
  const double physical = pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 8e9;
  if (bytes > physical / 2)
    throw BadInput(what + " would need about " + bytes_text(bytes) + " of memory (this machine has " + bytes_text(physical) +
                   "); lower them");
}

int interrupted_exit_code() { return 128 + interrupt_signal(); }

std::vector<const Obligation*> resolve_obligations(const std::vector<std::string>& ids) {
  if (ids.empty() || (ids.size() == 1 && ids[0] == "all")) return all_obligations();
  std::vector<const Obligation*> out;
  for (const auto& id : ids) {
    const Obligation* o = find_obligation(id);
    if (!o) throw BadInput("unknown obligation '" + id + "' (see 'certbound list')");
    out.push_back(o);
  }
  return out;
}

}  // namespace certbound::cli
