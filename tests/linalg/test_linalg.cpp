// Linear algebra: vector norms, Eigen products and the spectral-norm enclosure, checked against
// Arb (exact sums and products of the double inputs, square roots at 4096 bits) and an independent
// σ_max oracle (one-sided Jacobi SVD in MPFR at 256 bits, certified in Arb: a Rayleigh quotient
// from below and an Arb Cholesky certificate of (σ̃(1+2⁻²⁰⁰))²I − AᵀA from above).
//
// For boxes (interval entries) the norms and dot products are sums of terms depending on one
// entry each, so their exact range is known ([f(mig), f(mag)], Σ minᵢ .. Σ maxᵢ): the results must
// enclose both ends and overshoot them by no more than the rounding allowance.
#include <doctest/doctest.h>
#include <mpfr.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <ostream>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "certbound/arith/enclosure.hpp"
#include "certbound/linalg/norms.hpp"
#include "certbound/linalg/spectral_norm.hpp"
#include "certbound/oracle/arb.hpp"

TYPE_TO_STRING_AS("Interval", certbound::Interval);
TYPE_TO_STRING_AS("Mp128", certbound::Mp128);

namespace {

using certbound::Enclosure;
using certbound::Interval;
using certbound::Mat;
using certbound::Mp128;
using certbound::Vec;
using certbound::oracle::Ball;
using certbound::oracle::BMat;
using certbound::oracle::encloses;
using certbound::oracle::hex;
using certbound::oracle::unit;

/// Sums and products of doubles are formed exactly (ARF_PREC_EXACT): a rounded oracle ball could
/// stick out of a tight enclosure, e.g. 2^486 + 2^-820 rounds to 2^486 at 1024 bits. Square roots
/// and quotients use 4096 bits, far beyond the 2^±1000 spread of the inputs.
constexpr slong kExact = ARF_PREC_EXACT;
constexpr slong kPrec = 4096;
constexpr slong kCholPrec = 1024;

// ---- inputs ---------------------------------------------------------------------------------

/// Up to the first 8 entries in hex, formatted only when a check fails.
struct HexList {
  const std::vector<double>& v;
};
std::ostream& operator<<(std::ostream& os, const HexList& h) {
  os << "[";
  for (std::size_t i = 0; i < h.v.size() && i < 8; ++i) os << (i ? " " : "") << hex(h.v[i]);
  if (h.v.size() > 8) os << " ... (" << h.v.size() << " entries)";
  return os << "]";
}

/// ±m·2^e with m in [1, 2) and e uniform in [-emax, emax].
double signed_magnitude(std::mt19937_64& rng, int emax) {
  const int e = static_cast<int>(rng() % static_cast<std::uint64_t>(2 * emax + 1)) - emax;
  const double m = std::ldexp(1.0 + unit(rng), e);
  return (rng() & 1) ? -m : m;
}

/// A box of doubles [lo_i, hi_i] (points when lo_i == hi_i).
struct Box {
  std::vector<double> lo, hi;
  std::size_t size() const { return lo.size(); }
};

/// Entries spanning 2^±emax. With width: a third points, a third narrow intervals of relative
/// width 2^-1..2^-45, a third intervals containing 0 with independent ends.
Box random_box(std::mt19937_64& rng, std::size_t n, int emax, bool with_width) {
  Box b{std::vector<double>(n), std::vector<double>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    const double x = signed_magnitude(rng, emax);
    const int kind = with_width ? static_cast<int>(rng() % 3) : 0;
    if (kind == 0) {
      b.lo[i] = b.hi[i] = x;
    } else if (kind == 1) {
      const double w = std::fabs(x) * std::ldexp(1.0 + unit(rng), -1 - static_cast<int>(rng() % 45));
      b.lo[i] = x;
      b.hi[i] = x + w;  // >= x: adding a positive number rounds to nearest, never below x
    } else {
      b.lo[i] = -std::fabs(x);
      b.hi[i] = std::fabs(signed_magnitude(rng, emax));
    }
  }
  return b;
}

/// Uniform box [c - h, c + h] around c uniform in [-1, 1] (entries of random test matrices).
Box centred_box(std::mt19937_64& rng, std::size_t n, double half_width) {
  Box b{std::vector<double>(n), std::vector<double>(n)};
  for (std::size_t i = 0; i < n; ++i) {
    const double c = certbound::oracle::uniform(rng, -1.0, 1.0);
    b.lo[i] = c - half_width;
    b.hi[i] = c + half_width;
  }
  return b;
}

template <class T>
Vec<T> to_vec(const Box& b) {
  Vec<T> v(static_cast<Eigen::Index>(b.size()));
  for (std::size_t i = 0; i < b.size(); ++i) v(static_cast<Eigen::Index>(i)) = certbound::ops::hull<T>(b.lo[i], b.hi[i]);
  return v;
}
/// Column-major m×n matrix in T from a box of size m·n.
template <class T>
Mat<T> to_mat(const Box& b, Eigen::Index m, Eigen::Index n) {
  Mat<T> a(m, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < m; ++i) a(i, j) = certbound::ops::hull<T>(b.lo[i + j * m], b.hi[i + j * m]);
  return a;
}
Eigen::MatrixXd as_matrix(const std::vector<double>& x, Eigen::Index m, Eigen::Index n) {
  return Eigen::Map<const Eigen::MatrixXd>(x.data(), m, n);
}

/// Points of the box: all lower ends, all upper ends, two random corners, two random interior points.
std::vector<std::vector<double>> sample_points(const Box& b, std::mt19937_64& rng) {
  std::vector<std::vector<double>> pts{b.lo, b.hi};
  for (int k = 0; k < 2; ++k) {
    std::vector<double> c(b.size());
    for (std::size_t i = 0; i < b.size(); ++i) c[i] = (rng() & 1) ? b.lo[i] : b.hi[i];
    pts.push_back(c);
  }
  for (int k = 0; k < 2; ++k) {
    std::vector<double> p(b.size());
    for (std::size_t i = 0; i < b.size(); ++i) {
      p[i] = std::clamp(b.lo[i] + (b.hi[i] - b.lo[i]) * unit(rng), b.lo[i], b.hi[i]);
    }
    pts.push_back(p);
  }
  return pts;
}

double mig(double lo, double hi) { return (lo <= 0 && 0 <= hi) ? 0.0 : std::min(std::fabs(lo), std::fabs(hi)); }
double mag(double lo, double hi) { return std::max(std::fabs(lo), std::fabs(hi)); }
std::vector<double> migs(const Box& b) {
  std::vector<double> r(b.size());
  for (std::size_t i = 0; i < b.size(); ++i) r[i] = mig(b.lo[i], b.hi[i]);
  return r;
}
std::vector<double> mags(const Box& b) {
  std::vector<double> r(b.size());
  for (std::size_t i = 0; i < b.size(); ++i) r[i] = mag(b.lo[i], b.hi[i]);
  return r;
}

// ---- Arb oracle -----------------------------------------------------------------------------

Ball arb_norm1(const std::vector<double>& x) {
  Ball s, t;
  for (double v : x) {
    arb_set_d(t.b, std::fabs(v));
    arb_add(s.b, s.b, t.b, kExact);
  }
  return s;
}
Ball arb_dot(const double* x, std::ptrdiff_t xstride, const double* y, std::ptrdiff_t ystride, std::size_t n) {
  Ball s, a, b;
  for (std::size_t i = 0; i < n; ++i) {
    arb_set_d(a.b, x[static_cast<std::ptrdiff_t>(i) * xstride]);
    arb_set_d(b.b, y[static_cast<std::ptrdiff_t>(i) * ystride]);
    arb_addmul(s.b, a.b, b.b, kExact);
  }
  return s;
}
Ball arb_dot(const std::vector<double>& x, const std::vector<double>& y) {
  return arb_dot(x.data(), 1, y.data(), 1, x.size());
}
Ball arb_sumsq(const std::vector<double>& x) { return arb_dot(x, x); }
Ball arb_sqrt_of(const Ball& x) {
  Ball r;
  arb_sqrt(r.b, x.b, kPrec);
  return r;
}
double max_abs(const std::vector<double>& x) {
  double m = 0;
  for (double v : x) m = std::max(m, std::fabs(v));
  return m;
}
double ball_floor(const Ball& x) {
  arf_t t;
  arf_init(t);
  arb_get_lbound_arf(t, x.b, kPrec);
  const double d = arf_get_d(t, ARF_RND_FLOOR);
  arf_clear(t);
  return d;
}
double ball_ceil(const Ball& x) {
  arf_t t;
  arf_init(t);
  arb_get_ubound_arf(t, x.b, kPrec);
  const double d = arf_get_d(t, ARF_RND_CEIL);
  arf_clear(t);
  return d;
}

/// Exact range [Σ minᵢ, Σ maxᵢ] of the dot product over two boxes (each term ranges independently).
std::pair<Ball, Ball> arb_dot_range(const Box& u, const Box& v, std::size_t n, std::ptrdiff_t ustride = 1,
                                    std::ptrdiff_t vstride = 1, std::size_t uoff = 0, std::size_t voff = 0) {
  Ball lo, hi, a, b, p, best_lo, best_hi;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t iu = uoff + i * static_cast<std::size_t>(ustride);
    const std::size_t iv = voff + i * static_cast<std::size_t>(vstride);
    const double ue[2] = {u.lo[iu], u.hi[iu]};
    const double ve[2] = {v.lo[iv], v.hi[iv]};
    for (int k = 0; k < 4; ++k) {
      arb_set_d(a.b, ue[k / 2]);
      arb_set_d(b.b, ve[k % 2]);
      arb_mul(p.b, a.b, b.b, kExact);
      if (k == 0 || arf_cmp(arb_midref(p.b), arb_midref(best_lo.b)) < 0) arb_set(best_lo.b, p.b);
      if (k == 0 || arf_cmp(arb_midref(p.b), arb_midref(best_hi.b)) > 0) arb_set(best_hi.b, p.b);
    }
    arb_add(lo.b, lo.b, best_lo.b, kExact);
    arb_add(hi.b, hi.b, best_hi.b, kExact);
  }
  return {lo, hi};
}

