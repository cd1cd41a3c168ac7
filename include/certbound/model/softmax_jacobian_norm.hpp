// ‖diag(p) − ppᵀ‖₂ for p on the probability simplex, in O(n) per evaluation instead of the O(n³)
// of a spectral-norm enclosure of the n×n matrix.
//
// For p ≥ 0 with Σp = 1 the softmax Jacobian J = diag(p) − ppᵀ is symmetric positive semidefinite
// (vᵀJv = Σpᵢvᵢ² − (Σpᵢvᵢ)² ≥ 0 by Cauchy–Schwarz with weights p), so ‖J‖₂ = λ_max(J).
// J is a rank-one update of a diagonal matrix, whose eigenvalues are described by the secular
// equation (Golub 1973, "Some modified matrix eigenvalue problems"; Bunch, Nielsen & Sorensen 1978):
//   det(J − λI) = Πᵢ(pᵢ − λ) · g(λ),   g(λ) = 1 − Σᵢ pᵢ²/(pᵢ − λ),
// and by Cauchy interlacing for the negative semidefinite rank-one update −ppᵀ,
//   p₍₂₎ ≤ λ_max(J) ≤ p₍₁₎   (second largest and largest pᵢ).
// With Σp = 1, pᵢ²/(pᵢ − λ) = pᵢ + λpᵢ/(pᵢ − λ) gives g(λ) = −λ·h(λ) with
//   h(λ) = Σᵢ pᵢ/(pᵢ − λ),
// strictly increasing between consecutive poles (h' = Σpᵢ/(pᵢ − λ)² > 0). h avoids the
// cancellation of "1 − …" in g when one pᵢ is close to 1 (then λ_max ≈ 1 − p₍₁₎ is tiny), and its
// terms are monotone in pᵢ, so their interval evaluation is tight.
//
// Certificate. Let t be the index of the largest pᵢ, and 0 < ν < μ points with
//   pⱼ < ν for every j ≠ t,   μ < p_t,   h(ν) < 0 < h(μ),
// all decided by endpoint predicates over the whole box of p (arith/predicates.hpp). On (ν, p_t)
// no pᵢ lies, so det(J − λI) = 0 there iff h(λ) = 0 (λ > 0). h is continuous and increasing on
// [ν, μ], so it has a root there: an eigenvalue, λ_max > ν. Any eigenvalue above μ would lie in
// (μ, p_t) (interlacing; p_t itself is no eigenvalue when it is the unique largest pᵢ and p_t > 0)
// where h > h(μ) > 0: none. Hence λ_max ∈ [ν, μ] for every simplex point of the box.
// ν and μ come from a double Newton/bisection solve of h(λ) = 0 on (p₍₂₎, p₍₁₎), refined by
// Newton steps in T's own precision for multiprecision T, then moved apart by about twice the
// width of h's enclosure divided by its slope.
//
// Where the certificate fails (ties or near ties at the top, wide boxes, p₍₂₎ = 0, n < 2) the
// result falls back to the generic spectral-norm enclosure of the n×n matrix for small n, and
// otherwise to the always valid O(n) enclosure
//   max(p₍₂₎, maxᵢ Jᵢᵢ) ≤ λ_max ≤ min(p₍₁₎, Gershgorin maxᵢ 2pᵢ(1 − pᵢ), tr J),
// (Jᵢᵢ = eᵢᵀJeᵢ is a Rayleigh quotient; tr J bounds the largest eigenvalue of a PSD matrix), which
// is exact for an exact tie p₍₁₎ = p₍₂₎ (then λ_max = p₍₁₎). Every result is intersected with
// these bounds, and its lower end raised to the Rayleigh quotient at the approximate eigenvector
// vᵢ = pᵢ/(pᵢ − λ̃) whenever λ̃ exists (a lower bound that needs no certificate).
//
// The result is an enclosure for the points of the box p on the simplex (p ≥ 0, Σp = 1): the
// true value of p = softmax(z) is one of them. The prover's boxes keep their own Gershgorin form.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <type_traits>
#include <vector>

#include "certbound/arith/ops.hpp"
#include "certbound/arith/predicates.hpp"
#include "certbound/linalg/eigen_support.hpp"
#include "certbound/linalg/spectral_norm.hpp"
#include "certbound/model/softmax_regression.hpp"

