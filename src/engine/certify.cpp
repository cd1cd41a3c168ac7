#include "certbound/engine/certify.hpp"

#include <cfloat>
#include <cmath>
#include <limits>

#include "certbound/arith/predicates.hpp"

namespace certbound {


namespace {

enum class Truth { yes, no, unknown };

/// One precision level's findings, type-erased.
struct Level {
  Truth in_domain = Truth::unknown;
  std::string hypothesis_note;
  CaseResult result;
  bool decided = false;
};

template <class T>
Truth hypothesis_truth(const Hypothesis<T>& h) {
  const Sign sg = certain_sign(h.slack);
  if (h.strict) {
    if (sg == Sign::positive) return Truth::yes;
    if (certainly_less_equal(h.slack, 0.0)) return Truth::no;
    return Truth::unknown;
  }
  if (certainly_greater_equal(h.slack, 0.0)) return Truth::yes;
  if (sg == Sign::negative) return Truth::no;
  return Truth::unknown;
}

/// Width at which an enclosure of 0 counts as "the rounding level" at this precision.
bool at_rounding_level(const Enclosure& margin, const Enclosure& rhs, unsigned bits) {
  const double scale = std::max(1.0, std::max(std::fabs(rhs.lower_double()), std::fabs(rhs.upper_double())));
  return margin.width_up() <= std::ldexp(scale, -static_cast<int>(bits) + 40);
}

template <class T>
Level evaluate_level(const Obligation& ob, const Case& c, const Settings& s) {
  Level lv;
  const Meta& meta = ob.meta();
  const Params<T> p = Params<T>::from(s);
  const Evaluation<T> e = ob.evaluate(c, p);
  lv.result.bits = precision_bits<T>::value;

  lv.in_domain = Truth::yes;
  for (const auto& h : e.hypotheses) {
    const Truth t = hypothesis_truth(h);
    if (t == Truth::no) {
      lv.in_domain = Truth::no;
      lv.hypothesis_note = "hypothesis fails: " + h.name;
      break;
    }
    if (t == Truth::unknown && lv.in_domain == Truth::yes) {
      lv.in_domain = Truth::unknown;
      lv.hypothesis_note = "hypothesis undecided: " + h.name;
    }
  }
  if (lv.in_domain == Truth::no) {
    lv.result.status = CaseStatus::out_of_domain;
    lv.result.note = lv.hypothesis_note;
    lv.decided = true;
    return lv;
  }

  if (meta.kind == Kind::identity) {
    bool disjoint = false;
    for (size_t i = 0; i < e.path_a.size(); ++i) {
      if (!overlaps(e.path_a[i], e.path_b[i])) {
        disjoint = true;
        lv.result.note = "entry " + std::to_string(i) + ": " + to_enclosure(e.path_a[i]).str(17) + " vs " +
                         to_enclosure(e.path_b[i]).str(17);
        const T diff = e.path_a[i] - e.path_b[i];
        lv.result.margin = to_enclosure(diff);
        break;
      }
    }
    lv.result.status = disjoint ? CaseStatus::refuted : CaseStatus::consistent;
    lv.decided = disjoint || lv.in_domain == Truth::yes;
    if (!disjoint) lv.result.note = "overlapping enclosures (evidence, not a certificate)";
    return lv;
  }

  lv.result.in_domain = lv.in_domain == Truth::yes;
  const bool upper = meta.direction == Direction::upper_bound;
  const T scaled = upper ? p.scale * e.constant : e.constant / p.scale;
  const T rhs = scaled * e.factor;
  const T margin = upper ? rhs - e.lhs : e.lhs - rhs;
  lv.result.lhs = to_enclosure(e.lhs);
  lv.result.rhs = to_enclosure(rhs);
  lv.result.margin = to_enclosure(margin);
  const T& numerator = upper ? e.lhs : rhs;
  const T& denominator = upper ? rhs : e.lhs;
  if (certainly_greater(denominator, 0.0)) lv.result.ratio = to_enclosure(T(numerator / denominator));
  if (certainly_greater(e.factor, 0.0)) lv.result.witness = to_enclosure(T(e.lhs / e.factor));

  const bool holds = meta.strict ? lv.result.margin.certainly_positive() : lv.result.margin.certainly_nonnegative();
  // "violated" only when the margin's upper end is < 0, also for a strict statement (where a
  // margin of exactly 0 would violate too): never claim a counterexample on a boundary case.
  const bool violated = lv.result.margin.certainly_negative();
  if (lv.in_domain == Truth::unknown) {
    lv.result.status = CaseStatus::undecided;
    lv.result.note = lv.hypothesis_note;
  } else if (violated) {
    lv.result.status = CaseStatus::violated;
    lv.decided = true;
  } else if (certainly_less_equal(e.factor, 0.0) && certainly_greater_equal(e.factor, 0.0) && contains(e.lhs, 0.0)) {
    // F is exactly 0 (e.g. y = x): the case carries no information about the constant, even when
    // LHS is exactly 0 too and the margin 0 would "hold". Not decided here: a higher precision
    // could still show LHS > 0, which would be a violation (checked before this, at every level).
    lv.result.status = CaseStatus::degenerate;
    lv.result.note = "the factor is exactly 0 and LHS encloses 0 (both sides vanish when the inputs coincide)";
  } else if (holds) {
    lv.result.status = CaseStatus::holds;
    lv.decided = true;
  } else if (lv.result.margin.contains_zero() && at_rounding_level(lv.result.margin, lv.result.rhs, lv.result.bits)) {
    lv.result.status = CaseStatus::tight;
    lv.result.note = "margin encloses 0 at the rounding level";
  } else {
    lv.result.status = CaseStatus::undecided;
    lv.result.note = lv.result.margin.has_nan() ? "margin could not be enclosed"
                                                 : "margin encloses 0, width " + Enclosure::point(lv.result.margin.width_up()).str(3);
  }
  return lv;
}

template <class T>
bool try_level(const Obligation& ob, const Case& c, const Settings& s, CaseResult& out) {
  try {
    Level lv = evaluate_level<T>(ob, c, s);
    out = std::move(lv.result);
    return lv.decided;
  } catch (const DomainError& e) {
    out = CaseResult{};
    out.bits = precision_bits<T>::value;
    out.note = std::string("domain error: ") + e.what();
  } catch (const std::runtime_error& e) {  // Boost.Interval: empty interval created
    out = CaseResult{};
    out.bits = precision_bits<T>::value;
    out.note = std::string("interval error: ") + e.what();
  } catch (const std::invalid_argument& e) {  // NaN reached an interval
    out = CaseResult{};
    out.bits = precision_bits<T>::value;
    out.note = std::string("invalid number: ") + e.what();
  }
  return false;
}

template <class T>
bool assess_level(const Obligation& ob, const Case& c, const Settings& s, HypothesisAssessment& out) {
  out = HypothesisAssessment{};
  out.bits = precision_bits<T>::value;
  try {
    const Evaluation<T> e = ob.evaluate(c, Params<T>::from(s));
    bool all_decided = true;
    for (const auto& h : e.hypotheses) {
      HypothesisFinding f;
      f.name = h.name;
      const Truth t = hypothesis_truth(h);
      f.truth = t == Truth::yes ? HypothesisTruth::holds : (t == Truth::no ? HypothesisTruth::fails : HypothesisTruth::undecided);
      all_decided = all_decided && t != Truth::unknown;
      f.slack = to_enclosure(h.slack);
      f.quantity_name = h.quantity_name;
      if (h.quantity) f.quantity = to_enclosure(*h.quantity);
      out.findings.push_back(std::move(f));
    }
    return all_decided;
  } catch (const std::exception& e) {  // DomainError, empty interval, NaN: try the next level
    out.error = e.what();
    return false;
  }
}

/// A double-interval level can decide a case whose ratio it cannot show: LHS/RHS below the
/// normal doubles (lip_x.f at R = 50: about 10^-4347) comes out as [0, tiny], and above DBL_MAX as
/// [huge, +inf].
bool ratio_beyond_double(const CaseResult& r) {
  if (!r.in_domain || r.ratio.has_nan() || !r.rhs.certainly_positive()) return false;
  return (r.ratio.lo.sign() <= 0 && mpfr_cmp_d(r.ratio.hi.get(), DBL_MIN) < 0) || mpfr_inf_p(r.ratio.hi.get());
}

}  // namespace

const char* to_string(HypothesisTruth t) {
  switch (t) {
    case HypothesisTruth::holds: return "holds";
    case HypothesisTruth::fails: return "fails";
    case HypothesisTruth::undecided: return "undecided";
  }
  return "?";
}

HypothesisAssessment assess_hypotheses(const Obligation& ob, const Case& c, const Settings& s, unsigned max_bits) {
  HypothesisAssessment a;
  if (assess_level<Interval>(ob, c, s, a)) return a;
  if (max_bits >= precision_bits<Mp128>::value && assess_level<Mp128>(ob, c, s, a)) return a;
  if (max_bits >= precision_bits<Mp257>::value && assess_level<Mp257>(ob, c, s, a)) return a;
  if (max_bits >= precision_bits<Mp1025>::value) assess_level<Mp1025>(ob, c, s, a);
  return a;
}

CaseResult certify(const Obligation& ob, const Case& c, const Settings& s, unsigned max_bits, unsigned min_bits) {
  CaseResult r;
  // The highest level not above max_bits is always tried, whatever min_bits says.
  auto wanted = [&](unsigned bits, unsigned next_bits) {
    return bits <= max_bits && (bits >= min_bits || next_bits > max_bits);
  };
  if (wanted(53, precision_bits<Mp128>::value) && try_level<Interval>(ob, c, s, r)) {
    // The decision stands; a ratio (and witness) beyond the double range is taken from the first
    // multiprecision level, whose exponent range holds it: both enclose the same exact values.
    if (ratio_beyond_double(r) && max_bits >= precision_bits<Mp128>::value) {
      CaseResult mp;
      try_level<Mp128>(ob, c, s, mp);
      if (!mp.ratio.has_nan() && (mp.ratio.certainly_positive() || mpfr_less_p(mp.ratio.hi.get(), r.ratio.hi.get()))) {
        r.ratio = std::move(mp.ratio);
        if (!mp.witness.has_nan()) r.witness = std::move(mp.witness);
      }
    }
    return r;
  }
  if (wanted(precision_bits<Mp128>::value, precision_bits<Mp257>::value) && try_level<Mp128>(ob, c, s, r)) return r;
  if (wanted(precision_bits<Mp257>::value, precision_bits<Mp1025>::value) && try_level<Mp257>(ob, c, s, r)) return r;
  if (wanted(precision_bits<Mp1025>::value, ~0u)) try_level<Mp1025>(ob, c, s, r);
  return r;
}

double ratio_in_double(const Obligation& ob, const Case& c, const Settings& s) {
  constexpr double kBad = -std::numeric_limits<double>::infinity();
  try {
    const Params<double> p = Params<double>::from(s);
    const Evaluation<double> e = ob.evaluate(c, p);
    for (const auto& h : e.hypotheses) {
      if (!(h.strict ? h.slack > 0 : h.slack >= 0)) return kBad;
    }
    if (ob.meta().kind == Kind::identity) {
      double worst = 0;
      for (size_t i = 0; i < e.path_a.size(); ++i) {
        worst = std::max(worst, std::fabs(e.path_a[i] - e.path_b[i]) / (1e-300 + std::fabs(e.path_a[i])));
      }
      return worst;
    }
    const bool upper = ob.meta().direction == Direction::upper_bound;
    const double rhs = (upper ? p.scale * e.constant : e.constant / p.scale) * e.factor;
    const double r = upper ? e.lhs / rhs : rhs / e.lhs;
    return std::isfinite(r) ? r : kBad;
  } catch (const std::exception&) {
    return kBad;
  }
}

}  // namespace certbound
