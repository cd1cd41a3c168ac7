// Markdown and JSON for all-n proofs (report/derivation_report.hpp).
#include "certbound/report/derivation_report.hpp"

#include <set>

#include "certbound/report/step_report.hpp"

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

/// The kernel's report ends with the comparison E_k ≤ RHS (it stops at a failing step before it).
bool last_comparison_reached(const kernel::KernelReport& rep) {
  return rep.proved || rep.failure.rfind("the last comparison", 0) == 0;
}

const WitnessSlack* witness_of(const std::vector<std::optional<WitnessSlack>>& witnesses, size_t k) {
  return k < witnesses.size() && witnesses[k] ? &*witnesses[k] : nullptr;
}

/// The slack column's cell: log10(Eⱼ₊₁/Eⱼ) as a certified enclosure rounded outward to 3
/// significant digits, or nullopt with the reason in *why.
std::optional<std::string> log10_slack_text(const StepSides& s, std::string* why) {
  const auto r = s.finite_slack(why);
  if (!r) return std::nullopt;
  const Enclosure l = Enclosure::of(*r).log10();
  if (l.has_nan()) {
    *why = "log10 of Eⱼ₊₁/Eⱼ = " + interval_text(*r, 4) + " has no certified enclosure";
    return std::nullopt;
  }
  return l.str(3);
}

std::string settings_text(const CheckOptions& o) {
  const Settings& s = o.settings;
  return "n = " + std::to_string(s.n) + ", d = " + std::to_string(s.d) + ", R = " + s.R + ", η = " + s.eta +
         (s.beta.empty() ? std::string(", β = e^{−R²}") : ", β = " + s.beta) +
         (s.scale == "1" ? std::string() : ", scale " + s.scale) + ", seed " + std::to_string(o.seed) +
         (o.families ? ": the families, " : ": no families, ") + std::to_string(o.samples) + " random cases and a search of " + std::to_string(o.search) +
         " evaluations";
}

std::string witness_markdown(const WitnessSlack& w) {
  std::string md = "Slack at the witness: a check at " + settings_text(w.options) + "; ";
  if (!w.witness) return md + "no witness: " + w.note + ".\n\n";
  md += "its best certified witness is the case of family `" + w.witness->family + "`";
  if (w.ratio) md += " with LHS/(C·F) ∈ " + w.ratio->str(6);
  md += ". The last column is log10 of the slack Eⱼ₊₁/Eⱼ there, a certified enclosure rounded outward to 3 "
        "significant digits: it contains 0 at an identity and at a step that is tight at the witness; a step far "
        "above 0 is where the chain loses. – marks a step without a certified value (the footnote says why).";
  return md + "\n\n";
}

/// Markdown footnotes of one document: "[^sN]" references, their texts written after each table.
struct Footnotes {
  int next = 1;
  std::vector<std::pair<std::string, std::string>> pending;  ///< label → text, for the current table
  std::string add(const std::string& text) {
    for (const auto& [label, t] : pending)
      if (t == text) return "[^" + label + "]";
    const std::string label = "s" + std::to_string(next++);
    pending.push_back({label, text});
    return "[^" + label + "]";
  }
  std::string flush() {
    std::string md;
    for (const auto& [label, text] : pending) md += "[^" + label + "]: " + text + "\n";
    pending.clear();
    return md.empty() ? md : "\n" + md;
  }
};

