// Random oracle tests of the certified arithmetic against Arb (independent code base) and MPFR.
//
// certbound::Interval: >= 100000 cases per operation (+ - * / sqrt sqr exp log expm1), fixed seed,
// own bit mapping (portable), inputs over the whole binary64 range (subnormals, signed zeros, near
// overflow of exp, random-width intervals). Every endpoint image (all endpoint combinations for the
// binary operations) must be enclosed: Arb balls at 256 bits (exact precision for + - *), and for
// + - * / sqrt sqr the result must equal the MPFR-rounded (RNDD/RNDU, 53 bits) tightest interval
// whenever the error-free transformations did not fall back; fallbacks may only happen outside the
// safe range of directed.hpp and then widen by at most one ulp. exp/log/expm1 must be within one
// ulp of Arb's outward-rounded bounds. Mp128/Mp257: containment against Arb at twice their precision.
// Decimal input (parse_enclosure, parse_scalar<T>) and outward decimal output (to_decimal).
#include <arb.h>
#include <doctest/doctest.h>
#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "certbound/arith/decimal.hpp"
#include "certbound/arith/directed.hpp"
#include "certbound/arith/enclosure.hpp"
#include "certbound/arith/ops.hpp"
#include "certbound/oracle/arb.hpp"

namespace {

using certbound::Enclosure;
using certbound::Interval;
using certbound::oracle::Ball;
using certbound::oracle::hex;
namespace directed = certbound::directed;

constexpr double kInf = directed::kInf;
constexpr double kMax = directed::kMax;
constexpr double kDenorm = std::numeric_limits<double>::denorm_min();
constexpr std::uint64_t kSeed = 0x5eed1788c0ffee01ULL;

// ---- random doubles (own bit mapping) -------------------------------------------------------

double from_bits(std::uint64_t sign, std::uint64_t exponent_field, std::uint64_t mantissa) {
  const std::uint64_t bits = (sign << 63) | (exponent_field << 52) | (mantissa & ((std::uint64_t{1} << 52) - 1));
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

/// sign * (1 + random fraction) * 2^e with e uniform in [emin, emax] (normal doubles only).
double with_exponent(std::mt19937_64& rng, int emin, int emax, bool positive = false) {
  const int e = emin + static_cast<int>(rng() % static_cast<std::uint64_t>(emax - emin + 1));
  const std::uint64_t sign = positive ? 0 : (rng() & 1);
  return from_bits(sign, static_cast<std::uint64_t>(e + 1023), rng());
}

/// Special values worth hitting often.
double special(std::mt19937_64& rng) {
  static const double table[] = {0.0, -0.0, kDenorm, -kDenorm, 0x1p-1022, -0x1p-1022, kMax, -kMax, 1.0, -1.0,
                                 0.5, 2.0, 3.0, 0x1.fffffffffffffp-1023, 0x1p-960, 0x1p-961, 0x1p1023,
                                 0x1.0000000000001p0, 0x1.fffffffffffffp-1, 0x1p-1074 * 3, -0x1p-537, 0x1p512};
  return table[rng() % (sizeof table / sizeof table[0])];
}

/// Finite double over the whole range: specials, subnormals, any exponent, moderate exponents.
double any_finite(std::mt19937_64& rng) {
  const unsigned c = static_cast<unsigned>(rng() % 32);
  if (c < 2) return special(rng);
  if (c < 6) return from_bits(rng() & 1, 0, rng());                 // subnormal (or zero)
  if (c < 16) return from_bits(rng() & 1, 1 + rng() % 2046, rng());  // any normal exponent
  return with_exponent(rng, -40, 40);
}

/// An interval around a: a point, a few ulps, a random hull with b, or signed-zero ends.
Interval interval_around(std::mt19937_64& rng, double a, double b) {
  switch (rng() % 8) {
    case 0:
    case 1:
    case 2:
      return Interval(a, a);
    case 3: {
      double u = a;
      for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k) u = directed::succ(u);
      return std::isfinite(u) ? Interval(a, u) : Interval(a, a);
    }
    case 4: {
      double l = a;
      for (int k = 1 + static_cast<int>(rng() % 3); k > 0; --k) l = directed::pred(l);
      return std::isfinite(l) ? Interval(l, a) : Interval(a, a);
    }
    case 5:
    case 6:
      return Interval(std::min(a, b), std::max(a, b));
    default:
      if (rng() & 1) return Interval(rng() & 2 ? -0.0 : 0.0, std::fabs(a));
      return Interval(-std::fabs(a), rng() & 2 ? -0.0 : 0.0);
  }
}

/// An interval with both ends of sign s (s = +1 or -1), never containing zero.
Interval signed_interval(std::mt19937_64& rng, double a, double b, double s) {
  auto fix = [&](double v) { v = std::fabs(v); return s * (v == 0 ? kDenorm : v); };
  const Interval raw = interval_around(rng, a, b);
  const double l = fix(raw.lower()), u = fix(raw.upper());
  return Interval(std::min(l, u), std::max(l, u));
}

/// An interval with non-negative ends (positive ends when strictly is set).
Interval nonneg_interval(std::mt19937_64& rng, double a, double b, bool strictly) {
  auto fix = [&](double v) { v = std::fabs(v); return strictly && v == 0 ? kDenorm : v; };
  const Interval raw = interval_around(rng, a, b);
  double l = fix(raw.lower()), u = fix(raw.upper());
  if (l > u) std::swap(l, u);
  if (!strictly && (rng() % 16) == 0) l = (rng() & 1) ? -0.0 : 0.0;
  return Interval(l, u);
}

/// Arguments of exp / expm1: ordinary, near overflow (700..709.8), subnormal results, tiny, huge.
double exp_argument(std::mt19937_64& rng) {
  using certbound::oracle::uniform;
  switch (rng() % 10) {
    case 0: return uniform(rng, -750.0, 750.0);
    case 1: return uniform(rng, 700.0, 709.8);
    case 2: return uniform(rng, 709.78, 709.79);  // ln(DBL_MAX) = 709.782712893...
    case 3: return uniform(rng, -745.2, -708.0);  // subnormal results
    case 4: return uniform(rng, -746.0, -744.4);  // underflow boundary
    case 5: return from_bits(rng() & 1, rng() % 1023, rng());  // |x| < 1, subnormals included
    case 6: return any_finite(rng);                             // huge magnitudes too
    case 7: return uniform(rng, -40.0, 40.0);
    case 8: return with_exponent(rng, -60, -1);
    default: return special(rng);
  }
}

// ---- the operations --------------------------------------------------------------------------

enum class Op { add, sub, mul, div, sqrt, sqr, exp, log, expm1 };
const char* name(Op op) {
  static const char* names[] = {"add", "sub", "mul", "div", "sqrt", "sqr", "exp", "log", "expm1"};
  return names[static_cast<int>(op)];
}
bool is_binary(Op op) { return op == Op::add || op == Op::sub || op == Op::mul || op == Op::div; }
bool is_exact_op(Op op) { return op != Op::exp && op != Op::log && op != Op::expm1; }

Interval apply(Op op, const Interval& x, const Interval& y) {
  namespace ops = certbound::ops;
  switch (op) {
    case Op::add: return x + y;
    case Op::sub: return x - y;
    case Op::mul: return x * y;
    case Op::div: return x / y;
    case Op::sqrt: return ops::sqrt(x);
    case Op::sqr: return ops::sqr(x);
    case Op::exp: return ops::exp(x);
    case Op::log: return ops::log(x);
    default: return ops::expm1(x);
  }
}

/// MPFR scratch at 53 bits: x, y, result.
struct Mpfr53 {
  mpfr_t x, y, r;
  Mpfr53() { mpfr_inits2(53, x, y, r, static_cast<mpfr_ptr>(nullptr)); }
  ~Mpfr53() { mpfr_clears(x, y, r, static_cast<mpfr_ptr>(nullptr)); }
};

/// Correctly rounded binary64 result of op(a, b) toward dir (53-bit MPFR, then the same direction into
/// binary64: double rounding in one direction is exact, subnormals and overflow included).
double mpfr_directed(Op op, double a, double b, mpfr_rnd_t dir) {
  static Mpfr53 m;
  mpfr_set_d(m.x, a, MPFR_RNDN);
  mpfr_set_d(m.y, b, MPFR_RNDN);
  switch (op) {
    case Op::add: mpfr_add(m.r, m.x, m.y, dir); break;
    case Op::sub: mpfr_sub(m.r, m.x, m.y, dir); break;
    case Op::mul: mpfr_mul(m.r, m.x, m.y, dir); break;
    case Op::div: mpfr_div(m.r, m.x, m.y, dir); break;
    case Op::sqrt: mpfr_sqrt(m.r, m.x, dir); break;
    default: mpfr_sqr(m.r, m.x, dir); break;
  }
  return mpfr_get_d(m.r, dir);
}

/// Lower (upper) bound of an Arb ball rounded down (up) into binary64.
double ball_floor(const Ball& ball) {
  static Mpfr53 m;
  arf_t lb;
  arf_init(lb);
  arb_get_lbound_arf(lb, ball.b, 4096);
  arf_get_mpfr(m.r, lb, MPFR_RNDD);
  arf_clear(lb);
  return mpfr_get_d(m.r, MPFR_RNDD);
}
double ball_ceil(const Ball& ball) {
  static Mpfr53 m;
  arf_t ub;
  arf_init(ub);
  arb_get_ubound_arf(ub, ball.b, 4096);
  arf_get_mpfr(m.r, ub, MPFR_RNDU);
  arf_clear(ub);
  return mpfr_get_d(m.r, MPFR_RNDU);
}

/// The exact value of op(a, b): an Arb ball (or, beyond Arb's comfortable range, known roundings),
/// and its binary64 roundings rd <= exact <= ru.
struct Truth {
  bool analytic = false;
  Ball ball;
  double rd = 0, ru = 0;
};

Truth truth(Op op, double a, double b) {
  Truth t;
  const Ball A(a), B(b);
  constexpr slong kPrec = 256;
  constexpr slong kExactSum = 2200;  // any sum of two doubles is exact at 2200 bits
  switch (op) {
    case Op::add: arb_add(t.ball.b, A.b, B.b, kExactSum); break;
    case Op::sub: arb_sub(t.ball.b, A.b, B.b, kExactSum); break;
    case Op::mul: arb_mul(t.ball.b, A.b, B.b, kPrec); break;  // 106 bits: exact
    case Op::div: arb_div(t.ball.b, A.b, B.b, kPrec); break;
    case Op::sqrt: arb_sqrt(t.ball.b, A.b, kPrec); break;
    case Op::sqr: arb_mul(t.ball.b, A.b, A.b, kPrec); break;
    case Op::log: arb_log(t.ball.b, A.b, kPrec); break;
    case Op::exp:
    case Op::expm1:
      if (std::fabs(a) > 4096) {  // exp(4096) ~ 2^5909: beyond binary64 either way
        t.analytic = true;
        if (a > 0) {
          t.rd = kMax;
          t.ru = kInf;
        } else if (op == Op::exp) {
          t.rd = 0;
          t.ru = kDenorm;
        } else {  // expm1(a) in (-1, -1 + 2^-5900)
          t.rd = -1.0;
          t.ru = -0x1.fffffffffffffp-1;
        }
        return t;
      }
      {
        // exp(x) = 1 + x + ... and expm1(x) = -1 + e^x (x < 0) lie within |x| resp. e^x of a double:
        // Arb needs that many more bits for its ball to separate the exact value from that double.
        slong prec = kPrec;
        if (a != 0 && std::fabs(a) < 1) prec += -std::ilogb(a);
        if (op == Op::expm1 && a < 0) prec += static_cast<slong>(std::ceil(-a * 1.4427));
        if (op == Op::exp) arb_exp(t.ball.b, A.b, prec);
        else arb_expm1(t.ball.b, A.b, prec);
      }
      break;
  }
  if (is_exact_op(op)) {
    t.rd = mpfr_directed(op, a, b, MPFR_RNDD);
    t.ru = mpfr_directed(op, a, b, MPFR_RNDU);
  } else {
    t.rd = ball_floor(t.ball);
    t.ru = ball_ceil(t.ball);
  }
  return t;
}

bool in_safe_range(double v) {
  const double m = std::fabs(v);
  return m == 0 || (m >= directed::kSafeTiny && m <= 0x1p1020);
}

std::string show(const Interval& x) { return "[" + hex(x.lower()) + ", " + hex(x.upper()) + "]"; }

struct Tally {
  long cases = 0, points = 0, failures = 0, fallbacks = 0, tight_equal = 0, subnormal_inputs = 0,
       overflow_results = 0, infinite_results = 0;
};

/// Checks one case; returns false (and reports the first few failures) on a mismatch.
void check_case(Op op, const Interval& x, const Interval& y, Tally& tally) {
  ++tally.cases;
  const bool point = x.lower() == x.upper() && (!is_binary(op) || y.lower() == y.upper());
  if (point) ++tally.points;
  for (double v : {x.lower(), x.upper(), y.lower(), y.upper()}) {
    if (v != 0 && std::fabs(v) < 0x1p-1022) {
      ++tally.subnormal_inputs;
      break;
    }
  }
  std::string why;
  Interval r;
  const std::uint64_t before = directed::fallback_count().load();
  bool threw = false;
  try {
    r = apply(op, x, y);
  } catch (const std::exception& e) {
    threw = true;
    why = std::string("threw: ") + e.what();
  }
  const bool fell_back = directed::fallback_count().load() != before;
  if (fell_back) ++tally.fallbacks;

  if (!threw) {
    // Endpoint combinations (all four for binary operations; 0 too for sqr of an interval containing 0).
    std::vector<std::pair<double, double>> combos;
    if (is_binary(op)) {
      for (double a : {x.lower(), x.upper()})
        for (double b : {y.lower(), y.upper()}) combos.emplace_back(a, b);
    } else {
      combos.emplace_back(x.lower(), 0.0);
      combos.emplace_back(x.upper(), 0.0);
      if (op == Op::sqr && x.lower() <= 0 && 0 <= x.upper()) combos.emplace_back(0.0, 0.0);
    }
    double lo = kInf, hi = -kInf;
    bool safe = is_exact_op(op);
    const Enclosure enc = Enclosure::of(r);
    for (const auto& [a, b] : combos) {
      const Truth t = truth(op, a, b);
      lo = std::min(lo, t.rd);
      hi = std::max(hi, t.ru);
      safe = safe && in_safe_range(a) && in_safe_range(t.rd) && in_safe_range(t.ru) &&
             (!is_binary(op) || in_safe_range(b));
      const bool inside = t.analytic ? (r.lower() <= t.rd && t.ru <= r.upper())
                                     : certbound::oracle::encloses(enc, t.ball);
      if (!inside && why.empty()) why = "exact image of endpoints (" + hex(a) + ", " + hex(b) + ") not enclosed";
      if (!(r.lower() <= t.rd && t.ru <= r.upper()) && why.empty()) why = "directed rounding of an endpoint image not enclosed";
    }
    if (std::isinf(hi) || std::isinf(lo)) ++tally.infinite_results;
    if (hi > kMax || lo < -kMax) ++tally.overflow_results;
    if (why.empty()) {
      if (is_exact_op(op)) {
        if (!fell_back) {
          if (r.lower() != lo || r.upper() != hi) why = "not the tightest interval [" + hex(lo) + ", " + hex(hi) + "]";
          else ++tally.tight_equal;
        } else if (safe) {
          why = "fallback widening inside the safe range";
        } else if (!(r.lower() >= directed::pred(lo) && r.upper() <= directed::succ(hi))) {
          why = "fallback wider than one ulp beyond [" + hex(lo) + ", " + hex(hi) + "]";
        }
      } else if (!(r.lower() >= directed::pred(lo) && r.upper() <= directed::succ(hi))) {
        why = "more than one ulp beyond Arb's bounds [" + hex(lo) + ", " + hex(hi) + "]";
      }
    }
  }
  if (!why.empty()) {
    if (++tally.failures <= 8) {
      const std::string operation = name(op);
      const std::string input_x = show(x);
      const std::string input_y = is_binary(op) ? show(y) : "-";
      const std::string result = threw ? "-" : show(r);
      CAPTURE(operation);
      CAPTURE(input_x);
      CAPTURE(input_y);
      CAPTURE(result);
      CAPTURE(fell_back);
      FAIL_CHECK(why);
    }
  }
}

/// Runs `n` random cases of op with a per-operation seed and reports a summary line.
template <class Generate>
Tally run(Op op, long n, Generate&& generate) {
  std::mt19937_64 rng(kSeed + static_cast<std::uint64_t>(op) * 7919);
  Tally tally;
  for (long i = 0; i < n; ++i) {
    const auto [x, y] = generate(rng);
    check_case(op, x, y, tally);
  }
  MESSAGE("oracle " << std::string(name(op)) << ": " << tally.cases << " cases (" << tally.points << " point), "
                    << tally.failures << " failures, " << tally.tight_equal << " exactly tightest, "
                    << tally.fallbacks << " fallbacks, " << tally.subnormal_inputs << " with subnormal inputs, "
                    << tally.overflow_results << " overflowing");
  CHECK(tally.failures == 0);
  return tally;
}

constexpr long kCases = 100000;

std::pair<Interval, Interval> any_pair(std::mt19937_64& rng) {
  const double a = any_finite(rng);
  double b = any_finite(rng);
  if (rng() % 8 == 0) b = (rng() & 1 ? -1 : 1) * a * (1 + certbound::oracle::unit(rng) * 0x1p-30);  // cancellation
  if (!std::isfinite(b)) b = a;
  const Interval x = interval_around(rng, a, any_finite(rng));
  const Interval y = interval_around(rng, b, any_finite(rng));
  return {x, y};
}

// ---- multiprecision -------------------------------------------------------------------------

/// A P-bit MPFR number with random mantissa, exponent in [emin, emax], random sign unless positive.
void random_mp(mpfr_ptr out, std::mt19937_64& rng, int emin, int emax, bool positive) {
  mpfr_t acc, word;
  mpfr_init2(acc, 320);
  mpfr_init2(word, 64);
  mpfr_set_ui(acc, 0, MPFR_RNDN);
  for (int k = 0; k < 5; ++k) {
    mpfr_mul_2ui(acc, acc, 64, MPFR_RNDN);
    mpfr_set_uj(word, rng(), MPFR_RNDN);
    mpfr_add(acc, acc, word, MPFR_RNDN);  // exact at 320 bits
  }
  mpfr_set(out, acc, MPFR_RNDN);  // a random P-bit mantissa
  const long e = emin + static_cast<long>(rng() % static_cast<std::uint64_t>(emax - emin + 1));
  mpfr_mul_2si(out, out, e - mpfr_get_exp(out), MPFR_RNDN);  // exact scaling
  if (!positive && (rng() & 1)) mpfr_neg(out, out, MPFR_RNDN);
  mpfr_clear(acc);
  mpfr_clear(word);
}

template <class T>
T mp_from_ends(mpfr_srcptr lo, mpfr_srcptr hi) {
  T r;
  if (mpfr_cmp(lo, hi) <= 0) mpfi_interv_fr(r.backend().data(), lo, hi);
  else mpfi_interv_fr(r.backend().data(), hi, lo);
  return r;
}

/// A random T interval: a point, an ulp-scale or relative-width interval, of the given sign.
template <class T>
T random_mp_interval(std::mt19937_64& rng, int emin, int emax, bool positive) {
  constexpr unsigned P = certbound::precision_bits<T>::value;
  mpfr_t lo, hi;
  mpfr_init2(lo, P);
  mpfr_init2(hi, P);
  random_mp(lo, rng, emin, emax, positive);
  switch (rng() % 4) {
    case 0:
      mpfr_set(hi, lo, MPFR_RNDN);
      break;
    case 1:
      mpfr_set(hi, lo, MPFR_RNDN);
      mpfr_nextabove(hi);
      break;
    case 2: {  // relative width 2^-k
      const long k = 1 + static_cast<long>(rng() % 200);
      mpfr_abs(hi, lo, MPFR_RNDN);
      mpfr_mul_2si(hi, hi, -k, MPFR_RNDN);
      mpfr_add(hi, lo, hi, MPFR_RNDU);
      break;
    }
    default:
      mpfr_set_d(hi, certbound::oracle::unit(rng), MPFR_RNDN);
      mpfr_mul(hi, hi, lo, MPFR_RNDN);
      if (positive) mpfr_abs(hi, hi, MPFR_RNDN);
      if (mpfr_zero_p(hi)) mpfr_set(hi, lo, MPFR_RNDN);
      break;
  }
  T r = mp_from_ends<T>(lo, hi);
  mpfr_clear(lo);
  mpfr_clear(hi);
  return r;
}

template <class T>
mpfr_srcptr left(const T& x) { return &x.backend().data()->left; }
template <class T>
mpfr_srcptr right(const T& x) { return &x.backend().data()->right; }

Ball ball_of(mpfr_srcptr v) {
  Ball b;
  arf_set_mpfr(arb_midref(b.b), v);
  mag_zero(arb_radref(b.b));
  return b;
}

enum class MpOp { add, mul, div, sqrt, exp, log };
const char* name(MpOp op) {
  static const char* names[] = {"add", "mul", "div", "sqrt", "exp", "log"};
  return names[static_cast<int>(op)];
}

template <class T>
void mp_oracle(const char* type_name, MpOp op, long n) {
  namespace ops = certbound::ops;
  constexpr unsigned P = certbound::precision_bits<T>::value;
  const slong prec = 2 * static_cast<slong>(P);
  std::mt19937_64 rng(kSeed ^ (P * 1000003ULL + static_cast<std::uint64_t>(op)));
  long failures = 0;
  mpfr_t bound;
  mpfr_init2(bound, P);
  arf_t lb, ub, lo_min, hi_max;
  arf_init(lb);
  arf_init(ub);
  arf_init(lo_min);
  arf_init(hi_max);
  for (long i = 0; i < n; ++i) {
    T x, y;
    switch (op) {
      case MpOp::add:
      case MpOp::mul:
        x = random_mp_interval<T>(rng, -1000, 1000, false);
        y = random_mp_interval<T>(rng, -1000, 1000, false);
        break;
      case MpOp::div:
        x = random_mp_interval<T>(rng, -1000, 1000, false);
        y = random_mp_interval<T>(rng, -1000, 1000, true);
        if (rng() & 1) y = -y;
        break;
      case MpOp::sqrt:
      case MpOp::log:
        x = random_mp_interval<T>(rng, -1000, 1000, true);
        break;
      case MpOp::exp:
        x = rng() & 1 ? random_mp_interval<T>(rng, -60, 12, false) : random_mp_interval<T>(rng, -1000, 0, false);
        break;
    }
    T r;
    std::string why;
    try {
      switch (op) {
        case MpOp::add: r = x + y; break;
        case MpOp::mul: r = x * y; break;
        case MpOp::div: r = x / y; break;
        case MpOp::sqrt: r = ops::sqrt(x); break;
        case MpOp::exp: r = ops::exp(x); break;
        case MpOp::log: r = ops::log(x); break;
      }
    } catch (const std::exception& e) {
      why = std::string("threw: ") + e.what();
    }
    if (why.empty()) {
      const Enclosure enc = Enclosure::of(r);
      std::vector<std::pair<mpfr_srcptr, mpfr_srcptr>> combos;
      if (op == MpOp::add || op == MpOp::mul || op == MpOp::div) {
        for (mpfr_srcptr a : {left(x), right(x)})
          for (mpfr_srcptr b : {left(y), right(y)}) combos.emplace_back(a, b);
      } else {
        combos.emplace_back(left(x), nullptr);
        combos.emplace_back(right(x), nullptr);
      }
      arf_pos_inf(lo_min);
      arf_neg_inf(hi_max);
      for (const auto& [a, b] : combos) {
        const Ball A = ball_of(a);
        Ball t;
        switch (op) {
          case MpOp::add: arb_add(t.b, A.b, ball_of(b).b, 4096); break;  // exact: exponents within +-1000
          case MpOp::mul: arb_mul(t.b, A.b, ball_of(b).b, prec); break;  // exact: 2P bits
          case MpOp::div: arb_div(t.b, A.b, ball_of(b).b, prec); break;
          case MpOp::sqrt: arb_sqrt(t.b, A.b, prec); break;
          case MpOp::exp:  // exp of a tiny x lies within |x| of 1: more bits to separate them
            arb_exp(t.b, A.b, prec + std::max<slong>(0, -static_cast<slong>(mpfr_get_exp(a))));
            break;
          case MpOp::log: arb_log(t.b, A.b, prec); break;
        }
        if (!certbound::oracle::encloses(enc, t) && why.empty()) why = "exact image of an endpoint combination not enclosed";
        arb_get_lbound_arf(lb, t.b, 8192);
        arb_get_ubound_arf(ub, t.b, 8192);
        arf_min(lo_min, lo_min, lb);
        arf_max(hi_max, hi_max, ub);
      }
      // Not vacuous: each end within one P-bit ulp of the oracle's outward rounding.
      arf_get_mpfr(bound, lo_min, MPFR_RNDD);
      mpfr_nextbelow(bound);
      if (mpfr_cmp(left(r), bound) < 0 && why.empty()) why = "lower end more than one ulp below the exact bound";
      arf_get_mpfr(bound, hi_max, MPFR_RNDU);
      mpfr_nextabove(bound);
      if (mpfr_cmp(right(r), bound) > 0 && why.empty()) why = "upper end more than one ulp above the exact bound";
    }
    if (!why.empty() && ++failures <= 8) {
      const std::string input_x = certbound::to_hex(Enclosure::of(x).lo) + " .. " + certbound::to_hex(Enclosure::of(x).hi);
      const std::string input_y = certbound::to_hex(Enclosure::of(y).lo) + " .. " + certbound::to_hex(Enclosure::of(y).hi);
      const std::string type = type_name;
      CAPTURE(type);
      CAPTURE(input_x);
      CAPTURE(input_y);
      FAIL_CHECK(std::string(name(op)) << ": " << why);
    }
  }
  arf_clear(lb);
  arf_clear(ub);
  arf_clear(lo_min);
  arf_clear(hi_max);
  mpfr_clear(bound);
  MESSAGE("oracle " << std::string(type_name) << " " << std::string(name(op)) << ": " << n << " cases, " << failures << " failures");
  CHECK(failures == 0);
}

// ---- decimal text ---------------------------------------------------------------------------

/// A random decimal literal: optional sign, 0-24 integer and fraction digits, optional exponent.
std::string random_decimal(std::mt19937_64& rng) {
  std::string s;
  const unsigned sign = static_cast<unsigned>(rng() % 8);
  if (sign == 0) s += '-';
  else if (sign == 1) s += '+';
  const int int_digits = static_cast<int>(rng() % 25), frac_digits = static_cast<int>(rng() % 25);
  for (int k = 0; k < int_digits; ++k) s += static_cast<char>('0' + rng() % 10);
  if (frac_digits > 0 || int_digits == 0) {
    s += '.';
    for (int k = 0; k < std::max(frac_digits, int_digits == 0 ? 1 : 0); ++k) s += static_cast<char>('0' + rng() % 10);
  }
  if (rng() & 1) {
    s += (rng() & 1) ? 'e' : 'E';
    const unsigned es = static_cast<unsigned>(rng() % 3);
    if (es == 0) s += '-';
    else if (es == 1) s += '+';
    s += std::to_string(rng() % 345);
  }
  return s;
}

/// [lo, hi] at 1000 bits around the exact value of a literal (base 0: decimal, or 0x hexadecimal).
struct Exact {
  mpfr_t lo, hi;
  explicit Exact(const std::string& text) {
    mpfr_init2(lo, 1000);
    mpfr_init2(hi, 1000);
    const size_t a = text.find_first_not_of(" \t\n"), b = text.find_last_not_of(" \t\n");
    const std::string t = text.substr(a, b - a + 1);
    mpfr_strtofr(lo, t.c_str(), nullptr, 0, MPFR_RNDD);
    mpfr_strtofr(hi, t.c_str(), nullptr, 0, MPFR_RNDU);
  }
  ~Exact() {
    mpfr_clear(lo);
    mpfr_clear(hi);
  }
};

/// hi <= the next number above lo at lo's precision (or lo == hi).
bool adjacent(mpfr_srcptr lo, mpfr_srcptr hi) {
  mpfr_t next;
  mpfr_init2(next, mpfr_get_prec(lo));
  mpfr_set(next, lo, MPFR_RNDN);
  mpfr_nextabove(next);
  const bool ok = mpfr_cmp(hi, next) <= 0;
  mpfr_clear(next);
  return ok;
}

template <class T>
bool mp_encloses_exact(const T& v, const Exact& e, std::string& why) {
  constexpr unsigned P = certbound::precision_bits<T>::value;
  if (mpfr_get_prec(left(v)) != static_cast<mpfr_prec_t>(P)) why = "wrong precision";
  else if (mpfr_cmp(left(v), e.lo) > 0 || mpfr_cmp(right(v), e.hi) < 0) why = "does not enclose the decimal";
  else if (!adjacent(left(v), right(v))) why = "wider than one ulp";
  return why.empty();
}

}  // namespace

