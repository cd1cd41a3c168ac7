// bounds.f_2: ‖f(x)‖₂ ≤ 1 under ‖A‖ ≤ R, ‖x‖₂ ≤ R (DLS23 Lemma 7.2 Part 0 and its companions).
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct BoundsF2 {
  static Meta meta() {
    return {.id = "bounds.f_2", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "DLS23 Lemma 7.2, companion of Part 0",
            .statement = "‖f(x)‖₂ ≤ 1", .constant_expression = "1"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return {{"A", s.n, s.d, "data"}, {"x", s.d, 1, "weights"}}; }
  template <class T>
  static T constant([[maybe_unused]] const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(1);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>("A");
    const Vec<T> x = c.vec<T>("x");
    Evaluation<T> e;
    domain::require_matrix_in_ball(e, p, a, "A");
    domain::require_vector_in_ball(e, p, x, "x");
    e.lhs = norm2<T>(model::f(a, x));
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domain::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domain::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domain::ball_project(c, s); }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::BoundsF2)
