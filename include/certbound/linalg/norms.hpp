// Vector norms with certified two-sided enclosures, over every scalar type.
//
// Written as explicit loops: Eigen's norm()/squaredNorm() use x*x (an interval [-1,1] squared
// gives [-1,1], not [0,1]) and lpNorm<Infinity> compares intervals (mpfi terminates on overlap).
#pragma once

#include "certbound/arith/ops.hpp"
#include "certbound/linalg/eigen_support.hpp"

namespace certbound::linalg {

/// ‖v‖₁ = Σ|vᵢ|.
template <class T, class Derived>
T norm1(const Eigen::MatrixBase<Derived>& v) {
  T s(0);
  for (Eigen::Index i = 0; i < v.size(); ++i) s += ops::abs(T(v(i)));
  return s;
}

/// ‖v‖₂² = Σ vᵢ² (squares, not products, so each entry's interval is used once).
template <class T, class Derived>
T norm2_squared(const Eigen::MatrixBase<Derived>& v) {
  T s(0);
  for (Eigen::Index i = 0; i < v.size(); ++i) s += ops::sqr(T(v(i)));
  return s;
}

/// ‖v‖₂.
template <class T, class Derived>
T norm2(const Eigen::MatrixBase<Derived>& v) {
  return ops::sqrt(norm2_squared<T>(v));
}

/// ‖v‖_∞ = maxᵢ |vᵢ| as the enclosure [maxᵢ mig(vᵢ), maxᵢ mag(vᵢ)].
template <class T, class Derived>
T norm_inf(const Eigen::MatrixBase<Derived>& v) {
  T m(0);
  for (Eigen::Index i = 0; i < v.size(); ++i) m = ops::max(m, ops::abs(T(v(i))));
  return m;
}

/// Frobenius norm ‖A‖_F, an upper bound of the spectral norm.
template <class T, class Derived>
T norm_frobenius(const Eigen::MatrixBase<Derived>& a) {
  T s(0);
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < a.cols(); ++j) s += ops::sqr(T(a(i, j)));
  return ops::sqrt(s);
}

/// ⟨u, v⟩ accumulated left to right in T.
template <class T, class D1, class D2>
T dot(const Eigen::MatrixBase<D1>& u, const Eigen::MatrixBase<D2>& v) {
  T s(0);
  for (Eigen::Index i = 0; i < u.size(); ++i) s += T(u(i)) * T(v(i));
  return s;
}

}  // namespace certbound::linalg
