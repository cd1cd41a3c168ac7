// sharp.lip_x.u: ‖u(x) − u(y)‖₂ ≤ κ‖u(x)‖₂‖A(x − y)‖_∞, κ = 100(e^{1/100} − 1), for
// ‖A(x − y)‖_∞ ≤ 1/100. Attained exactly when A(y − x) = (1/100)·1ₙ (which no double input hits
// exactly: approached).
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct SharpLipXU {
  static Meta meta() {
    return {.id = "sharp.lip_x.u", .kind = Kind::sharp, .provenance = "derived",
            .citation = "derived: sharp constant of the lip_x.u step (u(x) − u(y) = u(x)∘(1 − e^{A(y − x)}))",
            .statement = "‖u(x) − u(y)‖₂ ≤ κ‖u(x)‖₂‖A(x − y)‖_∞ for ‖A(x − y)‖_∞ ≤ 1/100, κ = 100(e^{1/100} − 1)",
            .constant_expression = "κ = 100(e^{1/100} − 1)",
            .domain = "any A, x, y with ‖A(x − y)‖_∞ ≤ 1/100 (non-strict; no norm bound, no R ≥ 4)",
            .attained = "exactly when A(y − x) = (1/100)·1ₙ; double inputs never give that (1/100 is not dyadic), "
                        "so it is only approached"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domains::x_type_inputs(s); }
  template <class T>
  static T constant(const Params<T>&, [[maybe_unused]] const T& beta) {
    return ops::expm1(domains::one_hundredth<T>()) * T(100);  // from 1/100, never the double 0.01
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x), y = c.vec<T>(input::y);
    Evaluation<T> e;
    const T step = linalg::norm_inf<T>(model::matvec(a, Vec<T>(x - y)));
    e.require("‖A(x − y)‖_∞ ≤ 1/100", domains::one_hundredth<T>() - step);
    e.lhs = linalg::norm2<T>(Vec<T>(model::u(a, x) - model::u(a, y)));
    e.constant = constant(p, T(1));
    e.factor = linalg::norm2<T>(model::u(a, x)) * step;
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) {
    // A whose first column is 1ₙ: y − x = δe₁ gives A(y − x) = δ·1ₙ; δ → 1/100 from below.
    std::vector<Case> out;
    for (double delta : {0.01 * (1 - 1e-12), 0.01 * (1 - 1e-6), 0.005}) {
      Eigen::MatrixXd a = rng.normal_matrix(s.n, s.d);
      a.col(0).setOnes();
      Eigen::VectorXd x = rng.normal_matrix(s.d, 1).col(0);
      Eigen::VectorXd y = x;
      y(0) += delta;
      Case c;
      c.family = "A(y-x)=delta*1";
      c.inputs = {{"A", a}, {"x", x}, {"y", y}};
      out.push_back(c);
    }
    for (Case& c : domains::x_type_families(s, rng)) out.push_back(std::move(c));
    return out;
  }
  static Case random_case(const Settings& s, Rng& rng) { return domains::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::x_type_project(c, s); }
  /// u(x) − u(y) = u(x)∘(1 − exp(A(y − x))), ‖u∘v‖₂ ≤ ‖u‖₂‖v‖_∞, and entry by entry
  /// |e^{wᵢ} − 1| ≤ κ|wᵢ| (sharp.exp_near_one, its hypothesis |wᵢ| ≤ ‖w‖_∞ ≤ 1/100 from this one's).
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, every A ∈ ℝ^{n×d}, x, y ∈ ℝ^d with ‖A(x − y)‖_∞ ≤ 1/100";
    d.statement.signature.symbols = {{"n", at_least(1)}, {"d", at_least(1)}};
    d.statement.signature.inputs = {{"A", matrix_of("n", "d")}, {"x", vector_of("d")}, {"y", vector_of("d")}};
    const Term A = named("A"), x = named("x"), y = named("y");
    const Term ux = vexp(apply(A, x)), w = sub(apply(A, y), apply(A, x));
    const Term kappa = mul({num(100), sub(exp(num(1, 100)), num(1))});
    d.names = {{kappa, "κ"}, {ux, "u(x)"}};
    d.statement.hypotheses = {{norm_inf(apply(A, sub(x, y))), num(1, 100)}};
    d.statement.claim = {norm2(sub(ux, vexp(apply(A, y)))), mul({kappa, norm2(ux), norm_inf(apply(A, sub(x, y)))})};
    d.steps = {
        {norm2(hadamard(ux, sub(ones("n"), vexp(w)))), by_rule("exp_difference")},
        {mul({norm2(ux), norm_inf(sub(ones("n"), vexp(w)))}), by_rule("hadamard")},
        {mul({norm2(ux), max_index(abs(coord(sub(ones("n"), vexp(w)))))}), by_rule("norm_inf_entries")},
        {mul({norm2(ux), max_index(abs(sub(exp(coord(w)), num(1))))}), by_algebra()},
        {mul({norm2(ux), max_index(mul({kappa, abs(coord(w))}))}), by_obligation("sharp.exp_near_one", {{"t", coord(w)}})},
        {mul({norm2(ux), mul({kappa, max_index(abs(coord(w)))})}), by_algebra()},
        {mul({norm2(ux), mul({kappa, norm_inf(w)})}), by_rule("norm_inf_entries")},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::SharpLipXU)
