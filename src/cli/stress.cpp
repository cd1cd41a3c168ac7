// certbound stress: soundness stress of the model's certified enclosures against the independent
// Arb oracle (include/certbound/oracle/model_oracle.hpp, the same oracle the tests use), with
// adversarial inputs.
//
// Per (function, scalar type) N cases, each from its own generator seeded by (seed, function,
// type, case index), so any case can be reproduced alone and the result does not depend on order.
// Inputs (stress-test practice for floating-point code: extremes of the exponent range, ties,
// huge dimensions, every interval width):
//   regimes   moderate logits; logits near the double overflow / underflow thresholds of exp
//             (±709.78, ±745.13) and beyond (±1e4); ties (equal and 1-ulp apart logits); signed
//             zeros and subnormals; huge n (hundreds to a few thousand rows, rarely, for the
//             functions linear in n)
//   widths    half the cases are boxes: entries widened by 0, 1 ulp, 1e-8 relative, 1, or 1e300
// Check: the enclosure of every output entry must CONTAIN the oracle's ball at the point inputs,
// and for boxes at the lower corner, the upper corner, a random vertex and a random interior
// point. The oracle starts at 4× the type's precision and climbs 4× per step up to 65536 bits while
// a ball is neither inside nor certainly outside (oracle::escalate); a ball still straddling an
// endpoint there is "unresolved" (counted and reported apart, never as a pass: the value is within 2^-65536 relative
// of the endpoint, e.g. f = 1 − e^{-50000} against the endpoint 1). A case is skipped (counted, reported) when the
// model declines: it throws (domain error, NaN operand) or returns a NaN endpoint, which claims
// nothing; or when the oracle ball is not finite at the top precision.
//
// Exit: 0 with zero failures; 1 with any failure (inputs printed in hex); 2 bad input;
// 130 after Ctrl-C (the table covers the cases run so far).
//
// --test-shrink-enclosures is a hidden, test-only option: it replaces every enclosure by its
// midpoint before the check, a deliberately broken model that the check must catch (tests).
#include <mpfr.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <type_traits>
#include <vector>

#include "certbound/io/atomic_file.hpp"
#include "certbound/arith/enclosure.hpp"
#include "certbound/arith/interval.hpp"
#include "certbound/arith/mp_interval.hpp"
#include "certbound/arith/ops.hpp"
#include "certbound/engine/interrupt.hpp"
#include "certbound/linalg/eigen_support.hpp"
#include "certbound/model/softmax_regression.hpp"
#include "certbound/oracle/arb.hpp"
#include "certbound/oracle/model_oracle.hpp"
#include "certbound/report/report.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"

