#include "certbound/arith/decimal.hpp"

#include <cctype>

namespace certbound {

namespace {
bool digits(std::string_view s, size_t& i) {
  const size_t start = i;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
  return i > start;
}
bool hex_digits(std::string_view s, size_t& i) {
  const size_t start = i;
  while (i < s.size() && std::isxdigit(static_cast<unsigned char>(s[i]))) ++i;
  return i > start;
}
/// True when the exponent field of a valid literal (after e/E, or p/P for hexadecimal) has more
/// than `kMaxExponentDigits` significant digits. MPFR (4.1) computes the scale of such a literal
/// in a machine integer that overflows: "0.0…01813e-40011000000000000000000" comes back as
/// [2.1e+323228496, +inf], which does not contain the number.
constexpr size_t kMaxExponentDigits = 6;
bool exponent_too_long(std::string_view s) {
  const bool hex = s.find_first_of("xX") != std::string_view::npos;
  const size_t mark = s.find_first_of(hex ? "pP" : "eE");
  if (mark == std::string_view::npos) return false;
  size_t i = mark + 1;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  while (i < s.size() && s[i] == '0') ++i;
  return s.size() - i > kMaxExponentDigits;
}
}  // namespace

bool is_decimal_literal(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (s.size() - i > 2 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
    i += 2;
    bool mant = hex_digits(s, i);
    if (i < s.size() && s[i] == '.') {
      ++i;
      mant = hex_digits(s, i) || mant;
    }
    if (!mant || i >= s.size() || (s[i] != 'p' && s[i] != 'P')) return false;
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    return digits(s, i) && i == s.size();
  }
  bool mant = digits(s, i);
  if (i < s.size() && s[i] == '.') {
    ++i;
    mant = digits(s, i) || mant;
  }
  if (!mant) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits(s, i)) return false;
  }
  return i == s.size();
}

Enclosure parse_enclosure(std::string_view text, unsigned bits) {
  // Trim surrounding blanks only.
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (!is_decimal_literal(text)) {
    throw ParseError("not a number: '" + std::string(text.substr(0, 40)) + "'");
  }
  // |exponent| < 10^6 keeps MPFR's scaling exact (binary64 needs |exponent| ≤ 1074 anyway).
  if (exponent_too_long(text)) throw ParseError("number out of range: '" + std::string(text.substr(0, 40)) + "'");
  const std::string s(text);
  Enclosure e{BigFloat(bits), BigFloat(bits)};
  const int base = 0;  // 0: MPFR accepts decimal and 0x... hexadecimal
  mpfr_strtofr(e.lo.get(), s.c_str(), nullptr, base, MPFR_RNDD);
  mpfr_strtofr(e.hi.get(), s.c_str(), nullptr, base, MPFR_RNDU);
  if (bits == 53) {
    // Keep the binary64 exponent range: a literal beyond DBL_MAX or below the subnormals must
    // become ±inf / ±DBL_MAX / 0 in the same direction when later converted to double.
    if (mpfr_inf_p(e.lo.get()) || mpfr_inf_p(e.hi.get())) {
      // MPFR's exponent range is wider than binary64; infinities here mean an absurd literal.
      throw ParseError("number out of range: '" + s.substr(0, 40) + "'");
    }
  }
  return e;
}

}  // namespace certbound
