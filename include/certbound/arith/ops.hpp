// Scalar operations shared by every formula, for every scalar type.
//
// Model code is written once as templates over T and calls these functions qualified
// (ops::exp(x), ops::sqr(x), ...), never bare names that ADL could resolve differently per type.
// T is one of: double (search only; no guarantee), Interval (certified double), MpIntervalDigits<D>
// (certified multiprecision), and Dual<T> (automatic differentiation, see model/dual.hpp).
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "certbound/arith/interval.hpp"
#include "certbound/arith/mp_interval.hpp"

namespace certbound {

/// A certified operation was asked for outside its domain (e.g. log of a possibly non-positive
/// interval). Engines turn it into an "undecided" case with this message, never a crash.
struct DomainError : std::domain_error {
  using std::domain_error::domain_error;
};

namespace ops {

/// "[lo, hi]" with the endpoints rounded outward to doubles, for error messages (evidence).
inline std::string endpoints_text(double lo, double hi) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "[%.17g, %.17g]", lo, hi);
  return buf;
}
template <unsigned D>
std::string endpoints_text(const MpIntervalDigits<D>& x) {
  const auto& v = x.backend().data()[0];
  return endpoints_text(mpfr_get_d(&v.left, MPFR_RNDD), mpfr_get_d(&v.right, MPFR_RNDU));
}

// ---- endpoints ------------------------------------------------------------------------------
inline double lower(double x) { return x; }
inline double upper(double x) { return x; }
inline double lower(const Interval& x) { return x.lower(); }
inline double upper(const Interval& x) { return x.upper(); }
template <unsigned D>
auto lower(const MpIntervalDigits<D>& x) { return boost::multiprecision::lower(x); }
template <unsigned D>
auto upper(const MpIntervalDigits<D>& x) { return boost::multiprecision::upper(x); }

// ---- construction ---------------------------------------------------------------------------
/// The exact value of a double (a point interval for interval types).
template <class T>
T exact(double v) {
  return T(v);
}
/// The rational p/q enclosed (exact for double-free types: 1/100 is not the double 0.01).
template <class T>
T rational(std::int64_t p, std::int64_t q) {
  if (q == 0) throw DomainError("rational with zero denominator");
  if constexpr (std::is_same_v<T, double>) {
    return static_cast<double>(p) / static_cast<double>(q);
  } else {
    return T(static_cast<double>(p)) / T(static_cast<double>(q));  // |p|,|q| < 2^53 convert exactly
  }
}
/// Interval hull [a, b] of two doubles (a <= b).
template <class T>
T hull(double a, double b) {
  if constexpr (std::is_same_v<T, double>) {
    return 0.5 * a + 0.5 * b;
  } else if constexpr (std::is_same_v<T, Interval>) {
    return Interval(a, b);
  } else {
    return T(a, b);
  }
}

/// [lower(lo_source), upper(hi_source)]: combine a lower bound and an upper bound computed apart.
inline double join_ends(double lo_source, double hi_source) { return 0.5 * lo_source + 0.5 * hi_source; }
inline Interval join_ends(const Interval& lo_source, const Interval& hi_source) {
  return Interval(lo_source.lower(), hi_source.upper());
}
template <unsigned D>
MpIntervalDigits<D> join_ends(const MpIntervalDigits<D>& lo_source, const MpIntervalDigits<D>& hi_source) {
  MpIntervalDigits<D> r;
  mpfi_interv_fr(r.backend().data(), &lo_source.backend().data()->left, &hi_source.backend().data()->right);
  return r;
}