/// How far e reaches beyond the exact value x: lower end below x (below = true) or upper end above
/// x, rounded up into a double (negative when e does not reach x).
double overshoot(const Enclosure& e, const Ball& x, bool below) {
  arf_t bound;
  arf_init(bound);
  mpfr_t t;
  mpfr_init2(t, 8192);
  if (below) {
    arb_get_lbound_arf(bound, x.b, kPrec);
    arf_get_mpfr(t, bound, MPFR_RNDD);
    mpfr_sub(t, t, e.lo.get(), MPFR_RNDU);
  } else {
    arb_get_ubound_arf(bound, x.b, kPrec);
    arf_get_mpfr(t, bound, MPFR_RNDU);
    mpfr_sub(t, e.hi.get(), t, MPFR_RNDU);
  }
  const double d = mpfr_get_d(t, MPFR_RNDU);
  mpfr_clear(t);
  arf_clear(bound);
  return d;
}

/// Relative slack allowed for a sum of n terms with one directed rounding each (one ulp):
/// (n + 4)·2⁻⁵² for double intervals, (n + 4)·2⁻¹²⁶ at 128 bits.
template <class T>
double sum_tolerance(std::size_t n) {
  return static_cast<double>(n + 4) * (std::is_same_v<T, Interval> ? 0x1p-52 : 0x1p-126);
}

