// Matrix products over every scalar type, with a fast certified path for double intervals.
//
// Generic T: the plain loop / Eigen product in T. Interval: when one factor is thin (all entries
// points, as for every case of `check`), the product is formed in midpoint-radius arithmetic
// (Rump, "Fast and parallel interval arithmetic", BIT 39 (1999); Rump, "Fast interval matrix
// multiplication", Numer. Algorithms 61 (2012)): one double product of the midpoints plus an
// a-priori bound of its rounding error, both by Eigen's double kernels in round-to-nearest.
// With a thin left factor L (k columns) and R = ⟨mR, rR⟩:
//   L·R ⊆ fl(L·mR) ± ( |L|·rR + γ_k·|L|·|mR| + k·η ),       γ_k = k·u/(1 − k·u), u = 2^-53,
// because |fl(L·mR) − L·mR| ≤ γ_k·|L|·|mR| + k·η for any summation order, η = 2^-1074 covering
// underflow (Higham, "Accuracy and Stability", §3.1; Rump 2012, (2.7)). The nonnegative products
// S = |L|·rR and |L|·|mR| are themselves computed in round-to-nearest, so fl(S) ≥ (1 − γ_k)·S − k·η
// and S ≤ (fl(S) + k·η)·(1 + 2γ_k) (k·u ≤ 1/4). The constants (γ_k, 1 + 2γ_k) use the directed
// roundings of directed.hpp, the O(output) combination steps its round-to-nearest result up by
// whole ulps (see thin_times), and [mid − rad, mid + rad] is rounded outward by error-free sums:
// no rounding-mode change. The midpoint-radius form overestimates only products of two thick
// factors, which therefore keep the inf-sup path (so prover boxes are enclosed as before).
// Non-finite midpoints or radii also fall back to the inf-sup path.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <type_traits>

#include "certbound/arith/directed.hpp"
#include "certbound/arith/expansion.hpp"
#include "certbound/arith/mp_interval.hpp"
#include "certbound/linalg/eigen_support.hpp"

