// All-n proofs as a reader wants them: an appendix in Markdown (each step, its justification, the
// sub-terms it changed, the scalar lemmas and the trusted base) and a JSON document.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "certbound/engine/all_n.hpp"
#include "certbound/engine/term_eval.hpp"

namespace certbound::report {

/// `witnesses` (optional, one per result): each step's slack Eⱼ₊₁/Eⱼ at the best certified
/// witness of a short check (engine/term_eval.hpp), an extra column of the step table.
std::string derivations_markdown(const std::vector<AllNResult>& results,
                                 const std::vector<std::optional<WitnessSlack>>& witnesses = {});
nlohmann::json derivations_json(const std::vector<AllNResult>& results, const nlohmann::json& provenance,
                                const std::vector<std::optional<WitnessSlack>>& witnesses = {});
/// The rule table and monotone contexts as a Markdown table (README's trusted base).
std::string rule_table_markdown();

}  // namespace certbound::report
