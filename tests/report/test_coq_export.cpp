// Coq export: the Coq statement is printed from the very lemma certbound proved (same terms, same
// ranges, exact rationals), every exported file is accepted by coqc, every mutant (the constant
// moved past a certified counterexample) is rejected, and nothing is admitted.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <nlohmann/json.hpp>
#include <set>

#include "certbound/engine/all_n.hpp"
#include "certbound/report/coq_export.hpp"
#include "run_cli.hpp"

// The file's own namespace keeps its using-directives from the files after it in a unity batch.
namespace test_coq_export {

using namespace certbound;
using namespace certbound::symbolic;
using certbound::test::run_cli;
using certbound::test::scratch_dir;
using certbound::test::slurp;

namespace {

bool have_coqc() { return std::system("command -v coqc >/dev/null 2>&1") == 0; }

int shell(const std::string& cmd) {
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// The kernel reports of every registered derivation.
std::vector<std::pair<std::string, kernel::KernelReport>> all_reports() {
  std::vector<std::pair<std::string, kernel::KernelReport>> out;
  for (const Obligation* o : all_obligations())
    if (o->derivation()) out.emplace_back(o->meta().id, prove_all_n(*o).report);
  return out;
}

}  // namespace

TEST_SUITE("coq export") {

TEST_CASE("terms print as Coq reals: exact rationals, powers, inverses, roots, named symbols") {
  using report::coq_term;
  CHECK(coq_term(num(1, 100)) == "(1/100)");
  CHECK(coq_term(num(-3)) == "(-3)");
  CHECK(coq_term(pow(sym("R"), Rational(2))) == "(v_R ^ 2)");
  CHECK(coq_term(inv(sym("r"))) == "(/ v_r)");
  CHECK(coq_term(pow(sym("n"), Rational(-2))) == "(/ (v_n ^ 2))");
  CHECK(coq_term(pow(sym("n"), Rational(3, 2))) == "((sqrt v_n) ^ 3)");
  CHECK(coq_term(sqrt(sym("n"))) == "(sqrt v_n)");
  CHECK(coq_term(pow(sym("n"), Rational(1, 3))) == "(Rpower v_n (1/3))");
  CHECK(coq_term(mul({num(4), sym("r"), exp(mul({num(4), pow(sym("r"), Rational(2))}))})) ==
        "(4 * v_r * (exp (4 * (v_r ^ 2))))");
  CHECK(coq_term(add({log(sym("β")), abs(sym("t")), phi1(sym("t"))})) == "((ln v_u03b2) + (Rabs v_t) + (phi1 v_t))");
  CHECK_THROWS_AS(coq_term(norm2(named("v"))), report::CoqExportError);
}

TEST_CASE("a statement carries the lemma's ranges, open and closed ends, and strictness") {
  ScalarLemma l{"t", {{"q", between(0, 1)}, {"R", positive()}, {"r", at_least(4)}},
                {mul({sym("q"), sym("R")}), exp(sym("r")), true}, std::nullopt};
  CHECK(report::coq_statement(l, "x") ==
        "Lemma x : forall v_q v_R v_r : R, 0 <= v_q <= 1 -> 0 < v_R -> 4 <= v_r -> (v_q * v_R) < (exp v_r).");
}

TEST_CASE("the exported statements are certbound's proved lemmas, printed from the same terms") {
  const std::string dir = scratch_dir("coq-statements");
  const auto r = run_cli("export-coq all --out " + dir + "/coq", dir);
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  std::set<std::string> distinct;
  int exported = 0;
  for (const auto& entry : all_reports()) {  // named: clang cannot capture structured bindings
    const std::string& id = entry.first;
    const kernel::KernelReport& rep = entry.second;
    const auto lemmas = report::coq_lemmas(rep);
    const std::string path = dir + "/coq/" + report::coq_file_name(id);
    if (lemmas.empty()) {
      CHECK_FALSE(std::filesystem::exists(path));
      continue;
    }
    const std::string file = slurp(path);
    for (const auto& l : lemmas) {
      const std::string statement = report::coq_statement(l.lemma, l.ident);
      const std::string where = id + ": " + statement;
      INFO(where);
      CHECK(file.find("\n" + statement + "\nProof.\n") != std::string::npos);
      distinct.insert(l.statement);
      ++exported;
    }
    // Every lemma the kernel proved for this derivation is there (none left out).
    std::set<std::string> proved;
    for (const auto& l : rep.lemmas) proved.insert(l.statement);
    CHECK(proved.size() == lemmas.size());
  }
  CHECK(exported >= 4);
  CHECK(distinct.size() >= 4);
  // One statement spelled out by hand: thm.absorb's scalar fact over r ≥ 4, its range unbounded.
  CHECK(slurp(dir + "/coq/thm_absorb.v")
            .find("Lemma lemma1 : forall v_r : R, 4 <= v_r -> (4 * v_r * (exp (4 * (v_r ^ 2)))) <= "
                  "(exp (10 * (v_r ^ 2))).") != std::string::npos);
  CHECK(slurp(dir + "/coq/fact_exp_near_one.v").find("(-1/100) <= v_s <= (1/100)") != std::string::npos);
}

TEST_CASE("nothing is admitted: no Admitted, admit, Axiom, Parameter or Conjecture in the library or the export") {
  const std::string dir = scratch_dir("coq-admitted");
  REQUIRE(run_cli("export-coq all --out " + dir + "/coq --mutants", dir).code == 0);
  const std::regex forbidden(R"(\b(Admitted|admit|Axiom|Axioms|Parameter|Parameters|Conjecture|Hypothesis)\b)");
  int files = 0;
  for (const std::string& root : {std::string(CERTBOUND_SOURCE_DIR) + "/proofs/coq", dir + "/coq"})
    for (const auto& e : std::filesystem::recursive_directory_iterator(root))
      if (e.path().extension() == ".v") {
        CAPTURE(e.path().string());
        CHECK_FALSE(std::regex_search(slurp(e.path().string()), forbidden));
        ++files;
      }
  CHECK(files >= 10);
  // The scan can fail: a file with an Admitted is caught.
  CHECK(std::regex_search(std::string("Lemma x : 1 <= 2.\nProof.\nAdmitted.\n"), forbidden));
}

TEST_CASE("every mutant is certainly false at its point, by certbound's own interval evaluation") {
  std::set<std::string> seen;
  for (const auto& entry : all_reports())
    for (const auto& l : report::coq_lemmas(entry.second)) {
      if (!seen.insert(l.statement).second) continue;
      CAPTURE(l.statement);
      const report::CoqMutant m = report::coq_mutant(l.lemma);
      CHECK(m.margin_upper < 0);
      // certbound's prover refutes the mutant too (the same point or another).
      CHECK(kernel::prove_scalar_lemma(m.lemma).status == kernel::LemmaOutcome::refuted);
    }
  CHECK(seen.size() >= 4);
}

TEST_CASE("coqc accepts every exported lemma and rejects every mutant") {
  if (!have_coqc()) {
    MESSAGE("skipped: coqc is not installed (setup.sh and .ci/run install coq and libcoq-interval)");
    return;
  }
  const std::string dir = scratch_dir("coq-check");
  const auto r = run_cli("export-coq all --out " + dir + "/coq --mutants", dir);
  CAPTURE(r.out);
  REQUIRE(r.code == 0);
  CHECK(shell("make -s -C " + dir + "/coq -j2 >" + dir + "/make.log 2>&1") == 0);
  INFO(slurp(dir + "/make.log"));
  int mutants = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir + "/coq/mutants")) {
    const std::string name = e.path().filename().string();
    CAPTURE(name);
    const int code = shell("cd " + dir + "/coq && coqc -R . Certbound -w -ambiguous-paths mutants/" + name +
                           " >" + dir + "/mutant.log 2>&1");
    CHECK(code != 0);
    CHECK(slurp(dir + "/mutant.log").find("Error") != std::string::npos);
    ++mutants;
  }
  CHECK(mutants >= 4);
}

TEST_CASE("bench --section coq times every distinct lemma in both provers, or says why not") {
  const std::string dir = scratch_dir("coq-bench");
  const auto r = run_cli("bench --quick --section coq --json " + dir + "/b.json", dir);
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  const auto j = nlohmann::json::parse(slurp(dir + "/b.json"));
  if (!have_coqc()) {
    CHECK(r.out.find("skipped: coqc is not installed") != std::string::npos);
    return;
  }
  int ratios = 0;
  for (const auto& item : j["ratios"].items()) {
    const std::string key = item.key();  // a named copy: clang cannot CAPTURE a structured binding
    CAPTURE(key);
    CHECK(item.value().get<double>() > 0);
    ratios += key.find("_coq_over_certbound") != std::string::npos;
  }
  CHECK(ratios >= 4);
  CHECK(r.out.find("failed") == std::string::npos);
}

TEST_CASE("export-coq: bad input exits 2 with the problem named") {
  const std::string dir = scratch_dir("coq-bad");
  const auto none = run_cli("export-coq dls23.hessian_lip --out " + dir + "/c", dir);
  CHECK(none.code == 2);
  CHECK(none.err.find("no all-n derivation") != std::string::npos);
  const auto unknown = run_cli("export-coq no.such --out " + dir + "/c", dir);
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("no.such") != std::string::npos);
  CHECK(run_cli("export-coq all", dir).code == 2);  // --out is required
}

}  // TEST_SUITE

}  // namespace test_coq_export
