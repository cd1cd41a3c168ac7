// A paper statement as a checkable obligation.
//
// Every statement has the form  LHS ≤ C·F  (upper bound) or  LHS ≥ C·F  (lower bound), where C is
// the statement's constant (kept separate so that --scale c can tighten it: an upper bound's
// constant becomes c·C, a lower bound's C/c) and F the remaining factor (‖x − y‖₂, 1, ...).
// Identities instead give two code paths' enclosures of the same vector ("consistent" when they
// overlap). Hypotheses are slacks g ≥ 0 (> 0 if strict): a case is inside the domain only when
// every slack certainly has the right sign.
//
// An obligation is one small file in proofs/ defining a struct with meta(), inputs(),
// a templated evaluate<T>() and samplers; CERTBOUND_OBLIGATION(Struct) registers it.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <functional>
#include <limits>
#include <type_traits>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "certbound/arith/decimal.hpp"
#include "certbound/arith/enclosure.hpp"
#include "certbound/arith/ops.hpp"
#include "certbound/linalg/eigen_support.hpp"

namespace certbound {

namespace symbolic {
struct Derivation;  // obligation/derivation.hpp
}

enum class Kind { paper, fact, identity, sharp };
enum class Direction { upper_bound, lower_bound };

inline const char* to_string(Kind k) {
  switch (k) {
    case Kind::paper: return "paper";
    case Kind::fact: return "fact";
    case Kind::identity: return "identity";
    case Kind::sharp: return "sharp";
  }
  return "?";
}

/// What a reader needs to hold the obligation next to the paper.
struct Meta {
  std::string id;
  Kind kind = Kind::paper;
  std::string provenance;           ///< confirmed / reconstructed / derived (proofs/STATEMENTS.md)
  std::string citation;             ///< paper or DLS23 statement
  std::string statement;            ///< the inequality in words and symbols
  std::string constant_expression;  ///< C, e.g. "4β⁻² n^{1.5} R e^{2R²}" ("" if none)
  Direction direction = Direction::upper_bound;
  bool strict = false;              ///< LHS < C·F rather than ≤
  std::string domain;               ///< the hypotheses in words: where the statement is claimed
  std::string attained;             ///< where the bound is attained or approached ("" if unknown)
};

/// Parameters of a run, as given (exact text: "0.01" stays 1/100 when enclosed).
struct Settings {
  int n = 8;
  int d = 4;
  std::string R = "4";
  std::string eta = "0.1";
  std::string scale = "1";
  std::string beta;  ///< empty: the paper's β = e^{−R²}; "tight": min of the α's per case; else a number
};

/// Why the settings are unusable ("" when they are fine): n, d < 1 or absurd, R, η, scale or β not
/// a positive number, R above 10⁶. Messages name the command-line option.
std::string settings_problem(const Settings& s);

/// Settings evaluated in scalar type T.
template <class T>
struct Params {
  int n = 0, d = 0;
  T R, eta, scale;
  std::string beta_mode;
  std::optional<T> beta_value;

  static Params from(const Settings& s) {
    Params p;
    p.n = s.n;
    p.d = s.d;
    p.R = parse_scalar<T>(s.R);
    p.eta = parse_scalar<T>(s.eta);
    p.scale = parse_scalar<T>(s.scale);
    p.beta_mode = s.beta;
    if (!s.beta.empty() && s.beta != "tight") p.beta_value = parse_scalar<T>(s.beta);
    return p;
  }
  /// R² as an enclosure.
  T R2() const { return ops::sqr(R); }
};

/// The name of an input of a statement. Obligations name their inputs through the constants of
/// namespace `input` (Case::mat, vec, scalar and at accept nothing else), so a misspelt name is a
/// compile error instead of an internal error at run time. The text is what files and reports use.
struct InputName {
  const char* text;
  operator std::string() const { return text; }  // map keys, reports
};
namespace input {
inline constexpr InputName A{"A"}, B{"B"}, x{"x"}, y{"y"}, b{"b"}, z{"z"}, t{"t"}, u{"u"}, v{"v"}, xi{"xi"}, a{"a"},
    beta{"beta"};
}  // namespace input

/// Shape of one input.
struct InputSpec {
  std::string name;
  int rows = 1, cols = 1;
  std::string description;
};

/// Exact inputs of a case: doubles are exact points; everything derived is computed in T.
/// A case may also be a box (the prover's): `upper` then holds the upper ends of the inputs it
/// names, and interval types see the hull [inputs, upper] (double sees its midpoint).
struct Case {
  std::string family;  ///< enumerated family, "random", "search" or "box"
  std::map<std::string, Eigen::MatrixXd> inputs;
  std::map<std::string, Eigen::MatrixXd> upper;

