// Counterexample files: written by check and prove, read by replay (no search).
#include "certbound/arith/input_error.hpp"
#include "certbound/report/report.hpp"

#include "certbound/arith/decimal.hpp"
#include "certbound/build_info.hpp"
#include "certbound/obligation/settings_json.hpp"

namespace certbound::report {

using nlohmann::json;

json counterexample_json(const Obligation& ob, const Settings& s, const CertifiedCase& c,
                         const std::vector<std::string>& arguments) {
  // An undecided case is saved the same way (to be looked at and replayed), under its own kind:
  // it is not a counterexample.
  const bool violation = c.result.status == CaseStatus::violated || c.result.status == CaseStatus::refuted;
  return {{"schema_version", 1},
          {"kind", violation ? "certbound.counterexample" : "certbound.case"},
          {"obligation", ob.meta().id},
          {"statement", ob.meta().statement},
          {"parameters", settings_json(s)},
          {"family", c.input.family},
          {"inputs", inputs_json(c.input)},
          {"status", to_string(c.result.status)},
          {"margin", enclosure_json(c.result.margin)},
          {"margin_hex", c.result.margin.has_nan() ? json(nullptr)
                                                   : json::array({to_hex(c.result.margin.lo), to_hex(c.result.margin.hi)})},
          {"precision_bits", c.result.bits},
          {"provenance", provenance(arguments, 0, c.result.bits)}};
}

namespace {
[[noreturn]] void bad(const std::string& why) { throw InputError("counterexample: " + why); }

const json& field(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) bad(std::string("missing field '") + key + "'");
  return j.at(key);
}
std::string string_field(const json& j, const char* key) {
  const json& v = field(j, key);
  if (!v.is_string()) bad(std::string("field '") + key + "' is not a string");
  return v.get<std::string>();
}
int int_field(const json& j, const char* key) {
  const json& v = field(j, key);
  if (!v.is_number_integer()) bad(std::string("field '") + key + "' is not an integer");
  const auto x = v.get<long long>();
  if (x < 1 || x > 1000000) bad(std::string("field '") + key + "' out of range");
  return static_cast<int>(x);
}
}  // namespace

Counterexample parse_counterexample(const json& j) {
  Counterexample cx;
  if (!j.is_object()) bad("not a JSON object");
  if (field(j, "schema_version") != 1) bad("unsupported schema_version");
  const std::string kind = string_field(j, "kind");
  if (kind != "certbound.counterexample" && kind != "certbound.case") bad("not a certbound counterexample or case");
  cx.saved_case = kind == "certbound.case";
  cx.id = string_field(j, "obligation");
  try {
    cx.settings = settings_from_json(field(j, "parameters"));
  } catch (const InputError& e) {
    bad(e.what());
  }
  cx.input.family = j.contains("family") && j["family"].is_string() ? j["family"].get<std::string>() : "replay";
  const json& inputs = field(j, "inputs");
  if (!inputs.is_object()) bad("'inputs' is not an object");
  for (const auto& [name, m] : inputs.items()) {
    const int rows = int_field(m, "rows"), cols = int_field(m, "cols");
    const json& data = field(m, "data_hex_row_major");
    if (!data.is_array() || data.size() != static_cast<size_t>(rows) * static_cast<size_t>(cols))
      bad("input '" + name + "' has " + std::to_string(data.is_array() ? data.size() : 0) + " entries, expected " +
          std::to_string(static_cast<long long>(rows) * cols));
    Eigen::MatrixXd mat(rows, cols);
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) {
        const json& v = data[static_cast<size_t>(r) * static_cast<size_t>(cols) + static_cast<size_t>(c)];
        if (!v.is_string()) bad("input '" + name + "' has a non-string entry");
        const std::string t = v.get<std::string>();
        if (!is_decimal_literal(t)) bad("input '" + name + "' entry '" + t.substr(0, 30) + "' is not a number");
        const Enclosure e = parse_enclosure(t);
        if (e.lower_double() != e.upper_double()) bad("input '" + name + "' entry '" + t.substr(0, 30) + "' is not an exact double");
        mat(r, c) = e.lower_double();
      }
    cx.input.inputs[name] = mat;
  }
  return cx;
}

}  // namespace certbound::report
