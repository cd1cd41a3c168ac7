// All-n proofs: an obligation's derivation checked by the kernel (engine/derivation_kernel.hpp),
// its result as a status of the common vocabulary, and the certificate that names what was used.
//
// The certificate ("certbound.all-n-certificate") records the obligation, the scale, the status,
// the hash of every derivation used (the obligation's and, transitively, those it cites), every
// scalar lemma with its method, and the rules. The checker trusts none of it: it re-runs the
// kernel on the registered derivations, re-proves every scalar lemma, compares the hashes (a
// certificate made from another version of a derivation is rejected) and derives the status.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "certbound/engine/derivation_kernel.hpp"
#include "certbound/engine/status.hpp"
#include "certbound/obligation/obligation.hpp"

namespace certbound {

/// The registry's derivations, for the kernel.
kernel::DerivationSource registered_derivations();

struct AllNResult {
  std::string id;
  ProofStatus status = ProofStatus::undetermined;  ///< proved, or undetermined (a step fails or stays open)
  kernel::KernelReport report;
  std::string scale = "1";
  double seconds = 0;
};

/// Check `ob`'s derivation with its constant multiplied by `scale` (exact decimal text). Throws
/// InputError when the obligation has no derivation or the scale is not a positive decimal.
AllNResult prove_all_n(const Obligation& ob, const std::string& scale = "1");

/// The certificate of a result (schema_version 1, kind certbound.all-n-certificate).
nlohmann::json all_n_certificate_json(const AllNResult& r, const nlohmann::json& unverified);

struct AllNVerification {
  bool valid = false;
  ProofStatus status = ProofStatus::undetermined;
  std::string obligation, scope, failure;
  long long lemmas = 0;
  nlohmann::json unverified;
};
/// Re-run the kernel and every scalar lemma for the certificate's obligation and scale; compare
/// the derivation hashes and the status. Throws InputError when the file is not such a certificate.
AllNVerification verify_all_n_certificate(const nlohmann::json& certificate);

/// The scale as an exact rational ("0.999" is 999/1000). Throws InputError otherwise.
symbolic::Rational exact_scale(const std::string& scale);

}  // namespace certbound
