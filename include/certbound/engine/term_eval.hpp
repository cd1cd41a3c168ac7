// Terms of a derivation evaluated at one concrete case, in certified interval arithmetic, and the
// steps of a derivation checked numerically on the cases of `certbound check`.
//
// The kernel (engine/derivation_kernel.hpp) proves a chain E₀ ≤ E₁ ≤ … ≤ E_k ≤ RHS for every n
// and d symbolically; nothing in it is evaluated. Evaluating each Eⱼ at concrete inputs gives an
// independent check of what the kernel trusts (its rule table and normal form): a step whose
// certified margin Eⱼ₊₁ − Eⱼ is negative at some case is a false step that the kernel accepted.
// It also shows where a chain loses: the slack Eⱼ₊₁/Eⱼ of each step at the worst case.
//
// Every value is an enclosure of the exact value of the term at the case's exact (double) inputs:
// sums and products in outward-rounded intervals, the spectral norm by its certified two-sided
// enclosure (linalg/spectral_norm.hpp), softmax by the model's tight formula, φ₁ and rational
// powers as the scalar prover evaluates them.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "certbound/arith/interval.hpp"
#include "certbound/engine/check.hpp"
#include "certbound/obligation/derivation.hpp"

namespace certbound {

/// A term that cannot be evaluated at the case (unknown symbol, shape mismatch, log of a number
/// that may be ≤ 0, a vector op the evaluator does not have, ...).
struct TermEvalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The value of a term: a scalar (1×1), a vector (n×1) or a matrix, entries enclosed.
struct TermValue {
  symbolic::Shape::Kind kind = symbolic::Shape::scalar;
  Mat<Interval> value;
  const Interval& scalar() const { return value(0, 0); }
};

/// What the symbols and inputs of a statement are at one case and one setting.
struct TermBindings {
  std::map<std::string, Interval> symbols;        ///< n, d, R, η, β, scalar inputs
  std::map<std::string, TermValue> inputs;        ///< vector (n×1) and matrix inputs
  std::map<std::string, Eigen::Index> dimensions;  ///< dimension symbol → size
};

/// Bind the signature at a case: dimensions from the inputs' shapes (they must agree with the
/// signature; a dimension no input fixes is the setting's n or d), R and η from the settings
/// (exact decimal text), β from the case's input "beta" when it has one, else the settings' β
/// (default e^{−R²}), other scalar symbols from the case's 1×1 input of the same name.
/// Throws TermEvalError when something is missing or of the wrong shape.
TermBindings bind_signature(const symbolic::Signature& sig, const Case& c, const Settings& s);

/// Evaluates terms at one binding; values of sub-terms free of the generic index are kept
/// (steps of a chain share most of their sub-terms), so use one evaluator per case.
class TermEvaluator {
 public:
  explicit TermEvaluator(TermBindings bindings);
  ~TermEvaluator();
  TermEvaluator(TermEvaluator&&) noexcept;
  /// The term's value; throws TermEvalError when it cannot be evaluated.
  TermValue evaluate(const symbolic::Term& t);
  /// A scalar term's value.
  Interval scalar(const symbolic::Term& t);
  const TermBindings& bindings() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// Where a case lies with respect to a statement's hypotheses and its symbols' ranges.
struct CaseDomain {
  bool inside = false;  ///< every hypothesis and range certainly holds
  std::string note;     ///< the first one that does not (or may not) hold
};
CaseDomain statement_domain(const symbolic::Statement& st, TermEvaluator& ev);

/// One step of a chain at one case: Eⱼ ≤ Eⱼ₊₁ (or Eⱼ = Eⱼ₊₁ for an identity step).
enum class StepVerdict { holds, violated, undecided, consistent };
const char* to_string(StepVerdict v);

struct StepSides {
  Interval from, to;
  Interval margin() const { return to - from; }  ///< Eⱼ₊₁ − Eⱼ
  /// Eⱼ₊₁/Eⱼ when Eⱼ is certainly positive.
  std::optional<Interval> slack() const;
  /// Eⱼ₊₁/Eⱼ when it is a finite, certainly positive interval (so it has a log10); otherwise
  /// nullopt with the reason in *why (Eⱼ not certainly > 0, an end not finite, Eⱼ₊₁/Eⱼ not
  /// certainly > 0).
  std::optional<Interval> finite_slack(std::string* why = nullptr) const;
};
StepVerdict judge_step(const StepSides& sides, bool identity);

/// The chain's terms E₀ … E_k and RHS·scale, with whether each step (including the last
/// comparison E_k ≤ RHS·scale) is an identity and how it is justified.
struct Chain {
  std::vector<symbolic::Term> terms;  ///< E₀ … E_k, then RHS·scale
  std::vector<bool> identity;         ///< per step (terms.size() − 1 entries)
  std::vector<std::string> justification;
};
/// `justifications` (the kernel's StepReport texts) name the steps; missing ones are described
/// from the derivation.
Chain derivation_chain(const symbolic::Derivation& d, const symbolic::Rational& scale,
                       const std::vector<std::string>& justifications = {});

/// Both sides of every step at one case (nullopt: outside the statement's domain, with the
/// reason in *why; a TermEvalError propagates). `domain_certified`: the case's membership was
/// already certified elsewhere (by the check, escalating to multiprecision where double
/// intervals could not decide a hypothesis at the boundary), so the double test is skipped.
std::optional<std::vector<StepSides>> evaluate_chain(const Chain& chain, const symbolic::Statement& st,
                                                     const Case& c, const Settings& s, std::string* why = nullptr,
                                                     bool domain_certified = false);

/// Per step, over the cases.
struct StepSummary {
  int step = 0;  ///< 1-based; the last is the comparison with the right side
  std::string justification;
  bool identity = false;
  bool accepted = false;  ///< the kernel accepted this step (at the settings' scale)
  int holds = 0, violated = 0, undecided = 0, consistent = 0;
  std::optional<double> min_margin;  ///< min over cases of the margin's certified lower end
  std::optional<double> worst_slack; ///< min over cases of the lower end of Eⱼ₊₁/Eⱼ
  std::optional<Case> violation;     ///< the first case where the step is violated
};

struct StepReportSet {
  const Obligation* obligation = nullptr;
  bool has_derivation = false;
  bool kernel_proved = false;
  std::string note;  ///< why the steps were not evaluated, or the first case that could not be
  int cases = 0, inside = 0, outside = 0, not_evaluable = 0;
  std::string outside_note;
  std::vector<StepSummary> steps;
  /// Steps violated at some case that the kernel accepted: a false step in a checked proof.
  int false_accepted_steps() const;
};

/// Evaluate obligation `ob`'s derivation on `cases` (the check's cases at settings `s`).
StepReportSet evaluate_steps(const Obligation& ob, const std::vector<Case>& cases, const Settings& s);

/// The steps of a derivation at the best certified witness of a check: the in-domain case with
/// the largest ratio LHS/(C·F), where the chain's slack matters most.
struct WitnessSlack {
  CheckOptions options;      ///< the check that found the witness (settings, seed, budget)
  std::optional<Case> witness;
  std::optional<Enclosure> ratio;  ///< the witness's certified ratio LHS/(C·F)
  Chain chain;                    ///< at the settings' scale (the last step compares with scale·RHS)
  std::vector<StepSides> sides;   ///< per step; empty when the witness could not be used (see note)
  std::string note;
};
/// Runs the check (check_obligation) and evaluates the chain at its best witness. `justifications`
/// (the kernel's StepReport texts) name the steps, as in derivation_chain.
WitnessSlack slack_at_witness(const Obligation& ob, const CheckOptions& options,
                              const std::vector<std::string>& justifications = {});
/// The same at the best witness of `report`, a check of `ob` already run with `options` (as in a
/// sweep): no new check.
WitnessSlack slack_at_witness(const Obligation& ob, const ObligationReport& report, const CheckOptions& options,
                              const std::vector<std::string>& justifications = {});

/// The check prove --all-n runs for the witness: check's defaults (seed 1, the families, 64 random
/// cases, a search of 4000 evaluations) at n, d, R (η = 0.1, the paper's β) and the given scale.
CheckOptions witness_check_options(int n = 8, int d = 4, const std::string& R = "4", const std::string& scale = "1");

}  // namespace certbound
