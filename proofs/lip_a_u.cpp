// lip_a.u: ‖u(A) − u(B)‖₂ ≤ 2√n R e^{R²} ‖A − B‖ on the A-type domain (DLS23 Lemma 7.2 Part 1).
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct LipAU {
  static Meta meta() {
    return {.id = "lip_a.u", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, Lipschitz chain in A (A-analogue of DLS23 Lemma 7.2 Part 1)",
            .statement = "‖u(A) − u(B)‖₂ ≤ 2√n R e^{R²} ‖A − B‖",
            .constant_expression = "2√n R e^{R²}"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domain::a_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(2) * ops::sqrt(domain::n_scalar(p)) * p.R * ops::exp(p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>("A"), b = c.mat<T>("B");
    const Vec<T> x = c.vec<T>("x");
    Evaluation<T> e;
    domain::require_a_type(e, p, a, b, x);
    e.lhs = norm2<T>(Vec<T>(model::u(a, x) - model::u(b, x)));
    e.constant = constant(p, T(1));
    e.factor = domain::opnorm<T>(Mat<T>(a - b));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domain::a_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domain::a_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domain::a_type_project(c, s); }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipAU)
