// The derivation kernel (engine/derivation_kernel.hpp). Trusted code: keep it small.
#include "certbound/engine/derivation_kernel.hpp"

#include <algorithm>

#include "certbound/arith/hash.hpp"

namespace certbound::kernel {

// The symbolic vocabulary by name (a using-directive here would reach the files compiled after
// this one in a unity build).
using symbolic::Derivation;
using symbolic::Inequality;
using symbolic::Justification;
using symbolic::LemmaVariable;
using symbolic::Names;
using symbolic::Op;
using symbolic::Premise;
using symbolic::Range;
using symbolic::Rational;
using symbolic::ScalarLemma;
using symbolic::Shape;
using symbolic::Signature;
using symbolic::Statement;
using symbolic::Step;
using symbolic::SymbolicError;
using symbolic::Term;
using symbolic::add;
using symbolic::max_index;
using symbolic::mul;
using symbolic::num;
using symbolic::ones;
using symbolic::sym;

namespace {

std::string txt(const Term& t) { return to_text(t); }
bool eq(const Term& a, const Term& b, const Signature& sig) { return equal_up_to_algebra(a, b, sig); }
std::string mismatch(const Term& want, const Term& got, const Signature& sig) {
  return "expected " + txt(normal_form(want, sig)) + ", the step has " + txt(normal_form(got, sig));
}
bool is_norm(Op op) { return op == Op::norm2 || op == Op::norm_inf || op == Op::norm1 || op == Op::opnorm; }
Term same_norm(Op op, Term v) {
  switch (op) {
    case Op::norm2: return norm2(v);
    case Op::norm_inf: return norm_inf(v);
    case Op::norm1: return norm1(v);
    default: return opnorm(v);
  }
}
std::string dimension_of(const Term& v, const Signature& sig) { return sig.shape_of(v).rows; }

/// The rule `check` for a rewriting rule: `to` must equal rewrite(from) up to algebra.
template <class F>
std::function<std::string(const Term&, const Term&, const Signature&)> rewriting(F rewrite) {
  return [rewrite](const Term& from, const Term& to, const Signature& sig) -> std::string {
    std::string why;
    const std::optional<Term> expected = rewrite(from, sig, why);
    if (!expected) return why;
    return eq(*expected, to, sig) ? "" : mismatch(*expected, to, sig);
  };
}

std::vector<Rule> make_rules() {
  std::vector<Rule> r;
  r.push_back({"triangle", "‖a₁ + … + a_k‖ ≤ ‖a₁‖ + … + ‖a_k‖ (every norm and |·|)", "Horn & Johnson, Matrix Analysis, ch. 5",
               false, rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if ((!is_norm(s->op) && s->op != Op::abs) || s->args[0]->op != Op::add) {
                   why = "not a norm of a sum";
                   return std::nullopt;
                 }
                 std::vector<Term> parts;
                 for (const Term& a : s->args[0]->args)
                   parts.push_back(s->op == Op::abs ? abs(a) : same_norm(s->op, a));
                 return add(parts);
               })});
  r.push_back({"hadamard", "‖u∘v‖₂ ≤ ‖u‖_∞‖v‖₂ (and ‖u‖₂‖v‖_∞, u∘v = v∘u)", "|uᵢvᵢ| ≤ ‖u‖_∞|vᵢ| for every i", false,
               [](const Term& s, const Term& to, const Signature& sig) -> std::string {
                 if (s->op != Op::norm2 || s->args[0]->op != Op::hadamard) return "not ‖u∘v‖₂";
                 const Term u = s->args[0]->args[0], v = s->args[0]->args[1];
                 const Term a = mul({norm_inf(u), norm2(v)}), b = mul({norm2(u), norm_inf(v)});
                 return eq(a, to, sig) || eq(b, to, sig) ? "" : mismatch(a, to, sig);
               }});
  r.push_back({"inf_le_2", "‖v‖_∞ ≤ ‖v‖₂", "Horn & Johnson, Matrix Analysis, ch. 5", false,
               rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::norm_inf) return why = "not ‖v‖_∞", std::nullopt;
                 return norm2(s->args[0]);
               })});
  r.push_back({"2_le_1", "‖v‖₂ ≤ ‖v‖₁", "Horn & Johnson, Matrix Analysis, ch. 5", false,
               rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::norm2) return why = "not ‖v‖₂", std::nullopt;
                 return norm1(s->args[0]);
               })});
  r.push_back({"2_le_sqrt_dim_inf", "‖v‖₂ ≤ √m‖v‖_∞ for v ∈ ℝᵐ", "Σᵢvᵢ² ≤ m·maxᵢvᵢ²", false,
               rewriting([](const Term& s, const Signature& sig, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::norm2) return why = "not ‖v‖₂", std::nullopt;
                 return mul({sqrt(sym(dimension_of(s->args[0], sig))), norm_inf(s->args[0])});
               })});
  r.push_back({"cauchy_schwarz_ones", "|⟨v, 1⟩| ≤ √m‖v‖₂ for v ∈ ℝᵐ", "Cauchy–Schwarz with ‖1‖₂ = √m", false,
               rewriting([](const Term& s, const Signature& sig, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::abs || s->args[0]->op != Op::dot_ones) return why = "not |⟨v, 1⟩|", std::nullopt;
                 const Term v = s->args[0]->args[0];
                 return mul({sqrt(sym(dimension_of(v, sig))), norm2(v)});
               })});
  r.push_back({"operator_norm", "‖Mv‖₂ ≤ ‖M‖‖v‖₂ (spectral norm)", "definition of the operator norm", false,
               rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::norm2 || s->args[0]->op != Op::apply) return why = "not ‖Mv‖₂", std::nullopt;
                 return mul({opnorm(s->args[0]->args[0]), norm2(s->args[0]->args[1])});
               })});
  r.push_back({"submultiplicative", "‖MN‖ ≤ ‖M‖‖N‖ (spectral norm)", "Horn & Johnson, Matrix Analysis, ch. 5", false,
               rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::opnorm || s->args[0]->op != Op::matmul) return why = "not ‖MN‖", std::nullopt;
                 return mul({opnorm(s->args[0]->args[0]), opnorm(s->args[0]->args[1])});
               })});
  r.push_back({"transpose_norm", "‖Mᵀ‖ = ‖M‖ (spectral norm)", "singular values of M and Mᵀ agree", true,
               rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::opnorm || s->args[0]->op != Op::transpose) return why = "not ‖Mᵀ‖", std::nullopt;
                 return opnorm(s->args[0]->args[0]);
               })});
  r.push_back({"softmax_jacobian_rows",
               "‖diag(p) − ppᵀ‖ ≤ maxᵢ(pᵢ(1 − pᵢ) + pᵢΣ_{j≠i}pⱼ) for p = softmax(z)",
               "a symmetric matrix's spectral norm is at most its largest absolute row sum (Horn & Johnson, ch. 5); "
               "the entries are pᵢ − pᵢ² ≥ 0 on the diagonal and −pᵢpⱼ off it, 0 < pᵢ < 1",
               false, rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::opnorm || s->args[0]->op != Op::jac || s->args[0]->args[0]->op != Op::softmax)
                   return why = "not ‖diag(p) − ppᵀ‖ with p = softmax(z)", std::nullopt;
                 const Term p = s->args[0]->args[0], c = coord(p);
                 return max_index(add({mul({c, sub(num(1), c)}), mul({c, sum_others(p)})}));
               })});
  r.push_back({"simplex_others", "Σ_{j≠i}pⱼ = 1 − pᵢ for p = softmax(z)", "the entries of softmax(z) sum to 1", true,
               rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::sum_others || s->args[0]->op != Op::softmax) return why = "not Σ_{j≠i}pⱼ of a softmax", std::nullopt;
                 return sub(num(1), coord(s->args[0]));
               })});
  r.push_back({"expm1_factor", "eᵗ − 1 = t·φ₁(t)", "definition of φ₁(t) = (eᵗ − 1)/t, φ₁(0) = 1", true,
               [](const Term& s, const Term& to, const Signature& sig) -> std::string {
                 const Term n = normal_form(s, sig);
                 if (n->op != Op::add || n->args.size() != 2) return "not eᵗ − 1";
                 for (int k = 0; k < 2; ++k) {
                   const Term e = n->args[k], one = n->args[1 - k];
                   if (e->op == Op::exp && one->op == Op::number && one->value == Rational(-1)) {
                     const Term want = mul({e->args[0], phi1(e->args[0])});
                     return eq(want, to, sig) ? "" : mismatch(want, to, sig);
                   }
                 }
                 return "not eᵗ − 1";
               }});
  r.push_back({"phi1_value", "φ₁(c) = (eᶜ − 1)/c for a rational c ≠ 0", "definition of φ₁", true,
               rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::phi1 || s->args[0]->op != Op::number || s->args[0]->value.sign() == 0)
                   return why = "not φ₁ of a non-zero rational", std::nullopt;
                 return mul({sub(exp(s->args[0]), num(1)), inv(s->args[0])});
               })});
  r.push_back({"exp_difference", "exp(a) − exp(b) = exp(a)∘(1 − exp(b − a)) (entrywise)", "e^{aᵢ} − e^{bᵢ} = e^{aᵢ}(1 − e^{bᵢ−aᵢ})",
               true, [](const Term& s, const Term& to, const Signature& sig) -> std::string {
                 const Term n = normal_form(s, sig);
                 if (n->op != Op::add || n->args.size() != 2) return "not exp(a) − exp(b)";
                 for (int k = 0; k < 2; ++k) {
                   const Term a = n->args[k], b = n->args[1 - k];
                   const bool minus_b = b->op == Op::mul && b->args.size() == 2 && b->args[0]->op == Op::number &&
                                        b->args[0]->value == Rational(-1) && b->args[1]->op == Op::vexp;
                   if (a->op != Op::vexp || !minus_b) continue;
                   const Term x = a->args[0], y = b->args[1]->args[0];
                   const Term want = hadamard(a, sub(ones(dimension_of(x, sig)), vexp(sub(y, x))));
                   return eq(want, to, sig) ? "" : mismatch(want, to, sig);
                 }
                 return "not exp(a) − exp(b)";
               }});
  r.push_back({"abs_product", "|a₁⋯a_k| = |a₁|⋯|a_k|", "multiplicativity of the absolute value", true,
               rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::abs || s->args[0]->op != Op::mul) return why = "not |a·b|", std::nullopt;
                 std::vector<Term> fs;
                 for (const Term& f : s->args[0]->args) fs.push_back(abs(f));
                 return mul(fs);
               })});
  r.push_back({"norm_inf_entries", "‖v‖_∞ = maxᵢ|vᵢ|", "definition of ‖·‖_∞", true,
               rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::norm_inf) return why = "not ‖v‖_∞", std::nullopt;
                 return max_index(abs(coord(s->args[0])));
               })});
  r.push_back({"le_abs", "t ≤ |t|", "definition of |·|", false,
               rewriting([](const Term& s, const Signature& sig, std::string& why) -> std::optional<Term> {
                 if (sig.shape_of(s).kind != Shape::scalar) return why = "not a scalar", std::nullopt;
                 return abs(s);
               })});
  r.push_back({"entry_le_norm_inf", "|vᵢ| ≤ ‖v‖_∞", "definition of ‖·‖_∞", false,
               rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::abs || s->args[0]->op != Op::coordinate) return why = "not |vᵢ|", std::nullopt;
                 return norm_inf(s->args[0]->args[0]);
               })});
  r.push_back({"sum_exp_lower", "m·e^{−‖w‖_∞} ≤ ⟨exp(w), 1⟩ for w ∈ ℝᵐ", "each of the m terms e^{wᵢ} is at least e^{−‖w‖_∞}",
               false, [](const Term& s, const Term& to, const Signature& sig) -> std::string {
                 if (to->op != Op::dot_ones || to->args[0]->op != Op::vexp) return "not m·e^{−‖w‖_∞} ≤ ⟨exp(w), 1⟩";
                 const Term w = to->args[0]->args[0];
                 const Term want = mul({sym(dimension_of(w, sig)), exp(neg(norm_inf(w)))});
                 return eq(want, s, sig) ? "" : mismatch(want, s, sig);
               }});
  r.push_back({"softmax_definition", "softmax(z) = ⟨exp(z), 1⟩⁻¹exp(z)", "definition of softmax (f = α⁻¹u)", true,
               rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::softmax) return why = "not softmax(z)", std::nullopt;
                 const Term u = vexp(s->args[0]);
                 return mul({inv(dot_ones(u)), u});
               })});
  r.push_back({"softmax_norm1", "‖softmax(z)‖₁ = 1", "the entries of softmax(z) are positive and sum to 1", true,
               rewriting([](const Term& s, const Signature&, std::string& why) -> std::optional<Term> {
                 if (s->op != Op::norm1 || s->args[0]->op != Op::softmax) return why = "not ‖softmax(z)‖₁", std::nullopt;
                 return num(1);
               })});
  return r;
}

