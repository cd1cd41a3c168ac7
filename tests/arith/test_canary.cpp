// Canary tests: fail when the compiler, its flags or the floating-point environment break the
// rounding that certbound's enclosures depend on (no fast-math, no FMA contraction, no flush to
// zero, round-to-nearest at start). Run in every build type.
#include <doctest/doctest.h>
#include <mpfr.h>

#include <cfenv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>

#include "certbound/arith/directed.hpp"
#include "certbound/arith/fp_environment.hpp"
#include "certbound/arith/ops.hpp"
#include "certbound/oracle/arb.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

namespace {

using certbound::Interval;
using certbound::oracle::hex;

/// Defeats constant folding and value propagation: the compiler must load the value at run time.
double launder(double v) {
  volatile double slot = v;
  return slot;
}

enum class Kind { add, sub, mul, div, sqrt };

/// MPFR's correctly rounded binary64 result toward dir.
double reference(Kind k, double a, double b, mpfr_rnd_t dir) {
  mpfr_t x, y, r;
  mpfr_inits2(53, x, y, r, static_cast<mpfr_ptr>(nullptr));
  mpfr_set_d(x, a, MPFR_RNDN);
  mpfr_set_d(y, b, MPFR_RNDN);
  switch (k) {
    case Kind::add: mpfr_add(r, x, y, dir); break;
    case Kind::sub: mpfr_sub(r, x, y, dir); break;
    case Kind::mul: mpfr_mul(r, x, y, dir); break;
    case Kind::div: mpfr_div(r, x, y, dir); break;
    case Kind::sqrt: mpfr_sqrt(r, x, dir); break;
  }
  const double d = mpfr_get_d(r, dir);
  mpfr_clears(x, y, r, static_cast<mpfr_ptr>(nullptr));
  return d;
}

}  // namespace