  const Eigen::MatrixXd& at(InputName name) const { return find(name); }
  Eigen::MatrixXd& at(InputName name) { return const_cast<Eigen::MatrixXd&>(find(name)); }
  template <class T>
  Mat<T> mat(InputName name) const {
    const Eigen::MatrixXd& lo = find(name);
    const auto hi = upper.find(name);
    if (hi == upper.end()) return to_scalar_matrix<T>(lo);
    Mat<T> m(lo.rows(), lo.cols());
    for (Eigen::Index i = 0; i < lo.rows(); ++i)
      for (Eigen::Index j = 0; j < lo.cols(); ++j) m(i, j) = ops::hull<T>(lo(i, j), hi->second(i, j));
    return m;
  }
  template <class T>
  Vec<T> vec(InputName name) const {
    const Mat<T> m = mat<T>(name);
    return Vec<T>(m.reshaped());
  }
  template <class T>
  T scalar(InputName name) const {
    return mat<T>(name)(0, 0);
  }

 private:
  /// The input, or a logic_error naming it and the inputs the case has (an obligation that reads an
  /// input its inputs() does not declare is a bug, reported as such).
  const Eigen::MatrixXd& find(InputName name) const {
    const auto it = inputs.find(name.text);
    if (it != inputs.end()) return it->second;
    std::string have;
    for (const auto& [key, value] : inputs) have += (have.empty() ? "" : ", ") + key;
    throw std::logic_error(std::string("case has no input '") + name.text + "' (it has: " + have + ")");
  }
};

/// One coordinate of the prover's bounding box: entry (row, col) of input `input` in [lo, hi].
struct ProofVariable {
  std::string input;
  int row = 0, col = 0;
  double lo = 0, hi = 0;
};

/// How `certbound prove` covers an obligation: the bounding box of its domain and, where the
/// statement itself cannot be proved box by box, the reduction used instead (documented).
struct ProofForm {
  std::string reduction;         ///< e.g. "mean-value theorem: sup ‖J_x f‖ ≤ C on the convex ball"
  std::string proved_statement;  ///< what a closed tree establishes (may be stronger than the statement)
  /// The part of the statement's domain that the box covers. Empty when it covers the whole domain
  /// (a closed tree is then `proved`); otherwise e.g. "z ∈ [−R², R²]ⁿ", and a closed tree is only
  /// `proved-on-box`: the statement says more than was checked.
  std::string sub_domain;
  std::vector<ProofVariable> variables;
  bool refutable_by_points = false;  ///< box points are inputs of the statement itself
  /// When sub_domain is not empty: the covered part as a box on the statement's own inputs (empty
  /// when `variables` are those inputs). A witness of `tighten` must lie in it, since C* is then
  /// the best constant on the box only.
  std::vector<ProofVariable> statement_box;
  /// A further test of the covered part on a statement case, for derived points that must stay in
  /// the box (e.g. x_{t+1} of a gradient step): true only when membership is certain.
  std::function<bool(const Case&)> statement_box_also;
};

template <class T>
struct Hypothesis {
  std::string name;
  T slack;  ///< holds iff slack ≥ 0 (> 0 if strict)
  bool strict = false;
  /// For a bound "Q ≤ K": Q's name and enclosure, reported on users' data (‖A‖, ‖x‖₂, α, ...).
  std::string quantity_name;
  std::optional<T> quantity;
};

template <class T>
struct Evaluation {
  std::vector<Hypothesis<T>> hypotheses;
  T lhs{0}, constant{1}, factor{1};
  std::vector<T> path_a, path_b;  ///< identities: two enclosures of the same vector

