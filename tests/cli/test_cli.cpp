// End-to-end tests of the command line: exit codes, one-line errors, golden constants,
// counterexample round trips, determinism across threads.
#include <doctest/doctest.h>
#include <mpfr.h>

#include <Eigen/Dense>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <fstream>
#include <nlohmann/json.hpp>

#include "certbound/obligation/obligation.hpp"
#include "certbound/io/matrix_io.hpp"
#include "certbound/report/report.hpp"
#include "run_cli.hpp"

using certbound::test::line_count;
using certbound::test::run_cli;
using certbound::test::scratch_dir;
using certbound::test::slurp;
using nlohmann::json;

namespace {

/// The enclosure ["lo", "hi"] is consistent with `golden` (40 significant digits from an independent
/// decimal computation, so the exact value lies within 1e-38 relative of it) and narrow: relative
/// width at most `rel`.
bool encloses_decimal(const json& enclosure, const std::string& golden, double rel) {
  mpfr_t lo, hi, v, w, vlo, vhi;
  mpfr_inits2(300, lo, hi, v, w, vlo, vhi, static_cast<mpfr_ptr>(nullptr));
  mpfr_set_str(lo, enclosure[0].get<std::string>().c_str(), 10, MPFR_RNDD);
  mpfr_set_str(hi, enclosure[1].get<std::string>().c_str(), 10, MPFR_RNDU);
  mpfr_set_str(v, golden.c_str(), 10, MPFR_RNDN);
  mpfr_mul_d(w, v, 1e-38, MPFR_RNDU);
  mpfr_abs(w, w, MPFR_RNDU);
  mpfr_sub(vlo, v, w, MPFR_RNDD);
  mpfr_add(vhi, v, w, MPFR_RNDU);
  bool ok = mpfr_cmp(lo, vhi) <= 0 && mpfr_cmp(vlo, hi) <= 0;
  mpfr_sub(w, hi, lo, MPFR_RNDU);
  mpfr_div(w, w, v, MPFR_RNDU);
  ok = ok && mpfr_get_d(w, MPFR_RNDU) <= rel;
  mpfr_clears(lo, hi, v, w, vlo, vhi, static_cast<mpfr_ptr>(nullptr));
  return ok;
}

}  // namespace

