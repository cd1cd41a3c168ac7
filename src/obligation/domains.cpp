#include "certbound/obligation/domains.hpp"

#include <algorithm>

namespace certbound {

double Rng::normal() {
  // Box–Muller; u1 in (0, 1] avoids log(0).
  const double u1 = 1.0 - unit();
  const double u2 = unit();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

Eigen::MatrixXd Rng::normal_matrix(int rows, int cols) {
  Eigen::MatrixXd m(rows, cols);
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) m(i, j) = normal();
  return m;
}

namespace domains {

namespace {
constexpr double kInside = 1.0 - 1e-12;   // boundary cases stay certifiably inside
constexpr double kNear = 1.0 - 1e-9;      // for strict hypotheses (‖·‖_∞ < 1/100)

double sigma(const Eigen::MatrixXd& m) { return linalg::largest_singular_value(m); }

Eigen::VectorXd random_b(Rng& rng, int n) {
  Eigen::VectorXd b(n);
  for (int i = 0; i < n; ++i) b(i) = rng.unit();
  return b / std::max(b.sum(), 1e-300);  // a point of the simplex: a realistic target
}

/// y = x − δ·dir with ‖A(x − y)‖_∞ = frac·(1/100).
Eigen::VectorXd step_to(const Eigen::MatrixXd& a, const Eigen::VectorXd& x, const Eigen::VectorXd& dir, double frac) {
  const double inf = (a * dir).cwiseAbs().maxCoeff();
  if (!(inf > 0)) return x + 1e-6 * dir;
  return x - (frac * 0.01 / inf) * dir;
}

Case make_x_case(std::string family, Eigen::MatrixXd a, Eigen::VectorXd x, Eigen::VectorXd y, Eigen::VectorXd b,
                 const Settings& s) {
  Case c;
  c.family = std::move(family);
  c.inputs[input::A] = std::move(a);
  c.inputs[input::x] = std::move(x);
  c.inputs[input::y] = std::move(y);
  c.inputs[input::b] = std::move(b);
  x_type_project(c, s);
  return c;
}

Case make_a_case(std::string family, Eigen::MatrixXd a, Eigen::MatrixXd bm, Eigen::VectorXd x, Eigen::VectorXd b,
                 const Settings& s) {
  Case c;
  c.family = std::move(family);
  c.inputs[input::A] = std::move(a);
  c.inputs[input::B] = std::move(bm);
  c.inputs[input::x] = std::move(x);
  c.inputs[input::b] = std::move(b);
  a_type_project(c, s);
  return c;
}
}  // namespace

double radius(const Settings& s) { return parse_enclosure(s.R).lower_double() * kInside; }

Eigen::MatrixXd matrix_with_norm(Rng& rng, int n, int d, double norm) {
  Eigen::MatrixXd m = rng.normal_matrix(n, d);
  const double sg = sigma(m);
  return sg > 0 ? Eigen::MatrixXd(m * (norm * kInside / sg)) : m;
}

Eigen::MatrixXd rank_one(Rng& rng, int n, int d, double norm) {
  Eigen::VectorXd u = rng.normal_matrix(n, 1).col(0), v = rng.normal_matrix(d, 1).col(0);
  u.normalize();
  v.normalize();
  return norm * kInside * u * v.transpose();
}

Eigen::VectorXd top_right_singular(const Eigen::MatrixXd& a) { return linalg::top_right_singular_vector(a); }

Eigen::VectorXd vector_with_norm(Rng& rng, int d, double r) {
  Eigen::VectorXd v = rng.normal_matrix(d, 1).col(0);
  const double nv = v.norm();
  return nv > 0 ? Eigen::VectorXd(v * (r * kInside / nv)) : v;
}

void shrink_matrix_into(Eigen::MatrixXd& m, double bound) {
  const double sg = sigma(m);
  if (sg > bound * kInside) m *= bound * kInside / sg;
}

void shrink_vector_into(Eigen::VectorXd& v, double bound) {
  const double nv = v.norm();
  if (nv > bound * kInside) v *= bound * kInside / nv;
}

void pull_close(const Eigen::MatrixXd& a, const Eigen::VectorXd& x, Eigen::VectorXd& y, double limit) {
  const double inf = (a * (x - y)).cwiseAbs().maxCoeff();
  if (inf > limit * kNear) y = x + (y - x) * (limit * kNear / inf);
  if (y == x) y(0) = std::nextafter(x(0), x(0) + 1.0);  // never the degenerate x = y
}

void pull_close_matrix(const Eigen::MatrixXd& a, Eigen::MatrixXd& b, const Eigen::VectorXd& x, double limit) {
  const double inf = ((a - b) * x).cwiseAbs().maxCoeff();
  if (inf > limit * kNear) b = a + (b - a) * (limit * kNear / inf);
  if (b == a) b(0, 0) = std::nextafter(a(0, 0), a(0, 0) + 1.0);
}

Eigen::MatrixXd attention_layer(Rng& rng, const Eigen::MatrixXd& a, double weight_scale) {
  const int d = static_cast<int>(a.cols());
  const Eigen::MatrixXd wq = rng.normal_matrix(d, d) * weight_scale, wk = rng.normal_matrix(d, d) * weight_scale,
                        wv = rng.normal_matrix(d, d) * weight_scale;
  return model::self_attention_update<double>(a, wq, wk, wv);
}

std::vector<Case> x_type_families(const Settings& s, Rng& rng) {
  const int n = s.n, d = s.d;
  const double r = radius(s);
  std::vector<Case> out;
  {  // ‖A‖ = R, x along the top singular vector, ‖A(x − y)‖_∞ → 1/100
    Eigen::MatrixXd a = matrix_with_norm(rng, n, d, r);
    Eigen::VectorXd v = top_right_singular(a);
    Eigen::VectorXd x = v * (r * kInside);
    out.push_back(make_x_case("norm-R-top-singular", a, x, step_to(a, x, v, kNear), random_b(rng, n), s));
  }
  {  // rank-one A = R u vᵀ, x = R v
    Eigen::MatrixXd a = rank_one(rng, n, d, r);
    Eigen::VectorXd v = top_right_singular(a);
    Eigen::VectorXd x = v * (r * kInside);
    out.push_back(make_x_case("rank-one", a, x, step_to(a, x, v, kNear), random_b(rng, n), s));
  }
  {  // one dominant coordinate: A = R e₁ vᵀ, x = R v gives u₁ = e^{R²} (bounds.u_inf attained)
    Eigen::VectorXd v = rng.normal_matrix(d, 1).col(0).normalized();
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, d);
    a.row(0) = v.transpose() * (r * kInside);
    Eigen::VectorXd x = v * (r * kInside);
    out.push_back(make_x_case("dominant-coordinate", a, x, step_to(a, x, v, 0.5), random_b(rng, n), s));
  }
  if (n >= 2) {  // two coordinates of mass ½: logits 1 and 2 equal, the rest far below, step along (1, −1, 0, …)
    // A = α(1, 1, −1, …)ᵀvᵀ + β(1, −1, 0, …)ᵀdirᵀ with dir ⟂ v: at x = Rv the logits are (αR, αR, −αR, …),
    // and a step along dir moves them along (1, −1, 0, …). The two rank-one parts are orthogonal,
    // so ‖A‖ = max(α√n, β√2) ≤ R. With d = 1 there is no dir ⟂ v: the step is along v.
    Eigen::VectorXd v = rng.normal_matrix(d, 1).col(0).normalized();
    Eigen::VectorXd dir = v;
    if (d >= 2) {
      Eigen::VectorXd e = rng.normal_matrix(d, 1).col(0);
      e -= v * v.dot(e);
      if (e.norm() > 0) dir = e.normalized();
    }
    const double alpha = r * kInside / std::sqrt(static_cast<double>(n)), beta = r * kInside / std::sqrt(2.0);
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, d);
    for (int i = 0; i < n; ++i) a.row(i) = (i < 2 ? alpha : -alpha) * v.transpose();
    if (d >= 2) {
      a.row(0) += beta * dir.transpose();
      a.row(1) -= beta * dir.transpose();
    }
    shrink_matrix_into(a, r);
    Eigen::VectorXd x = v * (r * kInside);
    out.push_back(make_x_case("two-halves", a, x, step_to(a, x, dir, 0.5), random_b(rng, n), s));
  }
  {  // random point, y with ‖A(x − y)‖_∞ at the 1/100 boundary
    Eigen::MatrixXd a = matrix_with_norm(rng, n, d, r * rng.uniform(0.2, 1.0));
    Eigen::VectorXd x = vector_with_norm(rng, d, r * rng.uniform(0.2, 1.0));
    Eigen::VectorXd dir = rng.normal_matrix(d, 1).col(0);
    out.push_back(make_x_case("near-1/100", a, x, step_to(a, x, dir, kNear), random_b(rng, n), s));
  }
  {  // a tiny step
    Eigen::MatrixXd a = matrix_with_norm(rng, n, d, r);
    Eigen::VectorXd x = vector_with_norm(rng, d, r);
    Eigen::VectorXd dir = rng.normal_matrix(d, 1).col(0);
    out.push_back(make_x_case("tiny-step", a, x, step_to(a, x, dir, 1e-6), random_b(rng, n), s));
  }
  {  // y from a real gradient step with η = 1/10
    Eigen::MatrixXd a = matrix_with_norm(rng, n, d, r);
    Eigen::VectorXd x = vector_with_norm(rng, d, r * 0.9);
    Eigen::VectorXd b = random_b(rng, n);
    Eigen::VectorXd y = model::gradient_step<double>(a, x, b, 0.1);
    out.push_back(make_x_case("gradient-step", a, x, y, b, s));
  }
  return out;
}

