// The softmax-regression model of the paper (arXiv 2304.13276, Definition 1.3; DLS23 §5), written
// once over any scalar T: double (search), Interval / MpIntervalDigits (certificates) and Dual<T>
// (derivatives). A ∈ ℝ^{n×d}, x ∈ ℝ^d, b ∈ ℝⁿ.
//
// The same functions serve "as a function of x" and "as a function of A": f(A, x) is one formula,
// and the obligations choose which argument varies.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "certbound/arith/ops.hpp"
#include "certbound/linalg/eigen_support.hpp"
#include "certbound/linalg/products.hpp"
// The Dual overloads of ops:: must be declared before these templates: their qualified calls
// (ops::exp, ops::sqr, ...) are looked up where the templates are defined, not where they are used.
#include "certbound/model/dual.hpp"

namespace certbound::model {

/// A x, accumulated left to right (midpoint-radius for thin double intervals: linalg/products.hpp).
template <class T>
Vec<T> matvec(const Mat<T>& a, const Vec<T>& x) {
  return linalg::matvec(a, x);
}

/// Aᵀ y.
template <class T>
Vec<T> matvec_transposed(const Mat<T>& a, const Vec<T>& y) {
  Vec<T> x(a.cols());
  for (Eigen::Index j = 0; j < a.cols(); ++j) {
    T s(0);
    for (Eigen::Index i = 0; i < a.rows(); ++i) s += a(i, j) * y(i);
    x(j) = s;
  }
  return x;
}

/// u(x) = exp(Ax), entrywise.
template <class T>
Vec<T> u(const Mat<T>& a, const Vec<T>& x) {
  Vec<T> z = matvec(a, x);
  for (Eigen::Index i = 0; i < z.size(); ++i) z(i) = ops::exp(z(i));
  return z;
}

/// α(x) = ⟨u(x), 1ₙ⟩.
template <class T>
T alpha(const Mat<T>& a, const Vec<T>& x) {
  const Vec<T> e = u(a, x);
  T s(0);
  for (Eigen::Index i = 0; i < e.size(); ++i) s += e(i);
  return s;
}

/// A finite double inside or near x, for the shift of softmax (any real shift gives the same
/// exact value, but a non-finite one turns z − m into NaN): the midpoint, or for a box whose
/// midpoint overflows (ends beyond ±DBL_MAX/2 of each other) the nearest finite double.
template <class T>
double finite_shift_point(const T& x) {
  const double m = ops::mid(x);
  if (std::isfinite(m)) return m;
  if (std::isnan(m)) return 0.0;
  return m > 0 ? std::numeric_limits<double>::max() : -std::numeric_limits<double>::max();
}

/// softmax(z), tight and overflow-free in O(n) with one exponential per entry:
///   fᵢ = 1 / (1 + S₋ᵢ / eᵢ),  eᵢ = e^{zᵢ − m},  S₋ᵢ = Σ_{j≠i} eⱼ  (prefix + suffix sums),
/// with m a double near max z (any real m gives the same exact value). Each interval input occurs
/// once in fᵢ, so there is no dependency blow-up (u/α would count zᵢ twice). Dividing by eᵢ
/// instead of multiplying by e^{m − zᵢ} encloses the same set and saves the second exponential,
/// the costliest operation here.
template <class T>
Vec<T> softmax(const Vec<T>& z) {
  const Eigen::Index n = z.size();
  double m = finite_shift_point(z(0));
  for (Eigen::Index i = 1; i < n; ++i) m = std::max(m, finite_shift_point(z(i)));
  const T shift(m), one(1);  // converted once, not per entry (a multiprecision T allocates)
  std::vector<T> shifted(static_cast<size_t>(n));
  for (Eigen::Index i = 0; i < n; ++i) shifted[i] = ops::exp(z(i) - shift);
  std::vector<T> suffix(static_cast<size_t>(n) + 1, T(0));
  for (Eigen::Index i = n - 1; i >= 0; --i) suffix[i] = suffix[i + 1] + shifted[i];
  Vec<T> p(n);
  T prefix(0);
  for (Eigen::Index i = 0; i < n; ++i) {
    p(i) = one / (one + (prefix + suffix[i + 1]) / shifted[i]);  // prefix + suffix: the others' sum
    prefix += shifted[i];
  }
  return p;
}

/// f(x) = α(x)⁻¹ u(x) = softmax(Ax).
template <class T>
Vec<T> f(const Mat<T>& a, const Vec<T>& x) {
  return softmax(matvec(a, x));
}

/// c(x) = f(x) − b.
template <class T>
Vec<T> c(const Mat<T>& a, const Vec<T>& x, const Vec<T>& b) {
  return f(a, x) - b;
}

/// L(x) = ½‖c(x)‖₂².
template <class T>
T loss(const Mat<T>& a, const Vec<T>& x, const Vec<T>& b) {
  const Vec<T> r = c(a, x, b);
  T s(0);
  for (Eigen::Index i = 0; i < r.size(); ++i) s += ops::sqr(r(i));
  return s / T(2);
}

/// (diag(p) − ppᵀ) v = p∘v − p⟨p, v⟩, in O(n).
template <class T>
Vec<T> softmax_jacobian_times(const Vec<T>& p, const Vec<T>& v) {
  T pv(0);
  for (Eigen::Index i = 0; i < p.size(); ++i) pv += p(i) * v(i);
  Vec<T> r(p.size());
  for (Eigen::Index i = 0; i < p.size(); ++i) r(i) = p(i) * v(i) - p(i) * pv;
  return r;
}

/// ∇L(x) = Aᵀ(diag(f) − ffᵀ)c(x) (DLS23 Lemma 5.6).
template <class T>
Vec<T> gradient(const Mat<T>& a, const Vec<T>& x, const Vec<T>& b) {
  const Vec<T> p = f(a, x);
  return matvec_transposed(a, softmax_jacobian_times(p, Vec<T>(p - b)));
}

/// The softmax Jacobian diag(p) − ppᵀ. Diagonal entries as ¼ − (pᵢ − ½)² = pᵢ(1 − pᵢ), in which
/// pᵢ occurs once (tight for interval p, exact at p = ½).
template <class T>
Mat<T> softmax_jacobian(const Vec<T>& p) {
  const Eigen::Index n = p.size();
  Mat<T> j(n, n);
  for (Eigen::Index r = 0; r < n; ++r)
    for (Eigen::Index s = 0; s < n; ++s)
      j(r, s) = r == s ? ops::rational<T>(1, 4) - ops::sqr(p(r) - ops::rational<T>(1, 2)) : -(p(r) * p(s));
  return j;
}

/// A certified upper bound of ‖diag(p) − ppᵀ‖₂ without any eigenvalue computation: the matrix is
/// symmetric, so its norm is its spectral radius, bounded by Gershgorin's max row sum
/// Σⱼ|Jᵢⱼ| = pᵢ(1 − pᵢ) + pᵢ Σ_{j≠i} pⱼ = 2pᵢ(1 − pᵢ) = ½ − 2(pᵢ − ½)²  (using Σp = 1), written so that
/// pᵢ occurs once: the result never exceeds ½, and equals ½ where pᵢ = ½ (n = 2 attains it).
template <class T>
T softmax_jacobian_norm_upper(const Vec<T>& p) {
  T best = ops::rational<T>(1, 2) - T(2) * ops::sqr(p(0) - ops::rational<T>(1, 2));
  for (Eigen::Index i = 1; i < p.size(); ++i)
    best = ops::max(best, ops::rational<T>(1, 2) - T(2) * ops::sqr(p(i) - ops::rational<T>(1, 2)));
  return best;
}

/// Jacobian of x ↦ f(x): (diag(f) − ffᵀ) A, n×d.
template <class T>
Mat<T> jacobian_x(const Mat<T>& a, const Vec<T>& x) {
  const Vec<T> p = f(a, x);
  Mat<T> jac(a.rows(), a.cols());
  for (Eigen::Index k = 0; k < a.cols(); ++k) jac.col(k) = softmax_jacobian_times(p, Vec<T>(a.col(k)));
  return jac;
}

/// Jacobian of A ↦ f(A) with A flattened row-major (column k·d + l is ∂f/∂A_{kl} = J e_k x_l),
/// n × (n·d).
template <class T>
Mat<T> jacobian_a(const Mat<T>& a, const Vec<T>& x) {
  const Eigen::Index n = a.rows(), d = a.cols();
  const Mat<T> j = softmax_jacobian(f(a, x));
  Mat<T> jac(n, n * d);
  for (Eigen::Index k = 0; k < n; ++k)
    for (Eigen::Index l = 0; l < d; ++l)
      for (Eigen::Index i = 0; i < n; ++i) jac(i, k * d + l) = j(i, k) * x(l);
  return jac;
}

/// ∇²L(x) = Aᵀ B(x) A with (proofs/STATEMENTS.md, "Setup"; derived)
/// B = ⟨3f−2b, f⟩ffᵀ + (b∘f)fᵀ + f(b∘f)ᵀ − 2(f∘f)fᵀ − 2f(f∘f)ᵀ + ⟨b−f, f⟩diag(f) + diag((2f−b)∘f).
/// B is a diagonal plus terms of rank one: with r = (b − 2f)∘f and w = (⟨b−f, f⟩ + 2f − b)∘f,
///   B = ⟨3f−2b, f⟩ffᵀ + rfᵀ + frᵀ + diag(w),
/// so with q = Aᵀf and t = Aᵀr
///   AᵀBA = ⟨3f−2b, f⟩qqᵀ + tqᵀ + qtᵀ + Aᵀdiag(w)A,
/// which costs O(n·d²) instead of the O(n²·d) of forming B (an exact regrouping, so the interval
/// evaluation is still an enclosure of the exact Hessian). Entries on and above the diagonal are
/// computed and mirrored, the exact Hessian being symmetric.
template <class T>
Mat<T> hessian(const Mat<T>& a, const Vec<T>& x, const Vec<T>& b) {
  const Eigen::Index n = a.rows(), d = a.cols();
  const Vec<T> p = f(a, x);
  T s1(0), s2(0);
  for (Eigen::Index i = 0; i < n; ++i) {
    s1 += (T(3) * p(i) - T(2) * b(i)) * p(i);
    s2 += (b(i) - p(i)) * p(i);
  }
  Vec<T> r(n);
  Mat<T> wa(n, d);  // diag(w) A
  for (Eigen::Index i = 0; i < n; ++i) {
    r(i) = (b(i) - T(2) * p(i)) * p(i);
    const T w = (s2 + T(2) * p(i) - b(i)) * p(i);
    for (Eigen::Index k = 0; k < d; ++k) wa(i, k) = w * a(i, k);
  }
  const Vec<T> q = matvec_transposed(a, p), t = matvec_transposed(a, r);
  // Aᵀ(diag(w)A): for double and double intervals one d×n by n×d product (Eigen's blocked
  // product; midpoint-radius for a thin A, linalg/products.hpp); for the other scalars (Dual has no
  // comparison operators for Eigen's product kernels) the upper triangle term by term.
  Mat<T> awa;
  if constexpr (std::is_same_v<T, double> || std::is_same_v<T, Interval>) {
    awa = linalg::product(Mat<T>(a.transpose()), wa);
  } else {
    awa.resize(d, d);
    for (Eigen::Index k = 0; k < d; ++k)
      for (Eigen::Index l = k; l < d; ++l) {
        T s(0);
        for (Eigen::Index i = 0; i < n; ++i) s += a(i, k) * wa(i, l);
        awa(k, l) = s;
      }
  }
  Mat<T> h(d, d);
  for (Eigen::Index k = 0; k < d; ++k)
    for (Eigen::Index l = k; l < d; ++l) {
      h(k, l) = awa(k, l) + s1 * q(k) * q(l) + t(k) * q(l) + q(k) * t(l);
      h(l, k) = h(k, l);
    }
  return h;
}

/// One gradient step x_{t+1} = x_t − η∇L(x_t), as an enclosure of its exact value.
template <class T>
Vec<T> gradient_step(const Mat<T>& a, const Vec<T>& x, const Vec<T>& b, const T& eta) {
  return x - gradient(a, x, b) * eta;
}

/// Weight shift b̃ = b + f(x_t) − f(x_{t+1}), so that f(x_{t+1}) − b = f(x_t) − b̃ exactly.
template <class T>
Vec<T> weight_shift_target(const Mat<T>& a, const Vec<T>& x_t, const Vec<T>& x_next, const Vec<T>& b) {
  return b + f(a, x_t) - f(a, x_next);
}

/// Data shift b̂ = b + f_{A_t}(x) − f_{A_{t+1}}(x).
template <class T>
Vec<T> data_shift_target(const Mat<T>& a_t, const Mat<T>& a_next, const Vec<T>& x, const Vec<T>& b) {
  return b + f(a_t, x) - f(a_next, x);
}

/// One softmax self-attention layer: A_{t+1} = A_t + softmax_rows(A_t W_Q W_Kᵀ A_tᵀ) A_t W_V.
template <class T>
Mat<T> self_attention_update(const Mat<T>& a, const Mat<T>& wq, const Mat<T>& wk, const Mat<T>& wv) {
  const Mat<T> q = a * wq, k = a * wk, v = a * wv;
  const Eigen::Index n = a.rows();
  Mat<T> out = a;
  for (Eigen::Index i = 0; i < n; ++i) {
    Vec<T> scores(n);
    for (Eigen::Index j = 0; j < n; ++j) {
      T s(0);
      for (Eigen::Index l = 0; l < q.cols(); ++l) s += q(i, l) * k(j, l);
      scores(j) = s;
    }
    const Vec<T> w = softmax(scores);
    for (Eigen::Index l = 0; l < v.cols(); ++l) {
      T s(0);
      for (Eigen::Index j = 0; j < n; ++j) s += w(j) * v(j, l);
      out(i, l) += s;
    }
  }
  return out;
}

// ---- one instantiation per scalar type --------------------------------------------------------
// Every obligation evaluates the model in double, double intervals and three MPFI precisions.
// Instantiating these templates in each obligation's translation unit cost most of the build:
// they are instantiated once per type in src/model/instantiate_*.cpp and declared extern here.
// (Automatic-differentiation types instantiate on use, as before.)
#define CERTBOUND_MODEL_TEMPLATES(PREFIX, T)                                                                       \
  PREFIX template Vec<T> matvec<T>(const Mat<T>&, const Vec<T>&);                                                  \
  PREFIX template Vec<T> matvec_transposed<T>(const Mat<T>&, const Vec<T>&);                                       \
  PREFIX template Vec<T> u<T>(const Mat<T>&, const Vec<T>&);                                                       \
  PREFIX template T alpha<T>(const Mat<T>&, const Vec<T>&);                                                        \
  PREFIX template Vec<T> softmax<T>(const Vec<T>&);                                                                \
  PREFIX template Vec<T> f<T>(const Mat<T>&, const Vec<T>&);                                                       \
  PREFIX template Vec<T> c<T>(const Mat<T>&, const Vec<T>&, const Vec<T>&);                                        \
  PREFIX template T loss<T>(const Mat<T>&, const Vec<T>&, const Vec<T>&);                                          \
  PREFIX template Vec<T> gradient<T>(const Mat<T>&, const Vec<T>&, const Vec<T>&);                                 \
  PREFIX template Mat<T> softmax_jacobian<T>(const Vec<T>&);                                                       \
  PREFIX template T softmax_jacobian_norm_upper<T>(const Vec<T>&);                                                 \
  PREFIX template Mat<T> jacobian_x<T>(const Mat<T>&, const Vec<T>&);                                              \
  PREFIX template Mat<T> jacobian_a<T>(const Mat<T>&, const Vec<T>&);                                              \
  PREFIX template Mat<T> hessian<T>(const Mat<T>&, const Vec<T>&, const Vec<T>&);                                  \
  PREFIX template Vec<T> gradient_step<T>(const Mat<T>&, const Vec<T>&, const Vec<T>&, const T&);                  \
  PREFIX template Vec<T> weight_shift_target<T>(const Mat<T>&, const Vec<T>&, const Vec<T>&, const Vec<T>&);       \
  PREFIX template Vec<T> data_shift_target<T>(const Mat<T>&, const Mat<T>&, const Vec<T>&, const Vec<T>&);

CERTBOUND_MODEL_TEMPLATES(extern, double)
CERTBOUND_MODEL_TEMPLATES(extern, Interval)
CERTBOUND_MODEL_TEMPLATES(extern, Mp128)
CERTBOUND_MODEL_TEMPLATES(extern, Mp257)
CERTBOUND_MODEL_TEMPLATES(extern, Mp1025)

}  // namespace certbound::model
