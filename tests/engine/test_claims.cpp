// Every claim certbound prints is exactly what was checked: forged certificates are rejected or
// reported with their true status, a proof of a box is never called a proof of the statement, a
// shard is never a whole proof, and the status words are defined once (README included).
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "certbound/engine/proof_checker.hpp"
#include "certbound/engine/certify.hpp"
#include "certbound/engine/prover.hpp"
#include "certbound/engine/status.hpp"
#include "certbound/obligation/obligation.hpp"
#include "run_cli.hpp"

using certbound::test::line_count;
using certbound::test::run_cli;
using certbound::test::scratch_dir;
using certbound::test::slurp;
using nlohmann::json;

namespace {

/// What anyone can do to a certificate: edit it, then store the checksum of the edited content.
void write_forged(const std::string& path, json certificate) {
  certificate["checksum"] = certbound::certificate_checksum(certificate);
  std::ofstream(path) << certificate.dump();
}

json prove_to_json(const std::string& args, const std::string& dir, const std::string& name, int expected_code) {
  const auto r = run_cli("prove " + args + " --certificate " + dir + "/" + name, dir);
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE(r.code == expected_code);
  return json::parse(slurp(dir + "/" + name));
}

}  // namespace

TEST_SUITE("claims") {

TEST_CASE("refuted leaves stored under the status proved are reported as what they establish") {
  // The forgery: a refutation (‖J‖ = ½ > 0.45 at z = 0) relabelled as a proof with a one-leaf tree.
  const std::string dir = scratch_dir("claims-forged-status");
  json c = prove_to_json("sharp.softmax_jacobian --n 2 --R 0.1 --scale 0.9", dir, "r.cert", 1);
  CHECK(c.at("status") == "refuted");
  c["status"] = "proved";
  c["tree"] = "L";
  c["leaves"] = json::array({"refuted"});
  write_forged(dir + "/forged.cert", c);
  const auto v = run_cli("verify-certificate " + dir + "/forged.cert", dir);
  CAPTURE(v.out);
  CHECK(v.code == certbound::kInvalid);
  CHECK(v.out.rfind("invalid: stored status 'proved' but the leaves establish 'refuted'", 0) == 0);
  // The honest one-leaf version of the same file is a valid refutation.
  c["status"] = "refuted";
  write_forged(dir + "/honest.cert", c);
  const auto h = run_cli("verify-certificate " + dir + "/honest.cert", dir);
  CAPTURE(h.out);
  CHECK(h.code == certbound::kViolated);
  CHECK(h.out.rfind("valid: refuted, 0 open leaves, 1 closed leaves re-checked", 0) == 0);
}

TEST_CASE("an edited claim is named even with the checksum recomputed") {
  const std::string dir = scratch_dir("claims-edited");
  const json c = prove_to_json("sharp.softmax_jacobian --n 2 --R 0.1", dir, "c.cert", certbound::kProvedOnBox);
  const std::pair<const char*, json> edits[] = {
      {"proved_statement", "the statement for every z"},
      {"statement", "‖diag(p) − ppᵀ‖ ≤ ¼"},
      {"reduction", "by inspection"},
      {"variables", json::array({"z(0,0)"})},
      {"domain_covered", "the statement's whole domain"},
      {"root_box", json::array({json::array({"-0x1p+0", "0x1p+0"}), json::array({"-0x1p+0", "0x1p+0"})})},
      {"statement_provenance", "confirmed"},
      {"constant", "¼"},
  };
  for (const auto& edit : edits) {  // no structured bindings: clang cannot CAPTURE them
    const char* field = edit.first;
    const json& value = edit.second;
    CAPTURE(field);
    json e = c;
    e["claim"][field] = value;
    write_forged(dir + "/e.cert", e);
    const auto v = run_cli("verify-certificate " + dir + "/e.cert", dir);
    CAPTURE(v.out);
    CHECK(v.code == certbound::kInvalid);
    CHECK(v.out.find(std::string("field 'claim.") + field + "' differs") != std::string::npos);
  }
  // A field that is neither re-derived nor under "unverified" is refused as unreadable.
  json extra = c;
  extra["note"] = "proved for every z ∈ ℝⁿ";
  write_forged(dir + "/extra.cert", extra);
  const auto v = run_cli("verify-certificate " + dir + "/extra.cert", dir);
  CHECK(v.code == certbound::kBadInput);
  CHECK(v.err.find("unknown field 'note'") != std::string::npos);
  CHECK(line_count(v.err) == 1);
}

TEST_CASE("parameters that prove refuses are refused by the checker") {
  const std::string dir = scratch_dir("claims-parameters");
  const json c = prove_to_json("sharp.softmax_jacobian --n 2 --R 0.1", dir, "c.cert", certbound::kProvedOnBox);
  const std::pair<const char*, json> edits[] = {
      {"n", 65}, {"n", 0}, {"beta", "tight"}, {"beta", "0.5"}, {"scale", "0"}, {"scale", "-1"}, {"R", "abc"},
      {"R", "1e7"}};
  for (const auto& edit : edits) {
    const char* key = edit.first;
    const json& value = edit.second;
    CAPTURE(key);
    CAPTURE(value.dump());
    json e = c;
    e["parameters"][key] = value;
    write_forged(dir + "/p.cert", e);
    const auto v = run_cli("verify-certificate " + dir + "/p.cert", dir);
    CAPTURE(v.err);
    CHECK(v.code == certbound::kBadInput);
    CHECK(line_count(v.err) == 1);
    CHECK(v.err.find("certificate:") != std::string::npos);
  }
  // prove refuses the same parameters.
  CHECK(run_cli("prove sharp.softmax_jacobian --n 65").code == certbound::kBadInput);
  CHECK(run_cli("prove sharp.softmax_jacobian --n 2 --beta tight").code == certbound::kBadInput);
}

TEST_CASE("a shard's certificate is partial and is never accepted as a whole proof") {
  const std::string dir = scratch_dir("claims-shard");
  const json shard = prove_to_json("lip_x.f --n 2 --d 1 --shard 1/4", dir, "s.cert", certbound::kPartial);
  CHECK(shard.at("status") == "partial");
  const auto v = run_cli("verify-certificate " + dir + "/s.cert", dir);
  CAPTURE(v.out);
  CHECK(v.code == certbound::kPartial);
  CHECK(v.out.rfind("valid: partial, 0 open leaves, ", 0) == 0);
  CHECK(v.out.find("shard        1/4") != std::string::npos);
  {  // the status claimed as proved
    json e = shard;
    e["status"] = "proved";
    write_forged(dir + "/e.cert", e);
    const auto r = run_cli("verify-certificate " + dir + "/e.cert", dir);
    CHECK(r.code == certbound::kInvalid);
    CHECK(r.out.find("stored status 'proved' but the leaves establish 'partial'") != std::string::npos);
  }
  {  // the shard claimed as the whole run
    json e = shard;
    e["status"] = "proved";
    e["shard"] = json::array({1, 1});
    write_forged(dir + "/w.cert", e);
    const auto r = run_cli("verify-certificate " + dir + "/w.cert", dir);
    CAPTURE(r.out);
    CHECK(r.code == certbound::kInvalid);
    CHECK(r.out.find("parts of other shards") != std::string::npos);
  }
  {  // another shard's parts claimed as one's own
    json e = shard;
    e["shard"] = json::array({2, 4});
    write_forged(dir + "/o.cert", e);
    const auto r = run_cli("verify-certificate " + dir + "/o.cert", dir);
    CAPTURE(r.out);
    CHECK(r.code == certbound::kInvalid);
    CHECK(r.out.find("belongs to another shard") != std::string::npos);
  }
  // The four shards merged are a proof.
  std::string files = " " + dir + "/s.cert";
  for (int i = 2; i <= 4; ++i) {
    const std::string name = "s" + std::to_string(i) + ".cert";
    prove_to_json("lip_x.f --n 2 --d 1 --shard " + std::to_string(i) + "/4", dir, name, certbound::kPartial);
    files += " " + dir + "/" + name;
  }
  CHECK(run_cli("merge" + files + " --certificate " + dir + "/m.cert", dir).code == certbound::kOk);
  const auto m = run_cli("verify-certificate " + dir + "/m.cert", dir);
  CAPTURE(m.out);
  CHECK(m.code == certbound::kOk);
  CHECK(m.out.rfind("valid: proved, 0 open leaves, ", 0) == 0);
  CHECK(m.out.find("merged_from") != std::string::npos);  // listed under "Not verified"
}

TEST_CASE("a proof of a box claimed as a proof of the statement is invalid") {
  const std::string dir = scratch_dir("claims-box");
  // The example of the vocabulary: at n = 8 the box z ∈ [−0.01, 0.01]⁸ keeps p near uniform, where
  // ‖J‖ ≈ 1/8 < ¼, but the statement is about every z, and p → (½, ½, 0, …) gives ‖J‖ → ½.
  json c = prove_to_json("sharp.softmax_jacobian --n 8 --R 0.1 --scale 0.5", dir, "c.cert", certbound::kProvedOnBox);
  CHECK(c.at("claim").at("domain_covered") == "z ∈ [−R², R²]ⁿ (the statement is for every z ∈ ℝⁿ)");
  c["status"] = "proved";
  write_forged(dir + "/e.cert", c);
  const auto v = run_cli("verify-certificate " + dir + "/e.cert", dir);
  CHECK(v.code == certbound::kInvalid);
  CHECK(v.out.find("the leaves establish 'proved-on-box'") != std::string::npos);
  // `check` on the whole statement finds the violations that the box excludes.
  const auto r = run_cli("check sharp.softmax_jacobian --n 8 --R 0.1 --scale 0.5 --counterexamples " + dir + "/cx", dir);
  CHECK(r.code == certbound::kViolated);
}

TEST_CASE("an undetermined certificate is a valid record of partial work") {
  const std::string dir = scratch_dir("claims-undetermined");
  const json c = prove_to_json("lip_x.f --n 2 --d 1 --scale 1e-40 --max-boxes 200", dir, "u.cert", certbound::kUndecided);
  long long open = 0, closed = 0;
  for (const auto& l : c.at("leaves")) (l == "open" ? open : closed) += 1;
  REQUIRE(open > 0);
  const auto v = run_cli("verify-certificate " + dir + "/u.cert", dir);
  CAPTURE(v.out);
  CHECK(v.code == certbound::kUndecided);
  CHECK(v.out.rfind("valid: undetermined, " + std::to_string(open) + " open leaves, " + std::to_string(closed) +
                        " closed leaves re-checked at 128 bits",
                    0) == 0);
  // What it says beside the status: the parameters, the statement and the fields not verified.
  CHECK(v.out.find("obligation   lip_x.f") != std::string::npos);
  CHECK(v.out.find("n = 2, d = 1, R = 4, η = 0.1, scale = 1e-40, β = e^{−R²}") != std::string::npos);
  CHECK(v.out.find("Not verified (recorded by the writer, not re-derived):") != std::string::npos);
  CHECK(v.out.find("git_commit") != std::string::npos);
  // Claiming the open leaves closed makes it invalid: the claim is re-checked.
  json e = c;
  for (auto& l : e["leaves"])
    if (l == "open") l = "margin";
  e["status"] = "proved";
  write_forged(dir + "/e.cert", e);
  const auto f = run_cli("verify-certificate " + dir + "/e.cert", dir);
  CHECK(f.code == certbound::kInvalid);
  CHECK(f.out.find("(margin): margin not certainly ≥ 0") != std::string::npos);
}

TEST_CASE("below a sharp constant that is the supremum, prove never says proved") {
  // Grid over every sharp obligation with a proof form, at shapes where its constant is the
  // supremum of the ratio: n ≥ 2; for the x-type statements also d ≥ 2 or n = 2, since with d = 1
  // and n ≥ 3 the logits Ax lie on a line and the constant is not reached. At scale 0.99 the
  // statement is false, so the status may be refuted, undetermined or proved-on-box (true on a box
  // that excludes the extremum), never proved.
  using namespace certbound;
  const std::set<std::string> logits_on_a_line = {"sharp.lip_x.f", "sharp.gd_step", "sharp.shift_x"};
  int runs = 0;
  for (const Obligation* ob : all_obligations()) {
    if (ob->meta().kind != Kind::sharp) continue;
    for (int n : {2, 3}) {
      for (int d : {1, 2}) {
        if (d == 1 && n >= 3 && logits_on_a_line.count(ob->meta().id)) continue;
        for (const char* R : {"0.1", "0.9", "4"}) {
          ProveOptions o;
          o.settings.n = n;
          o.settings.d = d;
          o.settings.R = R;
          o.settings.scale = "0.99";
          o.max_boxes = 1500;
          if (!prove_settings_problem(*ob, o.settings).empty()) continue;  // no proof form here
          CAPTURE(ob->meta().id);
          CAPTURE(n);
          CAPTURE(d);
          CAPTURE(R);
          const ProofResult r = prove(*ob, o);
          CHECK(r.status != ProofStatus::proved);
          ++runs;
        }
      }
    }
  }
  CHECK(runs >= 12);  // sharp.softmax_jacobian and sharp.lip_x.f at least
}

TEST_CASE("y equal to x is degenerate: not tight, not a witness") {
  using namespace certbound;
  const Obligation& ob = *find_obligation("sharp.lip_x.f");
  Settings s;
  s.n = 3;
  s.d = 2;
  Case c;
  c.inputs[input::A] = Eigen::MatrixXd(3, 2);
  c.inputs[input::A] << 0.5, -0.25, 0.125, 0.375, -0.5, 0.25;
  c.inputs[input::x] = Eigen::MatrixXd::Constant(2, 1, 0.25);
  c.inputs[input::y] = c.inputs[input::x];
  const CaseResult r = certify(ob, c, s);
  CHECK(r.status == CaseStatus::degenerate);
  CHECK(r.ratio.has_nan());
  // A genuine case is not degenerate.
  c.inputs[input::y](0, 0) = 0.3;
  CHECK(certify(ob, c, s).status == CaseStatus::holds);
  // Both sides exactly 0 (a margin of exactly 0 that would "hold") is degenerate too.
  const Obligation& hadamard = *find_obligation("fact.hadamard");
  Case zero;
  zero.inputs[input::u] = Eigen::MatrixXd::Zero(3, 1);
  zero.inputs[input::v] = Eigen::MatrixXd::Constant(3, 1, 0.5);
  s.n = 3;
  CHECK(certify(hadamard, zero, s).status == CaseStatus::degenerate);
}

TEST_CASE("the status vocabulary is defined once: README shows it verbatim") {
  const std::string readme = slurp(std::string(CERTBOUND_SOURCE_DIR) + "/README.md");
  const std::string table = certbound::status_vocabulary_markdown();
  CHECK(readme.find(table) != std::string::npos);
  const auto r = run_cli("statuses --json");
  REQUIRE(r.code == 0);
  const json j = json::parse(r.out);
  std::set<std::string> words;
  for (const auto& row : j.at("statuses")) words.insert(row.at("status").get<std::string>());
  for (auto s : {certbound::ProofStatus::proved, certbound::ProofStatus::proved_on_box, certbound::ProofStatus::partial,
                 certbound::ProofStatus::refuted, certbound::ProofStatus::undetermined}) {
    CHECK(words.count(certbound::to_string(s)) == 1);
    CHECK(certbound::proof_status_from(certbound::to_string(s)) == s);
  }
  for (auto s : {certbound::CaseStatus::holds, certbound::CaseStatus::violated, certbound::CaseStatus::tight,
                 certbound::CaseStatus::degenerate, certbound::CaseStatus::undecided, certbound::CaseStatus::out_of_domain,
                 certbound::CaseStatus::consistent, certbound::CaseStatus::refuted})
    CHECK(words.count(certbound::to_string(s)) == 1);
  CHECK_FALSE(certbound::proof_status_from("valid"));
}

}  // TEST_SUITE
