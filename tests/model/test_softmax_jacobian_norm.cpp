// ‖diag(p) − ppᵀ‖₂ for p = softmax(z) (include/certbound/model/softmax_jacobian_norm.hpp) against
// an independent Arb oracle.
//
// The oracle (ModelOracle::softmax_jacobian_norm, include/certbound/oracle/model_oracle.hpp)
// computes p = softmax(z) by the textbook shifted formula and λ_max by bisection with Arb balls on
// the secular function in its general form g(λ) = 1 − Σᵢ pᵢ²/(pᵢ − λ) (decreasing on (p₍₂₎, p₍₁₎),
// positive to the left of the root), not the simplex form h = −g/λ the model uses; when the
// largest logits are exactly tied, λ_max = p₍₁₎ (interlacing). The oracle itself is checked
// against a double SVD of the n×n matrix. It runs at 2·(bits of T) + 64 bits, at least 256.
//
// Cases (fixed seeds; logits printed in hex on failure): random logits at several scales, near
// ties at the top (gaps 1e-2 … 1e-15), p → (½, ½, 0, …), three-way ties, one dominant entry (also
// with the others underflowing in double), uniform p, n from 2 to 300; points and boxes of logits.
// Where the certificate applies the enclosure must be narrow (relative width ≤ 1e-12 for double
// intervals); where it cannot (ties, p₍₂₎ = 0, wide boxes) the fallback must be used and still
// enclose.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "certbound/arith/enclosure.hpp"
#include "certbound/arith/interval.hpp"
#include "certbound/arith/mp_interval.hpp"
#include "certbound/linalg/spectral_norm.hpp"
#include "certbound/model/softmax_jacobian_norm.hpp"
#include "certbound/oracle/arb.hpp"
#include "certbound/oracle/model_oracle.hpp"

TYPE_TO_STRING_AS("Interval", certbound::Interval);
TYPE_TO_STRING_AS("Mp128", certbound::Mp128);
TYPE_TO_STRING_AS("Mp257", certbound::Mp257);

namespace {

using certbound::Enclosure;
using certbound::Interval;
using certbound::Mp128;
using certbound::Mp257;
using certbound::Vec;
using certbound::oracle::Ball;
using certbound::oracle::BMat;
using certbound::oracle::encloses;
using certbound::oracle::exact;
using certbound::oracle::hex;
using certbound::oracle::ModelOracle;
using Idx = Eigen::Index;
namespace model = certbound::model;
namespace ops = certbound::ops;

constexpr std::uint64_t kJacobianSeed = 0x5ec01a4e16e7a1ULL;

bool verbose() { return std::getenv("CERTBOUND_MODEL_VERBOSE") != nullptr; }

template <class T>
slong oracle_bits() {
  return std::max<slong>(256, 2 * static_cast<slong>(certbound::precision_bits<T>::value) + 64);
}

std::string hex_list(const std::vector<double>& v) {
  std::string s = "{";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i == 12) return s + " ... (" + std::to_string(v.size()) + " values; regenerate from the seed)}";
    s += (i ? ", " : "") + hex(v[i]);
  }
  return s + "}";
}

