#include "cli/options.hpp"

#include <fstream>
#include <sstream>

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