namespace certbound::cli {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using oracle::Ball;
using oracle::BMat;
using oracle::Containment;
using oracle::hex;
using oracle::ModelOracle;

// ---- deterministic randomness -----------------------------------------------------------------

/// SplitMix64 (Steele, Lea, Flood 2014): cheap to seed per case, portable bit for bit. A 64-bit
/// generator for oracle::unit/uniform, the bit mapping the tests use too.
struct SplitMix {
  using result_type = std::uint64_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  result_type operator()() { return next(); }
  double unit() { return oracle::unit(*this); }
  double uniform(double a, double b) { return oracle::uniform(*this, a, b); }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  bool chance(int one_in) { return below(one_in) == 0; }
};

std::uint64_t case_seed(std::uint64_t seed, const std::string& function, const std::string& type, long long index) {
  std::uint64_t h = 1469598103934665603ull ^ seed;  // FNV-1a over the names, then the index
  for (unsigned char ch : function + "/" + type) h = (h ^ ch) * 1099511628211ull;
  SplitMix m{h ^ (static_cast<std::uint64_t>(index) * 0x2545f4914f6cdd1dull)};
  return m.next();
}

// ---- inputs -------------------------------------------------------------------------------------

/// One input argument as a box [lo, hi] of doubles (lo == hi for points).
struct Arg {
  std::string name;
  MatrixXd lo, hi;
};
using Args = std::vector<Arg>;

/// Logits regime of a case.
enum class Regime { moderate, overflow_edge, underflow_edge, beyond, ties, zeros_subnormals, count };
const char* regime_name(Regime r) {
  switch (r) {
    case Regime::moderate: return "moderate";
    case Regime::overflow_edge: return "overflow-edge";
    case Regime::underflow_edge: return "underflow-edge";
    case Regime::beyond: return "beyond-double";
    case Regime::ties: return "ties";
    case Regime::zeros_subnormals: return "zeros-subnormals";
    case Regime::count: break;
  }
  return "?";
}

/// A logit target of the regime (the value Ax should take).
double logit(Regime r, SplitMix& g) {
  switch (r) {
    case Regime::overflow_edge: {
      const double centres[] = {709.782712893384, 709.0, 710.0, 708.5};  // log(DBL_MAX) ≈ 709.7827
      return centres[g.below(4)] + g.uniform(-1e-3, 1e-3) * (g.chance(2) ? 1 : 1e-12);
    }
    case Regime::underflow_edge: {
      const double centres[] = {-745.1332191019412, -744.44007192138126, -708.39641853226408, -746.0};  // subnormal/normal edges
      return centres[g.below(4)] + g.uniform(-1e-3, 1e-3) * (g.chance(2) ? 1 : 1e-12);
    }
    case Regime::beyond: return (g.chance(2) ? 1 : -1) * g.uniform(745, 1e4);
    default: return g.uniform(-4, 4);
  }
}

/// A (n×d) and x (d) with A x ≈ the regime's logits: column 0 of A holds the targets, x₀ a power
/// of two (exact products), the other columns are small noise.
void logits_input(Regime r, Index n, Index d, SplitMix& g, MatrixXd& a, MatrixXd& x) {
  a.resize(n, d);
  x.resize(d, 1);
  const double scale = std::ldexp(1.0, g.below(9) - 4);
  x(0, 0) = scale;
  for (Index k = 1; k < d; ++k) x(k, 0) = g.uniform(-1, 1);
  const double noise = r == Regime::moderate ? 1.0 : (g.chance(2) ? 0.0 : 1e-6);
  const double shared = logit(r, g);
  for (Index i = 0; i < n; ++i) {
    double t = logit(r, g);
    if (r == Regime::ties) t = g.chance(2) ? shared : std::nextafter(shared, g.chance(2) ? 1e300 : -1e300);
    a(i, 0) = t / scale;  // exact: scale is a power of two and t/scale stays normal
    for (Index k = 1; k < d; ++k) a(i, k) = noise * g.uniform(-1, 1);
  }
  if (r == Regime::zeros_subnormals) {
    const double specials[] = {0.0, -0.0, 4.9406564584124654e-324, -4.9406564584124654e-324, 2.2250738585072014e-308,
                               -2.2250738585072014e-308, 1.0, -1.0};
    for (Index i = 0; i < a.size(); ++i)
      if (g.chance(2)) a.data()[i] = specials[g.below(8)];
    for (Index k = 0; k < x.size(); ++k)
      if (g.chance(2)) x(k, 0) = specials[g.below(8)];
  }
}

/// Widen a point matrix into a box: per case one width class, applied to a random subset of entries.
MatrixXd widen(const MatrixXd& lo, int width_class, SplitMix& g, bool every_entry) {
  MatrixXd hi = lo;
  for (Index i = 0; i < lo.size(); ++i) {
    if (!every_entry && g.chance(2)) continue;
    const double v = lo.data()[i];
    double w = 0;
    switch (width_class) {
      case 0: w = 0; break;
      case 1: hi.data()[i] = std::nextafter(v, std::numeric_limits<double>::infinity()); continue;
      case 2: w = 1e-8 * std::fabs(v) + 1e-300; break;
      case 3: w = 1; break;
      default: w = 1e300; break;
    }
    hi.data()[i] = v + w;  // rounded to nearest: still >= v, so [lo, hi] is a box
  }
  return hi;
}

// ---- functions under test -----------------------------------------------------------------------

template <class T>
Mat<T> to_model(const Arg& a) {
  Mat<T> m(a.lo.rows(), a.lo.cols());
  for (Index i = 0; i < m.rows(); ++i)
    for (Index j = 0; j < m.cols(); ++j)
      m(i, j) = a.lo(i, j) == a.hi(i, j) ? T(a.lo(i, j)) : ops::hull<T>(a.lo(i, j), a.hi(i, j));
  return m;
}
template <class T>
Vec<T> to_vec(const Arg& a) {
  return to_model<T>(a).col(0);
}
template <class M>
std::vector<typename M::Scalar> flatten(const M& m) {
  std::vector<typename M::Scalar> out;
  for (Index i = 0; i < m.rows(); ++i)
    for (Index j = 0; j < m.cols(); ++j) out.push_back(m(i, j));
  return out;
}

/// Which inputs a function takes and how large n may get (cost grows with n² or n²d for some).
enum class Shape { ax, axb, axb_eta, z, p, attention };

template <class T>
struct Model {
  static std::vector<T> call(const std::string& name, const Args& a) {
    namespace m = model;
    if (name == "u") return flatten(m::u(to_model<T>(a[0]), to_vec<T>(a[1])));
    if (name == "alpha") return {m::alpha(to_model<T>(a[0]), to_vec<T>(a[1]))};
    if (name == "softmax") return flatten(m::softmax(to_vec<T>(a[0])));
    if (name == "f") return flatten(m::f(to_model<T>(a[0]), to_vec<T>(a[1])));
    if (name == "c") return flatten(m::c(to_model<T>(a[0]), to_vec<T>(a[1]), to_vec<T>(a[2])));
    if (name == "loss") return {m::loss(to_model<T>(a[0]), to_vec<T>(a[1]), to_vec<T>(a[2]))};
    if (name == "gradient") return flatten(m::gradient(to_model<T>(a[0]), to_vec<T>(a[1]), to_vec<T>(a[2])));
    if (name == "hessian") return flatten(m::hessian(to_model<T>(a[0]), to_vec<T>(a[1]), to_vec<T>(a[2])));
    if (name == "softmax_jacobian") return flatten(m::softmax_jacobian(to_vec<T>(a[0])));
    if (name == "jacobian_x") return flatten(m::jacobian_x(to_model<T>(a[0]), to_vec<T>(a[1])));
    if (name == "jacobian_a") return flatten(m::jacobian_a(to_model<T>(a[0]), to_vec<T>(a[1])));
    if (name == "gradient_step")
      return flatten(m::gradient_step(to_model<T>(a[0]), to_vec<T>(a[1]), to_vec<T>(a[2]), to_model<T>(a[3])(0, 0)));
    if (name == "self_attention_update")
      return flatten(m::self_attention_update(to_model<T>(a[0]), to_model<T>(a[1]), to_model<T>(a[2]), to_model<T>(a[3])));
    throw std::logic_error("unknown stress function " + name);
  }
};

/// A scalar result as a 1×1 matrix (every result is compared entry by entry).
BMat one_by_one(const Ball& v) {
  BMat m(1, 1);
  arb_set(m[0], v.b);
  return m;
}

BMat call_oracle(const std::string& name, const ModelOracle& o, const std::vector<BMat>& a) {
  if (name == "u") return o.u(a[0], a[1]);
  if (name == "alpha") return one_by_one(o.alpha(a[0], a[1]));
  if (name == "softmax") return o.softmax(a[0]);
  if (name == "f") return o.f(a[0], a[1]);
  if (name == "c") return o.c(a[0], a[1], a[2]);
  if (name == "loss") return one_by_one(o.loss(a[0], a[1], a[2]));
  if (name == "gradient") return o.gradient(a[0], a[1], a[2]);
  if (name == "hessian") return o.hessian(a[0], a[1], a[2]);
  if (name == "softmax_jacobian") return o.softmax_jacobian(a[0]);
  if (name == "jacobian_x") return o.jacobian_x(a[0], a[1]);
  if (name == "jacobian_a") return o.jacobian_a(a[0], a[1]);
  if (name == "gradient_step") return o.gradient_step(a[0], a[1], a[2], a[3].ball(0));
  if (name == "self_attention_update") return o.self_attention_update(a[0], a[1], a[2], a[3]);
  throw std::logic_error("unknown stress function " + name);
}

struct FunctionSpec {
  const char* name;
  Shape shape;
  int huge_n;  ///< largest n of the rare huge cases (cost: n for vectors, n² or n²d for matrices)
};
constexpr FunctionSpec kFunctions[] = {
    {"u", Shape::ax, 3000},          {"alpha", Shape::ax, 3000},         {"softmax", Shape::z, 3000},
    {"f", Shape::ax, 3000},          {"c", Shape::axb, 3000},            {"loss", Shape::axb, 3000},
    {"gradient", Shape::axb, 3000},  {"hessian", Shape::axb, 256},       {"softmax_jacobian", Shape::p, 128},
    {"jacobian_x", Shape::ax, 1000}, {"jacobian_a", Shape::ax, 64},      {"gradient_step", Shape::axb_eta, 3000},
    {"self_attention_update", Shape::attention, 24},
};
const char* const kTypes[] = {"interval", "mp128", "mp256", "mp1024"};

/// The inputs of one case.
struct CaseInput {
  Args args;
  Regime regime = Regime::moderate;
  int width_class = 0;  ///< 0 for point cases
  bool box = false;
};

const char* const kWidths[] = {"point", "ulp", "1e-8", "1", "huge"};  ///< width classes 0..4

/// `widths`: allowed width classes (indices into kWidths). Half the cases are points when points
/// are allowed and boxes are too; boxes draw their class uniformly.
CaseInput generate(const FunctionSpec& fn, const std::vector<int>& widths, std::uint64_t seed) {
  SplitMix g{seed};
  CaseInput in;
  in.regime = static_cast<Regime>(g.below(static_cast<int>(Regime::count)));
  Index n = 1 + g.below(g.chance(4) ? 16 : 6);
  if (g.chance(2000)) n = fn.huge_n / 4 + g.below(fn.huge_n - fn.huge_n / 4 + 1);  // rare huge n
  const Index d = 1 + g.below(4);
  MatrixXd a, x;
  logits_input(in.regime, n, d, g, a, x);
  MatrixXd b(n, 1);
  for (Index i = 0; i < n; ++i) b(i, 0) = g.chance(8) ? g.uniform(-1e6, 1e6) : g.uniform(-1, 2);
  switch (fn.shape) {
    case Shape::z: in.args = {{"z", a.col(0) * x(0, 0), {}}}; break;  // exact: x₀ is a power of two
    case Shape::p: {
      MatrixXd p(n, 1);
      for (Index i = 0; i < n; ++i) {
        const double choices[] = {0.5, 0.0, -0.0, 1.0, g.unit(), g.uniform(-1, 2), 0.5 + std::ldexp(g.uniform(-1, 1), -40)};
        p(i, 0) = choices[g.below(7)];
      }
      in.args = {{"p", p, {}}};
      break;
    }
    case Shape::ax: in.args = {{"A", a, {}}, {"x", x, {}}}; break;
    case Shape::axb: in.args = {{"A", a, {}}, {"x", x, {}}, {"b", b, {}}}; break;
    case Shape::axb_eta: {
      const double etas[] = {0.1, g.uniform(1e-3, 1), 1e-300, 1e3};
      in.args = {{"A", a, {}}, {"x", x, {}}, {"b", b, {}}, {"eta", MatrixXd::Constant(1, 1, etas[g.below(4)]), {}}};
      break;
    }
    case Shape::attention: {
      auto w = [&] {
        MatrixXd m(d, d);
        for (Index i = 0; i < m.size(); ++i) m.data()[i] = g.uniform(-1, 1) * (g.chance(8) ? 30 : 1);
        return m;
      };
      MatrixXd a_small = a;
      if (in.regime != Regime::moderate && in.regime != Regime::zeros_subnormals) a_small *= 1.0 / 64;  // scores ≈ a²
      in.args = {{"A", a_small, {}}, {"Wq", w(), {}}, {"Wk", w(), {}}, {"Wv", w(), {}}};
      break;
    }
  }
  std::vector<int> box_classes;
  for (int w : widths)
    if (w > 0) box_classes.push_back(w);
  const bool points_allowed = std::find(widths.begin(), widths.end(), 0) != widths.end();
  in.box = !box_classes.empty() && (!points_allowed || g.chance(2));
  in.width_class = in.box ? box_classes[static_cast<size_t>(g.below(static_cast<int>(box_classes.size())))] : 0;
  const bool every_entry = g.chance(2);
  for (Arg& arg : in.args) arg.hi = in.box ? widen(arg.lo, in.width_class, g, every_entry) : arg.lo;
  return in;
}

/// Points of the box at which the oracle is evaluated: lower corner, upper corner, a random
/// vertex and a random interior point (just the point itself for point inputs).
std::vector<std::vector<MatrixXd>> sample_points(const CaseInput& in, std::uint64_t seed) {
  std::vector<MatrixXd> lo, hi;
  for (const Arg& a : in.args) {
    lo.push_back(a.lo);
    hi.push_back(a.hi);
  }
  if (!in.box) return {lo};
  SplitMix g{seed ^ 0x5eed5eed5eedull};
  std::vector<MatrixXd> vertex = lo, inner = lo;
  for (size_t k = 0; k < in.args.size(); ++k)
    for (Index i = 0; i < lo[k].size(); ++i) {
      const double l = lo[k].data()[i], h = hi[k].data()[i];
      vertex[k].data()[i] = g.chance(2) ? l : h;
      const double t = l + (h - l) * g.unit();  // h − l may overflow to inf for huge widths
      inner[k].data()[i] = std::isfinite(t) ? std::clamp(t, l, h) : l * 0.5 + h * 0.5;
    }
  return {lo, hi, vertex, inner};
}

// ---- containment -----------------------------------------------------------------------------

/// The deliberately broken model of --test-shrink-enclosures: the enclosure's midpoint alone.
template <class T>
T shrink_to_midpoint(const T& v) {
  const Enclosure e = to_enclosure(v);
  if (!mpfr_number_p(e.lo.get()) || !mpfr_number_p(e.hi.get())) return v;
  mpfr_t m;
  mpfr_init2(m, 1100);  // more than any type's precision (1025 bits)
  mpfr_add(m, e.lo.get(), e.hi.get(), MPFR_RNDN);
  mpfr_div_2ui(m, m, 1, MPFR_RNDN);
  T r;
  if constexpr (std::is_same_v<T, Interval>) {
    const double d = mpfr_get_d(m, MPFR_RNDN);
    r = Interval(d, d);
  } else {
    mpfi_set_fr(r.backend().data(), m);
  }
  mpfr_clear(m);
  return r;
}

/// Width of [lo, hi] in units in the last place of the larger endpoint magnitude (type precision).
double width_ulps(const Enclosure& e, mpfr_prec_t prec) {
  if (!mpfr_number_p(e.lo.get()) || !mpfr_number_p(e.hi.get())) return std::numeric_limits<double>::infinity();
  mpfr_t w, m;
  mpfr_inits2(64, w, m, static_cast<mpfr_ptr>(nullptr));
  mpfr_sub(w, e.hi.get(), e.lo.get(), MPFR_RNDU);
  if (mpfr_cmpabs(e.lo.get(), e.hi.get()) > 0) mpfr_abs(m, e.lo.get(), MPFR_RNDU);
  else mpfr_abs(m, e.hi.get(), MPFR_RNDU);
  double out = 0;
  if (!mpfr_zero_p(w) && !mpfr_zero_p(m)) {
    mpfr_mul_2si(w, w, static_cast<long>(prec) - mpfr_get_exp(m), MPFR_RNDU);
    out = mpfr_get_d(w, MPFR_RNDU);
  }
  mpfr_clears(w, m, static_cast<mpfr_ptr>(nullptr));
  return out;
}

// ---- the run ---------------------------------------------------------------------------------

struct PairStats {
  std::string function, type;
  long long cases = 0, point_cases = 0, box_cases = 0, oracle_points = 0, entries_checked = 0;
  long long declined = 0, oracle_not_finite = 0, unresolved = 0, failures = 0, huge_n_cases = 0;
  long long max_n = 0;
  double max_width_ulps = 0;  ///< over point cases with finite outputs
  double seconds = 0;
  std::map<std::string, long long> regimes;
};

struct StressCommand {
  long long cases = 1000;  // per (function, type) pair: 52 000 cases, about 2.5 minutes on one core
  std::uint64_t seed = 1;
  std::vector<std::string> types, functions, widths;
  std::vector<int> width_classes;
  std::string json_path;
  bool shrink_for_test = false;
  long long max_printed_failures = 5;
  ProgressOptions progress_options;
  std::unique_ptr<Progress> progress;  ///< while the pairs run
  long long cases_done = 0;

