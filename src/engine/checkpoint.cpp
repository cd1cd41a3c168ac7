// Checkpoint encoding and restoring (see checkpoint.hpp for the format and why a restored state is
// trusted only after it is re-checked).
#include "certbound/engine/checkpoint.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "certbound/arith/input_error.hpp"
#include "certbound/obligation/settings_json.hpp"

namespace certbound {

using nlohmann::json;

namespace {

constexpr std::string_view kFormatLine = "certbound.checkpoint 2\n";
constexpr std::string_view kCommittedKey = "committed ";
constexpr std::size_t kHeaderFixed = CheckpointEncoder::kCommittedOffset + CheckpointEncoder::kCommittedDigits + 1;
static_assert(kFormatLine.size() + kCommittedKey.size() == CheckpointEncoder::kCommittedOffset);

/// The splitting rule of prover.cpp (widest coordinate relative to the root, double midpoint,
/// budget-independent decisions): a checkpoint of another rule would resume into another tree.
constexpr const char* kProverRule = "bisect-widest-relative/1";

constexpr std::uint64_t kHashStart = 1469598103934665603ull;
std::uint64_t hash_more(std::uint64_t h, std::string_view bytes) {
  for (unsigned char ch : bytes) h = (h ^ ch) * 1099511628211ull;
  return h;
}
std::string hex16(std::uint64_t h) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

char letter_of(LeafClosure c) {
  switch (c) {
    case LeafClosure::margin: return 'M';
    case LeafClosure::outside: return 'H';
    case LeafClosure::refuted: return 'R';
    case LeafClosure::open: return 'O';
  }
  return '?';
}

[[noreturn]] void refuse(const std::string& why) { throw InputError("checkpoint: " + why); }

}  // namespace

json checkpoint_identity(const Obligation& ob, const ProofForm& form, const Settings& s, int shard_index,
                         int shard_count) {
  return {{"obligation", ob.meta().id},
          {"definition_hash", definition_hash(ob, form)},
          {"parameters", settings_json(s)},
          {"shard", {shard_index, shard_count}},
          {"prover", kProverRule}};
}

CheckpointEncoder::CheckpointEncoder(const json& identity, std::size_t parts) : identity_line_(identity.dump() + "\n") {
  at_.tree_saved.assign(parts, 0);
  at_.leaves_saved.assign(parts, 0);
  at_.boxes_saved.assign(parts, 0);
}

void CheckpointEncoder::hashed(std::string& out, std::string_view bytes) {
  out.append(bytes);
  at_.hash = hash_more(at_.hash, bytes);
}

std::string CheckpointEncoder::header() {
  std::string out(kFormatLine);
  out += kCommittedKey;
  out.append(kCommittedDigits, '0');
  out += '\n';
  at_.hash = kHashStart;
  hashed(out, identity_line_);
  out += "end " + hex16(at_.hash) + "\n";
  at_.length = out.size();
  out.replace(kCommittedOffset, kCommittedDigits, committed_digits());
  return out;
}

std::string CheckpointEncoder::committed_digits() const {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llu", static_cast<unsigned long long>(at_.length));
  return buf;
}

std::string CheckpointEncoder::save(const std::vector<PartState>& parts) {
  std::string out;
  for (std::size_t i = 0; i < parts.size() && i < at_.tree_saved.size(); ++i) {
    const PartState& p = parts[i];
    if (p.tree.size() == at_.tree_saved[i] && p.boxes == at_.boxes_saved[i]) continue;
    const std::size_t tree_new = p.tree.size() - at_.tree_saved[i], leaves_new = p.leaves.size() - at_.leaves_saved[i];
    hashed(out, "part " + std::to_string(i) + " " + std::to_string(p.boxes) + " " + std::to_string(tree_new) + " " +
                    std::to_string(leaves_new) + "\n");
    hashed(out, std::string_view(p.tree).substr(at_.tree_saved[i]));
    std::string letters(leaves_new, 'O');
    for (std::size_t k = 0; k < leaves_new; ++k) letters[k] = letter_of(p.leaves[at_.leaves_saved[i] + k]);
    letters += '\n';
    hashed(out, letters);
    at_.tree_saved[i] = p.tree.size();
    at_.leaves_saved[i] = p.leaves.size();
    at_.boxes_saved[i] = p.boxes;
  }
  if (out.empty()) return out;
  out += "end " + hex16(at_.hash) + "\n";
  at_.length += out.size();
  return out;
}

namespace {

/// Reads the records of a checkpoint's committed bytes.
struct Reader {
  std::string_view text;
  std::size_t pos = 0;

