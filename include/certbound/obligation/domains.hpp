// Hypotheses, samplers and projections shared by the obligations (the x-type and A-type domains of proofs/STATEMENTS.md).
//
// Hypotheses are written once over T; samplers and projections work in double (they only
// propose cases: certification re-checks every hypothesis in intervals).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "certbound/linalg/norms.hpp"
#include "certbound/linalg/spectral_norm.hpp"
#include "certbound/model/softmax_regression.hpp"
#include "certbound/obligation/obligation.hpp"

namespace certbound::domains {

/// ‖M‖₂: certified enclosure for interval types, the double SVD value for double.
template <class T>
T opnorm(const Mat<T>& m) {
  if constexpr (std::is_same_v<T, double>) {
    return linalg::largest_singular_value(m);
  } else {
    const double target = 1.0 + std::ldexp(1.0, -static_cast<int>(precision_bits<T>::value) + 24);
    return linalg::spectral_norm<T>(m, target).enclosure;
  }
}

template <class T>
T one_hundredth() {
  return ops::rational<T>(1, 100);
}

/// ‖A‖ ≤ R. Returns ‖A‖ contracted by the hypothesis (Evaluation::require_at_most).
template <class T>
T require_matrix_in_ball(Evaluation<T>& e, const Params<T>& p, const Mat<T>& a, const std::string& name) {
  return e.require_at_most("‖" + name + "‖ ≤ R", "‖" + name + "‖", opnorm(a), p.R);
}
/// ‖x‖₂ ≤ R. Returns ‖x‖₂ contracted by the hypothesis.
template <class T>
T require_vector_in_ball(Evaluation<T>& e, const Params<T>& p, const Vec<T>& x, const std::string& name) {
  return e.require_at_most("‖" + name + "‖₂ ≤ R", "‖" + name + "‖₂", linalg::norm2<T>(x), p.R);
}
/// ‖A‖ and ‖v‖₂ of a mean-value form's box, each contracted by its hypothesis: on the domain
/// they are the true norms, and on a box reaching outside the ball neither exceeds R.
template <class T>
struct BallNorms {
  T matrix, vector;
};
/// The mean-value forms' domain: ‖A‖ ≤ R and ‖v‖₂ ≤ R for the box's matrix "A" and vector `vector`.
template <class T>
BallNorms<T> require_mean_value_domain(Evaluation<T>& e, const Params<T>& p, const Mat<T>& a, const Vec<T>& v,
                                       const std::string& vector_name) {
  T matrix = require_matrix_in_ball(e, p, a, "A");
  T vector = require_vector_in_ball(e, p, v, vector_name);
  return {std::move(matrix), std::move(vector)};
}

/// Upper bound of the Jacobian norm of x ↦ f(x) = softmax(Ax) at ξ: ‖(diag(p) − ppᵀ)A‖ ≤
/// maxᵢ(½ − 2(pᵢ − ½)²)·‖A‖ (model::softmax_jacobian_norm_upper), with ‖A‖ given (contracted).
template <class T>
T softmax_jacobian_x_upper(const Mat<T>& a, const Vec<T>& xi, const T& norm_a) {
  return model::softmax_jacobian_norm_upper(model::f(a, xi)) * norm_a;
}
/// Upper bound of the norm of H ↦ ∂f/∂A[H] (spectral norm on H) at A: maxᵢ(½ − 2(pᵢ − ½)²)·‖x‖₂,
/// with ‖x‖₂ given (contracted).
template <class T>
T softmax_jacobian_a_upper(const Mat<T>& a, const Vec<T>& x, const T& norm_x) {
  return model::softmax_jacobian_norm_upper(model::f(a, x)) * norm_x;
}

/// The prover's evaluation shared by f = softmax(Ax) in x and the weight-shift theorem (lip_x.f,
/// thm.shift_x): the mean-value domain of box variables A and ξ, and as LHS the upper bound of
/// sup ‖J_x f(ξ)‖ above. The caller sets the constant.
template <class T>
Evaluation<T> softmax_mean_value_x(const Case& box, const Params<T>& p) {
  const Mat<T> a = box.mat<T>(input::A);
  const Vec<T> xi = box.vec<T>(input::xi);
  Evaluation<T> e;
  const BallNorms<T> norms = require_mean_value_domain(e, p, a, xi, "ξ");
  e.lhs = softmax_jacobian_x_upper(a, xi, norms.matrix);
  return e;
}
/// The same in A with x fixed (lip_a.f, thm.shift_a): box variables A and x.
template <class T>
Evaluation<T> softmax_mean_value_a(const Case& box, const Params<T>& p) {
  const Mat<T> a = box.mat<T>(input::A);
  const Vec<T> x = box.vec<T>(input::x);
  Evaluation<T> e;
  const BallNorms<T> norms = require_mean_value_domain(e, p, a, x, "x");
  e.lhs = softmax_jacobian_a_upper(a, x, norms.vector);
  return e;
}

/// R ≥ 4 (the chain lemmas' standing assumption).
template <class T>
void require_R_at_least_4(Evaluation<T>& e, const Params<T>& p) {
  e.require_at_least("R ≥ 4", "R", p.R, T(4));
}

/// x-type domain: ‖A‖ ≤ R, ‖x‖₂ ≤ R, ‖y‖₂ ≤ R, ‖A(x − y)‖_∞ < 1/100, R ≥ 4.
template <class T>
void require_x_type(Evaluation<T>& e, const Params<T>& p, const Mat<T>& a, const Vec<T>& x, const Vec<T>& y,
                    const std::string& x_name = "x", const std::string& y_name = "y") {
  require_R_at_least_4(e, p);
  require_matrix_in_ball(e, p, a, "A");
  require_vector_in_ball(e, p, x, x_name);
  require_vector_in_ball(e, p, y, y_name);
  const std::string step = "‖A(" + x_name + " − " + y_name + ")‖_∞";
  e.require_at_most(step + " < 1/100", step, linalg::norm_inf<T>(model::matvec(a, Vec<T>(x - y))), one_hundredth<T>(),
                    true);
}

/// A-type domain: ‖A‖ ≤ R, ‖B‖ ≤ R, ‖x‖₂ ≤ R, ‖(A − B)x‖_∞ < 1/100, R ≥ 4.
template <class T>
void require_a_type(Evaluation<T>& e, const Params<T>& p, const Mat<T>& a, const Mat<T>& b, const Vec<T>& x) {
  require_R_at_least_4(e, p);
  require_matrix_in_ball(e, p, a, "A");
  require_matrix_in_ball(e, p, b, "B");
  require_vector_in_ball(e, p, x, "x");
  e.require_at_most("‖(A − B)x‖_∞ < 1/100", "‖(A − B)x‖_∞", linalg::norm_inf<T>(model::matvec(Mat<T>(a - b), x)),
                    one_hundredth<T>(), true);
}

/// β of the α⁻¹ and f obligations: the paper's e^{−R²} (default), a given number, or "tight"
/// (min of the two α's, always admissible). Adds the hypothesis 0 < β ≤ min(α₁, α₂) unless tight.
template <class T>
T beta(Evaluation<T>& e, const Params<T>& p, const T& alpha1, const T& alpha2) {
  const T smallest = ops::min(alpha1, alpha2);
  if (p.beta_mode == "tight") return smallest;
  const T b = p.beta_value ? *p.beta_value : ops::exp(-p.R2());
  e.require("β > 0", b, true);
  e.require_at_least("β ≤ min(α(·), α(·))", "min(α(·), α(·))", smallest, b);
  return b;
}

/// The statement's n as a scalar and its powers.
template <class T>
T n_scalar(const Params<T>& p) {
  return T(static_cast<double>(p.n));
}
template <class T>
T n_pow_1_5(const Params<T>& p) {
  return n_scalar(p) * ops::sqrt(n_scalar(p));
}

// ---- one instantiation per scalar type --------------------------------------------------------
// These helpers run in every obligation at five scalar types; they are instantiated once per type
// in src/obligation/instantiate_*.cpp and declared extern here (see model/softmax_regression.hpp).
#define CERTBOUND_DOMAIN_TEMPLATES(PREFIX, T)                                                                      \
  PREFIX template T opnorm<T>(const Mat<T>&);                                                                      \
  PREFIX template T require_matrix_in_ball<T>(Evaluation<T>&, const Params<T>&, const Mat<T>&, const std::string&); \
  PREFIX template T require_vector_in_ball<T>(Evaluation<T>&, const Params<T>&, const Vec<T>&, const std::string&); \
  PREFIX template T softmax_jacobian_x_upper<T>(const Mat<T>&, const Vec<T>&, const T&);                           \
  PREFIX template T softmax_jacobian_a_upper<T>(const Mat<T>&, const Vec<T>&, const T&);                           \
  PREFIX template void require_x_type<T>(Evaluation<T>&, const Params<T>&, const Mat<T>&, const Vec<T>&,          \
                                         const Vec<T>&, const std::string&, const std::string&);                   \
  PREFIX template void require_a_type<T>(Evaluation<T>&, const Params<T>&, const Mat<T>&, const Mat<T>&,          \
                                         const Vec<T>&);                                                           \
  PREFIX template T beta<T>(Evaluation<T>&, const Params<T>&, const T&, const T&);
// The prover's forms run at the four interval types only.
#define CERTBOUND_DOMAIN_PROVER_TEMPLATES(PREFIX, T)                                                               \
  PREFIX template Evaluation<T> softmax_mean_value_x<T>(const Case&, const Params<T>&);                           \
  PREFIX template Evaluation<T> softmax_mean_value_a<T>(const Case&, const Params<T>&);

CERTBOUND_DOMAIN_TEMPLATES(extern, double)
CERTBOUND_DOMAIN_TEMPLATES(extern, Interval)
CERTBOUND_DOMAIN_TEMPLATES(extern, Mp128)
CERTBOUND_DOMAIN_TEMPLATES(extern, Mp257)
CERTBOUND_DOMAIN_TEMPLATES(extern, Mp1025)
CERTBOUND_DOMAIN_PROVER_TEMPLATES(extern, Interval)
CERTBOUND_DOMAIN_PROVER_TEMPLATES(extern, Mp128)
CERTBOUND_DOMAIN_PROVER_TEMPLATES(extern, Mp257)
CERTBOUND_DOMAIN_PROVER_TEMPLATES(extern, Mp1025)

// ---- double-precision samplers --------------------------------------------------------------

/// A random n×d matrix with spectral norm `norm` (times 1 − 1e-12, so that the certified check
/// ‖A‖ ≤ R can succeed at the boundary).
Eigen::MatrixXd matrix_with_norm(Rng& rng, int n, int d, double norm);
/// R·u vᵀ with random unit u, v (shrunk by 1 − 1e-12).
Eigen::MatrixXd rank_one(Rng& rng, int n, int d, double norm);
/// The top right singular vector of a (unit).
Eigen::VectorXd top_right_singular(const Eigen::MatrixXd& a);
/// A random vector with ‖x‖₂ = radius.
Eigen::VectorXd vector_with_norm(Rng& rng, int d, double radius);
/// Scale M down so that ‖M‖ ≤ bound (no-op if already inside).
void shrink_matrix_into(Eigen::MatrixXd& m, double bound);
void shrink_vector_into(Eigen::VectorXd& v, double bound);
/// Move y toward x so that ‖A(x − y)‖_∞ ≤ limit·(1 − 1e-9); keeps y ≠ x.
void pull_close(const Eigen::MatrixXd& a, const Eigen::VectorXd& x, Eigen::VectorXd& y, double limit);
/// Move B toward A so that ‖(A − B)x‖_∞ ≤ limit·(1 − 1e-9).
void pull_close_matrix(const Eigen::MatrixXd& a, Eigen::MatrixXd& b, const Eigen::VectorXd& x, double limit);
/// R as a double (slightly inside, for sampling only).
double radius(const Settings& s);

/// Structured x-type families (the attaining cases of proofs/STATEMENTS.md): ‖A‖ = R with x along the top singular vector,
/// rank-one A, ‖A(x − y)‖_∞ → 1/100, one dominant coordinate, two coordinates of mass ½,
/// tiny steps, y from a real gradient step. Inputs "A", "x", "y" (and "b").
std::vector<Case> x_type_families(const Settings& s, Rng& rng);
Case x_type_random(const Settings& s, Rng& rng);
void x_type_project(Case& c, const Settings& s);

/// Structured A-type families, including B from a real self-attention layer. Inputs "A", "B", "x".
std::vector<Case> a_type_families(const Settings& s, Rng& rng);
Case a_type_random(const Settings& s, Rng& rng);
void a_type_project(Case& c, const Settings& s);

/// Sharp families for ‖f(x) − f(y)‖₂ ≤ ½‖A(x − y)‖₂: p ≈ (½, ½, 0, …) with A(x − y) ∥ (1, −1, 0, …),
/// steps shrinking toward 0 (the bound is approached as y → x). Inputs "A", "x", "y".
std::vector<Case> sharp_x_families(const Settings& s, Rng& rng);
/// The same for ‖f(A) − f(B)‖₂ ≤ ½‖(A − B)x‖₂. Inputs "A", "B", "x".
std::vector<Case> sharp_a_families(const Settings& s, Rng& rng);
/// Gradient-step families: ‖A‖ = R with top left singular vector ∝ (1, −1, 0, …), p ≈ (½, ½, 0, …),
/// c ∥ (1, −1, 0, …). Inputs "A", "x", "b".
std::vector<Case> gradient_step_families(const Settings& s, Rng& rng);
/// A random (A, x, b) with ‖A‖ ≤ R, ‖x‖₂ ≤ R.
Case ball_random(const Settings& s, Rng& rng);
/// Keep ‖A‖ ≤ R and ‖x‖₂ ≤ R.
void ball_project(Case& c, const Settings& s);
/// x-type projection for one gradient step from x with target b: b is moved toward f(x) until the
/// step's ‖A(x_t − x_{t+1})‖_∞ is below 1/100 and ‖x_{t+1}‖₂ ≤ R.
void shift_x_project(Case& c, const Settings& s);

/// Inputs of the x-type statements: A (n×d), x and y (d).
std::vector<InputSpec> x_type_inputs(const Settings& s);
/// Inputs of the A-type statements: A and B (n×d), x (d).
std::vector<InputSpec> a_type_inputs(const Settings& s);

/// A scalar t near 0 (fact.exp_near_one, sharp.exp_near_one): the endpoints ±1/100 approached
/// from inside, small, subnormal; random in (−1/100, 1/100); projection clamps into the interval.
std::vector<Case> near_zero_families();
Case near_zero_random(Rng& rng);
void near_zero_project(Case& c);

/// Random self-attention weights scaled by `weight_scale`; returns A_{t+1} in double.
Eigen::MatrixXd attention_layer(Rng& rng, const Eigen::MatrixXd& a, double weight_scale);

}  // namespace certbound::domains