  void validate() {
    require_range("cases", cases, 1, 100000000);
    progress_options.validate();
    if (types.empty()) types = {std::begin(kTypes), std::end(kTypes)};
    for (const auto& t : types)
      if (std::find(std::begin(kTypes), std::end(kTypes), t) == std::end(kTypes))
        throw BadInput("unknown --types entry '" + t + "' (known: interval, mp128, mp256, mp1024)");
    if (functions.empty())
      for (const auto& f : kFunctions) functions.push_back(f.name);
    for (const auto& f : functions)
      if (std::none_of(std::begin(kFunctions), std::end(kFunctions), [&](const FunctionSpec& s) { return f == s.name; })) {
        std::string known;
        for (const auto& s : kFunctions) known += (known.empty() ? "" : ", ") + std::string(s.name);
        throw BadInput("unknown --functions entry '" + f + "' (known: " + known + ")");
      }
    if (widths.empty()) widths = {std::begin(kWidths), std::end(kWidths)};
    for (const auto& w : widths) {
      const auto it = std::find(std::begin(kWidths), std::end(kWidths), w);
      if (it == std::end(kWidths)) throw BadInput("unknown --widths entry '" + w + "' (known: point, ulp, 1e-8, 1, huge)");
      width_classes.push_back(static_cast<int>(it - std::begin(kWidths)));
    }
    io::require_writable(json_path);  // before any work
  }

