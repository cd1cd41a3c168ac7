// The softmax-regression model (include/certbound/model/softmax_regression.hpp) against the
// independent Arb oracle (include/certbound/oracle/model_oracle.hpp, shared with `certbound
// stress`) at 512 bits. The oracle uses textbook formulas, deliberately NOT the model's code path
// (its header lists them): a chain-rule gradient and Hessian against the model's Aᵀ(diag f − ffᵀ)c
// and AᵀB(x)A, the closed form Aᵀ(diag f − ffᵀ)c with an explicit n×n matrix for the AD test, and
// the B(x) formula of proofs/STATEMENTS.md for the nested-Dual test.
//
// Every enclosure (to_enclosure) must contain the Arb ball. When a check fails at 512 bits, the
// oracle is re-run at 4096 and 16384 bits before anything is reported (escalate(): a correct
// enclosure such as [1 − 2⁻⁵², 1] ∋ 1 − e⁻¹⁴⁰⁰ needs a ball sharper than 2⁻⁵¹² to be seen inside).
// Point inputs of the "moderate" regime also check teeth: the oracle value moved by
// 1e-6·(|v| + max|output|) must NOT be enclosed (every function, asserted per function).
// Interval boxes: the model's enclosure must contain the oracle value at several points of the box.
// Inputs are generated per case from a printed seed (std::mt19937_64, oracle::uniform bit mapping) and
// dumped in hex on failure. Set CERTBOUND_MODEL_VERBOSE=1 to print per-test tallies.
#include <doctest/doctest.h>
#include <flint/flint.h>
#include <mpfr.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include "certbound/arith/enclosure.hpp"
#include "certbound/arith/interval.hpp"
#include "certbound/arith/mp_interval.hpp"
#include "certbound/arith/ops.hpp"
#include "certbound/linalg/eigen_support.hpp"
#include "certbound/model/dual.hpp"  // before the model: ops::mid/exp/sqr for Dual must be visible
#include "certbound/model/softmax_regression.hpp"
#include "certbound/oracle/arb.hpp"
#include "certbound/oracle/model_oracle.hpp"

TYPE_TO_STRING_AS("Interval", certbound::Interval);
TYPE_TO_STRING_AS("Mp128", certbound::Mp128);
TYPE_TO_STRING_AS("Mp257", certbound::Mp257);
TYPE_TO_STRING_AS("Dual<Interval>", certbound::Dual<certbound::Interval>);

namespace {

using certbound::Enclosure;
using certbound::Interval;
using certbound::Mat;
using certbound::Mp128;
using certbound::Mp257;
using certbound::Vec;
using certbound::oracle::Ball;
using certbound::oracle::BMat;
using certbound::oracle::encloses;
using certbound::oracle::exact;
using certbound::oracle::hex;
using certbound::oracle::ModelOracle;
using certbound::oracle::uniform;
using Idx = Eigen::Index;
namespace model = certbound::model;
namespace ops = certbound::ops;

/// Working precision of the oracle (bits). 512 normally; raised by escalate() for a second look.
slong kPrec = 512;
constexpr slong kPrecLadder[] = {512, 4096, 16384};
constexpr std::uint64_t kSeed = 0x50f7a11ce5eed001ULL;

template <class T>
constexpr bool is_double_interval = std::is_same_v<T, Interval>;

bool verbose() { return std::getenv("CERTBOUND_MODEL_VERBOSE") != nullptr; }

// ---- the oracle at the current precision ----------------------------------------------------

ModelOracle oracle() { return ModelOracle(kPrec); }

/// The rational 1/10 (not the double 0.1) as an Arb ball.
Ball one_tenth() {
  Ball t;
  arb_set_ui(t.b, 1);
  arb_div_ui(t.b, t.b, 10, kPrec);
  return t;
}

// ---- inputs ---------------------------------------------------------------------------------

enum class Regime { moderate, logits50, near700, beyond709 };

const char* regime_name(Regime r) {
  switch (r) {
    case Regime::moderate: return "moderate";
    case Regime::logits50: return "logits50";
    case Regime::near700: return "near700";
    default: return "beyond709";
  }
}

std::uint64_t splitmix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t case_seed(std::uint64_t tag, Idx n, Idx d, Regime r, int rep) {
  std::uint64_t s = splitmix(kSeed ^ tag);
  s = splitmix(s ^ static_cast<std::uint64_t>(n));
  s = splitmix(s ^ (static_cast<std::uint64_t>(d) << 20));
  s = splitmix(s ^ (static_cast<std::uint64_t>(r) << 40));
  return splitmix(s ^ (static_cast<std::uint64_t>(rep) << 50));
}

std::string hex_seed(std::uint64_t s) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%016llx", static_cast<unsigned long long>(s));
  return buf;
}

/// Point inputs of one case: A (n×d), x, b, a probability-like p, attention weights.
struct Inputs {
  std::uint64_t seed = 0;
  Idx n = 0, d = 0;
  Regime regime = Regime::moderate;
  Eigen::MatrixXd a, wq, wk, wv;
  Eigen::VectorXd x, b, p;
};

