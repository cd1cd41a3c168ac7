// Obligations: samplers stay inside the domain, verdict logic (holds / violated / tight),
// identities, and the --scale mutation test on the paper's own (loose) statements.
#include <doctest/doctest.h>

#include <cstdio>

#include "certbound/engine/check.hpp"
#include "certbound/oracle/arb.hpp"

// The file's own namespace keeps its using-directives from the files after it in a unity batch.
namespace test_obligations {

using namespace certbound;

namespace {

std::string describe(const Case& c) {
  std::string s = c.family + ":";
  for (const auto& [name, m] : c.inputs) {
    s += " " + name + "=[";
    for (Eigen::Index i = 0; i < m.size(); ++i) s += (i ? "," : "") + oracle::hex(m.data()[i]);
    s += "]";
  }
  return s;
}

Settings small() {
  Settings s;
  s.n = 5;
  s.d = 3;
  return s;
}

}  // namespace

TEST_SUITE("obligations") {

TEST_CASE("every sampler produces only in-domain cases") {
  for (const Settings& s : {Settings{}, small()}) {
    for (const Obligation* ob : all_obligations()) {
      Rng rng(12345);
      std::vector<Case> cases = ob->families(s, rng);
      for (int k = 0; k < 8; ++k) cases.push_back(ob->random_case(s, rng));
      for (const Case& c : cases) {
        CAPTURE(ob->meta().id);
        CAPTURE(describe(c));
        const CaseResult r = certify(*ob, c, s);
        CAPTURE(r.note);
        CHECK(r.status != CaseStatus::out_of_domain);
        CHECK(r.status != CaseStatus::undecided);
        CHECK(r.status != CaseStatus::violated);
        CHECK(r.status != CaseStatus::refuted);
      }
    }
  }
}

TEST_CASE("identities are consistent on their families and a wrong path is refuted") {
  const Settings s;
  for (const char* id : {"id.gradient", "id.hessian"}) {
    const Obligation* ob = find_obligation(id);
    REQUIRE(ob);
    Rng rng(7);
    for (const Case& c : ob->families(s, rng)) {
      CAPTURE(id);
      CAPTURE(describe(c));
      CHECK(certify(*ob, c, s).status == CaseStatus::consistent);
    }
  }
}

TEST_CASE("bound attained exactly is never violated and scale below 1 turns it violated") {
  // sharp.softmax_jacobian at n = 2, z₁ = z₂: ‖diag(p) − ppᵀ‖ = ½ exactly. The margin's lower end
  // may be exactly 0 (then "holds" is certified) or straddle 0 at the rounding level ("tight").
  Settings s;
  s.n = 2;
  const Obligation* ob = find_obligation("sharp.softmax_jacobian");
  REQUIRE(ob);
  Case c;
  c.family = "test";
  c.inputs[input::z] = Eigen::MatrixXd::Constant(2, 1, 0.75);
  const CaseResult r = certify(*ob, c, s);
  CAPTURE(r.margin.str(20));
  CHECK((r.status == CaseStatus::tight || r.status == CaseStatus::holds));
  CHECK(r.margin.contains_zero());
  s.scale = "0.999999";
  CHECK(certify(*ob, c, s).status == CaseStatus::violated);
  s.scale = "1.000001";
  CHECK(certify(*ob, c, s).status == CaseStatus::holds);
}

TEST_CASE("an exactly attained bound whose margin straddles 0 is tight") {
  // fact.hadamard with |u| constant: ‖u∘v‖₂ = ‖u‖_∞‖v‖₂ exactly, both sides rounded apart.
  const Obligation* ob = find_obligation("fact.hadamard");
  REQUIRE(ob);
  Settings s;
  s.n = 3;
  Case c;
  c.family = "test";
  c.inputs[input::u] = Eigen::MatrixXd::Constant(3, 1, 2.5);
  Eigen::MatrixXd v(3, 1);
  v << 0.1, -0.7, 0.3;
  c.inputs[input::v] = v;
  const CaseResult r = certify(*ob, c, s);
  CAPTURE(r.margin.str(20));
  CHECK(r.status == CaseStatus::tight);
  CHECK(r.bits == 1025);
  CHECK(r.margin.width_up() < 1e-290);
}

TEST_CASE("the sharp shift constant R/2 is approached at n 2, d 1 and scale 0.99 turns it violated") {
  // proofs/STATEMENTS.md, sharp.shift_x and sharp.shift_a: the configurations named in "attained",
  // with a small step. At R = 4 the ratio LHS/((R/2)·F) is 1 − O(step²), so the case holds with a
  // ratio above 0.999, and the constant 0.99·R/2 is violated there.
  Settings s;
  s.n = 2;
  s.d = 1;
  const double a = 2.828427124746;  // just below 4/√2, so that ‖A‖ ≤ 4 certainly
  Case shift_x;
  shift_x.family = "test";
  shift_x.inputs[input::A] = (Eigen::MatrixXd(2, 1) << a, -a).finished();
  shift_x.inputs[input::x] = Eigen::MatrixXd::Zero(1, 1);
  shift_x.inputs[input::b] = (Eigen::MatrixXd(2, 1) << 0.5 + 1e-4, 0.5 - 1e-4).finished();
  Case shift_a;
  shift_a.family = "test";
  shift_a.inputs[input::A] = Eigen::MatrixXd::Zero(2, 1);
  shift_a.inputs[input::B] = (Eigen::MatrixXd(2, 1) << 1e-3, -1e-3).finished();
  shift_a.inputs[input::x] = Eigen::MatrixXd::Constant(1, 1, 4.0);
  shift_a.inputs[input::b] = Eigen::MatrixXd::Zero(2, 1);
  for (const auto& entry : {std::pair<const char*, Case>{"sharp.shift_x", shift_x}, {"sharp.shift_a", shift_a}}) {
    const char* id = entry.first;
    CAPTURE(id);
    const Obligation* ob = find_obligation(id);
    REQUIRE(ob);
    Settings at = s;
    const CaseResult r = certify(*ob, entry.second, at);
    CAPTURE(r.note);
    CHECK(r.status == CaseStatus::holds);
    CHECK(r.ratio.lower_double() > 0.999);
    CHECK(r.ratio.upper_double() <= 1.0);
    at.scale = "0.99";
    CHECK(certify(*ob, entry.second, at).status == CaseStatus::violated);
  }
  // Outside the one hypothesis each keeps: ‖A‖ > R, respectively ‖x‖₂ > R.
  shift_x.at(input::A)(0, 0) = 3.0;
  shift_x.at(input::A)(1, 0) = -3.0;
  CHECK(certify(*find_obligation("sharp.shift_x"), shift_x, s).status == CaseStatus::out_of_domain);
  shift_a.at(input::x)(0, 0) = std::nextafter(4.0, 5.0);
  CHECK(certify(*find_obligation("sharp.shift_a"), shift_a, s).status == CaseStatus::out_of_domain);
}

TEST_CASE("check finds the sharp shift constants at n 2, d 1 and refutes them at scale 0.99") {
  // Fixed seed and budgets: the families (small steps at p = (½, ½), proofs/STATEMENTS.md) and the
  // search must certify a witness ratio ≥ 0.99, and a violation once the constant is 0.99·R/2.
  for (const char* id : {"sharp.shift_x", "sharp.shift_a"}) {
    CAPTURE(id);
    const Obligation* ob = find_obligation(id);
    REQUIRE(ob);
    CheckOptions o;
    o.seed = 1;
    o.samples = 16;
    o.search = 400;
    o.settings.n = 2;
    o.settings.d = 1;
    const ObligationReport r = check_obligation(*ob, o);
    CHECK(r.verdict == Verdict::holds);
    CHECK(r.counts.violated == 0);
    CHECK(r.witness_ratio_lower >= 0.99);
    CHECK(r.witness_ratio_lower <= 1.0);
    o.settings.scale = "0.99";
    const ObligationReport t = check_obligation(*ob, o);
    CHECK(t.verdict == Verdict::violated);
    CHECK_FALSE(t.violations.empty());
  }
}

TEST_CASE("hypothesis at the exact 1/100 boundary is not treated as the double 0.01") {
  // sharp.exp_near_one with t = double(0.01) > 1/100: outside the domain, never a violation.
  const Obligation* ob = find_obligation("sharp.exp_near_one");
  REQUIRE(ob);
  Settings s;
  Case c;
  c.family = "test";
  c.inputs[input::t] = Eigen::MatrixXd::Constant(1, 1, 0.01);
  CHECK(certify(*ob, c, s).status == CaseStatus::out_of_domain);
  c.inputs[input::t](0, 0) = std::nextafter(0.01, 0.0);
  CHECK(certify(*ob, c, s).status == CaseStatus::holds);
  s.scale = "0.9999";
  CHECK(certify(*ob, c, s).status == CaseStatus::violated);
}

TEST_CASE("paper obligations become violated when their constant is scaled far enough") {
  // The mutation test of the checker on the paper's own statements: the slack of thm.shift_x at
  // R = 4 is about 10^70, so scale 1e-75 must expose violations and scale 1e-60 must not.
  CheckOptions o;
  o.samples = 4;
  o.search = 50;
  o.settings.scale = "1e-75";
  const ObligationReport r = check_obligation(*find_obligation("thm.shift_x"), o);
  CHECK(r.verdict == Verdict::violated);
  o.settings.scale = "1e-60";
  CHECK(check_obligation(*find_obligation("thm.shift_x"), o).verdict == Verdict::holds);
  // A lower bound is tightened by dividing its constant: α ≥ (n e^{−R²})/c.
  o.settings.scale = "1e-7";
  CHECK(check_obligation(*find_obligation("bounds.alpha_lower"), o).verdict == Verdict::violated);
}

TEST_CASE("escalation decides a case that double intervals cannot") {
  // fact.inv_diff with a, b one ulp apart at the boundary β: the margin is below the double
  // rounding level, so the verdict needs more precision (or is tight).
  const Obligation* ob = find_obligation("fact.inv_diff");
  REQUIRE(ob);
  Settings s;
  Case c;
  c.family = "test";
  c.inputs[input::a] = Eigen::MatrixXd::Constant(1, 1, 3.0);
  c.inputs[input::b] = Eigen::MatrixXd::Constant(1, 1, std::nextafter(3.0, 4.0));
  c.inputs[input::beta] = Eigen::MatrixXd::Constant(1, 1, 1.0);
  const CaseResult r53 = certify(*ob, c, s, 53);
  const CaseResult r = certify(*ob, c, s);
  CHECK(r.status == CaseStatus::holds);
  CHECK(r.bits >= r53.bits);
}

}  // TEST_SUITE

}  // namespace test_obligations
