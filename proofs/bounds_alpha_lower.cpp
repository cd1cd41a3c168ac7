// bounds.alpha_lower: α(x) ≥ n e^{−R²} under ‖A‖ ≤ R, ‖x‖₂ ≤ R (DLS23 Lemma 7.2 Part 0 and its companions).
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct BoundsAlphaLower {
  static Meta meta() {
    return {.id = "bounds.alpha_lower", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "DLS23 Lemma 7.2, companion of Part 0",
            .statement = "α(x) ≥ n e^{−R²}", .constant_expression = "n e^{−R²}", .direction = Direction::lower_bound,
            .domain = "A ∈ ℝ^{n×d} with ‖A‖ ≤ R and x ∈ ℝ^d with ‖x‖₂ ≤ R, for any R > 0 (R ≥ 4 is not needed)",
            .attained = "only for n = 1 (A = R·vᵀ, x = −Rv, ‖v‖₂ = 1); "
                        "for n ≥ 2 the least value of α is n e^{−R²/√n} (Jensen), taken at Ax = −(R²/√n)·1ₙ"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return {{input::A, s.n, s.d, "data"}, {input::x, s.d, 1, "weights"}}; }
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return domains::n_scalar(p) * ops::exp(-p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x);
    Evaluation<T> e;
    domains::require_matrix_in_ball(e, p, a, "A");
    domains::require_vector_in_ball(e, p, x, "x");
    e.lhs = model::alpha(a, x);
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::ball_project(c, s); }
  /// Read upwards: n e^{−R²} ≤ n e^{−‖A‖‖x‖₂} ≤ n e^{−‖Ax‖₂} ≤ n e^{−‖Ax‖_∞} ≤ Σᵢ e^{(Ax)ᵢ} = α(x)
  /// (each term of the sum is at least e^{−‖Ax‖_∞}).
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R > 0, every A with ‖A‖ ≤ R and x with ‖x‖₂ ≤ R";
    d.statement = model_terms::ball_statement();
    const Term A = named("A"), x = named("x"), R = sym("R"), n = sym("n"), z = apply(A, x);
    const Term alpha = model_terms::alpha(A, x);
    d.names = {{alpha, "α(x)"}};
    d.statement.claim = {mul({n, exp(neg(pow(R, Rational(2))))}), alpha};
    d.steps = {
        {mul({n, exp(neg(mul({R, R})))}), by_algebra()},
        {mul({n, exp(neg(mul({R, norm2(x)})))}), by_hypothesis(1)},
        {mul({n, exp(neg(mul({opnorm(A), norm2(x)})))}), by_hypothesis(0)},
        {mul({n, exp(neg(norm2(z)))}), by_rule("operator_norm")},
        {mul({n, exp(neg(norm_inf(z)))}), by_rule("inf_le_2")},
        {alpha, by_rule("sum_exp_lower")},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::BoundsAlphaLower)
