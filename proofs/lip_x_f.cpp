// lip_x.f: ‖f(x) − f(y)‖₂ ≤ 4β⁻² n^{1.5} R e^{2R²} ‖x − y‖₂ on the x-type domain.
// Chain (statements.md): f(x) − f(y) = α(x)⁻¹(u(x) − u(y)) + (α(x)⁻¹ − α(y)⁻¹)u(y), then
// lip_x.u, lip_x.alpha_inv, bounds.u_2 and β⁻¹ ≤ β⁻²·n e^{R²}.
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct LipXF {
  static Meta meta() {
    return {.id = "lip_x.f",
            .kind = Kind::paper,
            .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, Lipschitz chain in x (after DLS23 Lemma 7.2)",
            .statement = "‖f(x) − f(y)‖₂ ≤ 4β⁻² n^{1.5} R e^{2R²} ‖x − y‖₂",
            .constant_expression = "4β⁻² n^{1.5} R e^{2R²}"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domain::x_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(4) / ops::sqr(beta) * domain::n_pow_1_5(p) * p.R * ops::exp(T(2) * p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>("A");
    const Vec<T> x = c.vec<T>("x"), y = c.vec<T>("y");
    Evaluation<T> e;
    domain::require_x_type(e, p, a, x, y);
    const T beta = domain::beta(e, p, model::alpha(a, x), model::alpha(a, y));
    e.lhs = norm2<T>(Vec<T>(model::f(a, x) - model::f(a, y)));
    e.constant = constant(p, beta);
    e.factor = norm2<T>(Vec<T>(x - y));
    return e;
  }
  /// Prover: mean value in x, J_f(ξ) = (diag(p) − ppᵀ)A with p = f(ξ), β = e^{−R²} (admissible).
  static ProofForm proof_form(const Settings& s) {
    return domain::mean_value_form_x(s, "‖(diag(p) − ppᵀ)A‖ ≤ maxᵢ(½ − 2(pᵢ − ½)²)·‖A‖");
  }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>& p) {
    Evaluation<T> e = domain::softmax_mean_value_x(box, p);
    e.constant = constant(p, p.beta_value ? *p.beta_value : ops::exp(-p.R2()));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domain::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domain::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domain::x_type_project(c, s); }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipXF)
