// Exact sums of double products, rounded once to a multiprecision number.
//
// A product a·b of doubles is exactly RN(a·b) + (a·b − RN(a·b)), the second part from one FMA.
// The exact sum of such parts is split into a few doubles by Rump, Ogita and Oishi's error-free
// extraction ("Accurate floating-point summation part I: faithful rounding", SIAM J. Sci. Comput.
// 31 (2008), Algorithm 3.2 ExtractVector and Lemma 3.3): for σ = 2^k ≥ 2^M·max|pᵢ| with
// 2^M ≥ n + 2, every qᵢ = (σ + pᵢ) − σ and pᵢ − qᵢ is exact, and so is τ = Σ qᵢ in any order.
// Repeating on the remainders until they vanish gives the exact sum as τ₁ + τ₂ + … (a handful
// of doubles), which mpfr_sum rounds correctly, downward or upward: the tightest enclosure, for a
// few branch-free double operations per term instead of two MPFR calls.
//
// Exactness needs every product residual to be exact and nothing to overflow: each product is
// zero or has 2^-900 ≤ |RN(a·b)| ≤ 2^1000, and there are at most 2^20 terms. ExactDot reports
// `exact() == false` otherwise (also for NaN or infinite operands), and the caller takes another
// path.
#pragma once

#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace certbound::expansion {

/// The exact sum of products of doubles, collected term by term and rounded at the end.
class ExactDot {
 public:
  static constexpr double kMinProduct = 0x1p-900;  // residual a·b − RN(a·b) exact above this
  static constexpr double kMaxProduct = 0x1p1000;  // with ≤ 2^20 terms, σ and τ stay finite
  static constexpr std::size_t kMaxTerms = std::size_t{1} << 20;

  void reset() {
    terms_.clear();
    exact_ = true;
  }

  /// Adds a·b exactly (or marks the sum as not exact; later terms are then ignored).
  void add_product(double a, double b) {
    if (!exact_) return;
    const double p = a * b;
    if (p == 0.0 && (a == 0.0 || b == 0.0)) return;  // an exact zero term
    const double magnitude = std::fabs(p);
    if (!(magnitude >= kMinProduct && magnitude <= kMaxProduct) || terms_.size() + 2 > kMaxTerms) {
      exact_ = false;  // underflow, overflow, NaN or too many terms
      return;
    }
    terms_.push_back(p);
    terms_.push_back(std::fma(a, b, -p));  // exact residual
  }

  bool exact() const { return exact_; }

  /// The exact sum rounded to `rop`'s precision in direction `rnd` (correctly rounded). Returns
  /// MPFR's ternary value: 0 when `rop` equals the exact sum. Consumes the terms.
  int round_to(mpfr_ptr rop, mpfr_rnd_t rnd) {
    extract_exact_parts();
    if (parts_.empty()) {
      mpfr_set_zero(rop, 1);
      return 0;
    }
    if (parts_.size() == 1) return mpfr_set_d(rop, parts_[0], rnd);
    numbers_.resize(parts_.size());
    pointers_.resize(parts_.size());
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      mpfr_custom_init_set(numbers_[i].value, MPFR_ZERO_KIND, 0, 53, numbers_[i].limbs);
      mpfr_set_d(numbers_[i].value, parts_[i], MPFR_RNDN);  // exact: 53 bits
      pointers_[i] = numbers_[i].value;
    }
    return mpfr_sum(rop, pointers_.data(), pointers_.size(), rnd);
  }

 private:
  /// One 53-bit MPFR number in caller-owned storage (mpfr_custom_*: no allocation per part).
  struct Number {
    mp_limb_t limbs[(53 + GMP_NUMB_BITS - 1) / GMP_NUMB_BITS];
    __mpfr_struct value[1];
  };

  /// parts_ = τ₁, τ₂, … with Σ τₖ = Σ terms exactly (ExtractVector until the remainders vanish;
  /// each pass takes at least 53 − M − 1 leading bits, so passes ≤ 2100 / 31 for ≤ 2^20 terms).
  void extract_exact_parts() {
    parts_.clear();
    const double n = static_cast<double>(terms_.size());
    int m = 0;
    while (std::ldexp(1.0, m) < n + 2) ++m;
    for (;;) {
      const double largest = largest_magnitude();
      if (largest == 0) return;
      int e = 0;
      std::frexp(largest, &e);                      // largest < 2^e
      const double sigma = std::ldexp(1.0, m + e);  // ≥ 2^M · max|pᵢ|, a power of two
      // Every partial sum of the qᵢ is a multiple of eps·σ of magnitude ≤ σ, hence a double: two
      // independent accumulators are exact too, and do not wait on each other's additions.
      double tau0 = 0, tau1 = 0;
      double* t = terms_.data();
      const std::size_t size = terms_.size();  // even: two parts per product
      for (std::size_t i = 0; i < size; i += 2) {
        const double q0 = (sigma + t[i]) - sigma;  // exact (Lemma 3.3); never simplified: no fast-math
        const double q1 = (sigma + t[i + 1]) - sigma;
        t[i] -= q0;  // exact
        t[i + 1] -= q1;
        tau0 += q0;
        tau1 += q1;
      }
      const double total = tau0 + tau1;  // exact, as above
      if (total != 0) parts_.push_back(total);
    }
  }

  /// maxᵢ |termᵢ|, with two independent running maxima (the terms come in pairs).
  double largest_magnitude() const {
    double best0 = 0, best1 = 0;
    for (std::size_t i = 0; i < terms_.size(); i += 2) {
      best0 = std::max(best0, std::fabs(terms_[i]));
      best1 = std::max(best1, std::fabs(terms_[i + 1]));
    }
    return std::max(best0, best1);
  }

  std::vector<double> terms_, parts_;
  std::vector<Number> numbers_;
  std::vector<mpfr_ptr> pointers_;
  bool exact_ = true;
};

}  // namespace certbound::expansion
