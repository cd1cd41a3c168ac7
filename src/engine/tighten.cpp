// certbound tighten (engine/tighten.hpp): the bisection on the scale between a certified witness
// and the smallest scale a proof closes.
//
// Soundness: the lower end on c* is only ever a certified ratio lower end (a double rounded down
// by the certifier) of a case inside the domain the proofs cover, and the upper end only ever a
// scale at which `prove` closed every leaf. Turning scales into constants multiplies or divides by
// the enclosure of C with MPFR rounding outward. A failed (undetermined) attempt narrows only the
// search bracket, never the certified enclosure.
#include "certbound/engine/tighten.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "certbound/arith/decimal.hpp"
#include "certbound/engine/certify.hpp"
#include "certbound/engine/interrupt.hpp"

namespace certbound {

const char* to_string(TightenStop s) {
  switch (s) {
    case TightenStop::target_reached: return "target reached";
    case TightenStop::prover_limit: return "prover limit";
    case TightenStop::attempts_spent: return "attempts spent";
    case TightenStop::no_proof: return "no proof";
    case TightenStop::contradiction: return "contradiction";
    case TightenStop::interrupted: return "interrupted";
  }
  return "?";
}

std::string tighten_settings_problem(const Obligation& ob, const Settings& s) {
  if (std::string why = prove_settings_problem(ob, s); !why.empty()) return why;
  return "";
}

std::string decimal_at_least(double x, int digits) {
  BigFloat b = BigFloat::from_double(x);
  return to_decimal(b, MPFR_RNDU, digits);
}

namespace {

/// The exact scale text as an enclosure (it is a short decimal: usually not a double).
Enclosure scale_enclosure(const std::string& scale) { return parse_enclosure(scale, 128); }

/// The covered part of a proved-on-box form as a box on the statement's inputs: the form's own
/// variables when they are those inputs, else the box it states (empty: no witness can be placed).
const std::vector<ProofVariable>& statement_box(const ProofForm& form) {
  static const std::vector<ProofVariable> none;
  if (!form.statement_box.empty()) return form.statement_box;
  return form.refutable_by_points ? form.variables : none;
}

/// Is the case certainly inside the covered part? (Witnesses for a proved-on-box result must be:
/// C* is then the best constant on the box only.)
bool inside_box(const Case& c, const ProofForm& form) {
  const auto& box = statement_box(form);
  if (box.empty()) return false;
  for (const auto& v : box) {
    const auto it = c.inputs.find(v.input);
    if (it == c.inputs.end() || v.row >= it->second.rows() || v.col >= it->second.cols()) return false;
    const double x = it->second(v.row, v.col);
    if (!(x >= v.lo && x <= v.hi)) return false;
  }
  return !form.statement_box_also || form.statement_box_also(c);
}

/// The case pulled into the box, coordinate by coordinate.
Case clamp_to_box(Case c, const ProofForm& form) {
  for (const auto& v : statement_box(form)) {
    auto it = c.inputs.find(v.input);
    if (it == c.inputs.end() || v.row >= it->second.rows() || v.col >= it->second.cols()) continue;
    double& x = it->second(v.row, v.col);
    x = std::clamp(x, v.lo, v.hi);
  }
  c.family += " (in the proof's box)";
  return c;
}

/// The witness: among the check's cases at scale 1 (families, random cases, search points), the
/// one with the largest certified ratio lower end, inside the box when the proofs cover a box only
/// (a case outside it is first pulled into it and certified again).
/// Returns how many of the cases were inside the statement's hypotheses (and the box).
int find_witness(const Obligation& ob, const TightenOptions& o, TightenResult& r) {
  CheckOptions co = o.search;
  co.settings = o.settings;
  // Built, not assigned from the literal: g++ 12 -O3 gives a false -Wstringop-overflow on
  // std::string::operator=(const char*) here.
  co.settings.scale = std::string(1, '1');
  std::optional<CertifiedCase> best;
  int in_domain = 0;
  for (Case c : check_cases(ob, co)) {
    if (interrupted()) break;
    if (!r.whole_domain && !inside_box(c, r.form)) {
      c = clamp_to_box(std::move(c), r.form);
      if (!inside_box(c, r.form)) continue;  // e.g. a derived point outside the box
    }
    CaseResult res = certify(ob, c, co.settings, co.max_bits);
    if (!res.in_domain) continue;
    ++in_domain;
    if (res.ratio.has_nan()) continue;
    if (!best || res.ratio.lower_double() > best->result.ratio.lower_double()) best = CertifiedCase{std::move(c), std::move(res)};
  }
  if (!best || !(best->result.ratio.lower_double() > 0)) return in_domain;
  r.witness = best;
  r.witness_scale = best->result.ratio.lower_double();
  r.witness_source = "check's cases (seed " + std::to_string(co.seed) + "), " + best->input.family;
  return in_domain;
}

/// C* bounds from scales: upper bounds C* = c*·C, lower bounds C* = C/c*; rounded outward.
void update_constants(TightenResult& r) {
  const Enclosure& C = r.constant;
  const mpfr_prec_t prec = std::max<mpfr_prec_t>(128, std::max(C.lo.precision(), C.hi.precision()));
  const bool upper = r.direction == Direction::upper_bound;
  r.lo.reset();
  r.hi.reset();
  if (r.witness_scale > 0) {  // c* ≥ w
    BigFloat v(prec);
    if (upper) mpfr_mul_d(v.get(), C.lo.get(), r.witness_scale, MPFR_RNDD);   // C* ≥ w·C
    else mpfr_div_d(v.get(), C.hi.get(), r.witness_scale, MPFR_RNDU);         // C* ≤ C/w
    (upper ? r.lo : r.hi) = Enclosure{v, v};
  }
  if (r.proved_scale) {  // c* ≤ c
    const Enclosure c = scale_enclosure(*r.proved_scale);
    BigFloat v(prec);
    if (upper) mpfr_mul(v.get(), C.hi.get(), c.hi.get(), MPFR_RNDU);  // C* ≤ c·C
    else mpfr_div(v.get(), C.lo.get(), c.hi.get(), MPFR_RNDD);        // C* ≥ C/c
    (upper ? r.hi : r.lo) = Enclosure{v, v};
  }
  r.hi_over_lo = 0;
  if (r.lo && r.hi && r.lo->lo.sign() > 0) {
    BigFloat q(prec);
    mpfr_div(q.get(), r.hi->hi.get(), r.lo->lo.get(), MPFR_RNDU);
    r.hi_over_lo = q.to_double(MPFR_RNDU);
  }
}

/// c* ≥ w certified and c* ≤ c proved with w > c: the two cannot both be right.
bool contradiction(const TightenResult& r) {
  if (!r.proved_scale || !(r.witness_scale > 0)) return false;
  const Enclosure c = scale_enclosure(*r.proved_scale);
  return mpfr_cmp_d(c.hi.get(), r.witness_scale) < 0;
}

struct Attempted {
  TightenAttempt attempt;
  ProofResult proof;
};

Attempted attempt(const Obligation& ob, const TightenOptions& o, const std::string& scale) {
  ProveOptions po;
  po.settings = o.settings;
  po.settings.scale = scale;
  po.max_boxes = o.max_boxes;
  po.threads = o.threads;
  Attempted a{{scale, ProofStatus::undetermined, 0, 0, 0}, prove(ob, po)};
  a.attempt.status = a.proof.status;
  a.attempt.boxes = a.proof.boxes;
  a.attempt.seconds = a.proof.seconds;
  a.attempt.coverage = a.proof.closed_fraction;
  return a;
}

bool closed(ProofStatus s) { return s == ProofStatus::proved || s == ProofStatus::proved_on_box; }

/// The next scale to try strictly between `failed` (the largest failed scale, or the witness) and
/// `proved`: first the scale that would finish at once (halfway to the target above the witness);
/// right after a failure, the witness times the square of the failed excess (a gallop upward: the
/// best constant is usually near the witness while the prover needs some room); otherwise, and
/// whenever that leaves the bracket, the geometric midpoint. Six significant digits, more only
/// where needed; nullopt when no decimal separates the two.
std::optional<std::string> next_scale(double failed, double proved, double witness, double target, bool last_failed) {
  std::vector<double> aims;
  if (failed <= witness) aims.push_back(witness * (1 + (target - 1) / 2));
  else if (last_failed) aims.push_back(witness * (failed / witness) * (failed / witness));
  aims.push_back(std::sqrt(failed * proved));
  for (const double aim : aims) {
    if (!(aim > failed && aim < proved)) continue;
    for (int digits = 6; digits <= 15; ++digits) {
      const std::string s = decimal_at_least(aim, digits);
      const double v = std::stod(s);
      if (v > failed && v < proved) return s;
    }
  }
  return std::nullopt;
}

}  // namespace

TightenResult tighten(const Obligation& ob, const TightenOptions& o) {
  const auto start = std::chrono::steady_clock::now();
  TightenResult r;
  r.obligation = &ob;
  r.direction = ob.meta().direction;
  const auto form = ob.proof_form(o.settings);
  if (!form) throw InputError("obligation '" + ob.meta().id + "' has no proof form");
  r.form = *form;
  r.whole_domain = form->sub_domain.empty();
  r.domain = r.whole_domain ? ob.meta().domain : form->sub_domain;
  Settings unit = o.settings;
  unit.scale = "1";
  const auto constant = ob.constant(unit);
  if (!constant) throw InputError("obligation '" + ob.meta().id + "' has no constant to tighten");
  r.constant = *constant;

  if (find_witness(ob, o, r) == 0)
    throw InputError("none of check's cases satisfies the hypotheses of '" + ob.meta().id + "' at these settings" +
                     (r.whole_domain ? "" : " inside the proof's box") + " (" + ob.meta().domain +
                     "): no witness, so no lower end for the enclosure");
  if (!(r.witness_scale > 0))
    throw InputError("no certified witness with a positive ratio for '" + ob.meta().id + "' at these settings" +
                     (r.whole_domain ? "" : " inside the proof's box") +
                     " (the left side may vanish, e.g. at n = 1): the enclosure would be [0, hi]");
  update_constants(r);

  // Upward first: the smallest power of two (from 1) that proves. Then down by bisection.
  double failed_below = r.witness_scale;  // the search bracket: proofs failed at or below this
  auto record = [&](Attempted a) {
    r.attempts.push_back(a.attempt);
    if (o.progress) o.progress(a.attempt);
    const double c = std::stod(a.attempt.scale);
    if (closed(a.attempt.status)) {
      if (!r.proved_scale || c < std::stod(*r.proved_scale)) {
        r.proved_scale = a.attempt.scale;
        r.proof = std::move(a.proof);
      }
    } else {
      failed_below = std::max(failed_below, c);
      if (a.attempt.status == ProofStatus::refuted && a.proof.counterexample && a.proof.counterexample->result.in_domain) {
        // A refuting leaf at scale c with ratio ρ (against c·C) certifies c* ≥ ρ·c.
        const Enclosure sc = scale_enclosure(a.attempt.scale);
        BigFloat w(128);
        mpfr_mul_d(w.get(), sc.lo.get(), a.proof.counterexample->result.ratio.lower_double(), MPFR_RNDD);
        const double wd = w.to_double(MPFR_RNDD);
        if (wd > r.witness_scale) {
          r.witness_scale = wd;
          r.witness = a.proof.counterexample;
          r.witness_source = "refuting leaf of the proof at scale " + a.attempt.scale;
        }
      }
    }
    update_constants(r);
  };
  auto stop = [&](TightenStop s, std::string note) {
    r.stop = s;
    r.note = std::move(note);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
  };

  // The paper's own scale 1 is always tried first, even below a witness: there it must fail, so a
  // proof there is the contradiction that exposes an unsound step. Then powers of two upward.
  for (double c = 1; !r.proved_scale && static_cast<int>(r.attempts.size()) < o.max_attempts; c *= 2) {
    if (c > 1 && c < failed_below) continue;
    char text[32];
    std::snprintf(text, sizeof text, "%.0f", c);
    record(attempt(ob, o, text));
    if (interrupted()) return stop(TightenStop::interrupted, "interrupted");
  }
  if (!r.proved_scale)
    return stop(TightenStop::no_proof, "no scale up to " + r.attempts.back().scale + " was proved within " +
                                            std::to_string(o.max_boxes) + " boxes per attempt");
  while (true) {
    if (contradiction(r))
      return stop(TightenStop::contradiction, "a certified witness lies above a proved scale (" + *r.proved_scale +
                                                  "): one of the two is unsound");
    if (r.hi_over_lo > 0 && r.hi_over_lo <= o.target) return stop(TightenStop::target_reached, "hi/lo ≤ target");
    if (static_cast<int>(r.attempts.size()) >= o.max_attempts)
      return stop(TightenStop::attempts_spent, "the budget of " + std::to_string(o.max_attempts) + " proof attempts ended");
    const double above = std::stod(*r.proved_scale);
    if (failed_below > r.witness_scale && above / failed_below < 1 + (o.target - 1) / 8)
      return stop(TightenStop::prover_limit, "no proof below scale " + *r.proved_scale + " within " +
                                                 std::to_string(o.max_boxes) + " boxes per attempt (it failed at " +
                                                 decimal_at_least(failed_below) + ")");
    const bool last_failed = !closed(r.attempts.back().status);
    const auto next = next_scale(failed_below, above, r.witness_scale, o.target, last_failed);
    if (!next)
      return stop(TightenStop::prover_limit, "no proof below scale " + *r.proved_scale + " within " +
                                                 std::to_string(o.max_boxes) + " boxes, and the failed and proved scales "
                                                 "can no longer be split");
    record(attempt(ob, o, *next));
    if (interrupted()) return stop(TightenStop::interrupted, "interrupted");
  }
}

}  // namespace certbound
