// The derivation kernel: the small trusted checker of all-n proofs.
//
// It checks that a derivation's chain starts at the statement's left side, that each step changes
// one sub-term in a monotone context and is justified by exactly one of: the normal form (exact
// algebra), a rule of the table below, a hypothesis or declared range of the statement, another
// obligation's all-n proof (checked recursively; a cycle is an error), the mean-value inequality
// with a Jacobian bound proved at every point, or a scalar lemma proved by branch and bound over its
// whole domain; and that the last term is at most the statement's right side — equal up to algebra,
// or by the composition lemma "chain constant ≤ statement constant" derived from the two terms and
// proved like any scalar lemma. What it does not check (the rule table's mathematics, the normal
// form's rewrites, interval arithmetic, and that the term statement says what the obligation's
// numeric code evaluates) is listed in `trusted` by name.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "certbound/engine/scalar_prover.hpp"
#include "certbound/obligation/derivation.hpp"

namespace certbound::kernel {

/// A rule of the table: `check(from, to, signature)` returns "" when `from ≤ to` (or `from = to`
/// for an identity) is an instance of the rule, else why not.
struct Rule {
  std::string name;
  std::string statement;  ///< the rule in symbols
  std::string citation;   ///< where a reader finds it proved
  bool identity = false;
  std::function<std::string(const symbolic::Term& from, const symbolic::Term& to, const symbolic::Signature&)> check;
};
const std::vector<Rule>& rule_table();
/// The mean-value justification (checked by the kernel itself, it cites a Jacobian bound).
const Rule& mean_value_rule();
/// The monotone contexts in which an inequality may be used inside a larger term (README table).
const std::vector<std::pair<std::string, std::string>>& monotone_contexts();

struct StepReport {
  std::string from, to;          ///< the two terms, printed
  std::string justification;     ///< e.g. "rule operator_norm", "hypothesis ‖A‖ ≤ R"
  std::string changed;           ///< "s ≤ s'" for the sub-terms that changed
  bool ok = false;
  std::string detail;            ///< why not, when not
};

struct LemmaReport {
  std::string name, statement;
  LemmaOutcome outcome;
  symbolic::ScalarLemma lemma;  ///< as proved (a composition lemma included), for export to Coq
};

struct KernelReport {
  std::string id;
  bool proved = false;
  std::string failure;        ///< "step k: ..." when not proved
  bool refuted_step = false;  ///< a step or lemma is false (refutes the derivation, not the statement)
  std::string scope;
  std::string statement;      ///< the statement as checked, in symbols
  std::vector<StepReport> steps;  ///< the derivation's steps, then the final comparison
  std::vector<LemmaReport> lemmas;
  std::set<std::string> rules, obligations;  ///< used (obligations: transitively checked)
  std::string derivation_hash;               ///< FNV-1a of derivation_text
  std::vector<std::string> trusted;
};

/// Where the kernel finds another obligation's derivation (nullptr: it has none).
using DerivationSource = std::function<std::shared_ptr<const symbolic::Derivation>(const std::string& id)>;

/// Check obligation `id`'s derivation with the statement's right side multiplied by `scale`
/// (1 for the statement itself). Referenced obligations are checked at scale 1.
KernelReport check_derivation(const std::string& id, const DerivationSource& source,
                              const symbolic::Rational& scale = symbolic::Rational(1));

/// The derivation as text (statement, steps, justifications): what derivation_hash covers.
std::string derivation_text(const symbolic::Derivation& d);
std::string statement_text(const symbolic::Statement& s, const symbolic::Names& names = {});

}  // namespace certbound::kernel