// ---- monotone contexts -------------------------------------------------------------------------

/// +1 when the parent is non-decreasing in its child `i` (both for the old and the new child),
/// −1 when non-increasing, 0 when neither is known.
int polarity(const Term& parent, std::size_t i, const Term& old_child, const Term& new_child, const Signature& sig) {
  switch (parent->op) {
    case Op::add: case Op::exp: case Op::max_index: case Op::phi1: return 1;
    case Op::log: return certainly_positive(old_child, sig) && certainly_positive(new_child, sig) ? 1 : 0;
    case Op::mul: {
      std::vector<Term> others;
      for (std::size_t k = 0; k < parent->args.size(); ++k)
        if (k != i) others.push_back(parent->args[k]);
      if (sig.shape_of(parent).kind != Shape::scalar) return 0;
      const Term rest = others.empty() ? num(1) : mul(others);
      if (certainly_nonnegative(rest, sig)) return 1;
      if (certainly_nonnegative(neg(rest), sig)) return -1;
      return 0;
    }
    case Op::pow: {
      const Rational& e = parent->value;
      if (e.sign() > 0 && certainly_nonnegative(old_child, sig) && certainly_nonnegative(new_child, sig)) return 1;
      if (e.sign() < 0 && certainly_positive(old_child, sig) && certainly_positive(new_child, sig)) return -1;
      return 0;
    }
    default: return 0;
  }
}