/// Logits (Ax)_i are ~U(−d, d)-ish (moderate) or hit targets: U(−50, 50), ±(700 ± 9) (one sign, or
/// mixed signs per row), ±U(740, 760); the last column of A is solved for the target.
Inputs make_inputs(std::uint64_t seed, Idx n, Idx d, Regime regime) {
  std::mt19937_64 rng(seed);
  Inputs in;
  in.seed = seed;
  in.n = n;
  in.d = d;
  in.regime = regime;
  in.a.resize(n, d);
  in.x.resize(d);
  if (regime == Regime::moderate) {
    for (Idx j = 0; j < d; ++j) in.x(j) = uniform(rng, -1, 1);
    for (Idx i = 0; i < n; ++i)
      for (Idx j = 0; j < d; ++j) in.a(i, j) = uniform(rng, -1, 1);
  } else {
    for (Idx j = 0; j < d; ++j) in.x(j) = ((rng() & 1) ? 1.0 : -1.0) * uniform(rng, 0.5, 1.5);
    const bool mixed = rng() % 3 == 0;
    const double sign0 = (rng() & 1) ? 1.0 : -1.0;
    for (Idx i = 0; i < n; ++i) {
      const double s = mixed ? ((rng() & 1) ? 1.0 : -1.0) : sign0;
      double t = 0;
      if (regime == Regime::logits50) t = uniform(rng, -50, 50);
      if (regime == Regime::near700) t = s * (700 + uniform(rng, -9, 9));
      if (regime == Regime::beyond709) t = s * uniform(rng, 740, 760);
      double partial = 0;
      for (Idx j = 0; j + 1 < d; ++j) {
        in.a(i, j) = uniform(rng, -1, 1);
        partial += in.a(i, j) * in.x(j);
      }
      in.a(i, d - 1) = (t - partial) / in.x(d - 1);
    }
  }
  in.b.resize(n);
  for (Idx i = 0; i < n; ++i) in.b(i) = uniform(rng, -0.5, 1.0);
  in.p.resize(n);
  double total = 0;
  for (Idx i = 0; i < n; ++i) total += in.p(i) = uniform(rng, 0.0, 1.0);
  for (Idx i = 0; i < n; ++i) in.p(i) /= total;
  double amax = 1e-3;
  for (Idx i = 0; i < n; ++i)
    for (Idx j = 0; j < d; ++j) amax = std::max(amax, std::fabs(in.a(i, j)));
  const double sq = 2.0 / (std::sqrt(static_cast<double>(d)) * amax), sv = 0.5 / static_cast<double>(d);
  in.wq.resize(d, d);
  in.wk.resize(d, d);
  in.wv.resize(d, d);
  for (Idx i = 0; i < d; ++i)
    for (Idx j = 0; j < d; ++j) {
      in.wq(i, j) = sq * uniform(rng, -1, 1);
      in.wk(i, j) = sq * uniform(rng, -1, 1);
      in.wv(i, j) = sv * uniform(rng, -1, 1);
    }
  return in;
}

std::string hex_values(const Eigen::MatrixXd& m, Idx limit = 64) {
  std::string s = "{";
  Idx count = 0;
  for (Idx i = 0; i < m.rows(); ++i)
    for (Idx j = 0; j < m.cols(); ++j) {
      if (count == limit) return s + " ... (" + std::to_string(m.size()) + " values; regenerate from the seed)}";
      if (count++) s += ", ";
      s += hex(m(i, j));
    }
  return s + "}";
}

/// Row-major hex dump of the inputs (truncated for large shapes: the seed regenerates them).
std::string dump(const Inputs& in) {
  return "A=" + hex_values(in.a) + " x=" + hex_values(in.x) + " b=" + hex_values(in.b) + " p=" + hex_values(in.p) +
         " W_Q=" + hex_values(in.wq) + " W_K=" + hex_values(in.wk) + " W_V=" + hex_values(in.wv);
}

std::string describe(const Inputs& in) {
  return "seed " + hex_seed(in.seed) + " n=" + std::to_string(in.n) + " d=" + std::to_string(in.d) + " regime " +
         regime_name(in.regime);
}

/// An interval box around `center` (A, x, b, p get random relative half-widths of order `w`; the
/// attention weights stay points), and random points inside it.
struct Box {
  Inputs lo, hi, center;
};

Box make_box(const Inputs& center, double w, std::mt19937_64& rng) {
  Box box{center, center, center};
  auto widen = [&](const Eigen::MatrixXd& c, Eigen::MatrixXd& lo, Eigen::MatrixXd& hi) {
    for (Idx i = 0; i < c.rows(); ++i)
      for (Idx j = 0; j < c.cols(); ++j) {
        const double r = std::fabs(c(i, j)) * w * certbound::oracle::unit(rng);
        lo(i, j) = c(i, j) - r;
        hi(i, j) = c(i, j) + r;
      }
  };
  widen(center.a, box.lo.a, box.hi.a);
  Eigen::MatrixXd xl = box.lo.x, xh = box.hi.x, bl = box.lo.b, bh = box.hi.b, pl = box.lo.p, ph = box.hi.p;
  widen(center.x, xl, xh);
  widen(center.b, bl, bh);
  widen(center.p, pl, ph);
  box.lo.x = xl;
  box.hi.x = xh;
  box.lo.b = bl;
  box.hi.b = bh;
  box.lo.p = pl;
  box.hi.p = ph;
  return box;
}

/// A point of the box: 0 center, 1 lower corner, 2 upper corner, else random.
Inputs box_point(const Box& box, int which, std::mt19937_64& rng) {
  if (which == 0) return box.center;
  if (which == 1) return box.lo;
  if (which == 2) return box.hi;
  Inputs p = box.center;
  auto pick = [&](const Eigen::MatrixXd& lo, const Eigen::MatrixXd& hi, auto& out) {
    for (Idx i = 0; i < lo.rows(); ++i)
      for (Idx j = 0; j < lo.cols(); ++j)
        out(i, j) = std::clamp(uniform(rng, lo(i, j), hi(i, j)), lo(i, j), hi(i, j));
  };
  pick(box.lo.a, box.hi.a, p.a);
  pick(box.lo.x, box.hi.x, p.x);
  pick(box.lo.b, box.hi.b, p.b);
  pick(box.lo.p, box.hi.p, p.p);
  return p;
}

std::string dump_box(const Box& box) {
  return "lower: " + dump(box.lo) + " | upper: " + dump(box.hi);
}

// ---- scalar-type side -----------------------------------------------------------------------

template <class T>
Mat<T> tmat(const Eigen::MatrixXd& lo, const Eigen::MatrixXd& hi) {
  Mat<T> r(lo.rows(), lo.cols());
  for (Idx i = 0; i < lo.rows(); ++i)
    for (Idx j = 0; j < lo.cols(); ++j) r(i, j) = lo(i, j) == hi(i, j) ? T(lo(i, j)) : ops::hull<T>(lo(i, j), hi(i, j));
  return r;
}
template <class T>
Vec<T> tvec(const Eigen::VectorXd& lo, const Eigen::VectorXd& hi) {
  Vec<T> r(lo.size());
  for (Idx i = 0; i < lo.size(); ++i) r(i) = lo(i) == hi(i) ? T(lo(i)) : ops::hull<T>(lo(i), hi(i));
  return r;
}