  template <class T>
  void run_case(const FunctionSpec& fn, const std::string& type, long long index, PairStats& st) {
    const std::uint64_t s = case_seed(seed, fn.name, type, index);
    const CaseInput in = generate(fn, width_classes, s);
    ++st.cases;
    ++(in.box ? st.box_cases : st.point_cases);
    ++st.regimes[regime_name(in.regime)];
    const Index n = in.args[0].lo.rows();
    st.max_n = std::max<long long>(st.max_n, n);
    if (n > 64) ++st.huge_n_cases;

    std::vector<T> enc;
    try {
      enc = Model<T>::call(fn.name, in.args);
    } catch (const std::exception&) {  // DomainError, NaN operand, empty interval: claims nothing
      ++st.declined;
      return;
    }
    if (shrink_for_test)
      for (T& v : enc) v = shrink_to_midpoint(v);
    std::vector<Enclosure> ends;
    ends.reserve(enc.size());
    for (size_t k = 0; k < enc.size(); ++k) {
      ends.push_back(to_enclosure(enc[k]));  // exact
      if (ends[k].has_nan()) {  // a NaN endpoint claims nothing either
        ++st.declined;
        return;
      }
    }
    const mpfr_prec_t prec = precision_bits<T>::value;
    if (!in.box)
      for (const auto& e : ends) st.max_width_ulps = std::max(st.max_width_ulps, width_ulps(e, prec));

    const auto points = sample_points(in, s);
    for (size_t p = 0; p < points.size(); ++p) {
      std::vector<BMat> exact;
      for (const auto& m : points[p]) exact.push_back(oracle::exact(m));
      ++st.oracle_points;
      // The rare huge-n cases stop at 16384 bits: thousands of exponentials at 65536 bits would
      // dominate the run; what stays unresolved there is counted as such.
      const std::string verdict = judge(fn.name, exact, ends, prec, n > 64 ? 16384 : 65536);
      if (verdict == "inside") continue;
      if (verdict == "oracle-not-finite") {
        ++st.oracle_not_finite;
        return;
      }
      if (verdict == "unresolved") {
        ++st.unresolved;
        return;
      }
      st.entries_checked += static_cast<long long>(ends.size()) * static_cast<long long>(p);
      fail(fn, type, index, in, points[p], enc, verdict, st);
      return;
    }
    st.entries_checked += static_cast<long long>(ends.size()) * static_cast<long long>(points.size());
  }