/// r encloses both ends of the exact range [lo, hi], and overshoots each by at most tol·scale.
template <class T>
void check_range(const T& r, const Ball& lo, const Ball& hi, double scale, double tol) {
  const Enclosure e = certbound::to_enclosure(r);
  INFO("result ", e.str(20), "  exact range [", ball_floor(lo), ", ", ball_ceil(hi), "]");
  REQUIRE(encloses(e, lo));
  REQUIRE(encloses(e, hi));
  CHECK(overshoot(e, lo, true) <= tol * scale);
  CHECK(overshoot(e, hi, false) <= tol * scale);
}

// ---- σ_max oracle: one-sided Jacobi SVD in MPFR, certified by Arb ---------------------------

/// Fixed array of MPFR numbers.
class MpfrArray {
 public:
  MpfrArray(std::size_t n, mpfr_prec_t p) : v_(n) {
    for (auto& x : v_) mpfr_init2(&x, p);
  }
  ~MpfrArray() {
    for (auto& x : v_) mpfr_clear(&x);
  }
  MpfrArray(const MpfrArray&) = delete;
  MpfrArray& operator=(const MpfrArray&) = delete;
  mpfr_ptr operator[](std::size_t i) { return &v_[i]; }

 private:
  std::vector<__mpfr_struct> v_;
};

struct SigmaOracle {
  Ball sigma;          ///< certified ball around σ_max(A) (exactly 0 for the zero matrix)
  double sigma1 = 0;   ///< Jacobi approximations of the two largest singular values
  double sigma2 = 0;
  bool certified = false;
};

