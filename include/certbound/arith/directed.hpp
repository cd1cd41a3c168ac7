// Directed rounding of + - * / sqrt without touching the FPU rounding mode.
//
// Each operation is evaluated once in round-to-nearest; an error-free transformation recovers the
// sign of the rounding error exactly (TwoSum for +/-, an FMA residual for * / and sqrt; see
// Ogita, Rump, Oishi 2005 and Boldo, Muller 2011), and the result is stepped one ulp outward only
// when the exact value lies beyond it. This gives the correctly rounded downward / upward result,
// i.e. the tightest enclosure, with no fesetround for the optimiser to reorder (GCC bug 34678).
//
// The transformations are exact only while nothing underflows or overflows. Outside the safe range
// (|operands and results| >= 2^-960, finite) the code falls back to one-ulp outward widening,
// which is still sound but may be one ulp wider than tightest; every fallback is counted.
#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

/// Small hot functions are inlined even where GCC's size heuristics would not (a call costs more
/// than the operation, and inlining lets independent operations overlap).
#define CERTBOUND_HOT [[gnu::always_inline]] inline

namespace certbound::directed {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
inline constexpr double kMax = std::numeric_limits<double>::max();
/// Below this magnitude an FMA residual may lose bits to underflow.
inline constexpr double kSafeTiny = 0x1p-960;

/// Number of operations that used one-ulp widening instead of an exact error-free transformation.
inline std::atomic<std::uint64_t>& fallback_count() {
  static std::atomic<std::uint64_t> count{0};
  return count;
}
inline void note_fallback() { fallback_count().fetch_add(1, std::memory_order_relaxed); }

/// Next double toward +infinity (bit-level, independent of the rounding mode).
CERTBOUND_HOT double succ(double x) {
  if (std::isnan(x) || x == kInf) return x;
  if (x == 0.0) return std::numeric_limits<double>::denorm_min();
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  bits = x > 0 ? bits + 1 : bits - 1;
  std::memcpy(&x, &bits, sizeof bits);
  return x;
}
/// Next double toward -infinity.
CERTBOUND_HOT double pred(double x) { return -succ(-x); }

/// Sign of (exact − rounded): +1 exact value above, −1 below, 0 exact.
enum class ErrorSign { below = -1, exact = 0, above = 1 };

/// A nearest-rounded value with the sign of its error, or a fallback request.
struct Rounded {
  double value;
  ErrorSign error;
  bool known;  ///< false: error sign unknown, widen by one ulp each side
};

/// r.value moved one unit in the last place toward −inf (down) or +inf (up) when `step` is set.
/// The sign of a rounding error is data-dependent (about half the operations round up), so this is
/// written without a branch on it: a mispredicted branch costs more than the whole operation.
/// Zero is excluded (its neighbours have the other sign); the values whose error sign is not
/// exact are finite, or ±DBL_MAX from `overflowed`, which step to ±inf as they should.
CERTBOUND_HOT double step_if(double value, bool step, bool up) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  const std::uint64_t negative = bits >> 63;
  // Up: positive magnitudes grow (+1), negative ones shrink (−1); down: the reverse.
  const std::uint64_t direction = up ? 1 - 2 * negative : 2 * negative - 1;  // ±1 modulo 2^64
  bits += static_cast<std::uint64_t>(step) * direction;
  std::memcpy(&value, &bits, sizeof bits);
  return value;
}

/// x moved `steps` doubles toward +inf, for x > 0 (not NaN): the bit patterns of positive doubles
/// are consecutive integers. Passing DBL_MAX gives +inf and then NaN, which callers reject as
/// non-finite.
CERTBOUND_HOT double step_up_positive(double x, int steps) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  bits += static_cast<std::uint64_t>(steps);
  std::memcpy(&x, &bits, sizeof bits);
  return x;
}

CERTBOUND_HOT double round_down(const Rounded& r) {
  if (!r.known) [[unlikely]] { note_fallback(); return pred(r.value); }
  if (r.value == 0.0) [[unlikely]] return r.error == ErrorSign::below ? pred(r.value) : r.value;
  return step_if(r.value, r.error == ErrorSign::below, false);
}
CERTBOUND_HOT double round_up(const Rounded& r) {
  if (!r.known) [[unlikely]] { note_fallback(); return succ(r.value); }
  if (r.value == 0.0) [[unlikely]] return r.error == ErrorSign::above ? succ(r.value) : r.value;
  return step_if(r.value, r.error == ErrorSign::above, true);
}
CERTBOUND_HOT ErrorSign sign_of(double e) {
  return e > 0 ? ErrorSign::above : (e < 0 ? ErrorSign::below : ErrorSign::exact);
}
/// The same, computed without a branch. For residuals returned by an FMA call GCC would otherwise
/// branch on e (mispredicted half the time); inlined into TwoSum the form above folds better.
CERTBOUND_HOT ErrorSign sign_of_branchless(double e) {
  return static_cast<ErrorSign>(static_cast<int>(e > 0) - static_cast<int>(e < 0));
}