namespace certbound::linalg {

namespace detail {

inline double add_up(double a, double b) { return directed::round_up(directed::sum(a, b)); }
inline double mul_up(double a, double b) { return directed::round_up(directed::product(a, b)); }

template <class Derived>
bool is_thin(const Eigen::MatrixBase<Derived>& m) {
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      if (!(m(i, j).lower() == m(i, j).upper())) return false;
  return true;
}

template <class Derived>
Eigen::MatrixXd lower_ends(const Eigen::MatrixBase<Derived>& m) {
  Eigen::MatrixXd r(m.rows(), m.cols());
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) r(i, j) = m(i, j).lower();
  return r;
}

/// Upper bounds of γ_k and of 1 + 2γ_k, for k·u ≤ 1/4.
struct GammaFactors {
  double gamma, inflate;
};
inline GammaFactors gamma_factors(Eigen::Index k) {
  const double ku = static_cast<double>(k) * 0x1p-53;          // exact: k < 2^51
  const double gamma = mul_up(ku, add_up(1.0, 2.0 * ku));      // k·u/(1 − k·u) ≤ k·u·(1 + 2k·u)
  return {gamma, add_up(1.0, 2.0 * gamma)};
}

/// [mid ± rad] with rad ≥ γ_k·|L|·|mR| + k·η [+ |L|·rR] from the round-to-nearest sums
/// abs_mid = fl(|L|·|mR|) and abs_rad = fl(|L|·rR) (the latter only when R is thick).
inline std::optional<Mat<Interval>> combine(const Eigen::MatrixXd& mid, const Eigen::MatrixXd& abs_mid,
                                            const Eigen::MatrixXd& abs_rad, Eigen::Index k, bool r_thin) {
  // Radius per entry: γ_k·(S_abs + k·η)·f + k·η [+ (S_rad + k·η)·f], f = 1 + 2γ_k, all terms ≥ 0.
  // The constants are rounded upward once; per entry the sum c1·S_abs [+ f·S_rad] + c0 is formed in
  // round-to-nearest (m ≤ 3 operations) with one extra η in c0 absorbing the underflow of each
  // product (≤ η/2), so the computed q ≥ (1 − u)^m · exact, and m + 1 steps to the next double
  // give an upper bound (each step multiplies a normal q by at least 1 + u; subnormal sums are exact).
  const GammaFactors g = gamma_factors(k);
  const double eta = std::numeric_limits<double>::denorm_min();
  const double k_eta = static_cast<double>(k) * eta;  // exact
  const double c1 = mul_up(g.gamma, g.inflate);
  double c0 = add_up(add_up(mul_up(c1, k_eta), k_eta), eta);
  if (!r_thin) c0 = add_up(c0, add_up(mul_up(g.inflate, k_eta), eta));
  const int steps = r_thin ? 3 : 4;
  Mat<Interval> out(mid.rows(), mid.cols());
  for (Eigen::Index j = 0; j < mid.cols(); ++j)
    for (Eigen::Index i = 0; i < mid.rows(); ++i) {
      double rad = r_thin ? c1 * abs_mid(i, j) + c0 : (c1 * abs_mid(i, j) + g.inflate * abs_rad(i, j)) + c0;
      rad = directed::step_up_positive(rad, steps);
      const double m = mid(i, j);
      if (!std::isfinite(m) || !std::isfinite(rad)) return std::nullopt;
      out(i, j) = Interval(directed::round_down(directed::difference(m, rad)),
                           directed::round_up(directed::sum(m, rad)), true);
    }
  return out;
}

/// L·R for a thin double matrix L and an interval matrix R; nullopt when something is not finite.
template <class Derived>
std::optional<Mat<Interval>> thin_times(const Eigen::MatrixXd& l, const Eigen::MatrixBase<Derived>& r) {
  const Eigen::Index k = l.cols();
  if (static_cast<double>(k) > 0x1p49) return std::nullopt;
  const bool r_thin = is_thin(r);
  Eigen::MatrixXd r_mid(r.rows(), r.cols()), r_rad;
  if (r_thin) {
    r_mid = lower_ends(r);
  } else {
    r_rad.resize(r.rows(), r.cols());
    for (Eigen::Index j = 0; j < r.cols(); ++j)
      for (Eigen::Index i = 0; i < r.rows(); ++i) {
        const double lo = r(i, j).lower(), hi = r(i, j).upper();
        const double m = lo * 0.5 + hi * 0.5;  // any finite point: the radius is measured from it
        r_mid(i, j) = m;
        r_rad(i, j) = std::max(directed::round_up(directed::difference(hi, m)),
                               directed::round_up(directed::difference(m, lo)));
      }
  }
  const Eigen::MatrixXd l_abs = l.cwiseAbs();
  const Eigen::MatrixXd mid = l * r_mid;
  const Eigen::MatrixXd abs_mid = l_abs * r_mid.cwiseAbs();
  Eigen::MatrixXd abs_rad;
  if (!r_thin) abs_rad = l_abs * r_rad;

  return combine(mid, abs_mid, abs_rad, k, r_thin);
}

/// The round-to-nearest sums of thin_times for A·x, over the columns [j, j + 4) of a thin A:
///   mid += Σ lo·x_mid,  abs_mid += Σ |lo|·|x_mid|,  abs_rad += Σ |lo|·x_rad (when x is thick).
/// Four columns per pass over the rows read each accumulator once per four products: the pass is
/// bound by reading A (16 bytes per entry), not by the accumulators. Returns whether every entry of
/// these columns is a point (otherwise the sums are meaningless and the caller falls back).
inline bool add_four_columns(const Interval* col, Eigen::Index n, const double* xm, const double* xr,
                             double* __restrict mid, double* __restrict abs_mid, double* __restrict abs_rad) {
  const Interval *c0 = col, *c1 = c0 + n, *c2 = c1 + n, *c3 = c2 + n;
  const double m0 = xm[0], m1 = xm[1], m2 = xm[2], m3 = xm[3];
  const double a0 = std::fabs(m0), a1 = std::fabs(m1), a2 = std::fabs(m2), a3 = std::fabs(m3);
  // Bitwise or of the four tests: no branch per entry (each test converted to int first).
  auto differs = [](double lo, double hi) { return static_cast<int>(lo != hi); };
  int thick = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double l0 = c0[i].lower(), l1 = c1[i].lower(), l2 = c2[i].lower(), l3 = c3[i].lower();
    thick |= differs(l0, c0[i].upper()) | differs(l1, c1[i].upper()) | differs(l2, c2[i].upper()) |
             differs(l3, c3[i].upper());
    mid[i] += (l0 * m0 + l1 * m1) + (l2 * m2 + l3 * m3);  // γ_k holds for any summation order
    abs_mid[i] += (std::fabs(l0) * a0 + std::fabs(l1) * a1) + (std::fabs(l2) * a2 + std::fabs(l3) * a3);
  }
  if (abs_rad != nullptr)
    for (Eigen::Index i = 0; i < n; ++i)
      abs_rad[i] += (std::fabs(c0[i].lower()) * xr[0] + std::fabs(c1[i].lower()) * xr[1]) +
                    (std::fabs(c2[i].lower()) * xr[2] + std::fabs(c3[i].lower()) * xr[3]);
  return thick == 0;
}

