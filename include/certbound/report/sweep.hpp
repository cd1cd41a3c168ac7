// certbound sweep: check reports over a grid of (R, n, d), written as a CSV table, a gnuplot
// script drawing one SVG per obligation (constants against R and against n, log scale), and one
// self-contained XHTML page with the tables and the plots inlined: what was swept, contents, a
// summary table (one row per obligation: verdicts, undecided cases, log10 slack at each grid point),
// the words defined once, then a section per obligation. A plot is drawn only where it shows
// something: two or more grid points on a slice, a witness not equal to the constant, and a y range
// of at least one decade (rounding noise is never stretched into a slope). With --steps also, per
// obligation with a derivation, each step's slack at every grid point's best certified witness: a
// CSV table and one more plot (log10 of each step's slack against R).
#pragma once

#include <string>
#include <vector>

#include "certbound/engine/check.hpp"
#include "certbound/engine/term_eval.hpp"

namespace certbound::report {

/// sweep --tighten: the certified enclosure [lo, hi] of the best constant C* at one grid point
/// (engine/tighten.hpp), or why there is none.
struct BestConstant {
  std::optional<Enclosure> lo, hi;  ///< C* ≥ lo's lower end, C* ≤ hi's upper end (each absent when unknown)
  double hi_over_lo = 0;            ///< 0 when an end is missing
  bool whole_domain = true;         ///< false: C* is the best constant on the proof's box only
  std::string note;                 ///< why tighten stopped, or why it did not run
};

/// One grid point's reports.
struct SweepPoint {
  Settings settings;
  std::vector<ObligationReport> reports;
  /// sweep --steps: per report, its derivation's steps at the report's best certified witness
  /// (nullopt for an obligation without a derivation); empty without --steps.
  std::vector<std::optional<WitnessSlack>> steps;
  /// sweep --tighten: per report, the enclosure of its best constant; empty without --tighten.
  std::vector<BestConstant> best;
};

/// results.csv: one row per (obligation, grid point) with certified decimal enclosures of the
/// paper, chain and witness constants and their log10 (midpoints of certified enclosures, for
/// plotting only); with --tighten also best_lo, best_hi (C* ≥ best_lo, C* ≤ best_hi, rounded
/// outward) and best_note (blank without --tighten).
std::string sweep_csv(const std::vector<SweepPoint>& points);

/// steps.csv (sweep --steps): one row per obligation with a derivation, grid point and step (the
/// last comparison E_k ≤ RHS included): id, n, d, R, step, justification, the certified slack
/// Eⱼ₊₁/Eⱼ at the point's best certified witness (ends rounded outward, as decimal doubles) and a
/// note saying why a step has no slack and is left out of the plot.
std::string sweep_steps_csv(const std::vector<SweepPoint>& points);

/// The data and script gnuplot needs: `dat` files keyed by obligation id (file name → contents)
/// and one script writing <dir>/plots/<id>.svg. Obligations without a constant get no plot.
/// With steps (SweepPoint::steps), also <dir>/plots/<id>.steps.svg: log10 of each step's slack
/// against R at the first n and d, one line per step with a finite slack somewhere.
struct PlotFiles {
  std::vector<std::pair<std::string, std::string>> data;  ///< relative path → contents
  std::string script;                                      ///< plots.gp, run from the output directory
  std::vector<std::string> plotted_ids;
  std::vector<std::string> step_plotted_ids;  ///< obligations with a steps plot
};
PlotFiles sweep_plots(const std::vector<SweepPoint>& points);

/// The page. `svg_by_id` holds the drawn plots (empty when gnuplot was not available: the page
/// then says how to draw them), `step_svg_by_id` the steps plots. `note` is shown under the title.
std::string sweep_html(const std::vector<SweepPoint>& points, const std::vector<std::pair<std::string, std::string>>& svg_by_id,
                       const std::string& note, const std::vector<std::string>& arguments,
                       const std::vector<std::pair<std::string, std::string>>& step_svg_by_id = {});

/// The SVG of a gnuplot output file, stripped of its XML declaration and DOCTYPE so it can be
/// inlined in XHTML.
std::string inline_svg(const std::string& svg_file_text);

/// Text with the statements' TeX-like scripts as Unicode (x_{t+1} → xₜ₊₁, ℝ^d → ℝᵈ where every
/// character has a script form, else <sub>/<sup>: e^{10R²} → e<sup>10R²</sup>), XML-escaped: for the page.
std::string math_html(const std::string& text);

/// Path-safe file stem for an obligation id ("thm.shift_x" → "thm.shift_x"; anything else → '_').
std::string file_stem(const std::string& id);

}  // namespace certbound::report
