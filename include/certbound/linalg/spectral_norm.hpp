// Certified two-sided enclosure of the spectral norm ‖A‖₂ = σ_max(A).
//
// For an interval matrix the result encloses {‖A‖ : A in the box}.
// Lower end: the Rayleigh quotient ‖Av‖₂/‖v‖₂ at an approximate top right singular vector v from
// a double eigen-solver (any v gives a lower bound; the approximation only affects tightness).
// Upper end, cheapest first, stopping once upper/lower reaches the target ratio:
//   1. Frobenius norm;
//   2. Gershgorin on G = AᵀA: σ² ≤ maxᵢ Σⱼ |Gᵢⱼ|;
//   3. Collatz–Wielandt on |G| with the positive vector |v| + ε: σ² = ρ(G) ≤ ρ(|G|) ≤ maxᵢ (|G|x)ᵢ/xᵢ;
//   4. positive-definiteness certificate (Rump, BIT 51 (2011), "Verified bounds for singular values"):
//      if μI − G is certainly positive definite then σ² < μ. Positive definiteness is proved by
//      interval Cholesky (Alefeld & Mayer 1993: if interval Cholesky runs to completion with
//      certainly positive pivots, every symmetric matrix in the interval matrix is PD), trying
//      μ = (ρ(1+τ))², ρ the Rayleigh quotient's upper end, τ from the precision's level up to 1e-3.
#pragma once

#include <cmath>
#include <string>

#include "certbound/arith/predicates.hpp"
#include "certbound/linalg/norms.hpp"
#include "certbound/linalg/products.hpp"

