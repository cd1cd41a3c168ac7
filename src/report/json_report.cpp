// The JSON report of a check (schema_version 1, with the run's provenance).
#include "certbound/report/report.hpp"

#include <cmath>
#include <cstdio>

#include "certbound/arith/escalate.hpp"
#include "certbound/build_info.hpp"
#include "certbound/obligation/settings_json.hpp"

namespace certbound::report {

using nlohmann::json;

json enclosure_json(const Enclosure& e, int digits) {
  if (e.has_nan()) return json::array({nullptr, nullptr});
  auto [lo, hi] = e.decimal(digits);
  return json::array({lo, hi});
}

json provenance(const std::vector<std::string>& arguments, std::uint64_t seed, unsigned max_bits) {
  json ladder = json::array();
  for (unsigned b : kLadderBits)
    if (b <= max_bits) ladder.push_back(b);
  return {{"tool", "certbound"},       {"version", build_info::version}, {"git_commit", build_info::git_commit},
          {"compiler", build_info::compiler}, {"build_type", build_info::build_type}, {"flags", build_info::flags},
          {"arguments", arguments},    {"seed", seed},                   {"precision_ladder_bits", ladder}};
}

json inputs_json(const Case& c) {
  json out = json::object();
  for (const auto& [name, m] : c.inputs) {
    json data = json::array();
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      for (Eigen::Index j = 0; j < m.cols(); ++j) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%a", m(i, j));
        data.push_back(buf);
      }
    out[name] = {{"rows", m.rows()}, {"cols", m.cols()}, {"data_hex_row_major", data}};
  }
  return out;
}

namespace {

json counts_json(const CaseCounts& n) {
  return {{"total", n.total},         {"holds", n.holds},       {"violated", n.violated},
          {"tight", n.tight},         {"degenerate", n.degenerate}, {"undecided", n.undecided},
          {"out_of_domain", n.out_of_domain},
          {"consistent", n.consistent}, {"refuted", n.refuted}};
}

/// The witness ratio's certified lower end: a number where a normal double holds it (or 0), else
/// its decimal string rounded down ("4.6e-4357" at R = 50, which a double would flush to 0).
json witness_ratio_json(const ObligationReport& r) {
  const BigFloat& w = r.witness_ratio_lower_exact;
  if (w.is_nan() || w.sign() <= 0) return r.witness_ratio_lower;
  const double d = w.to_double(MPFR_RNDD);
  if (std::isnormal(d) && std::isfinite(w.to_double(MPFR_RNDU))) return d;
  return to_decimal(w, MPFR_RNDD, 17);
}

}  // namespace

json check_json(const std::vector<ObligationReport>& reports, const CheckOptions& options,
                const std::vector<std::string>& arguments, const std::vector<std::string>& counterexample_paths) {
  json results = json::array();
  for (size_t i = 0; i < reports.size(); ++i) {
    const ObligationReport& r = reports[i];
    const Meta& m = r.obligation->meta();
    json worst = nullptr;
    if (r.worst) {
      worst = {{"ratio", enclosure_json(r.worst->result.ratio)},
               {"margin", enclosure_json(r.worst->result.margin)},
               {"status", to_string(r.worst->result.status)},
               {"family", r.worst->input.family},
               {"precision_bits", r.worst->result.bits},
               {"inputs", inputs_json(r.worst->input)}};
    }
    results.push_back({{"id", m.id},
                       {"kind", to_string(m.kind)},
                       {"provenance", m.provenance},
                       {"citation", m.citation},
                       {"statement", m.statement},
                       {"verdict", to_string(r.verdict)},
                       {"cases", counts_json(r.counts)},
                       {"worst", worst},
                       {"witness_ratio_lower", witness_ratio_json(r)},
                       {"witness_constant", r.witness_constant ? enclosure_json(*r.witness_constant) : json(nullptr)},
                       {"paper_constant", r.paper_constant ? enclosure_json(*r.paper_constant) : json(nullptr)},
                       {"constant_expression", m.constant_expression},
                       {"chain_constant", r.chain_constant ? json{{"expression", r.chain_constant->expression},
                                                                  {"value", enclosure_json(r.chain_constant->value)}}
                                                            : json(nullptr)},
                       {"scale_applies", m.kind != Kind::identity},
                       {"undecided_reasons", r.undecided_notes},
                       {"out_of_domain_reason", r.out_of_domain_note},
                       {"search_evaluations", r.search_evaluations},
                       {"seconds", r.seconds},
                       {"interrupted", r.interrupted},
                       {"counterexample", counterexample_paths.at(i).empty() ? json(nullptr) : json(counterexample_paths[i])}});
  }
  json params = settings_json(options.settings);
  params["samples"] = options.samples;
  params["search"] = options.search;
  params["families"] = options.families;
  params["max_precision_bits"] = options.max_bits;
  params["threads"] = options.threads;
  return {{"schema_version", 1},
          {"command", "check"},
          {"parameters", params},
          {"provenance", provenance(arguments, options.seed, options.max_bits)},
          {"results", results}};
}

}  // namespace certbound::report