/// The same sums for the single column j (the last k mod 4 columns).
inline bool add_one_column(const Interval* col, Eigen::Index n, double xm, double xr, double* __restrict mid,
                           double* __restrict abs_mid, double* __restrict abs_rad) {
  const double xa = std::fabs(xm);
  int thick = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double lo = col[i].lower();
    thick |= static_cast<int>(lo != col[i].upper());
    mid[i] += lo * xm;
    abs_mid[i] += std::fabs(lo) * xa;
  }
  if (abs_rad != nullptr)
    for (Eigen::Index i = 0; i < n; ++i) abs_rad[i] += std::fabs(col[i].lower()) * xr;
  return thick == 0;
}

/// A·x for a thin A (checked on the fly, nullopt otherwise) and any x, in one pass over A: the sums
/// of thin_times (mid, |A|·|mx|, |A|·rx) accumulated four columns at a time (the γ_k bound holds
/// for any summation order), which avoids converting A to double matrices first.
inline std::optional<Vec<Interval>> thin_matrix_times_vector(const Mat<Interval>& a, const Vec<Interval>& x) {
  const Eigen::Index n = a.rows(), k = a.cols();
  if (static_cast<double>(k) > 0x1p49) return std::nullopt;
  Eigen::VectorXd x_mid(k), x_rad = Eigen::VectorXd::Zero(k);
  bool x_thin = true;
  for (Eigen::Index j = 0; j < k; ++j) {
    const double lo = x(j).lower(), hi = x(j).upper();
    x_mid(j) = lo == hi ? lo : lo * 0.5 + hi * 0.5;  // halving a subnormal point is inexact
    if (lo != hi) {
      x_thin = false;
      x_rad(j) = std::max(directed::round_up(directed::difference(hi, x_mid(j))),
                          directed::round_up(directed::difference(x_mid(j), lo)));
    }
  }
  Eigen::VectorXd mid = Eigen::VectorXd::Zero(n), abs_mid = Eigen::VectorXd::Zero(n), abs_rad;
  if (!x_thin) abs_rad = Eigen::VectorXd::Zero(n);
  double* rad_sums = x_thin ? nullptr : abs_rad.data();
  Eigen::Index j = 0;
  for (; j + 4 <= k; j += 4)
    if (!add_four_columns(a.data() + j * n, n, x_mid.data() + j, x_rad.data() + j, mid.data(), abs_mid.data(),
                          rad_sums))
      return std::nullopt;
  for (; j < k; ++j)
    if (!add_one_column(a.data() + j * n, n, x_mid(j), x_rad(j), mid.data(), abs_mid.data(), rad_sums))
      return std::nullopt;
  auto out = combine(mid, abs_mid, abs_rad, k, x_thin);
  if (!out) return std::nullopt;
  return Vec<Interval>(out->col(0));
}