namespace certbound::model {

/// How softmax_jacobian_norm obtained its enclosure.
enum class JacobianNormMethod { secular, generic, interlacing };

inline const char* to_string(JacobianNormMethod m) {
  switch (m) {
    case JacobianNormMethod::secular: return "secular";
    case JacobianNormMethod::generic: return "generic";
    case JacobianNormMethod::interlacing: return "interlacing";
  }
  return "?";
}

template <class T>
struct JacobianNorm {
  T enclosure;  ///< ⊇ ‖diag(p) − ppᵀ‖₂ for every point of the box p on the simplex
  JacobianNormMethod method;
};

/// n up to which a failed secular certificate falls back to the generic O(n³) spectral-norm
/// enclosure (as tight as before for the small n of the tests and proofs/expected.json).
inline constexpr Eigen::Index kJacobianNormGenericMaxN = 64;

namespace detail {

/// The largest root of h(λ) = Σᵢ pᵢ/(pᵢ − λ) in (p₍₂₎, p₍₁₎), in double.
struct SecularRoot {
  double lambda;       ///< approximate root
  Eigen::Index top;    ///< index of the largest pᵢ
  double second;       ///< p₍₂₎
};

/// Safeguarded Newton iteration on h with a bisection fallback (geometric while the bracket spans
/// more than a factor 4, so a tiny root costs O(log log(p₍₁₎/p₍₂₎)) extra steps). The
/// bracket [lo, hi] keeps h(lo) < 0 < h(hi). nullopt when the top is tied or p₍₂₎ = 0 (no root
/// strictly inside, or not a root the certificate can use) or an entry is not finite.
inline std::optional<SecularRoot> largest_secular_root(const std::vector<double>& p) {
  const Eigen::Index n = static_cast<Eigen::Index>(p.size());
  if (n < 2) return std::nullopt;
  Eigen::Index top = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!std::isfinite(p[i])) return std::nullopt;
    if (p[i] > p[top]) top = i;
  }
  double second = -1;
  for (Eigen::Index j = 0; j < n; ++j)
    if (j != top) second = std::max(second, p[j]);
  const double pt = p[top];
  if (!(second > 0) || !(pt > second)) return std::nullopt;
  auto eval = [&](double x, double& h, double& slope) {
    double below = 0, below_slope = 0;
    for (Eigen::Index j = 0; j < n; ++j) {
      if (j == top) continue;
      const double r = 1.0 / (x - p[j]);
      below += p[j] * r;
      below_slope += p[j] * r * r;
    }
    const double r = 1.0 / (pt - x);
    h = (1.0 + x * r) - below;  // p_t/(p_t − x) = 1 + x/(p_t − x)
    slope = pt * r * r + below_slope;
  };
  auto split = [](double lo, double hi) { return hi > 4 * lo ? std::sqrt(lo) * std::sqrt(hi) : 0.5 * lo + 0.5 * hi; };
  double lo = second, hi = pt, x = split(lo, hi);
  constexpr double eps = std::numeric_limits<double>::epsilon();
  for (int it = 0; it < 200; ++it) {
    double h, slope;
    eval(x, h, slope);
    if (h == 0) break;
    if (h < 0) lo = x;
    else hi = x;
    double next = x - h / slope;
    if (!(next > lo && next < hi)) next = split(lo, hi);
    const bool converged = std::fabs(next - x) <= 2 * eps * x;
    x = next;
    if (converged || !(hi - lo > 2 * eps * hi)) break;
  }
  if (!(x > second && x < pt)) return std::nullopt;
  return SecularRoot{x, top, second};
}

/// A point of T at (or next to) the midpoint of x, at T's precision.
template <class T>
T midpoint_point(const T& x) {
  if constexpr (is_mp_interval_v<T>) {
    return T(boost::multiprecision::median(x));
  } else {
    return T(ops::mid(x));
  }
}

/// The point at the lower end of x.
template <class T>
T lower_point(const T& x) {
  return T(ops::lower(x));
}