/// The changed sub-terms of a step, from the whole terms down to the smallest difference, each with
/// the polarity of its context.
struct Change {
  Term from, to;
  int polarity;
};
std::vector<Change> changes(const Term& a, const Term& b, const Signature& sig) {
  std::vector<Change> path{{a, b, 1}};
  Term x = a, y = b;
  int pol = 1;
  while (x->op == y->op && x->name == y->name && x->value == y->value && x->args.size() == y->args.size()) {
    std::size_t differing = x->args.size(), count = 0;
    for (std::size_t i = 0; i < x->args.size(); ++i)
      if (!same(x->args[i], y->args[i])) differing = i, ++count;
    if (count != 1) break;
    pol *= polarity(x, differing, x->args[differing], y->args[differing], sig);
    x = x->args[differing];
    y = y->args[differing];
    path.push_back({x, y, pol});
  }
  return path;
}

// ---- ranges of instantiated scalars ------------------------------------------------------------

/// A range for a term used as a scalar lemma's variable or a scalar input of another statement:
/// declared symbols, rational numbers, entries of a softmax (in [0, 1]), and entries of a vector
/// w under a hypothesis ‖w‖_∞ ≤ c (in [−c, c]).
std::optional<Range> range_of(const Term& t, const Statement& st) {
  const Signature& sig = st.signature;
  if (t->op == Op::number) return Range{t->value, false, t->value, false};
  if (t->op == Op::symbol) {
    const auto it = sig.symbols.find(t->name);
    if (it != sig.symbols.end()) return it->second;
  }
  if (t->op == Op::coordinate && t->args[0]->op == Op::softmax) return Range{Rational(0), false, Rational(1), false};
  // Otherwise only the sign is known (α(x) = ⟨exp(Ax), 1⟩ > 0, e^{−R²} > 0, ‖v‖ ≥ 0).
  if (t->op != Op::coordinate) {
    if (certainly_positive(t, sig)) return Range{Rational(0), true, std::nullopt, false};
    if (certainly_nonnegative(t, sig)) return Range{Rational(0), false, std::nullopt, false};
  }
  if (t->op == Op::coordinate) {
    for (const Inequality& h : st.hypotheses)
      if (h.lhs->op == Op::norm_inf && h.rhs->op == Op::number &&
          (eq(h.lhs->args[0], t->args[0], sig) || eq(h.lhs->args[0], neg(t->args[0]), sig)))
        return Range{-h.rhs->value, false, h.rhs->value, false};
  }
  return std::nullopt;
}
bool within(const Range& inner, const Range& outer) {
  if (inner.lo < outer.lo || (inner.lo == outer.lo && outer.lo_open && !inner.lo_open)) return false;
  if (!outer.hi) return true;
  if (!inner.hi) return false;
  return *inner.hi < *outer.hi || (*inner.hi == *outer.hi && (!outer.hi_open || inner.hi_open));
}