  void require(std::string name, T slack, bool strict = false) {
    hypotheses.push_back({std::move(name), std::move(slack), strict, {}, std::nullopt});
  }
  /// The hypothesis quantity ≤ bound (< if strict), keeping the quantity for reports.
  ///
  /// Returns the quantity contracted by the hypothesis, min(quantity, bound): the box prover's
  /// contractor (in the manner of IBEX's). Every point where the hypothesis holds has Q ≤ K, so Q =
  /// min(Q, K), and the interval extension of min encloses it; points where it fails are not in
  /// the statement's domain. A proof form that bounds its left side with the returned value
  /// instead of the raw enclosure gets, on a box that pokes out of the domain, a bound no larger
  /// than the hypothesis allows.
  T require_at_most(std::string name, std::string quantity_name, const T& quantity, const T& bound,
                    bool strict = false) {
    hypotheses.push_back({std::move(name), T(bound - quantity), strict, std::move(quantity_name), quantity});
    return ops::min(quantity, bound);
  }
  /// The hypothesis quantity ≥ bound (> if strict); returns max(quantity, bound), as above.
  T require_at_least(std::string name, std::string quantity_name, const T& quantity, const T& bound,
                     bool strict = false) {
    hypotheses.push_back({std::move(name), T(quantity - bound), strict, std::move(quantity_name), quantity});
    return ops::max(quantity, bound);
  }
};

/// Deterministic random source for samplers (portable bit mapping, never std distributions).
struct Rng {
  std::mt19937_64 engine;
  explicit Rng(std::uint64_t seed) : engine(seed) {}
  double unit() { return static_cast<double>(engine() >> 11) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * unit(); }
  /// Standard normal by Box–Muller on our own uniforms.
  double normal();
  Eigen::MatrixXd normal_matrix(int rows, int cols);
  std::uint64_t next() { return engine(); }
};

/// A constant with the expression it stands for (e.g. the natural chain's 4n^{1.5}R e^{4R²}).
struct NamedConstant {
  std::string expression;
  Enclosure value;
};

/// Type-erased obligation used by the engines.
class Obligation {
 public:
  virtual ~Obligation() = default;
  virtual const Meta& meta() const = 0;
  virtual std::vector<InputSpec> inputs(const Settings& s) const = 0;
  virtual Evaluation<double> evaluate(const Case& c, const Params<double>& p) const = 0;
  virtual Evaluation<Interval> evaluate(const Case& c, const Params<Interval>& p) const = 0;
  virtual Evaluation<Mp128> evaluate(const Case& c, const Params<Mp128>& p) const = 0;
  virtual Evaluation<Mp257> evaluate(const Case& c, const Params<Mp257>& p) const = 0;
  virtual Evaluation<Mp1025> evaluate(const Case& c, const Params<Mp1025>& p) const = 0;
  /// Structured boundary and extremal families (the boundary and attaining cases of proofs/STATEMENTS.md), deterministic given rng.
  virtual std::vector<Case> families(const Settings& s, Rng& rng) const = 0;
  /// One random case inside the domain (in double; certification decides).
  virtual Case random_case(const Settings& s, Rng& rng) const = 0;
  /// Pull a double case back into the domain (used by the adversarial search).
  virtual void project(Case& c, const Settings& s) const = 0;
  /// The constant C at these settings (β: the paper's e^{−R²} unless a number is given),
  /// certified: in double intervals when finite there, else at 257 bits. nullopt: no constant.
  virtual std::optional<Enclosure> constant(const Settings& s) const = 0;
  /// The constant the paper's own chain of lemmas gives for this statement (proofs/STATEMENTS.md, "What
  /// looks wrong": reported beside the paper constant); nullopt when the statement has none.
  virtual std::optional<NamedConstant> chain_constant(const Settings&) const { return std::nullopt; }
  /// The prover's form for these settings; nullopt when the obligation cannot be proved by boxes.
  virtual std::optional<ProofForm> proof_form(const Settings&) const { return std::nullopt; }
  /// The margin's ingredients over a box of the proof form's variables.
  virtual Evaluation<Interval> prove_evaluate(const Case& box, const Params<Interval>& p) const = 0;
  virtual Evaluation<Mp128> prove_evaluate(const Case& box, const Params<Mp128>& p) const = 0;
  virtual Evaluation<Mp257> prove_evaluate(const Case& box, const Params<Mp257>& p) const = 0;
  virtual Evaluation<Mp1025> prove_evaluate(const Case& box, const Params<Mp1025>& p) const = 0;
  /// Extra parameter requirements (e.g. R ≥ 4 is a hypothesis, not an input error). Returns a
  /// message when the settings cannot be used with this obligation, "" otherwise.
  virtual std::string check_settings(const Settings&) const { return ""; }
  /// The statement's proof for every n and d as a derivation for the kernel
  /// (engine/derivation_kernel.hpp); nullptr when the obligation has none.
  virtual std::shared_ptr<const symbolic::Derivation> derivation() const { return nullptr; }
};

/// All registered obligations, in registration order sorted by id.
std::vector<const Obligation*> all_obligations();
const Obligation* find_obligation(const std::string& id);
bool register_obligation(std::unique_ptr<Obligation> o);

/// Adapter from a definition struct D (see proofs/) to the type-erased interface.
template <class D>
class ObligationAdapter final : public Obligation {
 public:
  ObligationAdapter() : meta_(D::meta()) {}
  const Meta& meta() const override { return meta_; }
  std::vector<InputSpec> inputs(const Settings& s) const override { return D::inputs(s); }
  Evaluation<double> evaluate(const Case& c, const Params<double>& p) const override { return D::template evaluate<double>(c, p); }
  Evaluation<Interval> evaluate(const Case& c, const Params<Interval>& p) const override { return D::template evaluate<Interval>(c, p); }
  Evaluation<Mp128> evaluate(const Case& c, const Params<Mp128>& p) const override { return D::template evaluate<Mp128>(c, p); }
  Evaluation<Mp257> evaluate(const Case& c, const Params<Mp257>& p) const override { return D::template evaluate<Mp257>(c, p); }
  Evaluation<Mp1025> evaluate(const Case& c, const Params<Mp1025>& p) const override { return D::template evaluate<Mp1025>(c, p); }
  std::vector<Case> families(const Settings& s, Rng& rng) const override { return D::families(s, rng); }
  Case random_case(const Settings& s, Rng& rng) const override { return D::random_case(s, rng); }
  void project(Case& c, const Settings& s) const override { D::project(c, s); }
  std::optional<Enclosure> constant(const Settings& s) const override {
    if constexpr (requires(const Params<Interval>& p) { D::template constant<Interval>(p, p.R); }) {
      return certified_constant(s, [](const auto& p) {
        using T = std::decay_t<decltype(p.R)>;
        const T beta = p.beta_value ? *p.beta_value : ops::exp(-p.R2());
        return D::template constant<T>(p, beta);
      });
    } else {
      return std::nullopt;
    }
  }
  std::optional<NamedConstant> chain_constant(const Settings& s) const override {
    if constexpr (requires(const Params<Interval>& p) { D::template chain_constant<Interval>(p); }) {
      return NamedConstant{D::chain_constant_expression(),
                           certified_constant(s, [](const auto& p) { return D::chain_constant(p); })};
    } else {
      return std::nullopt;
    }
  }
  std::optional<ProofForm> proof_form(const Settings& s) const override {
    if constexpr (requires { D::proof_form(s); }) return D::proof_form(s);
    return std::nullopt;
  }
  Evaluation<Interval> prove_evaluate(const Case& c, const Params<Interval>& p) const override { return prove_at<Interval>(c, p); }
  Evaluation<Mp128> prove_evaluate(const Case& c, const Params<Mp128>& p) const override { return prove_at<Mp128>(c, p); }
  Evaluation<Mp257> prove_evaluate(const Case& c, const Params<Mp257>& p) const override { return prove_at<Mp257>(c, p); }
  Evaluation<Mp1025> prove_evaluate(const Case& c, const Params<Mp1025>& p) const override { return prove_at<Mp1025>(c, p); }
  std::string check_settings(const Settings& s) const override {
    if constexpr (requires { D::check_settings(s); }) return D::check_settings(s);
    return "";
  }
  std::shared_ptr<const symbolic::Derivation> derivation() const override {
    if constexpr (requires { D::derivation(); }) {
      static const auto d = std::make_shared<const symbolic::Derivation>(D::derivation());
      return d;
    } else {
      return nullptr;
    }
  }

