// bounds.f_2: ‖f(x)‖₂ ≤ 1 under ‖A‖ ≤ R, ‖x‖₂ ≤ R (DLS23 Lemma 7.2 Part 0 and its companions).
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct BoundsF2 {
  static Meta meta() {
    return {.id = "bounds.f_2", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "DLS23 Lemma 7.2, companion of Part 0",
            .statement = "‖f(x)‖₂ ≤ 1", .constant_expression = "1",
            .domain = "A ∈ ℝ^{n×d} with ‖A‖ ≤ R and x ∈ ℝ^d with ‖x‖₂ ≤ R, for any R > 0 (R ≥ 4 is not needed)",
            .attained = "only for n = 1 (f = 1); for n ≥ 2 never: every logit lies in [−R², R²], so f stays off the "
                        "simplex's vertices (‖f‖₂ → 1 only as one logit's lead grows without bound)"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return {{input::A, s.n, s.d, "data"}, {input::x, s.d, 1, "weights"}}; }
  template <class T>
  static T constant([[maybe_unused]] const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(1);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x);
    Evaluation<T> e;
    domains::require_matrix_in_ball(e, p, a, "A");
    domains::require_vector_in_ball(e, p, x, "x");
    e.lhs = linalg::norm2<T>(model::f(a, x));
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::ball_project(c, s); }
  /// ‖f‖₂ ≤ ‖f‖₁ = 1: true for every A and x (the norm bounds of the domain are not needed).
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, every A ∈ ℝ^{n×d} and x ∈ ℝ^d (no norm bound needed)";
    d.statement.signature.symbols = {{"n", at_least(1)}, {"d", at_least(1)}};
    d.statement.signature.inputs = {{"A", matrix_of("n", "d")}, {"x", vector_of("d")}};
    const Term f = model_terms::f(named("A"), named("x"));
    d.names = {{f, "f(x)"}};
    d.statement.claim = {norm2(f), num(1)};
    d.steps = {
        {norm1(f), by_rule("2_le_1")},
        {num(1), by_rule("softmax_norm1")},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::BoundsF2)
