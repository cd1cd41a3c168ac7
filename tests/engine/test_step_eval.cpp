// Derivation terms evaluated at cases (engine/term_eval.hpp): the term statement of every
// derivation says what the obligation's numeric code evaluates (the claim's sides overlap the
// obligation's LHS and C·F on its families and random cases), no step of a registered derivation
// is violated on those cases, a false step is found violated, and the evaluator's enclosures
// contain an independent Arb oracle's balls.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "certbound/engine/all_n.hpp"
#include "certbound/engine/term_eval.hpp"
#include "certbound/oracle/arb.hpp"
#include "certbound/oracle/model_oracle.hpp"
#include "certbound/report/derivation_report.hpp"
#include "run_cli.hpp"

// The file's own namespace keeps its using-directives from the files after it in a unity batch.
namespace test_step_eval {

using namespace certbound;
using namespace certbound::symbolic;
using certbound::oracle::Ball;
using certbound::oracle::BMat;
using certbound::oracle::encloses;

namespace {

constexpr std::uint64_t kSeed = 0x57e9e7a1ULL;

std::string describe(const Case& c) {
  std::string s = c.family + ":";
  for (const auto& [name, m] : c.inputs) {
    s += " " + name + "=[";
    for (Eigen::Index i = 0; i < m.size(); ++i) s += (i ? "," : "") + oracle::hex(m.data()[i]);
    s += "]";
  }
  return s;
}

std::string text(const Interval& x) { return Enclosure::of(x).str(17); }

bool overlap(const Interval& a, const Interval& b) { return !(a.upper() < b.lower() || b.upper() < a.lower()); }

Settings settings(int n, int d, const std::string& R) {
  Settings s;
  s.n = n;
  s.d = d;
  s.R = R;
  return s;
}

/// The two settings of the consistency test; a statement that needs R ≥ 4 gets R = 4 at both.
std::vector<Settings> test_settings(const Derivation& d) {
  const auto r = d.statement.signature.symbols.find("R");
  const bool large_r = r != d.statement.signature.symbols.end() && Rational(1) < r->second.lo;
  return {settings(8, 4, "4"), settings(2, 1, large_r ? "4" : "1")};
}

std::vector<Case> test_cases(const Obligation& ob, const Settings& s) {
  Rng rng(kSeed);
  std::vector<Case> cases = ob.families(s, rng);
  for (int k = 0; k < 12; ++k) cases.push_back(ob.random_case(s, rng));
  return cases;
}

/// A test-only statement about one vector v ∈ ℝⁿ.
Derivation about_v(const Term& lhs, const Term& rhs, const Justification& why) {
  Derivation d;
  d.scope = "test";
  d.statement.signature.symbols = {{"n", at_least(1)}};
  d.statement.signature.inputs = {{"v", vector_of("n")}};
  d.statement.claim = {lhs, rhs};
  d.steps = {{rhs, why}};
  return d;
}

Case vector_case(std::vector<double> v) {
  Case c;
  c.family = "test";
  c.inputs["v"] = Eigen::Map<Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
  return c;
}

/// Arb helpers for the oracle comparisons.
constexpr slong kBits = 256;

Ball norm2(const BMat& v) {
  Ball s, t;
  for (Eigen::Index i = 0; i < v.size(); ++i) {
    arb_sqr(t.b, v[i], kBits);
    arb_add(s.b, s.b, t.b, kBits);
  }
  arb_sqrt(s.b, s.b, kBits);
  return s;
}

BMat minus(const BMat& a, const BMat& b) {
  BMat r(a.rows(), a.cols());
  for (Eigen::Index i = 0; i < a.size(); ++i) arb_sub(r[i], a[i], b[i], kBits);
  return r;
}

Ball rational_ball(slong p, slong q) {
  Ball r;
  arb_set_si(r.b, p);
  arb_div_si(r.b, r.b, q, kBits);
  return r;
}

void check_encloses(const Interval& x, const Ball& ball, const std::string& what) {
  CAPTURE(what);
  CAPTURE(text(x));
  CHECK(encloses(Enclosure::of(x), ball));
  // The comparison can fail: an interval just above the value does not enclose it.
  const double above = std::nextafter(x.upper(), INFINITY);
  CHECK_FALSE(encloses(Enclosure::of(Interval(above, std::nextafter(above, INFINITY), true)), ball));
}

}  // namespace

TEST_SUITE("step evaluation") {

TEST_CASE("the term statement of every derivation is the obligation's statement") {
  int compared = 0;
  for (const Obligation* ob : all_obligations()) {
    const auto d = ob->derivation();
    if (!d) continue;
    for (const Settings& s : test_settings(*d)) {
      const auto p = Params<Interval>::from(s);
      const Chain chain = derivation_chain(*d, Rational(1));
      int inside = 0;
      for (const Case& c : test_cases(*ob, s)) {
        CAPTURE(ob->meta().id);
        CAPTURE(s.n);
        CAPTURE(s.R);
        CAPTURE(describe(c));
        TermEvaluator ev(bind_signature(d->statement.signature, c, s));
        if (!statement_domain(d->statement, ev).inside) continue;
        ++inside;
        const Evaluation<Interval> e = ob->evaluate(c, p);
        const Interval lhs = ev.scalar(d->statement.claim.lhs), rhs = ev.scalar(d->statement.claim.rhs);
        const Interval cf = e.constant * e.factor;
        CAPTURE(text(lhs));
        CAPTURE(text(e.lhs));
        CAPTURE(text(rhs));
        CAPTURE(text(cf));
        // An upper bound reads lhs ≤ C·factor; a lower bound (bounds.alpha_lower) C·factor ≤ lhs.
        const bool lower = ob->meta().direction == Direction::lower_bound;
        CHECK(overlap(lhs, lower ? cf : e.lhs));
        CHECK(overlap(rhs, lower ? e.lhs : cf));
        const auto sides = evaluate_chain(chain, d->statement, c, s);
        REQUIRE(sides);
        for (size_t j = 0; j < sides->size(); ++j) {
          CAPTURE(j + 1);
          CAPTURE(chain.justification[j]);
          CAPTURE(text((*sides)[j].from));
          CAPTURE(text((*sides)[j].to));
          CHECK(judge_step((*sides)[j], chain.identity[j]) != StepVerdict::violated);
        }
        ++compared;
      }
      CAPTURE(ob->meta().id);
      CAPTURE(s.n);
      CHECK(inside > 0);  // the families reach the statement's domain at both settings
    }
  }
  CHECK(compared > 100);
}

TEST_CASE("no step of a registered derivation is violated on the check's cases") {
  CheckOptions o;
  o.samples = 8;
  o.search = 200;
  o.seed = kSeed;
  for (const Obligation* ob : all_obligations()) {
    if (!ob->derivation()) continue;
    const StepReportSet r = evaluate_steps(*ob, check_cases(*ob, o), o.settings);
    CAPTURE(ob->meta().id);
    CAPTURE(r.note);
    CHECK(r.kernel_proved);
    CHECK(r.inside > 0);
    CHECK(r.not_evaluable == 0);
    CHECK(r.false_accepted_steps() == 0);
    for (const StepSummary& st : r.steps) {
      CAPTURE(st.step);
      CHECK(st.accepted);
      CHECK(st.violated == 0);
    }
  }
}

TEST_CASE("a false inequality step and a false identity are found violated") {
  const Settings s = settings(2, 1, "1");
  const Term v = named("v");
  const Case c = vector_case({1.0, 1.0});  // ‖v‖₂ = √2 > ‖v‖_∞ = 1 = ‖v‖₁/2
  for (const auto& [d, identity] :
       {std::pair{about_v(norm2(v), norm_inf(v), by_rule("hadamard")), false},
        std::pair{about_v(norm2(v), mul({num(1, 2), norm1(v)}), by_algebra()), true}}) {
    const Chain chain = derivation_chain(d, Rational(1));
    REQUIRE(chain.identity.front() == identity);
    const auto sides = evaluate_chain(chain, d.statement, c, s);
    REQUIRE(sides);
    CHECK(judge_step(sides->front(), identity) == StepVerdict::violated);
  }
  // A true step on the same case holds, and a true identity is consistent.
  const Derivation ok = about_v(norm_inf(v), norm2(v), by_rule("hadamard"));
  const auto sides = evaluate_chain(derivation_chain(ok, Rational(1)), ok.statement, c, s);
  REQUIRE(sides);
  CHECK(judge_step(sides->front(), false) == StepVerdict::holds);
  CHECK(judge_step({Interval(1.0), Interval(1.0)}, true) == StepVerdict::consistent);
}

TEST_CASE("cases outside the statement's hypotheses are skipped") {
  const Obligation* ob = find_obligation("sharp.gd_step");
  REQUIRE(ob);
  const auto d = ob->derivation();
  const Settings s = settings(2, 1, "1");
  Case c;
  c.family = "test";
  c.inputs = {{"A", Eigen::MatrixXd::Constant(2, 1, 1.0)},  // ‖A‖ = √2 > R = 1
              {"x", Eigen::MatrixXd::Constant(1, 1, 0.5)},
              {"b", Eigen::MatrixXd::Constant(2, 1, 0.0)}};
  std::string why;
  CHECK_FALSE(evaluate_chain(derivation_chain(*d, Rational(1)), d->statement, c, s, &why).has_value());
  CHECK(why.find("‖A‖") != std::string::npos);
  c.inputs["A"] *= 0.5;  // ‖A‖ = √2/2 ≤ 1
  CHECK(evaluate_chain(derivation_chain(*d, Rational(1)), d->statement, c, s).has_value());
}

TEST_CASE("terms the evaluator cannot evaluate are errors, not values") {
  const Settings s = settings(2, 1, "1");
  const Case c = vector_case({1.0, -1.0});
  Signature sig;
  sig.symbols = {{"n", at_least(1)}};
  sig.inputs = {{"v", vector_of("n")}};
  TermEvaluator ev(bind_signature(sig, c, s));
  const Term v = named("v");
  CHECK_THROWS_AS(ev.scalar(coord(v)), TermEvalError);                // vᵢ outside maxᵢ
  CHECK_THROWS_AS(ev.scalar(log(dot_ones(v))), TermEvalError);        // log 0
  CHECK_THROWS_AS(ev.scalar(sym("t")), TermEvalError);                // unbound symbol
  CHECK_THROWS_AS(ev.scalar(v), TermEvalError);                       // a vector, not a number
  CHECK_THROWS_AS(bind_signature(sig, Case{}, s), TermEvalError);     // the case lacks v
  Signature wrong = sig;
  wrong.inputs["w"] = vector_of("n");
  Case c2 = c;
  c2.inputs["w"] = Eigen::MatrixXd::Zero(3, 1);  // n = 2 from v, 3 from w
  CHECK_THROWS_AS(bind_signature(wrong, c2, s), TermEvalError);
}

TEST_CASE("the evaluator's enclosures contain an independent Arb oracle") {
  std::mt19937_64 rng(kSeed);
  const oracle::ModelOracle arb(kBits);
  for (int trial = 0; trial < 6; ++trial) {
    const int n = 2 + trial, d = 1 + trial % 3;
    const double scale = trial < 3 ? 1.0 : 3.0;
    Eigen::MatrixXd a(n, d), x(d, 1), y(d, 1), b(n, 1);
    for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = scale * (2 * oracle::unit(rng) - 1);
    for (Eigen::Index i = 0; i < d; ++i) x(i) = 2 * oracle::unit(rng) - 1, y(i) = x(i) + 0.01 * (2 * oracle::unit(rng) - 1);
    for (Eigen::Index i = 0; i < n; ++i) b(i) = oracle::unit(rng);
    Case c;
    c.family = "oracle";
    const Eigen::MatrixXd z = a * x;  // logits as exact points: the oracle's tie test needs exact balls
    c.inputs = {{"A", a}, {"x", x}, {"y", y}, {"b", b}, {"z", z}, {"t", Eigen::MatrixXd::Constant(1, 1, y(0) - x(0))}};
    CAPTURE(describe(c));
    Settings s = settings(n, d, "4");
    s.eta = "0.1";
    Signature sig;
    sig.symbols = {{"n", at_least(1)}, {"d", at_least(1)}, {"R", positive()}, {"η", positive()}, {"t", between(-1, 1)}};
    sig.inputs = {{"A", matrix_of("n", "d")}, {"x", vector_of("d")}, {"y", vector_of("d")}, {"b", vector_of("n")},
                  {"z", vector_of("n")}};
    TermEvaluator ev(bind_signature(sig, c, s));
    const Term A = named("A"), X = named("x"), Y = named("y"), B = named("b"), eta = sym("η");
    const BMat ab = oracle::exact(a), xb = oracle::exact(x), yb = oracle::exact(y), bb = oracle::exact(b);

    // ‖x_{t+1} − x_t‖₂ with x_{t+1} = x_t − ηAᵀ(diag(f) − ffᵀ)(f − b): the oracle's chain-rule gradient.
    const Term f = softmax(apply(A, X));
    const Term step = norm2(mul({eta, apply(transpose(A), apply(jac(f), sub(f, B)))}));
    check_encloses(ev.scalar(step), norm2(minus(arb.gradient_step(ab, xb, bb, rational_ball(1, 10)), xb)), "gd step");

    // ‖softmax(Ax) − softmax(Ay)‖₂.
    const Term lip = norm2(sub(softmax(apply(A, X)), softmax(apply(A, Y))));
    check_encloses(ev.scalar(lip), norm2(minus(arb.f(ab, xb), arb.f(ab, yb))), "softmax difference");

    // ‖diag(p) − ppᵀ‖₂ at p = softmax(z): the spectral norm's certified enclosure.
    check_encloses(ev.scalar(opnorm(jac(softmax(named("z"))))), arb.softmax_jacobian_norm(oracle::exact(z)),
                   "jacobian norm");

    // maxᵢ |e^{(A(y − x))ᵢ} − 1| and Σ_{j≠i} pⱼ at the worst i.
    const Term w = apply(A, sub(Y, X));
    const BMat wb = arb.matvec(ab, minus(yb, xb));
    Ball worst, t;
    for (Eigen::Index i = 0; i < n; ++i) {
      arb_expm1(t.b, wb[i], kBits);
      arb_abs(t.b, t.b);
      arb_max(worst.b, worst.b, t.b, kBits);
    }
    check_encloses(ev.scalar(max_index(abs(sub(exp(coord(w)), num(1))))), worst, "max |exp − 1|");
    const BMat p = arb.f(ab, xb);
    Ball others_max(-1.0);
    for (Eigen::Index i = 0; i < n; ++i) {
      Ball others;
      for (Eigen::Index j = 0; j < n; ++j)
        if (j != i) arb_add(others.b, others.b, p[j], kBits);
      arb_mul(others.b, others.b, p[i], kBits);
      arb_max(others_max.b, others_max.b, others.b, kBits);
    }
    check_encloses(ev.scalar(max_index(mul({coord(f), sum_others(f)}))), others_max, "max pᵢ Σ_{j≠i} pⱼ");

    // φ₁(t), n^{3/2}, R^{1/3}·e^{−R²} and β (the paper's e^{−R²}).
    const double tv = y(0) - x(0);
    Ball phi;
    arb_set_d(t.b, tv);
    arb_expm1(phi.b, t.b, kBits);
    if (tv != 0) arb_div(phi.b, phi.b, t.b, kBits);
    else arb_one(phi.b);
    check_encloses(ev.scalar(phi1(sym("t"))), phi, "phi1");
    Ball pw;
    arb_set_si(pw.b, n);
    arb_pow(pw.b, pw.b, rational_ball(3, 2).b, kBits);
    check_encloses(ev.scalar(pow(sym("n"), Rational(3, 2))), pw, "n^{3/2}");
    Ball r(4.0), r2, e;
    arb_pow(pw.b, r.b, rational_ball(1, 3).b, kBits);
    arb_sqr(r2.b, r.b, kBits);
    arb_neg(r2.b, r2.b);
    arb_exp(e.b, r2.b, kBits);
    arb_mul(pw.b, pw.b, e.b, kBits);
    check_encloses(ev.scalar(mul({pow(sym("R"), Rational(1, 3)), exp(neg(pow(sym("R"), Rational(2))))})), pw,
                   "R^{1/3} e^{−R²}");
  }
}

TEST_CASE("check --steps prints each step and exits 0 on the registered derivations") {
  const auto r = test::run_cli("check sharp.gd_step sharp.shift_x fact.sum_cs id.gradient --steps --samples 4 "
                               "--search 100 --counterexamples ''");
  CAPTURE(r.out);
  CAPTURE(r.err);
  CHECK(r.code == 0);
  CHECK(r.out.find("steps of sharp.gd_step") != std::string::npos);
  CHECK(r.out.find("steps of sharp.shift_x") != std::string::npos);
  CHECK(r.out.find("id.gradient: no derivation") != std::string::npos);
  CHECK(r.out.find("rule operator_norm") != std::string::npos);
  CHECK(r.out.find("VIOLATED") == std::string::npos);
}

TEST_CASE("prove --all-n --markdown shows each step's slack at the best certified witness") {
  const std::string dir = test::scratch_dir("step-witness");
  const auto r = test::run_cli("prove sharp.gd_step fact.inv_diff --all-n --markdown " + dir + "/a.md --json " + dir +
                                   "/a.json",
                               dir);
  CAPTURE(r.out);
  REQUIRE(r.code == 0);
  const std::string md = test::slurp(dir + "/a.md");
  CHECK(md.find("| log10 slack at the witness |") != std::string::npos);
  CHECK(md.find("a check at n = 8, d = 4, R = 4") != std::string::npos);
  CHECK(md.find("64 random cases and a search of 4000 evaluations") != std::string::npos);  // check's defaults
  const auto j = nlohmann::json::parse(test::slurp(dir + "/a.json"));
  for (const auto& res : j["results"]) {
    CAPTURE(res["id"]);
    const auto& w = res["slack_at_witness"];
    REQUIRE(w.is_object());
    CHECK(w["settings"]["n"] == 8);
    CHECK(w["steps"].size() == res["steps"].size());
    for (const auto& st : w["steps"])
      if (!st["slack"].is_null()) CHECK(st["slack"][1].get<double>() >= st["slack"][0].get<double>());
  }
}

/// The last cell of each step row of one obligation's table in the appendix ("end" included).
static std::vector<std::string> slack_cells(const std::string& md, const std::string& id) {
  const size_t start = md.find("\n## " + id + ":");
  REQUIRE(start != std::string::npos);
  const size_t end = md.find("\n## ", start + 1);
  std::istringstream in(md.substr(start, end - start));
  std::vector<std::string> cells;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| ", 0) != 0 || line.rfind("| step ", 0) == 0) continue;
    REQUIRE(line.size() > 2);
    const std::string body = line.substr(0, line.size() - 2);  // without the closing " |"
    cells.push_back(body.substr(body.rfind(" | ") + 3));
  }
  return cells;
}

struct Printed {
  double lo = 0, hi = 0;
};
static std::optional<Printed> printed_interval(const std::string& cell) {
  Printed p;
  if (std::sscanf(cell.c_str(), "[%lf, %lf]", &p.lo, &p.hi) != 2) return std::nullopt;
  return p;
}

TEST_CASE("prove --all-n --markdown gives one log10 slack per step, 0 inside at identities, summing to the witness ratio") {
  const std::string dir = test::scratch_dir("step-witness-entries");
  const auto r = test::run_cli("prove sharp.shift_x fact.exp_near_one --all-n --witness-samples 4 --witness-search 200 "
                               "--markdown " + dir + "/a.md --json " + dir + "/a.json",
                               dir);
  CAPTURE(r.out);
  REQUIRE(r.code == 0);
  const std::string md = test::slurp(dir + "/a.md");
  const auto j = nlohmann::json::parse(test::slurp(dir + "/a.json"));
  for (const auto& res : j["results"]) {
    const std::string id = res["id"];
    CAPTURE(id);
    const auto& w = res["slack_at_witness"];
    const auto cells = slack_cells(md, id);
    // One entry per step, the last comparison E_k ≤ RHS included.
    REQUIRE(cells.size() == res["steps"].size());
    REQUIRE(cells.size() == w["steps"].size());
    int identities = 0, loose = 0;
    double sum_lo = 0, sum_hi = 0;
    for (size_t k = 0; k < cells.size(); ++k) {
      CAPTURE(k);
      CAPTURE(cells[k]);
      const auto p = printed_interval(cells[k]);
      REQUIRE(p);  // a number at every step: none of these witnesses lacks one
      CHECK(p->lo <= p->hi);
      const auto& st = w["steps"][k];
      if (st["identity"].get<bool>()) {
        // An exact identity: Eⱼ₊₁/Eⱼ = 1, so the printed log10 and the certified slack contain 0 and 1.
        ++identities;
        CHECK(p->lo <= 0);
        CHECK(p->hi >= 0);
        CHECK(st["slack"][0].get<double>() <= 1);
        CHECK(st["slack"][1].get<double>() >= 1);
      } else {
        CHECK(p->hi >= 0);  // an inequality step that holds at the witness: Eⱼ₊₁/Eⱼ is not below 1
      }
      loose += p->lo > 0;
      sum_lo += p->lo;
      sum_hi += p->hi;
    }
    CHECK(identities >= 2);  // sharp.shift_x: algebra, the right side; fact.exp_near_one: algebra, the right side
    // The slacks multiply to RHS/LHS = 1/ratio at the witness: their log10s add up to −log10(ratio).
    const double ratio_lo = std::stod(w["ratio"][0].get<std::string>()), ratio_hi = std::stod(w["ratio"][1].get<std::string>());
    CHECK(sum_lo <= -std::log10(ratio_lo) + 1e-9);
    CHECK(sum_hi >= -std::log10(ratio_hi) - 1e-9);
    // φ₁ ≤ 2 loses a factor of about 2 at fact.exp_near_one's best witness (ratio about 1/2).
    if (id == "fact.exp_near_one") CHECK(loose >= 1);
  }
}

TEST_CASE("thm.shift_x's witness on the boundary ‖A‖ = R still gets a slack at every step, and the loss sits in two steps") {
  // The search drives A to ‖A‖ = R, where a double enclosure of ‖A‖ straddles R; the check
  // certified the witness inside (escalating precision), so its steps are evaluated there.
  const std::string dir = test::scratch_dir("step-witness-boundary");
  const auto r = test::run_cli("prove thm.shift_x --all-n --markdown " + dir + "/a.md --json " + dir + "/a.json", dir);
  CAPTURE(r.out);
  REQUIRE(r.code == 0);
  const std::string md = test::slurp(dir + "/a.md");
  const auto j = nlohmann::json::parse(test::slurp(dir + "/a.json"));
  const auto& res = j["results"][0];
  const auto cells = slack_cells(md, "thm.shift_x");
  REQUIRE(cells.size() == res["steps"].size());
  std::vector<size_t> loose;
  for (size_t k = 0; k < cells.size(); ++k) {
    CAPTURE(cells[k]);
    const auto p = printed_interval(cells[k]);
    REQUIRE(p);
    if (p->lo > 1) loose.push_back(k);
  }
  // lip_x.f at β = e^{−R²} (step 2) and thm.absorb (step 4): about 10^30 and 10^40 at R = 4.
  CHECK(loose == std::vector<size_t>{1, 3});
  // A lemma proved by two cited proofs is listed once.
  const auto first = md.find("- φ₁ ≤ 2 near 0");
  REQUIRE(first != std::string::npos);
  CHECK(md.find("- φ₁ ≤ 2 near 0", first + 1) == std::string::npos);
}

TEST_CASE("a step without a certified slack at the witness is marked with a dash and a footnote, never a number") {
  const Obligation* ob = find_obligation("sharp.shift_x");
  REQUIRE(ob);
  std::vector<AllNResult> results = {prove_all_n(*ob)};
  REQUIRE(results[0].status == ProofStatus::proved);
  const std::size_t steps = results[0].report.steps.size();
  WitnessSlack w;
  w.options = witness_check_options();
  w.chain = derivation_chain(*ob->derivation(), Rational(1));
  REQUIRE(w.chain.terms.size() == steps + 1);
  w.witness = Case{};
  w.witness->family = "test";
  // Step 2 starts at a value that may be 0, step 3 ends at an unbounded one; the others are identities at 1.
  const double inf = std::numeric_limits<double>::infinity();
  w.sides.assign(steps, StepSides{Interval(1), Interval(1)});
  w.sides[1] = {Interval(0, 1), Interval(1)};
  w.sides[2] = {Interval(1), Interval(1, inf)};
  const std::string md = report::derivations_markdown(results, {w});
  const auto cells = slack_cells(md, "sharp.shift_x");
  REQUIRE(cells.size() == steps);
  CHECK(cells[0] == "[0, 0]");
  CHECK(cells[1] == "–[^s1]");
  CHECK(cells[2] == "–[^s2]");
  CHECK(md.find("[^s1]: sharp.shift_x, step 2: Eⱼ = [0, ") != std::string::npos);
  CHECK(md.find("is not certainly > 0, so Eⱼ₊₁/Eⱼ is not defined.") != std::string::npos);
  CHECK(md.find("[^s2]: sharp.shift_x, step 3: an enclosure is not finite") != std::string::npos);
  const auto j = report::derivations_json(results, nlohmann::json::object(), {w});
  const auto& js = j["results"][0]["slack_at_witness"]["steps"];
  CHECK(js[1]["slack"].is_null());
  CHECK(js[2]["slack"].is_null());
  CHECK(js[2]["note"].get<std::string>().find("not finite") != std::string::npos);

  // No witness at all: every step gets the same footnote with the check's reason.
  WitnessSlack none;
  none.options = w.options;
  none.chain = w.chain;
  none.note = "the check found no certified case inside the statement's domain";
  const std::string md2 = report::derivations_markdown(results, {none});
  for (const std::string& c : slack_cells(md2, "sharp.shift_x")) CHECK(c == "–[^s1]");
  CHECK(md2.find("[^s1]: sharp.shift_x, every step: the check found no certified case") != std::string::npos);
  CHECK(md2.find("[^s2]") == std::string::npos);
}

TEST_CASE("the --witness options of prove are for --all-n, and a bad witness setting is an input error") {
  const std::string dir = test::scratch_dir("step-witness-options");
  const auto box = test::run_cli("prove sharp.shift_x --witness-n 2", dir);
  CHECK(box.code == 2);
  CHECK(box.err.find("--witness-n") != std::string::npos);
  const auto bad = test::run_cli("prove sharp.shift_x --all-n --markdown " + dir + "/a.md --witness-R 0", dir);
  CHECK(bad.code == 2);
  CHECK(test::line_count(bad.err) == 1);
  CHECK(bad.err.find("--witness-R") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/a.md"));
}

}  // TEST_SUITE

}  // namespace test_step_eval
