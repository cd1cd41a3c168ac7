// Three-valued predicates (predicates.hpp), Enclosure predicates and precision escalation.
//
// The predicates compare endpoints only, so they must neither throw (Boost.Interval's relational
// operators throw on undecided comparisons) nor terminate (Boost's mpfi_float relational operators
// call std::terminate on overlapping values) for any input. Expected truth values are written by
// hand, not computed by the same formulas.
#include <doctest/doctest.h>
#include <mpfr.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>

#include "certbound/arith/enclosure.hpp"
#include "certbound/arith/escalate.hpp"
#include "certbound/arith/predicates.hpp"

namespace {

using certbound::Enclosure;
using certbound::Interval;
using certbound::Mp128;
using certbound::Mp257;
using certbound::Sign;

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

template <class T>
T make(double lo, double hi) {
  if constexpr (std::is_same_v<T, Interval>) {
    return Interval(lo, hi);
  } else {
    return T(lo, hi);
  }
}

/// Expected values of the eight order predicates and overlaps for a pair (a, b).
struct Row {
  const char* what;
  double al, ah, bl, bh;
  // certainly: less, less_equal, greater, greater_equal; possibly: the same four; overlaps
  bool cl, cle, cg, cge, pl, ple, pg, pge, ov;
};

// clang-format off
const Row kRows[] = {
  //  what                      a            b             cl     cle    cg     cge    pl     ple    pg     pge    ov
  {"disjoint a below b",      1, 2,        3, 4,         true,  true,  false, false, true,  true,  false, false, false},
  {"disjoint a above b",      3, 4,        1, 2,         false, false, true,  true,  false, false, true,  true,  false},
  {"touching a below b",      1, 2,        2, 3,         false, true,  false, false, true,  true,  false, true,  true},
  {"touching a above b",      2, 3,        1, 2,         false, false, false, true,  false, true,  true,  true,  true},
  {"overlapping",             1, 3,        2, 4,         false, false, false, false, true,  true,  true,  true,  true},
  {"b nested in a",           1, 4,        2, 3,         false, false, false, false, true,  true,  true,  true,  true},
  {"identical intervals",     1, 3,        1, 3,         false, false, false, false, true,  true,  true,  true,  true},
  {"equal points",            2, 2,        2, 2,         false, true,  false, true,  false, true,  false, true,  true},
  {"point inside b",          2, 2,        1, 3,         false, false, false, false, true,  true,  true,  true,  true},
  {"point at the top of b",   3, 3,        1, 3,         false, false, false, true,  false, true,  true,  true,  true},
  {"signed zeros touching",  -1, -0.0,     0.0, 1,       false, true,  false, false, true,  true,  false, true,  true},
  {"unbounded disjoint",  -kInf, -1,       1, kInf,      true,  true,  false, false, true,  true,  false, false, false},
  {"entire and zero",     -kInf, kInf,     0, 0,         false, false, false, false, true,  true,  true,  true,  true},
  {"one ulp gap",             1, 1,        0x1.0000000000001p0, 2,
                                                         true,  true,  false, false, true,  true,  false, false, false},
  {"negative overlapping",   -3, -1,      -2, 5,         false, false, false, false, true,  true,  true,  true,  true},
};
// clang-format on

template <class A, class B>
void check_row(const A& a, const B& b, const Row& r) {
  CHECK(certbound::certainly_less(a, b) == r.cl);
  CHECK(certbound::certainly_less_equal(a, b) == r.cle);
  CHECK(certbound::certainly_greater(a, b) == r.cg);
  CHECK(certbound::certainly_greater_equal(a, b) == r.cge);
  CHECK(certbound::possibly_less(a, b) == r.pl);
  CHECK(certbound::possibly_less_equal(a, b) == r.ple);
  CHECK(certbound::possibly_greater(a, b) == r.pg);
  CHECK(certbound::possibly_greater_equal(a, b) == r.pge);
  CHECK(certbound::overlaps(a, b) == r.ov);
}

template <class T>
void check_rows_for() {
  for (const Row& r : kRows) {
    CAPTURE(r.what);
    const T a = make<T>(r.al, r.ah), b = make<T>(r.bl, r.bh);
    check_row(a, b, r);
    check_row(a, make<Interval>(r.bl, r.bh), r);  // mixed with the double interval
    check_row(make<Mp257>(r.al, r.ah), b, r);     // mixed with the 257-bit interval
    if (r.bl == r.bh) check_row(a, r.bl, r);      // against a double point
    if (r.al == r.ah) check_row(r.al, b, r);
  }
}

/// A T whose endpoints are NaN (possible for MPFI values, e.g. after an invalid operation).
template <class T>
T nan_interval() {
  T r(1.0);
  mpfr_set_nan(&r.backend().data()->left);
  mpfr_set_nan(&r.backend().data()->right);
  return r;
}

template <class A, class B>
void check_all_undecided_nan(const A& a, const B& b) {
  CHECK_FALSE(certbound::certainly_less(a, b));
  CHECK_FALSE(certbound::certainly_less_equal(a, b));
  CHECK_FALSE(certbound::certainly_greater(a, b));
  CHECK_FALSE(certbound::certainly_greater_equal(a, b));
  CHECK(certbound::possibly_less(a, b));
  CHECK(certbound::possibly_less_equal(a, b));
  CHECK(certbound::possibly_greater(a, b));
  CHECK(certbound::possibly_greater_equal(a, b));
  CHECK_FALSE(certbound::overlaps(a, b));
}

Enclosure enclosure(double lo, double hi) { return Enclosure::of(lo, hi); }

/// The escalation test computation: sign of (1 + eps) - 1 with eps = 1 / (3 * 2^58), a rational
/// enclosed in T. Undecided in binary64 (1 + eps rounds to [1, 1 + 2^-52]), decided at 128 bits.
struct TinyDifference {
  template <class Tag>
  Enclosure operator()(Tag) const {
    using T = typename Tag::type;
    const T one = certbound::ops::exact<T>(1.0);
    const T eps = certbound::ops::rational<T>(1, std::int64_t{3} << 58);
    return certbound::to_enclosure((one + eps) - one);
  }
};

bool sign_decided(const Enclosure& e) { return e.certainly_positive() || e.certainly_negative(); }

}  // namespace