/// Midpoint-radius L·R when L or R is thin; nullopt when both are thick or on non-finite values.
template <class D1, class D2>
std::optional<Mat<Interval>> fast_product(const Eigen::MatrixBase<D1>& l, const Eigen::MatrixBase<D2>& r) {
  if (is_thin(l)) return thin_times(lower_ends(l), r);
  if (is_thin(r)) {  // L·R = (Rᵀ·Lᵀ)ᵀ
    const Eigen::MatrixXd rt = lower_ends(r).transpose();
    auto t = thin_times(rt, l.transpose());
    if (!t) return std::nullopt;
    return Mat<Interval>(t->transpose());
  }
  return std::nullopt;
}

/// Whether an MPFI interval is one finite point.
template <unsigned D>
bool is_mp_point(const MpIntervalDigits<D>& v) {
  const auto* p = v.backend().data();
  return mpfr_number_p(&p->left) && mpfr_equal_p(&p->left, &p->right);
}

/// The double equal to a finite MPFR number, if there is one (53 significant bits, exponent within
/// ±1000). Read through MPFR's documented custom interface: the significand's limbs, least
/// significant first, most significant bit set; the value is 0.significand × 2^exp.
inline std::optional<double> exact_double(mpfr_srcptr v) {
  static_assert(GMP_NUMB_BITS == 64, "limb layout assumed below");
  if (mpfr_zero_p(v)) return 0.0;
  const mpfr_exp_t exponent = mpfr_get_exp(v);
  if (exponent > 1000 || exponent < -1000) return std::nullopt;
  const std::size_t limbs = static_cast<std::size_t>((mpfr_get_prec(v) + 63) / 64);
  const auto* d = static_cast<const mp_limb_t*>(mpfr_custom_get_significand(v));
  for (std::size_t k = 0; k + 1 < limbs; ++k)
    if (d[k] != 0) return std::nullopt;
  const mp_limb_t top = d[limbs - 1];
  if ((top & 0x7ff) != 0) return std::nullopt;  // more than 53 significant bits
  // The same value as a binary64 bit pattern: the leading bit becomes the implicit one, and
  // 0.1f × 2^e = 1.f × 2^(e − 1) has the biased exponent e − 1 + 1023 (normal for |e| ≤ 1000).
  const std::uint64_t fraction = (top >> 11) & ((std::uint64_t{1} << 52) - 1);
  const std::uint64_t biased = static_cast<std::uint64_t>(exponent - 1 + 1023);
  const std::uint64_t bits = (static_cast<std::uint64_t>(mpfr_signbit(v) != 0) << 63) | (biased << 52) | fraction;
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

/// Sets [lower, upper] to the tightest enclosure of an exact sum at the interval's precision.
inline void round_outward(expansion::ExactDot& dot, mpfi_ptr out) {
  const int inexact = dot.round_to(&out->left, MPFR_RNDD);
  mpfr_set(&out->right, &out->left, MPFR_RNDN);  // same precision: exact
  if (inexact != 0) mpfr_nextabove(&out->right);
}

/// A x for multiprecision points that are all doubles (every case of `check` converts its double
/// data): each dot product is summed exactly (arith/expansion.hpp) and rounded once, outward, so
/// the result is the tightest enclosure. nullopt when an entry is not such a point, or a product
/// leaves the exact range.
template <unsigned D>
std::optional<Vec<MpIntervalDigits<D>>> mp_double_matvec(const Mat<MpIntervalDigits<D>>& a,
                                                         const Vec<MpIntervalDigits<D>>& x) {
  auto to_doubles = [](const auto& m, Eigen::MatrixXd& out) {
    out.resize(m.rows(), m.cols());
    for (Eigen::Index j = 0; j < m.cols(); ++j)
      for (Eigen::Index i = 0; i < m.rows(); ++i) {
        const auto* v = m(i, j).backend().data();
        if (!mpfr_number_p(&v->left) || !mpfr_number_p(&v->right)) return false;
        const auto lo = exact_double(&v->left), hi = exact_double(&v->right);
        if (!lo || !hi || *lo != *hi) return false;  // a point, and a double
        out(i, j) = *lo;
      }
    return true;
  };
  Eigen::MatrixXd ad, xd;
  if (!to_doubles(x, xd) || !to_doubles(a, ad)) return std::nullopt;
  Vec<MpIntervalDigits<D>> y(a.rows());
  expansion::ExactDot dot;
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    dot.reset();
    for (Eigen::Index j = 0; j < a.cols(); ++j) dot.add_product(ad(i, j), xd(j, 0));
    if (!dot.exact()) return std::nullopt;
    auto* out = y(i).backend().data();
    round_outward(dot, out);
    // MPFI's convention for zero ends: +0 on the left, −0 on the right.
    if (mpfr_zero_p(&out->left)) mpfr_set_zero(&out->left, 1);
    if (mpfr_zero_p(&out->right)) mpfr_set_zero(&out->right, -1);
  }
  return y;
}

