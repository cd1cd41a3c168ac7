// Rigorous double bounds of exp(x) without MPFR on the common range |x| ≤ 700.
//
// Method (Cody & Waite reduction, Tang 1989; proved-error evaluation as in CRlibm's quick phase
// and kv's interval exp):
//   1. k = nearest integer to x/ln2 (|k| ≤ 1010); r = x − k·ln2 is formed as r_hi + r_lo plus a
//      bounded residue, with ln2 = L1 + L2 + L3 + L4: L1 (32 significant bits, fdlibm's ln2_hi)
//      and L2 (39 bits) make k·L1 and k·L2 exact, t = x − k·L1 is exact by Sterbenz's lemma
//      (k·L1/2 ≤ x ≤ 2·k·L1 for k ≠ 0; t = x for k = 0), t − k·L2 is split exactly by TwoSum,
//      |k·L3| < 2^-65 is rounded once (error < 2^-118) and |k·L4| < 2^10 · 2^-129.
//   2. exp(r) = 1 + r + r²/2 + r³·Q(r) with Q the Taylor polynomial of degree 10 (|r| ≤ 0.35):
//      the last two additions are error-free (TwoSum, FastTwoSum), and every remaining error is
//      bounded a priori (Higham, "Accuracy and Stability", §3.1 and §5.1; u = 2^-53), as
//      absolute errors on exp(r) ∈ [0.70, 1.42]:
//        truncation  Σ_{i≥14} 0.35^i/i!                          ≤ 0.044 u
//        Q (Estrin) γ₂₀ · Q(|r|) · |r|³ = 20u · 0.1824 · 0.0429  ≤ 0.157 u
//        coefficients 1/(j+3)! rounded to nearest: u·|r|³Q(|r|)   ≤ 0.008 u
//        r³ and r³·Q products: γ₃ · 0.0079                        ≤ 0.024 u
//        r² rounded (r² < 2^-3), halved                           ≤ 0.032 u
//        two additions forming `low` (|low| < 2^-6)               ≤ 0.016 u
//        the addition forming `mid` (|mid| < 2^-3)                ≤ 0.063 u
//        r_lo taken to first order: |r_lo|·(e^0.35 − 1.35) + ρ²   ≤ 0.035 u
//        k·L3, k·L4, rounding of r_lo, of r_lo·(1 + r_hi), of c   ≤ 0.001 u
//      total ≤ 0.38 u.
//   3. The bounds are the two neighbours of RN(v + c): |exp(r) − RN(v + c)| ≤ ½ulp + 0.38u is less
//      than the gap to either neighbour (see the code), so each bound is at most one ulp beyond the
//      correctly rounded one (what tests/test_arith_oracle.cpp requires) and no branch depends on
//      the data. Both are scaled by 2^k, exactly (|k| ≤ 1010: the result stays normal).
// Outside the range, for NaN/±inf, and in the (never observed) case that the reduced argument is
// not in [2^-400, 0.35], the endpoints come from MPFR, so every input has a rigorous bound.
// Point inputs get a width of at most 2 ulps (tests/test_fast_paths.cpp checks it against MPFR).
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "certbound/arith/directed.hpp"
#include "certbound/arith/mpfr_bounds.hpp"