TYPE_TO_STRING_AS("Interval", certbound::Interval);
TYPE_TO_STRING_AS("Mp128", certbound::Mp128);
TYPE_TO_STRING_AS("Mp257", certbound::Mp257);

TEST_SUITE("predicates") {

TEST_CASE_TEMPLATE("order predicates on a grid of interval pairs", T, certbound::Interval, certbound::Mp128,
                   certbound::Mp257) {
  check_rows_for<T>();
}

TEST_CASE_TEMPLATE("contains and certain_sign", T, certbound::Interval, certbound::Mp128, certbound::Mp257) {
  const T x = make<T>(1, 3);
  CHECK(certbound::contains(x, 1.0));
  CHECK(certbound::contains(x, 2.0));
  CHECK(certbound::contains(x, 3.0));
  CHECK_FALSE(certbound::contains(x, 0x1.fffffffffffffp-1));
  CHECK_FALSE(certbound::contains(x, 0x1.8000000000001p1));
  CHECK_FALSE(certbound::contains(x, kNaN));
  CHECK_FALSE(certbound::contains(x, kInf));
  const T zero = make<T>(-0.0, 0.0);
  CHECK(certbound::contains(zero, 0.0));
  CHECK(certbound::contains(zero, -0.0));
  CHECK_FALSE(certbound::contains(zero, std::numeric_limits<double>::denorm_min()));
  const T entire = make<T>(-kInf, kInf);
  CHECK(certbound::contains(entire, 1e308));
  CHECK(certbound::contains(entire, -kInf));

  const struct {
    double lo, hi;
    Sign sign;
  } signs[] = {
      {1, 2, Sign::positive},
      {std::numeric_limits<double>::denorm_min(), 1, Sign::positive},
      {1, kInf, Sign::positive},
      {-2, -1, Sign::negative},
      {-kInf, -std::numeric_limits<double>::denorm_min(), Sign::negative},
      {0, 1, Sign::zero_possible},
      {-0.0, 1, Sign::zero_possible},
      {-1, 0, Sign::zero_possible},
      {-1, -0.0, Sign::zero_possible},
      {-1, 1, Sign::zero_possible},
      {0, 0, Sign::zero_possible},
      {-kInf, kInf, Sign::zero_possible},
  };
  for (const auto& s : signs) {
    CAPTURE(s.lo);
    CAPTURE(s.hi);
    CHECK(certbound::certain_sign(make<T>(s.lo, s.hi)) == s.sign);
  }
}

TEST_CASE("predicates on double points including NaN") {
  // clang-format off
  const Row points[] = {
    //  what            a        b           cl     cle    cg     cge    pl     ple    pg     pge    ov
    {"1 vs 2",         1, 1,    2, 2,       true,  true,  false, false, true,  true,  false, false, false},
    {"2 vs 2",         2, 2,    2, 2,       false, true,  false, true,  false, true,  false, true,  true},
    {"2 vs 1",         2, 2,    1, 1,       false, false, true,  true,  false, false, true,  true,  false},
    {"-0 vs +0",    -0.0, -0.0, 0.0, 0.0,   false, true,  false, true,  false, true,  false, true,  true},
    {"inf vs inf",  kInf, kInf, kInf, kInf, false, true,  false, true,  false, true,  false, true,  true},
  };
  // clang-format on
  for (const Row& r : points) {
    CAPTURE(r.what);
    check_row(r.al, r.bl, r);
  }
  check_all_undecided_nan(kNaN, 1.0);
  check_all_undecided_nan(1.0, kNaN);
  check_all_undecided_nan(kNaN, kNaN);
  check_all_undecided_nan(kNaN, Interval(1.0, 2.0));
  check_all_undecided_nan(Interval(1.0, 2.0), kNaN);
  CHECK_FALSE(certbound::contains(kNaN, kNaN));
  CHECK(certbound::certain_sign(kNaN) == Sign::zero_possible);
  CHECK(certbound::certain_sign(-0.0) == Sign::zero_possible);
  CHECK(certbound::certain_sign(0x1p-1074) == Sign::positive);
  CHECK(certbound::certain_sign(-kInf) == Sign::negative);
}

TEST_CASE_TEMPLATE("NaN endpoints of multiprecision intervals leave every comparison undecided", T,
                   certbound::Mp128, certbound::Mp257) {
  const T nan = nan_interval<T>();
  const T one = make<T>(1, 1), wide = make<T>(-1, 2);
  check_all_undecided_nan(nan, one);
  check_all_undecided_nan(one, nan);
  check_all_undecided_nan(nan, wide);
  check_all_undecided_nan(nan, nan);
  check_all_undecided_nan(nan, 0.5);
  check_all_undecided_nan(nan, Interval(0.0, 1.0));
  CHECK_FALSE(certbound::contains(nan, 0.0));
  CHECK(certbound::certain_sign(nan) == Sign::zero_possible);
  CHECK_FALSE(certbound::to_enclosure(nan).certainly_positive());
  CHECK_FALSE(certbound::to_enclosure(nan).certainly_nonpositive());
}

TEST_CASE("Enclosure predicates") {
  const double tiny = std::numeric_limits<double>::denorm_min();
  const struct {
    const char* what;
    Enclosure e;
    bool nonneg, pos, neg, nonpos, zero;
  } rows[] = {
      {"[1, 2]", enclosure(1, 2), true, true, false, false, false},
      {"[0, 2]", enclosure(0, 2), true, false, false, false, true},
      {"[-0, 2]", enclosure(-0.0, 2), true, false, false, false, true},
      {"[-2, -1]", enclosure(-2, -1), false, false, true, true, false},
      {"[-2, 0]", enclosure(-2, 0), false, false, false, true, true},
      {"[-2, -0]", enclosure(-2, -0.0), false, false, false, true, true},
      {"[-1, 1]", enclosure(-1, 1), false, false, false, false, true},
      {"[0, 0]", enclosure(0, 0), true, false, false, true, true},
      {"[tiny, tiny]", enclosure(tiny, tiny), true, true, false, false, false},
      {"[-inf, -tiny]", enclosure(-kInf, -tiny), false, false, true, true, false},
      {"[-inf, inf]", enclosure(-kInf, kInf), false, false, false, false, true},
      {"default (NaN)", Enclosure{}, false, false, false, false, false},
      {"[NaN, 1]", enclosure(kNaN, 1), false, false, false, false, false},
      {"[1, NaN]", enclosure(1, kNaN), false, false, false, false, false},
      {"[NaN, -1]", enclosure(kNaN, -1), false, false, false, false, false},
      {"[-1, NaN]", enclosure(-1, kNaN), false, false, false, false, false},
      {"[0, NaN]", enclosure(0, kNaN), false, false, false, false, false},
  };
  for (const auto& r : rows) {
    CAPTURE(r.what);
    CHECK(r.e.certainly_nonnegative() == r.nonneg);
    CHECK(r.e.certainly_positive() == r.pos);
    CHECK(r.e.certainly_negative() == r.neg);
    CHECK(r.e.certainly_nonpositive() == r.nonpos);
    CHECK(r.e.contains_zero() == r.zero);
  }
  const Enclosure none{};
  CHECK(none.has_nan());
  CHECK(none.width_up() == kInf);
  CHECK(std::isnan(none.mid_double()));
  CHECK(none.log10().has_nan());
  CHECK(enclosure(-1, 1).log10().has_nan());  // not certainly positive: no information
  // Exact conversions from the certified types keep the decisions.
  const Mp128 third = certbound::ops::rational<Mp128>(1, 3);
  CHECK(certbound::to_enclosure(third).certainly_positive());
  CHECK(certbound::to_enclosure(third - third).contains_zero());
  CHECK_FALSE(certbound::to_enclosure(third - third).certainly_positive());
  CHECK(certbound::to_enclosure(-Interval(1.0, 2.0)).certainly_negative());
  CHECK(certbound::to_enclosure(0.0).certainly_nonnegative());
  CHECK(certbound::to_enclosure(-0.0).certainly_nonpositive());
}

TEST_CASE("escalate decides at 128 bits what binary64 cannot") {
  const TinyDifference f;
  // Not vacuous: the double level really is undecided.
  const Enclosure at53 = f(std::type_identity<Interval>{});
  CHECK_FALSE(sign_decided(at53));
  CHECK(at53.contains_zero());

  const certbound::Escalated r = certbound::escalate(f, sign_decided);
  CHECK(r.decided);
  CHECK(r.bits == 128);
  CHECK(r.value.certainly_positive());
  CHECK(r.note.empty());
  // The decided enclosure contains the exact 1 / (3 * 2^58).
  mpfr_t exact;
  mpfr_init2(exact, 400);
  mpfr_set_ui(exact, 1, MPFR_RNDN);
  mpfr_div_ui(exact, exact, 3, MPFR_RNDN);
  mpfr_div_2ui(exact, exact, 58, MPFR_RNDN);
  CHECK(mpfr_cmp(r.value.lo.get(), exact) < 0);  // 1/3 is not dyadic: strictly inside
  CHECK(mpfr_cmp(r.value.hi.get(), exact) > 0);
  mpfr_clear(exact);
  CHECK(r.value.lo.precision() == 128);
}

TEST_CASE("escalate stops at max_bits and climbs the whole ladder when needed") {
  const TinyDifference f;
  const certbound::Escalated only53 = certbound::escalate(f, sign_decided, 53);
  CHECK_FALSE(only53.decided);
  CHECK(only53.bits == 53);
  const certbound::Escalated below128 = certbound::escalate(f, sign_decided, 127);
  CHECK_FALSE(below128.decided);
  CHECK(below128.bits == 53);

  // (1 + 2^-200 / 3) - 1: undecided at 128 bits, decided at 257.
  auto deeper = [](auto tag) {
    using T = typename decltype(tag)::type;
    const T one = certbound::ops::exact<T>(1.0);
    const T eps = certbound::ops::exact<T>(0x1p-200) / certbound::ops::exact<T>(3.0);
    return certbound::to_enclosure((one + eps) - one);
  };
  const certbound::Escalated r257 = certbound::escalate(deeper, sign_decided);
  CHECK(r257.decided);
  CHECK(r257.bits == 257);

  // 3 * (1/3) - 1 encloses 0 at every precision: never decided, last level 1025 bits.
  auto zero = [](auto tag) {
    using T = typename decltype(tag)::type;
    const T third = certbound::ops::rational<T>(1, 3);
    return certbound::to_enclosure(certbound::ops::exact<T>(3.0) * third - certbound::ops::exact<T>(1.0));
  };
  const certbound::Escalated never = certbound::escalate(zero, sign_decided);
  CHECK_FALSE(never.decided);
  CHECK(never.bits == 1025);
  CHECK(never.value.contains_zero());
  CHECK(never.value.lo.precision() == 1025);
}

TEST_CASE("escalate treats a DomainError as undecided and moves on") {
  // log((1 + eps) - 1): the argument is not certainly positive in binary64, so ops::log throws.
  auto f = [](auto tag) {
    using T = typename decltype(tag)::type;
    const T one = certbound::ops::exact<T>(1.0);
    const T eps = certbound::ops::rational<T>(1, std::int64_t{3} << 58);
    return certbound::to_enclosure(certbound::ops::log((one + eps) - one));
  };
  CHECK_THROWS_AS(f(std::type_identity<Interval>{}), certbound::DomainError);
  const certbound::Escalated r = certbound::escalate(f, sign_decided);
  CHECK(r.decided);
  CHECK(r.bits == 128);
  CHECK(r.value.certainly_negative());  // log(2^-59.58) < 0
  CHECK_FALSE(r.note.empty());          // the double level's DomainError is reported

  const certbound::Escalated stuck = certbound::escalate(f, sign_decided, 53);
  CHECK_FALSE(stuck.decided);
  CHECK(stuck.value.has_nan());
  CHECK(stuck.note.find("log") != std::string::npos);
}

}  // TEST_SUITE