SigmaOracle sigma_max_oracle(const Eigen::MatrixXd& a_in) {
  const Eigen::MatrixXd a = a_in.cols() <= a_in.rows() ? a_in : Eigen::MatrixXd(a_in.transpose());
  const std::size_t m = static_cast<std::size_t>(a.rows()), n = static_cast<std::size_t>(a.cols());
  SigmaOracle out;
  if ((a.array() == 0.0).all()) {
    out.certified = true;  // σ = 0 exactly; the ball is the exact 0
    return out;
  }
  constexpr mpfr_prec_t P = 256;
  MpfrArray u(m * n, P), v(n * n, P), t(10, P);
  mpfr_ptr alpha = t[0], beta = t[1], gamma = t[2], zeta = t[3], tt = t[4], c = t[5], s = t[6], x = t[7],
           y = t[8], w = t[9];
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t i = 0; i < m; ++i) mpfr_set_d(u[i + j * m], a(Eigen::Index(i), Eigen::Index(j)), MPFR_RNDN);
    for (std::size_t i = 0; i < n; ++i) mpfr_set_si(v[i + j * n], i == j ? 1 : 0, MPFR_RNDN);
  }
  auto rotate = [&](MpfrArray& z, std::size_t len, std::size_t p, std::size_t q) {
    for (std::size_t i = 0; i < len; ++i) {  // (z_p, z_q) <- (c z_p - s z_q, s z_p + c z_q)
      mpfr_ptr zp = z[i + p * len], zq = z[i + q * len];
      mpfr_mul(x, c, zp, MPFR_RNDN);
      mpfr_mul(w, s, zq, MPFR_RNDN);
      mpfr_sub(x, x, w, MPFR_RNDN);
      mpfr_mul(y, s, zp, MPFR_RNDN);
      mpfr_mul(w, c, zq, MPFR_RNDN);
      mpfr_add(zq, y, w, MPFR_RNDN);
      mpfr_set(zp, x, MPFR_RNDN);
    }
  };
  for (int sweep = 0; sweep < 60; ++sweep) {
    bool rotated = false;
    for (std::size_t p = 0; p + 1 < n; ++p) {
      for (std::size_t q = p + 1; q < n; ++q) {
        mpfr_set_zero(alpha, 1);
        mpfr_set_zero(beta, 1);
        mpfr_set_zero(gamma, 1);
        for (std::size_t i = 0; i < m; ++i) {
          mpfr_fma(alpha, u[i + p * m], u[i + p * m], alpha, MPFR_RNDN);
          mpfr_fma(beta, u[i + q * m], u[i + q * m], beta, MPFR_RNDN);
          mpfr_fma(gamma, u[i + p * m], u[i + q * m], gamma, MPFR_RNDN);
        }
        if (mpfr_zero_p(gamma)) continue;
        mpfr_mul(w, alpha, beta, MPFR_RNDN);
        mpfr_sqrt(w, w, MPFR_RNDN);
        mpfr_mul_2si(w, w, -230, MPFR_RNDN);
        if (mpfr_cmpabs(gamma, w) <= 0) continue;  // columns orthogonal to 2^-230
        rotated = true;
        mpfr_sub(zeta, beta, alpha, MPFR_RNDN);  // ζ = (β − α) / 2γ
        mpfr_div(zeta, zeta, gamma, MPFR_RNDN);
        mpfr_div_2ui(zeta, zeta, 1, MPFR_RNDN);
        mpfr_sqr(tt, zeta, MPFR_RNDN);  // t = sign(ζ) / (|ζ| + √(1 + ζ²))
        mpfr_add_ui(tt, tt, 1, MPFR_RNDN);
        mpfr_sqrt(tt, tt, MPFR_RNDN);
        mpfr_abs(w, zeta, MPFR_RNDN);
        mpfr_add(tt, tt, w, MPFR_RNDN);
        mpfr_ui_div(tt, 1, tt, MPFR_RNDN);
        if (mpfr_sgn(zeta) < 0) mpfr_neg(tt, tt, MPFR_RNDN);
        mpfr_sqr(c, tt, MPFR_RNDN);  // c = 1/√(1 + t²), s = c·t
        mpfr_add_ui(c, c, 1, MPFR_RNDN);
        mpfr_rec_sqrt(c, c, MPFR_RNDN);
        mpfr_mul(s, c, tt, MPFR_RNDN);
        rotate(u, m, p, q);
        rotate(v, n, p, q);
      }
    }
    if (!rotated) break;
  }
  // Column norms of U = A·V are the singular values; take the largest two.
  std::size_t top = 0;
  std::vector<double> norms(n);
  MpfrArray col(n, P);
  for (std::size_t j = 0; j < n; ++j) {
    mpfr_set_zero(col[j], 1);
    for (std::size_t i = 0; i < m; ++i) mpfr_fma(col[j], u[i + j * m], u[i + j * m], col[j], MPFR_RNDN);
    mpfr_sqrt(col[j], col[j], MPFR_RNDN);
    norms[j] = mpfr_get_d(col[j], MPFR_RNDN);
    if (mpfr_cmp(col[j], col[top]) > 0) top = j;
  }
  out.sigma1 = norms[top];
  for (std::size_t j = 0; j < n; ++j) {
    if (j != top) out.sigma2 = std::max(out.sigma2, norms[j]);
  }

  // Arb: G = AᵀA exactly; upper end h = σ̃(1 + 2^-200) certified by Cholesky of h²I − G.
  const slong ns = static_cast<slong>(n);
  BMat g(ns, ns), l(ns, ns);
  Ball e1, e2;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      arb_ptr gij = g(Eigen::Index(i), Eigen::Index(j));
      arb_zero(gij);
      for (std::size_t k = 0; k < m; ++k) {
        arb_set_d(e1.b, a(Eigen::Index(k), Eigen::Index(i)));
        arb_set_d(e2.b, a(Eigen::Index(k), Eigen::Index(j)));
        arb_addmul(gij, e1.b, e2.b, kExact);
      }
      arb_neg(gij, gij);
    }
  }
  Ball h, mu, tmp;
  arf_set_mpfr(arb_midref(h.b), col[top]);  // exact, radius 0
  arb_mul_2exp_si(tmp.b, h.b, -200);
  arb_add(h.b, h.b, tmp.b, kExact);
  arb_sqr(mu.b, h.b, kExact);
  for (slong i = 0; i < ns; ++i) arb_add(g(i, i), g(i, i), mu.b, kExact);
  const bool upper_ok = arb_mat_cho(l.get(), g.get(), kCholPrec) != 0;

  // Lower end: ‖Av‖/‖v‖ at the Jacobi vector v (column `top` of V), in Arb.
  Ball num, den, vi, avk, ratio, lower;
  for (std::size_t k = 0; k < m; ++k) {
    arb_zero(avk.b);
    for (std::size_t i = 0; i < n; ++i) {
      arf_set_mpfr(arb_midref(vi.b), v[i + top * n]);
      mag_zero(arb_radref(vi.b));
      arb_set_d(e1.b, a(Eigen::Index(k), Eigen::Index(i)));
      arb_addmul(avk.b, e1.b, vi.b, kExact);
    }
    arb_addmul(num.b, avk.b, avk.b, kExact);
  }
  for (std::size_t i = 0; i < n; ++i) {
    arf_set_mpfr(arb_midref(vi.b), v[i + top * n]);
    mag_zero(arb_radref(vi.b));
    arb_addmul(den.b, vi.b, vi.b, kExact);
  }
  arb_div(ratio.b, num.b, den.b, kPrec);
  arb_sqrt(lower.b, ratio.b, kPrec);
  arb_union(out.sigma.b, lower.b, h.b, kPrec);
  out.certified = upper_ok && arb_is_finite(out.sigma.b) && arb_rel_accuracy_bits(out.sigma.b) > 180;
  return out;
}