// ---- the checker -------------------------------------------------------------------------------

enum class Relation { le, ge, eq };

class Kernel {
 public:
  explicit Kernel(const DerivationSource& source) : source_(source) {}

  KernelReport check(const std::string& id, const Rational& scale) {
    KernelReport rep;
    rep.id = id;
    const auto d = source_(id);
    if (!d) {
      rep.failure = "no all-n derivation is registered for " + id;
      return rep;
    }
    rep.scope = d->scope;
    names_ = d->names;
    rep.statement = statement_text(d->statement, names_);
    for (const auto& [term, name] : names_) rep.statement += "; " + name + " = " + to_text(term, names_without(name));
    rep.derivation_hash = fnv1a_hex(derivation_text(*d));
    const Statement& st = d->statement;
    const Signature& sig = st.signature;
    Term rhs = scale == Rational(1) ? st.claim.rhs : mul({num(scale), st.claim.rhs});
    try {
      sig.shape_of(st.claim.lhs), sig.shape_of(rhs);
      Term current = st.claim.lhs;
      for (std::size_t k = 0; k < d->steps.size(); ++k) {
        StepReport s = step(current, d->steps[k], d->statement, rep);
        rep.steps.push_back(s);
        if (!s.ok) return fail(rep, "step " + std::to_string(k + 1) + " (" + s.justification + "): " + s.detail);
        current = d->steps[k].next;
      }
      StepReport last = final_comparison(current, rhs, st.claim.strict, st, rep);
      rep.steps.push_back(last);
      if (!last.ok) return fail(rep, "the last comparison (" + last.justification + "): " + last.detail);
    } catch (const SymbolicError& e) {
      return fail(rep, std::string("ill-formed derivation: ") + e.what());
    }
    rep.proved = true;
    return rep;
  }

 private:
  const DerivationSource& source_;
  Names names_;  ///< of the derivation being checked, for printing
  std::set<std::string> in_progress_;
  std::map<std::string, KernelReport> done_;

  std::string shown(const Term& t) const { return to_text(t, names_); }
  Names names_without(const std::string& name) const {
    Names out;
    for (const auto& n : names_)
      if (n.second != name) out.push_back(n);
    return out;
  }

  static KernelReport& fail(KernelReport& rep, std::string why) {
    rep.failure = std::move(why);
    return rep;
  }

  /// Every generic entry vᵢ lies under a maxᵢ (a free index has no meaning in a chain of numbers).
  static bool indices_bound(const Term& t, bool under_max = false) {
    if ((t->op == Op::coordinate || t->op == Op::sum_others) && !under_max) return false;
    const bool inside = under_max || t->op == Op::max_index;
    return std::all_of(t->args.begin(), t->args.end(), [&](const Term& c) { return indices_bound(c, inside); });
  }

