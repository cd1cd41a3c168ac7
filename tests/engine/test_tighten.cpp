// certbound tighten: the certified enclosure of the best constant contains it where it is known
// exactly (½ for the softmax Jacobian at n = 2; 81/100 and 100/81 for two test statements), closes
// to the target, keeps its witness and certificate replayable, and reports a witness above a
// proved scale as the contradiction it is.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "certbound/arith/decimal.hpp"
#include "certbound/engine/tighten.hpp"
#include "certbound/obligation/obligation.hpp"
#include "run_cli.hpp"

using certbound::test::run_cli;
using certbound::test::scratch_dir;
using certbound::test::slurp;
using nlohmann::json;

// The file's own namespace keeps its using-directives from the files after it in a unity batch.
namespace test_tighten {

namespace {

using namespace certbound;

/// t ∈ [−9/10, 9/10]: k·t² ≤ C with C = 1, so the best constant is k·81/100 (attained at t = ±9/10).
/// Unsound = true: the proof form claims a left side of 0 on every box (a broken prover).
template <int K, bool Unsound>
struct SquareOnInterval {
  static Meta meta() {
    return {.id = Unsound ? "test.unsound_square" : "test.square", .kind = Kind::fact, .provenance = "test",
            .citation = "test", .statement = "k t² ≤ 1", .constant_expression = "1", .domain = "|t| ≤ 9/10", .attained = ""};
  }
  static std::vector<InputSpec> inputs(const Settings&) { return {{input::t, 1, 1, "argument"}}; }
  template <class T>
  static T constant(const Params<T>&, [[maybe_unused]] const T& beta) {
    return T(1);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const T t = c.scalar<T>(input::t);
    Evaluation<T> e;
    e.require_at_most("|t| ≤ 9/10", "|t|", ops::abs(t), ops::rational<T>(9, 10));
    e.lhs = T(K) * ops::sqr(t);
    e.constant = constant(p, T(1));
    return e;
  }
  static ProofForm proof_form(const Settings&) {
    ProofForm f;
    f.reduction = "none: the statement itself on boxes";
    f.proved_statement = "the statement";
    f.variables = {{"t", 0, 0, -0.9, 0.9}};  // the double box contains [−9/10, 9/10]
    // The broken form must not refute by points either, or its own midpoints would expose it.
    f.refutable_by_points = !Unsound;
    return f;
  }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& c, const Params<T>& p) {
    Evaluation<T> e = evaluate<T>(c, p);
    if (Unsound) e.lhs = T(0);
    return e;
  }
  static Case at(double t) {
    Case c;
    c.family = "grid";
    c.inputs["t"] = Eigen::MatrixXd::Constant(1, 1, t);
    return c;
  }
  static std::vector<Case> families(const Settings&, Rng&) { return {at(0.9), at(-0.5), at(0.1)}; }
  static Case random_case(const Settings&, Rng& rng) { return at(rng.uniform(-0.9, 0.9)); }
  static void project(Case& c, const Settings&) { c.at(input::t)(0, 0) = std::clamp(c.at(input::t)(0, 0), -0.9, 0.9); }
};

/// A lower bound: 1 + t² ≥ C on |t| ≤ 9/10 with C = 1/2; its best constant (the largest) is 1, at t = 0.
struct OnePlusSquareLower {
  static Meta meta() {
    Meta m{.id = "test.lower", .kind = Kind::fact, .provenance = "test", .citation = "test",
           .statement = "1 + t² ≥ C", .constant_expression = "1/2", .domain = "|t| ≤ 9/10", .attained = ""};
    m.direction = Direction::lower_bound;
    return m;
  }
  static std::vector<InputSpec> inputs(const Settings&) { return {{input::t, 1, 1, "argument"}}; }
  template <class T>
  static T constant(const Params<T>&, [[maybe_unused]] const T& beta) {
    return ops::rational<T>(1, 2);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const T t = c.scalar<T>(input::t);
    Evaluation<T> e;
    e.require_at_most("|t| ≤ 9/10", "|t|", ops::abs(t), ops::rational<T>(9, 10));
    e.lhs = T(1) + ops::sqr(t);
    e.constant = constant(p, T(1));
    return e;
  }
  static ProofForm proof_form(const Settings& s) { return SquareOnInterval<1, false>::proof_form(s); }
  static std::vector<Case> families(const Settings&, Rng&) {
    return {SquareOnInterval<1, false>::at(0.0), SquareOnInterval<1, false>::at(0.5)};
  }
  static Case random_case(const Settings& s, Rng& rng) { return SquareOnInterval<1, false>::random_case(s, rng); }
  static void project(Case& c, const Settings& s) { SquareOnInterval<1, false>::project(c, s); }
};

TightenOptions small_options() {
  TightenOptions o;
  o.settings.n = 1;
  o.settings.d = 1;
  o.max_boxes = 20000;
  o.search.samples = 16;
  o.search.search = 200;
  return o;
}

double lower_end(const TightenResult& r) { return r.lo->lower_double(); }
double upper_end(const TightenResult& r) { return r.hi->upper_double(); }

}  // namespace

