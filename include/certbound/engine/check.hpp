// certbound check: per obligation, an enumerated grid of structured families, K random cases and
// an adversarial search in double on the ratio LHS/RHS inside the hypotheses (successive halving
// over the best starts, each climbed by generic moves on the inputs: Gaussian steps, single
// coordinates, pushes toward ±∞, scalings of an input and of the difference of two inputs of the
// same shape, then a quasi-Newton ascent with finite-difference gradients on the unprojected point,
// or a finite-difference polish far from the constant; where structured starts built from the
// inputs' shapes alone, low-rank matrices with sparse left factors, vectors along their singular
// vectors, norms on the boundary, beat the given ones, a second such search from both), every case
// then certified in intervals.
// The double search only proposes; it knows an obligation only through its inputs, its projection
// onto the domain and its ratio, so it works on a statement without families too.
//
// Deterministic: each obligation's cases depend only on (seed, obligation id, settings); threads
// work on whole obligations and results are reported in registry order.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "certbound/engine/certify.hpp"

namespace certbound {

struct CheckOptions {
  Settings settings;
  std::uint64_t seed = 1;
  int samples = 64;        ///< random cases per obligation
  int search = 4000;       ///< evaluations of the adversarial search per obligation
  int search_keep = 3;     ///< best search points certified
  bool families = true;    ///< include the structured families (off: measure the search alone)
  unsigned max_bits = 1025;
  int threads = 1;
};

struct CaseCounts {
  int total = 0, holds = 0, violated = 0, tight = 0, degenerate = 0, undecided = 0, out_of_domain = 0, consistent = 0,
      refuted = 0;
};

struct CertifiedCase {
  Case input;
  CaseResult result;
};

enum class Verdict { holds, violated, undecided, consistent, refuted, no_cases, degenerate };
const char* to_string(Verdict v);

struct ObligationReport {
  const Obligation* obligation = nullptr;
  Verdict verdict = Verdict::no_cases;
  CaseCounts counts;
  std::optional<CertifiedCase> worst;           ///< largest ratio (or the violation / refutation)
  std::optional<Enclosure> paper_constant;      ///< C at these settings (paper β)
  std::optional<NamedConstant> chain_constant;  ///< what the paper's own chain gives, where it differs
  double witness_ratio_lower = 0;               ///< max over cases of the ratio's certified lower end
  /// The same, unrounded (MPFR): kept where a double cannot hold it (about 10^-4357 at R = 50);
  /// NaN when no in-domain case has a ratio. Reports print this one.
  BigFloat witness_ratio_lower_exact;
  /// Upper bounds: witness_ratio_lower × scale × C rounded down, a certified lower bound on the
  /// optimal constant (when the case's constant is the settings' one: with --beta tight it is not).
  /// Lower bounds: C / (scale × witness_ratio_lower) rounded up, a certified upper bound on it.
  std::optional<Enclosure> witness_constant;
  std::vector<CertifiedCase> violations;        ///< certified counterexamples (at most a few kept)
  std::vector<std::string> undecided_notes;     ///< first few reasons
  std::vector<CertifiedCase> undecided_cases;   ///< the first few undecided cases, to save and replay
  std::string out_of_domain_note;               ///< first reason a case was outside the domain
  double seconds = 0;
  int search_evaluations = 0;
  bool interrupted = false;  ///< stopped by Ctrl-C/SIGTERM: counts cover the cases certified so far
};

/// Run the check for the given obligations. `progress` (may be empty) is called after each one.
/// After an interrupt (engine/interrupt.hpp) it returns promptly: the obligation in progress keeps
/// its certified cases, the ones not started have no cases; both are marked interrupted.
std::vector<ObligationReport> run_check(const std::vector<const Obligation*>& obligations, const CheckOptions& options,
                                        const std::function<void(const ObligationReport&)>& progress = {});

/// The per-obligation pipeline (exposed for tests and the replay of single obligations).
ObligationReport check_obligation(const Obligation& ob, const CheckOptions& options);

/// The cases check_obligation certifies for `ob`: the families, `samples` random cases and the
/// search's best points, all from the seed mixed with the obligation's id (so the same cases again
/// when called again with the same options).
std::vector<Case> check_cases(const Obligation& ob, const CheckOptions& options, int* search_evaluations = nullptr);

/// Adversarial search: returns up to `keep` best distinct points found from the given starts, and
/// where structured starts beat them up to `keep` more from a second search (every candidate is
/// projected with ob.project first; `budget` counts evaluations of the ratio of the first search;
/// the structured starts add 128 and the second search half the first's climbing budget).
std::vector<Case> adversarial_search(const Obligation& ob, const Settings& s, std::vector<Case> starts, int budget,
                                     int keep, std::uint64_t seed, int* evaluations = nullptr);

}  // namespace certbound
