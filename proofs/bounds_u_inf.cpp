// bounds.u_inf: ‖u(x)‖_∞ ≤ e^{R²} under ‖A‖ ≤ R, ‖x‖₂ ≤ R (DLS23 Lemma 7.2 Part 0 and its companions).
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct BoundsUInf {
  static Meta meta() {
    return {.id = "bounds.u_inf", .kind = Kind::paper, .provenance = "confirmed",
            .citation = "DLS23 (arXiv 2304.10411) Lemma 7.2 Part 0",
            .statement = "‖u(x)‖_∞ ≤ e^{R²}", .constant_expression = "e^{R²}",
            .domain = "A ∈ ℝ^{n×d} with ‖A‖ ≤ R and x ∈ ℝ^d with ‖x‖₂ ≤ R, for any R > 0 (R ≥ 4 is not needed)",
            .attained = "exactly at a rank-one A = R·e₁vᵀ with x = Rv, ‖v‖₂ = 1: "
                        "then (Ax)₁ = R², the largest logit the ball allows"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return {{input::A, s.n, s.d, "data"}, {input::x, s.d, 1, "weights"}}; }
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return ops::exp(p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x);
    Evaluation<T> e;
    domains::require_matrix_in_ball(e, p, a, "A");
    domains::require_vector_in_ball(e, p, x, "x");
    e.lhs = linalg::norm_inf<T>(model::u(a, x));
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::ball_project(c, s); }
  /// ‖exp(Ax)‖_∞ = maxᵢ e^{(Ax)ᵢ} ≤ e^{‖Ax‖_∞} ≤ e^{‖Ax‖₂} ≤ e^{‖A‖‖x‖₂} ≤ e^{R²}.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R > 0, every A with ‖A‖ ≤ R and x with ‖x‖₂ ≤ R";
    d.statement = model_terms::ball_statement();
    const Term A = named("A"), x = named("x"), R = sym("R"), z = apply(A, x), u = model_terms::u(A, x);
    d.names = {{u, "u(x)"}};
    d.statement.claim = {norm_inf(u), model_terms::e_R2(R)};
    d.steps = {
        {max_index(abs(coord(u))), by_rule("norm_inf_entries")},
        {max_index(exp(coord(z))), by_algebra()},
        {max_index(exp(abs(coord(z)))), by_rule("le_abs")},
        {max_index(exp(norm_inf(z))), by_rule("entry_le_norm_inf")},
        {exp(norm_inf(z)), by_algebra()},
        {exp(norm2(z)), by_rule("inf_le_2")},
        {exp(mul({opnorm(A), norm2(x)})), by_rule("operator_norm")},
        {exp(mul({R, norm2(x)})), by_hypothesis(0)},
        {exp(mul({R, R})), by_hypothesis(1)},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::BoundsUInf)