  /// "inside", "outside at entry K", "unresolved" (a ball still straddles an endpoint at the top
  /// precision `top`: the value is within 2^-top relative of it, e.g. f = 1 − e^{-50000} against the
  /// endpoint 1) or "oracle-not-finite". The oracle starts at 4× the type's precision.
  static std::string judge(const std::string& name, const std::vector<BMat>& exact, const std::vector<Enclosure>& ends,
                           mpfr_prec_t prec, slong top) {
    const oracle::Verdict v = oracle::escalate(
        ends, [&](slong bits) { return call_oracle(name, ModelOracle(bits), exact); }, 4 * static_cast<slong>(prec), top);
    switch (v.result) {
      case Containment::inside: return "inside";
      case Containment::outside: return "outside at entry " + std::to_string(v.entry);
      case Containment::unresolved: return "unresolved";
      case Containment::not_finite: break;
    }
    return "oracle-not-finite";
  }

  template <class T>
  void fail(const FunctionSpec& fn, const std::string& type, long long index, const CaseInput& in,
            const std::vector<MatrixXd>& point, const std::vector<T>& enc, const std::string& why, PairStats& st) {
    ++st.failures;
    if (st.failures > max_printed_failures) return;
    std::printf("FAILURE %s/%s case %lld (seed %llu, regime %s, %s, width %s): %s\n", fn.name, type.c_str(), index,
                static_cast<unsigned long long>(seed), regime_name(in.regime), in.box ? "box" : "point", kWidths[in.width_class],
                why.c_str());
    for (size_t k = 0; k < in.args.size(); ++k) {
      std::printf("  %s lo:", in.args[k].name.c_str());
      for (Index i = 0; i < in.args[k].lo.size(); ++i) std::printf(" %s", hex(in.args[k].lo(i / in.args[k].lo.cols(), i % in.args[k].lo.cols())).c_str());
      std::printf("\n  %s hi:", in.args[k].name.c_str());
      for (Index i = 0; i < in.args[k].hi.size(); ++i) std::printf(" %s", hex(in.args[k].hi(i / in.args[k].hi.cols(), i % in.args[k].hi.cols())).c_str());
      std::printf("\n  %s at:", in.args[k].name.c_str());
      for (Index i = 0; i < point[k].size(); ++i) std::printf(" %s", hex(point[k](i / point[k].cols(), i % point[k].cols())).c_str());
      std::printf("\n");
    }
    for (size_t k = 0; k < enc.size() && k < 8; ++k) {
      const Enclosure e = to_enclosure(enc[k]);
      mpfr_printf("  enclosure[%zu] = [%Ra, %Ra]\n", k, e.lo.get(), e.hi.get());
    }
  }

