// Proof certificates: what `certbound prove` closed and how, re-checkable without any search.
//
// The file records the obligation id, a hash of its definition and proof form, the parameters,
// the tool version, the split tree (preorder string) and one closure per leaf. It does not record
// the root box: `verify-certificate` re-derives it from the obligation and parameters, replays the
// tree (so the leaves tile the root by construction), and re-checks every leaf at 128 bits.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "certbound/engine/prover.hpp"

namespace certbound::report {

nlohmann::json certificate_json(const ProofResult& r, const Settings& s, const std::vector<std::string>& arguments);

/// Outcome of verifying a certificate.
struct Verification {
  bool valid = false;
  ProofStatus status = ProofStatus::undetermined;  ///< what the certificate establishes when valid
  long long leaves = 0;
  std::string failure;  ///< the first failing leaf or inconsistency when not valid
};

/// Verify a parsed certificate. Throws std::invalid_argument (exit 2) when the file is
/// unreadable as a certificate: missing fields, unknown obligation, malformed tree.
Verification verify_certificate(const nlohmann::json& certificate);

}  // namespace certbound::report
