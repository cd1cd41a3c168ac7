// Three-valued comparisons of enclosures.
//
// Nothing in certbound calls a relational operator on intervals: Boost.Interval throws on an
// undecided comparison and Boost's mpfi_float terminates the process. Every decision goes through
// these functions, which compare endpoints (points, never intervals). They are written so that
// a NaN endpoint makes every `certainly_*` false and every `possibly_*` true.
#pragma once

#include "certbound/arith/ops.hpp"

namespace certbound {

/// a < b for every pair of points.
template <class A, class B>
bool certainly_less(const A& a, const B& b) {
  return ops::upper(a) < ops::lower(b);
}
/// a <= b for every pair of points.
template <class A, class B>
bool certainly_less_equal(const A& a, const B& b) {
  return ops::upper(a) <= ops::lower(b);
}
template <class A, class B>
bool certainly_greater(const A& a, const B& b) {
  return certainly_less(b, a);
}
template <class A, class B>
bool certainly_greater_equal(const A& a, const B& b) {
  return certainly_less_equal(b, a);
}
/// a < b for some pair of points (true when undecided or NaN).
template <class A, class B>
bool possibly_less(const A& a, const B& b) {
  return !certainly_greater_equal(a, b);
}
template <class A, class B>
bool possibly_less_equal(const A& a, const B& b) {
  return !certainly_greater(a, b);
}
template <class A, class B>
bool possibly_greater(const A& a, const B& b) {
  return !certainly_less_equal(a, b);
}
template <class A, class B>
bool possibly_greater_equal(const A& a, const B& b) {
  return !certainly_less(a, b);
}

/// The point v lies in x.
template <class A>
bool contains(const A& x, double v) {
  return ops::lower(x) <= v && v <= ops::upper(x);
}
/// x and y share a point.
template <class A, class B>
bool overlaps(const A& x, const B& y) {
  return ops::lower(x) <= ops::upper(y) && ops::lower(y) <= ops::upper(x);
}
/// Three-valued sign of x.
enum class Sign { negative, zero_possible, positive };
template <class A>
Sign certain_sign(const A& x) {
  if (ops::lower(x) > 0) return Sign::positive;
  if (ops::upper(x) < 0) return Sign::negative;
  return Sign::zero_possible;
}

}  // namespace certbound