  template <class T>
  PairStats run_pair(const FunctionSpec& fn, const std::string& type) {
    PairStats st;
    st.function = fn.name;
    st.type = type;
    const auto start = std::chrono::steady_clock::now();
    for (long long i = 0; i < cases && !interrupted(); ++i) {
      run_case<T>(fn, type, i, st);
      ++cases_done;
      if (progress) progress->update(cases_done, fn.name + std::string("/") + type);
    }
    st.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return st;
  }

  PairStats run_pair(const FunctionSpec& fn, const std::string& type) {
    if (type == "interval") return run_pair<Interval>(fn, type);
    if (type == "mp128") return run_pair<Mp128>(fn, type);
    if (type == "mp256") return run_pair<Mp257>(fn, type);
    return run_pair<Mp1025>(fn, type);
  }

  int run() {
    validate();
    install_interrupt_handlers();
    std::printf("certbound stress: %lld cases per function and type, seed %llu%s\n", cases,
                static_cast<unsigned long long>(seed), shrink_for_test ? " (TEST ONLY: enclosures shrunk to midpoints)" : "");
    std::printf("%-22s %-8s %9s %8s %9s %9s %8s %8s %8s %6s %12s %8s\n", "function", "type", "cases", "boxes", "points",
                "declined", "no-orac", "unresolv", "failures", "max n", "max ulps", "time");
    std::fflush(stdout);
    std::vector<PairStats> all;
    long long failures = 0;
    progress = std::make_unique<Progress>(progress_options, "cases",
                                          cases * static_cast<long long>(functions.size() * types.size()));
    const auto t0 = std::chrono::steady_clock::now();
    for (const auto& fname : functions) {
      const FunctionSpec& fn = *std::find_if(std::begin(kFunctions), std::end(kFunctions),
                                             [&](const FunctionSpec& s) { return fname == s.name; });
      for (const auto& type : types) {
        if (interrupted()) break;
        PairStats st = run_pair(fn, type);
        failures += st.failures;
        std::printf("%-22s %-8s %9lld %8lld %9lld %9lld %8lld %8lld %8lld %6lld %12.4g %7.1fs\n", st.function.c_str(),
                    st.type.c_str(), st.cases, st.box_cases, st.oracle_points, st.declined, st.oracle_not_finite,
                    st.unresolved, st.failures, st.max_n, st.max_width_ulps, st.seconds);
        std::fflush(stdout);
        all.push_back(std::move(st));
      }
    }
    progress.reset();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const bool stopped = interrupted();
    long long total = 0;
    for (const auto& st : all) total += st.cases;
    std::printf("%lld cases, %lld containment failures, %.1f s%s\n", total, failures, seconds,
                stopped ? "; interrupted: the table covers the cases run so far" : "");
    if (!json_path.empty()) write_json(all, seconds, stopped);
    if (stopped) return interrupted_exit_code();
    return failures == 0 ? kOk : kViolated;
  }

