// lip_x.f: ‖f(x) − f(y)‖₂ ≤ 4β⁻² n^{1.5} R e^{2R²} ‖x − y‖₂ on the x-type domain.
// Chain (the paper's, as in proofs/STATEMENTS.md): f(x) − f(y) = α(x)⁻¹(u(x) − u(y)) + (α(x)⁻¹ − α(y)⁻¹)u(y), then
// lip_x.u, lip_x.alpha_inv, bounds.u_2 and β⁻¹ ≤ β⁻²·n e^{R²}.
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct LipXF {
  static Meta meta() {
    return {.id = "lip_x.f",
            .kind = Kind::paper,
            .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, Lipschitz chain in x (after DLS23 Lemma 7.2)",
            .statement = "‖f(x) − f(y)‖₂ ≤ 4β⁻² n^{1.5} R e^{2R²} ‖x − y‖₂",
            .constant_expression = "4β⁻² n^{1.5} R e^{2R²}",
            .domain = "‖A‖ ≤ R, ‖x‖₂ ≤ R, ‖y‖₂ ≤ R, ‖A(x − y)‖_∞ < 1/100, R ≥ 4 (both points in the ball); "
                      "0 < β ≤ min(α(x), α(y)) (by default β = e^{−R²}, admissible everywhere on this domain)",
            .attained = "not attained: the constant is loose; on this domain ‖f(x) − f(y)‖₂ ≤ (R/2)‖x − y‖₂ "
                        "already holds (sharp.lip_x.f)"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domains::x_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(4) / ops::sqr(beta) * domains::n_pow_1_5(p) * p.R * ops::exp(T(2) * p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x), y = c.vec<T>(input::y);
    Evaluation<T> e;
    domains::require_x_type(e, p, a, x, y);
    const T beta = domains::beta(e, p, model::alpha(a, x), model::alpha(a, y));
    e.lhs = linalg::norm2<T>(Vec<T>(model::f(a, x) - model::f(a, y)));
    e.constant = constant(p, beta);
    e.factor = linalg::norm2<T>(Vec<T>(x - y));
    return e;
  }
  /// Prover: mean value in x, J_f(ξ) = (diag(p) − ppᵀ)A with p = f(ξ), β = e^{−R²} (admissible).
  static ProofForm proof_form(const Settings& s) {
    return domains::mean_value_form_x(s, "‖(diag(p) − ppᵀ)A‖ ≤ maxᵢ(½ − 2(pᵢ − ½)²)·‖A‖", domains::Invariance::rotation);
  }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>& p) {
    Evaluation<T> e = domains::softmax_mean_value_x(box, p);
    e.constant = constant(p, p.beta_value ? *p.beta_value : ops::exp(-p.R2()));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::x_type_project(c, s); }
  /// The paper's split f(x) − f(y) = α(x)⁻¹(u(x) − u(y)) + (α(x)⁻¹ − α(y)⁻¹)u(y), then lip_x.u,
  /// lip_x.alpha_inv, bounds.u_2 and β⁻¹ ≤ β⁻²α(x) ≤ β⁻²n e^{R²}; for every admissible β.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    namespace mt = model_terms;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R ≥ 4, every β > 0 and A, x, y with ‖A‖ ≤ R, ‖x‖₂ ≤ R, ‖y‖₂ ≤ R, "
              "‖A(x − y)‖_∞ < 1/100, β ≤ α(x), β ≤ α(y)";
    d.statement = mt::x_type_statement(true);
    const Term A = named("A"), x = named("x"), y = named("y"), D = norm2(sub(x, y));
    d.names = {{mt::f(A, x), "f(x)"}, {mt::f(A, y), "f(y)"}, {mt::u(A, x), "u(x)"}, {mt::u(A, y), "u(y)"},
               {mt::alpha(A, x), "α(x)"}, {mt::alpha(A, y), "α(y)"}};
    d.statement.claim = {norm2(sub(mt::f(A, x), mt::f(A, y))), mt::lip_f_bound(D)};
    d.steps = mt::f_difference_chain(A, x, A, y,
                                     {"lip_x.u", "lip_x.alpha_inv", {{"A", A}, {"x", x}, {"y", y}}, mt::x_beta_x,
                                      mt::lip_u_bound(D), mt::lip_alpha_inv_bound(D)});
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipXF)
