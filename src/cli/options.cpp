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

std::string parameters_text(const Settings& s) {
  return "n = " + std::to_string(s.n) + ", d = " + std::to_string(s.d) + ", R = " + s.R + ", η = " + s.eta +
         ", scale = " + s.scale + ", β = " + (s.beta.empty() ? "e^{−R²}" : s.beta);
}

void validate_settings(const Settings& s) {
  if (const std::string why = settings_problem(s); !why.empty()) throw BadInput(why);
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
    if (!o) throw BadInput(unknown_obligation_message(id));
    out.push_back(o);
  }
  return out;
}

}  // namespace certbound::cli