Case x_type_random(const Settings& s, Rng& rng) {
  const double r = radius(s);
  Eigen::MatrixXd a = matrix_with_norm(rng, s.n, s.d, r * rng.uniform(0.05, 1.0));
  Eigen::VectorXd x = vector_with_norm(rng, s.d, r * rng.uniform(0.05, 1.0));
  Eigen::VectorXd dir = rng.normal_matrix(s.d, 1).col(0);
  const double frac = std::pow(10.0, -rng.uniform(0.0, 6.0));
  return make_x_case("random", a, x, step_to(a, x, dir, frac), random_b(rng, s.n), s);
}

void x_type_project(Case& c, const Settings& s) {
  const double r = radius(s);
  auto& a = c.at(input::A);
  shrink_matrix_into(a, r);
  Eigen::VectorXd x = c.at(input::x).col(0), y = c.at(input::y).col(0);
  shrink_vector_into(x, r);
  shrink_vector_into(y, r);
  pull_close(a, x, y, 0.01);
  c.inputs[input::x] = x;
  c.inputs[input::y] = y;
}

std::vector<Case> a_type_families(const Settings& s, Rng& rng) {
  const int n = s.n, d = s.d;
  const double r = radius(s);
  std::vector<Case> out;
  {  // B from a real softmax self-attention layer with small random weights
    Eigen::MatrixXd a = matrix_with_norm(rng, n, d, r * 0.9);
    Eigen::MatrixXd b = attention_layer(rng, a, 0.05 / std::sqrt(static_cast<double>(d)));
    Eigen::VectorXd x = vector_with_norm(rng, d, r);
    out.push_back(make_a_case("self-attention", a, b, x, random_b(rng, n), s));
  }
  {  // ‖A‖ = R with x along its top singular vector; B = A − ε u vᵀ
    Eigen::MatrixXd a = matrix_with_norm(rng, n, d, r);
    Eigen::VectorXd v = top_right_singular(a);
    Eigen::VectorXd x = v * (r * kInside);
    Eigen::VectorXd u = (a * v).normalized();
    Eigen::MatrixXd b = a - 0.01 * u * v.transpose();
    out.push_back(make_a_case("norm-R-top-singular", a, b, x, random_b(rng, n), s));
  }
  {  // rank-one
    Eigen::MatrixXd a = rank_one(rng, n, d, r);
    Eigen::VectorXd v = top_right_singular(a);
    Eigen::VectorXd x = v * (r * kInside);
    Eigen::MatrixXd b = a * (1.0 - 1e-3);
    out.push_back(make_a_case("rank-one", a, b, x, random_b(rng, n), s));
  }
  {  // ‖(A − B)x‖_∞ at the 1/100 boundary
    Eigen::MatrixXd a = matrix_with_norm(rng, n, d, r * 0.8);
    Eigen::MatrixXd b = a + rng.normal_matrix(n, d);
    Eigen::VectorXd x = vector_with_norm(rng, d, r * 0.8);
    out.push_back(make_a_case("near-1/100", a, b, x, random_b(rng, n), s));
  }
  {  // a tiny perturbation
    Eigen::MatrixXd a = matrix_with_norm(rng, n, d, r * 0.9);
    Eigen::MatrixXd b = a + 1e-8 * rng.normal_matrix(n, d);
    Eigen::VectorXd x = vector_with_norm(rng, d, r);
    out.push_back(make_a_case("tiny-step", a, b, x, random_b(rng, n), s));
  }
  return out;
}