/// Overflow of a finite operation: the nearest result is ±inf, the exact value is finite.
/// Downward rounding of a positive overflow is DBL_MAX; upward rounding of a negative one is −DBL_MAX.
inline Rounded overflowed(double inf_result) {
  // exact value lies strictly between ±DBL_MAX and ±inf: pretend the rounded value is ±DBL_MAX
  // with the error pointing outward; round_up/round_down then step to ±inf or stay at ±DBL_MAX.
  return inf_result > 0 ? Rounded{kMax, ErrorSign::above, true} : Rounded{-kMax, ErrorSign::below, true};
}

/// Underflow of a product or quotient of nonzero finite operands to a signed zero: the exact value is
/// nonzero with the zero's sign (IEEE 754 §6.3) and |exact| <= denorm_min / 2, so the error points
/// away from zero. (A one-ulp fallback here would give [-denorm_min, denorm_min], e.g. a negative
/// lower bound for the square of a tiny number, which ops::sqrt then rejects.)
inline Rounded underflowed_to_zero(double zero) {
  return {zero, std::signbit(zero) ? ErrorSign::below : ErrorSign::above, true};
}

/// Sum: TwoSum (Knuth) is exact for every finite sum, including subnormal ones.
CERTBOUND_HOT Rounded sum(double a, double b) {
  const double s = a + b;
  if (!std::isfinite(s)) {
    if (std::isfinite(a) && std::isfinite(b)) return overflowed(s);
    return {s, ErrorSign::exact, true};  // an infinite operand: exact in the extended reals
  }
  const double bb = s - a;
  const double err = (a - (s - bb)) + (b - bb);
  if (!std::isfinite(err)) return {s, ErrorSign::exact, false};
  return {s, sign_of(err), true};
}

CERTBOUND_HOT Rounded difference(double a, double b) { return sum(a, -b); }

/// Product: a·b − p is exact by one FMA while the product does not underflow.
CERTBOUND_HOT Rounded product(double a, double b) {
  const double p = a * b;
  if (!std::isfinite(p)) {
    if (std::isfinite(a) && std::isfinite(b)) return overflowed(p);
    return {p, ErrorSign::exact, true};
  }
  if (a == 0.0 || b == 0.0 || std::isinf(a) || std::isinf(b)) return {p, ErrorSign::exact, true};
  if (p == 0.0) return underflowed_to_zero(p);
  if (std::fabs(p) < kSafeTiny) return {p, ErrorSign::exact, false};
  return {p, sign_of_branchless(std::fma(a, b, -p)), true};
}

/// Quotient: a − q·b is exact by one FMA in the safe range; sign(a/b − q) = sign(residual)·sign(b).
CERTBOUND_HOT Rounded quotient(double a, double b) {
  const double q = a / b;
  if (std::isinf(b) || a == 0.0) return {q, ErrorSign::exact, true};  // 0 or a/±inf = ±0
  if (!std::isfinite(q)) {
    if (std::isfinite(a) && b != 0.0) return overflowed(q);
    return {q, ErrorSign::exact, true};
  }
  if (q == 0.0) return underflowed_to_zero(q);
  if (std::fabs(a) < kSafeTiny || std::fabs(q) < kSafeTiny || std::fabs(b) < kSafeTiny) {
    return {q, ErrorSign::exact, false};
  }
  const double residual = std::fma(-q, b, a);
  const ErrorSign s = sign_of_branchless(residual);
  return {q, b > 0 ? s : static_cast<ErrorSign>(-static_cast<int>(s)), true};
}

/// Square root: x − s² is exact by one FMA in the safe range.
CERTBOUND_HOT Rounded square_root(double x) {
  const double s = std::sqrt(x);
  if (x == 0.0 || std::isinf(x) || std::isnan(x)) return {s, ErrorSign::exact, true};
  if (x < kSafeTiny) return {s, ErrorSign::exact, false};
  return {s, sign_of_branchless(std::fma(-s, s, x)), true};
}

}  // namespace certbound::directed
