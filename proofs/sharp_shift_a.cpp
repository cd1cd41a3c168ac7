// sharp.shift_a: thm.shift_a with the sharp constant M' = R/2 in place of M = n^{1.5}e^{10R²}:
// ‖b̂ − b‖₂ ≤ (R/2)‖A_{t+1} − A_t‖ (spectral norm) for ‖x‖₂ ≤ R alone, b̂ carried as an enclosure of
// its exact value. b̂ − b = f_{A_t}(x) − f_{A_{t+1}}(x), so it is sharp.lip_a.f with
// ‖(A_t − A_{t+1})x‖₂ ≤ ‖A_t − A_{t+1}‖‖x‖₂ (proofs/STATEMENTS.md, "What is loose in the paper").
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct SharpShiftA {
  static Meta meta() {
    return {.id = "sharp.shift_a", .kind = Kind::sharp, .provenance = "derived",
            .citation = "derived: sharp constant of thm.shift_a (sharp.lip_a.f and ‖(A_{t+1} − A_t)x‖₂ ≤ "
                        "‖A_{t+1} − A_t‖‖x‖₂)",
            .statement = "‖b̂ − b‖₂ ≤ M'‖A_{t+1} − A_t‖, b̂ = b + f_{A_t}(x) − f_{A_{t+1}}(x), M' = R/2, for ‖x‖₂ ≤ R",
            .constant_expression = "M' = R/2",
            .domain = "‖x‖₂ ≤ R, any A_t, A_{t+1} ∈ ℝ^{n×d} and b ∈ ℝⁿ (no bound on A_t or A_{t+1}, no 1/100 "
                      "step condition, no R ≥ 4; ‖A_{t+1} − A_t‖ is the spectral norm)",
            .attained = "approached, never reached, as A_{t+1} → A_t with ‖x‖₂ = R, f_{A_t}(x) = (½, ½) and "
                        "A_{t+1} − A_t ∥ (1, −1)xᵀ, e.g. n = 2, A_t x ∝ (1, 1); for n ≥ 3 approached as "
                        "f_{A_t}(x) → (½, ½, 0, …) with A_{t+1} − A_t ∥ (1, −1, 0, …)xᵀ; also with d = 1, since "
                        "A_{t+1} − A_t is free; at n = 1 f is constant and the left side is 0"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) {
    return {{input::A, s.n, s.d, "A_t"}, {input::B, s.n, s.d, "A_{t+1}"}, {input::x, s.d, 1, "weights"},
            {input::b, s.n, 1, "target"}};
  }
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return p.R / T(2);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A), b = c.mat<T>(input::B);
    const Vec<T> x = c.vec<T>(input::x), target = c.vec<T>(input::b);
    Evaluation<T> e;
    domains::require_vector_in_ball(e, p, x, "x");
    e.lhs = linalg::norm2<T>(Vec<T>(model::data_shift_target(a, b, x, target) - target));
    e.constant = constant(p, T(1));
    e.factor = domains::opnorm<T>(Mat<T>(b - a));
    return e;
  }
  /// Prover: the mean-value form of sharp.lip_a.f along A_t + s(A_{t+1} − A_t). As for
  /// sharp.shift_x, the box compares the Jacobian bound with ½, R divided out of both sides, so that
  /// an R that is not dyadic does not keep the boxes at the exact constant open.
  static ProofForm proof_form(const Settings& s) {
    ProofForm f;
    f.reduction = "mean-value theorem along A_t + s(A_{t+1} − A_t): ‖b̂ − b‖₂ = ‖f_{A_t}(x) − f_{A_{t+1}}(x)‖₂ ≤ "
                  "sup_s ‖diag(p) − ppᵀ‖·‖(A_{t+1} − A_t)x‖₂ ≤ sup_s ‖diag(p) − ppᵀ‖·R·‖A_{t+1} − A_t‖, "
                  "p = softmax((A_t + s(A_{t+1} − A_t))x), so the statement with constant c·R/2 follows from "
                  "sup ‖diag(p) − ppᵀ‖ ≤ c·½, with ‖diag(p) − ppᵀ‖ ≤ maxᵢ(½ − 2(pᵢ − ½)²) (symmetric, Gershgorin)";
    f.proved_statement = "the statement for every A_t, A_{t+1} ∈ [−R, R]^{n×d} (the segment between them stays in the "
                         "box) and every x with ‖x‖₂ ≤ R (all inside the box, |xᵢ| ≤ ‖x‖₂)";
    f.sub_domain = "A_t, A_{t+1} ∈ [−R, R]^{n×d}, x ∈ [−R, R]^d (the statement is for any A_t, A_{t+1})";
    domains::add_box_variables(f.variables, "A", s.n, s.d, domains::radius_upper(s));
    domains::add_box_variables(f.variables, "x", s.d, 1, domains::radius_upper(s));
    domains::add_box_variables(f.statement_box, "A", s.n, s.d, domains::radius_upper(s));
    domains::add_box_variables(f.statement_box, "B", s.n, s.d, domains::radius_upper(s));
    domains::add_box_variables(f.statement_box, "x", s.d, 1, domains::radius_upper(s));
    return f;
  }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>&) {
    Evaluation<T> e;
    e.lhs = model::softmax_jacobian_norm_upper(model::f(box.mat<T>(input::A), box.vec<T>(input::x)));
    e.constant = ops::rational<T>(1, 2);
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) {
    std::vector<Case> out = two_halves_small_steps(s);
    for (Case& c : domains::a_type_families(s, rng)) out.push_back(std::move(c));
    return out;
  }
  static Case random_case(const Settings& s, Rng& rng) { return domains::a_type_random(s, rng); }
  static void project(Case& c, const Settings& s) {
    Eigen::VectorXd x = c.at(input::x).col(0);
    domains::shrink_vector_into(x, domains::radius(s));
    c.inputs[input::x] = x;
  }

  /// b̂ − b = f_{A_t}(x) − f_{A_{t+1}}(x) exactly; then sharp.lip_a.f, ‖Mv‖₂ ≤ ‖M‖‖v‖₂, ‖x‖₂ ≤ R.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R > 0, every A_t, A_{t+1}, b and every x with ‖x‖₂ ≤ R";
    d.statement.signature.symbols = {{"n", at_least(1)}, {"d", at_least(1)}, {"R", positive()}};
    d.statement.signature.inputs = {
        {"A", matrix_of("n", "d")}, {"B", matrix_of("n", "d")}, {"x", vector_of("d")}, {"b", vector_of("n")}};
    const Term A = named("A"), B = named("B"), x = named("x"), b = named("b"), R = sym("R");
    const Term b_hat = add({b, softmax(apply(A, x)), neg(softmax(apply(B, x)))});
    d.names = {{b_hat, "b̂"}};
    d.statement.hypotheses = {{norm2(x), R}};
    d.statement.claim = {norm2(sub(b_hat, b)), mul({R, num(1, 2), opnorm(sub(B, A))})};
    d.steps = {
        {norm2(sub(softmax(apply(A, x)), softmax(apply(B, x)))), by_algebra()},
        {mul({num(1, 2), norm2(apply(sub(A, B), x))}), by_obligation("sharp.lip_a.f", {{"A", A}, {"B", B}, {"x", x}})},
        {mul({num(1, 2), mul({opnorm(sub(A, B)), norm2(x)})}), by_rule("operator_norm")},
        {mul({num(1, 2), mul({opnorm(sub(A, B)), R})}), by_hypothesis(0)},
    };
    return d;
  }

 private:
  /// The approach to M' (meta().attained): x = R e₁; A_t's first column a·(1, 1, −1, …, −1) gives
  /// logits aR·(1, 1, −1, …), so f_{A_t}(x) = (½, ½) at n = 2 (a = 0) and → (½, ½, 0, …) as aR grows;
  /// A_{t+1} = A_t + ε u e₁ᵀ with u = (1, −1, 0, …)/√2, so ‖A_{t+1} − A_t‖ = ε and
  /// (A_{t+1} − A_t)x = εR u; ε → 0.
  static std::vector<Case> two_halves_small_steps(const Settings& s) {
    const int n = s.n, d = s.d;
    std::vector<Case> out;
    if (n < 2) return out;
    const double r = domains::radius(s);
    Eigen::VectorXd x = Eigen::VectorXd::Zero(d);
    x(0) = r;
    const std::vector<double> logits = n >= 3 ? std::vector<double>{10.0, 100.0} : std::vector<double>{0.0};
    for (double t : logits) {
      Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, d);
      for (int i = 0; i < n; ++i) a(i, 0) = (i < 2 ? t : -t) / r;
      for (double eps : {1e-2, 1e-4, 1e-6}) {
        Eigen::MatrixXd b = a;
        b(0, 0) += eps / std::sqrt(2.0);
        b(1, 0) -= eps / std::sqrt(2.0);
        Case c;
        c.family = "two-halves-small-step";
        c.inputs = {{"A", a}, {"B", b}, {"x", x}, {"b", Eigen::VectorXd::Zero(n)}};
        out.push_back(std::move(c));
      }
    }
    return out;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::SharpShiftA)