  void write_json(const std::vector<PairStats>& all, double seconds, bool stopped) const {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& st : all)
      rows.push_back({{"function", st.function}, {"type", st.type}, {"cases", st.cases}, {"point_cases", st.point_cases},
                      {"box_cases", st.box_cases}, {"oracle_points", st.oracle_points},
                      {"entries_checked", st.entries_checked}, {"declined", st.declined},
                      {"oracle_not_finite", st.oracle_not_finite}, {"unresolved", st.unresolved},
                      {"failures", st.failures},
                      {"huge_n_cases", st.huge_n_cases}, {"max_n", st.max_n},
                      {"max_width_ulps", std::isfinite(st.max_width_ulps) ? nlohmann::json(st.max_width_ulps)
                                                                          : nlohmann::json("inf")},
                      {"regimes", st.regimes}, {"seconds", st.seconds}});
    const nlohmann::json doc = {{"schema_version", 1},
                                {"command", "stress"},
                                {"cases_per_pair", cases},
                                {"seed", seed},
                                {"widths", widths},
                                {"test_shrink_enclosures", shrink_for_test},
                                {"provenance", report::provenance(command_line(), seed, 16384)},
                                {"results", rows},
                                {"seconds", seconds},
                                {"interrupted", stopped}};
    io::write_file_atomically(json_path, doc.dump(2) + "\n");
  }
};

const bool registered_stress = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<StressCommand>();
  auto* sub = app.add_subcommand("stress", "soundness stress: model enclosures against an independent Arb oracle");
  sub->add_option("--cases", cmd->cases, "random cases per function and scalar type")->capture_default_str();
  sub->add_option("--seed", cmd->seed, "random seed (every case is reproducible from it)")->capture_default_str();
  sub->add_option("--types", cmd->types, "scalar types: interval, mp128, mp256, mp1024 (default: all)")->delimiter(',');
  sub->add_option("--functions", cmd->functions, "model functions (default: all)")->delimiter(',');
  sub->add_option("--widths", cmd->widths, "input widths: point, ulp, 1e-8, 1, huge (default: all)")->delimiter(',');
  sub->add_option("--json", cmd->json_path, "write the per-pair results as JSON here");
  cmd->progress_options.add_to(*sub);
  // Test-only: a deliberately broken model (every enclosure collapsed to its midpoint) that the
  // check must reject; hidden from --help (empty group).
  sub->add_flag("--test-shrink-enclosures", cmd->shrink_for_test, "test only: shrink every enclosure to its midpoint")
      ->group("");
  return [cmd] { return cmd->run(); };
});

}  // namespace
}  // namespace certbound::cli