/// h(λ) = 1 + λ/(p_t − λ) − Σ_{j≠t} pⱼ/(λ − pⱼ) over the box p; requires pⱼ < λ < p_t certainly
/// (checked by the caller). Each pᵢ occurs once and every term is monotone in it: tight.
template <class T>
T secular_h(const Vec<T>& p, Eigen::Index top, const T& lambda) {
  T below(0);
  for (Eigen::Index j = 0; j < p.size(); ++j)
    if (j != top) below += p(j) / (lambda - p(j));
  return (T(1) + lambda / (p(top) - lambda)) - below;
}

/// h'(λ) = Σᵢ pᵢ/(pᵢ − λ)², same requirements.
template <class T>
T secular_slope(const Vec<T>& p, Eigen::Index top, const T& lambda) {
  T s = p(top) / ops::sqr(p(top) - lambda);
  for (Eigen::Index j = 0; j < p.size(); ++j)
    if (j != top) s += p(j) / ops::sqr(lambda - p(j));
  return s;
}

/// A lower bound of λ_max(diag(p) − ppᵀ) for every simplex point of the box: the Rayleigh quotient
/// vᵀJv/vᵀv ≤ λ_max at vᵢ = pᵢ/(pᵢ − λ̃) = 1 + uᵢ, uᵢ = λ̃/(pᵢ − λ̃) (the eigenvector at the
/// approximate root λ̃, from the double midpoints; any v gives a lower bound, λ̃ only affects
/// tightness). The numerator uses J1 = 0 (Σp = 1): vᵀJv = uᵀJu = Σpᵢuᵢ² − (Σpᵢuᵢ)², where
/// Σpᵢuᵢ ≈ 0 at the root (h(λ̃) = 0), so nothing cancels (Σpᵢvᵢ² − (Σpᵢvᵢ)² would subtract
/// 1 from 1 + λ‖v‖²). Only the lower end of the result is meaningful; nullopt when v overflows.
template <class T>
std::optional<T> rayleigh_lower(const Vec<T>& p, const std::vector<double>& mids, double lambda) {
  const Eigen::Index n = p.size();
  T weighted(0), weighted_squares(0), norm_squared(0);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double u = lambda / (mids[static_cast<size_t>(i)] - lambda);
    if (!std::isfinite(u) || std::fabs(u) > 1e150) return std::nullopt;
    const T ut(u);
    weighted += p(i) * ut;
    weighted_squares += p(i) * ops::sqr(ut);
    norm_squared += ops::sqr(ut + T(1));
  }
  return T((weighted_squares - ops::sqr(weighted)) / norm_squared);
}

/// enc with its lower end raised to the lower end of `lower` (an enclosure whose upper end is no
/// bound of the same number).
template <class T>
T raise_lower_end(const T& enc, const T& lower) {
  return ops::join_ends(ops::max(enc, lower), enc);
}

/// [max(lower ends), min(upper ends)] of two enclosures of the same number.
template <class T>
T intersect(const T& a, const T& b) {
  return ops::join_ends(ops::max(a, b), ops::min(a, b));
}


/// The midpoints of p as doubles.
template <class T>
std::vector<double> midpoints_of(const Vec<T>& p) {
  std::vector<double> mids(static_cast<size_t>(p.size()));
  for (Eigen::Index i = 0; i < p.size(); ++i) mids[static_cast<size_t>(i)] = ops::mid(p(i));
  return mids;
}