/// Which of the costly outputs a shape gets (runtime budget).
struct Plan {
  bool softmax_jacobian = true, jacobian_a = true, hessian = true, attention = true;
};

template <class T>
Plan plan_for(Idx n, Idx d) {
  Plan p;
  p.softmax_jacobian = n <= 64 || d == 1;
  p.jacobian_a = n * n * d <= 70000;
  p.hessian = n <= 64 || (d == 1 || (is_double_interval<T> && d <= 4));
  p.attention = n <= 64;
  return p;
}

template <class T>
struct ModelOut {
  Vec<T> u, f, c, grad, step, wshift, dshift;
  T alpha, loss;
  Mat<T> sjac_f, sjac_p, jx, ja, hess, attn;
};

template <class T>
ModelOut<T> run_model(const Inputs& lo, const Inputs& hi, const Plan& plan) {
  const Mat<T> a = tmat<T>(lo.a, hi.a);
  const Vec<T> x = tvec<T>(lo.x, hi.x), b = tvec<T>(lo.b, hi.b), p = tvec<T>(lo.p, hi.p);
  ModelOut<T> o;
  o.u = model::u(a, x);
  o.alpha = model::alpha(a, x);
  o.f = model::f(a, x);
  o.c = model::c(a, x, b);
  o.loss = model::loss(a, x, b);
  o.grad = model::gradient(a, x, b);
  o.jx = model::jacobian_x(a, x);
  if (plan.softmax_jacobian) {
    o.sjac_f = model::softmax_jacobian(model::softmax(model::matvec(a, x)));
    o.sjac_p = model::softmax_jacobian(p);
  }
  if (plan.jacobian_a) o.ja = model::jacobian_a(a, x);
  if (plan.hessian) o.hess = model::hessian(a, x, b);
  const T eta = ops::rational<T>(1, 10);
  o.step = model::gradient_step(a, x, b, eta);
  o.wshift = model::weight_shift_target(a, x, o.step, b);
  if (plan.attention) {
    const Mat<T> wq = tmat<T>(lo.wq, hi.wq), wk = tmat<T>(lo.wk, hi.wk), wv = tmat<T>(lo.wv, hi.wv);
    o.attn = model::self_attention_update(a, wq, wk, wv);
    o.dshift = model::data_shift_target(a, o.attn, x, b);
  }
  return o;
}

struct OracleOut {
  BMat u, f, c, grad, step, wshift, dshift;  // vectors: n×1 or d×1
  Ball alpha, loss;
  BMat sjac_f, sjac_p, jx, ja, hess, attn;
};

OracleOut run_oracle(const Inputs& in, const Plan& plan) {
  const ModelOracle orc = oracle();
  const BMat a = exact(in.a), x = exact(in.x), b = exact(in.b), p = exact(in.p);
  OracleOut o;
  o.u = orc.u(a, x);
  o.alpha = orc.alpha(a, x);
  o.f = orc.f(a, x);
  o.c = orc.c(a, x, b);
  o.loss = orc.loss(a, x, b);
  o.grad = orc.gradient(a, x, b);
  o.jx = orc.jacobian_x(a, x);
  if (plan.softmax_jacobian) {
    o.sjac_f = orc.softmax_jacobian(o.f);
    o.sjac_p = orc.softmax_jacobian(p);
  }
  if (plan.jacobian_a) o.ja = orc.jacobian_a(a, x);
  if (plan.hessian) o.hess = orc.hessian(a, x, b);
  const Ball eta = one_tenth();
  o.step = orc.gradient_step(a, x, b, eta);
  o.wshift = orc.weight_shift(a, x, b, eta);
  if (plan.attention) {
    o.attn = orc.self_attention_update(a, exact(in.wq), exact(in.wk), exact(in.wv));
    o.dshift = orc.data_shift(a, o.attn, x, b);
  }
  return o;
}

// ---- containment checks ---------------------------------------------------------------------

struct Tally {
  long contained = 0, teeth = 0, failures = 0, reported = 0, cases = 0, escalated = 0;
  std::map<std::string, long> teeth_by_function;
  bool buffer = false;                // collect failure messages instead of reporting them
  std::vector<std::string> messages;  // (buffered)
};

std::string ball_str(const Ball& b) {
  char* s = arb_get_str(b.b, 30, 0);
  std::string r(s);
  flint_free(s);
  if (!mag_is_zero(arb_radref(b.b))) {
    char buf[48];
    std::snprintf(buf, sizeof buf, " (radius ~2^%.1f)", mag_get_d_log2_approx(arb_radref(b.b)));
    r += buf;
  } else {
    r += " (exact)";
  }
  return r;
}

std::string enc_str(const Enclosure& e) {
  std::string s(1, '[');
  s.append(certbound::to_hex(e.lo)).append(", ").append(certbound::to_hex(e.hi)).append("] ~ ").append(e.str(20));
  return s;
}

void fail(Tally& t, const std::string& msg) {
  ++t.failures;
  if (t.buffer) {
    if (t.messages.size() < 20) t.messages.push_back(msg);
    return;
  }
  if (t.reported++ < 20) FAIL_CHECK(msg);
}