 private:
  /// A positive constant in double intervals when finite there, else at 257 bits.
  template <class F>
  static Enclosure certified_constant(const Settings& s, F&& formula) {
    Enclosure e = to_enclosure(formula(Params<Interval>::from(s)));
    if (!(e.upper_double() < std::numeric_limits<double>::max()) || !e.certainly_positive())
      e = to_enclosure(formula(Params<Mp257>::from(s)));
    return e;
  }
  template <class T>
  static Evaluation<T> prove_at(const Case& c, const Params<T>& p) {
    if constexpr (requires { D::template prove_evaluate<T>(c, p); }) return D::template prove_evaluate<T>(c, p);
    else return D::template evaluate<T>(c, p);
  }
  Meta meta_;
};

}  // namespace certbound

#define CERTBOUND_CONCAT_INNER(a, b) a##b
#define CERTBOUND_CONCAT(a, b) CERTBOUND_CONCAT_INNER(a, b)
/// Register an obligation definition (one line at the end of its proofs/ file). The variable is
/// named by __COUNTER__, not __LINE__: proofs/ is compiled as a unity build, where two files'
/// registrations may stand on the same line of one translation unit.
#define CERTBOUND_OBLIGATION(Definition)                                                      \
  namespace {                                                                                 \
  [[maybe_unused]] const bool CERTBOUND_CONCAT(certbound_registered_, __COUNTER__) =          \
      ::certbound::register_obligation(std::make_unique<::certbound::ObligationAdapter<Definition>>()); \
  }
