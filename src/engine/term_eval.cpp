// Terms evaluated at a case, and derivation steps checked on the check's cases (engine/term_eval.hpp).
#include "certbound/engine/term_eval.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "certbound/arith/input_error.hpp"
#include "certbound/engine/all_n.hpp"
#include "certbound/engine/derivation_kernel.hpp"
#include "certbound/engine/scalar_prover.hpp"
#include "certbound/linalg/norms.hpp"
#include "certbound/linalg/spectral_norm.hpp"
#include "certbound/model/softmax_regression.hpp"

namespace certbound {

using symbolic::Node;
using symbolic::Op;
using symbolic::Shape;
using symbolic::Term;

namespace {

TermValue scalar_value(const Interval& x) {
  TermValue v;
  v.kind = Shape::scalar;
  v.value = Mat<Interval>::Constant(1, 1, x);
  return v;
}

TermValue vector_value(const Vec<Interval>& x) {
  TermValue v;
  v.kind = Shape::vector;
  v.value = x;
  return v;
}

TermValue matrix_value(Mat<Interval> m) {
  TermValue v;
  v.kind = Shape::matrix;
  v.value = std::move(m);
  return v;
}

Vec<Interval> as_vector(const TermValue& v) { return v.value.col(0); }

/// Bind a dimension symbol to a size; a second, different size is an error.
void bind_dimension(TermBindings& b, const std::string& dim, Eigen::Index size, const std::string& input) {
  if (dim == "1") {
    if (size != 1) throw TermEvalError("input " + input + " should have one column");
    return;
  }
  const auto [it, fresh] = b.dimensions.emplace(dim, size);
  if (!fresh && it->second != size)
    throw TermEvalError("input " + input + " gives " + dim + " = " + std::to_string(size) + ", another input " +
                        std::to_string(it->second));
}

/// R, η, β from the settings (β: the case's own "beta" first); nullopt for other symbols.
std::optional<Interval> setting_symbol(const std::string& name, const Case& c, const Settings& s) {
  const auto p = Params<Interval>::from(s);
  if (name == "R") return p.R;
  if (name == "η") return p.eta;
  if (name == "β") {
    if (c.inputs.count("beta")) return c.scalar<Interval>(input::beta);
    if (p.beta_value) return *p.beta_value;
    if (!s.beta.empty()) throw TermEvalError("β = '" + s.beta + "' has no value for a derivation");
    return ops::exp(-p.R2());  // the paper's β = e^{−R²}
  }
  return std::nullopt;
}

/// The case's 1×1 input `name` as a scalar symbol.
Interval scalar_input(const std::string& name, const Case& c) {
  const auto it = c.inputs.find(name);
  if (it == c.inputs.end()) throw TermEvalError("no value for the symbol " + name + " in the case");
  if (it->second.size() != 1) throw TermEvalError("the input " + name + " is not a number");
  return c.mat<Interval>(InputName{name.c_str()})(0, 0);
}

/// The first vector indexed by the generic index in t (not under a nested maxᵢ), or nullptr.
const Node* first_indexed(const Term& t) {
  if (t->op == Op::coordinate || t->op == Op::sum_others) return t->args[0].get();
  if (t->op == Op::max_index) return nullptr;
  for (const Term& a : t->args)
    if (const Node* n = first_indexed(a)) return n;
  return nullptr;
}

bool overlaps(const Interval& a, const Interval& b) { return !(a.upper() < b.lower() || b.upper() < a.lower()); }

}  // namespace

TermBindings bind_signature(const symbolic::Signature& sig, const Case& c, const Settings& s) {
  TermBindings b;
  for (const auto& [name, shape] : sig.inputs) {
    if (!c.inputs.count(name)) throw TermEvalError("the case has no input " + name);
    const Mat<Interval> m = c.mat<Interval>(InputName{name.c_str()});
    bind_dimension(b, shape.rows, m.rows(), name);
    bind_dimension(b, shape.cols, m.cols(), name);
    TermValue v;
    v.kind = shape.kind;
    v.value = m;
    if (shape.kind == Shape::scalar) throw TermEvalError("the scalar input " + name + " is not a symbol");
    b.inputs.emplace(name, std::move(v));
  }
  for (const auto& [name, range] : sig.symbols) {
    if (const auto it = b.dimensions.find(name); it != b.dimensions.end()) {
      b.symbols[name] = Interval(static_cast<double>(it->second));
    } else if (name == "n" || name == "d") {  // a dimension that no input of this statement fixes
      const int size = name == "n" ? s.n : s.d;
      b.dimensions[name] = size;
      b.symbols[name] = Interval(static_cast<double>(size));
    } else if (const auto v = setting_symbol(name, c, s)) {
      b.symbols[name] = *v;
    } else {
      b.symbols[name] = scalar_input(name, c);
    }
  }
  return b;
}

struct TermEvaluator::State {
  TermBindings bindings;
  /// Values of index-free sub-terms by node; the Term pins the node so the key stays valid.
  std::map<const Node*, std::pair<Term, TermValue>> cache;
  std::map<const Node*, bool> indexed;
  std::optional<Eigen::Index> index;  ///< the generic index i inside maxᵢ
  Eigen::Index index_range = 0;

