// Type-erased enclosures for reports and verdicts.
//
// Engines decide and print on `Enclosure` ([lo, hi] as MPFR numbers at the precision they were
// computed in), so the verdict logic and the JSON writer exist once, whatever scalar type did
// the computation. Conversion from Interval and MpIntervalDigits is exact.
#pragma once

#include <mpfr.h>

#include <string>
#include <utility>

#include "certbound/arith/ops.hpp"

namespace certbound {

/// An owned MPFR number (RAII around mpfr_t).
class BigFloat {
 public:
  /// NaN at 53 bits. Not explicit, so that `Enclosure{}` (copy-list-initialised members) is valid
  /// C++20: with an explicit default constructor Clang rejects it and GCC only warns.
  BigFloat() : BigFloat(53) {}
  explicit BigFloat(mpfr_prec_t precision) { mpfr_init2(v_, precision); mpfr_set_nan(v_); }
  BigFloat(const BigFloat& other) {
    mpfr_init2(v_, mpfr_get_prec(other.v_));
    mpfr_set(v_, other.v_, MPFR_RNDN);  // same precision: exact
  }
  BigFloat& operator=(const BigFloat& other) {
    if (this != &other) {
      mpfr_set_prec(v_, mpfr_get_prec(other.v_));
      mpfr_set(v_, other.v_, MPFR_RNDN);
    }
    return *this;
  }
  BigFloat(BigFloat&& other) noexcept : BigFloat(2) { mpfr_swap(v_, other.v_); }
  BigFloat& operator=(BigFloat&& other) noexcept {
    mpfr_swap(v_, other.v_);
    return *this;
  }
  ~BigFloat() { mpfr_clear(v_); }

  static BigFloat from_double(double d) {
    BigFloat b(53);
    mpfr_set_d(b.v_, d, MPFR_RNDN);  // exact
    return b;
  }
  static BigFloat copy_of(mpfr_srcptr src) {
    BigFloat b(mpfr_get_prec(src));
    mpfr_set(b.v_, src, MPFR_RNDN);  // exact
    return b;
  }

  mpfr_ptr get() { return v_; }
  mpfr_srcptr get() const { return v_; }
  mpfr_prec_t precision() const { return mpfr_get_prec(v_); }
  bool is_nan() const { return mpfr_nan_p(v_) != 0; }
  int sign() const { return mpfr_sgn(v_); }  // 0 for NaN too: check is_nan first
  /// Rounded toward dir into a double.
  double to_double(mpfr_rnd_t dir) const { return mpfr_get_d(v_, dir); }

 private:
  mpfr_t v_;
};

/// Decimal string of b rounded toward dir (MPFR_RNDD for lower ends, MPFR_RNDU for upper ends),
/// with `digits` significant digits, so that a printed enclosure still encloses.
std::string to_decimal(const BigFloat& b, mpfr_rnd_t dir, int digits = 17);
/// Exact hexadecimal representation (C99 %a style for doubles, MPFR %Ra otherwise).
std::string to_hex(const BigFloat& b);

/// [lo, hi] ⊇ the exact value. NaN endpoints mean "no information".
struct Enclosure {
  BigFloat lo, hi;

  static Enclosure point(double v) { return {BigFloat::from_double(v), BigFloat::from_double(v)}; }
  static Enclosure of(double lo, double hi) { return {BigFloat::from_double(lo), BigFloat::from_double(hi)}; }
  static Enclosure of(const Interval& x) { return of(x.lower(), x.upper()); }
  template <unsigned D>
  static Enclosure of(const MpIntervalDigits<D>& x) {
    return {BigFloat::copy_of(&x.backend().data()->left), BigFloat::copy_of(&x.backend().data()->right)};
  }

  bool has_nan() const { return lo.is_nan() || hi.is_nan(); }
  /// Every point is >= 0 (resp. > 0, < 0, <= 0). False when NaN.
  bool certainly_nonnegative() const { return !has_nan() && lo.sign() >= 0; }
  bool certainly_positive() const { return !has_nan() && lo.sign() > 0; }
  bool certainly_negative() const { return !has_nan() && hi.sign() < 0; }
  bool certainly_nonpositive() const { return !has_nan() && hi.sign() <= 0; }
  bool contains_zero() const { return !has_nan() && lo.sign() <= 0 && hi.sign() >= 0; }

  /// hi − lo rounded up (+inf for NaN or unbounded).
  double width_up() const;
  /// The enclosure's midpoint rounded to a double (a representative, not a bound).
  double mid_double() const;
  /// (lo + hi)/2 in MPFR, rounded to nearest: a representative of any magnitude (no double range
  /// involved) for ranking and printing, not a bound.
  BigFloat mid() const;
  /// Lower end rounded down / upper end rounded up into doubles.
  double lower_double() const { return lo.to_double(MPFR_RNDD); }
  double upper_double() const { return hi.to_double(MPFR_RNDU); }
  /// Enclosure of log10 of a certainly positive enclosure (NaN endpoints otherwise).
  Enclosure log10() const;

  /// ["lo", "hi"] decimal strings rounded outward.
  std::pair<std::string, std::string> decimal(int digits = 17) const {
    return {to_decimal(lo, MPFR_RNDD, digits), to_decimal(hi, MPFR_RNDU, digits)};
  }
  /// "[lo, hi]" for humans.
  std::string str(int digits = 6) const;
};

/// Convert any certified scalar (or a double, as a point) into an Enclosure.
inline Enclosure to_enclosure(double v) { return Enclosure::point(v); }
inline Enclosure to_enclosure(const Interval& x) { return Enclosure::of(x); }
template <unsigned D>
Enclosure to_enclosure(const MpIntervalDigits<D>& x) {
  return Enclosure::of(x);
}

}  // namespace certbound
