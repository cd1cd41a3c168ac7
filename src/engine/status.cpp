#include "certbound/engine/status.hpp"

#include <nlohmann/json.hpp>

namespace certbound {

namespace {
constexpr StatusDefinition kVocabulary[] = {
    {"holds", "case", "the certified margin RHS − LHS has lower end ≥ 0 (> 0 for a strict inequality) and every hypothesis certainly holds", -1},
    {"violated", "case", "the certified margin has upper end < 0 and every hypothesis certainly holds: a replayable counterexample", -1},
    {"tight", "case", "the margin still encloses 0 at 1025 bits with a width at the rounding level: the bound is attained there, up to rounding", -1},
    {"degenerate", "case", "the right-hand side's factor is exactly 0 (e.g. y = x) and the left-hand side is not certainly nonzero: no information, not a witness", -1},
    {"undecided", "case", "neither holds nor violated at the top precision; the reason is printed", -1},
    {"out-of-domain", "case", "some hypothesis certainly fails: the case says nothing about the statement", -1},
    {"consistent", "case", "identity: the two code paths' enclosures overlap (evidence, not a certificate)", -1},
    {"refuted", "case", "identity: the two code paths' enclosures are disjoint", -1},
    {"holds", "obligation", "no certified violation, and some case holds or is tight: evidence on the cases tried, not a proof (cases that stayed undecided are counted beside it; with --strict they give exit 3)", kOk},
    {"violated", "obligation", "at least one certified violation", kViolated},
    {"undecided", "obligation", "no violation and no case decided (exit 3 with --strict, else 0)", kUndecided},
    {"degenerate", "obligation", "every certified case was degenerate: nothing was learnt", kOk},
    {"consistent", "obligation", "identity: every decided case consistent", kOk},
    {"refuted", "obligation", "identity: some case refuted", kViolated},
    {"no-cases", "obligation", "no case inside the domain was certified (or the run was interrupted first)", kOk},
    {"not-applicable", "obligation", "on users' data: the statement is about inputs that were not given, or its input of the same name is something else (the reason is printed)", kOk},
    {"proved", "proof", "the obligation's whole statement, on its whole domain, at the run's parameters (n, d, R, η, scale, β)", kOk},
    {"proved-on-box", "proof", "the statement on the stated sub-domain only (e.g. z ∈ [−R², R²]ⁿ), at the run's parameters; says nothing outside it", kProvedOnBox},
    {"partial", "proof", "every leaf of one shard's parts is closed: a part of a proof; only a merged certificate covering every part can be proved", kPartial},
    {"refuted", "proof", "a leaf's point re-certifies as a violation of the statement at the run's parameters (with --scale c, of the scaled statement)", kViolated},
    {"undetermined", "proof", "some leaf is open: the box budget was spent or the run was interrupted (the report says which)", kUndecided},
    {"valid", "certificate", "every field re-derives and every closed or refuted leaf re-checks; the status printed beside it is what the leaves establish", -1},
    {"invalid", "certificate", "a leaf does not re-check, a field differs from what is re-derived, or the stored status is not the one the leaves establish", kInvalid},
};
}  // namespace

const char* to_string(CaseStatus s) {
  switch (s) {
    case CaseStatus::holds: return "holds";
    case CaseStatus::violated: return "violated";
    case CaseStatus::tight: return "tight";
    case CaseStatus::degenerate: return "degenerate";
    case CaseStatus::undecided: return "undecided";
    case CaseStatus::out_of_domain: return "out-of-domain";
    case CaseStatus::consistent: return "consistent";
    case CaseStatus::refuted: return "refuted";
  }
  return "?";
}

const char* to_string(ProofStatus s) {
  switch (s) {
    case ProofStatus::proved: return "proved";
    case ProofStatus::proved_on_box: return "proved-on-box";
    case ProofStatus::partial: return "partial";
    case ProofStatus::refuted: return "refuted";
    case ProofStatus::undetermined: return "undetermined";
  }
  return "?";
}

std::optional<ProofStatus> proof_status_from(std::string_view text) {
  for (ProofStatus s : {ProofStatus::proved, ProofStatus::proved_on_box, ProofStatus::partial, ProofStatus::refuted,
                        ProofStatus::undetermined})
    if (text == to_string(s)) return s;
  return std::nullopt;
}

int exit_code_of(ProofStatus s) {
  switch (s) {
    case ProofStatus::proved: return kOk;
    case ProofStatus::proved_on_box: return kProvedOnBox;
    case ProofStatus::partial: return kPartial;
    case ProofStatus::refuted: return kViolated;
    case ProofStatus::undetermined: return kUndecided;
  }
  return kUndecided;
}

std::span<const StatusDefinition> status_vocabulary() { return kVocabulary; }

std::string status_vocabulary_markdown() {
  std::string out = "| status | of a | meaning | exit code |\n|---|---|---|---|\n";
  for (const auto& d : kVocabulary) {
    out += "| `" + std::string(d.name) + "` | " + std::string(d.scope) + " | " + std::string(d.meaning) + " | " +
           (d.exit_code < 0 ? std::string("–") : std::to_string(d.exit_code)) + " |\n";
  }
  return out;
}

std::string status_vocabulary_json() {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& d : kVocabulary) {
    rows.push_back({{"status", d.name}, {"scope", d.scope}, {"meaning", d.meaning},
                    {"exit_code", d.exit_code < 0 ? nlohmann::json(nullptr) : nlohmann::json(d.exit_code)}});
  }
  nlohmann::json codes = nlohmann::json::array();
  for (auto [code, meaning] : std::initializer_list<std::pair<int, const char*>>{
           {kOk, "proved / no certified violation / valid certificate of a proof"},
           {kViolated, "violated / refuted / a regression in `certbound ci`"},
           {kBadInput, "bad input (a one-line error naming the problem)"},
           {kUndecided, "undetermined proof; undecided case with --strict"},
           {kHypothesisFails, "on users' data: a hypothesis certainly fails"},
           {kProvedOnBox, "proved-on-box"},
           {kPartial, "partial (one shard's certificate)"},
           {kInvalid, "invalid certificate"},
           {kInternalError, "internal error (a bug)"},
           {kInterrupted, "interrupted by Ctrl-C (128 + signal; SIGTERM 143)"}})
    codes.push_back({{"exit_code", code}, {"meaning", meaning}});
  return nlohmann::json{{"schema_version", 1}, {"kind", "certbound.statuses"}, {"statuses", rows}, {"exit_codes", codes}}
      .dump(2);
}

}  // namespace certbound
