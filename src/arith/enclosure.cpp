#include "certbound/arith/enclosure.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace certbound {

std::string to_decimal(const BigFloat& b, mpfr_rnd_t dir, int digits) {
  if (b.is_nan()) return "nan";
  if (mpfr_inf_p(b.get())) return b.sign() > 0 ? "inf" : "-inf";
  if (mpfr_zero_p(b.get())) return "0";
  // mpfr_snprintf rounds the decimal conversion itself in the direction given (R<dir>e).
  const char* fmt = dir == MPFR_RNDD ? "%.*RDe" : (dir == MPFR_RNDU ? "%.*RUe" : "%.*RNe");
  const int n = mpfr_snprintf(nullptr, 0, fmt, digits - 1, b.get());
  std::vector<char> buf(static_cast<size_t>(n) + 1);
  mpfr_snprintf(buf.data(), buf.size(), fmt, digits - 1, b.get());
  return std::string(buf.data(), static_cast<size_t>(n));
}

std::string to_hex(const BigFloat& b) {
  if (b.is_nan()) return "nan";
  if (mpfr_inf_p(b.get())) return b.sign() > 0 ? "inf" : "-inf";
  if (b.precision() <= 53) {
    const double d = b.to_double(MPFR_RNDN);  // exact: at most 53 bits
    char buf[64];
    std::snprintf(buf, sizeof buf, "%a", d);
    return buf;
  }
  const int n = mpfr_snprintf(nullptr, 0, "%Ra", b.get());
  std::vector<char> buf(static_cast<size_t>(n) + 1);
  mpfr_snprintf(buf.data(), buf.size(), "%Ra", b.get());
  return std::string(buf.data(), static_cast<size_t>(n));
}

double Enclosure::width_up() const {
  if (has_nan()) return std::numeric_limits<double>::infinity();
  BigFloat w(53);
  mpfr_sub(w.get(), hi.get(), lo.get(), MPFR_RNDU);
  return w.to_double(MPFR_RNDU);
}

double Enclosure::mid_double() const {
  if (has_nan()) return std::numeric_limits<double>::quiet_NaN();
  BigFloat m(std::max(lo.precision(), hi.precision()) + 1);
  mpfr_add(m.get(), lo.get(), hi.get(), MPFR_RNDN);
  mpfr_div_2ui(m.get(), m.get(), 1, MPFR_RNDN);
  return m.to_double(MPFR_RNDN);
}

Enclosure Enclosure::log10() const {
  const mpfr_prec_t p = std::max<mpfr_prec_t>(53, std::max(lo.precision(), hi.precision()));
  Enclosure r{BigFloat(p), BigFloat(p)};
  if (!certainly_positive()) return r;  // NaN: no information
  mpfr_log10(r.lo.get(), lo.get(), MPFR_RNDD);
  mpfr_log10(r.hi.get(), hi.get(), MPFR_RNDU);
  return r;
}

std::string Enclosure::str(int digits) const {
  auto [a, b] = decimal(digits);
  return "[" + a + ", " + b + "]";
}

BigFloat Enclosure::mid() const {
  BigFloat m(std::max(lo.precision(), hi.precision()) + 1);
  mpfr_add(m.get(), lo.get(), hi.get(), MPFR_RNDN);
  mpfr_div_2ui(m.get(), m.get(), 1, MPFR_RNDN);
  return m;
}

}  // namespace certbound