  StepReport step(const Term& from, const Step& st, const Statement& statement, KernelReport& rep) {
    StepReport s;
    s.from = shown(from);
    s.to = shown(st.next);
    const Signature& sig = statement.signature;
    sig.shape_of(st.next);
    if (!indices_bound(st.next)) {
      s.detail = "a generic entry vᵢ outside maxᵢ";
      return s;
    }
    s.justification = describe(st.why, statement);
    if (st.why.kind == Justification::algebra) {
      s.ok = eq(from, st.next, sig);
      s.changed = s.from + " = " + s.to;
      if (!s.ok) s.detail = "not equal up to algebra: " + txt(normal_form(from, sig)) + " vs " + txt(normal_form(st.next, sig));
      return s;
    }
    const std::vector<Change> path = changes(from, st.next, sig);
    // Tried from the smallest changed sub-term outwards; when none fits, the reason given is the
    // innermost one (where the step changed something), or a false lemma's wherever it was found.
    std::string reason;
    const bool refuted_on_entry = rep.refuted_step;
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      Relation rel;
      const bool refuted_before = rep.refuted_step;
      const std::string why = justify(st.why, it->from, it->to, statement, rep, rel);
      if (!why.empty()) {
        if (reason.empty() || (rep.refuted_step && !refuted_before)) reason = why;
        continue;
      }
      const bool fits = rel == Relation::eq || (rel == Relation::le && it->polarity == 1) ||
                        (rel == Relation::ge && it->polarity == -1);
      if (!fits) {
        if (!reason.empty()) continue;
        reason = txt(it->from) + (rel == Relation::le ? " ≤ " : " ≥ ") + txt(it->to) +
                      " holds, but the context is not known to be " + (rel == Relation::le ? "non-decreasing" : "non-increasing") +
                      " in it";
        continue;
      }
      s.ok = true;
      rep.refuted_step = refuted_on_entry;  // a lemma that failed at another level does not count
      s.changed = shown(it->from) + (rel == Relation::eq ? " = " : rel == Relation::le ? " ≤ " : " ≥ ") + shown(it->to);
      return s;
    }
    s.detail = reason.empty() ? "no sub-term matches" : reason;
    return s;
  }

  /// "" and the relation between from and to when the justification covers them; else why not.
  std::string justify(const Justification& j, const Term& from, const Term& to, const Statement& st, KernelReport& rep,
                      Relation& rel) {
    const Signature& sig = st.signature;
    switch (j.kind) {
      case Justification::algebra: rel = Relation::eq; return eq(from, to, sig) ? "" : "not equal up to algebra";
      case Justification::rule: {
        const auto& table = rule_table();
        const auto r = std::find_if(table.begin(), table.end(), [&](const Rule& x) { return x.name == j.name; });
        if (r == table.end()) return "no rule named " + j.name;
        rel = r->identity ? Relation::eq : Relation::le;
        std::string why = r->check(from, to, sig);
        if (!why.empty() && r->check(to, from, sig).empty()) {  // read backwards: to ≤ from (or an identity)
          why.clear();
          if (!r->identity) rel = Relation::ge;
        }
        if (why.empty()) rep.rules.insert(r->name);
        return why;
      }
      case Justification::hypothesis: {
        if (j.index < 0 || j.index >= int(st.hypotheses.size())) return "no hypothesis " + std::to_string(j.index);
        const Inequality& h = st.hypotheses[j.index];
        if (eq(h.lhs, from, sig) && eq(h.rhs, to, sig)) return rel = Relation::le, "";
        if (eq(h.rhs, from, sig) && eq(h.lhs, to, sig)) return rel = Relation::ge, "";
        return "the hypothesis is " + txt(h.lhs) + " ≤ " + txt(h.rhs);
      }
      case Justification::range: {
        const auto it = sig.symbols.find(j.name);
        if (it == sig.symbols.end() || from->op != Op::symbol || from->name != j.name || to->op != Op::number)
          return "not a symbol " + j.name + " replaced by a rational bound";
        const Range& r = it->second;
        if (r.hi && *r.hi <= to->value) return rel = Relation::le, "";
        if (to->value <= r.lo) return rel = Relation::ge, "";
        return "the range " + r.text(j.name) + " does not give that bound";
      }
      case Justification::obligation: return by_obligation(j, from, to, st, rep, rel);
      case Justification::mean_value: return by_mean_value(j, from, to, st, rep, rel);
      case Justification::scalar_lemma: return by_lemma(j, from, to, st, rep, rel);
    }
    return "unknown justification";
  }

  /// Check a referenced obligation's derivation once (at scale 1); cycles are errors.
  const KernelReport* reference(const std::string& id, std::string& why) {
    if (const auto it = done_.find(id); it != done_.end()) return &it->second;
    if (in_progress_.count(id)) {
      why = "the derivations are cyclic: " + id + " depends on itself";
      return nullptr;
    }
    in_progress_.insert(id);
    const Names caller_names = names_;
    KernelReport r = check(id, Rational(1));
    names_ = caller_names;
    in_progress_.erase(id);
    return &done_.emplace(id, std::move(r)).first->second;
  }

  std::string use_reference(const std::string& id, KernelReport& rep, std::shared_ptr<const Derivation>& d) {
    std::string why;
    const KernelReport* r = reference(id, why);
    if (!r) return why;
    if (!r->proved) return id + " is not proved for every n: " + r->failure;
    d = source_(id);
    rep.obligations.insert(id);
    rep.obligations.insert(r->obligations.begin(), r->obligations.end());
    rep.rules.insert(r->rules.begin(), r->rules.end());
    for (const LemmaReport& l : r->lemmas) rep.lemmas.push_back(l);
    return "";
  }

  std::string by_obligation(const Justification& j, const Term& from, const Term& to, const Statement& st, KernelReport& rep,
                            Relation& rel) {
    std::shared_ptr<const Derivation> d;
    if (std::string why = use_reference(j.name, rep, d); !why.empty()) return why;
    const Statement& ref = d->statement;
    // Every input of the referenced statement is instantiated by a term here; its dimension
    // symbols follow the instances' shapes (a statement about u ∈ ℝⁿ used for u ∈ ℝ^d reads √d
    // where it said √n).
    std::map<std::string, Term> by = j.instance;
    std::map<std::string, std::string> dimensions;
    for (const auto& [name, shape] : ref.signature.inputs) {
      const auto it = j.instance.find(name);
      if (it == j.instance.end()) return "the instance does not give the input " + name + " of " + j.name;
      const Shape mine = st.signature.shape_of(it->second);
      if (mine.kind != shape.kind) return "the instance of " + name + " has the wrong shape";
      for (const auto& [theirs, ours] : {std::pair{shape.rows, mine.rows}, std::pair{shape.cols, mine.cols}}) {
        if (theirs == "1" || ours == "1") {
          if (theirs != ours) return "the instance of " + name + " has the wrong shape";
          continue;
        }
        const auto [d, fresh] = dimensions.emplace(theirs, ours);
        if (!fresh && d->second != ours) return "the instance gives the dimension " + theirs + " two values";
      }
    }
    for (const auto& [theirs, ours] : dimensions)
      if (!by.count(theirs)) by[theirs] = sym(ours);
    for (const auto& [name, range] : ref.signature.symbols) {
      const auto it = by.find(name);
      const Term value = it == by.end() ? sym(name) : it->second;
      const auto r = range_of(value, st);
      if (!r || !within(*r, range))
        return "the referenced statement needs " + range.text(name) + ", not known for " + txt(value);
    }
    // The claim l ≤ r read forwards (from = l, to = r) or backwards (from = r, to = l: to ≤ from).
    const Term l = substitute(ref.claim.lhs, by), r = substitute(ref.claim.rhs, by);
    if (eq(l, from, st.signature) && eq(r, to, st.signature)) {
      rel = Relation::le;
    } else if (eq(r, from, st.signature) && eq(l, to, st.signature)) {
      rel = Relation::ge;
    } else {
      if (!eq(l, from, st.signature)) return "the left side of " + j.name + " is " + mismatch(l, from, st.signature);
      return "the right side of " + j.name + ": " + mismatch(r, to, st.signature);
    }
    for (const Inequality& h : ref.hypotheses) {
      const Term hl = substitute(h.lhs, by), hr = substitute(h.rhs, by);
      const bool discharged = std::any_of(st.hypotheses.begin(), st.hypotheses.end(), [&](const Inequality& mine) {
        return eq(mine.lhs, hl, st.signature) && eq(mine.rhs, hr, st.signature) && (mine.strict || !h.strict);
      });
      if (discharged) continue;
      const auto premise = std::find_if(j.premises.begin(), j.premises.end(), [&](const Premise& p) {
        return eq(p.goal.lhs, hl, st.signature) && eq(p.goal.rhs, hr, st.signature) && (p.goal.strict || !h.strict);
      });
      if (premise == j.premises.end())
        return "the hypothesis " + txt(hl) + (h.strict ? " < " : " ≤ ") + txt(hr) + " of " + j.name +
               " is neither one of this statement's nor a premise of the step";
      if (std::string why = prove_premise(*premise, st, rep); !why.empty())
        return "the premise " + txt(hl) + (h.strict ? " < " : " ≤ ") + txt(hr) + ": " + why;
    }
    return "";
  }

  /// A premise is a chain of its own under this statement's hypotheses and ranges.
  std::string prove_premise(const Premise& p, const Statement& st, KernelReport& rep) {
    Term current = p.goal.lhs;
    for (std::size_t k = 0; k < p.steps.size(); ++k) {
      const StepReport s = step(current, p.steps[k], st, rep);
      if (!s.ok) return "step " + std::to_string(k + 1) + " (" + s.justification + "): " + s.detail;
      current = p.steps[k].next;
    }
    const StepReport last = final_comparison(current, p.goal.rhs, p.goal.strict, st, rep);
    return last.ok ? "" : "the last comparison (" + last.justification + "): " + last.detail;
  }

  /// ‖softmax(a) − softmax(b)‖₂ ≤ K‖a − b‖₂ when ‖diag(p) − ppᵀ‖ ≤ K is proved at every z (the
  /// segment from b to a lies in ℝⁿ, where the bound holds; Rudin, Principles, Thm 9.19).
  std::string by_mean_value(const Justification& j, const Term& from, const Term& to, const Statement& st, KernelReport& rep,
                            Relation& rel) {
    std::shared_ptr<const Derivation> d;
    if (std::string why = use_reference(j.name, rep, d); !why.empty()) return why;
    const Statement& ref = d->statement;
    const Term& jl = ref.claim.lhs;
    const bool jacobian_bound = jl->op == Op::opnorm && jl->args[0]->op == Op::jac &&
                                jl->args[0]->args[0]->op == Op::softmax && jl->args[0]->args[0]->args[0]->op == Op::input;
    if (!jacobian_bound || !ref.hypotheses.empty() || !is_closed_constant(ref.claim.rhs))
      return j.name + " is not a bound ‖diag(p) − ppᵀ‖ ≤ K at every z with K a number";
    const Signature& sig = st.signature;
    const Term n = normal_form(from, sig);
    if (n->op != Op::norm2 || n->args[0]->op != Op::add || n->args[0]->args.size() != 2)
      return "not ‖softmax(a) − softmax(b)‖₂";
    for (int k = 0; k < 2; ++k) {
      const Term a = n->args[0]->args[k], b = n->args[0]->args[1 - k];
      const bool minus = b->op == Op::mul && b->args.size() == 2 && b->args[0]->op == Op::number &&
                         b->args[0]->value == Rational(-1) && b->args[1]->op == Op::softmax;
      if (a->op != Op::softmax || !minus) continue;
      const Term want = mul({ref.claim.rhs, norm2(sub(a->args[0], b->args[1]->args[0]))});
      if (!eq(want, to, sig)) return mismatch(want, to, sig);
      rel = Relation::le;
      rep.rules.insert("mean_value");
      return "";
    }
    return "not ‖softmax(a) − softmax(b)‖₂";
  }

  std::string by_lemma(const Justification& j, const Term& from, const Term& to, const Statement& st, KernelReport& rep,
                       Relation& rel) {
    if (!j.lemma) return "no lemma given";
    const ScalarLemma& lemma = *j.lemma;
    for (const LemmaVariable& v : lemma.variables) {
      const auto it = j.instance.find(v.name);
      if (it == j.instance.end()) return "the instance does not give the variable " + v.name;
      const auto r = range_of(it->second, st);
      if (!r || !within(*r, v.range))
        return "the lemma needs " + v.range.text(v.name) + ", not known for " + txt(it->second);
    }
    const Term l = substitute(lemma.inequality.lhs, j.instance), r = substitute(lemma.inequality.rhs, j.instance);
    if (!eq(l, from, st.signature)) return "the lemma's left side is " + mismatch(l, from, st.signature);
    if (!eq(r, to, st.signature)) return "the lemma's right side: " + mismatch(r, to, st.signature);
    const LemmaOutcome out = proved_lemma(lemma, rep);
    if (out.status != LemmaOutcome::proved) {
      if (out.status == LemmaOutcome::refuted) rep.refuted_step = true;
      return "scalar lemma " + lemma.name + " (" + lemma_text(lemma) + ") is " +
             (out.status == LemmaOutcome::refuted ? "false: " : "not proved: ") + out.detail;
    }
    rel = Relation::le;
    return "";
  }

  LemmaOutcome proved_lemma(const ScalarLemma& lemma, KernelReport& rep) {
    const LemmaOutcome out = prove_scalar_lemma(lemma);
    rep.lemmas.push_back({lemma.name, lemma_text(lemma), out, lemma});
    return out;
  }

  /// E_k ≤ RHS: equal up to algebra, or E_k = C_k·F and RHS = C·F with F ≥ 0 and the composition
  /// lemma C_k ≤ C over the symbols' ranges (for a strict claim: F > 0 and C_k < C).
  StepReport final_comparison(const Term& last, const Term& rhs, bool strict, const Statement& st, KernelReport& rep) {
    StepReport s;
    s.from = shown(last);
    s.to = shown(rhs);
    const Signature& sig = st.signature;
    if (eq(last, rhs, sig) && !strict) {
      s.ok = true;
      s.justification = "the right side, up to algebra";
      s.changed = s.from + " = " + s.to;
      return s;
    }
    s.justification = "composition: the chain's constant against the statement's";
    const auto [ck, fk] = split_constant(normal_form(last, sig));
    const auto [c, f] = split_constant(normal_form(rhs, sig));
    if (!eq(fk, f, sig)) {
      s.detail = "the last term " + s.from + " is not a constant times the right side's factor " + txt(f);
      return s;
    }
    // C_k ≤ C gives C_k·F ≤ C·F only where F ≥ 0 (and < only where F > 0).
    if (strict ? !certainly_positive(f, sig) : !certainly_nonnegative(f, sig)) {
      s.detail = "the common factor " + txt(f) + " is not known to be " + (strict ? "> 0" : "≥ 0") +
                 ", so comparing the constants decides nothing";
      return s;
    }
    ScalarLemma lemma;
    lemma.name = "composition";
    lemma.inequality = {ck, c, strict};
    for (const auto& [name, range] : sig.symbols)
      if (contains_name(ck, name) || contains_name(c, name)) lemma.variables.push_back({name, range});
    const LemmaOutcome out = proved_lemma(lemma, rep);
    s.changed = txt(ck) + " ≤ " + txt(c);
    if (out.status == LemmaOutcome::proved) {
      s.ok = true;
    } else {
      if (out.status == LemmaOutcome::refuted) rep.refuted_step = true;
      s.detail = "the composition " + lemma_text(lemma) + " is " +
                 (out.status == LemmaOutcome::refuted ? "false: " : "not proved: ") + out.detail;
    }
    return s;
  }

  static std::string describe(const Justification& j, const Statement& st) {
    switch (j.kind) {
      case Justification::algebra: return "algebra";
      case Justification::rule: return "rule " + j.name;
      case Justification::hypothesis:
        if (j.index >= 0 && j.index < int(st.hypotheses.size()))
          return "hypothesis " + txt(st.hypotheses[j.index].lhs) + " ≤ " + txt(st.hypotheses[j.index].rhs);
        return "hypothesis #" + std::to_string(j.index);
      case Justification::range: {
        const auto it = st.signature.symbols.find(j.name);
        return "range " + (it == st.signature.symbols.end() ? j.name : it->second.text(j.name));
      }
      case Justification::obligation: return "obligation " + j.name;
      case Justification::mean_value: return "mean value with " + j.name;
      case Justification::scalar_lemma: return "scalar lemma " + j.name;
    }
    return "?";
  }
};

}  // namespace