double normal(std::mt19937_64& rng) {  // Box–Muller from raw bits (portable)
  const double u1 = 1.0 - certbound::oracle::unit(rng), u2 = certbound::oracle::unit(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

// ---- oracle ---------------------------------------------------------------------------------

/// λ_max of diag(p) − ppᵀ, p = softmax(z), to at least prec − 40 correct bits (the oracle at
/// `prec` bits on the exact logits).
Ball o_lambda_max(const std::vector<double>& z, slong prec) {
  return ModelOracle(prec).softmax_jacobian_norm(exact(z));
}

/// The enclosure contains λ_max of softmax(z). A correct enclosure may have an exact end within
/// 2^-prec of λ_max (λ_max = ½ − 10⁻⁸⁷ under [.., ½]): a failing check is repeated with the oracle
/// at 4× and 16× the precision before it counts (as in test_model_oracle.cpp).
bool oracle_inside(const Enclosure& e, const std::vector<double>& z, slong prec) {
  for (slong bits = prec; bits <= 16 * prec; bits *= 4)
    if (encloses(e, o_lambda_max(z, bits))) return true;
  return false;
}

double ball_mid(const Ball& b) { return arf_get_d(arb_midref(b.b), ARF_RND_NEAR); }

// ---- cases ----------------------------------------------------------------------------------

/// Whether the certificate must succeed on the case (distinct top, p₍₂₎ representable, point
/// logits), or must fail (exact ties at the top, p₍₂₎ = 0 in double), or may do either.
enum class Expect { certified, fallback, either };

struct Case {
  std::string family;
  std::vector<double> z;
  Expect expect;
};

std::vector<Case> make_cases(Idx n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Case> out;
  const size_t m = static_cast<size_t>(n);
  auto random_z = [&](double scale) {
    std::vector<double> z(m);
    for (double& v : z) v = scale * normal(rng);
    return z;
  };
  for (double scale : {0.3, 3.0, 30.0}) out.push_back({"random scale " + std::to_string(scale), random_z(scale),
                                                      n >= 2 ? Expect::certified : Expect::fallback});
  if (n >= 2) {
    for (double gap : {1e-2, 1e-6, 1e-11, 1e-15}) {  // z₁ = z₀ − gap, both above the rest
      std::vector<double> z = random_z(3.0);
      const double top = *std::max_element(z.begin(), z.end()) + 1;
      z[0] = top;
      z[1] = top - gap;
      out.push_back({"near tie " + std::to_string(gap), z, gap >= 1e-6 ? Expect::certified : Expect::either});
    }
    for (double gap : {5.0, 40.0, 200.0}) {  // p → (½, ½, 0, …)
      std::vector<double> z(m, -gap);
      z[0] = z[1] = 0;
      out.push_back({"two halves " + std::to_string(gap), z, Expect::fallback});
      z[1] = -1e-9;
      out.push_back({"two halves, near tie " + std::to_string(gap), z, Expect::either});
    }
    for (double gap : {30.0, 300.0}) {
      std::vector<double> z(m, -gap);
      z[0] = 0;
      out.push_back({"one dominant " + std::to_string(gap), z, Expect::certified});
    }
    std::vector<double> z(m, -800.0);  // the others underflow to 0 in double
    z[0] = 0;
    out.push_back({"one dominant, others underflow", z, Expect::fallback});
    out.push_back({"uniform", std::vector<double>(m, 0.0), Expect::fallback});
  }
  if (n >= 3) {
    std::vector<double> z = random_z(1.0);
    const double top = *std::max_element(z.begin(), z.end()) + 0.5;
    z[0] = z[1] = z[2] = top;
    out.push_back({"three-way tie", z, Expect::fallback});
  }
  if (n == 1) out.push_back({"n = 1", {0.25}, Expect::fallback});
  return out;
}

const std::vector<Idx> kSizes = {1, 2, 3, 5, 8, 17, 64, 65, 100, 300};

template <class T>
Vec<T> point_vec(const std::vector<double>& z) {
  Vec<T> v(static_cast<Idx>(z.size()));
  for (size_t i = 0; i < z.size(); ++i) v(static_cast<Idx>(i)) = T(z[i]);
  return v;
}

/// Relative width allowed where the certificate applies.
template <class T>
double certified_width() {
  return std::is_same_v<T, Interval> ? 1e-12 : std::ldexp(1.0, -static_cast<int>(certbound::precision_bits<T>::value) + 30);
}

}  // namespace

TEST_SUITE("model") {

TEST_CASE("softmax Jacobian norm: the Arb secular oracle agrees with a double SVD of the matrix") {
  long compared = 0;
  for (Idx n : {1, 2, 3, 8, 17, 40}) {
    for (const Case& c : make_cases(n, kJacobianSeed ^ static_cast<std::uint64_t>(n))) {
      INFO("n=", n, " family ", c.family, " z (hex) ", hex_list(c.z));
      Eigen::VectorXd p(n);
      const BMat pb = ModelOracle(256).softmax(exact(c.z));
      for (Idx i = 0; i < n; ++i) p(i) = ball_mid(pb.ball(i));
      Eigen::MatrixXd j = -p * p.transpose();
      j.diagonal() += p;
      const double svd = certbound::linalg::largest_singular_value(j);
      const Ball lambda = o_lambda_max(c.z, 256);
      CHECK(arb_rel_accuracy_bits(lambda.b) > 200);
      INFO("oracle ", ball_mid(lambda), " SVD ", svd);
      CHECK(std::fabs(ball_mid(lambda) - svd) <= 1e-13 * std::max(svd, 1e-300) + 1e-16);
      ++compared;
    }
  }
  CHECK(compared > 50);
}

TEST_CASE_TEMPLATE("softmax Jacobian norm encloses the Arb oracle at point logits", T, Interval, Mp128, Mp257) {
  long certified = 0, fallbacks = 0, tight_ties = 0;
  double worst = 0;
  for (Idx n : kSizes) {
    if (std::is_same_v<T, Mp257> && n > 100) continue;
    for (const Case& c : make_cases(n, kJacobianSeed ^ static_cast<std::uint64_t>(n))) {
      INFO("n=", n, " family ", c.family, " z (hex) ", hex_list(c.z));
      const Vec<T> p = model::softmax(point_vec<T>(c.z));
      const model::JacobianNorm<T> r = model::softmax_jacobian_norm(p);
      const Enclosure e = certbound::to_enclosure(r.enclosure);
      const Ball want = o_lambda_max(c.z, oracle_bits<T>());
      INFO("method ", std::string(model::to_string(r.method)), " enclosure ", e.str(20), " oracle ", ball_mid(want));
      CHECK(oracle_inside(e, c.z, oracle_bits<T>()));
      const double rel = e.width_up() / ball_mid(want);
      if (c.expect == Expect::certified) {
        CHECK(r.method == model::JacobianNormMethod::secular);
        CHECK(rel <= certified_width<T>());
        worst = std::max(worst, rel);
      }
      if (c.expect == Expect::fallback) CHECK(r.method != model::JacobianNormMethod::secular);
      if (r.method == model::JacobianNormMethod::secular) ++certified;
      else ++fallbacks;
      // An exact tie at the top pins λ_max = p₍₁₎ = p₍₂₎: the fallback is as narrow as p itself.
      if (c.expect == Expect::fallback && n >= 2 && c.family != "one dominant, others underflow") {
        CHECK(rel <= (std::is_same_v<T, Interval> ? 1e-12 : 1e-25));
        ++tight_ties;
      }
      // The fallback for small n is the generic enclosure intersected with the O(n) bounds, above
      // it the O(n) bounds alone.
      if (r.method != model::JacobianNormMethod::secular && n >= 2)
        CHECK(r.method == (n <= model::kJacobianNormGenericMaxN ? model::JacobianNormMethod::generic
                                                                : model::JacobianNormMethod::interlacing));
    }
  }
  CHECK(certified > 50);
  CHECK(fallbacks > 20);
  CHECK(tight_ties > 10);
  if (verbose()) MESSAGE("certified ", certified, ", fallbacks ", fallbacks, ", worst certified relative width ", worst);
}

TEST_CASE_TEMPLATE("softmax Jacobian norm: the O(n) interlacing bounds enclose and are p₍₂₎ ≤ λ ≤ p₍₁₎", T, Interval,
                   Mp128) {
  // Teeth: the lower end must reach p₍₂₎ and the upper end must not exceed p₍₁₎, so an interval
  // such as [p₍₃₎, p₍₂₎] (misses λ_max above p₍₂₎) or [0, ½] (no interlacing) fails here.
  long checked = 0;
  for (Idx n : kSizes) {
    if (n < 2) continue;
    for (const Case& c : make_cases(n, kJacobianSeed ^ static_cast<std::uint64_t>(n) ^ 0x1111)) {
      INFO("n=", n, " family ", c.family, " z (hex) ", hex_list(c.z));
      const Vec<T> p = model::softmax(point_vec<T>(c.z));
      const Enclosure e = certbound::to_enclosure(model::softmax_jacobian_norm_interlacing(p));
      const Ball want = o_lambda_max(c.z, oracle_bits<T>());
      const BMat pb = ModelOracle(oracle_bits<T>()).softmax(exact(c.z));
      std::vector<double> sorted;
      for (Idx i = 0; i < pb.size(); ++i) sorted.push_back(ball_mid(pb.ball(i)));
      std::sort(sorted.rbegin(), sorted.rend());
      INFO("enclosure ", e.str(20), " oracle ", ball_mid(want), " p(1) ", sorted[0], " p(2) ", sorted[1]);
      CHECK(oracle_inside(e, c.z, oracle_bits<T>()));
      CHECK(e.lower_double() >= sorted[1] * (1 - 1e-12));
      CHECK(e.upper_double() <= sorted[0] * (1 + 1e-12));
      ++checked;
    }
  }
  CHECK(checked > 100);
}

TEST_CASE_TEMPLATE("softmax Jacobian norm encloses the Arb oracle on boxes of logits", T, Interval, Mp128) {
  // p = softmax(box) is an enclosure over the whole box; the result must contain λ_max at the
  // centre, both corners and random points of it. Wide boxes make the certificate fail (the top
  // two entries overlap) or widen it; either way the result must enclose.
  long points = 0, certified = 0, fallbacks = 0;
  for (Idx n : {2, 3, 8, 65, 300}) {
    std::uint64_t seed = kJacobianSeed ^ (static_cast<std::uint64_t>(n) << 8);
    for (const Case& c : make_cases(n, seed)) {
      for (double w : {1e-12, 1e-8, 1e-4}) {
        std::mt19937_64 rng(seed++);
        std::vector<double> lo(c.z), hi(c.z);
        for (size_t i = 0; i < c.z.size(); ++i) {
          const double r = w * (std::fabs(c.z[i]) + 1) * certbound::oracle::unit(rng);
          lo[i] = c.z[i] - r;
          hi[i] = c.z[i] + r;
        }
        INFO("n=", n, " family ", c.family, " half-width ", w, " lower (hex) ", hex_list(lo), " upper (hex) ",
             hex_list(hi));
        Vec<T> zb(n);
        for (Idx i = 0; i < n; ++i) zb(i) = ops::hull<T>(lo[static_cast<size_t>(i)], hi[static_cast<size_t>(i)]);
        const model::JacobianNorm<T> r = model::softmax_jacobian_norm(model::softmax(zb));
        const Enclosure e = certbound::to_enclosure(r.enclosure);
        (r.method == model::JacobianNormMethod::secular ? certified : fallbacks)++;
        for (int k = 0; k < 4; ++k) {
          std::vector<double> pt(c.z);
          if (k == 1) pt = lo;
          if (k == 2) pt = hi;
          if (k >= 3)
            for (size_t i = 0; i < pt.size(); ++i)
              pt[i] = std::clamp(certbound::oracle::uniform(rng, lo[i], hi[i]), lo[i], hi[i]);
          const Ball want = o_lambda_max(pt, oracle_bits<T>());
          INFO("point ", k, " (hex) ", hex_list(pt), " method ", std::string(model::to_string(r.method)), " enclosure ", e.str(20),
               " oracle ", ball_mid(want));
          CHECK(oracle_inside(e, pt, oracle_bits<T>()));
          ++points;
        }
      }
    }
  }
  CHECK(certified > 20);
  CHECK(fallbacks > 20);
  if (verbose()) MESSAGE(points, " points, ", certified, " certified boxes, ", fallbacks, " fallbacks");
}

TEST_CASE_TEMPLATE("softmax Jacobian norm is at least as tight as the generic spectral-norm enclosure", T, Interval,
                   Mp128) {
  // Where both apply (small n, distinct top), the certificate's ends must be no worse than those
  // of the O(n³) enclosure it replaces, up to a few units in the last place: the witness ratios
  // of `check` use the lower end.
  long compared = 0;
  for (Idx n : {2, 3, 5, 8, 17, 64}) {
    for (const Case& c : make_cases(n, kJacobianSeed ^ static_cast<std::uint64_t>(n) ^ 0x2222)) {
      if (c.expect != Expect::certified) continue;
      INFO("n=", n, " family ", c.family, " z (hex) ", hex_list(c.z));
      const Vec<T> p = model::softmax(point_vec<T>(c.z));
      const model::JacobianNorm<T> r = model::softmax_jacobian_norm(p);
      const model::JacobianNorm<T> g = model::softmax_jacobian_norm(p, n);  // generic allowed up to n
      const double target = 1.0 + std::ldexp(1.0, -static_cast<int>(certbound::precision_bits<T>::value) + 24);
      const Enclosure old = certbound::to_enclosure(certbound::linalg::spectral_norm<T>(model::softmax_jacobian(p), target).enclosure);
      const Enclosure e = certbound::to_enclosure(r.enclosure);
      INFO("new ", e.str(20), " generic ", old.str(20));
      REQUIRE(r.method == model::JacobianNormMethod::secular);
      CHECK(g.method == model::JacobianNormMethod::secular);  // the certificate is tried first
      const double ulps = std::ldexp(8.0, -static_cast<int>(certbound::precision_bits<T>::value));
      CHECK(e.lower_double() >= old.lower_double() * (1 - ulps));
      CHECK(e.upper_double() <= old.upper_double() * (1 + ulps));
      ++compared;
    }
  }
  CHECK(compared > 20);
}

TEST_CASE("softmax Jacobian norm in double follows the secular root and the tie value") {
  for (Idx n : {2, 5, 64, 65, 300}) {
    for (const Case& c : make_cases(n, kJacobianSeed ^ static_cast<std::uint64_t>(n) ^ 0x3333)) {
      INFO("n=", n, " family ", c.family, " z (hex) ", hex_list(c.z));
      const Eigen::VectorXd p = model::softmax(point_vec<double>(c.z));
      const double got = model::softmax_jacobian_norm(p).enclosure;
      const double want = ball_mid(o_lambda_max(c.z, 256));
      CHECK(std::fabs(got - want) <= 1e-10 * want + 1e-300);
    }
  }
}

}  // TEST_SUITE("model")