/// The certificate from the double root of h at the midpoints.
template <class T>
std::optional<T> secular_certificate(const Vec<T>& p, const SecularRoot& root) {
  static_assert(!std::is_same_v<T, double>, "a certificate needs an interval type");
  const Eigen::Index n = p.size();
  const Eigen::Index top = root.top;

  // Upper end of every pⱼ, j ≠ t: the pole below the root.
  T others = p(top == 0 ? 1 : 0);
  for (Eigen::Index j = 0; j < n; ++j)
    if (j != top) others = ops::max(others, p(j));
  auto strictly_inside = [&](const T& lambda, const T& pt_box, const T& others_box) {
    return certainly_less(others_box, lambda) && certainly_less(lambda, pt_box);
  };

  T lambda = T(root.lambda);
  constexpr unsigned bits = precision_bits<T>::value;
  if constexpr (bits > 53) {
    // Newton steps on h at the midpoints, in T: each step doubles the number of correct bits.
    Vec<T> mid(n);
    for (Eigen::Index i = 0; i < n; ++i) mid(i) = detail::midpoint_point(p(i));
    T mid_others = mid(top == 0 ? 1 : 0);
    for (Eigen::Index j = 0; j < n; ++j)
      if (j != top) mid_others = ops::max(mid_others, mid(j));
    for (unsigned good = 40; good < 2 * bits; good *= 2) {
      if (!strictly_inside(lambda, mid(top), mid_others)) break;
      const T next = detail::midpoint_point(
          T(lambda - detail::secular_h(mid, top, lambda) / detail::secular_slope(mid, top, lambda)));
      if (!strictly_inside(next, mid(top), mid_others)) break;
      lambda = next;
    }
  }
  if (!strictly_inside(lambda, p(top), others)) return std::nullopt;

  // First-order distances from λ̃ to where the enclosure of h over the box is certainly negative
  // (below) and certainly positive (above), doubled, plus a few units in the last place.
  const T h = detail::secular_h(p, top, lambda);
  const T slope = detail::midpoint_point(detail::secular_slope(p, top, lambda));
  if (!certainly_greater(slope, 0.0)) return std::nullopt;
  const T floor = lambda * T(std::ldexp(1.0, -static_cast<int>(bits) + 4));
  T step_up = (ops::max(T(0), T(-detail::lower_point(h))) * T(2)) / slope + floor;
  T step_down = (ops::max(T(0), T(ops::upper(h))) * T(2)) / slope + floor;
  for (int attempt = 0; attempt < 4; ++attempt) {
    const T mu = detail::midpoint_point(T(lambda + step_up));
    const T nu = detail::midpoint_point(T(lambda - step_down));
    if (!certainly_greater(nu, 0.0) || !strictly_inside(nu, p(top), others) || !strictly_inside(mu, p(top), others))
      return std::nullopt;
    const bool above = certainly_greater(detail::secular_h(p, top, mu), 0.0);
    const bool below = certainly_less(detail::secular_h(p, top, nu), 0.0);
    if (above && below) return ops::join_ends(nu, mu);
    if (!above) step_up = step_up * T(8);
    if (!below) step_down = step_down * T(8);
  }
  return std::nullopt;
}

}  // namespace detail

/// The certificate of the header comment: an enclosure [ν, μ] of λ_max(diag(p) − ppᵀ) valid for
/// every point of the box p on the simplex, or nullopt when it cannot be established. O(n) per
/// Newton step; a handful of steps.
template <class T>
std::optional<T> softmax_jacobian_norm_secular(const Vec<T>& p) {
  if (p.size() < 2) return std::nullopt;
  const std::optional<detail::SecularRoot> root = detail::largest_secular_root(detail::midpoints_of(p));
  if (!root) return std::nullopt;
  return detail::secular_certificate(p, *root);
}

/// The always valid O(n) enclosure of the header comment (interlacing, diagonal entries,
/// Gershgorin, trace), for every point of the box p on the simplex.
template <class T>
T softmax_jacobian_norm_interlacing(const Vec<T>& p) {
  const Eigen::Index n = p.size();
  if (n == 0) return T(0);
  // Jᵢᵢ = pᵢ(1 − pᵢ) as ¼ − (pᵢ − ½)² (pᵢ once).
  auto diagonal = [&](Eigen::Index i) { return ops::rational<T>(1, 4) - ops::sqr(p(i) - ops::rational<T>(1, 2)); };
  T largest_diagonal = diagonal(0), trace = diagonal(0);
  for (Eigen::Index i = 1; i < n; ++i) {
    const T di = diagonal(i);
    largest_diagonal = ops::max(largest_diagonal, di);
    trace += di;
  }
  T upper = ops::min(trace, softmax_jacobian_norm_upper(p));
  T lower = largest_diagonal;
  if (n >= 2) {
    // Enclosures of the order statistics p₍₁₎ ≥ p₍₂₎ over the box (ops::max/min enclose the max
    // and min over all points, so this running update encloses the exact order statistics).
    T first = ops::max(p(0), p(1)), second = ops::min(p(0), p(1));
    for (Eigen::Index i = 2; i < n; ++i) {
      second = ops::max(second, ops::min(first, p(i)));
      first = ops::max(first, p(i));
    }
    lower = ops::max(lower, second);  // λ_max ≥ p₍₂₎
    upper = ops::min(upper, first);   // λ_max ≤ p₍₁₎
  }
  return ops::join_ends(lower, upper);
}