/// Runs attempt(tally) (oracle evaluation + checks) at 512 bits and, if anything fails, again at
/// 4096 and 16384 bits. A correct enclosure may have an exact endpoint within 2^-512 of the true
/// value (f_k = 1 − e^{−1400} under [.., 1]; p(1 − p) = e^{−1400}·… over [0, ..]): Arb needs a
/// sharper ball to see it inside. Only failures that persist at 16384 bits are reported.
template <class F>
void escalate(Tally& t, F&& attempt) {
  const size_t levels = sizeof kPrecLadder / sizeof kPrecLadder[0];
  for (size_t k = 0; k < levels; ++k) {
    kPrec = kPrecLadder[k];
    Tally trial;
    trial.buffer = true;
    attempt(trial);
    if (trial.failures == 0 || k + 1 == levels) {
      t.contained += trial.contained;
      t.teeth += trial.teeth;
      for (const auto& [fn, count] : trial.teeth_by_function) t.teeth_by_function[fn] += count;
      if (k > 0) ++t.escalated;
      for (const std::string& m : trial.messages) fail(t, m + " [oracle at " + std::to_string(kPrec) + " bits]");
      t.failures += trial.failures - static_cast<long>(trial.messages.size());
      break;
    }
  }
  kPrec = kPrecLadder[0];
}

std::string where(const char* fn, Idx i, Idx j) {
  std::string s(fn);
  s.append(1, '[').append(std::to_string(i));
  if (j >= 0) s.append(1, ',').append(std::to_string(j));
  s.append(1, ']');
  return s;
}

/// max |mid| over the entries (0 for an empty matrix).
Ball max_abs_mid(const BMat& v) {
  Ball m, t;
  for (Idx k = 0; k < v.size(); ++k) {
    arb_get_mid_arb(t.b, v[k]);
    arb_abs(t.b, t.b);
    if (arf_cmp(arb_midref(t.b), arb_midref(m.b)) > 0) arb_set(m.b, t.b);
  }
  return m;
}

/// want ∈ enc; with a scale: want ± 1e-6·(|want| + scale) ∉ enc (the check has teeth).
void check_one(Tally& t, const char* fn, Idx i, Idx j, const Enclosure& enc, const Ball& want, const Ball* scale) {
  if (!encloses(enc, want)) {
    fail(t, where(fn, i, j) + ": enclosure " + enc_str(enc) + " misses the Arb value " + ball_str(want));
    return;
  }
  ++t.contained;
  if (scale == nullptr) return;
  Ball delta, eps(1e-6), up, down;
  arb_get_mid_arb(delta.b, want.b);
  arb_abs(delta.b, delta.b);
  arb_add(delta.b, delta.b, scale->b, kPrec);
  arb_mul(delta.b, delta.b, eps.b, kPrec);
  arb_add(up.b, want.b, delta.b, kPrec);
  arb_sub(down.b, want.b, delta.b, kPrec);
  if (encloses(enc, up) || encloses(enc, down)) {
    fail(t, where(fn, i, j) + ": no teeth, enclosure " + enc_str(enc) + " also contains the Arb value " +
                ball_str(want) + " moved by 1e-6 relative");
    return;
  }
  ++t.teeth;
  ++t.teeth_by_function[fn];
}

template <class T>
void check_scalar(Tally& t, const char* fn, const T& got, const Ball& want, bool teeth) {
  Ball scale;
  arb_get_mid_arb(scale.b, want.b);
  arb_abs(scale.b, scale.b);
  const bool use = teeth && !arb_is_zero(scale.b);
  check_one(t, fn, 0, -1, certbound::to_enclosure(got), want, use ? &scale : nullptr);
}

template <class T>
void check_vec(Tally& t, const char* fn, const Vec<T>& got, const BMat& want, bool teeth) {
  if (want.cols() != 1 || got.size() != want.size()) {
    fail(t, std::string(fn) + ": size " + std::to_string(got.size()) + ", expected " + std::to_string(want.rows()) +
                "x" + std::to_string(want.cols()) + " (a column)");
    return;
  }
  const Ball scale = max_abs_mid(want);
  const bool use = teeth && !arb_is_zero(scale.b);
  for (Idx i = 0; i < got.size(); ++i)
    check_one(t, fn, i, -1, certbound::to_enclosure(got(i)), want.ball(i), use ? &scale : nullptr);
}

template <class T>
void check_mat(Tally& t, const char* fn, const Mat<T>& got, const BMat& want, bool teeth) {
  if (got.rows() != want.rows() || got.cols() != want.cols()) {
    fail(t, std::string(fn) + ": shape " + std::to_string(got.rows()) + "x" + std::to_string(got.cols()) +
                ", expected " + std::to_string(want.rows()) + "x" + std::to_string(want.cols()));
    return;
  }
  const Ball scale = max_abs_mid(want);
  const bool use = teeth && !arb_is_zero(scale.b);
  for (Idx i = 0; i < want.rows(); ++i)
    for (Idx j = 0; j < want.cols(); ++j)
      check_one(t, fn, i, j, certbound::to_enclosure(got(i, j)), want.ball(i * want.cols() + j),
                use ? &scale : nullptr);
}

template <class T>
void compare(Tally& t, const ModelOut<T>& m, const OracleOut& o, const Plan& plan, bool teeth) {
  check_vec(t, "u", m.u, o.u, teeth);
  check_scalar(t, "alpha", m.alpha, o.alpha, teeth);
  check_vec(t, "f", m.f, o.f, teeth);
  check_vec(t, "c", m.c, o.c, teeth);
  check_scalar(t, "loss", m.loss, o.loss, teeth);
  check_vec(t, "gradient", m.grad, o.grad, teeth);
  check_mat(t, "jacobian_x", m.jx, o.jx, teeth);
  if (plan.softmax_jacobian) {
    check_mat(t, "softmax_jacobian(f)", m.sjac_f, o.sjac_f, teeth);
    check_mat(t, "softmax_jacobian(p)", m.sjac_p, o.sjac_p, teeth);
  }
  if (plan.jacobian_a) check_mat(t, "jacobian_a", m.ja, o.ja, teeth);
  if (plan.hessian) check_mat(t, "hessian", m.hess, o.hess, teeth);
  check_vec(t, "gradient_step", m.step, o.step, teeth);
  check_vec(t, "weight_shift_target", m.wshift, o.wshift, teeth);
  if (plan.attention) {
    check_mat(t, "self_attention_update", m.attn, o.attn, teeth);
    check_vec(t, "data_shift_target", m.dshift, o.dshift, teeth);
  }
}

