// All-n proofs and their certificates (engine/all_n.hpp).
#include "certbound/engine/all_n.hpp"

#include <chrono>
#include <set>

#include "certbound/arith/hash.hpp"
#include "certbound/arith/input_error.hpp"
#include "certbound/obligation/derivation.hpp"

namespace certbound {

using nlohmann::json;

kernel::DerivationSource registered_derivations() {
  return [](const std::string& id) -> std::shared_ptr<const symbolic::Derivation> {
    const Obligation* ob = find_obligation(id);
    return ob ? ob->derivation() : nullptr;
  };
}

symbolic::Rational exact_scale(const std::string& scale) {
  // digits[.digits], at most 15 significant digits: exact as a 64-bit rational.
  std::int64_t num = 0, den = 1;
  bool dot = false, digit = false;
  int digits = 0;
  for (char ch : scale) {
    if (ch == '.' && !dot) {
      dot = true;
    } else if (ch >= '0' && ch <= '9') {
      if (++digits > 15) throw InputError("--scale '" + scale + "': at most 15 digits for an all-n proof");
      num = num * 10 + (ch - '0');
      if (dot) den *= 10;
      digit = true;
    } else {
      throw InputError("--scale '" + scale + "' is not a plain decimal number (e.g. 0.999)");
    }
  }
  if (!digit || num == 0) throw InputError("--scale '" + scale + "' must be a positive decimal number");
  return symbolic::Rational(num, den);
}

AllNResult prove_all_n(const Obligation& ob, const std::string& scale) {
  if (!ob.derivation()) throw InputError("obligation '" + ob.meta().id + "' has no all-n derivation");
  AllNResult r;
  r.id = ob.meta().id;
  r.scale = scale;
  const auto start = std::chrono::steady_clock::now();
  r.report = kernel::check_derivation(r.id, registered_derivations(), exact_scale(scale));
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  r.status = r.report.proved ? ProofStatus::proved : ProofStatus::undetermined;
  return r;
}

namespace {

/// Hashes of the derivations a proof used: its own and every cited one.
json derivation_hashes(const kernel::KernelReport& rep) {
  json h = json::object();
  h[rep.id] = rep.derivation_hash;
  const auto source = registered_derivations();
  for (const std::string& id : rep.obligations)
    if (const auto d = source(id)) h[id] = fnv1a_hex(kernel::derivation_text(*d));
  return h;
}

const char* lemma_status(kernel::LemmaOutcome::Status s) {
  switch (s) {
    case kernel::LemmaOutcome::proved: return "proved";
    case kernel::LemmaOutcome::refuted: return "refuted";
    default: return "open";
  }
}

json lemmas_json(const kernel::KernelReport& rep) {
  json out = json::array();
  for (const auto& l : rep.lemmas)
    out.push_back({{"name", l.name}, {"statement", l.statement}, {"status", lemma_status(l.outcome.status)},
                   {"method", l.outcome.method}, {"boxes", l.outcome.boxes}});
  return out;
}

}  // namespace

json all_n_certificate_json(const AllNResult& r, const json& unverified) {
  return {{"schema_version", 1},
          {"kind", "certbound.all-n-certificate"},
          {"obligation", r.id},
          {"scale", r.scale},
          {"status", to_string(r.status)},
          {"scope", r.report.scope},
          {"statement", r.report.statement},
          {"derivations", derivation_hashes(r.report)},
          {"rules", r.report.rules},
          {"scalar_lemmas", lemmas_json(r.report)},
          {"failure", r.report.failure},
          {"trusted", r.report.trusted},
          {"unverified", unverified}};
}

AllNVerification verify_all_n_certificate(const json& c) {
  static const std::set<std::string> fields = {"schema_version", "kind",        "obligation", "scale",   "status",
                                               "scope",          "statement",   "derivations", "rules",  "scalar_lemmas",
                                               "failure",        "trusted",     "unverified"};
  if (!c.is_object()) throw InputError("an all-n certificate is a JSON object");
  for (const auto& [key, value] : c.items())
    if (!fields.count(key)) throw InputError("unknown field '" + key + "' in an all-n certificate");
  for (const std::string& key : fields)
    if (!c.contains(key)) throw InputError("the all-n certificate has no field '" + key + "'");
  if (c["schema_version"] != 1 || c["kind"] != "certbound.all-n-certificate")
    throw InputError("not an all-n certificate of schema 1");
  if (!c["obligation"].is_string() || !c["scale"].is_string() || !c["status"].is_string() || !c["derivations"].is_object())
    throw InputError("the all-n certificate's obligation, scale, status or derivations field has the wrong type");
  const std::string id = c["obligation"];
  const Obligation* ob = find_obligation(id);
  if (!ob) throw InputError("the certificate names an unknown obligation '" + id + "'");
  AllNVerification v;
  v.obligation = id;
  v.unverified = c["unverified"];
  const AllNResult r = prove_all_n(*ob, c["scale"].get<std::string>());
  v.status = r.status;
  v.scope = r.report.scope;
  v.lemmas = static_cast<long long>(r.report.lemmas.size());
  const json hashes = derivation_hashes(r.report);
  if (c["derivations"] != hashes) {
    v.failure = "the derivations differ from the registered ones (hashes " + c["derivations"].dump() + " vs " + hashes.dump() + ")";
    return v;
  }
  if (c["status"] != to_string(r.status)) {
    v.failure = "the certificate says " + c["status"].get<std::string>() + ", the kernel finds " + to_string(r.status) +
                (r.report.failure.empty() ? "" : " (" + r.report.failure + ")");
    return v;
  }
  if (c["scope"] != r.report.scope || c["statement"] != r.report.statement) {
    v.failure = "the certificate's scope or statement is not the derivation's";
    return v;
  }
  v.valid = true;
  return v;
}

}  // namespace certbound