  [[noreturn]] void malformed(const std::string& what) const {
    refuse("malformed at byte " + std::to_string(pos) + " (" + what + ")");
  }
  bool at(std::string_view word) const { return text.substr(pos, word.size()) == word; }
  void expect(std::string_view word) {
    if (!at(word)) malformed("expected '" + std::string(word.substr(0, word.find('\n'))) + "'");
    pos += word.size();
  }
  /// A decimal number of at most 16 digits followed by `end`.
  std::uint64_t number(char end) {
    std::uint64_t v = 0;
    std::size_t digits = 0;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      if (++digits > 16) malformed("number too long");
      v = 10 * v + static_cast<std::uint64_t>(text[pos++] - '0');
    }
    if (digits == 0 || pos >= text.size() || text[pos] != end) malformed("expected a number");
    ++pos;
    return v;
  }
  std::string_view bytes(std::uint64_t n) {
    if (n > text.size() - pos) malformed("a record longer than the file");
    const std::string_view out = text.substr(pos, n);
    pos += n;
    return out;
  }
};

/// "--n (3 there, 4 here)": the first setting in which the checkpoint's run differs from this one.
std::string identity_difference(const json& saved, const json& wanted) {
  auto text = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  if (!saved.is_object()) return "an identity that is not a JSON object";
  // The definition hash depends on the parameters (the form's variables): named after them.
  for (const char* key : {"obligation", "prover", "shard", "parameters", "definition_hash"}) {
    if (!saved.contains(key)) return std::string("an identity without '") + key + "'";
    const json& a = saved.at(key);
    const json& b = wanted.at(key);
    if (a == b) continue;
    if (std::string(key) == "parameters") {
      if (!a.is_object()) return "parameters that are not a JSON object";
      for (const auto& [name, value] : b.items()) {
        const json there = a.contains(name) ? a.at(name) : json("absent");
        if (there != value) return "--" + name + " (" + text(there) + " there, " + text(value) + " here)";
      }
      for (const auto& [name, value] : a.items())
        if (!b.contains(name)) return "parameter '" + name + "' (unknown here)";
    }
    if (std::string(key) == "shard" && a.is_array() && a.size() == 2)
      return "--shard (" + text(a[0]) + "/" + text(a[1]) + " there, " + text(b[0]) + "/" + text(b[1]) + " here)";
    if (std::string(key) == "definition_hash")
      return "the definition of the obligation (" + text(a) + " there, " + text(b) + " here: another certbound version)";
    if (std::string(key) == "prover") return "the prover's splitting rule (" + text(a) + " there, " + text(b) + " here)";
    return std::string(key) + " (" + text(a) + " there, " + text(b) + " here)";
  }
  for (const auto& [key, value] : saved.items())
    if (!wanted.contains(key)) return "identity field '" + key + "' (unknown here)";
  return "";
}

LeafClosure closure_of_letter(char ch) {
  switch (ch) {
    case 'M': return LeafClosure::margin;
    case 'H': return LeafClosure::outside;
    case 'R': return LeafClosure::refuted;
    case 'O': return LeafClosure::open;
  }
  refuse(std::string("unknown leaf letter '") + (std::isprint(static_cast<unsigned char>(ch)) ? std::string(1, ch) : "?") + "'");
}

/// Replays a part's tree as the prover explores it (pop a box; a split records S<k> and pushes the
/// upper then the lower half; a leaf records L) and re-checks each leaf's claimed closure on the
/// box it stands for. Leaves the pending boxes on the state's stack: the prover resumes from them.
/// Re-checking the leaves is not enough alone: an edited tree could drop a pending box and claim
/// coverage of a region never explored; the replay makes every box either a leaf or pending.
void replay_part(PartState& st, std::size_t part, const Obligation& ob, const ProofForm& form, const Settings& s) {
  const std::string where = "part " + std::to_string(part) + ": ";
  std::vector<Box> pending{st.box};
  std::size_t pos = 0, leaf = 0;
  long long splits = 0;
  while (pos < st.tree.size()) {
    if (pending.empty()) refuse(where + "the tree is longer than its part");
    Box box = std::move(pending.back());
    pending.pop_back();
    const char ch = st.tree[pos++];
    if (ch == 'S') {
      std::size_t k = 0, digits = 0;
      for (; pos < st.tree.size() && std::isdigit(static_cast<unsigned char>(st.tree[pos])) && digits < 4; ++pos, ++digits)
        k = 10 * k + static_cast<std::size_t>(st.tree[pos] - '0');
      if (digits == 0 || k >= box.size()) refuse(where + "a split names no coordinate of the box");
      auto [lo, hi] = bisect(box, k);
      pending.push_back(std::move(hi));
      pending.push_back(std::move(lo));
      ++splits;
      continue;
    }
    if (ch != 'L') refuse(where + "the tree has an unknown node");
    if (leaf >= st.leaves.size()) refuse(where + "the tree has more leaves than letters");
    const LeafClosure c = st.leaves[leaf++];
    if (c == LeafClosure::margin || c == LeafClosure::outside) {
      // As the prover closes boxes: double intervals, then 128 bits (narrow boxes close there).
      std::string why = recheck_leaf(ob, form, s, box, c, 53);
      if (!why.empty()) why = recheck_leaf(ob, form, s, box, c, 128);
      if (!why.empty()) refuse(where + "a closed leaf does not re-check (" + why + ")");
    } else if (c == LeafClosure::refuted) {
      // A reduced form's points (e.g. of a Jacobian bound) are not inputs of the statement.
      if (!form.refutable_by_points) refuse(where + "refutation claimed for a form whose points are not statement inputs");
      const Case mid = box_midpoint_case(form, box);
      const CaseResult r = certify(ob, mid, s);
      if (r.status != CaseStatus::violated) refuse(where + "a refuted leaf does not re-certify");
      if (!st.counterexample) st.counterexample = CertifiedCase{mid, r};
    }
  }
  if (leaf != st.leaves.size()) refuse(where + "letters for leaves that the tree does not have");
  const long long nodes = splits + static_cast<long long>(st.leaves.size());
  if (st.boxes < splits || st.boxes > nodes) refuse(where + "a box count the tree does not allow");
  st.stack = std::move(pending);
  st.done = st.stack.empty();
}

}  // namespace