  bool uses_index(const Term& t) {
    if (t->op == Op::coordinate || t->op == Op::sum_others) return true;
    if (t->op == Op::max_index) return false;
    if (const auto it = indexed.find(t.get()); it != indexed.end()) return it->second;
    const bool u = std::any_of(t->args.begin(), t->args.end(), [&](const Term& a) { return uses_index(a); });
    indexed[t.get()] = u;
    return u;
  }

  TermValue eval(const Term& t) {
    const bool cacheable = !uses_index(t);
    if (cacheable)
      if (const auto it = cache.find(t.get()); it != cache.end()) return it->second.second;
    TermValue v = compute(t);
    if (cacheable) cache.emplace(t.get(), std::make_pair(t, v));
    return v;
  }

  Interval scalar(const Term& t) {
    const TermValue v = eval(t);
    if (v.kind != Shape::scalar) throw TermEvalError("not a number: " + symbolic::to_text(t));
    return v.scalar();
  }

  Vec<Interval> vector(const Term& t) {
    const TermValue v = eval(t);
    if (v.kind != Shape::vector) throw TermEvalError("not a vector: " + symbolic::to_text(t));
    return as_vector(v);
  }

  Mat<Interval> matrix(const Term& t) {
    TermValue v = eval(t);
    if (v.kind != Shape::matrix) throw TermEvalError("not a matrix: " + symbolic::to_text(t));
    return std::move(v.value);
  }