TEST_SUITE("tighten") {

TEST_CASE("the enclosure of an upper bound's best constant contains it and reaches the target") {
  const ObligationAdapter<SquareOnInterval<1, false>> ob;
  const TightenResult r = tighten(ob, small_options());
  REQUIRE(r.lo);
  REQUIRE(r.hi);
  const std::string stop = to_string(r.stop);
  CAPTURE(stop);
  CHECK(r.stop == TightenStop::target_reached);
  // The exact best constant 81/100, enclosed at 128 bits (0.81 is not a double).
  const Enclosure best = parse_enclosure("0.81", 128);
  CHECK(mpfr_cmp(r.lo->lo.get(), best.lo.get()) <= 0);
  CHECK(mpfr_cmp(r.hi->hi.get(), best.hi.get()) >= 0);
  CHECK(r.hi_over_lo <= 1.01);
  CHECK(r.hi_over_lo >= 1.0);
  REQUIRE(r.proved_scale);
  CHECK(r.proof->status == ProofStatus::proved);
  CHECK(r.attempts.size() >= 2);  // scale 1, then at least one below it
}

TEST_CASE("a lower bound's best constant (the largest) is enclosed from the other sides") {
  const ObligationAdapter<OnePlusSquareLower> ob;
  const TightenResult r = tighten(ob, small_options());
  REQUIRE(r.lo);
  REQUIRE(r.hi);
  // C* = min of 1 + t² = 1, at t = 0 (a family point): the witness gives hi, the proofs give lo.
  CHECK(lower_end(r) <= 1.0);
  CHECK(upper_end(r) >= 1.0);
  CHECK(r.hi_over_lo <= 1.01);
  CHECK(r.stop == TightenStop::target_reached);
}

TEST_CASE("a proof that claims less than a certified witness shows is a contradiction, never an enclosure") {
  // 2t² ≤ 1 is false at t = 9/10 (2·81/100 > 1); the broken proof form closes every box anyway.
  const ObligationAdapter<SquareOnInterval<2, true>> ob;
  const TightenResult r = tighten(ob, small_options());
  CHECK(r.stop == TightenStop::contradiction);
  CHECK(r.witness_scale > 1.5);  // t = 0.9 as a double lies just outside |t| ≤ 9/10
  REQUIRE(r.proved_scale);
  CHECK(*r.proved_scale == "1");
}

TEST_CASE("decimal scales are rounded up to short exact decimals") {
  CHECK(decimal_at_least(0.5) == "5.00000e-01");
  const std::string s = decimal_at_least(0.123456789);
  CHECK(s == "1.23457e-01");
  CHECK(std::stod(s) >= 0.123456789);
}

TEST_CASE("tighten on the softmax Jacobian at n 2 encloses one half and replays its artifacts") {
  const std::string dir = scratch_dir("tighten-cli");
  const auto r = run_cli("tighten sharp.softmax_jacobian --n 2 --d 2 --R 4 --quiet --json " + dir + "/t.json --witness " +
                         dir + "/w.json --certificate " + dir + "/c.cert");
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.find("the proof's box") != std::string::npos);  // proved on the box only: said so
  const json j = json::parse(slurp(dir + "/t.json"));
  const auto& res = j.at("result");
  CHECK(res.at("whole_domain") == false);
  const Enclosure lo = parse_enclosure(res.at("best_lo").get<std::string>(), 128);
  const Enclosure hi = parse_enclosure(res.at("best_hi").get<std::string>(), 128);
  CHECK(mpfr_cmp_d(lo.lo.get(), 0.5) <= 0);  // ½ is attained at z₁ = z₂: C* = ½ exactly
  CHECK(mpfr_cmp_d(hi.hi.get(), 0.5) >= 0);
  CHECK(mpfr_cmp_d(lo.lo.get(), 0.99 * 0.5) >= 0);
  CHECK(res.at("hi_over_lo").get<double>() <= 1.01);
  const auto replay = run_cli("replay " + dir + "/w.json");
  CAPTURE(replay.out);
  CHECK(replay.code == 0);
  const auto verify = run_cli("verify-certificate " + dir + "/c.cert");
  CAPTURE(verify.out);
  CHECK(verify.code == 5);  // a valid certificate of proved-on-box
}