TEST_SUITE("oracle") {

TEST_CASE("Interval add against Arb and MPFR") { run(Op::add, kCases, any_pair); }
TEST_CASE("Interval sub against Arb and MPFR") { run(Op::sub, kCases, any_pair); }
TEST_CASE("Interval mul against Arb and MPFR") { run(Op::mul, kCases, any_pair); }

TEST_CASE("Interval div against Arb and MPFR") {
  run(Op::div, kCases, [](std::mt19937_64& rng) {
    const Interval x = interval_around(rng, any_finite(rng), any_finite(rng));
    const Interval y = signed_interval(rng, any_finite(rng), any_finite(rng), rng() & 1 ? 1.0 : -1.0);
    return std::pair{x, y};
  });
}

TEST_CASE("Interval sqrt against Arb and MPFR") {
  run(Op::sqrt, kCases, [](std::mt19937_64& rng) {
    return std::pair{nonneg_interval(rng, any_finite(rng), any_finite(rng), false), Interval(0.0)};
  });
}

TEST_CASE("Interval sqr against Arb and MPFR") {
  run(Op::sqr, kCases, [](std::mt19937_64& rng) {
    return std::pair{interval_around(rng, any_finite(rng), any_finite(rng)), Interval(0.0)};
  });
}

TEST_CASE("Interval exp against Arb") {
  const Tally t = run(Op::exp, kCases, [](std::mt19937_64& rng) {
    return std::pair{interval_around(rng, exp_argument(rng), exp_argument(rng)), Interval(0.0)};
  });
  CHECK(t.overflow_results > 0);  // the generator reaches the overflow threshold
}

TEST_CASE("Interval log against Arb") {
  run(Op::log, kCases, [](std::mt19937_64& rng) {
    return std::pair{nonneg_interval(rng, any_finite(rng), any_finite(rng), true), Interval(0.0)};
  });
}

TEST_CASE("Interval expm1 against Arb") {
  const Tally t = run(Op::expm1, kCases, [](std::mt19937_64& rng) {
    return std::pair{interval_around(rng, exp_argument(rng), exp_argument(rng)), Interval(0.0)};
  });
  CHECK(t.overflow_results > 0);
}

TEST_CASE("oracle generators reach subnormals and the fallback path") {
  // Guards against the random tests silently losing coverage after a change of generators.
  const Tally t = run(Op::mul, 20000, any_pair);
  CHECK(t.subnormal_inputs > 500);
  CHECK(t.fallbacks > 100);
  CHECK(t.tight_equal > 10000);
  CHECK(t.infinite_results > 100);
}

TEST_CASE("division by an interval with a zero endpoint is tightest") {
  const Interval neg(-30.0, 0.0), neg_mz(-30.0, -0.0), pos(0.0, 30.0);
  const Interval y_pos(0.0, 3.0), y_neg(-3.0, 0.0), y_pos_mz(-0.0, 3.0), y_mid(-3.0, 3.0);
  auto is = [](const Interval& r, double lo, double hi) { return r.lower() == lo && r.upper() == hi; };
  CHECK(is(neg / y_pos, -kInf, 0.0));
  CHECK(is(neg_mz / y_pos_mz, -kInf, 0.0));
  CHECK(is(neg / y_neg, 0.0, kInf));
  CHECK(is(pos / y_pos, 0.0, kInf));
  CHECK(is(pos / y_neg, -kInf, 0.0));
  CHECK(is(neg / y_mid, -kInf, kInf));
  CHECK(is(Interval(-30.0, -1.0) / y_pos, -kInf, -0x1.5555555555555p-2));  // RU(-1/3)
  Interval z = neg;
  z /= y_pos;  // the compound operator goes through the same overload
  CHECK(is(z, -kInf, 0.0));
  CHECK_THROWS(neg / Interval(0.0, 0.0));  // empty result
}

TEST_CASE("products and quotients underflowing to zero keep their sign") {
  namespace ops = certbound::ops;
  const std::uint64_t before = directed::fallback_count().load();
  const Interval tiny(0x1p-600);
  const Interval p = tiny * tiny;
  CHECK(p.lower() == 0.0);
  CHECK(p.upper() == kDenorm);
  const Interval q = (-tiny) * tiny;
  CHECK(q.lower() == -kDenorm);
  CHECK(q.upper() == 0.0);
  const Interval d = Interval(0x1p-1000) / Interval(0x1p200);
  CHECK(d.lower() == 0.0);
  CHECK(d.upper() == kDenorm);
  const Interval s = ops::sqr(Interval(-0x1p-600, -0x1p-700));
  CHECK(s.lower() == 0.0);
  CHECK(s.upper() == kDenorm);
  CHECK(directed::fallback_count().load() == before);  // exact, not a one-ulp fallback
  CHECK_NOTHROW(ops::sqrt(ops::sqr(tiny)));  // used to throw DomainError: lower end was -denorm_min
}

TEST_CASE("Mp128 and Mp257 against Arb at twice their precision") {
  constexpr long n = 20000;
  for (MpOp op : {MpOp::add, MpOp::mul, MpOp::div, MpOp::sqrt, MpOp::exp, MpOp::log}) {
    mp_oracle<certbound::Mp128>("Mp128", op, n);
    mp_oracle<certbound::Mp257>("Mp257", op, n);
  }
}

TEST_CASE("parse_enclosure and parse_scalar enclose the exact decimal") {
  std::vector<std::string> texts = {"0.01", "0.1", "1e-300", "1e-320", "4.9e-324", "2.4e-324", "1e-400",
                                    "1.7976931348623157e308", "1.7976931348623159e308", "1.8e308", "1e400",
                                    "123456789012345678901234567890", "-0", "0", ".5", "5.", "+1.25e+3",
                                    "-2.5E-3", "0x1.8p-3", "-0X1.FFFFFFFFFFFFFP+1023", "  42  ", "\t-7.25\n",
                                    "3.14159265358979323846264338327950288419716939937510"};
  std::mt19937_64 rng(kSeed + 99);
  for (int k = 0; k < 4000; ++k) texts.push_back(random_decimal(rng));
  long failures = 0;
  for (const std::string& text : texts) {
    std::string why;
    try {
      const Exact exact(text);
      for (unsigned bits : {53u, 128u, 257u}) {
        const Enclosure e = certbound::parse_enclosure(text, bits);
        if (e.lo.precision() != static_cast<mpfr_prec_t>(bits) || e.hi.precision() != static_cast<mpfr_prec_t>(bits)) {
          why = "parse_enclosure: wrong precision at " + std::to_string(bits);
        } else if (mpfr_cmp(e.lo.get(), exact.lo) > 0 || mpfr_cmp(e.hi.get(), exact.hi) < 0) {
          why = "parse_enclosure does not enclose at " + std::to_string(bits) + " bits";
        } else if (!adjacent(e.lo.get(), e.hi.get())) {
          why = "parse_enclosure wider than one ulp at " + std::to_string(bits) + " bits";
        }
        if (!why.empty()) break;
      }
      if (why.empty()) {
        const Interval iv = certbound::parse_scalar<Interval>(text);
        if (mpfr_cmp_d(exact.lo, iv.lower()) < 0 || mpfr_cmp_d(exact.hi, iv.upper()) > 0) {
          why = "parse_scalar<Interval> does not enclose: " + show(iv);
        } else if (iv.upper() > directed::succ(iv.lower())) {
          why = "parse_scalar<Interval> wider than one ulp: " + show(iv);
        }
        const double d = certbound::parse_scalar<double>(text);
        if (why.empty() && !(iv.lower() <= d && d <= iv.upper())) why = "parse_scalar<double> outside the enclosure";
      }
      if (why.empty()) mp_encloses_exact(certbound::parse_scalar<certbound::Mp128>(text), exact, why);
      if (why.empty()) mp_encloses_exact(certbound::parse_scalar<certbound::Mp257>(text), exact, why);
    } catch (const std::exception& e) {
      why = std::string("threw: ") + e.what();
    }
    if (!why.empty() && ++failures <= 8) {
      CAPTURE(text);
      FAIL_CHECK(why);
    }
  }
  MESSAGE("decimal input: " << texts.size() << " literals, " << failures << " failures");
  CHECK(failures == 0);
  // Representable literals are points.
  const Enclosure half = certbound::parse_enclosure("0.5");
  CHECK(mpfr_cmp(half.lo.get(), half.hi.get()) == 0);
  const Interval tenth = certbound::parse_scalar<Interval>("0.1");
  CHECK(tenth.lower() == 0x1.9999999999999p-4);
  CHECK(tenth.upper() == 0x1.999999999999ap-4);
}

TEST_CASE("invalid numeric text throws ParseError") {
  const char* bad[] = {"",     " ",     "abc",  "1.2.3", "nan",  "NaN",   "inf",   "-inf", "infinity", "1e",
                       "1e+",  "--1",   "+-1",  "0x",    "0x1",  "0x1.8", "0xg1p0", ".",   "+",        "-",
                       "e5",   "1e5x",  "1 2",  "1,5",   "1..2", "1e--5", "0x1p",  "1e5.5", "٣"};
  for (const char* text : bad) {
    CAPTURE(text);
    CHECK_FALSE(certbound::is_decimal_literal(text));
    CHECK_THROWS_AS(certbound::parse_enclosure(text), certbound::ParseError);
    CHECK_THROWS_AS(certbound::parse_enclosure(text, 128), certbound::ParseError);
    CHECK_THROWS_AS(certbound::parse_scalar<Interval>(text), certbound::ParseError);
    CHECK_THROWS_AS(certbound::parse_scalar<certbound::Mp128>(text), certbound::ParseError);
  }
}

TEST_CASE("to_decimal rounded outward still encloses") {
  std::mt19937_64 rng(kSeed + 7);
  std::vector<certbound::BigFloat> values;
  for (int k = 0; k < 3000; ++k) values.push_back(certbound::BigFloat::from_double(any_finite(rng)));
  for (int k = 0; k < 500; ++k) {
    const certbound::Mp257 m = random_mp_interval<certbound::Mp257>(rng, -1100, 1100, false);
    values.push_back(certbound::BigFloat::copy_of(left(m)));
    const certbound::Mp128 n = random_mp_interval<certbound::Mp128>(rng, -300, 300, false);
    values.push_back(certbound::BigFloat::copy_of(right(n)));
  }
  mpfr_t back, diff, unit;
  mpfr_inits2(4000, back, diff, unit, static_cast<mpfr_ptr>(nullptr));
  long failures = 0, checks = 0;
  for (const auto& v : values) {
    for (int digits : {1, 3, 6, 17, 40}) {
      for (mpfr_rnd_t dir : {MPFR_RNDD, MPFR_RNDU}) {
        const std::string text = certbound::to_decimal(v, dir, digits);
        ++checks;
        std::string why;
        // Read back rounded against the claim (up for a lower bound), so a pass proves the claim.
        mpfr_strtofr(back, text.c_str(), nullptr, 10, dir == MPFR_RNDD ? MPFR_RNDU : MPFR_RNDD);
        const int side = mpfr_cmp(back, v.get());
        if (mpfr_zero_p(v.get())) {
          if (text != "0") why = "zero printed as " + text;
        } else if (dir == MPFR_RNDD ? side > 0 : side < 0) {
          why = "printed bound is on the wrong side";
        } else {
          // Not vacuous: within one unit of the last printed digit, |v| * 10^(1 - digits).
          mpfr_sub(diff, back, v.get(), MPFR_RNDU);
          mpfr_abs(diff, diff, MPFR_RNDU);
          mpfr_set_ui(unit, 10, MPFR_RNDU);
          mpfr_pow_si(unit, unit, 1 - digits, MPFR_RNDU);
          mpfr_mul(unit, unit, v.get(), MPFR_RNDU);
          mpfr_abs(unit, unit, MPFR_RNDU);
          if (mpfr_cmp(diff, unit) > 0) why = "printed bound more than one unit in the last digit away";
        }
        if (!why.empty() && ++failures <= 8) {
          const std::string value = certbound::to_hex(v);
          CAPTURE(value);
          CAPTURE(text);
          CAPTURE(digits);
          FAIL_CHECK(why);
        }
      }
    }
  }
  mpfr_clears(back, diff, unit, static_cast<mpfr_ptr>(nullptr));
  MESSAGE("decimal output: " << checks << " strings, " << failures << " failures");
  CHECK(failures == 0);
  CHECK(certbound::to_decimal(certbound::BigFloat::from_double(kInf), MPFR_RNDD) == "inf");
  CHECK(certbound::to_decimal(certbound::BigFloat::from_double(-kInf), MPFR_RNDU) == "-inf");
  CHECK(certbound::to_decimal(certbound::BigFloat(), MPFR_RNDU) == "nan");
  const auto [lo, hi] = Enclosure::of(certbound::parse_scalar<Interval>("0.1")).decimal(3);
  CHECK(lo == "9.99e-02");
  CHECK(hi == "1.01e-01");
}

}  // TEST_SUITE
