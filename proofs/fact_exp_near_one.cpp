// fact.exp_near_one: |eᵗ − 1| ≤ 2|t| for |t| ≤ 1/100 (used by lip_x.u to bound 1 − exp(A(y − x))).
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct FactExpNearOne {
  static Meta meta() {
    return {.id = "fact.exp_near_one", .kind = Kind::fact, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, preliminaries (approximation of exp near 0)",
            .statement = "|eᵗ − 1| ≤ 2|t| for |t| ≤ 0.01", .constant_expression = "2",
            .domain = "real t with |t| ≤ 1/100",
            .attained = "not attained: on this range |eᵗ − 1| ≤ κ|t| with κ = 100(e^{1/100} − 1) ≈ 1.005, "
                        "so 2 is loose by about a factor 2 (see sharp.exp_near_one)"};
  }
  static std::vector<InputSpec> inputs(const Settings&) { return {{input::t, 1, 1, "argument"}}; }
  template <class T>
  static T constant(const Params<T>&, [[maybe_unused]] const T& beta) {
    return T(2);
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
  /// eᵗ − 1 = t·φ₁(t) and φ₁ ≤ 2 on [−1/100, 1/100] (a scalar lemma; φ₁ ≈ 1 there, so it is not
  /// tight and branch and bound closes at once). Tight at t = 0 only through the factor |t|.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "every t with |t| ≤ 1/100";
    d.statement.signature.symbols = {{"t", between(Rational(-1, 100), Rational(1, 100))}};
    const Term t = sym("t");
    d.statement.claim = {abs(sub(exp(t), num(1))), mul({num(2), abs(t)})};
    ScalarLemma phi_small{"φ₁ ≤ 2 near 0", {{"s", between(Rational(-1, 100), Rational(1, 100))}},
                          {phi1(sym("s")), num(2)}, std::nullopt};
    d.steps = {
        {abs(mul({t, phi1(t)})), by_rule("expm1_factor")},
        {mul({abs(t), phi1(t)}), by_algebra()},
        {mul({abs(t), num(2)}), by_lemma(phi_small, {{"s", t}})},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::FactExpNearOne)
