// Forward-mode automatic differentiation over any certbound scalar.
//
// Dual<T> carries a value and a gradient (one entry per seeded variable). Over an interval T the
// gradient entries are interval enclosures of the partial derivatives: that is what mean-value
// forms and identity checks need. Nesting Dual<Dual<T>> gives second derivatives (Hessians).
// A Dual with an empty gradient is a constant (its derivative is zero in every direction), so
// the data A and b of the model need no seeding.
#pragma once

#include <cstddef>
#include <type_traits>
#include <vector>

#include "certbound/arith/ops.hpp"
#include "certbound/linalg/eigen_support.hpp"

namespace certbound {

template <class T>
struct Dual {
  T v{};
  std::vector<T> d;  // empty: constant

  Dual() : v(0) {}
  /// A constant from a plain number (constants mix freely with duals).
  template <class U, std::enable_if_t<std::is_arithmetic_v<U> && !std::is_same_v<U, T>, int> = 0>
  Dual(U c) : v(c) {}  // NOLINT(google-explicit-constructor)
  Dual(const T& value, std::vector<T> grad = {}) : v(value), d(std::move(grad)) {}  // NOLINT

  /// The i-th of n independent variables, with value `value`.
  static Dual variable(const T& value, std::size_t i, std::size_t n) {
    std::vector<T> g(n, T(0));
    g[i] = T(1);
    return Dual(value, std::move(g));
  }

  Dual& operator+=(const Dual& o) { return *this = *this + o; }
  Dual& operator-=(const Dual& o) { return *this = *this - o; }
  Dual& operator*=(const Dual& o) { return *this = *this * o; }
  Dual& operator/=(const Dual& o) { return *this = *this / o; }
};

namespace detail {
/// a·da + b·db with empty gradients treated as zero.
template <class T>
std::vector<T> combine(const T& a, const std::vector<T>& da, const T& b, const std::vector<T>& db) {
  const std::size_t n = std::max(da.size(), db.size());
  std::vector<T> r(n, T(0));
  for (std::size_t i = 0; i < da.size(); ++i) r[i] += a * da[i];
  for (std::size_t i = 0; i < db.size(); ++i) r[i] += b * db[i];
  return r;
}
template <class T>
std::vector<T> scale(const T& a, const std::vector<T>& da) {
  std::vector<T> r(da.size());
  for (std::size_t i = 0; i < da.size(); ++i) r[i] = a * da[i];
  return r;
}
}  // namespace detail

template <class T>
Dual<T> operator+(const Dual<T>& a, const Dual<T>& b) {
  return {a.v + b.v, detail::combine(T(1), a.d, T(1), b.d)};
}
template <class T>
Dual<T> operator-(const Dual<T>& a, const Dual<T>& b) {
  return {a.v - b.v, detail::combine(T(1), a.d, T(-1), b.d)};
}
template <class T>
Dual<T> operator-(const Dual<T>& a) {
  return {-a.v, detail::scale(T(-1), a.d)};
}
template <class T>
Dual<T> operator*(const Dual<T>& a, const Dual<T>& b) {
  return {a.v * b.v, detail::combine(b.v, a.d, a.v, b.d)};
}
template <class T>
Dual<T> operator/(const Dual<T>& a, const Dual<T>& b) {
  const T q = a.v / b.v;
  // (a/b)' = (a' − q b') / b
  const T inv = T(1) / b.v;
  return {q, detail::combine(inv, a.d, -(q * inv), b.d)};
}
#define CERTBOUND_DUAL_MIXED(op)                                                      \
  template <class T>                                                                  \
  Dual<T> operator op(const Dual<T>& a, double b) { return a op Dual<T>(b); }         \
  template <class T>                                                                  \
  Dual<T> operator op(double a, const Dual<T>& b) { return Dual<T>(a) op b; }
CERTBOUND_DUAL_MIXED(+)
CERTBOUND_DUAL_MIXED(-)
CERTBOUND_DUAL_MIXED(*)
CERTBOUND_DUAL_MIXED(/)
#undef CERTBOUND_DUAL_MIXED

namespace ops {
template <class T>
auto lower(const Dual<T>& x) { return lower(x.v); }
template <class T>
auto upper(const Dual<T>& x) { return upper(x.v); }
template <class T>
double mid(const Dual<T>& x) { return mid(x.v); }
template <class T>
Dual<T> exp(const Dual<T>& x) {
  const T e = exp(x.v);
  return {e, detail::scale(e, x.d)};
}
template <class T>
Dual<T> expm1(const Dual<T>& x) {
  return {expm1(x.v), detail::scale(exp(x.v), x.d)};
}
template <class T>
Dual<T> log(const Dual<T>& x) {
  return {log(x.v), detail::scale(T(1) / x.v, x.d)};
}
template <class T>
Dual<T> sqrt(const Dual<T>& x) {
  const T s = sqrt(x.v);
  return {s, detail::scale(T(1) / (T(2) * s), x.d)};
}
template <class T>
Dual<T> sqr(const Dual<T>& x) {
  return {sqr(x.v), detail::scale(T(2) * x.v, x.d)};
}
}  // namespace ops

template <class T>
inline constexpr bool is_dual_v = false;
template <class T>
inline constexpr bool is_dual_v<Dual<T>> = true;

template <class T>
struct precision_bits<Dual<T>> : precision_bits<T> {};

}  // namespace certbound

namespace Eigen {
template <class T>
struct NumTraits<certbound::Dual<T>> : NumTraits<double> {
  using Real = certbound::Dual<T>;
  using NonInteger = Real;
  using Literal = Real;
  using Nested = Real;
  enum { IsComplex = 0, IsInteger = 0, IsSigned = 1, RequireInitialization = 1, ReadCost = 4, AddCost = 16, MulCost = 32 };
};
}  // namespace Eigen
