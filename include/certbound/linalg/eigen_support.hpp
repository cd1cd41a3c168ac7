// Eigen 3.4 with certified scalars: storage and products only.
//
// Boost.Interval needs a NumTraits specialisation and a guard on Eigen's scalar promotion (its
// unconstrained converting constructor makes every matrix "convertible" to an interval, so
// matrix*matrix becomes ambiguous without the guard). Boost.Multiprecision ships its own
// NumTraits in boost/multiprecision/eigen.hpp. Never call decompositions, isApprox, maxCoeff(&i)
// or lpNorm on interval matrices: they compare intervals. Norms live in norms.hpp.
#pragma once

#include <Eigen/Dense>
#include <boost/multiprecision/eigen.hpp>
#include <limits>
#include <type_traits>

#include "certbound/arith/interval.hpp"
#include "certbound/arith/mp_interval.hpp"
#include "certbound/arith/ops.hpp"
#include "certbound/linalg/plain_products.hpp"

namespace Eigen {
template <>
struct NumTraits<certbound::Interval> : NumTraits<double> {
  using Real = certbound::Interval;
  using NonInteger = certbound::Interval;
  using Literal = certbound::Interval;
  using Nested = certbound::Interval;
  enum {
    IsComplex = 0,
    IsInteger = 0,
    IsSigned = 1,
    RequireInitialization = 1,
    ReadCost = 2,
    AddCost = 8,
    MulCost = 16
  };
  static Real epsilon() { return Real(std::numeric_limits<double>::epsilon()); }
  static Real dummy_precision() { return Real(1e-12); }
  static Real highest() { return Real(std::numeric_limits<double>::max()); }
  static Real lowest() { return Real(std::numeric_limits<double>::lowest()); }
  static int digits10() { return std::numeric_limits<double>::digits10; }
};
namespace internal {  // Eigen 3.4 internal API: re-check on upgrade
template <class IV, class U, bool = std::is_arithmetic<U>::value>
struct certbound_interval_promote {};
template <class IV, class U>
struct certbound_interval_promote<IV, U, true> {
  using type = IV;
};
template <class U>
struct promote_scalar_arg<certbound::Interval, U, false>
    : certbound_interval_promote<certbound::Interval, U> {};
}  // namespace internal
}  // namespace Eigen

// Double decompositions, approximations only (the spectral-norm enclosure's trial vector, the
// samplers' norms): compiled once in src/linalg/double_decompositions.cpp, since each costs 8–11 s
// of CPU at -O3 in every file that constructs one (measured).
namespace certbound::linalg {
/// σ_max(M) by Jacobi SVD; 0 for an empty matrix.
double largest_singular_value(const Eigen::MatrixXd& m);
/// A right singular vector of σ_max(M) by Jacobi SVD (thin V).
Eigen::VectorXd top_right_singular_vector(const Eigen::MatrixXd& m);
/// An eigenvector of the largest eigenvalue of a symmetric matrix (self-adjoint eigensolver).
Eigen::VectorXd top_eigenvector(const Eigen::MatrixXd& symmetric);
}  // namespace certbound::linalg

namespace certbound {

template <class T>
using Vec = Eigen::Matrix<T, Eigen::Dynamic, 1>;
template <class T>
using Mat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

/// Exact conversion of a double matrix/vector into scalar type T (entries as points).
template <class T, class Derived>
auto to_scalar_matrix(const Eigen::MatrixBase<Derived>& m) {
  using Out = Eigen::Matrix<T, Derived::RowsAtCompileTime, Derived::ColsAtCompileTime>;
  Out r(m.rows(), m.cols());
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) r(i, j) = T(m(i, j));
  return r;
}

/// Matrix of representative points (midpoints) for double-precision approximations.
template <class Derived>
Eigen::MatrixXd midpoints(const Eigen::MatrixBase<Derived>& m) {
  Eigen::MatrixXd r(m.rows(), m.cols());
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) r(i, j) = ops::mid(m(i, j));
  return r;
}

}  // namespace certbound
