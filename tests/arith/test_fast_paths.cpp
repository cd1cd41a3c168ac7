// Soundness and tightness of the fast certified paths against MPFR at high precision.
//
// fast_exp (arith/fast_exp.hpp): ≥ 10^5 point inputs per distribution (the whole fast range, near
// multiples of ln2, tiny and huge magnitudes, the MPFR ranges beyond ±700: overflow at 709.78,
// subnormal results, −745, −inf, ±0), each bound checked against exp(x) rounded down/up at 256
// bits, and on |x| ≤ 700 at most 3 ulps apart (an implementation without its error term, or with
// a wrong reduction constant, fails both). Interval exp on random and wide intervals.
// Midpoint-radius products (linalg/products.hpp): ≥ 10^5 dot products against exact sums (MPFR
// at 4400 bits holds every sum of products of doubles exactly), with adversarial cancellation,
// magnitudes from 2^-1074 to 2^500, thin × thin, thin × thick and thick × thin, plus a width
// bound; the Gram matrix AᵀA and A·x (thin and thick x) of random thin matrices. Mp257: matvec of
// points (directed FMAs), matvec of doubles (exact sums rounded once: the tightest enclosure,
// checked bit for bit), and exp of narrow intervals with one MPFR exponential.
// Inputs are printed in hex on failure.
#include <doctest/doctest.h>
#include <mpfr.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "certbound/arith/fast_exp.hpp"
#include "certbound/arith/mp_memory.hpp"
#include "certbound/arith/ops.hpp"
#include "certbound/linalg/products.hpp"
#include "certbound/oracle/arb.hpp"

