// Branch and bound for scalar lemmas over their whole domain (engine/scalar_prover.hpp).
#include "certbound/engine/scalar_prover.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "certbound/arith/interval.hpp"
#include "certbound/arith/ops.hpp"

namespace certbound::kernel {

using symbolic::Op;
using symbolic::Rational;
using symbolic::Term;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

Interval rational_enclosure(const Rational& r) {
  // Interval(int64) rounds outward when the integer is not a double (ExactOutwardRounding::conv_down/up).
  // Widening the round-to-nearest quotient of the two converted integers by a fixed number of ulps
  // is not enough: it carries up to three roundings (about 3·2⁻⁵³ relative), more than two ulps at
  // the top of a binade, e.g. 4632767232333197748/1196173633874847124.
  return Interval(r.num()) / Interval(r.den());
}

/// φ₁(x) = (eˣ − 1)/x at a double x, enclosed (φ₁(0) = 1; φ₁(−∞) = 0, φ₁(+∞) = +∞).
static Interval phi1_at(double x) {
  if (x == 0) return Interval(1.0);
  if (x == -kInf) return Interval(0.0);
  if (x == kInf) return Interval(kInf, kInf, true);
  return ops::expm1(Interval(x)) / Interval(x);
}

/// x^e for a rational exponent: integer powers exactly, k/2 through the square root, otherwise
/// e^{e·log x} for x certainly positive.
Interval rational_power(const Interval& x, const Rational& e) {
  if (e.is_integer()) {
    const int k = static_cast<int>(e.num());
    if (k >= 0) return boost::numeric::pow(x, k);
    const Interval p = boost::numeric::pow(x, -k);
    if (!(p.lower() > 0) && !(p.upper() < 0)) throw DomainError("negative power of an interval that may contain 0");
    return Interval(1.0) / p;
  }
  if (e.den() == 2) return rational_power(ops::sqrt(x), Rational(e.num()));
  return ops::exp(rational_enclosure(e) * ops::log(x));
}

Interval phi1_enclosure(const Interval& x) {  // increasing (φ₁(t) = ∫₀¹ e^{st} ds): the ends' enclosures bound the range
  return Interval(phi1_at(x.lower()).lower(), phi1_at(x.upper()).upper(), true);
}

Interval evaluate_scalar(const Term& t, const std::map<std::string, Interval>& at) {
  const auto& a = t->args;
  switch (t->op) {
    case Op::number: return rational_enclosure(t->value);
    case Op::symbol: {
      const auto it = at.find(t->name);
      if (it == at.end()) throw DomainError("no value for the symbol " + t->name);
      return it->second;
    }
    case Op::add: {
      Interval s(0.0);
      for (const Term& c : a) s += evaluate_scalar(c, at);
      return s;
    }
    case Op::mul: {
      Interval p(1.0);
      for (const Term& c : a) p *= evaluate_scalar(c, at);
      return p;
    }
    case Op::pow: return rational_power(evaluate_scalar(a[0], at), t->value);
    case Op::exp: return ops::exp(evaluate_scalar(a[0], at));
    case Op::log: return ops::log(evaluate_scalar(a[0], at));
    case Op::abs: return ops::abs(evaluate_scalar(a[0], at));
    case Op::phi1: return phi1_enclosure(evaluate_scalar(a[0], at));
    default: throw DomainError("not a scalar term of real variables: " + symbolic::to_text(t));
  }
}

namespace {

struct Box {
  std::map<std::string, Interval> at;
};

/// log of a positive term with products, powers and exponentials expanded.
Term log_expanded(const Term& t) {
  switch (t->op) {
    case Op::mul: {
      std::vector<Term> logs;
      for (const Term& f : t->args) logs.push_back(log_expanded(f));
      return symbolic::add(logs);
    }
    case Op::exp: return t->args[0];
    case Op::pow: return symbolic::mul({symbolic::num(t->value), log_expanded(t->args[0])});
    default: return symbolic::log(t);
  }
}

class LemmaProver {
 public:
  LemmaProver(std::vector<symbolic::LemmaVariable> vars, long budget) : vars_(std::move(vars)), budget_(budget) {
    // Over an unbounded range plain bisection can only close the finite part; after a few thousand
    // boxes the monotonicity rule takes over instead of spending the whole budget.
    const bool unbounded = std::any_of(vars_.begin(), vars_.end(), [](const auto& v) { return !v.range.hi; });
    if (unbounded) budget_ = std::min<long>(budget_, 4000);
  }

