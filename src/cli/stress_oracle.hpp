// The oracle of `certbound stress`: the softmax-regression model written a second time, directly
// in Arb ball arithmetic at a caller-chosen precision, with textbook formulas that deliberately do
// NOT follow the code under test (include/certbound/model/softmax_regression.hpp):
//
//   softmax    exp(z_i − z_k) / Σ_j exp(z_j − z_k), k the largest midpoint (the model uses the
//              prefix/suffix form 1 / (1 + e^{m − z_i} S_{−i}))
//   gradient   Σ_i c_i f_i (a_i − ā), ā = Aᵀf (chain rule per entry; the model: Aᵀ(diag f − ffᵀ)c)
//   hessian    Σ_i f_i(f_i + c_i) g_i g_iᵀ − (Σ_i c_i f_i) Σ_j f_j g_j g_jᵀ, g_i = a_i − ā
//              (second-order chain rule; the model: Aᵀ B(x) A)
//   jacobians  ∂f_i/∂x = f_i (a_i − ā), ∂f_i/∂A_kl = (δ_ik − f_k) f_i x_l
//   J(p)       p_i − p_i² on the diagonal (the model: ¼ − (p_i − ½)²), −p_r p_s elsewhere
//
// Arb balls are rigorous at every precision: a ball that is not inside an enclosure at one
// precision is recomputed at a higher one (the caller's ladder) until it is inside or certainly
// sticks out. Inputs are doubles, converted exactly.
#pragma once

#include <arb.h>

#include <cstddef>
#include <string>
#include <vector>

#include <Eigen/Dense>

namespace certbound::cli::stress_oracle {

/// RAII Arb ball.
struct Ball {
  arb_t b;
  Ball() { arb_init(b); }
  Ball(const Ball& o) {
    arb_init(b);
    arb_set(b, o.b);
  }
  Ball& operator=(const Ball& o) {
    arb_set(b, o.b);
    return *this;
  }
  ~Ball() { arb_clear(b); }
};

/// Row-major matrix of balls (vectors are n×1, scalars 1×1).
struct BMat {
  Eigen::Index r = 0, c = 0;
  std::vector<Ball> e;
  BMat() = default;
  BMat(Eigen::Index rows, Eigen::Index cols) : r(rows), c(cols), e(static_cast<size_t>(rows * cols)) {}
  arb_ptr operator()(Eigen::Index i, Eigen::Index j) { return e[static_cast<size_t>(i * c + j)].b; }
  arb_srcptr operator()(Eigen::Index i, Eigen::Index j) const { return e[static_cast<size_t>(i * c + j)].b; }
  arb_ptr operator[](Eigen::Index i) { return e[static_cast<size_t>(i)].b; }
  arb_srcptr operator[](Eigen::Index i) const { return e[static_cast<size_t>(i)].b; }
};

inline BMat exact(const Eigen::MatrixXd& m) {
  BMat r(m.rows(), m.cols());
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) arb_set_d(r(i, j), m(i, j));  // exact
  return r;
}

/// The oracle at precision `prec` (bits) on point inputs.
class Oracle {
 public:
  explicit Oracle(slong prec) : p_(prec) {}

  BMat matvec(const BMat& a, const BMat& x) const {
    BMat z(a.r, 1);
    for (Eigen::Index i = 0; i < a.r; ++i)
      for (Eigen::Index j = 0; j < a.c; ++j) arb_addmul(z[i], a(i, j), x[j], p_);
    return z;
  }

  BMat matmul(const BMat& a, const BMat& b) const {
    BMat r(a.r, b.c);
    for (Eigen::Index i = 0; i < a.r; ++i)
      for (Eigen::Index j = 0; j < b.c; ++j)
        for (Eigen::Index k = 0; k < a.c; ++k) arb_addmul(r(i, j), a(i, k), b(k, j), p_);
    return r;
  }

  BMat u(const BMat& a, const BMat& x) const {
    BMat z = matvec(a, x);
    for (Eigen::Index i = 0; i < z.r; ++i) arb_exp(z[i], z[i], p_);
    return z;
  }

  BMat alpha(const BMat& a, const BMat& x) const {
    const BMat e = u(a, x);
    BMat s(1, 1);
    for (Eigen::Index i = 0; i < e.r; ++i) arb_add(s[0], s[0], e[i], p_);
    return s;
  }

  BMat softmax(const BMat& z) const {
    const Eigen::Index n = z.r;
    Eigen::Index k = 0;
    for (Eigen::Index i = 1; i < n; ++i)
      if (arf_cmp(arb_midref(z[i]), arb_midref(z[k])) > 0) k = i;
    BMat e(n, 1);
    Ball s;
    for (Eigen::Index j = 0; j < n; ++j) {
      arb_sub(e[j], z[j], z[k], p_);
      arb_exp(e[j], e[j], p_);
      arb_add(s.b, s.b, e[j], p_);
    }
    for (Eigen::Index j = 0; j < n; ++j) arb_div(e[j], e[j], s.b, p_);
    return e;
  }

  BMat f(const BMat& a, const BMat& x) const { return softmax(matvec(a, x)); }

  BMat c(const BMat& a, const BMat& x, const BMat& b) const {
    BMat r = f(a, x);
    for (Eigen::Index i = 0; i < r.r; ++i) arb_sub(r[i], r[i], b[i], p_);
    return r;
  }

