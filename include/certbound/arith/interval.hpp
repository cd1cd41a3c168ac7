// The certified double interval type `certbound::Interval`.
//
// Boost.Interval with a rounding policy that never changes the FPU mode: + − × ÷ √ are rounded
// outward exactly (tightest) by error-free transformations (directed.hpp); exp takes rigorous
// endpoints at most one ulp beyond the correctly rounded ones from fast_exp.hpp (MPFR's outside
// |x| ≤ 700); log, expm1 take
// correctly rounded endpoints from MPFR (mpfr_bounds.hpp). The stock transcendental policies
// (rounded_transc_std/opp) are not rigorous with glibc and are never used: they call libm under a
// directed rounding mode, which glibc does not honour for exp (see mpfr_bounds.hpp).
// NaN operands throw (checking_catch_nan) instead of passing silently; empty results throw.
#pragma once

#include <boost/numeric/interval.hpp>
#include <cmath>
#include <limits>
#include <type_traits>

#include "certbound/arith/directed.hpp"
#include "certbound/arith/fast_exp.hpp"
#include "certbound/arith/mpfr_bounds.hpp"

namespace certbound {

namespace detail {

namespace bi = boost::numeric::interval_lib;

/// Rounding policy: round-to-nearest plus exact error sign (see directed.hpp).
struct ExactOutwardRounding : bi::rounding_control<double> {
  void init() {}

  template <class U>
  static bool converts_exactly(const U& v) {
    if constexpr (std::is_floating_point_v<U>) {
      return std::isnan(static_cast<double>(v)) || static_cast<U>(static_cast<double>(v)) == v;
    } else if constexpr (std::is_integral_v<U>) {
      if constexpr (std::numeric_limits<U>::digits <= 53) {
        return true;
      } else {
        constexpr U limit = U(1) << 53;
        return v <= limit && (!std::is_signed_v<U> || v >= -limit);
      }
    } else {
      return false;
    }
  }
  template <class U>
  double conv_down(const U& v) {
    const double d = static_cast<double>(v);
    return converts_exactly(v) ? d : directed::pred(d);
  }
  template <class U>
  double conv_up(const U& v) {
    const double d = static_cast<double>(v);
    return converts_exactly(v) ? d : directed::succ(d);
  }

  CERTBOUND_HOT double add_down(double x, double y) { return directed::round_down(directed::sum(x, y)); }
  CERTBOUND_HOT double add_up(double x, double y) { return directed::round_up(directed::sum(x, y)); }
  CERTBOUND_HOT double sub_down(double x, double y) { return directed::round_down(directed::difference(x, y)); }
  CERTBOUND_HOT double sub_up(double x, double y) { return directed::round_up(directed::difference(x, y)); }
  CERTBOUND_HOT double mul_down(double x, double y) { return directed::round_down(directed::product(x, y)); }
  CERTBOUND_HOT double mul_up(double x, double y) { return directed::round_up(directed::product(x, y)); }
  CERTBOUND_HOT double div_down(double x, double y) { return directed::round_down(directed::quotient(x, y)); }
  CERTBOUND_HOT double div_up(double x, double y) { return directed::round_up(directed::quotient(x, y)); }
  CERTBOUND_HOT double sqrt_down(double x) {
    const double r = directed::round_down(directed::square_root(x));
    return r < 0 ? 0.0 : r;
  }
  CERTBOUND_HOT double sqrt_up(double x) { return directed::round_up(directed::square_root(x)); }
  double median(double x, double y) { return x * 0.5 + y * 0.5; }  // any point inside will do
  double int_down(double x) { return std::floor(x); }               // exact in every mode
  double int_up(double x) { return std::ceil(x); }

  double exp_down(double x) { return fast_exp::exp_down(x); }
  double exp_up(double x) { return fast_exp::exp_up(x); }
  double log_down(double x) { return mpfr_bounds::log_down(x); }
  double log_up(double x) { return mpfr_bounds::log_up(x); }
};

using IntervalPolicies = bi::policies<bi::save_state_nothing<ExactOutwardRounding>,
                                      bi::checking_catch_nan<double, bi::checking_no_empty<double>>>;

}  // namespace detail

/// Certified double interval: every operation encloses the exact result.
using Interval = boost::numeric::interval<double, detail::IntervalPolicies>;

namespace detail {

/// Interval division, tightest also when the dividend ends at zero.
///
/// Boost 1.74 (detail/division.hpp, div_positive / div_negative) returns the whole line for
/// [a, 0] / [0, b] and [a, 0] / [c, 0] with a < 0, although its documentation promises "the smallest
/// interval containing the set of division results": [-inf, 0] resp. [0, +inf] (IEEE 1788 agrees;
/// ITF1788 minimal_div_test has 32 such cases). Every other case is delegated to Boost. Found by ADL
/// (ExactOutwardRounding makes this namespace an associated one) and preferred to Boost's template.
inline Interval operator/(const Interval& x, const Interval& y) {
  if (x.lower() < 0 && x.upper() == 0) {
    const bool y_starts_at_zero = y.lower() == 0, y_ends_at_zero = y.upper() == 0;
    if (y_starts_at_zero && !y_ends_at_zero) return Interval(-directed::kInf, 0.0, true);
    if (y_ends_at_zero && !y_starts_at_zero) return Interval(0.0, directed::kInf, true);
  }
  return boost::numeric::operator/(x, y);
}

}  // namespace detail

// exp and log come from Boost's templates, which call the policy's exp_down/exp_up (fast_exp) and
// log_down/log_up (MPFR) above. Boost's log clips to the domain silently: generic code
// checks positivity first (see ops.hpp).

}  // namespace certbound