namespace certbound::fast_exp {

struct Bounds {
  double lo, hi;
};

namespace detail {

inline constexpr double kInvLn2 = 0x1.71547652b82fep+0;
inline constexpr double kLn2Part1 = 0x1.62e42fee00000p-1;  // 32 significant bits
inline constexpr double kLn2Part2 = 0x1.a39ef35794000p-33;  // 39 significant bits
inline constexpr double kLn2Part3 = -0x1.c4c67fc0d0951p-76;  // ln2 − L1 − L2 − L3 < 2^-129
inline constexpr double kRoundingShift = 0x1.8p52;           // (y + 1.5·2^52) − 1.5·2^52 = rint(y)
inline constexpr double kFastRange = 700.0;
inline constexpr double kMaxReduced = 0.35;                  // ln2/2 + rounding of x/ln2
inline constexpr double kMinReduced = 0x1p-400;              // no underflow in r_hi², r_hi³

/// 1/(j+3)!, j = 0..10, rounded to nearest (their rounding is in the error budget).
inline constexpr double kTaylor[11] = {
    0x1.5555555555555p-3,  0x1.5555555555555p-5,  0x1.1111111111111p-7,  0x1.6c16c16c16c17p-10,
    0x1.a01a01a01a01ap-13, 0x1.a01a01a01a01ap-16, 0x1.71de3a556c734p-19, 0x1.27e4fb7789f5cp-22,
    0x1.ae64567f544e4p-26, 0x1.1eed8eff8d898p-29, 0x1.6124613a86d09p-33};

/// 2^k for a normal power of two (|k| ≤ 1022), exactly, by building its bits.
CERTBOUND_HOT double power_of_two(int k) {
  const std::uint64_t bits = static_cast<std::uint64_t>(k + 1023) << 52;
  double r;
  std::memcpy(&r, &bits, sizeof r);
  return r;
}

inline Bounds from_mpfr(double x) { return {mpfr_bounds::exp_down(x), mpfr_bounds::exp_up(x)}; }

}  // namespace detail

/// Lower and upper bound of exp(x) for a double x (both rigorous, at most 2 ulps apart for
/// |x| ≤ 700; MPFR's correctly rounded bounds elsewhere).
CERTBOUND_HOT Bounds enclose(double x) {
  using namespace detail;
  if (x == 0.0) return {1.0, 1.0};
  if (!(std::fabs(x) <= kFastRange)) return from_mpfr(x);  // also NaN and ±inf

  // 1. Reduction: x = k·ln2 + r_hi + r_lo + (tiny), all exact but the last two roundings.
  const double kd = (x * kInvLn2 + kRoundingShift) - kRoundingShift;
  const double t = x - kd * kLn2Part1;  // exact (k·L1 exact, Sterbenz)
  const double p = kd * kLn2Part2;      // exact
  const double r_hi = t - p;            // TwoSum(t, −p)
  const double t_back = r_hi - t;
  const double r_err = (t - (r_hi - t_back)) + (-p - t_back);
  const double r_lo = r_err - kd * kLn2Part3;
  const double r_abs = std::fabs(r_hi);
  if (!(r_abs <= kMaxReduced) || r_abs < kMinReduced) return from_mpfr(x);

  // 2. exp(r) ≈ 1 + r_hi + r_hi²/2 + r_hi³Q(r_hi) + r_lo(1 + r_hi).
  // Q(r_hi) by Estrin's scheme (short dependency chains); no term passes more than 8 roundings,
  // within the γ₂₀ of the budget.
  const double* tc = kTaylor;
  const double r2 = r_hi * r_hi, r4 = r2 * r2, r8 = r4 * r4;
  const double q01 = tc[0] + tc[1] * r_hi, q23 = tc[2] + tc[3] * r_hi, q45 = tc[4] + tc[5] * r_hi;
  const double q67 = tc[6] + tc[7] * r_hi, q89 = tc[8] + tc[9] * r_hi;
  const double q03 = q01 + q23 * r2, q47 = q45 + q67 * r2, q8a = q89 + tc[10] * r2;
  const double q = (q03 + q47 * r4) + q8a * r8;
  const double cube_q = (r2 * r_hi) * q;
  const double low = r_lo * (1.0 + r_hi) + cube_q;
  const double mid = r2 * 0.5 + low;
  const double h = r_hi + mid;  // TwoSum(r_hi, mid)
  const double h_back = h - r_hi;
  const double h_err = (r_hi - (h - h_back)) + (mid - h_back);
  const double v = 1.0 + h;  // FastTwoSum(1, h): |h| < 1
  const double v_err = h - (v - 1.0);
  const double c = v_err + h_err;  // 1 + r_hi + mid = v + v_err + h_err exactly

  // 3. One step outward from the nearest double to v + c, then the exact scaling by 2^k.
  // |exp(r) − (v + c)| ≤ 0.38u and v + c ∈ [0.70, 1.42], so |exp(r) − RN(v + c)| ≤ ½ulp + 0.38u,
  // which is less than the gap to either neighbour of RN(v + c) (u below 1, 2u from 1 on; at
  // exactly 1 the gap below is u, but then v + c ≥ 1 − u/2 and exp(r) ≥ 1 − 0.88u). No branch on
  // the data: the sign of a rounding error is a coin flip that a branch predictor cannot learn.
  const double nearest = v + c;
  const double scale = power_of_two(static_cast<int>(kd));
  return {directed::pred(nearest) * scale, directed::succ(nearest) * scale};
}

inline double exp_down(double x) { return enclose(x).lo; }
inline double exp_up(double x) { return enclose(x).hi; }

}  // namespace certbound::fast_exp
