// lip_x.alpha: |α(x) − α(y)| ≤ 2nR e^{R²} ‖x − y‖₂ on the x-type domain (lip_x.u and fact.sum_cs).
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct LipXAlpha {
  static Meta meta() {
    return {.id = "lip_x.alpha", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, Lipschitz chain in x",
            .statement = "|α(x) − α(y)| ≤ 2nR e^{R²} ‖x − y‖₂",
            .constant_expression = "2nR e^{R²}"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domain::x_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(2) * domain::n_scalar(p) * p.R * ops::exp(p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>("A");
    const Vec<T> x = c.vec<T>("x"), y = c.vec<T>("y");
    Evaluation<T> e;
    domain::require_x_type(e, p, a, x, y);
    e.lhs = ops::abs(model::alpha(a, x) - model::alpha(a, y));
    e.constant = constant(p, T(1));
    e.factor = norm2<T>(Vec<T>(x - y));
    return e;
  }
  /// Prover: mean value in x, ∇α(ξ) = Aᵀu(ξ).
  static ProofForm proof_form(const Settings& s) { return domain::mean_value_form_x(s, "‖∇α(ξ)‖₂ = ‖Aᵀu(ξ)‖₂"); }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>& p) {
    const Mat<T> a = box.mat<T>("A");
    const Vec<T> xi = box.vec<T>("xi");
    Evaluation<T> e;
    domain::require_mean_value_domain(e, p, a, xi, "ξ");
    // Also ‖Aᵀu‖₂ ≤ ‖A‖·√n·e^{‖A‖‖ξ‖₂}: keep the smaller upper bound.
    const T norm_a = domain::opnorm<T>(a);
    e.lhs = ops::min(norm2<T>(model::matvec_transposed(a, model::u(a, xi))),
                     norm_a * ops::sqrt(domain::n_scalar(p)) * ops::exp(norm_a * norm2<T>(xi)));
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domain::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domain::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domain::x_type_project(c, s); }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipXAlpha)