Case a_type_random(const Settings& s, Rng& rng) {
  const double r = radius(s);
  Eigen::MatrixXd a = matrix_with_norm(rng, s.n, s.d, r * rng.uniform(0.05, 1.0));
  Eigen::MatrixXd b = a + std::pow(10.0, -rng.uniform(0.0, 6.0)) * rng.normal_matrix(s.n, s.d);
  Eigen::VectorXd x = vector_with_norm(rng, s.d, r * rng.uniform(0.05, 1.0));
  return make_a_case("random", a, b, x, random_b(rng, s.n), s);
}

void a_type_project(Case& c, const Settings& s) {
  const double r = radius(s);
  auto& a = c.at(input::A);
  auto& b = c.at(input::B);
  shrink_matrix_into(a, r);
  shrink_matrix_into(b, r);
  Eigen::VectorXd x = c.at(input::x).col(0);
  shrink_vector_into(x, r);
  pull_close_matrix(a, b, x, 0.01);
  shrink_matrix_into(b, r);
  c.inputs[input::x] = x;
}

}  // namespace domains
}  // namespace certbound

namespace certbound::domains {

namespace {
Case make_case(std::string family, std::initializer_list<std::pair<const char*, Eigen::MatrixXd>> items) {
  Case c;
  c.family = std::move(family);
  for (const auto& [name, m] : items) c.inputs[name] = m;
  return c;
}

/// A with rows 1, 2 = (a, ±1, 0, …) and rows 3.. = (−a, 0, …); x = (t, 0, …) gives logits
/// (at, at, −at, …): p → (½, ½, 0, …) as at grows. With d = 1: A = (1, −1, …)ᵀ at x = 0.
Eigen::MatrixXd two_halves_matrix(int n, int d, double a) {
  Eigen::MatrixXd m = Eigen::MatrixXd::Zero(n, d);
  for (int i = 0; i < n; ++i) m(i, 0) = i < 2 ? a : -a;
  if (d >= 2) {
    m(0, 1) = 1.0;
    if (n >= 2) m(1, 1) = -1.0;
  } else {
    m(0, 0) = 1.0;
    if (n >= 2) m(1, 0) = -1.0;
    for (int i = 2; i < n; ++i) m(i, 0) = 0.0;
  }
  return m;
}
}  // namespace

std::vector<Case> sharp_x_families(const Settings& s, Rng& rng) {
  const int n = s.n, d = s.d;
  std::vector<Case> out;
  for (double t : {2.0, 8.0, 40.0}) {
    for (double delta : {1e-2, 1e-4, 1e-6}) {
      const Eigen::MatrixXd a = two_halves_matrix(n, d, 1.0);
      Eigen::VectorXd x = Eigen::VectorXd::Zero(d), y;
      if (d >= 2) x(0) = t;
      y = x;
      y(d >= 2 ? 1 : 0) -= delta;
      out.push_back(make_case("two-halves-(1,-1)-step", {{"A", a}, {"x", x}, {"y", y}}));
    }
  }
  for (Case& c : x_type_families(s, rng)) out.push_back(std::move(c));
  return out;
}

std::vector<Case> sharp_a_families(const Settings& s, Rng& rng) {
  const int n = s.n, d = s.d;
  std::vector<Case> out;
  for (double t : {2.0, 8.0, 40.0}) {
    for (double delta : {1e-2, 1e-4, 1e-6}) {
      Eigen::MatrixXd a;
      Eigen::VectorXd x = Eigen::VectorXd::Zero(d);
      if (d >= 2) {
        a = two_halves_matrix(n, d, 1.0);
        x(0) = t;
      } else {  // x = 1 and A = (t, t, −t, …)ᵀ: logits (t, t, −t, …), p → (½, ½, 0, …) as t grows
        a = Eigen::MatrixXd::Constant(n, 1, -t);
        a(0, 0) = t;
        if (n >= 2) a(1, 0) = t;
        x(0) = 1.0;
      }
      Eigen::MatrixXd b = a;  // (A − B)x = (δ, −δ, 0, …)
      b(0, 0) -= delta / x(0);
      if (n >= 2) b(1, 0) += delta / x(0);
      out.push_back(make_case("two-halves-(1,-1)-step", {{"A", a}, {"B", b}, {"x", x}}));
    }
  }
  for (Case& c : a_type_families(s, rng)) out.push_back(std::move(c));
  return out;
}

std::vector<Case> gradient_step_families(const Settings& s, Rng& rng) {
  const int n = s.n, d = s.d;
  const double r = radius(s);
  std::vector<Case> out;
  if (n >= 2 && d >= 2) {
    // A = R·u vᵀ + block with orthogonal row space: u = (1, −1, 0, …)/√2, v = e₁; rows 3.. = −c e₂ᵀ
    // with c√(n − 2) ≤ R so ‖A‖ = R; x = t e₂ pushes logits 3.. to −ct while logits 1, 2 stay 0.
    for (double t : {10.0, 100.0, 1000.0}) {
      Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, d);
      const double top = r / std::sqrt(2.0);
      a(0, 0) = top;
      a(1, 0) = -top;
      const double cblock = n > 2 ? r / std::sqrt(static_cast<double>(n - 2)) : 0.0;
      for (int i = 2; i < n; ++i) a(i, 1) = -cblock;
      shrink_matrix_into(a, r);
      Eigen::VectorXd x = Eigen::VectorXd::Zero(d);
      x(1) = t;
      for (double sft : {0.5, 0.25, 0.01}) {
        Eigen::VectorXd b = Eigen::VectorXd::Zero(n);
        b(0) = 0.5 + sft;
        b(1) = 0.5 - sft;
        out.push_back(make_case("top-singular-two-halves", {{"A", a}, {"x", x}, {"b", b}}));
      }
    }
  }
  if (n >= 2 && d == 1) {
    // A = (R/√2)(1, −1, 0, …)ᵀ, x_t = 0, c ∥ (1, −1, 0, …): at n = 2 p = (½, ½) and the bound is
    // attained; for n ≥ 3 the logits lie on a line and it is not (the case still probes near it).
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(n, 1);
    a(0, 0) = r / std::sqrt(2.0);
    a(1, 0) = -a(0, 0);
    shrink_matrix_into(a, r);
    const Eigen::VectorXd x = Eigen::VectorXd::Zero(1);
    const Eigen::VectorXd p = model::f<double>(a, x);
    for (double sft : {0.5, 0.25, 0.01}) {
      Eigen::VectorXd b = p;
      b(0) -= sft;
      b(1) += sft;
      out.push_back(make_case("top-singular-two-halves", {{"A", a}, {"x", x}, {"b", b}}));
    }
  }
  for (int k = 0; k < 3; ++k) out.push_back(ball_random(s, rng));
  return out;
}

