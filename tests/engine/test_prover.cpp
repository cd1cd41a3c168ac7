// certbound prove and verify-certificate, end to end: the small proofs the paper's statements
// admit, refutation with a replayable counterexample, certificates that reject every edit, and
// trees that do not depend on the thread count.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "certbound/engine/checkpoint.hpp"
#include "certbound/engine/prover.hpp"
#include "certbound/obligation/obligation.hpp"
#include "run_cli.hpp"

using certbound::test::line_count;
using certbound::test::run_cli;
using certbound::test::scratch_dir;
using certbound::test::slurp;
using nlohmann::json;

TEST_SUITE("prover") {

TEST_CASE("the statements required at n 2 and d 1 are proved with valid certificates, on the box where that is all") {
  const std::string dir = scratch_dir("prove-small");
  // The mean-value forms cover the statements' whole domains; the sharp statements are about
  // every z ∈ ℝⁿ (every A, x, y; any x_t; any A_t, A_{t+1}) and their boxes cover only
  // z ∈ [−R², R²]ⁿ (entries in [−R, R]).
  const std::pair<const char*, const char*> expected[] = {
      {"lip_x.u", "proved"},     {"lip_x.alpha", "proved"},        {"lip_x.f", "proved"},
      {"lip_a.f", "proved"},     {"thm.shift_x", "proved"},        {"thm.shift_a", "proved"},
      {"sharp.lip_x.f", "proved-on-box"}, {"sharp.softmax_jacobian", "proved-on-box"},
      {"sharp.shift_x", "proved-on-box"}, {"sharp.shift_a", "proved-on-box"}};
  for (const auto& entry : expected) {  // no structured bindings: clang cannot CAPTURE them
    const char* id = entry.first;
    const char* status = entry.second;
    CAPTURE(id);
    const std::string cert = dir + "/" + id + ".cert";
    const auto r = run_cli(std::string("prove ") + id + " --n 2 --d 1 --R 4 --certificate " + cert + " --json " + dir + "/r.json", dir);
    CAPTURE(r.out);
    const int code = std::string(status) == "proved" ? 0 : 5;
    CHECK(r.code == code);
    const json j = json::parse(slurp(dir + "/r.json"));
    CHECK(j.at("results")[0].at("status") == status);
    CHECK(j.at("results")[0].at("coverage").get<double>() == 1.0);
    const auto v = run_cli("verify-certificate " + cert, dir);
    CAPTURE(v.out);
    CHECK(v.code == code);
    CHECK(v.out.rfind(std::string("valid: ") + status + ", 0 open leaves, ", 0) == 0);
    if (code == 5) {
      CHECK(r.out.find("proved on a box only") != std::string::npos);
      CHECK(v.out.find("on the box") != std::string::npos);
    }
  }
}

TEST_CASE("sharp statements with three and four coordinates are proved on their boxes") {
  for (const char* args : {"sharp.lip_x.f --n 3 --d 1", "sharp.softmax_jacobian --n 3", "sharp.softmax_jacobian --n 4"}) {
    CAPTURE(args);
    CHECK(run_cli(std::string("prove ") + args).code == 5);
  }
}

TEST_CASE("sharp softmax Jacobian at scale 0.99 is refuted with a counterexample that replays") {
  const std::string dir = scratch_dir("prove-refute");
  const auto r = run_cli("prove sharp.softmax_jacobian --n 2 --scale 0.99 --counterexamples " + dir + "/cx --certificate " +
                             dir + "/c.cert",
                         dir);
  CAPTURE(r.out);
  CHECK(r.code == 1);
  CHECK(r.out.find("refuted") != std::string::npos);
  const auto replay = run_cli("replay " + dir + "/cx/sharp.softmax_jacobian.json", dir);
  CHECK(replay.code == 0);
  CHECK(replay.out.find("scale = 0.99") != std::string::npos);  // replay names what it confirmed
  const auto v = run_cli("verify-certificate " + dir + "/c.cert", dir);
  CAPTURE(v.out);
  CHECK(v.code == 1);  // valid, and what it establishes is a refutation
  CHECK(v.out.rfind("valid: refuted", 0) == 0);
}

TEST_CASE("a far too small constant is never proved") {
  // The mutation test of the prover: lip_x.f's constant scaled by 1e-40 is false at R = 4.
  const auto r = run_cli("prove lip_x.f --n 2 --d 1 --scale 1e-40 --max-boxes 2000");
  CHECK(r.code == 3);
  CHECK(r.out.find("undetermined") != std::string::npos);
}

TEST_CASE("regression: a leaf closed by its margin in double intervals and found outside the domain at 128 bits verifies") {
  // At R = 1.7 (not a double) boxes whose every matrix has ‖A‖ just above R were closed by their
  // margin in double intervals, where ‖A‖ ≤ R stays undecided; at 128 bits the hypothesis certainly
  // fails, and verify-certificate used to reject the leaf ("margin not certainly ≥ 0") although it
  // is closed either way.
  const std::string dir = scratch_dir("prove-outside-at-128");
  // (lip_x.alpha at scale 0.3: with the hypotheses' contraction lip_x.u now closes at the root, and
  // this run has boxes of both kinds; accepting only the claimed closure fails it at leaf 153.)
  const auto p = run_cli("prove lip_x.alpha --n 2 --d 2 --R 1.7 --scale 0.3 --quiet --certificate " + dir + "/c.cert", dir);
  REQUIRE(p.code == 0);
  const auto v = run_cli("verify-certificate " + dir + "/c.cert", dir);
  CAPTURE(v.out);
  CHECK(v.code == 0);
  CHECK(v.out.find("valid: proved") != std::string::npos);
}

TEST_CASE("edited or truncated certificates never verify") {
  const std::string dir = scratch_dir("prove-edit");
  REQUIRE(run_cli("prove sharp.softmax_jacobian --n 3 --certificate " + dir + "/c.cert", dir).code == 5);
  const std::string text = slurp(dir + "/c.cert");
  const json c = json::parse(text);
  auto write = [&](const std::string& name, const json& j) { std::ofstream(dir + "/" + name) << j.dump(); };
  json finer = c;  // a finer but still correct tree: valid mathematics, but not what the prover wrote
  finer["tree"] = c["tree"].get<std::string>().replace(c["tree"].get<std::string>().find('L'), 1, "S0LL");
  finer["leaves"].insert(finer["leaves"].begin(), "margin");
  write("finer.cert", finer);
  json status = c;
  status["status"] = "refuted";
  write("status.cert", status);
  json hash = c;
  hash["definition_hash"] = "0000000000000000";
  write("hash.cert", hash);
  json scale = c;
  scale["parameters"]["scale"] = "0.5";
  write("scale.cert", scale);
  for (const char* f : {"finer.cert", "status.cert", "hash.cert", "scale.cert"}) {
    CAPTURE(f);
    const auto v = run_cli("verify-certificate " + dir + "/" + f, dir);
    CHECK(v.code == 7);
    CHECK(v.out.rfind("invalid", 0) == 0);
  }
  json fewer = c;
  fewer["leaves"].erase(fewer["leaves"].size() - 1);
  write("fewer.cert", fewer);
  json bad_tree = c;
  bad_tree["tree"] = "S99LL";
  write("badtree.cert", bad_tree);
  std::ofstream(dir + "/trunc.cert") << text.substr(0, text.size() / 2);
  for (const char* f : {"fewer.cert", "badtree.cert", "trunc.cert"}) {
    CAPTURE(f);
    const auto v = run_cli("verify-certificate " + dir + "/" + f, dir);
    CHECK(v.code == 2);
    CHECK(line_count(v.err) == 1);
  }
}

TEST_CASE("the split tree does not depend on the thread count") {
  const std::string dir = scratch_dir("prove-threads");
  REQUIRE(run_cli("prove sharp.softmax_jacobian --n 3 --scale 0.999 --max-boxes 4000 --threads 1 --certificate " + dir +
                      "/a.cert",
                  dir)
              .code != 2);
  REQUIRE(run_cli("prove sharp.softmax_jacobian --n 3 --scale 0.999 --max-boxes 4000 --threads 2 --certificate " + dir +
                      "/b.cert",
                  dir)
              .code != 2);
  json a = json::parse(slurp(dir + "/a.cert")), b = json::parse(slurp(dir + "/b.cert"));
  CHECK(a.at("tree") == b.at("tree"));
  CHECK(a.at("leaves") == b.at("leaves"));
  CHECK(a.at("checksum") == b.at("checksum"));
}

TEST_CASE("shards merge into the certificate of the unsharded run") {
  const std::string dir = scratch_dir("prove-shards");
  const std::string run = "prove sharp.softmax_jacobian --n 3 --scale 0.999 --max-boxes 6000";
  REQUIRE(run_cli(run + " --certificate " + dir + "/full.cert", dir).code == 1);
  std::string files;
  for (int i = 1; i <= 3; ++i) {
    const std::string cert = dir + "/s" + std::to_string(i) + ".cert";
    const auto r = run_cli(run + " --shard " + std::to_string(i) + "/3 --certificate " + cert, dir);
    CHECK(r.code != 2);
    const auto v = run_cli("verify-certificate " + cert, dir);
    CAPTURE(v.out);
    CHECK(v.code == r.code);  // refuted 1, undetermined 3 or partial 6: never a proof
    CHECK(v.out.rfind("valid: ", 0) == 0);
    CHECK(v.out.find(std::to_string(i) + "/3: its own parts only") != std::string::npos);
    files += " " + cert;
  }
  const auto m = run_cli("merge" + files + " --certificate " + dir + "/merged.cert", dir);
  CHECK(m.code == 1);  // refuted, like the unsharded run
  const json merged = json::parse(slurp(dir + "/merged.cert")), full = json::parse(slurp(dir + "/full.cert"));
  CHECK(merged.at("tree") == full.at("tree"));
  CHECK(merged.at("leaves") == full.at("leaves"));
  CHECK(run_cli("verify-certificate " + dir + "/merged.cert", dir).code == 1);
  // Missing, duplicated, or mismatched shards are refused.
  CHECK(run_cli("merge " + dir + "/s1.cert " + dir + "/s2.cert", dir).code == 2);
  CHECK(run_cli("merge " + dir + "/s1.cert " + dir + "/s1.cert " + dir + "/s3.cert", dir).code == 2);
  REQUIRE(run_cli("prove sharp.softmax_jacobian --n 3 --scale 0.998 --max-boxes 6000 --shard 3/3 --certificate " + dir +
                      "/other.cert",
                  dir)
              .code != 2);
  CHECK(run_cli("merge " + dir + "/s1.cert " + dir + "/s2.cert " + dir + "/other.cert", dir).code == 2);
}

namespace {
/// The run of the checkpoint tests and its checkpoint identity.
const char* const kCheckpointRun = "prove lip_x.f --n 2 --d 1 --scale 1e-40";
certbound::Settings checkpoint_run_settings() {
  certbound::Settings s;
  s.n = 2;
  s.d = 1;
  s.scale = "1e-40";
  return s;
}

/// Rewrite the checkpoint at `path` with its part states changed by `edit`, as a well-formed file
/// with valid checksums (an edit, not a corruption): what the reader must catch is the content.
template <class Edit>
void forge_checkpoint(const std::string& path, Edit edit) {
  using namespace certbound;
  const Obligation& ob = *find_obligation("lip_x.f");
  const Settings s = checkpoint_run_settings();
  const ProofForm form = *ob.proof_form(s);
  std::vector<Box> boxes;
  split_top(root_box(form), top_depth(1), boxes);
  std::vector<PartState> parts(boxes.size());
  for (size_t i = 0; i < parts.size(); ++i) parts[i].box = boxes[i];
  const auto identity = checkpoint_identity(ob, form, s, 1, 1);
  restore_checkpoint(slurp(path), identity, parts, ob, form, s);
  edit(parts);
  CheckpointEncoder encoder(identity, parts.size());
  std::string text = encoder.header();
  text += encoder.save(parts);
  text.replace(CheckpointEncoder::kCommittedOffset, CheckpointEncoder::kCommittedDigits, encoder.committed_digits());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

/// The certificate's content: every field but the unverified provenance.
json certificate_content(json c) {
  c.erase("unverified");
  return c;
}
}  // namespace

TEST_CASE("a run killed at any moment resumes from its checkpoint to the uninterrupted result") {
  const std::string dir = scratch_dir("prove-checkpoint");
  const std::string run = std::string(kCheckpointRun) + " --max-boxes 30000";
  const std::string ck = dir + "/ck.cpt";
  REQUIRE(run_cli(run + " --certificate " + dir + "/whole.cert", dir).code == 3);
  const json whole = json::parse(slurp(dir + "/whole.cert"));
  for (const char* kill_after : {"0.1", "0.2", "0.4"}) {
    CAPTURE(kill_after);
    std::filesystem::remove(ck);
    const std::string killed = std::string("timeout -s KILL ") + kill_after + " " + CERTBOUND_BINARY + " " + run +
                               " --checkpoint " + ck + " --certificate " + dir + "/part.cert >/dev/null 2>&1";
    std::system(killed.c_str());
    const auto resumed = run_cli(run + " --checkpoint " + ck + " --certificate " + dir + "/resumed.cert", dir);
    CHECK(resumed.code == 3);
    CHECK(certificate_content(json::parse(slurp(dir + "/resumed.cert"))) == certificate_content(whole));
  }
  // A few bytes per box: the tree and a letter per leaf.
  std::filesystem::remove(ck);
  REQUIRE(run_cli(run + " --checkpoint " + ck, dir).code == 3);
  const double per_box = static_cast<double>(std::filesystem::file_size(ck)) / 30000.0;
  CAPTURE(per_box);
  CHECK(per_box <= 16);
  CHECK(per_box >= 1);  // every box is in it
  // A save that a killed run left unfinished lies past the committed length: ignored.
  std::ofstream(ck, std::ios::app | std::ios::binary) << "part 3 99 4 1\nS0LL";
  {
    const auto r = run_cli(run + " --checkpoint " + ck + " --certificate " + dir + "/resumed.cert", dir);
    CHECK(r.code == 3);
    CHECK(certificate_content(json::parse(slurp(dir + "/resumed.cert"))) == certificate_content(whole));
  }
}

TEST_CASE("a larger --max-boxes extends a checkpointed run to the run with that budget") {
  const std::string dir = scratch_dir("prove-extend");
  const std::string ck = dir + "/ck.cpt";
  REQUIRE(run_cli(std::string(kCheckpointRun) + " --max-boxes 30000 --certificate " + dir + "/whole.cert", dir).code == 3);
  REQUIRE(run_cli(std::string(kCheckpointRun) + " --max-boxes 12000 --checkpoint " + ck + " --certificate " + dir + "/small.cert", dir).code == 3);
  const auto r = run_cli(std::string(kCheckpointRun) + " --max-boxes 30000 --checkpoint " + ck + " --certificate " + dir +
                             "/extended.cert --json " + dir + "/extended.json",
                         dir);
  CHECK(r.code == 3);
  const json whole = json::parse(slurp(dir + "/whole.cert")), extended = json::parse(slurp(dir + "/extended.cert"));
  CHECK(json::parse(slurp(dir + "/small.cert")).at("tree") != whole.at("tree"));
  CHECK(certificate_content(extended) == certificate_content(whole));
  CHECK(json::parse(slurp(dir + "/extended.json")).at("results").at(0).at("boxes") == 30000);
}

TEST_CASE("checkpoints of another run, another format, truncated or edited are refused with exit 2") {
  const std::string dir = scratch_dir("prove-checkpoint-refused");
  const std::string run = std::string(kCheckpointRun) + " --max-boxes 3000";
  const std::string ck = dir + "/ck.cpt";
  auto fresh = [&] {
    std::filesystem::remove(ck);
    REQUIRE(run_cli(run + " --checkpoint " + ck, dir).code == 3);
  };
  auto refused = [&](const std::string& args, const std::string& why) {
    const auto r = run_cli(args + " --checkpoint " + ck, dir);
    CAPTURE(args);
    CAPTURE(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find(why) != std::string::npos);
    CHECK(line_count(r.err) == 1);
  };
  // Another run: the differing setting is named.
  fresh();
  refused("prove lip_x.f --n 2 --d 1 --scale 1e-39 --max-boxes 3000", "--scale (1e-40 there, 1e-39 here)");
  refused("prove lip_x.f --n 3 --d 1 --scale 1e-40 --max-boxes 3000", "--n (2 there, 3 here)");
  refused("prove lip_x.f --n 2 --d 1 --scale 1e-40 --R 3 --max-boxes 3000", "--R (4 there, 3 here)");
  refused("prove lip_x.f --n 2 --d 1 --scale 1e-40 --max-boxes 3000 --shard 1/2", "--shard (1/1 there, 1/2 here)");
  refused("prove lip_x.u --n 2 --d 1 --max-boxes 3000", "obligation (lip_x.f there, lip_x.u here)");
  // The threads may change.
  CHECK(run_cli(run + " --threads 2 --checkpoint " + ck, dir).code == 3);
  // Truncated below its committed length.
  const std::string bytes = slurp(ck);
  std::ofstream(ck, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() / 2);
  refused(run, "truncated");
  std::ofstream(ck, std::ios::binary | std::ios::trunc) << bytes.substr(0, 10);
  refused(run, "truncated");
  // A corrupted byte.
  std::string corrupted = bytes;
  corrupted[corrupted.size() - 30] = corrupted[corrupted.size() - 30] == 'M' ? 'O' : 'M';
  std::ofstream(ck, std::ios::binary | std::ios::trunc) << corrupted;
  refused(run, "checkpoint");
  // The JSON checkpoints of earlier versions.
  std::ofstream(ck, std::ios::binary | std::ios::trunc) << R"({"kind":"certbound.checkpoint","schema_version":1,"parts":[]})";
  refused(run, "older format");
  std::ofstream(ck, std::ios::binary | std::ios::trunc) << "hello\n";
  refused(run, "not a certbound checkpoint");
  // Edited content with valid checksums: a closure that does not re-check, leaves that the tree
  // does not have (an open leaf dropped would claim coverage of a region never explored).
  fresh();
  forge_checkpoint(ck, [](std::vector<certbound::PartState>& parts) {
    for (auto& p : parts)
      for (auto& c : p.leaves)
        if (c == certbound::LeafClosure::open) {
          c = certbound::LeafClosure::margin;
          return;
        }
    FAIL("no open leaf to edit");
  });
  refused(run, "does not re-check");
  fresh();
  forge_checkpoint(ck, [](std::vector<certbound::PartState>& parts) {
    for (auto& p : parts)
      if (!p.leaves.empty()) {
        p.leaves.pop_back();
        return;
      }
  });
  refused(run, "tree");
  fresh();
  forge_checkpoint(ck, [](std::vector<certbound::PartState>& parts) { parts[0].tree += "S99"; });
  refused(run, "coordinate");
}

TEST_CASE("leaf boxes replayed from the tree are the boxes the prover split, bit for bit") {
  // The prover keeps only the tree and one closure per leaf; coverage, open boxes and checkpoints
  // replay the boxes. Compare with the explicit depth-first replay by bisect() (pop; S<k> pushes
  // the upper then the lower half), on a run that is interrupted by its budget and one that closes.
  using namespace certbound;
  for (const char* scale : {"1e-40", "1"}) {
    CAPTURE(scale);
    ProveOptions o;
    o.settings.n = 2;
    o.settings.d = 1;
    o.settings.scale = scale;
    o.max_boxes = 3000;
    const ProofResult r = prove(*find_obligation("lip_x.f"), o);
    std::vector<Box> replayed, expected, pending{r.root};
    for_each_leaf(r.tree, r.root, [&](const Box& b, bool other_shard) {
      CHECK_FALSE(other_shard);
      replayed.push_back(b);
      return true;
    });
    for (size_t pos = 0; pos < r.tree.size();) {
      REQUIRE_FALSE(pending.empty());
      const Box box = pending.back();
      pending.pop_back();
      if (r.tree[pos++] == 'L') {
        expected.push_back(box);
        continue;
      }
      size_t k = 0;
      while (pos < r.tree.size() && r.tree[pos] >= '0' && r.tree[pos] <= '9') k = 10 * k + static_cast<size_t>(r.tree[pos++] - '0');
      auto [lo, hi] = bisect(box, k);
      pending.push_back(hi);
      pending.push_back(lo);
    }
    CHECK(pending.empty());
    CHECK(replayed.size() == r.leaves.size());
    CHECK(replayed == expected);
    // Stopping early visits a prefix.
    size_t visits = 0;
    for_each_leaf(r.tree, r.root, [&](const Box&, bool) { return ++visits < 5; });
    CHECK(visits == std::min<size_t>(5, expected.size()));
  }
}

TEST_CASE("prove rejects bad input with exit 2") {
  for (const char* args : {"prove no.such", "prove id.gradient", "prove lip_x.f --n 0", "prove lip_x.f --max-boxes 1",
                           "prove lip_x.f --n 100 --d 100", "verify-certificate /nonexistent", "prove lip_x.f --shard 0/2",
                           "prove lip_x.f --shard 3/2", "prove lip_x.f --shard x", "merge /nonexistent"}) {
    CAPTURE(args);
    const auto r = run_cli(args);
    CHECK(r.code == 2);
    CHECK(line_count(r.err) == 1);
  }
}

}  // TEST_SUITE
