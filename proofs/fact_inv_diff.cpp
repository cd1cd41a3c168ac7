// fact.inv_diff: |a⁻¹ − b⁻¹| ≤ β⁻²|a − b| for a, b ≥ β > 0 (used for α⁻¹ in both chains).
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct FactInvDiff {
  static Meta meta() {
    return {.id = "fact.inv_diff", .kind = Kind::fact, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, preliminaries",
            .statement = "|a⁻¹ − b⁻¹| ≤ β⁻²|a − b| for a, b ≥ β > 0", .constant_expression = "β⁻²",
            .domain = "real a, b, β with β > 0, a ≥ β and b ≥ β",
            .attained = "approached as a and b both tend to β: the left side over the right is β²/(ab), "
                        "below 1 except at a = b = β, where both sides vanish"};
  }
  static std::vector<InputSpec> inputs(const Settings&) {
    return {{input::a, 1, 1, "first number"}, {input::b, 1, 1, "second number"}, {input::beta, 1, 1, "common lower bound"}};
  }
  template <class T>
  static T constant(const Params<T>&, const T& beta) {
    return T(1) / ops::sqr(beta);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const T a = c.scalar<T>(input::a), b = c.scalar<T>(input::b), beta = c.scalar<T>(input::beta);
    Evaluation<T> e;
    e.require("β > 0", beta, true);
    e.require("a ≥ β", a - beta);
    e.require("b ≥ β", b - beta);
    e.lhs = ops::abs(T(1) / a - T(1) / b);
    e.constant = constant(p, beta);
    e.factor = ops::abs(a - b);
    return e;
  }
  static Case make(const char* family, double a, double b, double beta) {
    Case c;
    c.family = family;
    c.inputs[input::a] = Eigen::MatrixXd::Constant(1, 1, a);
    c.inputs[input::b] = Eigen::MatrixXd::Constant(1, 1, b);
    c.inputs[input::beta] = Eigen::MatrixXd::Constant(1, 1, beta);
    return c;
  }
  static std::vector<Case> families(const Settings&, Rng&) {
    // The bound is approached as a, b → β.
    return {make("at-beta", 1.0, 1.0 + 1e-9, 1.0), make("at-beta", 1e-7, 1e-7 * (1 + 1e-6), 1e-7),
            make("far", 3.0, 1e6, 0.5), make("at-beta", 0x1p-60, 0x1.0000001p-60, 0x1p-60)};
  }
  static Case random_case(const Settings&, Rng& rng) {
    const double beta = std::pow(10.0, rng.uniform(-8, 3));
    return make("random", beta * (1 + rng.uniform(0, 2)), beta * (1 + rng.uniform(0, 2)), beta);
  }
  static void project(Case& c, const Settings&) {
    double& beta = c.at(input::beta)(0, 0);
    beta = std::max(std::fabs(beta), 1e-300);
    for (const char* k : {"a", "b"}) c.inputs.at(k)(0, 0) = std::max(c.inputs.at(k)(0, 0), beta);
    if (c.at(input::a)(0, 0) == c.at(input::b)(0, 0)) c.at(input::b)(0, 0) *= 1 + 1e-12;
  }
  /// a⁻¹ − b⁻¹ = (b − a)a⁻¹b⁻¹, then a⁻¹, b⁻¹ ≤ β⁻¹ (x ↦ x⁻¹ decreasing on x > 0).
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "every a, b, β with a ≥ β > 0, b ≥ β";
    d.statement.signature.symbols = {{"a", positive()}, {"b", positive()}, {"β", positive()}};
    const Term a = sym("a"), b = sym("b"), beta = sym("β");
    d.statement.hypotheses = {{beta, a}, {beta, b}};
    d.statement.claim = {abs(sub(inv(a), inv(b))), mul({pow(beta, Rational(-2)), abs(sub(a, b))})};
    d.steps = {
        {abs(mul({sub(b, a), inv(a), inv(b)})), by_algebra()},
        {mul({abs(sub(b, a)), abs(inv(a)), abs(inv(b))}), by_rule("abs_product")},
        {mul({abs(sub(b, a)), inv(a), inv(b)}), by_algebra()},
        {mul({abs(sub(b, a)), inv(beta), inv(b)}), by_hypothesis(0)},
        {mul({abs(sub(b, a)), inv(beta), inv(beta)}), by_hypothesis(1)},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::FactInvDiff)