  /// Prove g ≥ 0 (> 0 if strict) over the variables' ranges.
  LemmaOutcome nonnegative(const Term& g, bool strict, int monotone_depth = 2) {
    LemmaOutcome out = bisect(g, strict);
    if (out.status != LemmaOutcome::open || monotone_depth == 0) return out;
    for (const auto& v : vars_) {
      if (v.range.hi) continue;  // the monotonicity rule is for a range unbounded above
      const LemmaOutcome m = monotone(g, strict, v, monotone_depth);
      out.boxes += m.boxes;
      if (m.status != LemmaOutcome::open) {
        LemmaOutcome r = m;
        r.boxes = out.boxes;
        return r;
      }
      out.detail += "; monotone in " + v.name + ": " + m.detail;
    }
    return out;
  }

 private:
  std::vector<symbolic::LemmaVariable> vars_;
  long budget_;

  Box root() const {
    Box b;
    for (const auto& v : vars_) {
      const Interval lo = rational_enclosure(v.range.lo);
      const double hi = v.range.hi ? rational_enclosure(*v.range.hi).upper() : kInf;
      b.at[v.name] = Interval(lo.lower(), hi, true);
    }
    return b;
  }

  static bool closes(const Interval& g, bool strict) { return strict ? g.lower() > 0 : g.lower() >= 0; }

  /// A point of the box (finite; the lower end of a tail box), evaluated: certainly negative refutes.
  static std::map<std::string, double> point_of(const Box& b) {
    std::map<std::string, double> p;
    for (const auto& [name, x] : b.at) p[name] = x.upper() == kInf ? x.lower() : x.lower() * 0.5 + x.upper() * 0.5;
    return p;
  }

  LemmaOutcome bisect(const Term& g, bool strict) {
    LemmaOutcome out;
    out.method = "branch and bound";
    std::vector<Box> stack{root()};
    long open = 0;
    while (!stack.empty()) {
      Box box = std::move(stack.back());
      stack.pop_back();
      if (++out.boxes > budget_) {
        out.detail = "box budget of " + std::to_string(budget_) + " exhausted";
        return out;
      }
      bool decided = false;
      try {
        decided = closes(evaluate_scalar(g, box.at), strict);
      } catch (const std::exception&) {
        decided = false;  // a log of a box touching 0, or 0·∞ on a tail box: split further
      }
      if (decided) continue;
      if (refutes(g, box, strict, out)) return out;
      if (!split(box, stack)) ++open;
    }
    if (open == 0) {
      out.status = LemmaOutcome::proved;
      out.plan = std::make_shared<const NonnegativityPlan>(NonnegativityPlan{g, "", nullptr, nullptr, nullptr});
    } else {
      out.detail = std::to_string(open) + " boxes stay undecided";
    }
    return out;
  }

  bool refutes(const Term& g, const Box& box, bool strict, LemmaOutcome& out) const {
    const auto p = point_of(box);
    std::map<std::string, Interval> at;
    for (const auto& [name, x] : p) at[name] = Interval(x);
    try {
      const Interval v = evaluate_scalar(g, at);
      if (v.upper() < 0 || (strict && v.upper() <= 0)) {
        out.status = LemmaOutcome::refuted;
        out.counterexample = p;
        std::string where;
        for (const auto& [name, x] : p) where += (where.empty() ? "" : ", ") + name + " = " + ops::endpoints_text(x, x);
        out.detail = (where.empty() ? "false" : "false at " + where) + " (right − left ∈ " + ops::endpoints_text(v.lower(), v.upper()) + ")";
        return true;
      }
    } catch (const std::exception&) {  // undefined at that point: no refutation
    }
    return false;
  }

  /// Split the widest variable (a tail [a, +∞] at max(2a, a + 1), up to 10⁸; then the tail stays
  /// open: it is never dropped). Returns false when the box cannot be split.
  static bool split(const Box& box, std::vector<Box>& stack) {
    std::string widest;
    double width = 0;
    for (const auto& [name, x] : box.at) {
      const double w = x.upper() == kInf ? (x.lower() < 1e8 ? kInf : 0) : x.upper() - x.lower();
      if (w > width) width = w, widest = name;
    }
    if (widest.empty() || !(width > 1e-12)) return false;
    const Interval x = box.at.at(widest);
    const double cut = x.upper() == kInf ? std::max(2 * x.lower(), x.lower() + 1) : x.lower() * 0.5 + x.upper() * 0.5;
    if (!(cut > x.lower() && cut < x.upper())) return false;
    Box left = box, right = box;
    left.at[widest] = Interval(x.lower(), cut, true);
    right.at[widest] = Interval(cut, x.upper(), true);
    stack.push_back(std::move(right));
    stack.push_back(std::move(left));
    return true;
  }

