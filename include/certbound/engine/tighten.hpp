// certbound tighten: a certified enclosure of C*, the best constant of a statement at fixed
// (n, d, R), from both sides.
//
// Write the statement as LHS ≤ c·C·F (an upper bound; a lower bound LHS ≥ (C/c)·F is the mirror
// image) and let c* be the smallest scale c for which it holds on the proof form's domain, so that
// C* = c*·C (C/c* for a lower bound). Two certified facts bracket c*:
//   - a case inside that domain whose certified ratio LHS/(C·F) has lower end w gives c* ≥ w
//     (the check's best witness; a refuting leaf of a proof at scale c with ratio r gives c* ≥ r·c);
//   - a proof (every leaf closed) at scale c gives c* ≤ c.
// tighten bisects on c (each step a full `prove` at a short decimal scale, exact as text) until
// hi/lo reaches the target or the budget ends, and says which. Both ends are rounded outward
// when turned into constants. A witness above a proved scale would mean something is unsound: it
// is reported as a contradiction, never resolved silently.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "certbound/engine/check.hpp"
#include "certbound/engine/prover.hpp"

namespace certbound {

/// One proof attempt of the bisection.
struct TightenAttempt {
  std::string scale;  ///< the exact decimal scale proved or tried
  ProofStatus status = ProofStatus::undetermined;
  long long boxes = 0;
  double seconds = 0;
  double coverage = 0;  ///< volume fraction closed
};

enum class TightenStop {
  target_reached,    ///< hi/lo ≤ target
  prover_limit,      ///< the scales between the last failed and the last proved attempt are too close to split
  attempts_spent,    ///< the attempt budget ended first
  no_proof,          ///< no scale could be proved at all within the budget
  contradiction,     ///< a certified witness above a proved scale: something is unsound
  interrupted,       ///< Ctrl-C/SIGTERM
};
const char* to_string(TightenStop s);

struct TightenOptions {
  Settings settings;            ///< scale is ignored: tighten chooses the scales
  double target = 1.01;         ///< stop when hi/lo ≤ target
  long long max_boxes = 200000; ///< box budget of each proof attempt
  int max_attempts = 16;        ///< proof attempts in all
  int threads = 1;
  CheckOptions search;          ///< the witness search (its settings are taken from `settings`)
  /// Called after each proof attempt (progress lines).
  std::function<void(const TightenAttempt&)> progress;
};

struct TightenResult {
  const Obligation* obligation = nullptr;
  Direction direction = Direction::upper_bound;
  Enclosure constant;            ///< the statement's C at these settings (scale 1)
  ProofForm form;
  /// The domain on which C* is the best constant: the statement's domain when the proofs are
  /// `proved`, the form's box when they are `proved-on-box` (then the witness lies in it too).
  std::string domain;
  bool whole_domain = true;
  std::optional<CertifiedCase> witness;  ///< the case behind witness_scale (at scale 1)
  double witness_scale = 0;               ///< certified: c* ≥ witness_scale
  std::string witness_source;             ///< "check" or "refuting leaf at scale …"
  std::optional<std::string> proved_scale;  ///< the smallest scale proved: c* ≤ proved_scale
  std::optional<ProofResult> proof;         ///< that proof (for its certificate)
  /// Certified bounds on C* (lo's lower end, hi's upper end; each a point).
  std::optional<Enclosure> lo, hi;
  double hi_over_lo = 0;                    ///< hi/lo rounded up (0 when one end is missing)
  std::vector<TightenAttempt> attempts;
  TightenStop stop = TightenStop::no_proof;
  std::string note;  ///< why it stopped, in words
  double seconds = 0;
};

/// Why tighten refuses these settings for `ob` ("" when it accepts them): prove's rules (β the
/// paper's, n·d within the prover's range, the obligation's own requirements).
std::string tighten_settings_problem(const Obligation& ob, const Settings& s);

/// Run the bisection. Throws BadInput when no certified witness with a positive ratio exists (the
/// enclosure would be [0, hi]: e.g. at n = 1, where the softmax Jacobian vanishes).
TightenResult tighten(const Obligation& ob, const TightenOptions& options);

/// The smallest decimal with `digits` significant digits that is ≥ x (x > 0), as text.
std::string decimal_at_least(double x, int digits = 6);

}  // namespace certbound
