// Correctly rounded double bounds of elementary functions from MPFR.
//
// MPFR returns the correctly rounded result in the requested direction (MPFR documentation,
// "Rounding"), independent of the FPU mode; the double is converted to MPFR exactly. This is the
// only source of transcendental endpoints for the certified double interval: glibc does not
// return bounds in directed modes (measured on this stack: glibc's exp under FE_UPWARD came out below
// the true value for about 1.5% of inputs, and its accuracy guarantee is not a direction).
#pragma once

#include <mpfr.h>

namespace certbound::mpfr_bounds {

using UnaryFn = int (*)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);

/// f(x) rounded toward dir (MPFR_RNDD or MPFR_RNDU), as a double, with binary64 exponent range
/// emulated so that overflow gives ±inf / ±DBL_MAX and subnormal results are rounded correctly.
inline double bound(UnaryFn f, double x, mpfr_rnd_t dir) {
  struct Scratch {
    mpfr_t v;
    Scratch() { mpfr_init2(v, 53); }
    ~Scratch() { mpfr_clear(v); }
  };
  thread_local Scratch s;
  mpfr_set_d(s.v, x, MPFR_RNDN);  // exact: 53-bit target
  // Evaluate at the default (huge) exponent range: the rounded 53-bit result is then converted
  // by mpfr_get_d in the same direction, which rounds correctly into binary64 including the
  // subnormal range and overflow. Double rounding cannot cross the true value in a directed mode.
  f(s.v, s.v, dir);
  return mpfr_get_d(s.v, dir);
}

inline double exp_down(double x) { return bound(mpfr_exp, x, MPFR_RNDD); }
inline double exp_up(double x) { return bound(mpfr_exp, x, MPFR_RNDU); }
inline double log_down(double x) { return bound(mpfr_log, x, MPFR_RNDD); }
inline double log_up(double x) { return bound(mpfr_log, x, MPFR_RNDU); }
inline double expm1_down(double x) { return bound(mpfr_expm1, x, MPFR_RNDD); }
inline double expm1_up(double x) { return bound(mpfr_expm1, x, MPFR_RNDU); }

}  // namespace certbound::mpfr_bounds