  BMat loss(const BMat& a, const BMat& x, const BMat& b) const {
    const BMat r = c(a, x, b);
    BMat s(1, 1);
    for (Eigen::Index i = 0; i < r.r; ++i) arb_addmul(s[0], r[i], r[i], p_);
    arb_mul_2exp_si(s[0], s[0], -1);
    return s;
  }

  /// g_i = a_i − ā with ā = Aᵀ f.
  BMat centered_rows(const BMat& a, const BMat& p) const {
    BMat abar(a.c, 1);
    for (Eigen::Index k = 0; k < a.c; ++k)
      for (Eigen::Index i = 0; i < a.r; ++i) arb_addmul(abar[k], p[i], a(i, k), p_);
    BMat g(a.r, a.c);
    for (Eigen::Index i = 0; i < a.r; ++i)
      for (Eigen::Index k = 0; k < a.c; ++k) arb_sub(g(i, k), a(i, k), abar[k], p_);
    return g;
  }

  BMat gradient(const BMat& a, const BMat& x, const BMat& b) const {
    const BMat p = f(a, x), g = centered_rows(a, p);
    BMat r(a.c, 1);
    Ball w;
    for (Eigen::Index i = 0; i < a.r; ++i) {
      arb_sub(w.b, p[i], b[i], p_);
      arb_mul(w.b, w.b, p[i], p_);
      for (Eigen::Index k = 0; k < a.c; ++k) arb_addmul(r[k], w.b, g(i, k), p_);
    }
    return r;
  }

  BMat hessian(const BMat& a, const BMat& x, const BMat& b) const {
    const Eigen::Index n = a.r, d = a.c;
    const BMat p = f(a, x), g = centered_rows(a, p);
    BMat w(n, 1);
    Ball s, ci, t, cov;
    for (Eigen::Index i = 0; i < n; ++i) {
      arb_sub(ci.b, p[i], b[i], p_);
      arb_addmul(s.b, ci.b, p[i], p_);
      arb_add(w[i], p[i], ci.b, p_);
      arb_mul(w[i], w[i], p[i], p_);
    }
    BMat h(d, d);
    for (Eigen::Index k = 0; k < d; ++k)
      for (Eigen::Index l = 0; l < d; ++l) {
        arb_zero(cov.b);
        for (Eigen::Index i = 0; i < n; ++i) {
          arb_mul(t.b, g(i, k), g(i, l), p_);
          arb_addmul(h(k, l), w[i], t.b, p_);
          arb_addmul(cov.b, p[i], t.b, p_);
        }
        arb_submul(h(k, l), s.b, cov.b, p_);
      }
    return h;
  }

  BMat softmax_jacobian(const BMat& p) const {
    const Eigen::Index n = p.r;
    BMat j(n, n);
    for (Eigen::Index r = 0; r < n; ++r)
      for (Eigen::Index s = 0; s < n; ++s) {
        arb_mul(j(r, s), p[r], p[s], p_);
        arb_neg(j(r, s), j(r, s));
        if (r == s) arb_add(j(r, s), j(r, s), p[r], p_);
      }
    return j;
  }

  BMat jacobian_x(const BMat& a, const BMat& x) const {
    const BMat p = f(a, x);
    BMat g = centered_rows(a, p);
    for (Eigen::Index i = 0; i < a.r; ++i)
      for (Eigen::Index k = 0; k < a.c; ++k) arb_mul(g(i, k), g(i, k), p[i], p_);
    return g;
  }

  BMat jacobian_a(const BMat& a, const BMat& x) const {
    const Eigen::Index n = a.r, d = a.c;
    const BMat p = f(a, x);
    BMat j(n, n * d);
    Ball t;
    for (Eigen::Index i = 0; i < n; ++i)
      for (Eigen::Index k = 0; k < n; ++k) {
        arb_neg(t.b, p[k]);
        if (i == k) arb_add_ui(t.b, t.b, 1, p_);
        arb_mul(t.b, t.b, p[i], p_);
        for (Eigen::Index l = 0; l < d; ++l) arb_mul(j(i, k * d + l), t.b, x[l], p_);
      }
    return j;
  }

  BMat gradient_step(const BMat& a, const BMat& x, const BMat& b, const BMat& eta) const {
    BMat r = gradient(a, x, b);
    for (Eigen::Index k = 0; k < r.r; ++k) {
      arb_mul(r[k], r[k], eta[0], p_);
      arb_sub(r[k], x[k], r[k], p_);
    }
    return r;
  }

  BMat self_attention_update(const BMat& a, const BMat& wq, const BMat& wk, const BMat& wv) const {
    const BMat q = matmul(a, wq), k = matmul(a, wk), v = matmul(a, wv);
    const Eigen::Index n = a.r;
    BMat out(a.r, v.c);
    for (Eigen::Index i = 0; i < n; ++i) {
      BMat scores(n, 1);
      for (Eigen::Index j = 0; j < n; ++j)
        for (Eigen::Index l = 0; l < q.c; ++l) arb_addmul(scores[j], q(i, l), k(j, l), p_);
      const BMat w = softmax(scores);
      for (Eigen::Index l = 0; l < v.c; ++l) {
        arb_set(out(i, l), a(i, l));
        for (Eigen::Index j = 0; j < n; ++j) arb_addmul(out(i, l), w[j], v(j, l), p_);
      }
    }
    return out;
  }

 private:
  slong p_;
};

}  // namespace certbound::cli::stress_oracle