// ---- elementary functions -------------------------------------------------------------------
inline double exp(double x) { return std::exp(x); }
/// A point needs one evaluation for both ends (fast_exp::enclose); an interval's ends come from
/// the policy's exp_down / exp_up (fast_exp as well).
inline Interval exp(const Interval& x) {
  if (x.lower() == x.upper()) {
    const fast_exp::Bounds e = fast_exp::enclose(x.lower());
    return Interval(e.lo, e.hi, true);
  }
  return boost::numeric::exp(x);
}
namespace mp_detail {
/// exp of a narrow multiprecision interval [a, a + w] at precision p with one MPFR exponential
/// instead of MPFI's two, as tight as MPFI's up to one ulp of the upper end. Working at q = p + 16
/// bits: E = RD_q(e^a), so RD_p(E) = RD_p(e^a) is the correctly rounded lower end, and
///   e^{a + w} = e^a·e^w ≤ E⁺·(1 + w + w²/2 + w³)   (E⁺ the next q-bit number up; 0 ≤ w ≤ 1),
/// rounded up at q bits. For w ≤ 2^-(p/2) the excess over e^{a + w} is a few q-bit ulps (w³ ≤
/// 2^-(3p/2) included), less than one p-bit ulp, so the upper end rounded up to p bits is at most one
/// ulp beyond the correctly rounded one. Returns false (nothing written) when x is not narrow, not
/// finite or not moderate.
template <unsigned D>
bool exp_narrow(const MpIntervalDigits<D>& x, MpIntervalDigits<D>& r) {
  const auto* in = x.backend().data();
  if (!mpfr_number_p(&in->left) || !mpfr_number_p(&in->right)) return false;
  constexpr mpfr_prec_t p = precision_bits<MpIntervalDigits<D>>::value, q = p + 16;  // stack storage
  if (mpfr_get_prec(&in->left) != p || mpfr_get_prec(&in->right) != p) return false;
  if (mpfr_cmpabs_ui(&in->left, 1u << 20) > 0) return false;  // e^a far from MPFR's exponent limits
  MPFR_DECL_INIT(width, q);
  mpfr_sub(width, &in->right, &in->left, MPFR_RNDU);
  if (!mpfr_zero_p(width) && mpfr_get_exp(width) > -static_cast<mpfr_exp_t>(p / 2)) return false;
  MPFR_DECL_INIT(e, q);
  const bool inexact = mpfr_exp(e, &in->left, MPFR_RNDD) != 0;
  auto* out = r.backend().data();
  mpfr_set(&out->left, e, MPFR_RNDD);
  if (inexact) mpfr_nextabove(e);  // now e ≥ e^a
  if (!mpfr_zero_p(width)) {
    MPFR_DECL_INIT(factor, q);
    MPFR_DECL_INIT(power, q);
    mpfr_sqr(power, width, MPFR_RNDU);                    // w²
    mpfr_div_2ui(factor, power, 1, MPFR_RNDU);            // w²/2
    mpfr_mul(power, power, width, MPFR_RNDU);             // w³
    mpfr_add(factor, factor, power, MPFR_RNDU);
    mpfr_add(factor, factor, width, MPFR_RNDU);
    mpfr_add_ui(factor, factor, 1, MPFR_RNDU);
    mpfr_mul(e, e, factor, MPFR_RNDU);
  }
  mpfr_set(&out->right, e, MPFR_RNDU);
  return true;
}
}  // namespace mp_detail

template <unsigned D>
MpIntervalDigits<D> exp(const MpIntervalDigits<D>& x) {
  MpIntervalDigits<D> r;
  if (mp_detail::exp_narrow(x, r)) return r;
  return boost::multiprecision::exp(x);
}

inline double expm1(double x) { return std::expm1(x); }
inline Interval expm1(const Interval& x) {
  return Interval(mpfr_bounds::expm1_down(x.lower()), mpfr_bounds::expm1_up(x.upper()), true);
}
template <unsigned D>
MpIntervalDigits<D> expm1(const MpIntervalDigits<D>& x) {
  MpIntervalDigits<D> r;
  mpfi_expm1(r.backend().data(), x.backend().data());
  return r;
}

