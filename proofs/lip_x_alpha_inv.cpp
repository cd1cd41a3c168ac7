// lip_x.alpha_inv: |α(x)⁻¹ − α(y)⁻¹| ≤ β⁻² · 2nR e^{R²} ‖x − y‖₂ (lip_x.alpha and fact.inv_diff).
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct LipXAlphaInv {
  static Meta meta() {
    return {.id = "lip_x.alpha_inv", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, Lipschitz chain in x",
            .statement = "|α(x)⁻¹ − α(y)⁻¹| ≤ β⁻² · 2nR e^{R²} ‖x − y‖₂",
            .constant_expression = "β⁻² · 2nR e^{R²}"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domain::x_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(2) * domain::n_scalar(p) * p.R * ops::exp(p.R2()) / ops::sqr(beta);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>("A");
    const Vec<T> x = c.vec<T>("x"), y = c.vec<T>("y");
    Evaluation<T> e;
    domain::require_x_type(e, p, a, x, y);
    const T ax = model::alpha(a, x), ay = model::alpha(a, y);
    const T beta = domain::beta(e, p, ax, ay);
    e.lhs = ops::abs(T(1) / ax - T(1) / ay);
    e.constant = constant(p, beta);
    e.factor = norm2<T>(Vec<T>(x - y));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domain::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domain::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domain::x_type_project(c, s); }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipXAlphaInv)
