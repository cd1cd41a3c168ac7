// sharp.shift_x: thm.shift_x with the sharp constant M' = R/2 in place of M = n^{1.5}e^{10R²}:
// ‖b̃ − b‖₂ ≤ (R/2)‖x_{t+1} − x_t‖₂ for ‖A‖ ≤ R alone, x_{t+1} = x_t − η∇L(x_t) and b̃ carried as
// enclosures of their exact values. b̃ − b = f(x_t) − f(x_{t+1}), so it is sharp.lip_x.f with
// ‖A(x_{t+1} − x_t)‖₂ ≤ ‖A‖‖x_{t+1} − x_t‖₂ (proofs/STATEMENTS.md, "What is loose in the paper").
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/model_terms.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct SharpShiftX {
  static Meta meta() {
    return {.id = "sharp.shift_x", .kind = Kind::sharp, .provenance = "derived",
            .citation = "derived: sharp constant of thm.shift_x (sharp.lip_x.f and ‖A(x_{t+1} − x_t)‖₂ ≤ "
                        "‖A‖‖x_{t+1} − x_t‖₂)",
            .statement = "‖b̃ − b‖₂ ≤ M'‖x_{t+1} − x_t‖₂, b̃ = b + f(x_t) − f(x_{t+1}), M' = R/2, for ‖A‖ ≤ R",
            .constant_expression = "M' = R/2",
            .domain = "η > 0, ‖A‖ ≤ R, any x_t ∈ ℝ^d and b ∈ ℝⁿ, x_{t+1} = x_t − η∇L(x_t) taken exactly "
                      "(no bound on x_t or x_{t+1}, no 1/100 step condition, no R ≥ 4)",
            .attained = "approached, never reached, as x_{t+1} → x_t (η → 0, or b → f(x_t): the step is "
                        "η·Aᵀ(diag(f) − ffᵀ)(f(x_t) − b)) with ‖A‖ = R, f(x_t) = (½, ½) and A's top left singular "
                        "vector ∥ (1, −1), e.g. n = 2, d = 1, A = (R/√2)(1, −1)ᵀ, x_t = 0; for n ≥ 3 and d ≥ 2 "
                        "approached as f(x_t) → (½, ½, 0, …); with d = 1 and n ≥ 3 the constant is not reached "
                        "(the logits Ax lie on a line, as for sharp.lip_x.f); at n = 1 f is constant and the left "
                        "side is 0"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) {
    return {{input::A, s.n, s.d, "data"}, {input::x, s.d, 1, "x_t"}, {input::b, s.n, 1, "target"}};
  }
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return p.R / T(2);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x), b = c.vec<T>(input::b);
    Evaluation<T> e;
    e.require("η > 0", p.eta, true);
    domains::require_matrix_in_ball(e, p, a, "A");
    const Vec<T> x_next = model::gradient_step(a, x, b, p.eta);
    const Vec<T> b_tilde = model::weight_shift_target(a, x, x_next, b);
    e.lhs = linalg::norm2<T>(Vec<T>(b_tilde - b));
    e.constant = constant(p, T(1));
    e.factor = linalg::norm2<T>(Vec<T>(x_next - x));
    return e;
  }
  /// Prover: the mean-value form of sharp.lip_x.f. The box compares the Jacobian bound with ½, R
  /// divided out of both sides: comparing R·(bound) with R/2 would fail to close at the exact
  /// constant whenever R is not a dyadic number (its two enclosures are rounded apart).
  static ProofForm proof_form(const Settings& s) {
    ProofForm f;
    f.reduction = "mean-value theorem: ‖b̃ − b‖₂ = ‖f(x_t) − f(x_{t+1})‖₂ ≤ sup_ξ ‖diag(p) − ppᵀ‖·‖A‖·‖x_{t+1} − x_t‖₂ "
                  "≤ sup_ξ ‖diag(p) − ppᵀ‖·R·‖x_{t+1} − x_t‖₂, p = softmax(Aξ), ξ on the segment from x_t to x_{t+1}, "
                  "so the statement with constant c·R/2 follows from sup_ξ ‖diag(p) − ppᵀ‖ ≤ c·½, with "
                  "‖diag(p) − ppᵀ‖ ≤ maxᵢ(½ − 2(pᵢ − ½)²) (symmetric, Gershgorin)";
    f.proved_statement = "the statement for every A with ‖A‖ ≤ R (all inside the box, |Aᵢⱼ| ≤ ‖A‖) and x_t, x_{t+1} "
                         "∈ [−R, R]^d (the segment between them stays in the box)";
    f.sub_domain = "A ∈ [−R, R]^{n×d}, x_t, x_{t+1} ∈ [−R, R]^d (the statement is for any x_t and any step)";
    domains::add_box_variables(f.variables, "A", s.n, s.d, domains::radius_upper(s));
    domains::add_box_variables(f.variables, "xi", s.d, 1, domains::radius_upper(s));
    domains::add_box_variables(f.statement_box, "A", s.n, s.d, domains::radius_upper(s));
    domains::add_box_variables(f.statement_box, "x", s.d, 1, domains::radius_upper(s));
    // x_{t+1} = x_t − η∇L(x_t) is derived: certainly inside the box, in intervals.
    f.statement_box_also = [s](const Case& c) {
      const Params<Interval> p = Params<Interval>::from(s);
      const Vec<Interval> next = model::gradient_step(c.mat<Interval>(input::A), c.vec<Interval>(input::x),
                                                      c.vec<Interval>(input::b), p.eta);
      const double bound = domains::radius_upper(s);
      for (Eigen::Index i = 0; i < next.size(); ++i)
        if (!(next(i).lower() >= -bound && next(i).upper() <= bound)) return false;
      return true;
    };
    return f;
  }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>&) {
    Evaluation<T> e;
    e.lhs = model::softmax_jacobian_norm_upper(model::f(box.mat<T>(input::A), box.vec<T>(input::xi)));
    e.constant = ops::rational<T>(1, 2);
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) {
    std::vector<Case> out = two_halves_small_steps(s);
    for (Case& c : domains::gradient_step_families(s, rng)) out.push_back(std::move(c));
    return out;
  }
  /// ‖A‖ and ‖x_t‖₂ up to R, b = f(x_t) + noise of size 10^{−U(0, 6)}: steps of every size.
  static Case random_case(const Settings& s, Rng& rng) {
    const double r = domains::radius(s);
    const Eigen::MatrixXd a = domains::matrix_with_norm(rng, s.n, s.d, r * rng.uniform(0.05, 1.0));
    const Eigen::VectorXd x = domains::vector_with_norm(rng, s.d, r * rng.uniform(0.05, 1.0));
    const Eigen::VectorXd b =
        model::f<double>(a, x) + std::pow(10.0, -rng.uniform(0.0, 6.0)) * rng.normal_matrix(s.n, 1).col(0);
    Case c;
    c.family = "random";
    c.inputs = {{"A", a}, {"x", x}, {"b", b}};
    return c;
  }
  static void project(Case& c, const Settings& s) { domains::shrink_matrix_into(c.at(input::A), domains::radius(s)); }

  /// b̃ − b = f(x_t) − f(x_{t+1}) exactly; then sharp.lip_x.f, ‖Mv‖₂ ≤ ‖M‖‖v‖₂ and ‖A‖ ≤ R.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R > 0, η > 0, every A with ‖A‖ ≤ R, every x_t, b";
    d.statement.signature.symbols = {{"n", at_least(1)}, {"d", at_least(1)}, {"R", positive()}, {"η", positive()}};
    d.statement.signature.inputs = {{"A", matrix_of("n", "d")}, {"x", vector_of("d")}, {"b", vector_of("n")}};
    const Term A = named("A"), x = named("x"), b = named("b"), R = sym("R"), eta = sym("η");
    const Term f = softmax(apply(A, x));
    const Term x_next = model_terms::gradient_step(A, x, b, eta);
    const Term b_tilde = add({b, f, neg(softmax(apply(A, x_next)))});
    d.names = {{x, "x_t"}, {x_next, "x_{t+1}"}, {f, "f(x_t)"}, {b_tilde, "b̃"}};
    d.statement.hypotheses = {{opnorm(A), R}};
    d.statement.claim = {norm2(sub(b_tilde, b)), mul({R, num(1, 2), norm2(sub(x_next, x))})};
    d.steps = {
        {norm2(sub(f, softmax(apply(A, x_next)))), by_algebra()},
        {mul({num(1, 2), norm2(apply(A, sub(x, x_next)))}), by_obligation("sharp.lip_x.f", {{"A", A}, {"x", x}, {"y", x_next}})},
        {mul({num(1, 2), mul({opnorm(A), norm2(sub(x, x_next))})}), by_rule("operator_norm")},
        {mul({num(1, 2), mul({R, norm2(sub(x, x_next))})}), by_hypothesis(0)},
    };
    return d;
  }

 private:
  /// The approach to M' (meta().attained): A = R·u e₁ᵀ with u = (1, −1, 0, …)/√2, so ‖A‖ = R with
  /// top left singular vector u; for n ≥ 3 and d ≥ 2 rows 3.. are −(R/√(n − 2)) e₂ᵀ (a block of norm
  /// R, orthogonal row space) and x_t = t e₂ sends logits 3.. to −∞ while logits 1, 2 stay 0, so
  /// f(x_t) → (½, ½, 0, …). b = f(x_t) + δ(1, −1, 0, …) makes ∇L ∥ e₁, hence A(x_{t+1} − x_t) ∥ u,
  /// and δ → 0 shrinks the step as η → 0 would (the gradient is linear in f(x_t) − b).
  static std::vector<Case> two_halves_small_steps(const Settings& s) {
    const int n = s.n, d = s.d;
    std::vector<Case> out;
    if (n < 2) return out;
    const double r = domains::radius(s);
    const bool block = n >= 3 && d >= 2;
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, d);
    a(0, 0) = r / std::sqrt(2.0);
    a(1, 0) = -a(0, 0);
    if (block)
      for (int i = 2; i < n; ++i) a(i, 1) = -r / std::sqrt(static_cast<double>(n - 2));
    domains::shrink_matrix_into(a, r);
    const std::vector<double> ts = block ? std::vector<double>{10.0, 100.0, 1000.0} : std::vector<double>{0.0};
    for (double t : ts) {
      Eigen::VectorXd x = Eigen::VectorXd::Zero(d);
      if (block) x(1) = t;
      const Eigen::VectorXd p = model::f<double>(a, x);
      for (double delta : {1e-2, 1e-4, 1e-6}) {
        Eigen::VectorXd b = p;
        b(0) += delta;
        b(1) -= delta;
        Case c;
        c.family = "two-halves-small-step";
        c.inputs = {{"A", a}, {"x", x}, {"b", b}};
        out.push_back(std::move(c));
      }
    }
    return out;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::SharpShiftX)
