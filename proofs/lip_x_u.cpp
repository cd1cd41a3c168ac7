// lip_x.u: ‖u(x) − u(y)‖₂ ≤ 2√n R e^{R²} ‖x − y‖₂ on the x-type domain (DLS23 Lemma 7.2 Part 1).
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct LipXU {
  static Meta meta() {
    return {.id = "lip_x.u", .kind = Kind::paper, .provenance = "confirmed",
            .citation = "DLS23 (arXiv 2304.10411) Lemma 7.2 Part 1",
            .statement = "‖u(x) − u(y)‖₂ ≤ 2√n R e^{R²} ‖x − y‖₂",
            .constant_expression = "2√n R e^{R²}"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domain::x_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(2) * ops::sqrt(domain::n_scalar(p)) * p.R * ops::exp(p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>("A");
    const Vec<T> x = c.vec<T>("x"), y = c.vec<T>("y");
    Evaluation<T> e;
    domain::require_x_type(e, p, a, x, y);
    e.lhs = norm2<T>(Vec<T>(model::u(a, x) - model::u(a, y)));
    e.constant = constant(p, T(1));
    e.factor = norm2<T>(Vec<T>(x - y));
    return e;
  }
  /// Prover: mean value in x, ‖J_u(ξ)‖ = ‖diag(u(ξ))A‖ ≤ ‖u(ξ)‖_∞‖A‖.
  static ProofForm proof_form(const Settings& s) { return domain::mean_value_form_x(s, "‖diag(u(ξ))A‖ ≤ ‖u(ξ)‖_∞‖A‖"); }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>& p) {
    const Mat<T> a = box.mat<T>("A");
    const Vec<T> xi = box.vec<T>("xi");
    Evaluation<T> e;
    domain::require_mean_value_domain(e, p, a, xi, "ξ");
    // ‖u(ξ)‖_∞ ≤ e^{‖A‖‖ξ‖₂} as well (Cauchy–Schwarz per row): keep the smaller upper bound.
    const T norm_a = domain::opnorm<T>(a);
    e.lhs = ops::min(norm_inf<T>(model::u(a, xi)), ops::exp(norm_a * norm2<T>(xi))) * norm_a;
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domain::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domain::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domain::x_type_project(c, s); }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipXU)