CheckpointPosition restore_checkpoint(std::string_view bytes, const json& identity, std::vector<PartState>& parts,
                                      const Obligation& ob, const ProofForm& form, const Settings& s) {
  if (bytes.substr(0, kFormatLine.size()) != kFormatLine) {
    const auto first = bytes.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && bytes[first] == '{' &&
        bytes.find("certbound.checkpoint") != std::string_view::npos)
      refuse("an older format (JSON) that this certbound does not read; delete it to start the run again");
    if (bytes.substr(0, 21) == "certbound.checkpoint ")
      refuse("format '" + std::string(bytes.substr(21, std::min<std::size_t>(8, bytes.find('\n') - 21))) +
             "', this certbound reads format " + std::to_string(kCheckpointFormat));
    const bool prefix = !bytes.empty() && kFormatLine.substr(0, bytes.size()) == bytes;
    refuse(prefix ? "truncated (in the header)" : "not a certbound checkpoint");
  }
  if (bytes.size() < kHeaderFixed) refuse("truncated (in the header)");
  Reader header{bytes, kFormatLine.size()};
  header.expect(kCommittedKey);
  const std::uint64_t committed = header.number('\n');
  if (header.pos != kHeaderFixed) header.malformed("the committed length");
  if (committed > bytes.size())
    refuse("truncated: " + std::to_string(bytes.size()) + " bytes of the " + std::to_string(committed) + " saved");
  // Bytes past the committed length are a save that a killed run did not finish: ignored.
  Reader r{bytes.substr(0, committed), kHeaderFixed};
  CheckpointPosition at;
  at.hash = kHashStart;
  const std::size_t line_end = r.text.find('\n', r.pos);
  if (line_end == std::string_view::npos) r.malformed("the run identity");
  const std::string_view identity_line = r.text.substr(r.pos, line_end + 1 - r.pos);
  json saved;
  try {
    saved = json::parse(identity_line);
  } catch (const json::exception&) {
    r.malformed("the run identity is not JSON");
  }
  r.pos = line_end + 1;
  at.hash = hash_more(at.hash, identity_line);
  if (const std::string diff = identity_difference(saved, identity); !diff.empty())
    refuse("written by another run: " + diff + "; only --max-boxes and --threads may change on resume");

  for (PartState& p : parts) {
    p.tree.clear();
    p.leaves.clear();
    p.boxes = 0;
  }
  at.tree_saved.assign(parts.size(), 0);
  at.leaves_saved.assign(parts.size(), 0);
  at.boxes_saved.assign(parts.size(), 0);
  bool ended = false;
  while (r.pos < r.text.size()) {
    const std::size_t start = r.pos;
    if (r.at("end ")) {
      r.pos += 4;
      const std::string_view sum = r.bytes(16);
      r.expect("\n");
      if (sum != hex16(at.hash)) refuse("corrupted (checksum mismatch before byte " + std::to_string(r.pos) + ")");
      ended = true;
      continue;
    }
    ended = false;
    r.expect("part ");
    const std::uint64_t index = r.number(' ');
    const std::uint64_t boxes = r.number(' ');
    const std::uint64_t tree_bytes = r.number(' ');
    const std::uint64_t leaf_count = r.number('\n');
    if (index >= parts.size()) r.malformed("part " + std::to_string(index) + " of " + std::to_string(parts.size()));
    if (boxes > 1000000000000ull) r.malformed("box count");
    PartState& p = parts[index];
    if (!p.owned) refuse("part " + std::to_string(index) + " belongs to another shard but has a tree here");
    p.tree.append(r.bytes(tree_bytes));
    for (char ch : r.bytes(leaf_count)) p.leaves.push_back(closure_of_letter(ch));
    r.expect("\n");
    p.boxes = static_cast<long long>(boxes);
    at.hash = hash_more(at.hash, r.text.substr(start, r.pos - start));
  }
  if (!ended) refuse("malformed (the committed bytes do not end with a complete save)");
  at.length = committed;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!parts[i].owned) continue;
    replay_part(parts[i], i, ob, form, s);
    at.tree_saved[i] = parts[i].tree.size();
    at.leaves_saved[i] = parts[i].leaves.size();
    at.boxes_saved[i] = parts[i].boxes;
  }
  return at;
}

}  // namespace certbound
