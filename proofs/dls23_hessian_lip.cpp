// dls23.hessian_lip: the Hessian of the loss L(x) = ½‖f(x) − b‖₂² is Lipschitz in x,
//   ‖∇²L(x) − ∇²L(y)‖ ≤ n² e^{40R²} ‖x − y‖₂,
// on the x-type domain plus b ≥ 0 and ‖b‖₁ ≤ 1 (the hypotheses of DLS23's main theorem). The bound
// on b is needed: ∇²L is affine in b, so without it scaling b makes the left side arbitrarily
// large at any fixed x ≠ y.
//
// This file is the README's example of adding a statement: one file, registered by the macro at
// the end; `certbound ci --update` then records its expected verdicts in proofs/expected.json.
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct Dls23HessianLip {
  static Meta meta() {
    return {.id = "dls23.hessian_lip",
            .kind = Kind::paper,
            .provenance = "reconstructed",
            .citation = "DLS23 (arXiv 2304.10411), Hessian Lipschitz bound of the main theorem",
            .statement = "‖∇²L(x) − ∇²L(y)‖ ≤ n² e^{40R²} ‖x − y‖₂ for b ≥ 0, ‖b‖₁ ≤ 1",
            .constant_expression = "n² e^{40R²}",
            .domain = "‖A‖ ≤ R, ‖x‖₂ ≤ R, ‖y‖₂ ≤ R, ‖A(x − y)‖_∞ < 1/100, R ≥ 4, "
                      "and a target b with every bᵢ ≥ 0 and ‖b‖₁ ≤ 1",
            .attained = "not attained: the constant is loose (see the witness ratio of `check`)"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) {
    auto specs = domains::x_type_inputs(s);
    specs.push_back({input::b, s.n, 1, "target, b ≥ 0 and ‖b‖₁ ≤ 1"});
    return specs;
  }
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return ops::sqr(domains::n_scalar(p)) * ops::exp(T(40) * p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x), y = c.vec<T>(input::y), b = c.vec<T>(input::b);
    Evaluation<T> e;
    domains::require_x_type(e, p, a, x, y);
    T smallest = b(0);  // ops::min, never a comparison of intervals
    for (Eigen::Index i = 1; i < b.size(); ++i) smallest = ops::min(smallest, b(i));
    e.require_at_least("b ≥ 0", "min bᵢ", smallest, T(0));
    e.require_at_most("‖b‖₁ ≤ 1", "‖b‖₁", linalg::norm1<T>(b), T(1));
    e.lhs = domains::opnorm<T>(Mat<T>(model::hessian(a, x, b) - model::hessian(a, y, b)));
    e.constant = constant(p, T(1));
    e.factor = linalg::norm2<T>(Vec<T>(x - y));
    return e;
  }

  // Cases: the x-type families and random cases, each with targets b on the simplex's boundary
  // (a vertex, the centre) and inside it (random, and b = 0).
  static std::vector<Case> families(const Settings& s, Rng& rng) {
    std::vector<Case> out;
    for (Case c : domains::x_type_families(s, rng)) {
      for (const Eigen::VectorXd& b : targets(s.n, rng)) {
        c.inputs[input::b] = b;
        out.push_back(c);
      }
    }
    return out;
  }
  static Case random_case(const Settings& s, Rng& rng) {
    Case c = domains::x_type_random(s, rng);
    c.inputs[input::b] = simplex_point(s.n, rng);
    return c;
  }
  static void project(Case& c, const Settings& s) {
    domains::x_type_project(c, s);
    Eigen::MatrixXd& b = c.at(input::b);
    b = b.cwiseMax(0.0);
    if (const double l1 = b.sum(); l1 > 1.0) b /= l1 * (1 + 1e-12);
  }

 private:
  static Eigen::VectorXd simplex_point(int n, Rng& rng) {
    Eigen::VectorXd b(n);
    for (int i = 0; i < n; ++i) b(i) = -std::log(1.0 - rng.unit());  // exponential: uniform on the simplex
    return b / (b.sum() * (1 + 1e-12));
  }
  static std::vector<Eigen::VectorXd> targets(int n, Rng& rng) {
    Eigen::VectorXd vertex = Eigen::VectorXd::Zero(n);
    vertex(0) = 1;
    return {vertex, Eigen::VectorXd::Constant(n, 1.0 / n) / (1 + 1e-12), simplex_point(n, rng),
            Eigen::VectorXd::Zero(n)};
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::Dls23HessianLip)