Case ball_random(const Settings& s, Rng& rng) {
  const double r = radius(s);
  Eigen::VectorXd b(s.n);
  for (int i = 0; i < s.n; ++i) b(i) = rng.uniform(-1.0, 1.0);
  return make_case("random", {{"A", matrix_with_norm(rng, s.n, s.d, r * rng.uniform(0.05, 1.0))},
                              {"x", vector_with_norm(rng, s.d, r * rng.uniform(0.05, 1.0))},
                              {"b", b}});
}

void ball_project(Case& c, const Settings& s) {
  const double r = radius(s);
  shrink_matrix_into(c.at(input::A), r);
  Eigen::VectorXd x = c.at(input::x).col(0);
  shrink_vector_into(x, r);
  c.inputs[input::x] = x;
}

void shift_x_project(Case& c, const Settings& s) {
  ball_project(c, s);
  const double r = radius(s);
  const double eta = parse_enclosure(s.eta).mid_double();
  const Eigen::MatrixXd& a = c.at(input::A);
  const Eigen::VectorXd x = c.at(input::x).col(0);
  Eigen::VectorXd b = c.at(input::b).col(0);
  const Eigen::VectorXd p = model::f<double>(a, x);
  for (int k = 0; k < 200; ++k) {
    const Eigen::VectorXd y = model::gradient_step<double>(a, x, b, eta);
    if ((a * (x - y)).cwiseAbs().maxCoeff() < 0.01 * kNear && y.norm() < r * kNear) break;
    b = p + (b - p) * 0.5;  // the gradient is linear in b − f(x)
  }
  c.inputs[input::b] = b;
}

}  // namespace certbound::domains

