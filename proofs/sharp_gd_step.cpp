// sharp.gd_step: ‖x_{t+1} − x_t‖₂ ≤ η(R/2)‖c(x_t)‖₂ for ‖A‖ ≤ R, any x_t, b, η > 0, with
// x_{t+1} = x_t − η∇L(x_t) carried exactly (as an enclosure). Attained at ‖A‖ = R, p = (½, ½),
// c ∥ (1, −1) along A's top left singular vector.
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct SharpGdStep {
  static Meta meta() {
    return {.id = "sharp.gd_step", .kind = Kind::sharp, .provenance = "derived",
            .citation = "derived: ‖∇L‖ ≤ ‖A‖·‖diag(f) − ffᵀ‖·‖c‖ with sharp.softmax_jacobian",
            .statement = "‖x_{t+1} − x_t‖₂ ≤ η(R/2)‖c(x_t)‖₂ for ‖A‖ ≤ R, any x_t, b, η > 0",
            .constant_expression = "ηR/2"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) {
    return {{"A", s.n, s.d, "data"}, {"x", s.d, 1, "x_t"}, {"b", s.n, 1, "target"}};
  }
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return p.eta * p.R / T(2);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>("A");
    const Vec<T> x = c.vec<T>("x"), b = c.vec<T>("b");
    Evaluation<T> e;
    e.require("η > 0", p.eta, true);
    domain::require_matrix_in_ball(e, p, a, "A");
    const Vec<T> x_next = model::gradient_step(a, x, b, p.eta);
    e.lhs = norm2<T>(Vec<T>(x_next - x));
    e.constant = constant(p, T(1));
    e.factor = norm2<T>(model::c(a, x, b));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domain::gradient_step_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domain::ball_random(s, rng); }
  static void project(Case& c, const Settings& s) {
    shrink(c, s);
  }

 private:
  static void shrink(Case& c, const Settings& s) { domain::shrink_matrix_into(c.inputs.at("A"), domain::radius(s)); }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::SharpGdStep)