/// Entries of a matrix in column-major order (for HexList failure output).
std::vector<double> entries(const Eigen::MatrixXd& a) { return std::vector<double>(a.data(), a.data() + a.size()); }

Eigen::MatrixXd uniform_matrix(std::mt19937_64& rng, Eigen::Index m, Eigen::Index n) {
  Eigen::MatrixXd a(m, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < m; ++i) a(i, j) = certbound::oracle::uniform(rng, -1.0, 1.0);
  return a;
}

/// upper/lower of an enclosure of a positive quantity, as a double (diagnostic).
double ratio_of(const Enclosure& e) { return e.upper_double() / e.lower_double(); }

}  // namespace

TEST_SUITE("linalg") {

TEST_CASE_TEMPLATE("vector norms and dot enclose the exact Arb range over boxes", T, Interval, Mp128) {
  const std::size_t sizes[] = {1, 2, 7, 64, 512};
  const int emaxes[] = {40, 500};  // 2^±500 reaches the one-ulp fallback below 2^-960 when squared
  std::uint64_t seed = 0x11a1f00d;
  for (std::size_t n : sizes) {
    for (int emax : emaxes) {
      for (int with_width = 0; with_width < 2; ++with_width) {
        for (int trial = 0; trial < 2; ++trial) {
          ++seed;
          CAPTURE(seed);
          CAPTURE(n);
          CAPTURE(emax);
          CAPTURE(with_width);
          std::mt19937_64 rng(seed);
          const Box u = random_box(rng, n, emax, with_width != 0);
          const Box v = random_box(rng, n, emax, with_width != 0);
          const HexList ulo{u.lo}, uhi{u.hi}, vlo{v.lo}, vhi{v.hi};
          CAPTURE(ulo);
          CAPTURE(uhi);
          CAPTURE(vlo);
          CAPTURE(vhi);
          const Vec<T> ut = to_vec<T>(u), vt = to_vec<T>(v);
          const std::vector<double> umig = migs(u), umag = mags(u);
          const double tol = sum_tolerance<T>(n);

          const T n1 = certbound::linalg::norm1<T>(ut);
          const T n2s = certbound::linalg::norm2_squared<T>(ut);
          const T n2 = certbound::linalg::norm2<T>(ut);
          const T ninf = certbound::linalg::norm_inf<T>(ut);
          const T d = certbound::linalg::dot<T>(ut, vt);

          // Each norm is monotone in every |uᵢ|: its range over the box is [f(mig), f(mag)].
          const Ball n1_hi = arb_norm1(umag);
          check_range(n1, arb_norm1(umig), n1_hi, ball_ceil(n1_hi), tol);
          const Ball n2s_hi = arb_sumsq(umag);
          check_range(n2s, arb_sumsq(umig), n2s_hi, ball_ceil(n2s_hi), tol);
          const Ball n2_hi = arb_sqrt_of(n2s_hi);
          check_range(n2, arb_sqrt_of(arb_sumsq(umig)), n2_hi, ball_ceil(n2_hi), tol);
          const auto [d_lo, d_hi] = arb_dot_range(u, v, n);
          check_range(d, d_lo, d_hi, ball_ceil(arb_dot(umag, mags(v))), tol);

          // norm_inf is exactly [max mig, max mag]: no rounding is involved.
          const Enclosure einf = certbound::to_enclosure(ninf);
          CHECK(mpfr_cmp_d(einf.lo.get(), max_abs(umig)) == 0);
          CHECK(mpfr_cmp_d(einf.hi.get(), max_abs(umag)) == 0);

          // The exact values at corners and interior points lie inside.
          const auto pts_u = sample_points(u, rng);
          const auto pts_v = sample_points(v, rng);
          for (std::size_t k = 0; k < pts_u.size(); ++k) {
            CAPTURE(k);
            const auto& p = pts_u[k];
            REQUIRE(encloses(certbound::to_enclosure(n1), arb_norm1(p)));
            REQUIRE(encloses(certbound::to_enclosure(n2s), arb_sumsq(p)));
            REQUIRE(encloses(certbound::to_enclosure(n2), arb_sqrt_of(arb_sumsq(p))));
            REQUIRE(encloses(einf, Ball(max_abs(p))));
            REQUIRE(encloses(certbound::to_enclosure(d), arb_dot(p, pts_v[k])));
          }

          if (!with_width) {
            // Point input: norm_inf is the point max|uᵢ|; double-valued (VectorXd) inputs enclose too.
            CHECK(mpfr_cmp(einf.lo.get(), einf.hi.get()) == 0);
            const Eigen::Map<const Eigen::VectorXd> ud(u.lo.data(), Eigen::Index(n)), vd(v.lo.data(), Eigen::Index(n));
            REQUIRE(encloses(certbound::to_enclosure(certbound::linalg::norm1<T>(ud)), arb_norm1(u.lo)));
            REQUIRE(encloses(certbound::to_enclosure(certbound::linalg::norm2<T>(ud)), arb_sqrt_of(arb_sumsq(u.lo))));
            REQUIRE(encloses(certbound::to_enclosure(certbound::linalg::dot<T>(ud, vd)), arb_dot(u.lo, v.lo)));
            const Enclosure einf_d = certbound::to_enclosure(certbound::linalg::norm_inf<T>(ud));
            CHECK(mpfr_cmp_d(einf_d.lo.get(), max_abs(u.lo)) == 0);
            CHECK(mpfr_cmp_d(einf_d.hi.get(), max_abs(u.lo)) == 0);
          }
        }
      }
    }
  }
}

TEST_CASE_TEMPLATE("norm_frobenius encloses the exact Arb range over boxes", T, Interval, Mp128) {
  const Eigen::Index shapes[][2] = {{1, 1}, {3, 5}, {40, 13}, {8, 64}};
  std::uint64_t seed = 0xf20b0000;
  for (const auto& shape : shapes) {
    for (int with_width = 0; with_width < 2; ++with_width) {
      ++seed;
      CAPTURE(seed);
      CAPTURE(shape[0]);
      CAPTURE(shape[1]);
      std::mt19937_64 rng(seed);
      const std::size_t size = static_cast<std::size_t>(shape[0] * shape[1]);
      const Box b = random_box(rng, size, 60, with_width != 0);
      const HexList lo{b.lo}, hi{b.hi};
      CAPTURE(lo);
      CAPTURE(hi);
      const T f = certbound::linalg::norm_frobenius<T>(to_mat<T>(b, shape[0], shape[1]));
      const Ball f_hi = arb_sqrt_of(arb_sumsq(mags(b)));
      check_range(f, arb_sqrt_of(arb_sumsq(migs(b))), f_hi, ball_ceil(f_hi), sum_tolerance<T>(size));
      for (const auto& p : sample_points(b, rng)) {
        REQUIRE(encloses(certbound::to_enclosure(f), arb_sqrt_of(arb_sumsq(p))));
      }
      if (!with_width) {  // double-valued input, too
        const T fd = certbound::linalg::norm_frobenius<T>(as_matrix(b.lo, shape[0], shape[1]));
        REQUIRE(encloses(certbound::to_enclosure(fd), arb_sqrt_of(arb_sumsq(b.lo))));
      }
    }
  }
}

TEST_CASE_TEMPLATE("Eigen products enclose exact Arb products", T, Interval, Mp128) {
  const Eigen::Index m = 40, k = 24, p = 16;
  std::uint64_t seed = 0xe16e0000;
  for (int with_width = 0; with_width < 2; ++with_width) {
    ++seed;
    CAPTURE(seed);
    CAPTURE(with_width);
    std::mt19937_64 rng(seed);
    const Box ba = random_box(rng, std::size_t(m * k), 20, with_width != 0);
    const Box bx = random_box(rng, std::size_t(k), 20, with_width != 0);
    const Box bb = random_box(rng, std::size_t(k * p), 20, with_width != 0);
    const Mat<T> a = to_mat<T>(ba, m, k), b = to_mat<T>(bb, k, p);
    const Vec<T> x = to_vec<T>(bx);
    Vec<T> ax(m);
    ax.noalias() = a * x;
    Mat<T> ab(m, p), ata(k, k);
    ab.noalias() = a * b;
    ata.noalias() = a.transpose() * a;
    // Aᵀ·y: Eigen's row-major matrix-vector kernel (a column-major one serves A·x). Its own
    // generator, so the points sampled below stay those of the other products.
    std::mt19937_64 rng_y(seed ^ 0x7);
    const Box by = random_box(rng_y, std::size_t(m), 20, with_width != 0);
    const Vec<T> y = to_vec<T>(by);
    Vec<T> aty(k);
    aty.noalias() = a.transpose() * y;
    const std::vector<double> amag = mags(ba), xmag = mags(bx), bmag = mags(bb), ymag = mags(by);  // for scales
    const double tol = sum_tolerance<T>(std::size_t(k + m));
    for (Eigen::Index j = 0; j < k; ++j) {
      CAPTURE(j);
      const auto [lo, hi] = arb_dot_range(ba, by, std::size_t(m), 1, 1, std::size_t(j * m), 0);
      const Ball scale = arb_dot(amag.data() + j * m, 1, ymag.data(), 1, std::size_t(m));
      check_range(aty(j), lo, hi, ball_ceil(scale), tol);
    }

    // A·x and A·B entries are dot products of independent boxes: exact ranges are known.
    for (Eigen::Index i = 0; i < m; ++i) {
      CAPTURE(i);
      const auto [lo, hi] = arb_dot_range(ba, bx, std::size_t(k), m, 1, std::size_t(i), 0);
      const Ball scale = arb_dot(amag.data() + i, m, xmag.data(), 1, std::size_t(k));
      check_range(ax(i), lo, hi, ball_ceil(scale), tol);
      for (Eigen::Index j = 0; j < p; ++j) {
        CAPTURE(j);
        const auto [plo, phi] = arb_dot_range(ba, bb, std::size_t(k), m, 1, std::size_t(i), std::size_t(j * k));
        const Ball pscale = arb_dot(amag.data() + i, m, bmag.data() + j * k, 1, std::size_t(k));
        check_range(ab(i, j), plo, phi, ball_ceil(pscale), tol);
      }
    }
    // AᵀA (A used twice: no exact range) at sampled points; for point input, also its width.
    if (!with_width) {
      const Eigen::MatrixXd ad = as_matrix(ba.lo, m, k);
      for (Eigen::Index i = 0; i < k; ++i) {
        for (Eigen::Index j = 0; j < k; ++j) {
          CAPTURE(i);
          CAPTURE(j);
          const double scale = (ad.col(i).cwiseAbs().transpose() * ad.col(j).cwiseAbs()).value();
          CHECK(certbound::to_enclosure(ata(i, j)).width_up() <= 2 * tol * scale);
        }
      }
    }
    const auto pts = sample_points(ba, rng);
    for (std::size_t s = 0; s < pts.size(); ++s) {
      CAPTURE(s);
      const Eigen::MatrixXd as = as_matrix(pts[s], m, k);
      for (Eigen::Index i = 0; i < k; ++i) {
        for (Eigen::Index j = 0; j < k; ++j) {
          CAPTURE(i);
          CAPTURE(j);
          REQUIRE(encloses(certbound::to_enclosure(ata(i, j)),
                           arb_dot(as.data() + i * m, 1, as.data() + j * m, 1, std::size_t(m))));
        }
      }
    }
  }
}

TEST_CASE_TEMPLATE("spectral_norm encloses the certified sigma_max of point matrices", T, Interval, Mp128) {
  struct Shape {
    const char* name;
    Eigen::Index m, n;
  };
  const Shape shapes[] = {{"2x1", 2, 1},         {"5x3", 5, 3},           {"64x32", 64, 32},
                          {"32x64", 32, 64},     {"200x8", 200, 8},       {"rank-one 30x12", 30, 12},
                          {"zero 4x3", 4, 3},    {"diagonal 7x5", 7, 5}};
  std::uint64_t seed = 0x5ec7a000;
  for (const Shape& shape : shapes) {
    ++seed;
    const std::string name = shape.name;
    CAPTURE(name);
    CAPTURE(seed);
    std::mt19937_64 rng(seed);
    Eigen::MatrixXd a = uniform_matrix(rng, shape.m, shape.n);
    if (name.rfind("rank-one", 0) == 0) {  // u vᵀ with dyadic entries: the products are exact
      Eigen::VectorXd uu(shape.m), vv(shape.n);
      for (auto& e : uu) e = double(int(rng() % 17) - 8) / 8;
      for (auto& e : vv) e = double(int(rng() % 17) - 8) / 8;
      uu(0) = 1;
      vv(0) = 0.75;
      a = uu * vv.transpose();
    } else if (name.rfind("zero", 0) == 0) {
      a.setZero();
    } else if (name.rfind("diagonal", 0) == 0) {
      const Eigen::MatrixXd dgl = a;
      a.setZero();
      for (Eigen::Index i = 0; i < shape.n; ++i) a(i, i) = dgl(i, i);
    }
    const std::vector<double> hexes = entries(a);
    const HexList input{hexes};
    CAPTURE(input);

    const auto sn = certbound::linalg::spectral_norm<T>(certbound::to_scalar_matrix<T>(a));
    const Enclosure e = certbound::to_enclosure(sn.enclosure);
    const std::string method = certbound::linalg::to_string(sn.method);
    CAPTURE(method);
    INFO("enclosure ", e.str(20));
    const SigmaOracle oracle = sigma_max_oracle(a);
    INFO("oracle sigma1 ", oracle.sigma1, " sigma2 ", oracle.sigma2);
    REQUIRE(oracle.certified);
    // For a diagonal matrix σ = max |dᵢ| exactly, and Gershgorin may return exactly that point, which
    // the oracle's 2^-200-wide ball would stick out of: compare with the exact value instead.
    const bool diagonal = name.rfind("diagonal", 0) == 0;
    const Ball truth = diagonal ? Ball(a.cwiseAbs().maxCoeff()) : oracle.sigma;
    REQUIRE(encloses(e, truth));
    if (diagonal) REQUIRE(arb_contains(oracle.sigma.b, truth.b));

    if (name.rfind("zero", 0) == 0) {
      CHECK(mpfr_zero_p(e.lo.get()));
      CHECK(mpfr_zero_p(e.hi.get()));
      continue;
    }
    // Not absurdly wide: every upper-bound method ends within 1e-6 of the Rayleigh lower end here.
    CHECK(e.lower_double() > 0);
    CHECK(e.upper_double() <= e.lower_double() * (1 + 1e-6));
    // Transposing does not change the enclosure's validity.
    const auto snt = certbound::linalg::spectral_norm<T>(certbound::to_scalar_matrix<T>(Eigen::MatrixXd(a.transpose())));
    REQUIRE(encloses(certbound::to_enclosure(snt.enclosure), truth));
  }
}

TEST_CASE_TEMPLATE("spectral_norm of a random 64x32 matrix meets the 1e-9 tightness target", T, Interval, Mp128) {
  const std::uint64_t seed = 0x64320001;
  CAPTURE(seed);
  std::mt19937_64 rng(seed);
  const Eigen::MatrixXd a = uniform_matrix(rng, 64, 32);
  const SigmaOracle oracle = sigma_max_oracle(a);
  REQUIRE(oracle.certified);
  const double gap = (oracle.sigma1 - oracle.sigma2) / oracle.sigma1;
  REQUIRE(gap > 0.02);  // the seed is chosen for a clear gap between σ₁ and σ₂

  const auto sn = certbound::linalg::spectral_norm<T>(certbound::to_scalar_matrix<T>(a));
  const Enclosure e = certbound::to_enclosure(sn.enclosure);
  const double ratio = ratio_of(e);
  const std::string method = certbound::linalg::to_string(sn.method);
  MESSAGE("64x32 seed ", seed, ": sigma1 ", oracle.sigma1, " relative gap ", gap, "  upper/lower - 1 = ",
          ratio - 1, "  method ", method);
  REQUIRE(encloses(e, oracle.sigma));
  CHECK(e.upper_double() <= e.lower_double() * (1 + 1e-9));
  CHECK(sn.method == certbound::linalg::SpectralUpperMethod::spd_certificate);
}

TEST_CASE_TEMPLATE("spectral_norm of interval matrices encloses sigma_max at sampled points", T, Interval, Mp128) {
  struct Shape {
    Eigen::Index m, n;
  };
  const Shape shapes[] = {{5, 3}, {24, 12}, {64, 32}};
  std::uint64_t seed = 0x1b0c5000;
  for (const Shape& shape : shapes) {
    ++seed;
    CAPTURE(seed);
    CAPTURE(shape.m);
    CAPTURE(shape.n);
    std::mt19937_64 rng(seed);
    const Box b = centred_box(rng, std::size_t(shape.m * shape.n), 5e-7);  // width 1e-6
    const auto sn = certbound::linalg::spectral_norm<T>(to_mat<T>(b, shape.m, shape.n));
    const Enclosure e = certbound::to_enclosure(sn.enclosure);
    const std::string method = certbound::linalg::to_string(sn.method);
    CAPTURE(method);
    INFO("enclosure ", e.str(20));
    MESSAGE(shape.m, "x", shape.n, " box of width 1e-6: upper/lower - 1 = ", ratio_of(e) - 1, " via ", method);
    auto pts = sample_points(b, rng);
    if (shape.m * shape.n > 1000) pts.resize(4);  // all-lo, all-hi, two corners: keeps the run short
    for (std::size_t k = 0; k < pts.size(); ++k) {
      CAPTURE(k);
      const SigmaOracle oracle = sigma_max_oracle(as_matrix(pts[k], shape.m, shape.n));
      REQUIRE(oracle.certified);
      REQUIRE(encloses(e, oracle.sigma));
    }
    // The box's σ range is at most ‖ΔA‖₂ ≤ ‖ΔA‖_F ≈ 5e-7·√(mn) wide; the enclosure stays near it.
    CHECK(e.upper_double() - e.lower_double() <= 1e-3 * e.upper_double());
  }
}

}  // TEST_SUITE
