#include "certbound/report/certificate.hpp"

#include <cstdio>

#include "certbound/build_info.hpp"
#include "certbound/report/report.hpp"

namespace certbound::report {

using nlohmann::json;

namespace {
/// FNV-1a over everything a verifier relies on, so that any edit of the file is detected even when
/// the edited proof would still re-check (the certificate is then not the one the prover wrote).
std::string checksum(const json& parameters, const std::string& hash, const std::string& status, const std::string& tree,
                     const json& leaves) {
  const std::string text = parameters.dump() + "|" + hash + "|" + status + "|" + tree + "|" + leaves.dump();
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char ch : text) h = (h ^ ch) * 1099511628211ull;
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}
}  // namespace

json certificate_json(const ProofResult& r, const Settings& s, const std::vector<std::string>& arguments) {
  json closures = json::array();
  for (const auto& l : r.leaves) closures.push_back(to_string(l.closure));
  json variables = json::array();
  for (const auto& v : r.form.variables) variables.push_back(v.input + "(" + std::to_string(v.row) + "," + std::to_string(v.col) + ")");
  const json parameters = settings_json(s);
  const std::string hash = definition_hash(*r.obligation, r.form);
  return {{"schema_version", 1},
          {"kind", "certbound.certificate"},
          {"checksum", checksum(parameters, hash, to_string(r.status), r.tree, closures)},
          {"obligation", r.obligation->meta().id},
          {"definition_hash", hash},
          {"parameters", parameters},
          {"status", to_string(r.status)},
          {"reduction", r.form.reduction},
          {"proved_statement", r.form.proved_statement},
          {"variables", variables},
          {"tree", r.tree},
          {"leaves", closures},
          {"provenance", provenance(arguments, 0, 128)}};
}

namespace {
[[noreturn]] void unreadable(const std::string& why) { throw std::invalid_argument("certificate: " + why); }

std::string text_field(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j.at(key).is_string()) unreadable(std::string("missing field '") + key + "'");
  return j.at(key).get<std::string>();
}

LeafClosure closure_of(const std::string& t) {
  for (LeafClosure c : {LeafClosure::margin, LeafClosure::outside, LeafClosure::refuted, LeafClosure::open})
    if (t == to_string(c)) return c;
  unreadable("unknown leaf closure '" + t + "'");
}

/// Replays the preorder tree over the root; calls visit(box) for each leaf in order.
template <class Visit>
void replay(const std::string& tree, size_t& pos, const Box& box, int depth, Visit&& visit) {
  if (depth > 4000) unreadable("tree too deep");
  if (pos >= tree.size()) unreadable("tree ends early (truncated?)");
  const char ch = tree[pos++];
  if (ch == 'L') {
    visit(box);
    return;
  }
  if (ch != 'S') unreadable(std::string("unexpected character '") + ch + "' in tree");
  size_t k = 0, digits = 0;
  while (pos < tree.size() && std::isdigit(static_cast<unsigned char>(tree[pos]))) {
    k = k * 10 + static_cast<size_t>(tree[pos++] - '0');
    if (++digits > 6) unreadable("split coordinate too large");
  }
  if (digits == 0) unreadable("split without a coordinate");
  if (k >= box.size()) unreadable("split coordinate " + std::to_string(k) + " out of range");
  auto [a, b] = bisect(box, k);
  replay(tree, pos, a, depth + 1, visit);
  replay(tree, pos, b, depth + 1, visit);
}
}  // namespace

Verification verify_certificate(const json& j) {
  if (!j.is_object()) unreadable("not a JSON object");
  if (!j.contains("schema_version") || j.at("schema_version") != 1) unreadable("unsupported schema_version");
  if (text_field(j, "kind") != "certbound.certificate") unreadable("not a certbound certificate");
  const std::string id = text_field(j, "obligation");
  const Obligation* ob = find_obligation(id);
  if (!ob) unreadable("unknown obligation '" + id + "'");
  // Parameters: reuse the counterexample parser's checks by building a minimal document.
  json cx = {{"schema_version", 1}, {"kind", "certbound.counterexample"}, {"obligation", id},
             {"parameters", j.contains("parameters") ? j.at("parameters") : json()}, {"inputs", json::object()}};
  const Settings s = parse_counterexample(cx).settings;
  const auto form = ob->proof_form(s);
  if (!form) unreadable("obligation '" + id + "' has no proof form");
  const std::string tree = text_field(j, "tree");
  if (!j.contains("leaves") || !j.at("leaves").is_array()) unreadable("missing field 'leaves'");
  const json& closures = j.at("leaves");

  Box root;
  for (const auto& var : form->variables) root.push_back({var.lo, var.hi});
  // Structure first (unreadable → exit 2): the tree must parse and match the closures one to one.
  std::vector<LeafClosure> claimed;
  for (const auto& c : closures) {
    if (!c.is_string()) unreadable("leaf closure is not a string");
    claimed.push_back(closure_of(c.get<std::string>()));
  }
  std::vector<Box> leaves;
  size_t pos = 0;
  replay(tree, pos, root, 0, [&](const Box& box) { leaves.push_back(box); });
  if (pos != tree.size()) unreadable("trailing characters after the tree");
  if (leaves.size() != claimed.size())
    unreadable(std::to_string(leaves.size()) + " leaves in the tree but " + std::to_string(claimed.size()) + " closures");

  Verification v;
  v.leaves = static_cast<long long>(leaves.size());
  if (text_field(j, "checksum") != checksum(j.at("parameters"), text_field(j, "definition_hash"), text_field(j, "status"),
                                            tree, closures)) {
    v.failure = "checksum mismatch: the certificate was edited after it was written";
    return v;
  }
  if (text_field(j, "definition_hash") != definition_hash(*ob, *form)) {
    v.failure = "definition hash differs: the certificate was made for another definition of " + id;
    return v;
  }
  // A refutation needs one re-checked refuted leaf; a proof needs every leaf re-checked closed.
  const bool claims_refutation = text_field(j, "status") == to_string(ProofStatus::refuted);
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (claims_refutation && claimed[i] != LeafClosure::refuted) continue;
    const std::string why = recheck_leaf(*ob, *form, s, leaves[i], claimed[i]);
    if (!why.empty()) {
      v.failure = "leaf " + std::to_string(i) + " (" + to_string(claimed[i]) + "): " + why;
      return v;
    }
    if (claims_refutation) {
      v.valid = true;
      v.status = ProofStatus::refuted;
      return v;
    }
  }
  if (claims_refutation) {
    v.failure = "status 'refuted' but no refuted leaf";
    return v;
  }
  if (text_field(j, "status") != to_string(ProofStatus::proved)) {
    v.failure = "status '" + text_field(j, "status") + "' is not a proof";
    return v;
  }
  v.valid = true;
  v.status = ProofStatus::proved;
  return v;
}

}  // namespace certbound::report
