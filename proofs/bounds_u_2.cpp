// bounds.u_2: ‖u(x)‖₂ ≤ √n e^{R²} under ‖A‖ ≤ R, ‖x‖₂ ≤ R (DLS23 Lemma 7.2 Part 0 and its companions).
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct BoundsU2 {
  static Meta meta() {
    return {.id = "bounds.u_2", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "DLS23 Lemma 7.2, companion of Part 0",
            .statement = "‖u(x)‖₂ ≤ √n e^{R²}", .constant_expression = "√n e^{R²}",
            .domain = "A ∈ ℝ^{n×d} with ‖A‖ ≤ R and x ∈ ℝ^d with ‖x‖₂ ≤ R, for any R > 0 (R ≥ 4 is not needed)",
            .attained = "only for n = 1 (A = R·vᵀ, x = Rv, ‖v‖₂ = 1); "
                        "never for n ≥ 2, since ‖Ax‖₂ ≤ R² forbids all n logits being R² at once"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return {{input::A, s.n, s.d, "data"}, {input::x, s.d, 1, "weights"}}; }
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return ops::sqrt(domains::n_scalar(p)) * ops::exp(p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x);
    Evaluation<T> e;
    domains::require_matrix_in_ball(e, p, a, "A");
    domains::require_vector_in_ball(e, p, x, "x");
    e.lhs = linalg::norm2<T>(model::u(a, x));
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::ball_project(c, s); }
  /// ‖u‖₂ ≤ √n‖u‖_∞ ≤ √n e^{R²} (bounds.u_inf).
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R > 0, every A with ‖A‖ ≤ R and x with ‖x‖₂ ≤ R";
    d.statement = model_terms::ball_statement();
    const Term A = named("A"), x = named("x"), R = sym("R"), u = model_terms::u(A, x);
    d.names = {{u, "u(x)"}};
    d.statement.claim = {norm2(u), mul({sqrt(sym("n")), model_terms::e_R2(R)})};
    d.steps = {
        {mul({sqrt(sym("n")), norm_inf(u)}), by_rule("2_le_sqrt_dim_inf")},
        {mul({sqrt(sym("n")), model_terms::e_R2(R)}), by_obligation("bounds.u_inf", {{"A", A}, {"x", x}})},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::BoundsU2)