TEST_SUITE("canary") {

TEST_CASE("one third has positive width and correct ends") {
  const Interval third = Interval(1.0) / Interval(3.0);  // constants: folding must not collapse it
  CHECK(boost::numeric::width(third) > 0);
  CHECK(third.lower() == 0x1.5555555555555p-2);
  CHECK(third.upper() == 0x1.5555555555556p-2);
  const Interval laundered = Interval(launder(1.0)) / Interval(launder(3.0));
  CHECK(laundered.lower() == third.lower());
  CHECK(laundered.upper() == third.upper());
  const Interval tenth = Interval(1.0) / Interval(10.0);
  CHECK(tenth.lower() == 0x1.9999999999999p-4);
  CHECK(tenth.upper() == 0x1.999999999999ap-4);
}

TEST_CASE("sqrt of two encloses the MPFR value") {
  mpfr_t s;
  mpfr_init2(s, 300);
  mpfr_sqrt_ui(s, 2, MPFR_RNDN);
  for (const Interval& r : {certbound::ops::sqrt(Interval(2.0)), boost::numeric::sqrt(Interval(launder(2.0)))}) {
    CAPTURE(hex(r.lower()));
    CAPTURE(hex(r.upper()));
    CHECK(mpfr_cmp_d(s, r.lower()) > 0);  // sqrt 2 is irrational: strictly inside
    CHECK(mpfr_cmp_d(s, r.upper()) < 0);
    CHECK(r.lower() == 0x1.6a09e667f3bccp0);
    CHECK(r.upper() == 0x1.6a09e667f3bcdp0);
  }
  mpfr_clear(s);
  // exp(1) encloses e (MPFR endpoints, Arb reference).
  const Interval e = certbound::ops::exp(Interval(launder(1.0)));
  certbound::oracle::Ball one(1.0), ball;
  arb_exp(ball.b, one.b, 200);
  CHECK(certbound::oracle::encloses(certbound::Enclosure::of(e), ball));
  CHECK(e.lower() < e.upper());
}

TEST_CASE("laundered arithmetic in loops is correctly rounded") {
  std::mt19937_64 rng(20240611);
  long mismatches = 0;
  for (int i = 0; i < 20000; ++i) {
    // Moderate magnitudes: no fallback, so every result must be exactly the MPFR directed rounding.
    const double a = launder((certbound::oracle::unit(rng) + 0.5) * std::ldexp(1.0, static_cast<int>(rng() % 200) - 100));
    const double b = launder((certbound::oracle::unit(rng) - 0.5) * std::ldexp(1.0, static_cast<int>(rng() % 200) - 100));
    if (b == 0) continue;
    const Interval x(a), y(b);
    const struct {
      Kind kind;
      Interval r;
    } results[] = {{Kind::add, x + y}, {Kind::sub, x - y}, {Kind::mul, x * y}, {Kind::div, x / y},
                   {Kind::sqrt, certbound::ops::sqrt(x)}};
    for (const auto& [kind, r] : results) {
      const double lo = reference(kind, a, b, MPFR_RNDD), hi = reference(kind, a, b, MPFR_RNDU);
      if (r.lower() != lo || r.upper() != hi) {
        if (++mismatches <= 5) {
          const std::string inputs = hex(a) + " " + hex(b);
          const int operation = static_cast<int>(kind);  // 0 add, 1 sub, 2 mul, 3 div, 4 sqrt
          CAPTURE(inputs);
          CAPTURE(operation);
          FAIL_CHECK("interval result is not the correctly rounded enclosure");
        }
      }
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("floating-point environment passes the start-up check") {
  CHECK_NOTHROW(certbound::check_fp_environment());
  CHECK(std::fegetround() == FE_TONEAREST);
#if defined(__x86_64__) || defined(__i386__)
  CHECK((_mm_getcsr() & ((1u << 15) | (1u << 6))) == 0);  // FTZ and DAZ clear
#endif
  // Gradual underflow really happens (FTZ would give 0; DAZ would treat the input as 0).
  CHECK(launder(0x1p-1070) / 4 == 0x1p-1072);
  CHECK(launder(0x1p-1074) * 2 == 0x1p-1073);
  CHECK(launder(0x1p-1022) - launder(0x1.0000000000001p-1022) == -0x1p-1074);
  // Round-to-nearest-even on a tie: 1 + 2^-53 rounds down to 1, 1 + 3*2^-53 rounds up.
  CHECK(launder(1.0) + launder(0x1p-53) == 1.0);
  CHECK(launder(1.0) + launder(0x1.8p-52) == 0x1.0000000000002p0);
}

TEST_CASE("division by the zero interval throws") {
  CHECK_THROWS_AS(Interval(1.0) / Interval(0.0, 0.0), std::runtime_error);
  CHECK_THROWS_AS(Interval(launder(1.0)) / Interval(-0.0, 0.0), std::runtime_error);
  CHECK_THROWS_AS(Interval(2.0, 1.0), std::runtime_error);  // reversed bounds: empty
  CHECK_THROWS_AS(certbound::ops::sqrt(Interval(-1.0, 4.0)), certbound::DomainError);
  CHECK_THROWS_AS(certbound::ops::log(Interval(0.0, 4.0)), certbound::DomainError);
}

TEST_CASE("NaN input throws") {
  const double nan = launder(std::numeric_limits<double>::quiet_NaN());
  CHECK_THROWS_AS(Interval{nan}, std::invalid_argument);
  CHECK_THROWS_AS(Interval(0.0, nan), std::invalid_argument);
  CHECK_THROWS_AS(Interval(nan, 1.0), std::invalid_argument);
  const Interval one(1.0);
  CHECK_THROWS_AS(one + nan, std::invalid_argument);
  CHECK_THROWS_AS(one * nan, std::invalid_argument);
  CHECK_THROWS_AS(nan / one, std::invalid_argument);
}

TEST_CASE("FMA residual is exact and the compiler does not contract") {
  const double a = launder(0x1.0000000000001p0), b = launder(0x1.0000000000001p0);
  const double p = a * b;  // exact 1 + 2^-51 + 2^-104 rounds to 1 + 2^-51
  CHECK(p == 0x1.0000000000002p0);
  CHECK(std::fma(a, b, -p) == 0x1p-104);  // a real fused multiply-add
  const double unfused = a * b - p;       // -ffp-contract=off: two roundings, so exactly 0
  CHECK(unfused == 0.0);
  // Random residuals against MPFR's exact a*b - p.
  std::mt19937_64 rng(7);
  mpfr_t exact;
  mpfr_init2(exact, 200);
  long bad = 0;
  for (int i = 0; i < 5000; ++i) {
    const double x = launder(certbound::oracle::uniform(rng, -1e6, 1e6));
    const double y = launder(certbound::oracle::uniform(rng, -1e-6, 1e6));
    const double q = x * y;
    mpfr_set_d(exact, x, MPFR_RNDN);
    mpfr_mul_d(exact, exact, y, MPFR_RNDN);  // exact at 200 bits
    mpfr_sub_d(exact, exact, q, MPFR_RNDN);  // exact: the residual fits
    if (mpfr_cmp_d(exact, std::fma(x, y, -q)) != 0) ++bad;
  }
  mpfr_clear(exact);
  CHECK(bad == 0);
}

TEST_CASE("fallback counter counts widening near underflow") {
  const std::uint64_t before = certbound::directed::fallback_count().load();
  const Interval r = Interval(launder(0x1p-540)) * Interval(launder(0x1p-500));  // 2^-1040: below kSafeTiny
  CHECK(certbound::directed::fallback_count().load() > before);
  CHECK(r.lower() <= 0x1p-1040);
  CHECK(r.upper() >= 0x1p-1040);
  CHECK(r.upper() <= certbound::directed::succ(0x1p-1040));
  const std::uint64_t mid = certbound::directed::fallback_count().load();
  const Interval s = Interval(launder(0x1p-40)) * Interval(launder(0x1p-500));  // safe range
  CHECK(certbound::directed::fallback_count().load() == mid);
  CHECK(s.lower() == 0x1p-540);
  CHECK(s.upper() == 0x1p-540);
}

}  // TEST_SUITE
