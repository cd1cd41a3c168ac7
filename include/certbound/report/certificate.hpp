// The certificate writer of `certbound prove --certificate`. The format, and the checker that
// trusts none of it, are in engine/proof_checker.hpp.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "certbound/engine/prover.hpp"

namespace certbound::report {

/// The certificate of a prove run: parameters, claim, tree, leaves, and the writer's provenance
/// under "unverified".
nlohmann::json certificate_json(const ProofResult& r, const Settings& s, const std::vector<std::string>& arguments);

}  // namespace certbound::report
