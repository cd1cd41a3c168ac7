// The proof checker: what a certificate of `certbound prove` establishes, re-derived and re-checked
// without any search. This is certbound's trusted checker (with the obligations and the arithmetic
// it calls); the writer is report/certificate.hpp.
//
// The file records the obligation id, a hash of its definition and proof form, the parameters,
// the claim (statement, proved statement, reduction, variables, root box, the part of the domain
// covered), the split tree (preorder string) and one closure per leaf. The checker trusts none of
// it: it re-derives the claim from the obligation and the parameters (validated as `prove`
// validates them), replays the tree over the re-derived root (so the leaves tile it by
// construction), re-checks every closed or refuted leaf at 128 bits or more, and derives the
// status from the leaves. Only the fields under "unverified" (build, commit, arguments, the number
// of merged shards) are taken as written, and they are printed under a heading that says so.
// The checksum detects accidental corruption; it is no protection against an edit.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "certbound/engine/prover.hpp"

namespace certbound {

/// A box as [["lo", "hi"], ...] in hex floats (exact).
nlohmann::json box_json(const Box& box);

/// Schema of the certificates this certbound writes and reads.
inline constexpr int kCertificateSchema = 2;

/// What a certificate of `ob` with proof form `form` claims: written by prove and re-derived by
/// the checker from the same function, so the two cannot drift apart.
nlohmann::json certificate_claim(const Obligation& ob, const ProofForm& form);

/// The checksum of a certificate's proof data (parameters, definition hash, status, shard, tree,
/// leaves), as the writer stores it.
std::string certificate_checksum_of(const nlohmann::json& parameters, const std::string& definition_hash,
                                    const std::string& status, const nlohmann::json& shard, const std::string& tree,
                                    const nlohmann::json& leaves);
/// The checksum the writer would store for this certificate's content. Anyone can recompute it
/// (the tests do, to forge certificates): it detects corruption, never an edit.
std::string certificate_checksum(const nlohmann::json& certificate);

/// Outcome of verifying a certificate.
struct Verification {
  bool valid = false;
  ProofStatus status = ProofStatus::undetermined;  ///< derived from the leaves (meaningful when valid)
  std::string obligation;
  Settings settings;              ///< the validated parameters
  std::string proved_statement;   ///< re-derived from the obligation and parameters
  std::string domain_covered;     ///< "" for the whole domain, else the box (proved-on-box)
  long long leaves = 0;
  long long open_leaves = 0;
  long long rechecked = 0;        ///< closed and refuted leaves re-checked
  long long foreign_parts = 0;    ///< parts owned by other shards ("X" in the tree)
  int shard_index = 1, shard_count = 1;
  nlohmann::json unverified;      ///< taken as written: build, commit, arguments, merged shards
  std::string failure;            ///< why it is invalid: a leaf, a re-derived field or the status
};

/// Verify a parsed certificate. Throws InputError (exit 2) when the file is
/// unreadable as a certificate: missing or unknown fields, unknown obligation, parameters that
/// prove refuses, a malformed tree. Otherwise returns valid, or invalid with the reason.
Verification verify_certificate(const nlohmann::json& certificate, unsigned bits = 128);

/// Combine the certificates of shards 1..N of one run into one certificate of the whole domain.
/// Throws InputError when they disagree (obligation, definition, parameters, shard
/// count), a part is missing or claimed twice, or a shard does not verify.
nlohmann::json merge_certificates(const std::vector<nlohmann::json>& shards);

}  // namespace certbound