/// ‖diag(p) − ppᵀ‖₂ for p on the simplex (p = softmax(z)): for interval types an enclosure valid
/// for every simplex point of the box (the secular certificate; else, for n ≤ generic_max_n, the
/// generic spectral-norm enclosure of the matrix; else the interlacing bounds), for double an
/// approximation (the secular root; at ties the SVD for small n, else the exact tie value p₍₂₎).
template <class T>
JacobianNorm<T> softmax_jacobian_norm(const Vec<T>& p, Eigen::Index generic_max_n = kJacobianNormGenericMaxN) {
  const Eigen::Index n = p.size();
  if constexpr (std::is_same_v<T, double>) {
    const std::vector<double> v(p.data(), p.data() + n);
    if (const auto root = detail::largest_secular_root(v)) return {root->lambda, JacobianNormMethod::secular};
    if (n == 0) return {0.0, JacobianNormMethod::interlacing};
    if (n <= generic_max_n) {
      return {linalg::largest_singular_value(softmax_jacobian(p)), JacobianNormMethod::generic};
    }
    double first = -1, second = -1, largest_diagonal = 0;
    for (Eigen::Index i = 0; i < n; ++i) {
      largest_diagonal = std::max(largest_diagonal, p(i) * (1 - p(i)));
      if (p(i) > first) {
        second = first;
        first = p(i);
      } else {
        second = std::max(second, p(i));
      }
    }
    return {std::max(second, largest_diagonal), JacobianNormMethod::interlacing};
  } else {
    const std::vector<double> mids = detail::midpoints_of(p);
    const std::optional<detail::SecularRoot> root = detail::largest_secular_root(mids);
    JacobianNorm<T> r{softmax_jacobian_norm_interlacing(p), JacobianNormMethod::interlacing};
    std::optional<T> certified;
    if (root) certified = detail::secular_certificate(p, *root);
    if (certified) {
      r = {detail::intersect(*certified, r.enclosure), JacobianNormMethod::secular};
    } else if (n <= generic_max_n) {
      const double target = 1.0 + std::ldexp(1.0, -static_cast<int>(precision_bits<T>::value) + 24);
      const T generic = linalg::spectral_norm<T>(softmax_jacobian(p), target).enclosure;
      r = {detail::intersect(generic, r.enclosure), JacobianNormMethod::generic};
    }
    // The Rayleigh quotient at the approximate eigenvector needs no certificate: it also tightens
    // the lower end (which the witness ratio uses) where the top is too close to certify.
    if (root)
      if (const std::optional<T> rq = detail::rayleigh_lower(p, mids, root->lambda))
        r.enclosure = detail::raise_lower_end(r.enclosure, *rq);
    return r;
  }
}

// Instantiated once per scalar type in src/model/instantiate_jacobian_norm.cpp (sharp.softmax_jacobian
// and the tests both used to instantiate them, five and three types each).
#define CERTBOUND_JACOBIAN_NORM_TEMPLATES(PREFIX, T)                                           \
  PREFIX template JacobianNorm<T> softmax_jacobian_norm<T>(const Vec<T>&, Eigen::Index);       \
  PREFIX template T softmax_jacobian_norm_interlacing<T>(const Vec<T>&);

CERTBOUND_JACOBIAN_NORM_TEMPLATES(extern, double)
CERTBOUND_JACOBIAN_NORM_TEMPLATES(extern, Interval)
CERTBOUND_JACOBIAN_NORM_TEMPLATES(extern, Mp128)
CERTBOUND_JACOBIAN_NORM_TEMPLATES(extern, Mp257)
CERTBOUND_JACOBIAN_NORM_TEMPLATES(extern, Mp1025)

}  // namespace certbound::model
