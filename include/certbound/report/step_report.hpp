// The steps of a derivation evaluated on concrete cases (engine/term_eval.hpp), as the text table
// of `certbound check --steps` and as JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "certbound/engine/term_eval.hpp"

namespace certbound::report {

/// One obligation's steps: a header line (cases inside and outside the hypotheses, the kernel's
/// verdict) and one row per step, or one line "no derivation".
std::string steps_table(const StepReportSet& r);
nlohmann::json steps_json(const StepReportSet& r);

/// An interval as "[lo, hi]" with `digits` significant digits, rounded outward (Enclosure::str).
std::string interval_text(const Interval& x, int digits = 6);

}  // namespace certbound::report
