// lip_x.alpha_inv: |α(x)⁻¹ − α(y)⁻¹| ≤ β⁻² · 2nR e^{R²} ‖x − y‖₂ (lip_x.alpha and fact.inv_diff).
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct LipXAlphaInv {
  static Meta meta() {
    return {.id = "lip_x.alpha_inv", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, Lipschitz chain in x",
            .statement = "|α(x)⁻¹ − α(y)⁻¹| ≤ β⁻² · 2nR e^{R²} ‖x − y‖₂",
            .constant_expression = "β⁻² · 2nR e^{R²}",
            .domain = "‖A‖ ≤ R, ‖x‖₂ ≤ R, ‖y‖₂ ≤ R, ‖A(x − y)‖_∞ < 1/100, R ≥ 4 (both points in the ball); "
                      "0 < β ≤ min(α(x), α(y)) (by default β = e^{−R²}, admissible everywhere on this domain)",
            .attained = "not attained: dividing the mean-value bound √n R e^{R²}‖x − y‖₂ on |α(x) − α(y)| "
                        "by α(x)α(y) ≥ β² gives β⁻²√n R e^{R²}, 2√n times smaller"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domains::x_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(2) * domains::n_scalar(p) * p.R * ops::exp(p.R2()) / ops::sqr(beta);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x), y = c.vec<T>(input::y);
    Evaluation<T> e;
    domains::require_x_type(e, p, a, x, y);
    const T ax = model::alpha(a, x), ay = model::alpha(a, y);
    const T beta = domains::beta(e, p, ax, ay);
    e.lhs = ops::abs(T(1) / ax - T(1) / ay);
    e.constant = constant(p, beta);
    e.factor = linalg::norm2<T>(Vec<T>(x - y));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::x_type_project(c, s); }
  /// |α(x)⁻¹ − α(y)⁻¹| ≤ β⁻²|α(x) − α(y)| (fact.inv_diff, α ≥ β > 0 at both points) ≤ β⁻²·2nR e^{R²}‖x − y‖₂
  /// (lip_x.alpha); for every admissible β.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    namespace mt = model_terms;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R ≥ 4, every β > 0 and A, x, y with ‖A‖ ≤ R, ‖x‖₂ ≤ R, ‖y‖₂ ≤ R, "
              "‖A(x − y)‖_∞ < 1/100, β ≤ α(x), β ≤ α(y)";
    d.statement = mt::x_type_statement(true);
    const Term A = named("A"), x = named("x"), y = named("y"), D = norm2(sub(x, y));
    const Term ax = mt::alpha(A, x), ay = mt::alpha(A, y);
    d.names = {{ax, "α(x)"}, {ay, "α(y)"}};
    d.statement.claim = {abs(sub(inv(ax), inv(ay))), mt::lip_alpha_inv_bound(D)};
    d.steps = {
        {mul({pow(sym("β"), Rational(-2)), abs(sub(ax, ay))}), by_obligation("fact.inv_diff", {{"a", ax}, {"b", ay}, {"β", sym("β")}})},
        {mul({pow(sym("β"), Rational(-2)), mt::lip_alpha_bound(D)}), by_obligation("lip_x.alpha", {{"A", A}, {"x", x}, {"y", y}})},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipXAlphaInv)