  TermValue compute(const Term& t) {
    const auto& a = t->args;
    switch (t->op) {
      case Op::number: return scalar_value(kernel::rational_enclosure(t->value));
      case Op::symbol: {
        const auto it = bindings.symbols.find(t->name);
        if (it == bindings.symbols.end()) throw TermEvalError("no value for the symbol " + t->name);
        return scalar_value(it->second);
      }
      case Op::input: {
        const auto it = bindings.inputs.find(t->name);
        if (it == bindings.inputs.end()) throw TermEvalError("no value for the input " + t->name);
        return it->second;
      }
      case Op::coordinate: {
        const Vec<Interval> v = vector(a[0]);
        return scalar_value(v(generic_index(v)));
      }
      case Op::sum_others: {
        const Vec<Interval> v = vector(a[0]);
        const Eigen::Index i = generic_index(v);
        Interval s(0.0);
        for (Eigen::Index j = 0; j < v.size(); ++j)
          if (j != i) s += v(j);
        return scalar_value(s);
      }
      case Op::add: return sum(t);
      case Op::mul: return product(t);
      case Op::pow: return scalar_value(kernel::rational_power(scalar(a[0]), t->value));
      case Op::exp: return scalar_value(ops::exp(scalar(a[0])));
      case Op::log: {
        const Interval x = scalar(a[0]);
        if (!(x.lower() > 0)) throw TermEvalError("log of a number that may be ≤ 0: " + symbolic::to_text(a[0]));
        return scalar_value(ops::log(x));
      }
      case Op::abs: return scalar_value(ops::abs(scalar(a[0])));
      case Op::phi1: return scalar_value(kernel::phi1_enclosure(scalar(a[0])));
      case Op::max_index: return scalar_value(max_over_index(t));
      case Op::ones: {
        const auto it = bindings.dimensions.find(t->name);
        if (it == bindings.dimensions.end()) throw TermEvalError("no size for the dimension " + t->name);
        return vector_value(Vec<Interval>::Constant(it->second, Interval(1.0)));
      }
      case Op::apply: {
        const Mat<Interval> m = matrix(a[0]);
        const Vec<Interval> v = vector(a[1]);
        if (m.cols() != v.size()) throw TermEvalError("sizes do not match in " + symbolic::to_text(t));
        return vector_value(model::matvec<Interval>(m, v));
      }
      case Op::matmul: return matrix_value(matmul(matrix(a[0]), matrix(a[1]), t));
      case Op::transpose: return matrix_value(matrix(a[0]).transpose());
      case Op::hadamard: {
        const Vec<Interval> u = vector(a[0]), v = vector(a[1]);
        if (u.size() != v.size()) throw TermEvalError("sizes do not match in " + symbolic::to_text(t));
        Vec<Interval> w(u.size());
        for (Eigen::Index i = 0; i < u.size(); ++i) w(i) = u(i) * v(i);
        return vector_value(w);
      }
      case Op::vexp: {
        Vec<Interval> v = vector(a[0]);
        for (Eigen::Index i = 0; i < v.size(); ++i) v(i) = ops::exp(v(i));
        return vector_value(v);
      }
      case Op::softmax: return vector_value(model::softmax<Interval>(vector(a[0])));
      case Op::jac: return matrix_value(model::softmax_jacobian<Interval>(vector(a[0])));
      case Op::dot_ones: {
        const Vec<Interval> v = vector(a[0]);
        Interval s(0.0);
        for (Eigen::Index i = 0; i < v.size(); ++i) s += v(i);
        return scalar_value(s);
      }
      case Op::norm2: return scalar_value(linalg::norm2<Interval>(vector(a[0])));
      case Op::norm_inf: return scalar_value(linalg::norm_inf<Interval>(vector(a[0])));
      case Op::norm1: return scalar_value(linalg::norm1<Interval>(vector(a[0])));
      case Op::opnorm: return scalar_value(linalg::spectral_norm<Interval>(matrix(a[0])).enclosure);
    }
    throw TermEvalError("cannot evaluate " + symbolic::to_text(t));
  }

  /// The generic index, checked against the vector it indexes (every vector under one maxᵢ has
  /// the size the index ranges over).
  Eigen::Index generic_index(const Vec<Interval>& v) const {
    if (!index) throw TermEvalError("a generic entry vᵢ outside maxᵢ");
    if (v.size() != index_range) throw TermEvalError("vectors of different sizes under one maxᵢ");
    return *index;
  }

  TermValue sum(const Term& t) {
    TermValue s = eval(t->args[0]);
    for (size_t k = 1; k < t->args.size(); ++k) {
      const TermValue x = eval(t->args[k]);
      if (x.kind != s.kind || x.value.rows() != s.value.rows() || x.value.cols() != s.value.cols())
        throw TermEvalError("terms of different shapes added in " + symbolic::to_text(t));
      for (Eigen::Index i = 0; i < s.value.size(); ++i) s.value.data()[i] += x.value.data()[i];
    }
    return s;
  }

  /// Scalars times at most one vector or matrix.
  TermValue product(const Term& t) {
    Interval c(1.0);
    std::optional<TermValue> other;
    for (const Term& f : t->args) {
      TermValue x = eval(f);
      if (x.kind == Shape::scalar) {
        c *= x.scalar();
      } else {
        if (other) throw TermEvalError("a product of two vectors or matrices: " + symbolic::to_text(t));
        other = std::move(x);
      }
    }
    if (!other) return scalar_value(c);
    for (Eigen::Index i = 0; i < other->value.size(); ++i) other->value.data()[i] *= c;
    return *other;
  }

  static Mat<Interval> matmul(const Mat<Interval>& m, const Mat<Interval>& n, const Term& t) {
    if (m.cols() != n.rows()) throw TermEvalError("sizes do not match in " + symbolic::to_text(t));
    Mat<Interval> p(m.rows(), n.cols());
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      for (Eigen::Index j = 0; j < n.cols(); ++j) {
        Interval s(0.0);
        for (Eigen::Index k = 0; k < m.cols(); ++k) s += m(i, k) * n(k, j);
        p(i, j) = s;
      }
    return p;
  }

