#include "certbound/arith/input_error.hpp"
#include "certbound/engine/proof_checker.hpp"

#include "certbound/arith/hash.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>

#include "certbound/arith/decimal.hpp"
#include "certbound/obligation/settings_json.hpp"

namespace certbound {

using nlohmann::json;

namespace {
/// FNV-1a over the proof's data. It detects accidental corruption only: anyone can recompute it,
/// so it protects nothing against an edit. What a valid certificate guarantees comes from the
/// checker re-deriving every claim and re-checking every leaf (verify_certificate).
std::string checksum(const json& parameters, const std::string& hash, const std::string& status, const std::string& tree,
                     const json& leaves) {
  const std::string text = parameters.dump() + "|" + hash + "|" + status + "|" + tree + "|" + leaves.dump();
  return fnv1a_hex(text);
}

std::string status_and_shard(const std::string& status, const json& shard) { return status + "|" + shard.dump(); }

/// The top-level fields of a certificate: each is re-derived or re-checked, except "unverified".
const char* const kCertificateFields[] = {"schema_version", "kind",  "checksum", "obligation", "definition_hash",
                                          "parameters",     "status", "claim",    "shard",      "top_depth",
                                          "tree",           "leaves", "unverified"};
}  // namespace

json certificate_claim(const Obligation& ob, const ProofForm& form) {
  json variables = json::array();
  for (const auto& v : form.variables) variables.push_back(v.input + "(" + std::to_string(v.row) + "," + std::to_string(v.col) + ")");
  const Meta& m = ob.meta();
  return {{"statement", m.statement},
          {"statement_provenance", m.provenance},
          {"constant", m.constant_expression},
          {"reduction", form.reduction},
          {"proved_statement", form.proved_statement},
          {"domain_covered", form.sub_domain.empty() ? "the statement's whole domain" : form.sub_domain},
          {"variables", variables},
          {"root_box", box_json(root_box(form))}};
}

std::string certificate_checksum_of(const json& parameters, const std::string& definition_hash, const std::string& status,
                                    const json& shard, const std::string& tree, const json& leaves) {
  return checksum(parameters, definition_hash, status_and_shard(status, shard), tree, leaves);
}

std::string certificate_checksum(const json& c) {
  return checksum(c.at("parameters"), c.at("definition_hash").get<std::string>(),
                  status_and_shard(c.at("status").get<std::string>(), c.at("shard")), c.at("tree").get<std::string>(),
                  c.at("leaves"));
}

namespace {
[[noreturn]] void unreadable(const std::string& why) { throw InputError("certificate: " + why); }

std::string text_field(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j.at(key).is_string()) unreadable(std::string("missing field '") + key + "'");
  return j.at(key).get<std::string>();
}

LeafClosure closure_of(const std::string& t) {
  for (LeafClosure c : {LeafClosure::margin, LeafClosure::outside, LeafClosure::refuted, LeafClosure::open})
    if (t == to_string(c)) return c;
  unreadable("unknown leaf closure '" + t + "'");
}

/// Replays the preorder tree over the root; calls visit(box, other_shard) for each leaf in order.
template <class Visit>
void replay(const std::string& tree, size_t& pos, const Box& box, int depth, Visit&& visit) {
  if (depth > 4000) unreadable("tree too deep");
  if (pos >= tree.size()) unreadable("tree ends early (truncated?)");
  const char ch = tree[pos++];
  if (ch == 'L') {
    visit(box, false);
    return;
  }
  if (ch == 'X') {  // a part owned by another shard
    visit(box, true);
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

void split_parts(const std::string& tree, int depth, std::string& top, std::vector<std::string>& parts);

/// Every top-level field is known: a field that is neither re-derived nor marked unverified could
/// carry a claim that nobody checks.
void require_known_fields(const json& j) {
  for (const auto& [key, value] : j.items()) {
    bool known = false;
    for (const char* f : kCertificateFields) known = known || key == f;
    if (!known) unreadable("unknown field '" + key + "' (every field is re-derived, re-checked or under 'unverified')");
  }
}

/// The parameters exactly as prove writes them (settings_json: n, d, R, eta, scale, beta).
Settings parse_parameters(const json& p) {
  try {
    return settings_from_json(p);
  } catch (const InputError& e) {
    unreadable(e.what());
  }
}

/// The first field of `claim` that differs from `expected`, or "".
std::string first_difference(const json& claim, const json& expected) {
  if (!claim.is_object()) return "claim";
  for (const auto& [key, value] : expected.items())
    if (!claim.contains(key) || claim.at(key) != value) return "claim." + key;
  for (const auto& [key, value] : claim.items())
    if (!expected.contains(key)) return "claim." + key;
  return "";
}

/// For shard I of N the tree's fixed top must be prove()'s, with exactly the parts of other shards
/// marked 'X' (part j belongs to shard j mod N + 1); a whole-domain certificate has no 'X'.
std::string shard_layout_problem(const std::string& tree, const Box& root, int index, int count) {
  if (count == 1) return tree.find('X') == std::string::npos ? "" : "a whole-domain certificate with parts of other shards";
  std::vector<Box> boxes;
  std::string expected_top = split_top(root, top_depth(count), boxes);
  std::string top;
  std::vector<std::string> parts;
  split_parts(tree, top_depth(count), top, parts);
  if (top != expected_top) return "the tree's top is not the fixed split of a sharded run";
  for (size_t j = 0; j < parts.size(); ++j) {
    const bool owned = static_cast<int>(j % static_cast<size_t>(count)) == index - 1;
    if (owned && parts[j].find('X') != std::string::npos) return "part " + std::to_string(j) + " of this shard is marked as another's";
    if (!owned && parts[j] != "X") return "part " + std::to_string(j) + " belongs to another shard but has leaves here";
  }
  return "";
}
}  // namespace

Verification verify_certificate(const json& j, unsigned bits) {
  if (!j.is_object()) unreadable("not a JSON object");
  if (!j.contains("schema_version") || !j.at("schema_version").is_number_integer())
    unreadable("missing field 'schema_version'");
  if (j.at("schema_version") != kCertificateSchema)
    unreadable("schema_version " + j.at("schema_version").dump() + " is not " + std::to_string(kCertificateSchema) +
               " (written by another certbound version: prove again)");
  if (text_field(j, "kind") != "certbound.certificate") unreadable("not a certbound certificate");
  require_known_fields(j);
  const std::string id = text_field(j, "obligation");
  const Obligation* ob = find_obligation(id);
  if (!ob) unreadable("unknown obligation '" + id + "'");
  Verification v;
  v.obligation = id;
  v.settings = parse_parameters(j.contains("parameters") ? j.at("parameters") : json());
  // The same parameter validation as `prove`: what prove refuses cannot have been proved by it.
  if (const std::string why = prove_settings_problem(*ob, v.settings); !why.empty())
    unreadable("parameters that prove refuses: " + why);
  const ProofForm form = *ob->proof_form(v.settings);
  v.proved_statement = form.proved_statement;
  v.domain_covered = form.sub_domain;
  const std::string tree = text_field(j, "tree");
  if (!j.contains("leaves") || !j.at("leaves").is_array()) unreadable("missing field 'leaves'");
  const json& closures = j.at("leaves");
  const auto stored = proof_status_from(text_field(j, "status"));
  if (!stored) unreadable("status '" + text_field(j, "status") + "' is not a proof status");
  if (!j.contains("shard") || !j.at("shard").is_array() || j.at("shard").size() != 2 || !j.at("shard")[0].is_number_integer() ||
      !j.at("shard")[1].is_number_integer())
    unreadable("missing field 'shard'");
  v.shard_index = j.at("shard")[0].get<int>();
  v.shard_count = j.at("shard")[1].get<int>();
  if (v.shard_count < 1 || v.shard_count > 4096 || v.shard_index < 1 || v.shard_index > v.shard_count) unreadable("bad shard");
  if (!j.contains("top_depth") || j.at("top_depth") != top_depth(v.shard_count))
    unreadable("field 'top_depth' does not match the shard count");
  if (!j.contains("claim")) unreadable("missing field 'claim'");
  if (j.contains("unverified")) v.unverified = j.at("unverified");

  // Structure first (unreadable → exit 2): the tree must parse and match the closures one to one.
  const Box root = root_box(form);
  std::vector<LeafClosure> claimed;
  for (const auto& c : closures) {
    if (!c.is_string()) unreadable("leaf closure is not a string");
    claimed.push_back(closure_of(c.get<std::string>()));
  }
  std::vector<Box> leaves;
  size_t pos = 0;
  replay(tree, pos, root, 0, [&](const Box& box, bool other_shard) {
    if (other_shard) ++v.foreign_parts;
    else leaves.push_back(box);
  });
  if (pos != tree.size()) unreadable("trailing characters after the tree");
  if (leaves.size() != claimed.size())
    unreadable(std::to_string(leaves.size()) + " leaves in the tree but " + std::to_string(claimed.size()) + " closures");
  v.leaves = static_cast<long long>(leaves.size());

  // What the certificate says was proved must be what certbound derives from the obligation, its
  // definition and the parameters: a rewritten statement or box is named, not trusted.
  if (text_field(j, "definition_hash") != definition_hash(*ob, form)) {
    v.failure = "definition hash differs: the certificate was made for another definition of " + id;
    return v;
  }
  if (const std::string field = first_difference(j.at("claim"), certificate_claim(*ob, form)); !field.empty()) {
    v.failure = "field '" + field + "' differs from what certbound derives for " + id + " at these parameters";
    return v;
  }
  if (const std::string why = shard_layout_problem(tree, root, v.shard_index, v.shard_count); !why.empty()) {
    v.failure = why;
    return v;
  }
  if (text_field(j, "checksum") != checksum(j.at("parameters"), text_field(j, "definition_hash"),
                                            status_and_shard(text_field(j, "status"), j.at("shard")), tree, closures)) {
    v.failure = "checksum mismatch: the file was corrupted or edited after it was written";
    return v;
  }

  // Every claimed closure is re-checked (open leaves claim nothing); the status is then derived
  // from the leaves, never taken from the file.
  bool any_open = false, any_refuted = false;
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (claimed[i] == LeafClosure::open) {
      any_open = true;
      ++v.open_leaves;
      continue;
    }
    const std::string why = recheck_leaf(*ob, form, v.settings, leaves[i], claimed[i], bits);
    if (!why.empty()) {
      v.failure = "leaf " + std::to_string(i) + " (" + to_string(claimed[i]) + "): " + why;
      return v;
    }
    ++v.rechecked;
    any_refuted = any_refuted || claimed[i] == LeafClosure::refuted;
  }
  v.status = status_from_leaves(any_refuted, any_open, v.shard_count, form);
  if (*stored != v.status) {
    v.failure = std::string("stored status '") + to_string(*stored) + "' but the leaves establish '" + to_string(v.status) + "'";
    return v;
  }
  v.valid = true;
  return v;
}

}  // namespace certbound