namespace {

using certbound::Interval;
using certbound::Mat;
using certbound::Vec;
using certbound::oracle::hex;
using certbound::oracle::uniform;
using certbound::oracle::unit;
namespace fast_exp = certbound::fast_exp;

constexpr std::uint64_t kSeed = 0xfa57e7a1ULL;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kDenorm = std::numeric_limits<double>::denorm_min();


/// RAII mpfr_t.
struct Big {
  mpfr_t v;
  explicit Big(mpfr_prec_t p) { mpfr_init2(v, p); }
  ~Big() { mpfr_clear(v); }
  Big(const Big&) = delete;
  Big& operator=(const Big&) = delete;
};

/// Number of doubles from lo up to hi (both finite and of one sign), i.e. hi − lo in ulps.
std::int64_t ulps_apart(double lo, double hi) {
  std::int64_t a, b;
  std::memcpy(&a, &lo, sizeof a);
  std::memcpy(&b, &hi, sizeof b);
  return b - a;
}

/// lo ≤ exp(x) ≤ hi, decided with exp(x) rounded outward at 256 bits.
bool exp_enclosed(double x, double lo, double hi) {
  Big down(256), up(256);
  mpfr_set_d(down.v, x, MPFR_RNDN);
  mpfr_set_d(up.v, x, MPFR_RNDN);
  mpfr_exp(down.v, down.v, MPFR_RNDD);
  mpfr_exp(up.v, up.v, MPFR_RNDU);
  return lo <= hi && mpfr_cmp_d(down.v, lo) >= 0 && mpfr_cmp_d(up.v, hi) <= 0;
}

void check_point_exp(double x) {
  const fast_exp::Bounds b = fast_exp::enclose(x);
  const bool enclosed = exp_enclosed(x, b.lo, b.hi);
  const bool tight = !(std::fabs(x) <= 700.0) || ulps_apart(b.lo, b.hi) <= 2;  // one step each side
  if (!enclosed || !tight) {
    CAPTURE(hex(x));
    CAPTURE(hex(b.lo));
    CAPTURE(hex(b.hi));
    CHECK(enclosed);
    CHECK(tight);
  }
}

TEST_CASE("fast exp: edge cases are enclosed, overflow and underflow included") {
  const double ln2 = 0x1.62e42fefa39efp-1;
  const std::vector<double> edges = {
      0.0, -0.0, kDenorm, -kDenorm, 0x1p-1022, -0x1p-1022, 0x1p-400, -0x1p-400, 0x1.fffffffffffffp-401,
      0x1p-60, -0x1p-60, 0x1p-26, 1.0, -1.0, ln2, -ln2, ln2 / 2, -ln2 / 2, 0.35, -0.35, 0.34657359027997264,
      -0.34657359027997264, 700.0, -700.0, 0x1.5e00000000001p9, -0x1.5e00000000001p9, 708.39, 709.0,
      709.782712893383973096, 0x1.62e42fefa39efp9, 0x1.62e42fefa39f0p9, 709.79, 710.0, 1000.0, 1e308,
      std::numeric_limits<double>::max(), -708.39, -708.4, -709.0, -730.0, -744.44007192138126,
      -745.13321910194110, -745.1332191019412, -745.2, -746.0, -1e4, -1e308, -std::numeric_limits<double>::max(),
      kInf, -kInf};
  for (double x : edges) check_point_exp(x);
  // Beyond the binary64 range: [DBL_MAX, +inf]; below the smallest subnormal: [0, denorm_min].
  CHECK(fast_exp::enclose(710.0).lo == std::numeric_limits<double>::max());
  CHECK(fast_exp::enclose(710.0).hi == kInf);
  CHECK(fast_exp::enclose(-746.0).lo == 0.0);
  CHECK(fast_exp::enclose(-746.0).hi == kDenorm);
  CHECK(fast_exp::enclose(0.0).lo == 1.0);
  CHECK(fast_exp::enclose(0.0).hi == 1.0);
  CHECK(fast_exp::enclose(-kInf).lo == 0.0);
  CHECK(fast_exp::enclose(kInf).hi == kInf);
}

TEST_CASE("fast exp: 10^5 random points over the fast range, within 2 ulps") {
  std::mt19937_64 rng(kSeed);
  for (int i = 0; i < 100000; ++i) check_point_exp(uniform(rng, -700.0, 700.0));
}

TEST_CASE("fast exp: 10^5 points near multiples of ln2 and of small magnitude") {
  std::mt19937_64 rng(kSeed + 1);
  const double ln2 = 0x1.62e42fefa39efp-1;
  for (int i = 0; i < 50000; ++i) {  // x = k·ln2 (+ a few ulps): reduced argument near 0
    const double k = std::floor(uniform(rng, -1009.0, 1010.0));
    double x = k * ln2;
    const int steps = static_cast<int>(rng() % 9) - 4;
    for (int s = 0; s < std::abs(steps); ++s) x = steps > 0 ? std::nextafter(x, kInf) : std::nextafter(x, -kInf);
    check_point_exp(x);
    check_point_exp((k + 0.5) * ln2);  // reduced argument near ±ln2/2
  }
  for (int i = 0; i < 50000; ++i) {  // tiny and moderate magnitudes, both signs
    const double e = uniform(rng, -1074.0, 9.4);
    check_point_exp((rng() & 1 ? -1.0 : 1.0) * std::ldexp(1.0 + unit(rng), static_cast<int>(std::floor(e))));
  }
}

TEST_CASE("fast exp: 10^5 points beyond ±700 (MPFR range: overflow, subnormal results)") {
  std::mt19937_64 rng(kSeed + 2);
  for (int i = 0; i < 100000; ++i) {
    const double x = (i % 2) ? uniform(rng, 700.0, 712.0) : uniform(rng, -760.0, -700.0);
    check_point_exp(x);
  }
}

TEST_CASE("fast exp: 10^5 intervals (points, narrow, wide, unbounded) enclose exp at both ends") {
  std::mt19937_64 rng(kSeed + 3);
  for (int i = 0; i < 100000; ++i) {
    double a = uniform(rng, -760.0, 712.0), b;
    switch (i % 4) {
      case 0: b = a; break;
      case 1: b = std::nextafter(std::nextafter(a, kInf), kInf); break;
      case 2: b = a + uniform(rng, 0.0, 50.0); break;
      default: b = kInf; if (rng() & 1) { b = a; a = -kInf; } break;
    }
    const Interval r = certbound::ops::exp(Interval(a, b));
    const bool ok = (a == -kInf ? r.lower() == 0.0 : exp_enclosed(a, r.lower(), kInf)) &&
                    (b == kInf ? r.upper() == kInf : exp_enclosed(b, 0.0, r.upper()));
    if (!ok) {
      CAPTURE(hex(a));
      CAPTURE(hex(b));
      CAPTURE(hex(r.lower()));
      CAPTURE(hex(r.upper()));
      CHECK(ok);
    }
  }
}

// ---- midpoint-radius products ------------------------------------------------------------------

/// Exact Σ lᵢ·rᵢ over doubles in MPFR (4400 bits hold any such sum of up to 2^40 terms exactly).
struct ExactDot {
  Big sum{4400}, term{4400};
  void reset() { mpfr_set_zero(sum.v, 1); }
  void add(double a, double b) {
    mpfr_set_d(term.v, a, MPFR_RNDN);
    mpfr_mul_d(term.v, term.v, b, MPFR_RNDN);  // exact at 4400 bits
    mpfr_add(sum.v, sum.v, term.v, MPFR_RNDN);  // exact
  }
  bool at_least(double lo) const { return mpfr_cmp_d(sum.v, lo) >= 0; }
  bool at_most(double hi) const { return mpfr_cmp_d(sum.v, hi) <= 0; }
};

/// A double of random magnitude 2^[emin, emax] (subnormal when below −1022) and random sign.
double magnitude(std::mt19937_64& rng, int emin, int emax) {
  const int e = emin + static_cast<int>(rng() % static_cast<std::uint64_t>(emax - emin + 1));
  return (rng() & 1 ? -1.0 : 1.0) * std::ldexp(1.0 + unit(rng), e);
}

/// Entries for one random test matrix: ordinary, huge/tiny mixtures, or cancelling pairs.
double random_entry(std::mt19937_64& rng, int style) {
  switch (style) {
    case 0: return uniform(rng, -1.0, 1.0);
    case 1: return magnitude(rng, -1074, 500);
    case 2: return magnitude(rng, -540, -500);  // products underflow
    default: return magnitude(rng, -30, 30);
  }
}

std::string describe(const Eigen::MatrixXd& m) {
  std::string s;
  for (Eigen::Index i = 0; i < m.size(); ++i) s += hex(m.data()[i]) + " ";
  return s;
}

/// One random product L·R (k inner), with a given factor thick; checks every entry's enclosure of
/// the exact range (the hull over the interval factor's vertices, taken entrywise by sign) and
/// the width bound of the thin × thin case. Returns the number of dot products checked.
int check_random_product(std::mt19937_64& rng, int rows, int k, int cols, int style, int thick) {
  Eigen::MatrixXd l_lo(rows, k), l_hi(rows, k), r_lo(k, cols), r_hi(k, cols);
  for (Eigen::Index i = 0; i < l_lo.size(); ++i) l_lo.data()[i] = l_hi.data()[i] = random_entry(rng, style);
  for (Eigen::Index i = 0; i < r_lo.size(); ++i) r_lo.data()[i] = r_hi.data()[i] = random_entry(rng, style);
  if (style == 3) {  // cancellation: every second column of L negates the previous one (± an ulp)
    for (Eigen::Index j = 1; j < k; j += 2)
      for (Eigen::Index i = 0; i < rows; ++i) l_lo(i, j) = l_hi(i, j) = -std::nextafter(l_lo(i, j - 1), kInf);
    for (Eigen::Index j = 1; j < k; j += 2)
      for (Eigen::Index c = 0; c < cols; ++c) r_lo(j, c) = r_hi(j, c) = r_lo(j - 1, c);
  }
  Eigen::MatrixXd& thick_lo = thick == 1 ? l_lo : r_lo;
  Eigen::MatrixXd& thick_hi = thick == 1 ? l_hi : r_hi;
  if (thick != 0)
    for (Eigen::Index i = 0; i < thick_lo.size(); ++i) {
      const double w = std::fabs(thick_lo.data()[i]) * std::ldexp(1.0, -static_cast<int>(rng() % 60));
      thick_hi.data()[i] = thick_lo.data()[i] + w;
      if (!std::isfinite(thick_hi.data()[i])) thick_hi.data()[i] = thick_lo.data()[i];
    }
  Mat<Interval> l(rows, k), r(k, cols);
  for (Eigen::Index i = 0; i < l.size(); ++i) l.data()[i] = Interval(l_lo.data()[i], l_hi.data()[i]);
  for (Eigen::Index i = 0; i < r.size(); ++i) r.data()[i] = Interval(r_lo.data()[i], r_hi.data()[i]);

  const auto fast = certbound::linalg::detail::fast_product(l, r);
  REQUIRE(fast.has_value());  // one factor is thin: the fast path must be taken
  ExactDot low, high, magnitude_sum;
  int checked = 0;
  for (int i = 0; i < rows; ++i)
    for (int c = 0; c < cols; ++c) {
      low.reset();
      high.reset();
      magnitude_sum.reset();
      for (int j = 0; j < k; ++j) {
        // One factor is a point p, the other [a, b]: the term's range is [a·p, b·p] for p ≥ 0,
        // [b·p, a·p] otherwise (both factors thin: a = b).
        const bool left_thin = l_lo(i, j) == l_hi(i, j);
        const double p = left_thin ? l_lo(i, j) : r_lo(j, c);
        const double a = left_thin ? r_lo(j, c) : l_lo(i, j), b = left_thin ? r_hi(j, c) : l_hi(i, j);
        low.add(p >= 0 ? a : b, p);
        high.add(p >= 0 ? b : a, p);
        magnitude_sum.add(std::fabs(l_lo(i, j)), std::fabs(r_lo(j, c)));
      }
      const Interval got = (*fast)(i, c);
      bool ok = low.at_least(got.lower()) && high.at_most(got.upper());
      if (thick == 0 && ok) {
        // width ≤ 2·(γ_k + slack)·Σ|l||r| + 4 ulps + 8(k+1)·η: a wrong radius (too large) fails here
        Big bound(4400);
        mpfr_mul_d(bound.v, magnitude_sum.sum.v, 2.0 * (k + 1) * 0x1p-53 * (1 + 1e-6), MPFR_RNDU);
        const double ulp_scale = std::max(std::fabs(got.lower()), std::fabs(got.upper()));
        mpfr_add_d(bound.v, bound.v, 4 * ulp_scale * 0x1p-52 + 8.0 * (k + 1) * kDenorm, MPFR_RNDU);
        Big width(4400);
        mpfr_set_d(width.v, got.upper(), MPFR_RNDN);
        mpfr_sub_d(width.v, width.v, got.lower(), MPFR_RNDN);
        ok = mpfr_cmp(width.v, bound.v) <= 0;
      }
      if (!ok) {
        CAPTURE(describe(l_lo.row(i)));
        CAPTURE(describe(l_hi.row(i)));
        CAPTURE(describe(r_lo.col(c)));
        CAPTURE(describe(r_hi.col(c)));
        CAPTURE(hex(got.lower()));
        CAPTURE(hex(got.upper()));
        CAPTURE(thick);
        CHECK(ok);
      }
      ++checked;
    }
  return checked;
}

TEST_CASE("midpoint-radius product: 10^5 thin dot products contain the exact sum, width bounded") {
  std::mt19937_64 rng(kSeed + 4);
  int checked = 0;
  for (int t = 0; checked < 100000; ++t) checked += check_random_product(rng, 4, 1 + static_cast<int>(rng() % 16), 1, t % 4, 0);
  CHECK(checked >= 100000);
}

TEST_CASE("midpoint-radius product: 10^5 dot products with one thick factor contain the exact range") {
  std::mt19937_64 rng(kSeed + 5);
  int checked = 0;
  for (int t = 0; checked < 100000; ++t)
    checked += check_random_product(rng, 3, 1 + static_cast<int>(rng() % 12), 2, t % 4, 1 + t % 2);
  CHECK(checked >= 100000);
}

TEST_CASE("midpoint-radius product: both factors thick take the inf-sup path") {
  Mat<Interval> a(2, 2);
  a << Interval(1, 2), Interval(-1, 1), Interval(0, 1), Interval(3, 3);
  CHECK_FALSE(certbound::linalg::detail::fast_product(a, a).has_value());
  const Mat<Interval> g = certbound::linalg::gram(a);  // falls back to Eigen's inf-sup product
  CHECK(g(0, 0).lower() == 1.0);
  CHECK(g(0, 0).upper() == 5.0);
}

TEST_CASE("midpoint-radius Gram matrix and matvec of thin matrices contain the exact products") {
  std::mt19937_64 rng(kSeed + 6);
  ExactDot exact;
  for (int t = 0; t < 200; ++t) {
    const int n = 1 + static_cast<int>(rng() % 40), d = 1 + static_cast<int>(rng() % 10);  // blocks of 4 + rest
    Eigen::MatrixXd a(n, d);
    for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = random_entry(rng, t % 4);
    const Mat<Interval> ai = certbound::to_scalar_matrix<Interval>(a);
    const Mat<Interval> g = certbound::linalg::gram(ai);
    Eigen::VectorXd x(d);
    for (int j = 0; j < d; ++j) x(j) = random_entry(rng, t % 4);
    const Vec<Interval> y = certbound::linalg::matvec(ai, Vec<Interval>(certbound::to_scalar_matrix<Interval>(x)));
    for (int p = 0; p < d; ++p)
      for (int q = 0; q < d; ++q) {
        exact.reset();
        for (int i = 0; i < n; ++i) exact.add(a(i, p), a(i, q));
        const bool ok = exact.at_least(g(p, q).lower()) && exact.at_most(g(p, q).upper());
        if (!ok) {
          CAPTURE(describe(a.col(p)));
          CAPTURE(describe(a.col(q)));
          CHECK(ok);
        }
      }
    for (int i = 0; i < n; ++i) {
      exact.reset();
      for (int j = 0; j < d; ++j) exact.add(a(i, j), x(j));
      const bool ok = exact.at_least(y(i).lower()) && exact.at_most(y(i).upper());
      if (!ok) {
        CAPTURE(describe(a.row(i)));
        CAPTURE(describe(x));
        CHECK(ok);
      }
    }
    // A thick x = [x, x + |x|/8 + 1]: the exact range of row i is attained at the vertex that
    // takes each x_j's end by the sign of a_ij.
    Eigen::VectorXd x_hi(d);
    for (int j = 0; j < d; ++j) x_hi(j) = x(j) + std::fabs(x(j)) / 8 + 1;
    Vec<Interval> box(d);
    for (int j = 0; j < d; ++j) box(j) = Interval(x(j), x_hi(j));
    const Vec<Interval> yb = certbound::linalg::matvec(ai, box);
    for (int i = 0; i < n; ++i) {
      ExactDot low, high;
      low.reset();
      high.reset();
      for (int j = 0; j < d; ++j) {
        low.add(a(i, j), a(i, j) >= 0 ? x(j) : x_hi(j));
        high.add(a(i, j), a(i, j) >= 0 ? x_hi(j) : x(j));
      }
      const bool ok = low.at_least(yb(i).lower()) && high.at_most(yb(i).upper());
      if (!ok) {
        CAPTURE(describe(a.row(i)));
        CAPTURE(describe(x));
        CAPTURE(describe(x_hi));
        CHECK(ok);
      }
    }
  }
}

// ---- multiprecision fast paths -------------------------------------------------------------------

using certbound::Mp257;

TEST_CASE("Mp257 matvec of points: 10^5 dot products contain the exact sum, within 1 ulp per term") {
  std::mt19937_64 rng(kSeed + 8);
  ExactDot exact;
  int checked = 0;
  for (int t = 0; checked < 100000; ++t) {
    const int n = 5, d = 1 + static_cast<int>(rng() % 16);
    Eigen::MatrixXd a(n, d);
    Eigen::VectorXd x(d);
    for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = random_entry(rng, t % 4);
    for (int j = 0; j < d; ++j) x(j) = random_entry(rng, t % 4);
    const Mat<Mp257> am = certbound::to_scalar_matrix<Mp257>(a);
    const Vec<Mp257> xm = certbound::to_scalar_matrix<Mp257>(x);
    REQUIRE(certbound::linalg::detail::mp_point_matvec(am, xm).has_value());
    const Vec<Mp257> y = certbound::linalg::matvec(am, xm);
    for (int i = 0; i < n; ++i, ++checked) {
      exact.reset();
      for (int j = 0; j < d; ++j) exact.add(a(i, j), x(j));
      const auto* e = y(i).backend().data();
      bool ok = mpfr_cmp(&e->left, exact.sum.v) <= 0 && mpfr_cmp(exact.sum.v, &e->right) <= 0;
      if (ok && d == 1) ok = mpfr_equal_p(&e->left, &e->right) || mpfr_cmp(&e->left, &e->right) < 0;
      if (!ok) {
        CAPTURE(describe(a.row(i)));
        CAPTURE(describe(x));
        CHECK(ok);
      }
    }
  }
  // A thick entry keeps the inf-sup loop.
  Mat<Mp257> a(1, 1);
  a(0, 0) = Mp257(1.0, 2.0);
  Vec<Mp257> x(1);
  x(0) = Mp257(3.0);
  CHECK_FALSE(certbound::linalg::detail::mp_point_matvec(a, x).has_value());
}


/// [RD(exact), RU(exact)] at `prec` bits equals [lo, hi] bit for bit.
bool is_tightest(const mpfr_t exact, mpfr_srcptr lo, mpfr_srcptr hi, mpfr_prec_t prec) {
  Big down(prec), up(prec);
  mpfr_set(down.v, exact, MPFR_RNDD);
  mpfr_set(up.v, exact, MPFR_RNDU);
  return mpfr_equal_p(down.v, lo) && mpfr_equal_p(up.v, hi);
}

TEST_CASE("Mp257 matvec of doubles: exact sums rounded once, the tightest enclosure bit for bit") {
  std::mt19937_64 rng(kSeed + 9);
  ExactDot exact;
  int checked = 0, exact_path = 0;
  for (int t = 0; checked < 20000; ++t) {
    const int n = 4, d = 1 + static_cast<int>(rng() % 40);
    Eigen::MatrixXd a(n, d);
    Eigen::VectorXd x(d);
    const int style = t % 5;  // 0–3 as entry(); 4: cancelling pairs a·x and −a·x plus a tiny term
    for (Eigen::Index i = 0; i < a.size(); ++i) a.data()[i] = random_entry(rng, style % 4);
    for (int j = 0; j < d; ++j) x(j) = random_entry(rng, style % 4);
    if (style == 4 && d >= 3) {
      for (int i = 0; i < n; ++i) a(i, 1) = -a(i, 0);
      x(1) = x(0);
      x(2) = std::ldexp(x(2), -200);
    }
    const Mat<Mp257> am = certbound::to_scalar_matrix<Mp257>(a);
    const Vec<Mp257> xm = certbound::to_scalar_matrix<Mp257>(x);
    const auto y = certbound::linalg::detail::mp_double_matvec(am, xm);
    if (style == 0 || style == 3 || style == 4) REQUIRE(y.has_value());  // products in range
    if (!y) continue;
    ++exact_path;
    for (int i = 0; i < n; ++i, ++checked) {
      exact.reset();
      for (int j = 0; j < d; ++j) exact.add(a(i, j), x(j));
      const auto* e = (*y)(i).backend().data();
      const bool ok = is_tightest(exact.sum.v, &e->left, &e->right, 257);
      if (!ok) {
        CAPTURE(describe(a.row(i)));
        CAPTURE(describe(x));
        CHECK(ok);
      }
    }
  }
  CHECK(exact_path > 3000);
  // Not every point is a double: 1 + 2^-60 has 61 bits; products that underflow are not exact.
  Mat<Mp257> a(1, 1);
  a(0, 0) = Mp257(1.0) + Mp257(0x1p-60);
  Vec<Mp257> x(1);
  x(0) = Mp257(3.0);
  CHECK_FALSE(certbound::linalg::detail::mp_double_matvec(a, x).has_value());
  a(0, 0) = Mp257(0x1p-600);
  x(0) = Mp257(0x1p-400);
  CHECK_FALSE(certbound::linalg::detail::mp_double_matvec(a, x).has_value());
  CHECK(certbound::linalg::detail::mp_point_matvec(a, x).has_value());  // the FMA path takes it
}

/// e^v rounded in direction rnd at 600 bits (v a 257-bit number: exact conversion).
void exp_at_600(mpfr_ptr out, mpfr_srcptr v, mpfr_rnd_t rnd) {
  Big arg(600);
  mpfr_set(arg.v, v, MPFR_RNDN);
  mpfr_exp(out, arg.v, rnd);
}

TEST_CASE("Mp257 exp of narrow intervals: one exponential, lower end correctly rounded, upper within 1 ulp") {
  std::mt19937_64 rng(kSeed + 10);
  int narrow = 0;
  for (int t = 0; t < 20000; ++t) {
    const double a = t % 7 == 0 ? uniform(rng, -700, 700) : uniform(rng, -3, 3);
    // width: 0, one ulp of 257 bits, ≈ 2^-140, the threshold 2^-129 (prec / 2 = 128), 2^-60 (wide)
    const int kind = t % 5;
    Mp257 x;
    auto* xi = x.backend().data();
    mpfr_set_d(&xi->left, a, MPFR_RNDN);
    mpfr_set(&xi->right, &xi->left, MPFR_RNDN);
    if (kind == 1) mpfr_nextabove(&xi->right);
    if (kind >= 2) {
      const int e = kind == 2 ? -140 : (kind == 3 ? -129 : -60);
      Big w(257);
      mpfr_set_d(w.v, std::ldexp(1.0 + unit(rng), e) * (kind == 3 ? 0.5 : 1.0), MPFR_RNDN);
      mpfr_add(&xi->right, &xi->left, w.v, MPFR_RNDU);
    }
    Mp257 r;
    const bool took_narrow = certbound::ops::mp_detail::exp_narrow(x, r);
    if (kind <= 3) REQUIRE(took_narrow);
    if (kind == 4) REQUIRE_FALSE(took_narrow);
    if (!took_narrow) r = certbound::ops::exp(x);
    narrow += took_narrow;
    Big lo_exact(600), hi_exact(600), rd(257), ru(257), slack(600);
    exp_at_600(lo_exact.v, &xi->left, MPFR_RNDD);
    exp_at_600(hi_exact.v, &xi->right, MPFR_RNDU);
    const auto* ri = r.backend().data();
    const bool enclosed = mpfr_cmp(&ri->left, lo_exact.v) <= 0 && mpfr_cmp(hi_exact.v, &ri->right) <= 0;
    mpfr_exp(rd.v, &xi->left, MPFR_RNDD);  // the correctly rounded lower end at 257 bits
    mpfr_set(ru.v, hi_exact.v, MPFR_RNDU);
    mpfr_nextabove(ru.v);  // one ulp above the correctly rounded upper end
    const bool tight = !took_narrow || (mpfr_equal_p(rd.v, &ri->left) && mpfr_cmp(&ri->right, ru.v) <= 0);
    if (!enclosed || !tight) {
      CAPTURE(hex(a));
      CAPTURE(kind);
      CHECK(enclosed);
      CHECK(tight);
    }
  }
  CHECK(narrow == 16000);
}


// ---- per-thread reuse of GMP/MPFR blocks (arith/mp_memory.hpp) ------------------------------------

struct GmpFunctions {
  void* (*allocate)(size_t);
  void* (*reallocate)(void*, size_t, size_t);
  void (*release)(void*, size_t);
  GmpFunctions() { mp_get_memory_functions(&allocate, &reallocate, &release); }
};

#if !defined(__SANITIZE_ADDRESS__) && !(defined(__has_feature) && __has_feature(address_sanitizer))
TEST_CASE("mp_memory: blocks are reused by exact size, bounded, and survive realloc and other threads") {
  REQUIRE(certbound::mp_memory::installed());
  const GmpFunctions gmp;
  const auto before = certbound::mp_memory::this_thread_cache();
  void* a = gmp.allocate(48);
  gmp.release(a, 48);
  void* b = gmp.allocate(40);  // another size: not the block just freed
  CHECK(b != a);
  void* c = gmp.allocate(48);  // the same size: the block just freed
  CHECK(c == a);
  // realloc across sizes keeps the contents
  std::memset(c, 0x5a, 48);
  auto* grown = static_cast<unsigned char*>(gmp.reallocate(c, 48, 200));
  bool kept = true;
  for (int i = 0; i < 48; ++i) kept = kept && grown[i] == 0x5a;
  CHECK(kept);
  gmp.release(grown, 200);
  gmp.release(b, 40);
  // bounded: freeing many blocks of one size keeps at most kMaxBlocksPerSize of them
  std::vector<void*> many;
  for (int i = 0; i < 3000; ++i) many.push_back(gmp.allocate(64));
  for (void* p : many) gmp.release(p, 64);
  CHECK(certbound::mp_memory::this_thread_cache().bytes <= before.bytes + 64 * certbound::mp_memory::kMaxBlocksPerSize + 48 + 40 + 200);
  // a block allocated in another thread is freed here and reused here
  void* from_thread = nullptr;
  std::thread([&] { from_thread = gmp.allocate(24); }).join();
  gmp.release(from_thread, 24);
  CHECK(gmp.allocate(24) == from_thread);
  gmp.release(from_thread, 24);
}
#endif

TEST_CASE("mp_memory: MPFR results are identical in two threads and in one, bit for bit") {
  auto run = [](int seed, std::vector<std::string>& out) {
    std::mt19937_64 rng(kSeed + 20 + static_cast<std::uint64_t>(seed));
    for (int i = 0; i < 400; ++i) {
      Mp257 x(uniform(rng, -5, 5)), y(uniform(rng, 0.5, 3));
      Mp257 r = certbound::ops::exp(x) / y + certbound::ops::sqrt(y) * x;  // temporaries of every kind
      out.push_back(r.str(80, std::ios_base::scientific));
    }
  };
  std::vector<std::string> alone_a, alone_b, threaded_a, threaded_b;
  run(1, alone_a);
  run(2, alone_b);
  // Each thread frees MPFR's per-thread caches before it ends, as the prover's workers do.
  std::thread ta([&] {
    run(1, threaded_a);
    mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE);
  });
  std::thread tb([&] {
    run(2, threaded_b);
    mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE);
  });
  ta.join();
  tb.join();
  CHECK(alone_a == threaded_a);
  CHECK(alone_b == threaded_b);
}

}  // namespace