const std::vector<Rule>& rule_table() {
  static const std::vector<Rule> table = make_rules();
  return table;
}

const std::vector<std::pair<std::string, std::string>>& monotone_contexts() {
  static const std::vector<std::pair<std::string, std::string>> contexts = {
      {"a + □", "sums are non-decreasing in each term"},
      {"c·□", "non-decreasing when the other factors are certainly ≥ 0, non-increasing when ≤ 0"},
      {"□^e", "non-decreasing for e > 0 on □ ≥ 0, non-increasing for e < 0 on □ > 0"},
      {"e^□, log □", "exp is increasing; log on □ > 0"},
      {"φ₁(□)", "φ₁(t) = ∫₀¹ e^{st} ds is increasing"},
      {"maxᵢ(□)", "a pointwise larger expression has a larger maximum"},
  };
  return contexts;
}

const Rule& mean_value_rule() {
  static const Rule rule{"mean_value",
                         "‖softmax(a) − softmax(b)‖₂ ≤ K‖a − b‖₂ given an all-n proof of ‖diag(p) − ppᵀ‖ ≤ K, K a number, "
                         "at every z ∈ ℝⁿ (so on the whole segment from b to a)",
                         "mean-value inequality for vector functions on a convex set (Rudin, Principles of "
                         "Mathematical Analysis, Thm 9.19)",
                         false, nullptr};
  return rule;
}

