// Test helpers: an independent high-precision oracle (Arb) and hex printing of inputs.
#pragma once

#include <arb.h>
#include <doctest/doctest.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

#include "certbound/arith/enclosure.hpp"

namespace certbound::test {

/// "%a" of a double, for CAPTURE/INFO.
inline std::string hex(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}

/// RAII Arb ball.
struct Ball {
  arb_t b;
  Ball() { arb_init(b); }
  explicit Ball(double v) { arb_init(b); arb_set_d(b, v); }
  Ball(const Ball& o) { arb_init(b); arb_set(b, o.b); }
  Ball& operator=(const Ball& o) { arb_set(b, o.b); return *this; }
  ~Ball() { arb_clear(b); }
};

/// The Arb ball lies inside the enclosure [lo, hi] (lo <= ball lower bound, ball upper <= hi).
inline bool encloses(const Enclosure& e, const Ball& ball) {
  if (e.has_nan()) return false;
  arf_t lb, ub;
  arf_init(lb);
  arf_init(ub);
  arb_get_lbound_arf(lb, ball.b, 2048);
  arb_get_ubound_arf(ub, ball.b, 2048);
  mpfr_t l, u;
  mpfr_init2(l, 2048);
  mpfr_init2(u, 2048);
  arf_get_mpfr(l, lb, MPFR_RNDD);
  arf_get_mpfr(u, ub, MPFR_RNDU);
  const bool ok = mpfr_cmp(e.lo.get(), l) <= 0 && mpfr_cmp(u, e.hi.get()) <= 0 &&
                  arb_is_finite(ball.b);
  mpfr_clear(l);
  mpfr_clear(u);
  arf_clear(lb);
  arf_clear(ub);
  return ok;
}

/// Uniform double in [0, 1) from raw engine bits (portable, unlike std distributions).
inline double unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }
inline double uniform(std::mt19937_64& rng, double a, double b) { return a + (b - a) * unit(rng); }

}  // namespace certbound::test
