// A derivation: the proof of a statement for every n and d, written as a chain of terms
//   LHS = E₀ ≤ E₁ ≤ … ≤ E_k  and then  E_k ≤ RHS
// where each step changes one sub-term and names its justification. The kernel
// (engine/derivation_kernel.hpp) checks every step; nothing here is trusted by itself.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "certbound/obligation/term.hpp"

namespace certbound::symbolic {

/// lhs ≤ rhs (< if strict): a hypothesis of a statement or the statement itself.
struct Inequality {
  Term lhs, rhs;
  bool strict = false;
};

/// The statement a derivation proves, quantified over every value of the signature: every n ≥ 1,
/// d ≥ 1 (dimensions are symbols), every symbol in its range, every input, under the hypotheses.
struct Statement {
  Signature signature;
  std::vector<Inequality> hypotheses;
  Inequality claim;
};

/// A variable of a scalar lemma: a real in [lo, hi] (hi absent: +∞).
struct LemmaVariable {
  std::string name;
  Range range;
};

/// An inequality lhs ≤ rhs in at most three real variables, proved by branch and bound over the
/// variables' whole ranges (unbounded ranges by the monotonicity rule, never by truncation).
/// `gap`, when given, is a factorised form of rhs − lhs (checked to be equal by normal forms) whose
/// non-negativity interval arithmetic sees directly, for facts that are tight (2p(1 − p) ≤ ½ at p = ½).
struct ScalarLemma {
  std::string name;
  std::vector<LemmaVariable> variables;
  Inequality inequality;
  std::optional<Term> gap;
};

struct Step;

/// A hypothesis of a referenced statement that is not one of this statement's, proved here by a
/// chain of its own (goal.lhs = E₀ ≤ … ≤ E_k ≤ goal.rhs, under this statement's hypotheses), e.g.
/// β ≤ α(x) for β = e^{−R²} from n e^{−R²} ≤ α(x).
struct Premise {
  Inequality goal;
  std::vector<Step> steps;
};

/// How one step is justified.
struct Justification {
  enum Kind {
    algebra,       ///< Eₖ₊₁ = Eₖ up to the normal form (exact identity, every n)
    rule,          ///< a rule of the table (name = the rule's name)
    hypothesis,    ///< a hypothesis of the statement (index = its position)
    obligation,    ///< another obligation's all-n proof (name = its id, instance = its inputs)
    mean_value,    ///< the mean-value inequality with a Jacobian bound proved for every point (name = id)
    scalar_lemma,  ///< a scalar lemma (lemma, instance = its variables)
    range,         ///< the declared range of a scalar symbol (name), e.g. t ≤ 1/100
  } kind = algebra;
  std::string name;
  int index = 0;
  std::map<std::string, Term> instance;
  std::optional<ScalarLemma> lemma;
  std::vector<Premise> premises;  ///< obligation: its hypotheses that are not this statement's
};

struct Step {
  Step(Term next_term, Justification justification, std::string appendix_note = {})
      : next(std::move(next_term)), why(std::move(justification)), note(std::move(appendix_note)) {}
  Term next;
  Justification why;
  std::string note;  ///< one line for the appendix (optional)
};

struct Derivation {
  Statement statement;
  std::vector<Step> steps;
  /// The statement's range in words, printed with `proved` (e.g. "n ≥ 1, d ≥ 1, R > 0, any A, x, y").
  std::string scope;
  /// Short names for long sub-terms in reports (printing only: the kernel checks the full terms).
  Names names;  ///< e.g. "n ≥ 1, d ≥ 1, R > 0, every A, x, y"
};

// Ranges of symbols.
inline Range at_least(const Rational& lo) { return {lo, false, std::nullopt, false}; }
inline Range positive() { return {Rational(0), true, std::nullopt, false}; }
inline Range between(const Rational& lo, const Rational& hi) { return {lo, false, hi, false}; }
inline Shape vector_of(std::string dimension) { return {Shape::vector, std::move(dimension), "1"}; }
inline Shape matrix_of(std::string rows, std::string cols) { return {Shape::matrix, std::move(rows), std::move(cols)}; }

// Justification builders, so that derivations read like an appendix.
inline Justification by_algebra() { return {}; }
inline Justification by_rule(std::string name) {
  Justification j;
  j.kind = Justification::rule;
  j.name = std::move(name);
  return j;
}
inline Justification by_hypothesis(int index) {
  Justification j;
  j.kind = Justification::hypothesis;
  j.index = index;
  return j;
}
inline Justification by_obligation(std::string id, std::map<std::string, Term> instance,
                                   std::vector<Premise> premises = {}) {
  Justification j;
  j.kind = Justification::obligation;
  j.name = std::move(id);
  j.instance = std::move(instance);
  j.premises = std::move(premises);
  return j;
}
inline Justification by_mean_value(std::string jacobian_bound_id) {
  Justification j;
  j.kind = Justification::mean_value;
  j.name = std::move(jacobian_bound_id);
  return j;
}
inline Justification by_range(std::string symbol) {
  Justification j;
  j.kind = Justification::range;
  j.name = std::move(symbol);
  return j;
}
inline Justification by_lemma(ScalarLemma lemma, std::map<std::string, Term> instance) {
  Justification j;
  j.kind = Justification::scalar_lemma;
  j.name = lemma.name;
  j.lemma = std::move(lemma);
  j.instance = std::move(instance);
  return j;
}

}  // namespace certbound::symbolic