std::string statement_text(const Statement& s, const Names& names) {
  const auto txt = [&](const Term& t) { return to_text(t, names); };
  std::string out = txt(s.claim.lhs) + (s.claim.strict ? " < " : " ≤ ") + txt(s.claim.rhs);
  std::string where;
  for (const auto& [name, range] : s.signature.symbols) where += (where.empty() ? "" : ", ") + range.text(name);
  for (const Inequality& h : s.hypotheses)
    where += (where.empty() ? "" : ", ") + txt(h.lhs) + (h.strict ? " < " : " ≤ ") + txt(h.rhs);
  return where.empty() ? out : out + " for " + where;
}

namespace {
/// Every field the kernel reads, premises included (the text the derivation hash is taken of).
std::string steps_text(const std::vector<Step>& steps, const std::string& indent) {
  std::string out;
  for (const Step& s : steps) {
    out += indent + "≤ " + txt(s.next) + "   [" + std::to_string(int(s.why.kind)) + " " + s.why.name + " " +
           std::to_string(s.why.index);
    for (const auto& [k, v] : s.why.instance) out += " " + k + ":=" + txt(v);
    if (s.why.lemma) out += " lemma " + lemma_text(*s.why.lemma) + (s.why.lemma->gap ? " gap " + txt(*s.why.lemma->gap) : "");
    out += "]\n";
    for (const Premise& p : s.why.premises) {
      out += indent + "  premise " + txt(p.goal.lhs) + (p.goal.strict ? " < " : " ≤ ") + txt(p.goal.rhs) + ":\n";
      out += steps_text(p.steps, indent + "    ");
    }
  }
  return out;
}
}  // namespace

std::string derivation_text(const Derivation& d) { return statement_text(d.statement) + "\n" + steps_text(d.steps, "  "); }

KernelReport check_derivation(const std::string& id, const DerivationSource& source, const Rational& scale) {
  Kernel k(source);
  KernelReport rep = k.check(id, scale);
  rep.trusted = {"the rule table (" + std::to_string(rule_table().size()) + " rules) and the monotone contexts",
                 "the normal form (exact algebra on terms)",
                 "interval arithmetic of the scalar lemmas (MPFR-rounded ends)",
                 "that the term statement is the obligation's statement (compare it with `certbound list`)"};
  return rep;
}

}  // namespace certbound::kernel