json witness_json(const WitnessSlack& w) {
  const Settings& s = w.options.settings;
  json j = {{"settings",
             {{"n", s.n}, {"d", s.d}, {"R", s.R}, {"eta", s.eta}, {"beta", s.beta.empty() ? "e^{-R^2}" : s.beta},
              {"scale", s.scale}}},
            {"seed", w.options.seed},
            {"samples", w.options.samples},
            {"search", w.options.search},
            {"note", w.note}};
  if (w.witness) j["family"] = w.witness->family;
  if (w.ratio) j["ratio"] = {w.ratio->decimal(17).first, w.ratio->decimal(17).second};
  json steps = json::array();
  for (size_t k = 0; k + 1 < w.chain.terms.size(); ++k) {
    json x = {{"step", k + 1}, {"justification", w.chain.justification[k]}, {"identity", static_cast<bool>(w.chain.identity[k])}};
    std::string why = w.note;
    if (k < w.sides.size()) {
      const StepSides& st = w.sides[k];
      x["from"] = {st.from.lower(), st.from.upper()};
      x["to"] = {st.to.lower(), st.to.upper()};
      if (const auto r = st.finite_slack(&why)) {
        const auto l = Enclosure::of(*r).log10().decimal(6);
        x["slack"] = {r->lower(), r->upper()};
        x["log10_slack"] = {l.first, l.second};
      }
    }
    if (!x.contains("slack")) {
      x["slack"] = nullptr;
      x["note"] = why;
    }
    steps.push_back(std::move(x));
  }
  j["steps"] = steps;
  return j;
}

}  // namespace

std::string derivations_markdown(const std::vector<AllNResult>& results,
                                 const std::vector<std::optional<WitnessSlack>>& witnesses) {
  Footnotes notes;
  std::string md = "# Proofs for every n and d\n\n"
                   "Each chain starts at the statement's left side; every step changes one sub-term and is checked by "
                   "the derivation kernel; the last row compares the chain's end with the right side. Notation: "
                   "J(p) = diag(p) − ppᵀ, φ₁(t) = (eᵗ − 1)/t, vᵢ a generic entry of v and maxᵢ the maximum over i.\n";
  for (size_t i = 0; i < results.size(); ++i) {
    const AllNResult& r = results[i];
    const auto& rep = r.report;
    const WitnessSlack* w = witness_of(witnesses, i);
    md += "\n## " + r.id + ": " + to_string(r.status) + "\n\n";
    md += "Statement: " + cell(rep.statement) + (r.scale == "1" ? "" : " (right side scaled by " + r.scale + ")") + "\n\n";
    md += "Scope: " + rep.scope + "\n\n";
    if (!rep.failure.empty()) md += "Undetermined: " + cell(rep.failure) + "\n\n";
    if (w) md += witness_markdown(*w);
    md += w ? "| step | term | justification | sub-terms | log10 slack at the witness |\n|---|---|---|---|---|\n"
            : "| step | term | justification | sub-terms |\n|---|---|---|---|\n";
    for (size_t k = 0; k < rep.steps.size(); ++k) {
      const auto& s = rep.steps[k];
      const bool end = k + 1 == rep.steps.size() && last_comparison_reached(rep);
      md += "| " + (end ? std::string("end") : std::to_string(k + 1)) + " | " + cell(s.to) + " | " +
            cell(s.justification) + (s.ok ? "" : " (fails: " + cell(s.detail) + ")") + " | " + cell(s.changed) + " |";
      if (w) {
        const std::string step = end ? "the last comparison" : "step " + std::to_string(k + 1);
        std::string why = w->note;
        std::optional<std::string> text;
        if (k < w->sides.size()) text = log10_slack_text(w->sides[k], &why);
        else if (why.empty()) why = "the chain at the witness has no such step";
        md += " " + (text ? *text : "–" + notes.add(r.id + ", " + (w->sides.empty() ? std::string("every step") : step) +
                                                  ": " + cell(why) + ".")) + " |";
      }
      md += "\n";
    }
    md += notes.flush();
    if (!rep.lemmas.empty()) {
      md += "\nScalar lemmas:\n\n";
      std::set<std::string> listed;  // a lemma proved twice (two cited proofs use it) is listed once
      for (const auto& l : rep.lemmas)
        if (listed.insert(l.name + "\n" + l.statement).second)
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

json derivations_json(const std::vector<AllNResult>& results, const json& provenance,
                      const std::vector<std::optional<WitnessSlack>>& witnesses) {
  json out = json::array();
  for (size_t i = 0; i < results.size(); ++i) {
    const AllNResult& r = results[i];
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
    if (const WitnessSlack* w = witness_of(witnesses, i)) out.back()["slack_at_witness"] = witness_json(*w);
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
