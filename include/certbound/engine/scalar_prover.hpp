// Scalar lemmas proved over their whole domain by branch and bound in interval arithmetic.
//
// A lemma lhs ≤ rhs in at most three real variables is proved when g = rhs − lhs has a certified
// lower bound ≥ 0 (> 0 if strict) on boxes covering every variable's range. Ranges that are
// unbounded above are covered without truncation: a tail box [b, +∞] is evaluated as such (interval
// arithmetic with an infinite end), and when that cannot decide, by the monotonicity rule
// "g(a) ≥ 0 and ∂g/∂v ≥ 0 on [a, ∞) ⇒ g ≥ 0 there", ∂g/∂v symbolic and proved the same way.
// When both sides are certainly positive the log form log rhs − log lhs ≥ 0 is tried too
// (log of products expanded: log(xy) = log x + log y, log eᵃ = a, log xᵉ = e·log x).
// A point where g is certainly negative refutes the lemma.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "certbound/arith/interval.hpp"
#include "certbound/obligation/derivation.hpp"

namespace certbound::kernel {

/// How a term g was shown ≥ 0 over the variables' ranges: by branch and bound, or by the
/// monotonicity rule in `variable` (g at its lower end `start`, and ∂g/∂variable = `derivative`
/// shown ≥ 0 by `slope`). Kept so that another prover (Coq) can replay the same argument.
struct NonnegativityPlan {
  symbolic::Term target;
  std::string variable;  ///< empty: branch and bound
  symbolic::Term derivative;
  std::shared_ptr<const NonnegativityPlan> start, slope;
};

struct LemmaOutcome {
  enum Status { proved, refuted, open } status = open;
  std::string method;  ///< "branch and bound", "factorised form", "monotone in R", "log form; ..."
  long boxes = 0;      ///< boxes evaluated
  std::string detail;  ///< why open, or the refuting point
  std::map<std::string, double> counterexample;  ///< refuted: the point (exact doubles)
  /// proved: which form of right − left was shown ≥ 0 (the factorised form, the normal form of
  /// right − left, or log right − log left with products expanded), and how.
  enum Form { direct, factorised, log_form } form = direct;
  std::shared_ptr<const NonnegativityPlan> plan;
};

/// Prove `lemma` (its gap form first when it has one). Deterministic; `box_budget` bounds the work.
LemmaOutcome prove_scalar_lemma(const symbolic::ScalarLemma& lemma, long box_budget = 200000);

/// A scalar term (numbers, symbols, + × powers, exp, log, |·|, φ₁) enclosed over a box of its
/// symbols; throws DomainError where it is not defined on the box (log of a box touching 0, ...).
Interval evaluate_scalar(const symbolic::Term& t, const std::map<std::string, Interval>& at);

/// A rational as a double interval (exact when numerator and denominator are exact doubles).
Interval rational_enclosure(const symbolic::Rational& r);
/// x^e for a rational exponent: integer powers exactly, k/2 through the square root, otherwise
/// e^{e·log x} (defined for x certainly positive).
Interval rational_power(const Interval& x, const symbolic::Rational& e);
/// φ₁(t) = (eᵗ − 1)/t over an interval: φ₁ is increasing, so the enclosures of expm1(t)/t at the
/// two ends bound its range.
Interval phi1_enclosure(const Interval& x);

/// The lemma as one line: "2·p − 2·p² ≤ 1/2 for p ∈ [0, 1]".
std::string lemma_text(const symbolic::ScalarLemma& lemma);

}  // namespace certbound::kernel
