// All-n proofs as a reader wants them: an appendix in Markdown (each step, its justification, the
// sub-terms it changed, the scalar lemmas and the trusted base) and a JSON document.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "certbound/engine/all_n.hpp"

namespace certbound::report {

std::string derivations_markdown(const std::vector<AllNResult>& results);
nlohmann::json derivations_json(const std::vector<AllNResult>& results, const nlohmann::json& provenance);
/// The rule table and monotone contexts as a Markdown table (README's trusted base).
std::string rule_table_markdown();

}  // namespace certbound::report