TEST_SUITE("cli") {

TEST_CASE("bad input gives a one-line error and exit code 2") {
  const std::string dir = scratch_dir("badinput");
  const char* cases[] = {
      "check nosuch.id",
      "check all --n 0",
      "check all --d -1",
      "check all --R 0",
      "check all --R -3",
      "check all --R abc",
      "check all --scale 0",
      "check all --scale -1",
      "check all --eta 0",
      "check all --samples 1000000000000000",
      "check all --n 1000000000",
      "check all --json /nonexistent-dir/x.json",
      "constants --R nan",
      "constants --R inf",
      "constants --n 1.5",
      "replay /nonexistent/file.json",
      "eval --A /nonexistent.csv --x /nonexistent.csv",
      "frobnicate",
  };
  for (const char* args : cases) {
    CAPTURE(args);
    const auto r = run_cli(args, dir);
    CHECK(r.code == 2);
    CHECK(line_count(r.err) == 1);
    CHECK(r.err.rfind("certbound: error: ", 0) == 0);
  }
}

TEST_CASE("help and misspellings: 'help check', and the nearest subcommand, option or obligation") {
  const auto help = run_cli("help check");
  CHECK(help.code == 0);
  CHECK(help.out.find("--samples") != std::string::npos);
  CHECK(run_cli("check --help").out.find("--samples") != std::string::npos);
  CHECK(run_cli("help").code == 0);
  struct Misspelt {
    std::string args, message;
  };
  for (const Misspelt& m : {Misspelt{"chek", "unknown subcommand 'chek' (did you mean 'check'?)"},
                            Misspelt{"help chek", "unknown subcommand 'chek' (did you mean 'check'?)"},
                            Misspelt{"check --sead 3", "unknown option '--sead' for check (did you mean '--seed'?)"},
                            Misspelt{"prove lip_x.f --certifcate c.json", "did you mean '--certificate'?"},
                            Misspelt{"check lipx.f", "unknown obligation 'lipx.f' (did you mean 'lip_x.f'?)"},
                            Misspelt{"prove thm.shiftx --all-n", "did you mean 'thm.shift_x'?"},
                            Misspelt{"zzzzzz", "unknown subcommand 'zzzzzz' (see certbound --help)"}}) {
    CAPTURE(m.args);
    const auto r = run_cli(m.args);
    CAPTURE(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find(m.message) != std::string::npos);
    CHECK(certbound::test::line_count(r.err) == 1);
  }
  // Options of a group (the data options) and --name=value forms are known options.
  CHECK(run_cli("check lip_x.f --R=4 --samples=1 --search=1").code == 0);
}

TEST_CASE("an output that cannot be written is refused before any work, in every command") {
  const std::string dir = certbound::test::scratch_dir("unwritable");
  // A path under a regular file cannot be created by anyone (root ignores directory permissions).
  std::ofstream(dir + "/file") << "x";
  const std::string bad = dir + "/file/out";
  for (const std::string& args :
       {"prove lip_x.f --n 2 --d 1 --certificate " + bad, "prove thm.shift_x --all-n --markdown " + bad,
        "check all --json " + bad, "check all --markdown " + bad, "sweep lip_x.f --R 4 --n 2 --d 1 --out " + bad,
        "stress --cases 1 --json " + bad, "bench --quick --section arith --json " + bad, "ci --expected " + std::string(CERTBOUND_SOURCE_DIR) + "/proofs/expected.json --junit " + bad,
        "export-coq all --out " + bad, "example-data --out " + bad, "merge --certificate " + bad + " nosuch.cert"}) {
    CAPTURE(args);
    const auto r = run_cli(args, dir);
    CAPTURE(r.err);
    CHECK(r.code == 2);
    CHECK(r.err.find(dir + "/file/out") != std::string::npos);
    CHECK(certbound::test::line_count(r.err) == 1);
    CHECK(r.out.find("proved") == std::string::npos);  // no work was done first
  }
  const auto directory = run_cli("check all --json " + dir, dir);
  CHECK(directory.code == 2);
  CHECK(directory.err.find("it is a directory") != std::string::npos);
}

TEST_CASE("check makes the counterexample directory only to save something; undecided cases are saved and replay") {
  const std::string dir = certbound::test::scratch_dir("cx-lazy");
  const auto clean = run_cli("check sharp.lip_x.f --counterexamples " + dir + "/none/cx", dir);
  CHECK(clean.code == 0);
  CHECK_FALSE(std::filesystem::exists(dir + "/none"));  // nothing saved: nothing created, not even parents
  // At 53 bits only, the cases on the boundary ‖A‖ = R stay undecided: the first is saved.
  const auto r = run_cli("check lip_x.f --precision 53 --counterexamples " + dir + "/cx", dir);
  CAPTURE(r.out);
  CHECK(r.code == 0);
  const std::string saved = dir + "/cx/lip_x.f.undecided.json";
  REQUIRE(std::filesystem::exists(saved));
  CHECK(r.out.find("undecided case (replay it with certbound replay): " + saved) != std::string::npos);
  const json c = json::parse(certbound::test::slurp(saved));
  CHECK(c.at("kind") == "certbound.case");
  CHECK(c.at("status") == "undecided");
  const auto top = run_cli("replay " + saved, dir);
  CAPTURE(top.out);
  CHECK(top.code == 0);  // at 1025 bits it is decided: it holds
  CHECK(top.out.find("saved case, now holds") != std::string::npos);
  const auto low = run_cli("replay " + saved + " --precision 53", dir);
  CHECK(low.code == 3);
  CHECK(low.out.find("saved case, now undecided") != std::string::npos);
}

TEST_CASE("tables align in display columns, not bytes: constants' values start in one column") {
  CHECK(certbound::report::display_width("‖x‖₂ ≤ R") == 8);
  CHECK(certbound::report::display_width("e\u0301") == 1);  // a combining accent takes no column
  CHECK(certbound::report::pad_right("β⁻²", 5) == "β⁻²  ");
  const auto r = run_cli("constants --n 16 --R 4");
  REQUIRE(r.code == 0);
  std::istringstream lines(r.out);
  std::string line;
  std::set<std::size_t> columns;
  while (std::getline(lines, line))
    if (line.rfind("  ", 0) == 0 && line.find("log10") == std::string::npos && line.find(" [") != std::string::npos)
      columns.insert(certbound::report::display_width(line.substr(0, line.rfind(" [") + 1)));
  CHECK(columns.size() == 1);  // β⁻², e^{−R²}, n^{1.5} ... all end where ASCII expressions end
}

TEST_CASE("prove shows its progress on stderr (boxes, budget, rate, time left) unless --quiet") {
  const auto shown = run_cli("prove lip_x.u --n 2 --d 1 --progress-seconds 0");
  CHECK(shown.code == 0);
  CHECK(shown.err.find("parts closed") != std::string::npos);
  CHECK(shown.err.find("boxes/s") != std::string::npos);
  CHECK(shown.err.find("s left") != std::string::npos);
  const auto quiet = run_cli("prove lip_x.u --n 2 --d 1 --progress-seconds 0 --quiet");
  CHECK(quiet.code == 0);
  CHECK(quiet.err.empty());
  CHECK(shown.out.find("parts closed") == std::string::npos);  // progress never goes to stdout
  CHECK(run_cli("prove lip_x.u --n 2 --d 1 --progress-seconds -1").code == 2);
}

TEST_CASE("list names every public obligation id") {
  const auto r = run_cli("list --json");
  REQUIRE(r.code == 0);
  const json j = json::parse(r.out);
  std::set<std::string> ids;
  for (const auto& o : j) {
    ids.insert(o.at("id").get<std::string>());
    for (const char* key : {"kind", "provenance", "citation", "statement"}) CHECK(o.contains(key));
  }
  for (const char* id : {"fact.exp_near_one", "fact.inv_diff", "fact.hadamard", "fact.sum_cs", "bounds.u_inf",
                         "bounds.u_2", "bounds.alpha_lower", "bounds.f_2", "lip_x.u", "lip_x.alpha", "lip_x.alpha_inv",
                         "lip_x.f", "lip_a.u", "lip_a.alpha", "lip_a.alpha_inv", "lip_a.f", "thm.shift_x", "thm.shift_a",
                         "thm.absorb", "id.gradient", "id.hessian", "sharp.softmax_jacobian", "sharp.lip_x.f",
                         "sharp.lip_a.f", "sharp.lip_x.u", "sharp.exp_near_one", "sharp.gd_step", "sharp.shift_x",
                         "sharp.shift_a"}) {
    CAPTURE(id);
    CHECK(ids.count(id) == 1);
  }
}

TEST_CASE("constants at n 16 and R 4 enclose independently computed values") {
  const auto r = run_cli("constants --n 16 --R 4 --json");
  REQUIRE(r.code == 0);
  const json j = json::parse(r.out);
  CHECK(j.at("schema_version") == 1);
  std::map<std::string, json> by_id;
  for (const auto& c : j.at("constants")) by_id[c.at("id").get<std::string>()] = c;
  // 40 significant digits from an independent decimal computation (Python decimal, 60 digits).
  const std::pair<const char*, const char*> golden[] = {
      {"M", "1.9647037700123151787113324993059172707725e+71"},
      {"beta", "1.1253517471925911451377517906012719163794e-7"},
      {"chain", "6.3847926587510956880990604379427530187073e+30"},
      {"lip_x.u", "2.8435553665625192437641675970500641122569e+8"},
      {"lip_x.alpha", "1.1374221466250076975056670388200256449027e+9"},
      {"lip_x.alpha_inv", "8.9814219674849686254780364785423027898360e+22"},
      {"lip_x.f", "6.3847926587510956880990604379427530187073e+30"},
      {"lip_a.f", "6.3847926587510956880990604379427530187073e+30"},
      {"bounds.u_inf", "8.8861105205078726367630237407814503508027e+6"},
      {"bounds.u_2", "3.5544442082031490547052094963125801403211e+7"},
      {"bounds.alpha_lower", "1.8005627955081458322204028649620350662071e-6"},
      {"thm.shift_x", "1.9647037700123151787113324993059172707725e+71"},
      {"thm.shift_a", "1.9647037700123151787113324993059172707725e+71"},
      {"thm.absorb", "3.0698496406442424667364570301654957355821e+69"},
      {"sharp.exp_near_one", "1.0050167084168057542165456902860033807362e+0"},
      {"sharp.lip_x.u", "1.0050167084168057542165456902860033807362e+0"},
      {"fact.sum_cs", "4.0000000000000000000000000000000000000000e+0"},
      {"sharp.gd_step", "2.0000000000000000000000000000000000000000e-1"},
      {"sharp.shift_x", "2.0000000000000000000000000000000000000000e+0"},
      {"sharp.shift_a", "2.0000000000000000000000000000000000000000e+0"},
  };
  for (const auto& [id, value] : golden) {
    const std::string& obligation = id;  // CAPTURE takes a lambda: clang cannot capture a structured binding
    CAPTURE(obligation);
    REQUIRE(by_id.count(id) == 1);
    const json& enc = by_id[id].at("enclosure");
    CAPTURE(enc.dump());
    CHECK(encloses_decimal(enc, value, 1e-13));
  }
  // A golden value wrong in its 14th digit must not be accepted: the comparison has teeth.
  CHECK_FALSE(encloses_decimal(by_id["M"].at("enclosure"), "1.9647037700123351787113324993059172707725e+71", 1e-13));
}

TEST_CASE("R 10 gives a finite certified M beyond double range") {
  const auto r = run_cli("constants --n 8 --R 10 --json");
  REQUIRE(r.code == 0);
  const json j = json::parse(r.out);
  bool found = false;
  for (const auto& c : j.at("constants")) {
    if (c.at("id") != "M") continue;
    found = true;
    const std::string hi = c.at("enclosure")[1].get<std::string>();
    CHECK(hi.find("inf") == std::string::npos);
    // log10 M = 1.5 log10 8 + 1000 log10 e = 435.6…
    const double l0 = std::stod(c.at("log10")[0].get<std::string>()), l1 = std::stod(c.at("log10")[1].get<std::string>());
    CHECK(l0 > 435.6);
    CHECK(l1 < 435.7);
  }
  CHECK(found);
}

TEST_CASE("check at scale 1 reports no violation and a readable table") {
  const std::string dir = scratch_dir("check-scale1");
  const auto r = run_cli("check all --json " + dir + "/r.json --markdown " + dir + "/r.md --junit " + dir +
                             "/r.xml --counterexamples " + dir + "/cx",
                         dir);
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  const json j = json::parse(certbound::test::slurp(dir + "/r.json"));
  CHECK(j.at("schema_version") == 1);
  CHECK(j.at("provenance").contains("git_commit"));
  CHECK(j.at("provenance").contains("precision_ladder_bits"));
  CHECK(j.at("results").size() == certbound::all_obligations().size());
  for (const auto& res : j.at("results")) {
    CAPTURE(res.at("id").get<std::string>());
    CHECK(res.at("verdict") != "violated");
    CHECK(res.at("verdict") != "refuted");
    CHECK(res.at("cases").at("total").get<int>() > 0);
  }
  const std::string md = certbound::test::slurp(dir + "/r.md");
  CHECK(md.find("| `thm.shift_x` |") != std::string::npos);
  const std::string xml = certbound::test::slurp(dir + "/r.xml");
  CHECK(xml.find("<testcase classname=\"certbound.check\" name=\"lip_x.f\"") != std::string::npos);
  CHECK(xml.find("<failure") == std::string::npos);
}

TEST_CASE("every sharp obligation is refuted at scale 0.99 and its counterexample replays") {
  const std::string dir = scratch_dir("sharp099");
  const auto r = run_cli("check sharp.softmax_jacobian sharp.lip_x.f sharp.lip_a.f sharp.lip_x.u sharp.exp_near_one "
                         "sharp.gd_step sharp.shift_x sharp.shift_a --scale 0.99 --json " + dir + "/r.json --junit " + dir + "/r.xml --counterexamples " +
                             dir + "/cx",
                         dir);
  CAPTURE(r.out);
  CHECK(r.code == 1);
  const json j = json::parse(certbound::test::slurp(dir + "/r.json"));
  for (const auto& res : j.at("results")) {
    const std::string id = res.at("id").get<std::string>();
    CAPTURE(id);
    CHECK(res.at("verdict") == "violated");
    REQUIRE(res.at("counterexample").is_string());
    const auto replay = run_cli("replay " + res.at("counterexample").get<std::string>(), dir);
    CAPTURE(replay.out);
    CHECK(replay.code == 0);
    CHECK(replay.out.find("confirmed") != std::string::npos);
    // The same counterexample at scale 1 holds: replay must say so with exit 1.
    json cx = json::parse(certbound::test::slurp(res.at("counterexample").get<std::string>()));
    cx["parameters"]["scale"] = "1";
    std::ofstream(dir + "/edited.json") << cx.dump();
    const auto edited = run_cli("replay " + dir + "/edited.json", dir);
    CAPTURE(edited.out);
    CHECK(edited.code == 1);
    CHECK(edited.out.find("not confirmed: the point is ") != std::string::npos);
    CHECK(edited.out.find("confirmed (certified violation)") == std::string::npos);
  }
  CHECK(certbound::test::slurp(dir + "/r.xml").find("<failure") != std::string::npos);
}

TEST_CASE("softmax Jacobian witness reaches 0.998") {
  const std::string dir = scratch_dir("witness");
  const auto r = run_cli("check sharp.softmax_jacobian --json " + dir + "/r.json", dir);
  REQUIRE(r.code == 0);
  const json j = json::parse(certbound::test::slurp(dir + "/r.json"));
  CHECK(j.at("results")[0].at("witness_ratio_lower").get<double>() >= 0.998);
}

TEST_CASE("the sharp shift constants are reached at n 2, d 1 and refuted at scale 0.99") {
  // sharp.shift_x and sharp.shift_a: M' = R/2 = 2 at R = 4 is approached (proofs/STATEMENTS.md), so
  // the certified witness ratio is ≥ 0.99 and the certified lower bound on the optimal constant lies
  // in [0.99·2, 2]; at --scale 0.99 each has a certified counterexample that replays.
  const std::string dir = scratch_dir("sharp-shift");
  const auto r = run_cli("check sharp.shift_x sharp.shift_a --n 2 --d 1 --json " + dir + "/r.json", dir);
  CAPTURE(r.out);
  REQUIRE(r.code == 0);
  const json j = json::parse(certbound::test::slurp(dir + "/r.json"));
  REQUIRE(j.at("results").size() == 2);
  for (const auto& res : j.at("results")) {
    CAPTURE(res.at("id").get<std::string>());
    CHECK(res.at("verdict") == "holds");
    CHECK(res.at("witness_ratio_lower").get<double>() >= 0.99);
    const double w = std::stod(res.at("witness_constant")[0].get<std::string>());
    CHECK(w <= 2.0);
    CHECK(w >= 1.98);
  }
  const auto t = run_cli("check sharp.shift_x sharp.shift_a --n 2 --d 1 --scale 0.99 --json " + dir +
                             "/t.json --counterexamples " + dir + "/cx",
                         dir);
  CAPTURE(t.out);
  CHECK(t.code == 1);
  const json tj = json::parse(certbound::test::slurp(dir + "/t.json"));
  REQUIRE(tj.at("results").size() == 2);
  for (const auto& res : tj.at("results")) {
    CAPTURE(res.at("id").get<std::string>());
    CHECK(res.at("verdict") == "violated");
    REQUIRE(res.at("counterexample").is_string());
    CHECK(run_cli("replay " + res.at("counterexample").get<std::string>(), dir).code == 0);
  }
}

TEST_CASE("the certified witness constant does not depend on the scale") {
  // The optimal constant of sharp.softmax_jacobian is ½: a certified lower bound on it must stay
  // below ½ whatever --scale is (the ratio is taken against the scaled constant).
  for (const char* scale : {"1", "0.5", "2"}) {
    CAPTURE(scale);
    const std::string dir = scratch_dir(std::string("witness-scale-") + scale);
    const auto r = run_cli(std::string("check sharp.softmax_jacobian --scale ") + scale + " --json " + dir + "/r.json", dir);
    REQUIRE(r.code != 2);
    const json res = json::parse(certbound::test::slurp(dir + "/r.json")).at("results")[0];
    const double w = std::stod(res.at("witness_constant")[0].get<std::string>());
    CHECK(w <= 0.5);
    CHECK(w >= 0.499);
  }
}

TEST_CASE("truncated or corrupted counterexamples are rejected with exit 2") {
  const std::string dir = scratch_dir("cx-bad");
  const auto r = run_cli("check sharp.exp_near_one --scale 0.99 --counterexamples " + dir + "/cx", dir);
  REQUIRE(r.code == 1);
  const std::string good = certbound::test::slurp(dir + "/cx/sharp.exp_near_one.json");
  std::ofstream(dir + "/truncated.json") << good.substr(0, good.size() / 2);
  json unknown = json::parse(good);
  unknown["obligation"] = "no.such";
  std::ofstream(dir + "/unknown.json") << unknown.dump();
  json shape = json::parse(good);
  shape["inputs"]["t"]["rows"] = 2;
  std::ofstream(dir + "/shape.json") << shape.dump();
  json notnum = json::parse(good);
  notnum["inputs"]["t"]["data_hex_row_major"][0] = "0x1.zzp-3";
  std::ofstream(dir + "/notnum.json") << notnum.dump();
  json inexact = json::parse(good);
  inexact["inputs"]["t"]["data_hex_row_major"][0] = "0.01";
  std::ofstream(dir + "/inexact.json") << inexact.dump();
  for (const char* f : {"truncated.json", "unknown.json", "shape.json", "notnum.json", "inexact.json"}) {
    CAPTURE(f);
    const auto rr = run_cli("replay " + dir + "/" + f, dir);
    CHECK(rr.code == 2);
    CHECK(line_count(rr.err) == 1);
  }
}

TEST_CASE("check is deterministic whatever the thread count") {
  const std::string dir = scratch_dir("determinism");
  const auto a = run_cli("check all --threads 1 --seed 7 --json " + dir + "/a.json", dir);
  const auto b = run_cli("check all --threads 2 --seed 7 --json " + dir + "/b.json", dir);
  REQUIRE(a.code == 0);
  REQUIRE(b.code == 0);
  json ja = json::parse(certbound::test::slurp(dir + "/a.json")), jb = json::parse(certbound::test::slurp(dir + "/b.json"));
  for (auto* j : {&ja, &jb}) {
    (*j).erase("provenance");
    (*j)["parameters"].erase("threads");
    for (auto& res : (*j)["results"]) res.erase("seconds");
  }
  CHECK(ja == jb);
}

TEST_CASE("eval encloses the model on user files and rejects bad files") {
  const std::string dir = scratch_dir("eval");
  {
    std::ofstream(dir + "/A.csv") << "1, 2\n3, 4\n-1,0.5\n";
    std::ofstream(dir + "/x.csv") << "0.25\n-0.5\n";
    std::ofstream(dir + "/b.csv") << "0.2, 0.3, 0.5\n";
  }
  const auto r = run_cli("eval --A " + dir + "/A.csv --x " + dir + "/x.csv --b " + dir + "/b.csv --json", dir);
  REQUIRE(r.code == 0);
  const json j = json::parse(r.out);
  for (const char* key : {"u", "alpha", "f", "c", "loss", "grad"}) CHECK(j.contains(key));
  // f sums to 1: the enclosures of the three entries must admit that.
  double lo = 0, hi = 0;
  for (const auto& e : j.at("f")) {
    lo += std::stod(e[0].get<std::string>());
    hi += std::stod(e[1].get<std::string>());
  }
  CHECK(lo <= 1.0 + 1e-15);
  CHECK(hi >= 1.0 - 1e-15);
  // .npy input gives the same answer as CSV.
  Eigen::MatrixXd a(3, 2);
  a << 1, 2, 3, 4, -1, 0.5;
  certbound::io::write_npy(dir + "/A.npy", a);
  const auto rn = run_cli("eval --A " + dir + "/A.npy --x " + dir + "/x.csv --b " + dir + "/b.csv --json", dir);
  REQUIRE(rn.code == 0);
  CHECK(json::parse(rn.out).at("f") == j.at("f"));

  std::ofstream(dir + "/nan.csv") << "1, nan\n";
  std::ofstream(dir + "/ragged.csv") << "1, 2\n3\n";
  std::ofstream(dir + "/empty.csv") << "";
  std::ofstream(dir + "/text.csv") << "hello, world\n";
  std::ofstream(dir + "/x3.csv") << "1\n2\n3\n";
  std::ofstream(dir + "/mixed.csv") << "1, 2\n3 4\n";  // one separator per file: "3 4" is one entry
  {
    std::string npy = certbound::test::slurp(dir + "/A.npy");
    std::ofstream(dir + "/trunc.npy", std::ios::binary) << npy.substr(0, npy.size() - 5);
  }
  const std::pair<std::string, std::string> bad[] = {
      {"--A " + dir + "/nan.csv --x " + dir + "/x.csv", "nan.csv"},
      {"--A " + dir + "/ragged.csv --x " + dir + "/x.csv", "ragged.csv"},
      {"--A " + dir + "/empty.csv --x " + dir + "/x.csv", "empty.csv"},
      {"--A " + dir + "/text.csv --x " + dir + "/x.csv", "text.csv"},
      {"--A " + dir + "/A.csv --x " + dir + "/x3.csv", "x3.csv"},
      {"--A " + dir + "/mixed.csv --x " + dir + "/x.csv", "mixed.csv: line 2, column 1: '3 4' is not a number"},
      {"--A " + dir + "/trunc.npy --x " + dir + "/x.csv", "trunc.npy"},
      {"--A " + dir + "/A.csv --x " + dir + "/x.csv --b " + dir + "/x.csv", "x.csv"},
  };
  for (const auto& [args, name] : bad) {
    const std::string& command = args;  // CAPTURE takes a lambda: clang cannot capture a structured binding
    CAPTURE(command);
    const auto rb = run_cli("eval " + args, dir);
    CHECK(rb.code == 2);
    CHECK(line_count(rb.err) == 1);
    CHECK(rb.err.find(name) != std::string::npos);
  }
}

}  // TEST_SUITE