namespace certbound::domains {

/// Upper end of R (and of R²) as doubles, for bounding boxes: |Aᵢⱼ| ≤ ‖A‖ ≤ R and |xᵢ| ≤ ‖x‖₂ ≤ R.
double radius_upper(const Settings& s);
double radius_squared_upper(const Settings& s);

/// Box variables for every entry of a rows×cols input, each in [−bound, bound].
void add_box_variables(std::vector<ProofVariable>& vars, const std::string& input, int rows, int cols, double bound);

/// Symmetries a proof form may use to shrink its box (stated in its reduction, so in the
/// certificate).
enum class Invariance {
  none,
  /// The bound on the Jacobian is unchanged by (A, v) ↦ (AQᵀ, Qv) for every orthogonal Q, where
  /// v is the form's vector (ξ or x). True when the bound is a function of Av (unchanged: AQᵀQv
  /// = Av), of ‖A‖, ‖v‖₂ and of norms such as ‖Aᵀw‖₂ or ‖MA‖ (spectral; ‖QAᵀw‖₂ = ‖Aᵀw‖₂,
  /// ‖MAQᵀ‖ = ‖MA‖): e.g. ‖diag(u(Aξ))A‖, ‖Aᵀu(Aξ)‖₂, ‖(diag p − ppᵀ)A‖. The domain {‖A‖ ≤ R,
  /// ‖v‖₂ ≤ R} is invariant too, so v = r·e₁ with 0 ≤ r ≤ R reaches every value of the bound:
  /// v's box shrinks from [−R, R]^d to [0, R] × {0}^{d−1}, and A keeps its box (|Aᵢⱼ| ≤ ‖A‖).
  rotation,
};

/// The mean-value form shared by the Lipschitz obligations in x: variables A (n×d) and ξ (d) in
/// the R-box, hypotheses ‖A‖ ≤ R and ‖ξ‖₂ ≤ R (a convex set, so the segment between any two
/// points of the domain stays inside and sup‖J(ξ)‖ is a Lipschitz constant there).
ProofForm mean_value_form_x(const Settings& s, const std::string& jacobian_bound, Invariance invariance);
/// The same in A with x fixed: variables A (n×d) and x (d); ‖∂f/∂A · H‖ ≤ ‖J(p)‖‖x‖₂‖H‖.
ProofForm mean_value_form_a(const Settings& s, const std::string& jacobian_bound, Invariance invariance);

}  // namespace certbound::domains