void report(const std::string& what, const Tally& t) {
  if (verbose())
    MESSAGE(what, ": ", t.cases, " cases, ", t.contained, " enclosures contain the oracle, ", t.teeth,
            " perturbed values rejected, ", t.escalated, " oracle runs escalated beyond 512 bits, ", t.failures,
            " failures");
}

const std::vector<Idx> kSmallN = {1, 2, 3, 8, 64};
const std::vector<Idx> kD = {1, 4, 16};
const std::vector<Regime> kRegimes = {Regime::moderate, Regime::logits50, Regime::near700, Regime::beyond709};

struct PointSpec {
  Idx n, d;
  Regime regime;
  int rep;
};

template <class T>
std::vector<PointSpec> point_specs() {
  std::vector<PointSpec> s;
  if constexpr (std::is_same_v<T, Mp257>) {
    for (Idx n : {1, 3, 8})
      for (Idx d : {1, 4})
        for (Regime r : {Regime::moderate, Regime::beyond709}) s.push_back({n, d, r, 0});
  } else {
    for (Idx n : kSmallN)
      for (Idx d : kD)
        for (Regime r : kRegimes)
          for (int rep = 0; rep < 2; ++rep) s.push_back({n, d, r, rep});
    s.push_back({512, 1, Regime::moderate, 0});
    s.push_back({512, 4, Regime::logits50, 0});
    s.push_back({512, 16, Regime::moderate, 0});
    s.push_back({512, 16, Regime::near700, 0});
    s.push_back({512, 4, Regime::beyond709, 0});
  }
  return s;
}

/// Teeth only where a 1e-6 relative gap is certain to separate: moderate logits (|Ax| <= d).
/// Near ±700 and beyond the outputs may leave the double range (Interval) or cancel to far below
/// the working precision (one-hot softmax), where only containment is meaningful.
bool teeth_for(Regime r) { return r == Regime::moderate; }

// ---- (a) and (b): softmax tightness helpers --------------------------------------------------

/// Exact range of f_i over the box [lo, hi]ⁿ: f_i increases in z_i and decreases in every z_j.
void softmax_range(const Eigen::VectorXd& lo, const Eigen::VectorXd& hi, Idx i, Ball& fmin, Ball& fmax) {
  Ball el, eh, sl, sh, t;
  for (Idx j = 0; j < lo.size(); ++j) {
    if (j == i) continue;
    arb_set_d(t.b, lo(j));
    arb_exp(t.b, t.b, kPrec);
    arb_add(sl.b, sl.b, t.b, kPrec);
    arb_set_d(t.b, hi(j));
    arb_exp(t.b, t.b, kPrec);
    arb_add(sh.b, sh.b, t.b, kPrec);
  }
  arb_set_d(el.b, lo(i));
  arb_exp(el.b, el.b, kPrec);
  arb_set_d(eh.b, hi(i));
  arb_exp(eh.b, eh.b, kPrec);
  arb_add(t.b, el.b, sh.b, kPrec);
  arb_div(fmin.b, el.b, t.b, kPrec);
  arb_add(t.b, eh.b, sl.b, kPrec);
  arb_div(fmax.b, eh.b, t.b, kPrec);
}

/// Upper bound of (fmax − fmin) as a double.
double range_width_up(const Ball& fmin, const Ball& fmax) {
  Ball w;
  arb_sub(w.b, fmax.b, fmin.b, kPrec);
  arf_t ub;
  arf_init(ub);
  arb_get_ubound_arf(ub, w.b, 64);
  const double r = arf_get_d(ub, ARF_RND_UP);
  arf_clear(ub);
  return r;
}

double ball_lower_double(const Ball& b) {
  arf_t lb;
  arf_init(lb);
  arb_get_lbound_arf(lb, b.b, 64);
  const double r = arf_get_d(lb, ARF_RND_DOWN);
  arf_clear(lb);
  return r;
}

}  // namespace

