// lip_x.alpha: |α(x) − α(y)| ≤ 2nR e^{R²} ‖x − y‖₂ on the x-type domain (lip_x.u and fact.sum_cs).
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct LipXAlpha {
  static Meta meta() {
    return {.id = "lip_x.alpha", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, Lipschitz chain in x",
            .statement = "|α(x) − α(y)| ≤ 2nR e^{R²} ‖x − y‖₂",
            .constant_expression = "2nR e^{R²}",
            .domain = "‖A‖ ≤ R, ‖x‖₂ ≤ R, ‖y‖₂ ≤ R, ‖A(x − y)‖_∞ < 1/100, R ≥ 4 (both points in the ball)",
            .attained = "not attained: the mean-value theorem with ‖Aᵀu(ξ)‖₂ ≤ R‖u(ξ)‖₂ ≤ √n R e^{R²} "
                        "gives a constant 2√n times smaller"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domains::x_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(2) * domains::n_scalar(p) * p.R * ops::exp(p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x), y = c.vec<T>(input::y);
    Evaluation<T> e;
    domains::require_x_type(e, p, a, x, y);
    e.lhs = ops::abs(model::alpha(a, x) - model::alpha(a, y));
    e.constant = constant(p, T(1));
    e.factor = linalg::norm2<T>(Vec<T>(x - y));
    return e;
  }
  /// Prover: mean value in x, ∇α(ξ) = Aᵀu(ξ).
  static ProofForm proof_form(const Settings& s) { return domains::mean_value_form_x(s, "‖∇α(ξ)‖₂ = ‖Aᵀu(ξ)‖₂", domains::Invariance::rotation); }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>& p) {
    const Mat<T> a = box.mat<T>(input::A);
    const Vec<T> xi = box.vec<T>(input::xi);
    Evaluation<T> e;
    // ‖A‖ and ‖ξ‖₂ contracted by their hypotheses (at most R each on any box).
    const auto norms = domains::require_mean_value_domain(e, p, a, xi, "ξ");
    // Also ‖Aᵀu‖₂ ≤ ‖A‖·√n·e^{‖A‖‖ξ‖₂}: keep the smaller upper bound.
    e.lhs = ops::min(linalg::norm2<T>(model::matvec_transposed(a, model::u(a, xi))),
                     norms.matrix * ops::sqrt(domains::n_scalar(p)) * ops::exp(norms.matrix * norms.vector));
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::x_type_project(c, s); }
  /// |α(x) − α(y)| = |⟨u(x) − u(y), 1⟩| ≤ √n‖u(x) − u(y)‖₂ ≤ √n·2√n R e^{R²}‖x − y‖₂ (lip_x.u).
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    namespace mt = model_terms;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R ≥ 4, every A, x, y with ‖A‖ ≤ R, ‖x‖₂ ≤ R, ‖y‖₂ ≤ R, ‖A(x − y)‖_∞ < 1/100";
    d.statement = mt::x_type_statement(false);
    const Term A = named("A"), x = named("x"), y = named("y"), D = norm2(sub(x, y));
    d.names = {{mt::alpha(A, x), "α(x)"}, {mt::alpha(A, y), "α(y)"}, {mt::u(A, x), "u(x)"}, {mt::u(A, y), "u(y)"}};
    d.statement.claim = {abs(sub(mt::alpha(A, x), mt::alpha(A, y))), mt::lip_alpha_bound(D)};
    const Term du = sub(mt::u(A, x), mt::u(A, y));
    d.steps = {
        {abs(dot_ones(du)), by_algebra()},
        {mul({sqrt(sym("n")), norm2(du)}), by_rule("cauchy_schwarz_ones")},
        {mul({sqrt(sym("n")), mt::lip_u_bound(D)}), by_obligation("lip_x.u", {{"A", A}, {"x", x}, {"y", y}})},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipXAlpha)