namespace certbound::linalg {

enum class SpectralUpperMethod { frobenius, gershgorin, collatz, spd_certificate };

inline const char* to_string(SpectralUpperMethod m) {
  switch (m) {
    case SpectralUpperMethod::frobenius: return "frobenius";
    case SpectralUpperMethod::gershgorin: return "gershgorin";
    case SpectralUpperMethod::collatz: return "collatz";
    case SpectralUpperMethod::spd_certificate: return "spd-certificate";
  }
  return "?";
}

template <class T>
struct SpectralNorm {
  T enclosure;                  ///< ⊇ ‖A‖₂ (for every A in the box)
  SpectralUpperMethod method;   ///< which method gave the upper end
};

namespace detail {

/// True when interval Cholesky of the symmetric interval matrix C completes with certainly
/// positive pivots, which proves every symmetric matrix in C positive definite.
template <class T>
bool interval_cholesky_succeeds(const Mat<T>& c) {
  const Eigen::Index n = c.rows();
  Mat<T> l = Mat<T>::Zero(n, n);
  for (Eigen::Index k = 0; k < n; ++k) {
    T pivot = c(k, k);
    for (Eigen::Index j = 0; j < k; ++j) pivot -= ops::sqr(l(k, j));
    if (!certainly_greater(pivot, 0.0)) return false;
    l(k, k) = ops::sqrt(pivot);
    for (Eigen::Index i = k + 1; i < n; ++i) {
      T s = c(i, k);
      for (Eigen::Index j = 0; j < k; ++j) s -= l(i, j) * l(k, j);
      l(i, k) = s / l(k, k);
    }
  }
  return true;
}

}  // namespace detail

/// Enclosure of ‖A‖₂. Tries upper-bound methods from cheap to tight until
/// upper ≤ target_ratio · lower. A zero matrix gives [0, 0].
template <class T>
SpectralNorm<T> spectral_norm(const Mat<T>& a_in, double target_ratio = 1.0 + 1e-9) {
  // Work with the smaller Gram matrix: ‖A‖ = ‖Aᵀ‖.
  const Mat<T> a = a_in.cols() <= a_in.rows() ? a_in : Mat<T>(a_in.transpose());
  const Eigen::Index d = a.cols();
  const Mat<T> g = linalg::gram(a);

  // Approximate top eigenpair of the midpoint Gram matrix (double; only proposes v and σ̃).
  const Eigen::MatrixXd gm = midpoints(g);
  const Eigen::VectorXd v = top_eigenvector(gm);

  // Lower end: ‖Av‖₂ / ‖v‖₂, certified.
  const Vec<T> vt = to_scalar_matrix<T>(v);
  const Vec<T> av = linalg::product<T>(a, vt);
  const T rayleigh = ops::sqrt(norm2_squared<T>(av) / norm2_squared<T>(vt));

  auto result_with = [&](const T& upper_sq, SpectralUpperMethod m) {
    return SpectralNorm<T>{ops::join_ends(rayleigh, ops::sqrt(upper_sq)), m};
  };
  auto good_enough = [&](const T& upper_sq) {
    return certainly_less_equal(ops::sqrt(upper_sq), rayleigh * T(target_ratio)) ||
           ops::upper(upper_sq) == 0;
  };

  // 1. Frobenius.
  T best_sq = norm2_squared<T>(a.reshaped());
  SpectralUpperMethod best = SpectralUpperMethod::frobenius;
  auto consider = [&](const T& candidate_sq, SpectralUpperMethod m) {
    if (ops::upper(candidate_sq) < ops::upper(best_sq)) {
      best_sq = candidate_sq;
      best = m;
    }
  };
  if (good_enough(best_sq)) return result_with(best_sq, best);

  // 2. Gershgorin on G.
  T gersh(0);
  for (Eigen::Index i = 0; i < d; ++i) {
    T row(0);
    for (Eigen::Index j = 0; j < d; ++j) row += ops::abs(g(i, j));
    gersh = ops::max(gersh, row);
  }
  consider(gersh, SpectralUpperMethod::gershgorin);
  if (good_enough(best_sq)) return result_with(best_sq, best);

  // 3. Collatz–Wielandt on |G| with x = |v| + ε.
  Vec<T> x(d);
  for (Eigen::Index i = 0; i < d; ++i) x(i) = T(std::fabs(v(i)) + 1e-3 / std::sqrt(double(d)));
  T collatz(0);
  for (Eigen::Index i = 0; i < d; ++i) {
    T row(0);
    for (Eigen::Index j = 0; j < d; ++j) row += ops::abs(g(i, j)) * x(j);
    collatz = ops::max(collatz, row / x(i));
  }
  consider(collatz, SpectralUpperMethod::collatz);
  if (good_enough(best_sq)) return result_with(best_sq, best);

  // 4. SPD certificate of μI − G, with μ just above the squared Rayleigh quotient (accurate to
  //    second order in the error of v, so far better than σ̃). The smallest relative gap tried
  //    follows the working precision, so high precision gives narrow enclosures.
  const double tau_min = std::max(std::ldexp(1.0, -static_cast<int>(precision_bits<T>::value) + 20),
                                  (target_ratio - 1.0) / 4.0);
  const T base = T(ops::upper(rayleigh));
  for (double tau = tau_min; tau <= 1e-3; tau *= 100) {
    const T mu = ops::sqr(base * (T(1) + T(tau)));
    if (!certainly_less(mu, best_sq)) break;  // no gain possible
    Mat<T> c = -g;
    for (Eigen::Index i = 0; i < d; ++i) c(i, i) += mu;
    if (detail::interval_cholesky_succeeds(c)) {
      consider(mu, SpectralUpperMethod::spd_certificate);
      break;
    }
  }
  return result_with(best_sq, best);
}

// The enclosure at the four interval types, instantiated once in src/linalg/instantiate_*.cpp
// (the obligations' opnorm, the softmax Jacobian norm's fallback, selftest and the tests all
// used to instantiate it again).
#define CERTBOUND_SPECTRAL_NORM_TEMPLATES(PREFIX, T) \
  PREFIX template SpectralNorm<T> spectral_norm<T>(const Mat<T>&, double);

CERTBOUND_SPECTRAL_NORM_TEMPLATES(extern, Interval)
CERTBOUND_SPECTRAL_NORM_TEMPLATES(extern, Mp128)
CERTBOUND_SPECTRAL_NORM_TEMPLATES(extern, Mp257)
CERTBOUND_SPECTRAL_NORM_TEMPLATES(extern, Mp1025)

}  // namespace certbound::linalg