namespace certbound::domains {

double radius_upper(const Settings& s) { return parse_enclosure(s.R).upper_double(); }

double radius_squared_upper(const Settings& s) {
  const Interval r(parse_enclosure(s.R).lower_double(), parse_enclosure(s.R).upper_double());
  return ops::sqr(r).upper();
}

void add_box_variables(std::vector<ProofVariable>& vars, const std::string& input, int rows, int cols, double bound) {
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) vars.push_back({input, i, j, -bound, bound});
}

namespace {
/// The box prover's contractor, said once in every mean-value form that uses it.
const char* const kBallContraction =
    "; on each box ‖A‖ and the vector's ‖·‖₂ are contracted by their hypotheses (min(·, R): the same on the domain)";

/// The form's vector variables: the R-box, or under rotation invariance r·e₁ with r ∈ [0, R]
/// (the other coordinates are fixed at 0: zero-width variables, never split).
void add_vector_variables(ProofForm& f, const std::string& input, const Settings& s, Invariance invariance,
                          const std::string& symbol) {
  if (invariance == Invariance::none) {
    add_box_variables(f.variables, input, s.d, 1, radius_upper(s));
    return;
  }
  f.variables.push_back({input, 0, 0, 0.0, radius_upper(s)});
  for (int i = 1; i < s.d; ++i) f.variables.push_back({input, i, 0, 0.0, 0.0});
  f.reduction += "; rotation invariance: the bound is unchanged by (A, " + symbol + ") ↦ (AQᵀ, Q" + symbol +
                 ") for orthogonal Q, which keeps ‖A‖ and ‖" + symbol + "‖₂, so " + symbol +
                 " = r·e₁ with 0 ≤ r ≤ R covers the domain";
}
}  // namespace

