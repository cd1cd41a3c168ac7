// lip_a.f: ‖f(A) − f(B)‖₂ ≤ 4β⁻² n^{1.5} R e^{2R²} ‖A − B‖ on the A-type domain.
// Chain (statements.md): f(A) − f(B) = α(A)⁻¹(u(A) − u(B)) + (α(A)⁻¹ − α(B)⁻¹)u(B), then
// lip_a.u, lip_a.alpha_inv, bounds.u_2 and β⁻¹ ≤ β⁻²·n e^{R²}.
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct LipAF {
  static Meta meta() {
    return {.id = "lip_a.f",
            .kind = Kind::paper,
            .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, Lipschitz chain in A (after DLS23 Lemma 7.2)",
            .statement = "‖f(A) − f(B)‖₂ ≤ 4β⁻² n^{1.5} R e^{2R²} ‖A − B‖",
            .constant_expression = "4β⁻² n^{1.5} R e^{2R²}"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domain::a_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(4) / ops::sqr(beta) * domain::n_pow_1_5(p) * p.R * ops::exp(T(2) * p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>("A"), b = c.mat<T>("B");
    const Vec<T> x = c.vec<T>("x");
    Evaluation<T> e;
    domain::require_a_type(e, p, a, b, x);
    const T beta = domain::beta(e, p, model::alpha(a, x), model::alpha(b, x));
    e.lhs = norm2<T>(Vec<T>(model::f(a, x) - model::f(b, x)));
    e.constant = constant(p, beta);
    e.factor = domain::opnorm<T>(Mat<T>(a - b));
    return e;
  }
  /// Prover: mean value in A, ‖∂f/∂A[H]‖₂ = ‖(diag(p) − ppᵀ)Hx‖₂ ≤ ‖diag(p) − ppᵀ‖‖x‖₂‖H‖.
  static ProofForm proof_form(const Settings& s) {
    return domain::mean_value_form_a(s, "maxᵢ(½ − 2(pᵢ − ½)²)·‖x‖₂");
  }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>& p) {
    Evaluation<T> e = domain::softmax_mean_value_a(box, p);
    e.constant = constant(p, p.beta_value ? *p.beta_value : ops::exp(-p.R2()));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domain::a_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domain::a_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domain::a_type_project(c, s); }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipAF)
