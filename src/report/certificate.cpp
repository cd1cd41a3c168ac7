// The certificate writer: what `prove --certificate` stores (engine/proof_checker.hpp checks it).
#include "certbound/report/certificate.hpp"

#include "certbound/engine/proof_checker.hpp"
#include "certbound/obligation/settings_json.hpp"
#include "certbound/report/report.hpp"

namespace certbound::report {

using nlohmann::json;

json certificate_json(const ProofResult& r, const Settings& s, const std::vector<std::string>& arguments) {
  json closures = json::array();
  for (const LeafClosure c : r.leaves) closures.push_back(to_string(c));
  const json parameters = settings_json(s);
  const std::string hash = definition_hash(*r.obligation, r.form);
  const json shard = {r.shard_index, r.shard_count};
  return {{"schema_version", kCertificateSchema},
          {"kind", "certbound.certificate"},
          {"checksum", certificate_checksum_of(parameters, hash, to_string(r.status), shard, r.tree, closures)},
          {"obligation", r.obligation->meta().id},
          {"definition_hash", hash},
          {"parameters", parameters},
          {"status", to_string(r.status)},
          {"claim", certificate_claim(*r.obligation, r.form)},
          {"shard", shard},
          {"top_depth", top_depth(r.shard_count)},
          {"tree", r.tree},
          {"leaves", closures},
          {"unverified", {{"provenance", provenance(arguments, 0, 128)}}}};
}

}  // namespace certbound::report
