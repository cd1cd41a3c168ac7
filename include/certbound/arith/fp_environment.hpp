// Floating-point environment guard.
//
// Every enclosure in certbound assumes IEEE binary64 arithmetic in round-to-nearest with
// gradual underflow. A library linked with -ffast-math sets FTZ/DAZ at start-up (crtfastmath.o)
// and silently breaks every bound near underflow; a stray fesetround breaks the error-free
// transformations. So every binary checks the environment before doing any work.
#pragma once

#include <cfenv>
#include <cfloat>
#include <stdexcept>
#include <string>

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#endif

static_assert(FLT_EVAL_METHOD == 0, "certbound needs SSE2 doubles (no x87 excess precision)");

namespace certbound {

/// Throws std::runtime_error naming the problem when the environment cannot support certified
/// arithmetic: rounding mode not to-nearest, or flush-to-zero / denormals-are-zero enabled.
inline void check_fp_environment() {
  if (std::fegetround() != FE_TONEAREST) {
    throw std::runtime_error("floating-point rounding mode is not round-to-nearest");
  }
#if defined(__x86_64__) || defined(__i386__)
  constexpr unsigned ftz_bit = 1u << 15, daz_bit = 1u << 6;
  if (_mm_getcsr() & (ftz_bit | daz_bit)) {
    throw std::runtime_error("FTZ/DAZ is set in MXCSR (was something linked with -ffast-math?)");
  }
#endif
  volatile double tiny = 0x1p-1074;  // smallest subnormal must survive a round trip
  if (tiny * 0.5 != 0.0 && tiny * 0.5 != tiny) {
    throw std::runtime_error("subnormal arithmetic is not IEEE");
  }
  volatile double third = 1.0 / 3.0;
  if (third * 3.0 != 1.0) {  // 1/3 rounded to nearest times 3 rounds back to 1 in binary64
    throw std::runtime_error("binary64 arithmetic does not round to nearest");
  }
}

}  // namespace certbound