/// A x for multiprecision points (every entry of A and x thin and finite, as in every case of
/// `check`): two fused multiply-adds per term, rounded down into the lower end and up into the
/// upper end. Sound by monotonicity (RD(a·x + s) ≤ a·x + s ≤ a·x + t for s ≤ t), tightest per
/// step, and free of the temporaries that each `s += a * x` allocates. nullopt otherwise.
template <unsigned D>
std::optional<Vec<MpIntervalDigits<D>>> mp_point_matvec(const Mat<MpIntervalDigits<D>>& a,
                                                        const Vec<MpIntervalDigits<D>>& x) {
  for (Eigen::Index j = 0; j < x.size(); ++j)
    if (!is_mp_point(x(j))) return std::nullopt;
  for (Eigen::Index j = 0; j < a.cols(); ++j)
    for (Eigen::Index i = 0; i < a.rows(); ++i)
      if (!is_mp_point(a(i, j))) return std::nullopt;
  Vec<MpIntervalDigits<D>> y(a.rows());
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    auto* out = y(i).backend().data();
    mpfr_set_zero(&out->left, 1);
    mpfr_set_zero(&out->right, 1);
    for (Eigen::Index j = 0; j < a.cols(); ++j) {
      mpfr_srcptr aij = &a(i, j).backend().data()->left, xj = &x(j).backend().data()->left;
      mpfr_fma(&out->left, aij, xj, &out->left, MPFR_RNDD);
      mpfr_fma(&out->right, aij, xj, &out->right, MPFR_RNDU);
    }
    // MPFI's convention for zero ends: +0 on the left, −0 on the right.
    if (mpfr_zero_p(&out->left)) mpfr_set_zero(&out->left, 1);
    if (mpfr_zero_p(&out->right)) mpfr_set_zero(&out->right, -1);
  }
  return y;
}

}  // namespace detail

/// A x, accumulated left to right in T (midpoint-radius for Interval when A or x is thin; for
/// multiprecision points, exact sums rounded once when they are doubles, else directed fused
/// multiply-adds).
template <class T>
Vec<T> matvec(const Mat<T>& a, const Vec<T>& x) {
  if constexpr (std::is_same_v<T, Interval>) {
    if (auto fast = detail::thin_matrix_times_vector(a, x)) return *fast;
    if (auto fast = detail::fast_product(a, x)) return Vec<Interval>(fast->col(0));
  } else if constexpr (is_mp_interval_v<T>) {
    if (auto exact = detail::mp_double_matvec(a, x)) return *exact;
    if (auto fast = detail::mp_point_matvec(a, x)) return *fast;
  }
  Vec<T> y(a.rows());
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    T s(0);
    for (Eigen::Index j = 0; j < a.cols(); ++j) s += a(i, j) * x(j);
    y(i) = s;
  }
  return y;
}

/// A·B by Eigen's product in T (midpoint-radius for Interval when A or B is thin).
template <class T>
Mat<T> product(const Mat<T>& a, const Mat<T>& b) {
  if constexpr (std::is_same_v<T, Interval>) {
    if (auto fast = detail::fast_product(a, b)) return *fast;
  }
  return a * b;
}

/// The Gram matrix AᵀA.
template <class T>
Mat<T> gram(const Mat<T>& a) {
  if constexpr (std::is_same_v<T, Interval>) {
    if (auto fast = detail::fast_product(a.transpose(), a)) return *fast;
  }
  return a.transpose() * a;
}

}  // namespace certbound::linalg
