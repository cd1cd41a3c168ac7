// Markdown and JSON for all-n proofs (report/derivation_report.hpp).
#include "certbound/report/derivation_report.hpp"

namespace certbound::report {

using nlohmann::json;

namespace {

std::string cell(std::string s) {
  for (size_t i = 0; (i = s.find('|', i)) != std::string::npos; i += 2) s.replace(i, 1, "\\|");
  return s;
}

const char* lemma_status(kernel::LemmaOutcome::Status s) {
  return s == kernel::LemmaOutcome::proved ? "proved" : (s == kernel::LemmaOutcome::refuted ? "refuted" : "open");
}

}  // namespace

std::string derivations_markdown(const std::vector<AllNResult>& results) {
  std::string md = "# Proofs for every n and d\n\n"
                   "Each chain starts at the statement's left side; every step changes one sub-term and is checked by "
                   "the derivation kernel; the last row compares the chain's end with the right side. Notation: "
                   "J(p) = diag(p) − ppᵀ, φ₁(t) = (eᵗ − 1)/t, vᵢ a generic entry of v and maxᵢ the maximum over i.\n";
  for (const AllNResult& r : results) {
    const auto& rep = r.report;
    md += "\n## " + r.id + ": " + to_string(r.status) + "\n\n";
    md += "Statement: " + cell(rep.statement) + (r.scale == "1" ? "" : " (right side scaled by " + r.scale + ")") + "\n\n";
    md += "Scope: " + rep.scope + "\n\n";
    if (!rep.failure.empty()) md += "Undetermined: " + cell(rep.failure) + "\n\n";
    md += "| step | term | justification | sub-terms |\n|---|---|---|---|\n";
    for (size_t k = 0; k < rep.steps.size(); ++k) {
      const auto& s = rep.steps[k];
      md += "| " + (k + 1 == rep.steps.size() ? std::string("end") : std::to_string(k + 1)) + " | " + cell(s.to) + " | " +
            cell(s.justification) + (s.ok ? "" : " (fails: " + cell(s.detail) + ")") + " | " + cell(s.changed) + " |\n";
    }
    if (!rep.lemmas.empty()) {
      md += "\nScalar lemmas:\n\n";
      for (const auto& l : rep.lemmas)
        md += "- " + l.name + ": " + cell(l.statement) + ": " + lemma_status(l.outcome.status) + " (" + l.outcome.method +
              ", " + std::to_string(l.outcome.boxes) + " boxes)" + (l.outcome.detail.empty() ? "" : "; " + l.outcome.detail) + "\n";
    }
    std::string used;
    for (const auto& x : rep.rules) used += (used.empty() ? "" : ", ") + x;
    md += "\nRules: " + (used.empty() ? std::string("none") : used) + ". ";
    std::string cited;
    for (const auto& x : rep.obligations) cited += (cited.empty() ? "" : ", ") + x;
    md += "Obligations cited: " + (cited.empty() ? std::string("none") : cited) + ".\n";
  }
  if (!results.empty()) {
    md += "\n## Trusted, not checked by the kernel\n\n";
    for (const auto& t : results.front().report.trusted) md += "- " + t + "\n";
  }
  return md;
}

json derivations_json(const std::vector<AllNResult>& results, const json& provenance) {
  json out = json::array();
  for (const AllNResult& r : results) {
    const auto& rep = r.report;
    json steps = json::array();
    for (const auto& s : rep.steps)
      steps.push_back({{"from", s.from}, {"to", s.to}, {"justification", s.justification}, {"changed", s.changed},
                       {"ok", s.ok}, {"detail", s.detail}});
    json lemmas = json::array();
    for (const auto& l : rep.lemmas)
      lemmas.push_back({{"name", l.name}, {"statement", l.statement}, {"status", lemma_status(l.outcome.status)},
                        {"method", l.outcome.method}, {"boxes", l.outcome.boxes}, {"detail", l.outcome.detail}});
    out.push_back({{"id", r.id}, {"status", to_string(r.status)}, {"scale", r.scale}, {"scope", rep.scope},
                   {"statement", rep.statement}, {"failure", rep.failure}, {"steps", steps}, {"scalar_lemmas", lemmas},
                   {"rules", rep.rules}, {"obligations_cited", rep.obligations}, {"derivation_hash", rep.derivation_hash},
                   {"seconds", r.seconds}});
  }
  return {{"schema_version", 1}, {"command", "prove --all-n"}, {"provenance", provenance}, {"results", out},
          {"trusted", results.empty() ? json::array() : json(results.front().report.trusted)}};
}

std::string rule_table_markdown() {
  std::string md = "| rule | statement | kind | reference |\n|---|---|---|---|\n";
  for (const auto& r : kernel::rule_table())
    md += "| " + r.name + " | " + cell(r.statement) + " | " + (r.identity ? "identity" : "inequality") + " | " +
          cell(r.citation) + " |\n";
  const kernel::Rule& mv = kernel::mean_value_rule();
  md += "| " + mv.name + " | " + cell(mv.statement) + " | inequality (cites an all-n proof) | " + cell(mv.citation) + " |\n";
  for (const auto& [context, why] : kernel::monotone_contexts())
    md += "| context " + cell(context) + " | " + cell(why) + " | monotonicity | |\n";
  return md;
}

}  // namespace certbound::report
