// sharp.gd_step: ‖x_{t+1} − x_t‖₂ ≤ η(R/2)‖c(x_t)‖₂ for ‖A‖ ≤ R, any x_t, b, η > 0, with
// x_{t+1} = x_t − η∇L(x_t) carried exactly (as an enclosure). Attained at ‖A‖ = R, p = (½, ½),
// c ∥ (1, −1) along A's top left singular vector.
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/model_terms.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct SharpGdStep {
  static Meta meta() {
    return {.id = "sharp.gd_step", .kind = Kind::sharp, .provenance = "derived",
            .citation = "derived: ‖∇L‖ ≤ ‖A‖·‖diag(f) − ffᵀ‖·‖c‖ with sharp.softmax_jacobian",
            .statement = "‖x_{t+1} − x_t‖₂ ≤ η(R/2)‖c(x_t)‖₂ for ‖A‖ ≤ R, any x_t, b, η > 0",
            .constant_expression = "ηR/2",
            .domain = "η > 0, ‖A‖ ≤ R, any x_t ∈ ℝ^d and b ∈ ℝⁿ, x_{t+1} = x_t − η∇L(x_t) taken exactly "
                      "(no bound on x_t, no 1/100 step condition, no R ≥ 4)",
            .attained = "at n = 2 with ‖A‖ = R, f(x_t) = (½, ½) and c(x_t) ∥ (1, −1) along A's top left "
                        "singular vector; for n ≥ 3 approached as f(x_t) → (½, ½, 0, …), "
                        "except that with d = 1 and n ≥ 3 the constant is not reached (the logits lie on a line)"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) {
    return {{input::A, s.n, s.d, "data"}, {input::x, s.d, 1, "x_t"}, {input::b, s.n, 1, "target"}};
  }
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return p.eta * p.R / T(2);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x), b = c.vec<T>(input::b);
    Evaluation<T> e;
    e.require("η > 0", p.eta, true);
    domains::require_matrix_in_ball(e, p, a, "A");
    const Vec<T> x_next = model::gradient_step(a, x, b, p.eta);
    e.lhs = linalg::norm2<T>(Vec<T>(x_next - x));
    e.constant = constant(p, T(1));
    e.factor = linalg::norm2<T>(model::c(a, x, b));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::gradient_step_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::ball_random(s, rng); }
  static void project(Case& c, const Settings& s) {
    shrink(c, s);
  }

 private:
  static void shrink(Case& c, const Settings& s) { domains::shrink_matrix_into(c.at(input::A), domains::radius(s)); }

 public:
  /// x_{t+1} − x_t = −ηAᵀJc with J = diag(f) − ffᵀ, then ‖Mv‖₂ ≤ ‖M‖‖v‖₂ twice, ‖Aᵀ‖ = ‖A‖ ≤ R
  /// and ‖J‖ ≤ ½ (sharp.softmax_jacobian at z = Ax_t).
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R > 0, η > 0, every A with ‖A‖ ≤ R, every x_t, b";
    d.statement.signature.symbols = {{"n", at_least(1)}, {"d", at_least(1)}, {"R", positive()}, {"η", positive()}};
    d.statement.signature.inputs = {{"A", matrix_of("n", "d")}, {"x", vector_of("d")}, {"b", vector_of("n")}};
    const Term A = named("A"), x = named("x"), b = named("b"), R = sym("R"), eta = sym("η");
    const Term f = softmax(apply(A, x)), c = sub(f, b), J = jac(f);
    const Term x_next = model_terms::gradient_step(A, x, b, eta);  // x_t − η·Aᵀ J(f) c
    d.names = {{x, "x_t"}, {x_next, "x_{t+1}"}, {f, "f(x_t)"}, {c, "c(x_t)"}};
    d.statement.hypotheses = {{opnorm(A), R}};
    d.statement.claim = {norm2(sub(x_next, x)), mul({eta, R, num(1, 2), norm2(c)})};
    d.steps = {
        {mul({eta, norm2(apply(transpose(A), apply(J, c)))}), by_algebra()},
        {mul({eta, mul({opnorm(transpose(A)), norm2(apply(J, c))})}), by_rule("operator_norm")},
        {mul({eta, mul({opnorm(transpose(A)), mul({opnorm(J), norm2(c)})})}), by_rule("operator_norm")},
        {mul({eta, mul({opnorm(A), mul({opnorm(J), norm2(c)})})}), by_rule("transpose_norm")},
        {mul({eta, mul({R, mul({opnorm(J), norm2(c)})})}), by_hypothesis(0)},
        {mul({eta, mul({R, mul({num(1, 2), norm2(c)})})}), by_obligation("sharp.softmax_jacobian", {{"z", apply(A, x)}})},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::SharpGdStep)