/// Natural log; throws DomainError unless x is certainly positive (Boost and MPFI would clip).
inline double log(double x) { return std::log(x); }
inline Interval log(const Interval& x) {
  if (!(x.lower() > 0))
    throw DomainError("log of " + endpoints_text(x.lower(), x.upper()) + ", an interval that is not certainly positive");
  return boost::numeric::log(x);
}
template <unsigned D>
MpIntervalDigits<D> log(const MpIntervalDigits<D>& x) {
  if (!(boost::multiprecision::lower(x) > 0)) {
    throw DomainError("log of " + endpoints_text(x) + ", an interval that is not certainly positive");
  }
  return boost::multiprecision::log(x);
}

/// Square root; throws DomainError if x is possibly negative.
inline double sqrt(double x) { return std::sqrt(x); }
inline Interval sqrt(const Interval& x) {
  if (!(x.lower() >= 0))
    throw DomainError("sqrt of " + endpoints_text(x.lower(), x.upper()) + ", an interval that is not certainly non-negative");
  return boost::numeric::sqrt(x);
}
template <unsigned D>
MpIntervalDigits<D> sqrt(const MpIntervalDigits<D>& x) {
  if (!(boost::multiprecision::lower(x) >= 0)) {
    throw DomainError("sqrt of " + endpoints_text(x) + ", an interval that is not certainly non-negative");
  }
  return boost::multiprecision::sqrt(x);
}

/// x² without the dependency problem: sqr([-1,2]) = [0,4], whereas x*x = [-2,4].
inline double sqr(double x) { return x * x; }
inline Interval sqr(const Interval& x) { return boost::numeric::square(x); }
template <unsigned D>
MpIntervalDigits<D> sqr(const MpIntervalDigits<D>& x) {
  MpIntervalDigits<D> r;
  mpfi_sqr(r.backend().data(), x.backend().data());
  return r;
}

inline double abs(double x) { return std::fabs(x); }
inline Interval abs(const Interval& x) { return boost::numeric::abs(x); }
template <unsigned D>
MpIntervalDigits<D> abs(const MpIntervalDigits<D>& x) {
  MpIntervalDigits<D> r;
  mpfi_abs(r.backend().data(), x.backend().data());
  return r;
}

/// Enclosure of max(a, b) over all pairs of points: [max(lo), max(hi)]. Never compares intervals.
inline double max(double a, double b) { return a < b ? b : a; }
inline Interval max(const Interval& a, const Interval& b) { return boost::numeric::max(a, b); }
template <unsigned D>
MpIntervalDigits<D> max(const MpIntervalDigits<D>& a, const MpIntervalDigits<D>& b) {
  using boost::multiprecision::lower;
  using boost::multiprecision::upper;
  MpIntervalDigits<D> r;
  mpfr_max(&r.backend().data()->left, &a.backend().data()->left, &b.backend().data()->left, MPFR_RNDD);
  mpfr_max(&r.backend().data()->right, &a.backend().data()->right, &b.backend().data()->right, MPFR_RNDU);
  return r;
}
inline double min(double a, double b) { return a < b ? a : b; }
inline Interval min(const Interval& a, const Interval& b) { return boost::numeric::min(a, b); }
template <unsigned D>
MpIntervalDigits<D> min(const MpIntervalDigits<D>& a, const MpIntervalDigits<D>& b) {
  MpIntervalDigits<D> r;
  mpfr_min(&r.backend().data()->left, &a.backend().data()->left, &b.backend().data()->left, MPFR_RNDD);
  mpfr_min(&r.backend().data()->right, &a.backend().data()->right, &b.backend().data()->right, MPFR_RNDU);
  return r;
}

/// A representative point of x (the midpoint rounded to nearest), as a double.
inline double mid(double x) { return x; }
inline double mid(const Interval& x) { return boost::numeric::median(x); }
template <unsigned D>
double mid(const MpIntervalDigits<D>& x) {
  return boost::multiprecision::median(x).template convert_to<double>();
}

}  // namespace ops
}  // namespace certbound
