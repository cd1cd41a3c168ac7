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
  long long rechecked = 0;      ///< leaves re-checked (a refutation needs only its refuted leaf)
  long long foreign_parts = 0;  ///< parts owned by other shards ("X" in the tree)
  int shard_index = 1, shard_count = 1;
  std::string failure;  ///< the first failing leaf or inconsistency when not valid
};

/// Verify a parsed certificate. Throws std::invalid_argument (exit 2) when the file is
/// unreadable as a certificate: missing fields, unknown obligation, malformed tree.
Verification verify_certificate(const nlohmann::json& certificate, unsigned bits = 128);

/// Combine the certificates of shards 1..N of one run into one certificate of the whole domain.
/// Throws std::invalid_argument when they disagree (obligation, definition, parameters, shard
/// count), a part is missing or claimed twice, or a shard does not verify.
nlohmann::json merge_certificates(const std::vector<nlohmann::json>& shards);

/// Checkpoint of a prove run: per part of the fixed top, its DFS stack, partial tree and leaves
/// (boxes as hex floats: exact). `identity` names the run (obligation, hash, parameters, budget,
/// shard) so that a checkpoint is only resumed by the same run.
nlohmann::json checkpoint_json(const nlohmann::json& identity, const std::vector<PartState>& parts);
/// Restore part states; throws std::invalid_argument when the checkpoint belongs to another run
/// or is malformed. Refuted leaves get their counterexample re-certified.
void restore_checkpoint(const nlohmann::json& checkpoint, const nlohmann::json& identity, std::vector<PartState>& parts,
                        const Obligation& ob, const ProofForm& form, const Settings& s);

}  // namespace certbound::report
