// Precision escalation: evaluate one templated computation at increasing precision until a
// predicate on its enclosure is decided.
//
// The ladder is double interval (53 bits) → 128 → 257 → 1025 bits (MPFI). A DomainError at one
// level (e.g. a log argument that is not certainly positive because of rounding) counts as
// "not decided" there and the next level is tried.
#pragma once

#include <string>
#include <type_traits>

#include "certbound/arith/enclosure.hpp"

namespace certbound {

/// The result of an escalated evaluation.
struct Escalated {
  Enclosure value;       ///< enclosure from the last level tried
  unsigned bits = 53;    ///< precision of that level
  bool decided = false;  ///< whether the predicate was decided
  std::string note;      ///< last DomainError message, if any
};

/// Precisions of the ladder, in bits, in order.
inline constexpr unsigned kLadderBits[] = {53, 128, 257, 1025};

namespace detail {
template <class T, class F, class Decided>
bool escalation_step(F& f, Decided& decided, Escalated& out) {
  try {
    out.value = f(std::type_identity<T>{});
    out.bits = precision_bits<T>::value;
    out.decided = decided(out.value);
  } catch (const DomainError& e) {
    out.value = Enclosure{};
    out.bits = precision_bits<T>::value;
    out.decided = false;
    out.note = e.what();
  }
  return out.decided;
}
}  // namespace detail

/// f: a generic callable taking std::type_identity<T> and returning an Enclosure computed in T.
/// decided: predicate on an Enclosure. Stops at the first level where decided() is true, or at
/// the highest level not above max_bits (the double level is always tried).
template <class F, class Decided>
Escalated escalate(F&& f, Decided&& decided, unsigned max_bits = 1025) {
  Escalated out;
  if (detail::escalation_step<Interval>(f, decided, out)) return out;
  if (max_bits < precision_bits<Mp128>::value) return out;
  if (detail::escalation_step<Mp128>(f, decided, out)) return out;
  if (max_bits < precision_bits<Mp257>::value) return out;
  if (detail::escalation_step<Mp257>(f, decided, out)) return out;
  if (max_bits < precision_bits<Mp1025>::value) return out;
  detail::escalation_step<Mp1025>(f, decided, out);
  return out;
}

}  // namespace certbound
