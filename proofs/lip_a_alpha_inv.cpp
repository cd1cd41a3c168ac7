// lip_a.alpha_inv: |α(A)⁻¹ − α(B)⁻¹| ≤ β⁻² · 2nR e^{R²} ‖A − B‖ (lip_a.alpha and fact.inv_diff).
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct LipAAlphaInv {
  static Meta meta() {
    return {.id = "lip_a.alpha_inv", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, Lipschitz chain in A",
            .statement = "|α(A)⁻¹ − α(B)⁻¹| ≤ β⁻² · 2nR e^{R²} ‖A − B‖",
            .constant_expression = "β⁻² · 2nR e^{R²}",
            .domain = "‖A‖ ≤ R, ‖B‖ ≤ R, ‖x‖₂ ≤ R, ‖(A − B)x‖_∞ < 1/100, R ≥ 4 (both matrices in the ball); "
                      "0 < β ≤ min(α(A), α(B)) (by default β = e^{−R²}, admissible everywhere on this domain)",
            .attained = "not attained: dividing the mean-value bound √n R e^{R²}‖A − B‖ on |α(A) − α(B)| "
                        "by α(A)α(B) ≥ β² gives β⁻²√n R e^{R²}, 2√n times smaller"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domains::a_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(2) * domains::n_scalar(p) * p.R * ops::exp(p.R2()) / ops::sqr(beta);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A), b = c.mat<T>(input::B);
    const Vec<T> x = c.vec<T>(input::x);
    Evaluation<T> e;
    domains::require_a_type(e, p, a, b, x);
    const T ax = model::alpha(a, x), ay = model::alpha(b, x);
    const T beta = domains::beta(e, p, ax, ay);
    e.lhs = ops::abs(T(1) / ax - T(1) / ay);
    e.constant = constant(p, beta);
    e.factor = domains::opnorm<T>(Mat<T>(a - b));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::a_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::a_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::a_type_project(c, s); }
  /// |α(A)⁻¹ − α(B)⁻¹| ≤ β⁻²|α(A) − α(B)| (fact.inv_diff) ≤ β⁻²·2nR e^{R²}‖A − B‖ (lip_a.alpha); for
  /// every admissible β.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    namespace mt = model_terms;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R ≥ 4, every β > 0 and A, B, x with ‖A‖ ≤ R, ‖B‖ ≤ R, ‖x‖₂ ≤ R, "
              "‖(A − B)x‖_∞ < 1/100, β ≤ α(A), β ≤ α(B)";
    d.statement = mt::a_type_statement(true);
    const Term A = named("A"), B = named("B"), x = named("x"), D = opnorm(sub(A, B));
    const Term aa = mt::alpha(A, x), ab = mt::alpha(B, x);
    d.names = {{aa, "α(A)"}, {ab, "α(B)"}};
    d.statement.claim = {abs(sub(inv(aa), inv(ab))), mt::lip_alpha_inv_bound(D)};
    d.steps = {
        {mul({pow(sym("β"), Rational(-2)), abs(sub(aa, ab))}), by_obligation("fact.inv_diff", {{"a", aa}, {"b", ab}, {"β", sym("β")}})},
        {mul({pow(sym("β"), Rational(-2)), mt::lip_alpha_bound(D)}), by_obligation("lip_a.alpha", {{"A", A}, {"B", B}, {"x", x}})},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipAAlphaInv)