  /// g(a) ≥ 0 on the other variables and ∂g/∂v ≥ 0 everywhere ⇒ g ≥ 0 for v ∈ [a, ∞).
  LemmaOutcome monotone(const Term& g, bool strict, const symbolic::LemmaVariable& v, int depth) {
    LemmaOutcome out;
    const auto dg = symbolic::derivative(g, v.name);
    if (!dg) {
      out.detail = "g has no symbolic derivative in " + v.name;
      return out;
    }
    std::vector<symbolic::LemmaVariable> others;
    for (const auto& w : vars_)
      if (w.name != v.name) others.push_back(w);
    LemmaProver at_start(others, budget_);
    const LemmaOutcome start = at_start.nonnegative(symbolic::substitute(g, {{v.name, symbolic::num(v.range.lo)}}),
                                                    strict, depth - 1);
    out.boxes += start.boxes;
    if (start.status != LemmaOutcome::proved) {
      out.status = start.status == LemmaOutcome::refuted ? LemmaOutcome::refuted : LemmaOutcome::open;
      out.counterexample = start.counterexample;
      if (out.status == LemmaOutcome::refuted) out.counterexample[v.name] = rational_enclosure(v.range.lo).lower();
      out.detail = "at " + v.name + " = " + v.range.lo.text() + ": " + start.detail;
      return out;
    }
    const LemmaOutcome slope = nonnegative(*dg, false, depth - 1);
    out.boxes += slope.boxes;
    if (slope.status == LemmaOutcome::proved) {
      out.status = LemmaOutcome::proved;
      out.plan = std::make_shared<const NonnegativityPlan>(NonnegativityPlan{g, v.name, *dg, start.plan, slope.plan});
      out.method = "monotone in " + v.name + " (value at " + v.range.lo.text() + ": " + start.method +
                   "; derivative: " + slope.method + ")";
    } else {
      out.detail = "∂/∂" + v.name + " ≥ 0 not shown: " + slope.detail;
    }
    return out;
  }
};

bool positive_on(const Term& t, const std::vector<symbolic::LemmaVariable>& vars) {
  symbolic::Signature sig;
  for (const auto& v : vars) sig.symbols[v.name] = v.range;
  return symbolic::certainly_positive(t, sig);
}

}  // namespace

std::string lemma_text(const symbolic::ScalarLemma& lemma) {
  std::string s = symbolic::to_text(lemma.inequality.lhs) + (lemma.inequality.strict ? " < " : " ≤ ") +
                  symbolic::to_text(lemma.inequality.rhs) + (lemma.variables.empty() ? "" : " for ");
  for (std::size_t i = 0; i < lemma.variables.size(); ++i)
    s += (i ? ", " : "") + lemma.variables[i].range.text(lemma.variables[i].name);
  return s;
}

LemmaOutcome prove_scalar_lemma(const symbolic::ScalarLemma& lemma, long box_budget) {
  LemmaOutcome out;
  if (lemma.variables.size() > 3) {
    out.detail = "a scalar lemma has at most three variables (this one has " + std::to_string(lemma.variables.size()) + ")";
    return out;
  }
  symbolic::Signature sig;
  for (const auto& v : lemma.variables) sig.symbols[v.name] = v.range;
  const Term& lhs = lemma.inequality.lhs;
  const Term& rhs = lemma.inequality.rhs;
  const bool strict = lemma.inequality.strict;
  LemmaProver prover(lemma.variables, box_budget);
  try {
    if (lemma.gap) {
      if (!symbolic::equal_up_to_algebra(symbolic::sub(rhs, lhs), *lemma.gap, sig)) {
        out.detail = "the factorised form " + symbolic::to_text(*lemma.gap) + " is not right − left";
        return out;
      }
      out = prover.nonnegative(*lemma.gap, strict);
      out.form = LemmaOutcome::factorised;
      out.method = "factorised form " + symbolic::to_text(*lemma.gap) + " ≥ 0; " + out.method;
      return out;
    }
    out = prover.nonnegative(symbolic::normal_form(symbolic::sub(rhs, lhs), sig), strict);
    if (out.status != LemmaOutcome::open) return out;
    if (positive_on(lhs, lemma.variables) && positive_on(rhs, lemma.variables)) {
      const Term g = symbolic::normal_form(symbolic::sub(log_expanded(rhs), log_expanded(lhs)), sig);
      LemmaOutcome logs = prover.nonnegative(g, strict);
      logs.boxes += out.boxes;
      if (logs.status != LemmaOutcome::open) {
        logs.form = LemmaOutcome::log_form;
        logs.method = "log form " + symbolic::to_text(g) + " ≥ 0; " + logs.method;
        return logs;
      }
      out.detail += "; log form: " + logs.detail;
    }
  } catch (const symbolic::SymbolicError& e) {
    out.status = LemmaOutcome::open;
    out.detail = e.what();
  }
  return out;
}

}  // namespace certbound::kernel