namespace certbound {

namespace {
/// End position of the subtree starting at pos (throws on malformed input).
size_t subtree_end(const std::string& tree, size_t pos, int depth = 0) {
  if (depth > 4000 || pos >= tree.size()) unreadable("malformed tree");
  const char ch = tree[pos++];
  if (ch == 'L' || ch == 'X') return pos;
  if (ch != 'S') unreadable("malformed tree");
  while (pos < tree.size() && std::isdigit(static_cast<unsigned char>(tree[pos]))) ++pos;
  pos = subtree_end(tree, pos, depth + 1);
  return subtree_end(tree, pos, depth + 1);
}

/// The [index, count] of a certificate's "shard" field (unreadable unless two integers). Read
/// through the checked accessors only: operator[] on a const json past its end is undefined.
std::pair<int, int> shard_of(const json& c) {
  if (!c.is_object() || !c.contains("shard") || !c.at("shard").is_array() || c.at("shard").size() != 2 ||
      !c.at("shard").at(0).is_number_integer() || !c.at("shard").at(1).is_number_integer())
    unreadable("missing field 'shard'");
  return {c.at("shard").at(0).get<int>(), c.at("shard").at(1).get<int>()};
}

/// Split a tree into its fixed top (with 'F' for parts) and the parts' subtrees.
void split_parts(const std::string& tree, int depth, std::string& top, std::vector<std::string>& parts) {
  std::function<void(size_t&, int)> rec = [&](size_t& pos, int level) {
    if (level == depth) {
      const size_t end = subtree_end(tree, pos);
      parts.push_back(tree.substr(pos, end - pos));
      top += "F";
      pos = end;
      return;
    }
    if (pos >= tree.size() || tree[pos] != 'S') unreadable("tree does not start with the fixed top splits");
    const size_t start = pos++;
    while (pos < tree.size() && std::isdigit(static_cast<unsigned char>(tree[pos]))) ++pos;
    top += tree.substr(start, pos - start);
    rec(pos, level + 1);
    rec(pos, level + 1);
  };
  size_t pos = 0;
  rec(pos, 0);
  if (pos != tree.size()) unreadable("trailing characters after the tree");
}
}  // namespace

json merge_certificates(const std::vector<json>& shards) {
  if (shards.empty()) unreadable("nothing to merge");
  const json& first = shards.front();
  if (!first.is_object()) unreadable("not a JSON object");
  for (const char* key : {"obligation", "definition_hash", "parameters", "top_depth", "claim"})
    if (!first.contains(key)) unreadable(std::string("missing field '") + key + "'");
  if (!first.at("top_depth").is_number_integer()) unreadable("field 'top_depth' is not an integer");
  const int n = shard_of(first).second;
  const int depth = first.at("top_depth").get<int>();
  // The parts are the subtrees at the fixed top of prove (top_depth of the shard count); the field
  // is not covered by the checksum, so it is checked, not trusted: at another depth a part could
  // hold boxes of several shards.
  if (depth != top_depth(n)) unreadable("field 'top_depth' does not match the shard count");
  std::vector<std::string> merged_parts;
  std::vector<json> merged_leaves;
  std::vector<int> owner;
  std::string top;
  for (const json& c : shards) {
    for (const char* key : {"obligation", "definition_hash", "parameters", "top_depth", "claim"})
      if (!c.is_object() || !c.contains(key) || c.at(key) != first.at(key))
        throw InputError(std::string("merge: certificates disagree on '") + key + "'");
    if (shard_of(c).second != n)
      throw InputError("merge: certificates come from different shard counts");
    const Verification v = verify_certificate(c);
    if (!v.valid) throw InputError("merge: shard " + std::to_string(v.shard_index) + " does not verify: " + v.failure);
    std::string t;
    std::vector<std::string> parts;
    split_parts(c.at("tree").get<std::string>(), depth, t, parts);
    if (top.empty()) {
      top = t;
      merged_parts.assign(parts.size(), "");
      merged_leaves.assign(parts.size(), json::array());
      owner.assign(parts.size(), 0);
    } else if (t != top) {
      throw InputError("merge: certificates have different tree tops");
    }
    size_t leaf = 0;
    const json& closures = c.at("leaves");
    for (size_t i = 0; i < parts.size(); ++i) {
      if (parts[i] == "X") continue;
      if (parts[i].find('X') != std::string::npos) unreadable("part " + std::to_string(i) + " is split between shards");
      if (owner[i]) throw InputError("merge: part " + std::to_string(i) + " appears in two shards");
      owner[i] = v.shard_index;
      merged_parts[i] = parts[i];
      const auto count = static_cast<size_t>(std::count(parts[i].begin(), parts[i].end(), 'L'));
      for (size_t k = 0; k < count; ++k) merged_leaves[i].push_back(closures.at(leaf++));
    }
  }
  std::string tree;
  json leaves = json::array();
  bool open = false, refuted = false;
  size_t part = 0;
  for (char ch : top) {
    if (ch != 'F') {
      tree += ch;
      continue;
    }
    if (!owner[part]) throw InputError("merge: part " + std::to_string(part) + " is in no shard (missing a shard?)");
    tree += merged_parts[part];
    for (const auto& l : merged_leaves[part]) {
      leaves.push_back(l);
      open = open || l == "open";
      refuted = refuted || l == "refuted";
    }
    ++part;
  }
  json out = first;
  const Obligation& ob = *find_obligation(first.at("obligation").get<std::string>());  // verified above
  const ProofForm form = *ob.proof_form(parse_parameters(first.at("parameters")));
  const std::string status = to_string(status_from_leaves(refuted, open, 1, form));
  out["status"] = status;
  out["shard"] = {1, 1};
  out["top_depth"] = top_depth(1);
  out["tree"] = tree;
  out["leaves"] = leaves;
  out["unverified"] = {{"merged_from", static_cast<int>(shards.size())},
                       {"provenance", first.value("unverified", json::object()).value("provenance", json(nullptr))}};
  out["checksum"] = checksum(out.at("parameters"), out.at("definition_hash").get<std::string>(),
                             status_and_shard(status, out.at("shard")), tree, leaves);
  return out;
}

}  // namespace certbound

namespace certbound {

json box_json(const Box& b) {
  json out = json::array();
  for (const auto& [lo, hi] : b) {
    char a[40], c[40];
    std::snprintf(a, sizeof a, "%a", lo);
    std::snprintf(c, sizeof c, "%a", hi);
    out.push_back({a, c});
  }
  return out;
}

}  // namespace certbound
