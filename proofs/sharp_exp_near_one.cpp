// sharp.exp_near_one: |eᵗ − 1| ≤ κ|t| for |t| ≤ 1/100 with κ = 100(e^{1/100} − 1), attained at t = 1/100.
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct SharpExpNearOne {
  static Meta meta() {
    return {.id = "sharp.exp_near_one", .kind = Kind::sharp, .provenance = "derived",
            .citation = "derived: sharp form of fact.exp_near_one (e^t − 1)/t is increasing",
            .statement = "|eᵗ − 1| ≤ κ|t| for |t| ≤ 1/100, κ = 100(e^{1/100} − 1)",
            .constant_expression = "κ = 100(e^{1/100} − 1)",
            .domain = "real t with |t| ≤ 1/100",
            .attained = "at t = 1/100, since (eᵗ − 1)/t increases with t; "
                        "1/100 is not a double, so inputs only approach it"};
  }
  static std::vector<InputSpec> inputs(const Settings&) { return {{input::t, 1, 1, "argument"}}; }
  template <class T>
  static T constant(const Params<T>&, [[maybe_unused]] const T& beta) {
    return ops::expm1(domains::one_hundredth<T>()) * T(100);  // built from 1/100, never the double 0.01
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const T t = c.scalar<T>(input::t);
    Evaluation<T> e;
    e.require("|t| ≤ 1/100", domains::one_hundredth<T>() - ops::abs(t));
    e.lhs = ops::abs(ops::expm1(t));
    e.constant = constant(p, T(1));
    e.factor = ops::abs(t);
    return e;
  }
  static std::vector<Case> families(const Settings&, Rng&) { return domains::near_zero_families(); }
  static Case random_case(const Settings&, Rng& rng) { return domains::near_zero_random(rng); }
  static void project(Case& c, const Settings&) { domains::near_zero_project(c); }
  /// eᵗ − 1 = t·φ₁(t) and φ₁(t) ≤ φ₁(1/100) = κ because φ₁ is increasing: exact at t = 1/100,
  /// where bisection could never close.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "every t with |t| ≤ 1/100";
    d.statement.signature.symbols = {{"t", between(Rational(-1, 100), Rational(1, 100))}};
    const Term t = sym("t"), hundredth = num(1, 100);
    const Term kappa = mul({num(100), sub(exp(hundredth), num(1))});
    d.statement.claim = {abs(sub(exp(t), num(1))), mul({kappa, abs(t)})};
    d.steps = {
        {abs(mul({t, phi1(t)})), by_rule("expm1_factor")},
        {mul({abs(t), phi1(t)}), by_algebra()},
        {mul({abs(t), phi1(hundredth)}), by_range("t")},
        {mul({abs(t), mul({sub(exp(hundredth), num(1)), inv(hundredth)})}), by_rule("phi1_value")},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::SharpExpNearOne)