TEST_SUITE("cli") {

TEST_CASE("proofs/STATEMENTS.md is what `list --markdown` generates from the registry") {
  const auto r = run_cli("list --markdown");
  REQUIRE(r.code == 0);
  const std::string file = slurp(std::string(CERTBOUND_SOURCE_DIR) + "/proofs/STATEMENTS.md");
  // On a mismatch: build/certbound list --markdown > proofs/STATEMENTS.md
  CHECK(r.out == file);
  for (const certbound::Obligation* o : certbound::all_obligations()) {
    CAPTURE(o->meta().id);
    CHECK(file.find("### " + o->meta().id + "\n") != std::string::npos);
    CHECK_FALSE(o->meta().domain.empty());
  }
}

TEST_CASE("no source file, comment or output names a file that is not in the repository") {
  namespace fs = std::filesystem;
  const fs::path root(CERTBOUND_SOURCE_DIR);
  // The names of the material the project was written from, which a clone does not have (spelt
  // in pieces so that this file does not contain them).
  const std::string md = ".md";
  const std::string outside[] = {std::string("../") + "shared", "ecosystem" + md, "anchors" + md, "statements" + md};
  int files = 0;
  for (const char* dir : {"src", "include", "proofs", "tests", ".ci"}) {
    for (const auto& e : fs::recursive_directory_iterator(root / dir)) {
      if (!e.is_regular_file() || e.path().extension() == ".npy" || e.path().extension() == ".itl") continue;
      const std::string text = slurp(e.path().string());
      ++files;
      for (const std::string& name : outside) {
        CAPTURE(e.path().string());
        CAPTURE(name);
        // STATEMENTS.md (in proofs/) is ours; the lower-case name is not.
        CHECK(text.find(name) == std::string::npos);
      }
    }
  }
  for (const char* file : {"README.md", "CMakeLists.txt", "setup.sh"}) {
    const std::string text = slurp((root / file).string());
    for (const std::string& name : outside) CHECK(text.find(name) == std::string::npos);
  }
  CHECK(files > 100);
}

}  // TEST_SUITE