TEST_CASE("tighten refuses what it cannot enclose, with exit 2 and the reason") {
  auto n1 = run_cli("tighten sharp.softmax_jacobian --n 1 --d 1 --quiet");
  CHECK(n1.code == 2);
  CHECK(n1.err.find("no certified witness with a positive ratio") != std::string::npos);
  auto tight = run_cli("tighten lip_x.u --n 2 --d 1 --beta tight --quiet");
  CHECK(tight.code == 2);
  CHECK(tight.err.find("--beta") != std::string::npos);
  auto no_form = run_cli("tighten fact.inv_diff --quiet");
  CHECK(no_form.code == 2);
  CHECK(no_form.err.find("no proof form") != std::string::npos);
  auto target = run_cli("tighten lip_x.u --target 1 --quiet");
  CHECK(target.code == 2);
  CHECK(target.err.find("--target") != std::string::npos);
  // R < 4: the chain lemmas' hypothesis R ≥ 4 fails at every case, so there is no witness at all.
  auto small_r = run_cli("tighten lip_x.alpha --n 2 --d 2 --R 1.75 --quiet");
  CHECK(small_r.code == 2);
  CHECK(small_r.err.find("none of check's cases satisfies the hypotheses") != std::string::npos);
  CHECK(small_r.err.find("R ≥ 4") != std::string::npos);
  CHECK(certbound::test::line_count(small_r.err) == 1);
}

}  // TEST_SUITE

TEST_SUITE("tighten") {

TEST_CASE("ci fails when a recorded tighten enclosure widens, and records one with --update") {
  const std::string dir = scratch_dir("tighten-ci");
  json doc = {{"schema_version", 1},
              {"checks", json::array()},
              {"proofs", json::array()},
              {"tighten", json::array({{{"id", "lip_x.u"}, {"settings", {{"n", 2}, {"d", 1}, {"R", "4"}}}}})}};
  std::ofstream(dir + "/e.json") << doc.dump();
  const auto missing = run_cli("ci --expected " + dir + "/e.json", dir);
  CHECK(missing.code == 1);  // no recorded enclosure yet
  REQUIRE(run_cli("ci --update --expected " + dir + "/e.json", dir).code == 0);
  const json updated = json::parse(slurp(dir + "/e.json"));
  const json results = updated.at("tighten").at(0).at("results");
  CHECK(results.at("stop") == "target reached");
  const auto same = run_cli("ci --expected " + dir + "/e.json", dir);
  CAPTURE(same.out);
  CHECK(same.code == 0);
  // A recorded enclosure narrower than what the run now certifies: the run's is wider, a regression.
  json narrower = updated;
  narrower["tighten"][0]["results"]["best_hi"] = results.at("best_hi").get<double>() * 0.999;
  std::ofstream(dir + "/e.json") << narrower.dump();
  const auto widened = run_cli("ci --expected " + dir + "/e.json", dir);
  CAPTURE(widened.out);
  CHECK(widened.code == 1);
  CHECK(widened.out.find("enclosure widened") != std::string::npos);
}

}  // TEST_SUITE

}  // namespace test_tighten
