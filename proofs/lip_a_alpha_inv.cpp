// lip_a.alpha_inv: |α(A)⁻¹ − α(B)⁻¹| ≤ β⁻² · 2nR e^{R²} ‖A − B‖ (lip_a.alpha and fact.inv_diff).
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct LipAAlphaInv {
  static Meta meta() {
    return {.id = "lip_a.alpha_inv", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, Lipschitz chain in A",
            .statement = "|α(A)⁻¹ − α(B)⁻¹| ≤ β⁻² · 2nR e^{R²} ‖A − B‖",
            .constant_expression = "β⁻² · 2nR e^{R²}"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domain::a_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(2) * domain::n_scalar(p) * p.R * ops::exp(p.R2()) / ops::sqr(beta);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>("A"), b = c.mat<T>("B");
    const Vec<T> x = c.vec<T>("x");
    Evaluation<T> e;
    domain::require_a_type(e, p, a, b, x);
    const T ax = model::alpha(a, x), ay = model::alpha(b, x);
    const T beta = domain::beta(e, p, ax, ay);
    e.lhs = ops::abs(T(1) / ax - T(1) / ay);
    e.constant = constant(p, beta);
    e.factor = domain::opnorm<T>(Mat<T>(a - b));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domain::a_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domain::a_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domain::a_type_project(c, s); }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipAAlphaInv)