TEST_SUITE("model") {

TEST_CASE_TEMPLATE("model functions enclose the Arb oracle at point inputs", T, Interval, Mp128, Mp257) {
  Tally tally;
  for (const PointSpec& spec : point_specs<T>()) {
    const Inputs in = make_inputs(case_seed(1, spec.n, spec.d, spec.regime, spec.rep), spec.n, spec.d, spec.regime);
    INFO("case ", describe(in));
    INFO("inputs (hex) ", dump(in));
    const Plan plan = plan_for<T>(spec.n, spec.d);
    const ModelOut<T> m = run_model<T>(in, in, plan);
    escalate(tally, [&](Tally& t) { compare(t, m, run_oracle(in, plan), plan, teeth_for(spec.regime)); });
    ++tally.cases;
  }
  CHECK(tally.failures == 0);
  CHECK(tally.contained > 0);
  // Every function was also shown to reject a value 1e-6 (relative) off the oracle.
  for (const char* fn : {"u", "alpha", "f", "c", "loss", "gradient", "jacobian_x", "softmax_jacobian(f)",
                         "softmax_jacobian(p)", "jacobian_a", "hessian", "gradient_step", "weight_shift_target",
                         "self_attention_update", "data_shift_target"}) {
    INFO("function ", fn);
    CHECK(tally.teeth_by_function[fn] > 0);
  }
  report("point inputs", tally);
}

TEST_CASE_TEMPLATE("model functions enclose the Arb oracle at sampled points of interval boxes", T, Interval, Mp128) {
  Tally tally;
  long points = 0;
  std::vector<PointSpec> specs;
  for (Idx n : kSmallN)
    for (Idx d : kD)
      for (Regime r : kRegimes) specs.push_back({n, d, r, 0});
  specs.push_back({512, 4, Regime::moderate, 0});
  for (const PointSpec& spec : specs) {
    const std::uint64_t seed = case_seed(2, spec.n, spec.d, spec.regime, spec.rep);
    const Inputs center = make_inputs(seed, spec.n, spec.d, spec.regime);
    std::mt19937_64 rng(splitmix(seed));
    static const double kWidths[] = {1e-12, 1e-8, 1e-4};
    const double w = kWidths[rng() % 3];
    const Box box = make_box(center, w, rng);
    INFO("case ", describe(center), " relative half-width <= ", w);
    INFO("box (hex) ", dump_box(box));
    Plan plan = plan_for<T>(spec.n, spec.d);
    if (spec.n > 64) plan.hessian = false;
    const ModelOut<T> m = run_model<T>(box.lo, box.hi, plan);
    const int samples = spec.n >= 64 ? 4 : 6;
    for (int k = 0; k < samples; ++k) {
      const Inputs pt = box_point(box, k, rng);
      INFO("sample point ", k, " (0 center, 1 lower corner, 2 upper corner, else random) ", dump(pt));
      escalate(tally, [&](Tally& t) { compare(t, m, run_oracle(pt, plan), plan, false); });
      ++points;
    }
    ++tally.cases;
  }
  CHECK(tally.failures == 0);
  CHECK(tally.contained > 0);
  if (verbose()) MESSAGE(points, " sampled points");
  report("interval boxes", tally);
}

TEST_CASE_TEMPLATE("softmax of point logits within 50 is tight", T, Interval, Mp128) {
  // Relative width of f_i for point z: a few ulps of |z| <= 100 through exp and n additions.
  const double rel = is_double_interval<T> ? 1e-13 : 1e-33;
  Tally tally;
  long tight = 0;
  double worst = 0;
  for (Idx n : kSmallN) {
    for (int rep = 0; rep < 20; ++rep) {
      const std::uint64_t seed = case_seed(3, n, 0, Regime::logits50, rep);
      std::mt19937_64 rng(seed);
      const double spread = rep % 4 == 0 ? 1.0 : 50.0;
      Eigen::VectorXd z(n);
      for (Idx i = 0; i < n; ++i) z(i) = uniform(rng, -spread, spread);
      INFO("seed ", hex_seed(seed), " z (hex) ", hex_values(z, 64));
      const Vec<T> f = model::softmax(tvec<T>(z, z));
      const BMat want = oracle().softmax(exact(z));
      check_vec(tally, "softmax", f, want, true);
      for (Idx i = 0; i < n; ++i) {
        const Enclosure e = certbound::to_enclosure(f(i));
        const double fi = ball_lower_double(want.ball(i));
        INFO("i=", i, " f_i ~ ", fi, " enclosure ", enc_str(e));
        CHECK(e.width_up() <= rel * fi);
        worst = std::max(worst, e.width_up() / fi);
        ++tight;
      }
      ++tally.cases;
    }
  }
  CHECK(tally.failures == 0);
  if (verbose()) MESSAGE(tight, " entries within relative width ", rel, ", worst relative width ", worst);
  report("softmax tightness", tally);
}

TEST_CASE_TEMPLATE("softmax of wide boxes stays within 1.01 of the exact range where u over alpha does not", T,
                   Interval, Mp128) {
  // (1) z_i = [-1, 1], n = 8: f_i ranges over [1/(1 + 7e^2), 1/(1 + 7e^-2)] exactly.
  {
    const Idx n = 8;
    const Eigen::VectorXd lo = Eigen::VectorXd::Constant(n, -1.0), hi = Eigen::VectorXd::Constant(n, 1.0);
    const Vec<T> z = tvec<T>(lo, hi);
    const Vec<T> f = model::softmax(z);
    // The dependency-prone textbook evaluation u/α (z_i occurs in u_i and in α).
    const Mat<T> eye = Mat<T>::Identity(n, n);
    const Vec<T> u = model::u(eye, z);
    const T alpha = model::alpha(eye, z);
    Ball e2, fmin, fmax;
    arb_const_e(e2.b, kPrec);
    arb_sqr(e2.b, e2.b, kPrec);
    arb_mul_ui(fmin.b, e2.b, 7, kPrec);
    arb_add_ui(fmin.b, fmin.b, 1, kPrec);
    arb_inv(fmin.b, fmin.b, kPrec);  // 1/(1 + 7e²)
    arb_inv(fmax.b, e2.b, kPrec);
    arb_mul_ui(fmax.b, fmax.b, 7, kPrec);
    arb_add_ui(fmax.b, fmax.b, 1, kPrec);
    arb_inv(fmax.b, fmax.b, kPrec);  // 1/(1 + 7e⁻²)
    Ball check_min, check_max;        // the generic range routine agrees with the closed form
    softmax_range(lo, hi, 0, check_min, check_max);
    CHECK(arb_overlaps(check_min.b, fmin.b));
    CHECK(arb_overlaps(check_max.b, fmax.b));
    const double bound = 1.01 * range_width_up(fmin, fmax) + 1e-12;
    for (Idx i = 0; i < n; ++i) {
      const Enclosure e = certbound::to_enclosure(f(i));
      const Enclosure naive = certbound::to_enclosure(T(u(i) / alpha));
      INFO("i=", i, " softmax ", enc_str(e), " u/alpha ", enc_str(naive), " exact [", ball_str(fmin), ", ",
           ball_str(fmax), "] bound on width ", bound);
      CHECK(encloses(e, fmin));
      CHECK(encloses(e, fmax));
      CHECK(e.width_up() <= bound);
      // The same check rejects the naive formula (it encloses, but is about twice too wide).
      CHECK(encloses(naive, fmin));
      CHECK_FALSE(naive.width_up() <= bound);
    }
  }
  // (2) random wide boxes, half-widths up to 1, centres within ±5 (plus an offset of 700).
  long boxes = 0;
  for (Idx n : {2, 3, 8, 64}) {
    for (int rep = 0; rep < 8; ++rep) {
      const std::uint64_t seed = case_seed(4, n, 0, Regime::moderate, rep);
      std::mt19937_64 rng(seed);
      const double offset = rep % 4 == 3 ? 700.0 : 0.0;
      Eigen::VectorXd lo(n), hi(n);
      for (Idx i = 0; i < n; ++i) {
        const double c = offset + uniform(rng, -5, 5), r = uniform(rng, 0, 1);
        lo(i) = c - r;
        hi(i) = c + r;
      }
      INFO("seed ", hex_seed(seed), " lower (hex) ", hex_values(lo), " upper (hex) ", hex_values(hi));
      const Vec<T> f = model::softmax(tvec<T>(lo, hi));
      for (Idx i = 0; i < n; ++i) {
        Ball fmin, fmax;
        softmax_range(lo, hi, i, fmin, fmax);
        const Enclosure e = certbound::to_enclosure(f(i));
        const double bound = 1.01 * range_width_up(fmin, fmax) + 1e-12;
        INFO("i=", i, " softmax ", enc_str(e), " exact [", ball_str(fmin), ", ", ball_str(fmax), "]");
        CHECK(encloses(e, fmin));
        CHECK(encloses(e, fmax));
        CHECK(e.width_up() <= bound);
      }
      ++boxes;
    }
  }
  if (verbose()) MESSAGE(boxes, " random wide boxes");
}

TEST_CASE_TEMPLATE("Dual loss gradient encloses the Arb closed form gradient", T, Interval, Mp128) {
  using D1 = certbound::Dual<T>;
  Tally tally;
  std::vector<PointSpec> specs;
  for (Idx n : kSmallN)
    for (Idx d : kD)
      for (Regime r : {Regime::moderate, Regime::logits50}) specs.push_back({n, d, r, 0});
  specs.push_back({512, 4, Regime::moderate, 0});
  for (const PointSpec& spec : specs) {
    const Inputs in = make_inputs(case_seed(5, spec.n, spec.d, spec.regime, 0), spec.n, spec.d, spec.regime);
    INFO("case ", describe(in));
    INFO("inputs (hex) ", dump(in));
    const Mat<T> a = tmat<T>(in.a, in.a);
    const Vec<T> b = tvec<T>(in.b, in.b);
    Vec<D1> xd(spec.d);
    for (Idx k = 0; k < spec.d; ++k)
      xd(k) = D1::variable(T(in.x(k)), static_cast<size_t>(k), static_cast<size_t>(spec.d));
    const D1 l = model::loss<D1>(a.template cast<D1>(), xd, b.template cast<D1>());
    REQUIRE(l.d.size() == static_cast<size_t>(spec.d));
    Vec<T> g(spec.d);
    for (Idx k = 0; k < spec.d; ++k) g(k) = l.d[static_cast<size_t>(k)];
    const bool teeth = teeth_for(spec.regime);
    escalate(tally, [&](Tally& t) {
      const ModelOracle o = oracle();
      const BMat ab = exact(in.a), xb = exact(in.x), bb = exact(in.b);
      check_scalar(t, "Dual loss value", l.v, o.loss(ab, xb, bb), teeth);
      check_vec(t, "Dual loss gradient", g, o.gradient_closed(ab, xb, bb), teeth);
    });
    ++tally.cases;
  }
  CHECK(tally.failures == 0);
  CHECK(tally.teeth > 0);
  report("Dual gradient", tally);
}

TEST_CASE_TEMPLATE("nested Dual loss Hessian encloses the Arb B formula Hessian", T, Interval, Mp128) {
  using D1 = certbound::Dual<T>;
  using D2 = certbound::Dual<D1>;
  Tally tally;
  std::vector<PointSpec> specs;
  for (Idx n : kSmallN)
    for (Idx d : {1, 4})
      for (Regime r : {Regime::moderate, Regime::logits50}) specs.push_back({n, d, r, 0});
  specs.push_back({8, 16, Regime::moderate, 0});
  specs.push_back({64, 16, Regime::moderate, 0});
  for (const PointSpec& spec : specs) {
    const Inputs in = make_inputs(case_seed(6, spec.n, spec.d, spec.regime, 0), spec.n, spec.d, spec.regime);
    INFO("case ", describe(in));
    INFO("inputs (hex) ", dump(in));
    const Mat<T> a = tmat<T>(in.a, in.a);
    const Vec<T> b = tvec<T>(in.b, in.b);
    const size_t dn = static_cast<size_t>(spec.d);
    Vec<D2> xd(spec.d);
    for (Idx k = 0; k < spec.d; ++k) {
      const size_t kk = static_cast<size_t>(k);
      xd(k) = D2::variable(D1::variable(T(in.x(k)), kk, dn), kk, dn);
    }
    const D2 l = model::loss<D2>(a.template cast<D2>(), xd, b.template cast<D2>());
    REQUIRE(l.d.size() == dn);
    REQUIRE(l.v.d.size() == dn);
    Vec<T> g_outer(spec.d), g_inner(spec.d);
    Mat<T> h(spec.d, spec.d);
    for (Idx k = 0; k < spec.d; ++k) {
      const D1& row = l.d[static_cast<size_t>(k)];
      REQUIRE(row.d.size() == dn);
      g_outer(k) = row.v;
      g_inner(k) = l.v.d[static_cast<size_t>(k)];
      for (Idx j = 0; j < spec.d; ++j) h(k, j) = row.d[static_cast<size_t>(j)];
    }
    const bool teeth = teeth_for(spec.regime);
    escalate(tally, [&](Tally& t) {
      const ModelOracle o = oracle();
      const BMat ab = exact(in.a), xb = exact(in.x), bb = exact(in.b);
      const BMat grad = o.gradient_closed(ab, xb, bb);
      check_scalar(t, "nested Dual loss value", l.v.v, o.loss(ab, xb, bb), teeth);
      check_vec(t, "nested Dual gradient (outer)", g_outer, grad, teeth);
      check_vec(t, "nested Dual gradient (inner)", g_inner, grad, teeth);
      check_mat(t, "nested Dual Hessian", h, o.hessian_b(ab, xb, bb), teeth);
    });
    ++tally.cases;
  }
  CHECK(tally.failures == 0);
  CHECK(tally.teeth > 0);
  report("nested Dual Hessian", tally);
}

TEST_CASE_TEMPLATE("hessian on thick boxes at larger n encloses the Arb B formula Hessian", T, Interval, Mp128,
                   certbound::Dual<Interval>) {
  // model::hessian groups AᵀBA as rank-one terms plus Aᵀdiag(w)A (O(n·d²)); the oracle forms the
  // n×n matrix B of proofs/STATEMENTS.md entry by entry. Boxes around the centre (A, x, b widened by a
  // random relative half-width up to w), checked at the centre, both corners and random points.
  // For Dual<Interval> (x seeded as the variables) the value part must enclose the same Hessian.
  using Scalar = std::conditional_t<std::is_same_v<T, Interval> || std::is_same_v<T, Mp128>, T, Interval>;
  Tally tally;
  long points = 0;
  for (Idx n : {40, 128})
    for (Idx d : {3, 8})
      for (Regime r : {Regime::moderate, Regime::logits50})
        for (int rep = 0; rep < 3; ++rep) {
          const std::uint64_t seed = case_seed(8, n, d, r, rep);
          const Inputs center = make_inputs(seed, n, d, r);
          std::mt19937_64 rng(splitmix(seed));
          static const double kWidths[] = {1e-10, 1e-6, 1e-3};
          const double w = kWidths[rep];
          const Box box = make_box(center, w, rng);
          INFO("case ", describe(center), " relative half-width <= ", w);
          INFO("box (hex) ", dump_box(box));
          const Mat<Scalar> a = tmat<Scalar>(box.lo.a, box.hi.a);
          const Vec<Scalar> x = tvec<Scalar>(box.lo.x, box.hi.x), b = tvec<Scalar>(box.lo.b, box.hi.b);
          Mat<Scalar> h;
          if constexpr (std::is_same_v<T, Scalar>) {
            h = model::hessian(a, x, b);
          } else {
            Vec<T> xd(d);
            for (Idx k = 0; k < d; ++k) xd(k) = T::variable(x(k), static_cast<size_t>(k), static_cast<size_t>(d));
            const Mat<T> hd = model::hessian<T>(a.template cast<T>(), xd, b.template cast<T>());
            h.resize(d, d);
            for (Idx k = 0; k < d; ++k)
              for (Idx l = 0; l < d; ++l) h(k, l) = hd(k, l).v;
          }
          for (int k = 0; k < 4; ++k) {
            const Inputs pt = box_point(box, k, rng);
            INFO("sample point ", k, " (0 center, 1 lower corner, 2 upper corner, else random) ", dump(pt));
            escalate(tally, [&](Tally& t) {
              check_mat(t, "hessian (box)", h, oracle().hessian_b(exact(pt.a), exact(pt.x), exact(pt.b)), false);
            });
            ++points;
          }
          ++tally.cases;
        }
  CHECK(tally.failures == 0);
  CHECK(tally.contained > 0);
  if (verbose()) MESSAGE(points, " sampled points");
  report("hessian on thick boxes", tally);
}

TEST_CASE("Arb oracle self-check: the two gradient forms and the two Hessian forms agree") {
  // The oracle's chain-rule forms against the closed forms of proofs/STATEMENTS.md (and a wrong sign of the
  // B formula's diagonal term is detected), so neither oracle can be silently wrong.
  long compared = 0;
  for (Idx n : {1, 2, 3, 8, 64})
    for (Idx d : {1, 4, 16})
      for (Regime r : {Regime::moderate, Regime::logits50, Regime::beyond709}) {
        const Inputs in = make_inputs(case_seed(7, n, d, r, 0), n, d, r);
        INFO("case ", describe(in));
        const ModelOracle o = oracle();
        const BMat a = exact(in.a), x = exact(in.x), b = exact(in.b);
        const BMat g1 = o.gradient(a, x, b), g2 = o.gradient_closed(a, x, b);
        const BMat h1 = o.hessian(a, x, b), h2 = o.hessian_b(a, x, b);
        for (Idx k = 0; k < d; ++k) {
          INFO("k=", k, " ", ball_str(g1.ball(k)), " vs ", ball_str(g2.ball(k)));
          CHECK(arb_overlaps(g1[k], g2[k]));
          if (r == Regime::moderate && n > 1) CHECK(arb_rel_accuracy_bits(g1[k]) > 300);
          ++compared;
        }
        for (Idx k = 0; k < d; ++k)
          for (Idx j = 0; j < d; ++j) {
            INFO("k=", k, " j=", j, " ", ball_str(h1.ball(k * d + j)), " vs ", ball_str(h2.ball(k * d + j)));
            CHECK(arb_overlaps(h1(k, j), h2(k, j)));
            ++compared;
          }
      }
  // Teeth: dropping the ⟨b−f, f⟩diag(f) term of B changes the Hessian detectably.
  const Inputs in = make_inputs(case_seed(7, 8, 4, Regime::moderate, 1), 8, 4, Regime::moderate);
  const ModelOracle o = oracle();
  const BMat a = exact(in.a), x = exact(in.x), b = exact(in.b), f = o.f(a, x);
  Ball s2, t;
  for (Idx i = 0; i < 8; ++i) {
    arb_sub(t.b, b[i], f[i], kPrec);
    arb_addmul(s2.b, t.b, f[i], kPrec);
  }
  const BMat h = o.hessian_b(a, x, b);
  BMat wrong = h;  // h − Aᵀ diag(s2 f) A
  for (Idx k = 0; k < 4; ++k)
    for (Idx j = 0; j < 4; ++j)
      for (Idx i = 0; i < 8; ++i) {
        arb_mul(t.b, a(i, k), a(i, j), kPrec);
        arb_mul(t.b, t.b, f[i], kPrec);
        arb_submul(wrong(k, j), t.b, s2.b, kPrec);
      }
  const BMat h1 = o.hessian(a, x, b);
  bool any_differs = false;
  for (Idx k = 0; k < 4; ++k)
    for (Idx j = 0; j < 4; ++j) any_differs = any_differs || !arb_overlaps(h1(k, j), wrong(k, j));
  CHECK(any_differs);
  if (verbose()) MESSAGE(compared, " oracle entries compared");
}

}  // TEST_SUITE("model")
