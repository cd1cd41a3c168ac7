// Run parameters: their validation and their JSON form.
#include <string>

#include "certbound/arith/input_error.hpp"
#include "certbound/arith/decimal.hpp"
#include "certbound/obligation/obligation.hpp"
#include "certbound/obligation/settings_json.hpp"

namespace certbound {

namespace {
/// Whether `text` is a number that is certainly positive; `problem` receives why not.
bool positive_number(const std::string& name, const std::string& text, std::string& problem) {
  try {
    if (parse_enclosure(text).certainly_positive()) return true;
    problem = "--" + name + " must be positive (got " + text + ")";
  } catch (const ParseError&) {
    problem = "--" + name + " '" + text + "' is not a number";
  }
  return false;
}
}  // namespace

std::string settings_problem(const Settings& s) {
  constexpr int kMaxDimension = 1 << 16;  // a 65536×65536 interval matrix would not fit in memory
  if (s.n < 1) return "--n must be at least 1 (got " + std::to_string(s.n) + ")";
  if (s.d < 1) return "--d must be at least 1 (got " + std::to_string(s.d) + ")";
  if (s.n > kMaxDimension || s.d > kMaxDimension || static_cast<long long>(s.n) * s.d > (1LL << 24))
    return "--n × --d too large (n·d must be at most 2^24)";
  std::string problem;
  if (!positive_number("R", s.R, problem) || !positive_number("eta", s.eta, problem) ||
      !positive_number("scale", s.scale, problem))
    return problem;
  if (!s.beta.empty() && s.beta != "tight" && !positive_number("beta", s.beta, problem))
    return problem + " (or 'tight')";
  if (parse_enclosure(s.R).upper_double() > 1e6) return "--R too large (at most 1e6)";
  return "";
}


nlohmann::json settings_json(const Settings& s) {
  return {{"n", s.n}, {"d", s.d}, {"R", s.R}, {"eta", s.eta}, {"scale", s.scale},
          {"beta", s.beta.empty() ? "e^{-R^2}" : s.beta}};
}

namespace {
[[noreturn]] void bad(const std::string& why) { throw InputError("parameters: " + why); }

const nlohmann::json& field(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) bad(std::string("missing field '") + key + "'");
  return j.at(key);
}
std::string decimal_field(const nlohmann::json& j, const char* key) {
  const nlohmann::json& v = field(j, key);
  if (!v.is_string()) bad(std::string("field '") + key + "' is not a string");
  const std::string text = v.get<std::string>();
  if (!is_decimal_literal(text)) bad(std::string("field '") + key + "' ('" + text.substr(0, 30) + "') is not a number");
  return text;
}
int dimension_field(const nlohmann::json& j, const char* key) {
  const nlohmann::json& v = field(j, key);
  if (!v.is_number_integer()) bad(std::string("field '") + key + "' is not an integer");
  const auto x = v.get<long long>();
  if (x < 1 || x > 1000000) bad(std::string("field '") + key + "' out of range");
  return static_cast<int>(x);
}
}  // namespace

Settings settings_from_json(const nlohmann::json& p) {
  if (!p.is_object()) bad("not an object");
  for (const auto& [key, value] : p.items())
    if (key != "n" && key != "d" && key != "R" && key != "eta" && key != "scale" && key != "beta")
      bad("unknown parameter '" + key + "'");
  Settings s;
  s.n = dimension_field(p, "n");
  s.d = dimension_field(p, "d");
  s.R = decimal_field(p, "R");
  s.eta = decimal_field(p, "eta");
  s.scale = decimal_field(p, "scale");
  const nlohmann::json& beta = field(p, "beta");
  if (!beta.is_string()) bad("field 'beta' is not a string");
  s.beta = beta.get<std::string>() == "e^{-R^2}" ? "" : beta.get<std::string>();
  if (!s.beta.empty() && s.beta != "tight" && !is_decimal_literal(s.beta)) bad("field 'beta' is not a number");
  return s;
}

}  // namespace certbound