ProofForm mean_value_form_x(const Settings& s, const std::string& jacobian_bound, Invariance invariance) {
  ProofForm f;
  f.reduction = "mean-value theorem in x on the convex set {‖A‖ ≤ R, ‖ξ‖₂ ≤ R}: sup_ξ " + jacobian_bound +
                " ≤ C is a Lipschitz constant, so the statement holds for all x, y in the ball";
  f.reduction += kBallContraction;
  f.proved_statement = "the statement for all x, y with ‖x‖₂, ‖y‖₂ ≤ R and ‖A‖ ≤ R, without the ‖A(x − y)‖_∞ < 1/100 "
                       "restriction (stronger than the paper's)";
  add_box_variables(f.variables, "A", s.n, s.d, radius_upper(s));
  add_vector_variables(f, "xi", s, invariance, "ξ");
  return f;
}

ProofForm mean_value_form_a(const Settings& s, const std::string& jacobian_bound, Invariance invariance) {
  ProofForm f;
  f.reduction = "mean-value theorem in A along A + t(B − A) on the convex set {‖A‖ ≤ R}: ‖∂f/∂A[H]‖₂ ≤ " +
                jacobian_bound + "·‖H‖, so its supremum ≤ C is a Lipschitz constant in the spectral norm";
  f.reduction += kBallContraction;
  f.proved_statement = "the statement for all A, B with ‖A‖, ‖B‖ ≤ R and ‖x‖₂ ≤ R, without the ‖(A − B)x‖_∞ < 1/100 "
                       "restriction (stronger than the paper's)";
  add_box_variables(f.variables, "A", s.n, s.d, radius_upper(s));
  add_vector_variables(f, "x", s, invariance, "x");
  return f;
}

}  // namespace certbound::domains

namespace certbound::domains {

std::vector<InputSpec> x_type_inputs(const Settings& s) {
  return {{input::A, s.n, s.d, "data"}, {input::x, s.d, 1, "first point"}, {input::y, s.d, 1, "second point"}};
}

std::vector<InputSpec> a_type_inputs(const Settings& s) {
  return {{input::A, s.n, s.d, "first matrix"}, {input::B, s.n, s.d, "second matrix"}, {input::x, s.d, 1, "weights"}};
}

std::vector<Case> near_zero_families() {
  std::vector<Case> out;
  for (double t : {0.01 * (1 - 1e-15), -0.01 * (1 - 1e-15), 1e-3, -1e-3, 1e-300, -0x1p-1074, 5e-3}) {
    Case c;
    c.family = "grid";
    c.inputs[input::t] = Eigen::MatrixXd::Constant(1, 1, t);
    out.push_back(c);
  }
  return out;
}

Case near_zero_random(Rng& rng) {
  Case c;
  c.family = "random";
  c.inputs[input::t] = Eigen::MatrixXd::Constant(1, 1, rng.uniform(-0.00999, 0.00999));
  return c;
}

void near_zero_project(Case& c) {
  double& t = c.at(input::t)(0, 0);
  t = std::clamp(t, -0.0099999999, 0.0099999999);
  if (t == 0) t = 1e-12;
}

}  // namespace certbound::domains
