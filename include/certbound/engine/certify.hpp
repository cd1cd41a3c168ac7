// Certification of one case (the statuses are defined once in engine/status.hpp): every hypothesis and the margin RHS − LHS as enclosures, escalating
// precision (double interval → 128 → 257 → 1025 bits) until the verdict is decided.
//
//   holds      margin's lower end ≥ 0 (> 0 for a strict inequality), every hypothesis certain
//   violated   margin's upper end < 0 (also for a strict statement: a boundary case is never
//              called a counterexample), every hypothesis certain: a counterexample
//   tight      still open at the top precision, the margin encloses 0 and its width is at the
//              rounding level (the bound is attained up to rounding)
//   degenerate the factor F is exactly 0 and LHS still encloses 0 at the top precision (e.g.
//              y = x): both sides vanish, the case is no witness of anything
//   undecided  anything else, with the reason
//   out_of_domain  some hypothesis certainly fails (the case says nothing about the statement)
//   consistent / refuted  identities: the two paths' enclosures overlap / are disjoint
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "certbound/engine/status.hpp"
#include "certbound/obligation/obligation.hpp"

namespace certbound {


struct CaseResult {
  CaseStatus status = CaseStatus::undecided;
  Enclosure margin;     ///< upper bound: c·C·F − LHS; lower bound: LHS − (C/c)·F
  Enclosure ratio;      ///< LHS/(c·C·F) (upper) or (C/c)·F/LHS (lower); NaN when undefined
  Enclosure lhs, rhs;   ///< RHS = scaled constant × factor
  Enclosure witness;    ///< LHS/F: for an upper bound its lower end bounds the optimal constant from below
  unsigned bits = 53;   ///< precision of the deciding (or last) level
  bool in_domain = false;  ///< every hypothesis certainly holds (only then do ratio and witness count)
  std::string note;     ///< why undecided / which hypothesis failed
};

enum class HypothesisTruth { holds, fails, undecided };
const char* to_string(HypothesisTruth t);

/// One hypothesis of one case, as certified: its slack and, for bounds "Q ≤ K", Q itself.
struct HypothesisFinding {
  std::string name;
  HypothesisTruth truth = HypothesisTruth::undecided;
  Enclosure slack;
  std::string quantity_name;
  std::optional<Enclosure> quantity;
};

/// Every hypothesis of `c`, evaluated at the first level (53, 128, 257, 1025 bits, up to
/// max_bits) where each is decided; `bits` receives the level used. An evaluation error leaves
/// the hypotheses undecided with the error as `error`.
struct HypothesisAssessment {
  std::vector<HypothesisFinding> findings;
  unsigned bits = 53;
  std::string error;
};
HypothesisAssessment assess_hypotheses(const Obligation& ob, const Case& c, const Settings& s, unsigned max_bits = 1025);

/// Certify `c` for obligation `ob` under `s`, escalating from the first level of at least
/// min_bits up to the last level of at most max_bits (53 = double intervals only).
CaseResult certify(const Obligation& ob, const Case& c, const Settings& s, unsigned max_bits = 1025,
                   unsigned min_bits = 53);

/// The ratio that the search maximises, evaluated in plain double (no guarantee: proposes only).
/// −∞ when a hypothesis fails in double or the ratio is undefined.
double ratio_in_double(const Obligation& ob, const Case& c, const Settings& s);

}  // namespace certbound