  /// maxᵢ of the body over every index of the vectors it indexes (the interval max of the
  /// enclosures encloses the max of the values).
  Interval max_over_index(const Term& t) {
    if (index) throw TermEvalError("maxᵢ inside maxᵢ");
    const Term& body = t->args[0];
    const Node* indexed_vector = first_indexed(body);
    if (!indexed_vector) return scalar(body);  // constant in i (and the index set is not empty)
    const Eigen::Index size = vector(find_term(body, indexed_vector)).size();
    if (size == 0) throw TermEvalError("maxᵢ over an empty index set");
    index_range = size;
    std::optional<Interval> m;
    try {
      for (Eigen::Index i = 0; i < size; ++i) {
        index = i;
        const Interval x = scalar(body);
        m = m ? ops::max(*m, x) : x;
      }
    } catch (...) {
      index.reset();
      throw;
    }
    index.reset();
    return *m;
  }

  /// The sub-term of t whose node is `n` (as a Term, for the evaluator's cache).
  static Term find_term(const Term& t, const Node* n) {
    if (t.get() == n) return t;
    for (const Term& a : t->args)
      if (Term found = find_term(a, n)) return found;
    return nullptr;
  }
};

TermEvaluator::TermEvaluator(TermBindings bindings) : state_(std::make_unique<State>()) {
  state_->bindings = std::move(bindings);
}
TermEvaluator::~TermEvaluator() = default;
TermEvaluator::TermEvaluator(TermEvaluator&&) noexcept = default;
TermValue TermEvaluator::evaluate(const Term& t) { return state_->eval(t); }
Interval TermEvaluator::scalar(const Term& t) { return state_->scalar(t); }
const TermBindings& TermEvaluator::bindings() const { return state_->bindings; }

CaseDomain statement_domain(const symbolic::Statement& st, TermEvaluator& ev) {
  for (const auto& [name, range] : st.signature.symbols) {
    const auto it = ev.bindings().symbols.find(name);
    if (it == ev.bindings().symbols.end()) continue;
    const Interval& x = it->second;
    const double lo = kernel::rational_enclosure(range.lo).upper();
    const bool above = range.lo_open ? x.lower() > lo : x.lower() >= lo;
    bool below = true;
    if (range.hi) {
      const double hi = kernel::rational_enclosure(*range.hi).lower();
      below = range.hi_open ? x.upper() < hi : x.upper() <= hi;
    }
    if (!above || !below) return {false, "not certainly " + range.text(name)};
  }
  for (const symbolic::Inequality& h : st.hypotheses) {
    const Interval slack = ev.scalar(h.rhs) - ev.scalar(h.lhs);
    if (!(h.strict ? slack.lower() > 0 : slack.lower() >= 0))
      return {false, "not certainly " + symbolic::to_text(h.lhs) + (h.strict ? " < " : " ≤ ") + symbolic::to_text(h.rhs)};
  }
  return {true, ""};
}

const char* to_string(StepVerdict v) {
  switch (v) {
    case StepVerdict::holds: return "holds";
    case StepVerdict::violated: return "violated";
    case StepVerdict::undecided: return "undecided";
    case StepVerdict::consistent: return "consistent";
  }
  return "?";
}

std::optional<Interval> StepSides::slack() const {
  if (!(from.lower() > 0)) return std::nullopt;
  return to / from;
}

std::optional<Interval> StepSides::finite_slack(std::string* why) const {
  auto fail = [&](const std::string& reason) -> std::optional<Interval> {
    if (why) *why = reason;
    return std::nullopt;
  };
  const auto finite = [](const Interval& x) { return std::isfinite(x.lower()) && std::isfinite(x.upper()); };
  if (!finite(from) || !finite(to))
    return fail("an enclosure is not finite (Eⱼ = " + Enclosure::of(from).str(4) + ", Eⱼ₊₁ = " + Enclosure::of(to).str(4) + ")");
  const auto r = slack();
  if (!r) return fail("Eⱼ = " + Enclosure::of(from).str(4) + " is not certainly > 0, so Eⱼ₊₁/Eⱼ is not defined");
  if (!finite(*r)) return fail("Eⱼ₊₁/Eⱼ = " + Enclosure::of(*r).str(4) + " is not finite");
  if (!(r->lower() > 0)) return fail("Eⱼ₊₁/Eⱼ = " + Enclosure::of(*r).str(4) + " is not certainly > 0, so it has no log10");
  return r;
}

StepVerdict judge_step(const StepSides& sides, bool identity) {
  if (identity) return overlaps(sides.from, sides.to) ? StepVerdict::consistent : StepVerdict::violated;
  const Interval m = sides.margin();
  if (m.lower() >= 0) return StepVerdict::holds;
  if (m.upper() < 0) return StepVerdict::violated;
  return StepVerdict::undecided;
}

namespace {

/// The step's justification in words, when the kernel did not get as far as this step.
std::string describe(const symbolic::Justification& j) {
  using J = symbolic::Justification;
  switch (j.kind) {
    case J::algebra: return "algebra";
    case J::rule: return "rule " + j.name;
    case J::hypothesis: return "hypothesis " + std::to_string(j.index);
    case J::obligation: return "obligation " + j.name;
    case J::mean_value: return "mean value with " + j.name;
    case J::scalar_lemma: return "lemma " + j.name;
    case J::range: return "range of " + j.name;
  }
  return "?";
}

bool identity_rule(const std::string& name) {
  const auto& table = kernel::rule_table();
  const auto r = std::find_if(table.begin(), table.end(), [&](const kernel::Rule& x) { return x.name == name; });
  return r != table.end() && r->identity;
}

}  // namespace

Chain derivation_chain(const symbolic::Derivation& d, const symbolic::Rational& scale,
                       const std::vector<std::string>& justifications) {
  Chain c;
  c.terms.push_back(d.statement.claim.lhs);
  for (const symbolic::Step& s : d.steps) {
    c.terms.push_back(s.next);
    c.identity.push_back(s.why.kind == symbolic::Justification::algebra ||
                         (s.why.kind == symbolic::Justification::rule && identity_rule(s.why.name)));
    c.justification.push_back(describe(s.why));
  }
  const Term rhs = scale == symbolic::Rational(1) ? d.statement.claim.rhs
                                                  : symbolic::mul({symbolic::num(scale), d.statement.claim.rhs});
  bool equal = false;
  try {
    equal = symbolic::equal_up_to_algebra(c.terms.back(), rhs, d.statement.signature);
  } catch (const symbolic::SymbolicError&) {
    equal = false;  // then it is compared as an inequality, which is always sound to report
  }
  c.terms.push_back(rhs);
  c.identity.push_back(equal);
  c.justification.push_back(equal ? "the right side, up to algebra" : "composition with the right side");
  for (size_t k = 0; k < justifications.size() && k < c.justification.size(); ++k)
    if (!justifications[k].empty()) c.justification[k] = justifications[k];
  return c;
}

std::optional<std::vector<StepSides>> evaluate_chain(const Chain& chain, const symbolic::Statement& st, const Case& c,
                                                     const Settings& s, std::string* why, bool domain_certified) {
  TermEvaluator ev(bind_signature(st.signature, c, s));
  const CaseDomain domain = domain_certified ? CaseDomain{true, ""} : statement_domain(st, ev);
  if (!domain.inside) {
    if (why) *why = domain.note;
    return std::nullopt;
  }
  std::vector<Interval> values;
  for (const Term& t : chain.terms) values.push_back(ev.scalar(t));
  std::vector<StepSides> sides;
  for (size_t k = 0; k + 1 < values.size(); ++k) sides.push_back({values[k], values[k + 1]});
  return sides;
}

int StepReportSet::false_accepted_steps() const {
  return static_cast<int>(
      std::count_if(steps.begin(), steps.end(), [](const StepSummary& s) { return s.violated > 0 && s.accepted; }));
}

namespace {

void tally(StepSummary& sum, const StepSides& sides, const Case& c) {
  switch (judge_step(sides, sum.identity)) {
    case StepVerdict::holds: ++sum.holds; break;
    case StepVerdict::violated:
      ++sum.violated;
      if (!sum.violation) sum.violation = c;
      break;
    case StepVerdict::undecided: ++sum.undecided; break;
    case StepVerdict::consistent: ++sum.consistent; break;
  }
  const double m = sides.margin().lower();
  if (!sum.min_margin || m < *sum.min_margin) sum.min_margin = m;
  if (const auto r = sides.slack(); r && (!sum.worst_slack || r->lower() < *sum.worst_slack)) sum.worst_slack = r->lower();
}

}  // namespace

StepReportSet evaluate_steps(const Obligation& ob, const std::vector<Case>& cases, const Settings& s) {
  StepReportSet rep;
  rep.obligation = &ob;
  const auto d = ob.derivation();
  if (!d) {
    rep.note = "no derivation";
    return rep;
  }
  rep.has_derivation = true;
  symbolic::Rational scale;
  try {
    scale = exact_scale(s.scale);
  } catch (const InputError& e) {
    rep.note = e.what();
    return rep;
  }
  const kernel::KernelReport k = kernel::check_derivation(ob.meta().id, registered_derivations(), scale);
  rep.kernel_proved = k.proved;
  std::vector<std::string> justifications;
  for (const kernel::StepReport& r : k.steps) justifications.push_back(r.justification);
  const Chain chain = derivation_chain(*d, scale, justifications);
  for (size_t j = 0; j + 1 < chain.terms.size(); ++j) {
    StepSummary sum;
    sum.step = static_cast<int>(j) + 1;
    sum.justification = chain.justification[j];
    sum.identity = chain.identity[j];
    sum.accepted = j < k.steps.size() && k.steps[j].ok;
    rep.steps.push_back(std::move(sum));
  }
  for (const Case& c : cases) {
    ++rep.cases;
    std::optional<std::vector<StepSides>> sides;
    std::string why;
    try {
      sides = evaluate_chain(chain, d->statement, c, s, &why);
    } catch (const std::exception& e) {  // TermEvalError, a domain error of interval arithmetic
      ++rep.not_evaluable;
      if (rep.note.empty()) rep.note = std::string("a case could not be evaluated: ") + e.what();
      continue;
    }
    if (!sides) {
      ++rep.outside;
      if (rep.outside_note.empty()) rep.outside_note = why;
      continue;
    }
    ++rep.inside;
    for (size_t j = 0; j < sides->size(); ++j) tally(rep.steps[j], (*sides)[j], c);
  }
  return rep;
}

CheckOptions witness_check_options(int n, int d, const std::string& R, const std::string& scale) {
  CheckOptions o;  // check's defaults: seed 1, the families, 64 random cases, a search of 4000
  o.settings.n = n;
  o.settings.d = d;
  o.settings.R = R;
  o.settings.scale = scale;
  return o;
}

WitnessSlack slack_at_witness(const Obligation& ob, const CheckOptions& options,
                              const std::vector<std::string>& justifications) {
  if (!ob.derivation()) {
    WitnessSlack w;
    w.options = options;
    w.note = "no derivation";
    return w;
  }
  return slack_at_witness(ob, check_obligation(ob, options), options, justifications);
}

WitnessSlack slack_at_witness(const Obligation& ob, const ObligationReport& rep, const CheckOptions& options,
                              const std::vector<std::string>& justifications) {
  WitnessSlack w;
  w.options = options;
  const auto d = ob.derivation();
  if (!d) {
    w.note = "no derivation";
    return w;
  }
  try {
    w.chain = derivation_chain(*d, exact_scale(options.settings.scale), justifications);
  } catch (const InputError& e) {
    w.note = e.what();
    return w;
  }
  if (!rep.worst || !rep.worst->result.in_domain) {
    w.note = "the check found no certified case inside the statement's domain";
    return w;
  }
  w.witness = rep.worst->input;
  const Enclosure& r = rep.worst->result.ratio;
  if (!r.has_nan()) w.ratio = r;
  try {
    std::string why;
    // The check certified the witness inside the obligation's domain (in_domain above), at the
    // precision it needed; the derivation's hypotheses are that domain (the statement test), so
    // a boundary witness that double intervals cannot place is still evaluated.
    if (auto sides = evaluate_chain(w.chain, d->statement, *w.witness, options.settings, &why, true))
      w.sides = std::move(*sides);
    else w.note = "the witness is not certainly inside the derivation's hypotheses: " + why;
  } catch (const std::exception& e) {
    w.note = std::string("the witness could not be evaluated: ") + e.what();
  }
  return w;
}

}  // namespace certbound
