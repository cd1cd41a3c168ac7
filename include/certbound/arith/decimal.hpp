// Decimal input enclosed outward.
//
// "0.01" is the rational 1/100, not the double nearest to it (which is 2·10⁻¹⁹ larger); a
// certified computation that reads it must carry an enclosure. Strings are validated by a strict
// grammar (no hex, no inf/nan words, no trailing garbage) and converted by MPFR with directed
// rounding at the target precision.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "certbound/arith/enclosure.hpp"
#include "certbound/arith/input_error.hpp"

namespace certbound {

/// Bad numeric text; the message names the text.
struct ParseError : InputError {
  using InputError::InputError;
};

/// True for [+-]digits[.digits][(e|E)[+-]digits] (a leading or trailing dot allowed with digits on
/// the other side). Hexadecimal floats (0x1.8p-3) are accepted too: they are exact.
bool is_decimal_literal(std::string_view text);

/// Enclosure of the decimal number `text` at `bits` of precision (lower end rounded down, upper
/// end rounded up; both equal when the number is representable). Throws ParseError.
Enclosure parse_enclosure(std::string_view text, unsigned bits = 53);

/// Round an enclosure outward into scalar type T (double: the nearest point, no guarantee).
template <class T>
T to_scalar(const Enclosure& e) {
  if constexpr (std::is_same_v<T, double>) {
    return e.mid_double();
  } else if constexpr (std::is_same_v<T, Interval>) {
    return Interval(e.lower_double(), e.upper_double());
  } else {
    T r;
    mpfi_interv_fr(r.backend().data(), e.lo.get(), e.hi.get());  // rounds outward
    return r;
  }
}

/// The decimal number `text` enclosed in T.
template <class T>
T parse_scalar(std::string_view text) {
  return to_scalar<T>(parse_enclosure(text, precision_bits<T>::value));
}

}  // namespace certbound
