// Multiprecision intervals: Boost.Multiprecision over MPFI.
//
// Precision is part of the type (Boost 1.74's variable-precision default is one process-wide
// static, unsafe with threads), so the escalation ladder is a fixed set of types. Boost specifies
// precision in decimal digits; the resulting binary precisions are 128, 257 and 1025 bits.
// MPFI primitives (+ − × ÷ √ exp log expm1) are rigorous. Relational operators on overlapping
// mpfi values call std::terminate (a throw inside noexcept): certbound never uses them, all
// comparisons go through predicates.hpp on endpoints.
#pragma once

#include <boost/multiprecision/mpfi.hpp>

namespace certbound {

template <unsigned Digits10>
using MpIntervalDigits =
    boost::multiprecision::number<boost::multiprecision::mpfi_float_backend<Digits10>,
                                  boost::multiprecision::et_off>;

// Named by the binary precision they hold (static_asserts below).
using Mp128 = MpIntervalDigits<38>;
using Mp257 = MpIntervalDigits<77>;
using Mp1025 = MpIntervalDigits<308>;

/// Binary precision (bits) of a scalar type: 53 for double-based types.
template <class T>
struct precision_bits {
  static constexpr unsigned value = 53;
};
template <unsigned D>
struct precision_bits<MpIntervalDigits<D>> {
  static constexpr unsigned value = D * 1000 / 301 + ((D * 1000) % 301 ? 2 : 1);
};
static_assert(precision_bits<Mp128>::value == 128);
static_assert(precision_bits<Mp257>::value == 257);
static_assert(precision_bits<Mp1025>::value == 1025);

template <class T>
inline constexpr bool is_mp_interval_v = false;
template <unsigned D>
inline constexpr bool is_mp_interval_v<MpIntervalDigits<D>> = true;

}  // namespace certbound
