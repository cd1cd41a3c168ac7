#include "certbound/report/sweep.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "certbound/build_info.hpp"
#include "certbound/report/report.hpp"

namespace certbound::report {

namespace {

/// log10 of a certainly positive enclosure's midpoint, "nan" otherwise (gnuplot skips it).
std::string log10_text(const std::optional<Enclosure>& e) {
  if (!e || !e->certainly_positive()) return "nan";
  const Enclosure l = e->log10();
  if (l.has_nan()) return "nan";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9f", l.mid_double());
  return buf;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::pair<std::string, std::string> ends(const std::optional<Enclosure>& e) {
  if (!e || e->has_nan()) return {"", ""};
  return e->decimal(17);
}

/// sweep --tighten's result for report k of a point (nullptr without --tighten).
const BestConstant* best_of(const SweepPoint& pt, size_t k) { return k < pt.best.size() ? &pt.best[k] : nullptr; }

std::optional<Enclosure> chain_value(const ObligationReport& r) {
  if (!r.chain_constant) return std::nullopt;
  return r.chain_constant->value;
}

/// A string as a gnuplot single-quoted literal ('' inside stands for ').
std::string gp_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

/// One step of a chain at one grid point's witness: its slack, or why it has none.
struct StepPoint {
  std::optional<Interval> slack;
  std::string note;  ///< empty when the slack is there
};
size_t step_count(const WitnessSlack& w) { return w.chain.terms.empty() ? 0 : w.chain.terms.size() - 1; }
std::vector<StepPoint> step_points(const WitnessSlack& w) {
  std::vector<StepPoint> out(step_count(w));
  for (size_t k = 0; k < out.size(); ++k) {
    std::string why = w.note.empty() ? "no value at the witness" : w.note;
    if (k < w.sides.size()) out[k].slack = w.sides[k].finite_slack(&why);
    if (!out[k].slack) out[k].note = "left out of the plot: " + why;
  }
  return out;
}
const WitnessSlack* steps_of(const SweepPoint& pt, size_t k) {
  return k < pt.steps.size() && pt.steps[k] ? &*pt.steps[k] : nullptr;
}
/// log10 of a slack for plotting (the certified enclosure's midpoint; "-0.000000000" as 0).
std::string plot_log10(const Interval& slack) {
  const std::string t = log10_text(Enclosure::of(slack));
  return t.find_first_not_of("-0.") == std::string::npos && t != "nan" ? t.substr(t[0] == '-') : t;
}
std::string step_title(const WitnessSlack& w, size_t k) {
  return (k + 1 == step_count(w) ? std::string("end") : "step " + std::to_string(k + 1)) + ": " + w.chain.justification[k];
}

/// The slices plotted: against R at the first n and d, against n at the first R and d.
struct Slices {
  int n0 = 0, d0 = 0;
  std::string r0;
};
Slices slices(const std::vector<SweepPoint>& points) {
  Slices s;
  if (points.empty()) return s;
  s.n0 = points.front().settings.n;
  s.d0 = points.front().settings.d;
  s.r0 = points.front().settings.R;
  return s;
}


/// The colour of each series, the same in every plot (paper, chain, witness; steps by index).
constexpr const char* kSeriesColour[] = {"#c0392b", "#e67e22", "#2471a3"};
constexpr const char* kBandColour = "#27ae60";  ///< sweep --tighten: the band of C*'s enclosure
constexpr const char* kStepColour[] = {"#2471a3", "#c0392b", "#27ae60", "#8e44ad", "#e67e22", "#17a589", "#7f8c8d", "#d4ac0d"};

/// The cell of C*'s enclosure: "[lo, hi]" (with "on the box" when C* is the best constant on the
/// proof's box only), or "none" with the reason on hover.
std::string best_cell(const BestConstant* b, const std::string& lo, const std::string& hi) {
  if (!b) return "<td></td>";
  const std::string title = b->note.empty() ? "" : " title=\"" + xml_escape(b->note) + "\"";
  if (!b->lo || !b->hi) return "<td" + title + ">none</td>";
  return "<td" + title + ">[" + lo + ", " + hi + "]" + (b->whole_domain ? "" : " on the box") + "</td>";
}

/// An upper bound on log10(paper / witness) at one report (format.cpp), as text with one decimal.
std::string slack_cell(const ObligationReport& r, std::string* why) {
  const auto x = log10_slack_upper(r);
  if (x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", std::ceil(*x * 1000) / 1000);  // rounded up: still an upper bound
    return buf;
  }
  if (!r.paper_constant) *why = "no constant";
  else if (r.obligation->meta().direction != Direction::upper_bound) *why = "a lower bound";
  else *why = "no certified witness";
  return "–";
}

/// What an obligation's section shows instead of, or as, its plot.
enum class PlotChoice { plot, no_constant, one_point, attained };

/// Below this log10 slack at every grid point the witness is the constant (up to rounding): a plot
/// would only show rounding noise.
constexpr double kAttainedLog10 = 1e-3;

PlotChoice plot_choice(const std::vector<SweepPoint>& points, size_t k, const Slices& sl) {
  if (!points.front().reports[k].paper_constant) return PlotChoice::no_constant;
  size_t by_r = 0, by_n = 0;
  for (const auto& pt : points) {
    by_r += pt.settings.n == sl.n0 && pt.settings.d == sl.d0;
    by_n += pt.settings.R == sl.r0 && pt.settings.d == sl.d0;
  }
  if (by_r < 2 && by_n < 2) return PlotChoice::one_point;
  bool attained = true;
  for (const auto& pt : points) {
    const auto x = log10_slack_upper(pt.reports[k]);
    attained = attained && x && *x < kAttainedLog10;
  }
  return attained ? PlotChoice::attained : PlotChoice::plot;
}

/// gnuplot's y range for these log10 values: autoscaled, except that a spread below one decade is
/// shown as one decade around its middle (rounding noise is never stretched into a slope).
std::string y_range(const std::vector<double>& values) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values)
    if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
  if (!(lo <= hi)) return "set autoscale y\n";
  if (hi - lo >= 1) return "set autoscale y\n";
  char buf[96];
  const double mid = (lo + hi) / 2;
  std::snprintf(buf, sizeof buf, "set yrange [%.6f:%.6f]\n", mid - 0.5, mid + 0.5);
  return buf;
}

/// The distinct values of a grid coordinate, in the order first seen, as "4, 5, 6".
template <class Get>
std::string distinct(const std::vector<SweepPoint>& points, Get get, size_t* count) {
  std::vector<std::string> seen;
  for (const auto& pt : points) {
    const std::string v = get(pt.settings);
    if (std::find(seen.begin(), seen.end(), v) == seen.end()) seen.push_back(v);
  }
  std::string out;
  for (const auto& v : seen) out += (out.empty() ? "" : ", ") + v;
  *count = seen.size();
  return out;
}

std::string grid_label(const Settings& s) {
  return "R = " + s.R + ", n = " + std::to_string(s.n) + ", d = " + std::to_string(s.d);
}

/// One UTF-8 code point of `text` at `i` (advancing i).
std::string code_point(const std::string& text, size_t& i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  std::string out = text.substr(i, length);
  i += length;
  return out;
}

/// `inner` as Unicode superscripts (or subscripts) when every character has one, else nullopt.
std::optional<std::string> unicode_script(const std::string& inner, bool super) {
  static const std::map<std::string, std::string> sup = {
      {"0", "⁰"}, {"1", "¹"}, {"2", "²"}, {"3", "³"}, {"4", "⁴"}, {"5", "⁵"}, {"6", "⁶"}, {"7", "⁷"}, {"8", "⁸"},
      {"9", "⁹"}, {"+", "⁺"}, {"-", "⁻"}, {"−", "⁻"}, {"=", "⁼"}, {"(", "⁽"}, {")", "⁾"}, {"n", "ⁿ"}, {"i", "ⁱ"},
      {"T", "ᵀ"}, {"t", "ᵗ"}, {"d", "ᵈ"}, {"k", "ᵏ"}, {"x", "ˣ"}, {"²", "²"}, {"³", "³"}, {"¹", "¹"}, {"⁻", "⁻"}};
  static const std::map<std::string, std::string> sub = {
      {"0", "₀"}, {"1", "₁"}, {"2", "₂"}, {"3", "₃"}, {"4", "₄"}, {"5", "₅"}, {"6", "₆"}, {"7", "₇"}, {"8", "₈"},
      {"9", "₉"}, {"+", "₊"}, {"-", "₋"}, {"−", "₋"}, {"=", "₌"}, {"(", "₍"}, {")", "₎"}, {"a", "ₐ"}, {"e", "ₑ"},
      {"o", "ₒ"}, {"x", "ₓ"}, {"h", "ₕ"}, {"k", "ₖ"}, {"l", "ₗ"}, {"m", "ₘ"}, {"n", "ₙ"}, {"p", "ₚ"}, {"s", "ₛ"},
      {"t", "ₜ"}, {"i", "ᵢ"}, {"j", "ⱼ"}, {"r", "ᵣ"}, {"u", "ᵤ"}, {"v", "ᵥ"}};
  const auto& table = super ? sup : sub;
  std::string out;
  for (size_t i = 0; i < inner.size();) {
    const auto it = table.find(code_point(inner, i));
    if (it == table.end()) return std::nullopt;
    out += it->second;
  }
  return out;
}

}  // namespace

std::string math_html(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    // A subscript follows a single letter or a symbol (x_t, ‖u‖_∞); an underscore after two
    // letters or digits is part of a name (lip_x.f, exp_near_one) and stays as written.
    const auto alnum = [&](size_t k) { return std::isalnum(static_cast<unsigned char>(text[k])) != 0; };
    const bool in_name = c == '_' && i >= 2 && alnum(i - 1) && alnum(i - 2);
    if ((c == '_' || c == '^') && i + 1 < text.size() && !in_name) {
      const bool super = c == '^';
      size_t j = i + 1;
      std::string inner;
      if (text[j] == '{') {
        const size_t close = text.find('}', j);
        if (close == std::string::npos) {
          out += xml_escape(text.substr(i));
          break;
        }
        inner = text.substr(j + 1, close - j - 1);
        j = close + 1;
      } else if (text[j] == ' ') {
        out += c;
        ++i;
        continue;
      } else {
        inner = code_point(text, j);
      }
      if (const auto u = unicode_script(inner, super)) out += *u;
      else out += std::string(super ? "<sup>" : "<sub>") + xml_escape(inner) + (super ? "</sup>" : "</sub>");
      i = j;
      continue;
    }
    const size_t start = i;
    out += xml_escape(code_point(text, i));
    (void)start;
  }
  return out;
}

namespace {
}  // namespace

std::string file_stem(const std::string& id) {
  std::string out;
  for (char c : id) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-') ? c : '_';
  return out;
}

std::string sweep_csv(const std::vector<SweepPoint>& points) {
  std::ostringstream out;
  out << "id,R,n,d,verdict,cases,holds,tight,degenerate,undecided,violated,out_of_domain,paper_constant_lo,paper_constant_hi,"
         "log10_paper_constant,chain_constant_expression,chain_constant_lo,chain_constant_hi,log10_chain_constant,"
         "witness_constant_lo,witness_constant_hi,log10_witness_constant,witness_ratio_lower,seconds,best_lo,best_hi,"
         "best_note\n";
  for (const auto& pt : points) {
    for (size_t k = 0; k < pt.reports.size(); ++k) {
      const ObligationReport& r = pt.reports[k];
      const BestConstant* best = best_of(pt, k);
      const std::string best_lo = best ? ends(best->lo).first : "", best_hi = best ? ends(best->hi).second : "";
      const auto [plo, phi] = ends(r.paper_constant);
      const auto [clo, chi] = ends(chain_value(r));
      const auto [wlo, whi] = ends(r.witness_constant);
      char secs[32];
      // The unrounded lower end, rounded down to 17 digits (a double would flush 1e-4357 to 0).
      const std::string ratio = r.witness_ratio_lower_exact.is_nan() ? std::string("0")
                                                                     : to_decimal(r.witness_ratio_lower_exact, MPFR_RNDD, 17);
      std::snprintf(secs, sizeof secs, "%.3f", r.seconds);
      out << csv_field(r.obligation->meta().id) << ',' << csv_field(pt.settings.R) << ',' << pt.settings.n << ','
          << pt.settings.d << ',' << to_string(r.verdict) << ',' << r.counts.total << ',' << r.counts.holds << ','
          << r.counts.tight << ',' << r.counts.degenerate << ',' << r.counts.undecided << ',' << r.counts.violated + r.counts.refuted << ','
          << r.counts.out_of_domain << ',' << plo << ',' << phi << ',' << log10_text(r.paper_constant) << ','
          << csv_field(r.chain_constant ? r.chain_constant->expression : "") << ',' << clo << ',' << chi << ','
          << log10_text(chain_value(r)) << ',' << wlo << ',' << whi << ',' << log10_text(r.witness_constant) << ','
          << ratio << ',' << secs << ',' << best_lo << ',' << best_hi << ',' << csv_field(best ? best->note : "") << '\n';
    }
  }
  return out.str();
}

std::string sweep_steps_csv(const std::vector<SweepPoint>& points) {
  std::ostringstream out;
  out << "id,n,d,R,step,justification,slack_lo,slack_hi,note\n";
  for (const auto& pt : points) {
    for (size_t k = 0; k < pt.reports.size(); ++k) {
      const WitnessSlack* w = steps_of(pt, k);
      if (!w) continue;
      const auto steps = step_points(*w);
      for (size_t j = 0; j < steps.size(); ++j) {
        const auto [lo, hi] = steps[j].slack ? Enclosure::of(*steps[j].slack).decimal(17) : std::pair<std::string, std::string>();
        out << csv_field(pt.reports[k].obligation->meta().id) << ',' << pt.settings.n << ',' << pt.settings.d << ','
            << csv_field(pt.settings.R) << ',' << j + 1 << ',' << csv_field(w->chain.justification[j]) << ',' << lo << ','
            << hi << ',' << csv_field(steps[j].note) << '\n';
      }
    }
  }
  return out.str();
}

PlotFiles sweep_plots(const std::vector<SweepPoint>& points) {
  PlotFiles files;
  if (points.empty()) return files;
  const Slices sl = slices(points);
  std::ostringstream gp;
  gp << "# certbound sweep: run from the output directory with `gnuplot plots.gp`.\n"
     << "set terminal svg size 960,400 dynamic noenhanced font 'sans,11'\n"
     << "set datafile missing 'nan'\n"
     << "set key below horizontal\n"
     << "set grid\n"
     << "set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05\n"
     << "set ylabel 'log10(constant)'\n";
  for (size_t k = 0; k < points.front().reports.size(); ++k) {
    const ObligationReport& first = points.front().reports[k];
    if (plot_choice(points, k, sl) != PlotChoice::plot) continue;  // the page says why in one line
    const std::string id = first.obligation->meta().id, stem = file_stem(id);
    const bool has_chain = first.chain_constant.has_value();
    // Columns: x, log10 paper, log10 chain, log10 witness, log10 of C*'s lower and upper end.
    std::ostringstream by_r, by_n;
    by_r << "# " << id << " against R at n = " << sl.n0 << ", d = " << sl.d0 << "\n# R paper chain witness best_lo best_hi\n";
    by_n << "# " << id << " against n at R = " << sl.r0 << ", d = " << sl.d0 << "\n# n paper chain witness best_lo best_hi\n";
    std::map<double, std::string> r_rows, n_rows;  // sorted by x
    for (const auto& pt : points) {
      const ObligationReport& r = pt.reports[k];
      const BestConstant* best = best_of(pt, k);
      const std::string row = log10_text(r.paper_constant) + " " + log10_text(chain_value(r)) + " " +
                              log10_text(r.witness_constant) + " " + log10_text(best ? best->lo : std::nullopt) + " " +
                              log10_text(best ? best->hi : std::nullopt) + "\n";
      if (pt.settings.n == sl.n0 && pt.settings.d == sl.d0)
        r_rows[parse_enclosure(pt.settings.R).mid_double()] = row;
      if (pt.settings.R == sl.r0 && pt.settings.d == sl.d0) n_rows[pt.settings.n] = row;
    }
    for (const auto& [x, row] : r_rows) by_r << x << ' ' << row;
    for (const auto& [x, row] : n_rows) by_n << x << ' ' << row;
    files.data.push_back({"plots/" + stem + ".by_R.dat", by_r.str()});
    files.data.push_back({"plots/" + stem + ".by_n.dat", by_n.str()});
    // Only series with at least one finite point (gnuplot stops on a series with none).
    std::vector<double> r_values, n_values;  // every plotted log10, for the y range
    auto series = [&](const std::string& dat, const std::map<double, std::string>& rows, std::vector<double>& values) {
      static const char* titles[] = {"paper constant", "chain constant", "best certified witness"};
      static const char* styles[] = {"lw 2 pt 7", "lw 2 pt 5", "lw 2 pt 9"};
      std::string s;
      for (const auto& [x, row] : rows) {
        std::istringstream in(row);
        for (std::string v; in >> v;)
          if (v != "nan") values.push_back(std::stod(v));
      }
      auto finite_in = [&](int col) {
        for (const auto& [x, row] : rows) {
          std::istringstream in(row);
          std::string v[5];
          in >> v[0] >> v[1] >> v[2] >> v[3] >> v[4];
          if (v[col] != "nan" && (col < 3 || (v[3] != "nan" && v[4] != "nan"))) return true;
        }
        return false;
      };
      // sweep --tighten: C*'s certified enclosure as a band under the lines (columns 5 and 6).
      if (finite_in(3))
        // Its two edges as wide lines keep a narrow enclosure visible (hi/lo = 1.01 is 0.004 decades).
        s += "'" + dat + "' using 1:5:6 with filledcurves fs transparent solid 0.3 noborder lc rgb '" +
             std::string(kBandColour) + "' title 'best constant C* (certified enclosure)', '' using 1:5 with lines lw 5 lc rgb '" +
             kBandColour + "' notitle, '' using 1:6 with lines lw 5 lc rgb '" + kBandColour + "' notitle";
      for (int col = 0; col < 3; ++col) {
        if (col == 1 && !has_chain) continue;
        if (!finite_in(col)) continue;
        s += std::string(s.empty() ? "'" + dat + "'" : ", ''") + " using 1:" + std::to_string(col + 2) +
             " with linespoints " + styles[col] + " lc rgb '" + kSeriesColour[col] + "' title '" + titles[col] + "'";
      }
      return s;
    };
    // A slice with one grid point is a table row, not a panel.
    const bool plot_r = r_rows.size() >= 2, plot_n = n_rows.size() >= 2;
    const std::string r_series = series("plots/" + stem + ".by_R.dat", r_rows, r_values),
                      n_series = series("plots/" + stem + ".by_n.dat", n_rows, n_values);
    if (!(plot_r && !r_series.empty()) && !(plot_n && !n_series.empty())) continue;  // nothing finite to draw
    gp << "\nset output 'plots/" << stem << ".svg'\n"
       << "set multiplot layout 1," << (plot_r && plot_n ? 2 : 1) << " title '" << id << "'\n";
    if (plot_r && !r_series.empty())
      gp << "set xlabel 'R (n = " << sl.n0 << ", d = " << sl.d0 << ")'\n" << y_range(r_values) << "plot " << r_series << "\n";
    if (plot_n && !n_series.empty())
      gp << "set xlabel 'n (R = " << sl.r0 << ", d = " << sl.d0 << ")'\n"
         << "set logscale x 2\n" << y_range(n_values) << "plot " << n_series << "\n"
         << "unset logscale x\n";
    gp << "unset multiplot\n"
       << "set autoscale y\n"
       << "set output\n";
    files.plotted_ids.push_back(id);
  }
  // sweep --steps: log10 of each step's slack against R, one line per step.
  bool header = false;
  for (size_t k = 0; k < points.front().reports.size(); ++k) {
    const WitnessSlack* w0 = steps_of(points.front(), k);
    if (!w0 || step_count(*w0) == 0) continue;
    const size_t count = step_count(*w0);
    const std::string id = points.front().reports[k].obligation->meta().id, stem = file_stem(id);
    std::map<double, std::vector<std::string>> rows;  // R → log10 slack per step ("nan": left out)
    for (const auto& pt : points) {
      const WitnessSlack* w = steps_of(pt, k);
      if (!w || pt.settings.n != sl.n0 || pt.settings.d != sl.d0) continue;
      std::vector<std::string> row(count, "nan");
      const auto steps = step_points(*w);
      for (size_t j = 0; j < steps.size() && j < count; ++j)
        if (steps[j].slack) row[j] = plot_log10(*steps[j].slack);
      rows[parse_enclosure(pt.settings.R).mid_double()] = row;
    }
    std::string series;
    std::vector<double> values;
    for (size_t j = 0; j < count; ++j) {
      bool any = false;
      for (const auto& [x, row] : rows)
        if (row[j] != "nan") {
          any = true;
          values.push_back(std::stod(row[j]));
        }
      if (!any) continue;  // a step with no slack anywhere is left out (gnuplot stops on an empty series)
      series += (series.empty() ? gp_quote("plots/" + stem + ".steps.dat") : std::string(", ''")) + " using 1:" +
                std::to_string(j + 2) + " with linespoints lw 2 lc rgb '" + kStepColour[j % std::size(kStepColour)] +
                "' title " + gp_quote(step_title(*w0, j));
    }
    if (series.empty() || rows.size() < 2) continue;  // one grid point: steps.csv has it, no plot
    std::ostringstream dat;
    dat << "# " << id << ": log10 of each step's slack E_j+1/E_j at the best certified witness, against R at n = "
        << sl.n0 << ", d = " << sl.d0 << " (midpoints of certified enclosures; nan: no slack, see steps.csv)\n# R";
    for (size_t j = 0; j < count; ++j) dat << ' ' << (j + 1 == count ? std::string("end") : std::to_string(j + 1));
    dat << '\n';
    for (const auto& [x, row] : rows) {
      dat << x;
      for (const auto& v : row) dat << ' ' << v;
      dat << '\n';
    }
    files.data.push_back({"plots/" + stem + ".steps.dat", dat.str()});
    if (!header) {
      gp << "\n# Steps: log10 of each step's slack at each grid point's best certified witness.\n"
         << "set terminal svg size 960,480 dynamic noenhanced font 'sans,11'\n"
         << "set ylabel 'log10(E_j+1 / E_j)'\n";
      header = true;
    }
    gp << "\nset output 'plots/" << stem << ".steps.svg'\n"
       << "set title " << gp_quote(id + ": each step's slack at the best certified witness") << "\n"
       << "set xlabel 'R (n = " << sl.n0 << ", d = " << sl.d0 << ")'\n"
       << y_range(values) << "plot " << series << "\n"
       << "set autoscale y\n"
       << "unset title\n"
       << "set output\n";
    files.step_plotted_ids.push_back(id);
  }
  files.script = gp.str();
  return files;
}

std::string inline_svg(const std::string& text) {
  const size_t start = text.find("<svg");
  if (start == std::string::npos) return "";
  return text.substr(start);
}

std::string sweep_html(const std::vector<SweepPoint>& points, const std::vector<std::pair<std::string, std::string>>& svg_by_id,
                       const std::string& note, const std::vector<std::string>& arguments,
                       const std::vector<std::pair<std::string, std::string>>& step_svg_by_id) {
  std::ostringstream h;
  h << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n"
    << "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"UTF-8\"/>\n"
    << "<title>certbound sweep</title>\n<style>\n"
    << "body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}"
    << "td,th{border:1px solid #bbb;padding:2px 8px;text-align:right}th{background:#eee}"
    << "td.l,th.l{text-align:left}.note{color:#555}dt{font-weight:bold}.undecided{color:#b03a2e;font-weight:bold}"
    << "svg{max-width:100%;height:auto}\n</style>\n</head>\n<body>\n"
    << "<h1>certbound sweep</h1>\n";
  std::string args;
  for (const auto& a : arguments) args += (args.empty() ? "" : " ") + a;
  if (points.empty()) {
    h << "<p>No grid point was completed.</p>\n";
    if (!note.empty()) h << "<p class=\"note\">" << xml_escape(note) << "</p>\n";
    return h.str() + "</body>\n</html>\n";
  }
  // What was swept, in one sentence.
  size_t nr = 0, nn = 0, nd = 0;
  const std::string rs = distinct(points, [](const Settings& s) { return s.R; }, &nr);
  const std::string ns = distinct(points, [](const Settings& s) { return std::to_string(s.n); }, &nn);
  const std::string ds = distinct(points, [](const Settings& s) { return std::to_string(s.d); }, &nd);
  const auto& reports0 = points.front().reports;
  h << "<p>" << reports0.size() << (reports0.size() == 1 ? " obligation" : " obligations") << " checked at "
    << points.size() << (points.size() == 1 ? " grid point" : " grid points") << ": R " << (nr == 1 ? "= " : "∈ {")
    << xml_escape(rs) << (nr == 1 ? "" : "}") << ", n " << (nn == 1 ? "= " : "∈ {") << ns << (nn == 1 ? "" : "}")
    << ", d " << (nd == 1 ? "= " : "∈ {") << ds << (nd == 1 ? "" : "}") << " (η = " << xml_escape(points.front().settings.eta)
    << ", scale = " << xml_escape(points.front().settings.scale) << ").</p>\n";
  h << "<p class=\"note\">" << xml_escape(args) << "<br/>certbound " << build_info::version << " ("
    << build_info::git_commit << "). Constants are certified enclosures; the tables show their midpoints "
    << "(results.csv has the rounded-outward ends).</p>\n";
  if (!note.empty()) h << "<p class=\"note\">" << xml_escape(note) << "</p>\n";

  // Contents.
  h << "<nav id=\"contents\">\n<h2>Contents</h2>\n<ol>\n<li><a href=\"#summary\">Summary</a></li>\n"
    << "<li><a href=\"#definitions\">Witness ratio and slack</a></li>\n";
  for (const auto& r : reports0)
    h << "<li><a href=\"#" << xml_escape(file_stem(r.obligation->meta().id)) << "\">" << xml_escape(r.obligation->meta().id)
      << "</a></li>\n";
  h << "</ol>\n</nav>\n";

  // Summary: one row per obligation.
  h << "<h2 id=\"summary\">Summary</h2>\n<p>Per obligation: its verdict at each grid point, the cases that stayed "
    << "undecided, and log<sub>10</sub> of the slack at each grid point (an upper bound, rounded up to 0.001; – where there is "
    << "none, with the reason on hover).</p>\n<table id=\"summary-table\">\n<tr><th class=\"l\">obligation</th>"
    << "<th class=\"l\">verdict</th><th>undecided cases</th>";
  for (const auto& pt : points) h << "<th>log<sub>10</sub> slack<br/>" << xml_escape(grid_label(pt.settings)) << "</th>";
  h << "</tr>\n";
  for (size_t k = 0; k < reports0.size(); ++k) {
    const std::string id = reports0[k].obligation->meta().id;
    std::map<std::string, int> verdicts;
    int undecided = 0;
    for (const auto& pt : points) {
      ++verdicts[to_string(pt.reports[k].verdict)];
      undecided += pt.reports[k].counts.undecided;
    }
    std::string verdict;
    for (const auto& [word, count] : verdicts)
      verdict += (verdict.empty() ? "" : ", ") + word +
                 (verdicts.size() == 1 ? std::string() : " at " + std::to_string(count));
    h << "<tr class=\"summary-row\"><td class=\"l\"><a href=\"#" << xml_escape(file_stem(id)) << "\">" << xml_escape(id)
      << "</a></td><td class=\"l\">" << xml_escape(verdict) << "</td><td" << (undecided > 0 ? " class=\"undecided\"" : "")
      << ">" << undecided << "</td>";
    for (const auto& pt : points) {
      std::string why;
      const std::string cell = slack_cell(pt.reports[k], &why);
      h << "<td" << (why.empty() ? "" : " title=\"" + xml_escape(why) + "\"") << ">" << cell << "</td>";
    }
    h << "</tr>\n";
  }
  h << "</table>\n";

  h << "<h2 id=\"definitions\">Witness ratio and slack</h2>\n<dl>\n"
    << "<dt>witness ratio</dt><dd>Over the certified cases inside the statement's hypotheses, the largest certified "
    << "lower end of LHS / (C·F), C the paper's constant and F the rest of the right-hand side (for a lower bound, "
    << "of C·F / LHS). 1 means the bound is attained by a case; 10<sup>−70</sup> that no case came within 70 decades "
    << "of it.</dd>\n"
    << "<dt>best certified witness</dt><dd>The witness ratio times the paper's constant: a certified lower bound on "
    << "the smallest constant for which the statement can hold.</dd>\n"
    << "<dt>slack</dt><dd>The paper's constant divided by the best certified witness: since the smallest valid "
    << "constant lies between the two, the paper's constant is at most this factor too large. It is evidence from "
    << "the cases tried, shown as log<sub>10</sub>, so a slack of e<sup>160</sup> is about 69.5.</dd>\n";
  bool tightened = false;
  for (const auto& pt : points) tightened = tightened || !pt.best.empty();
  if (tightened)
    h << "<dt>best constant C*</dt><dd>The smallest constant for which the statement holds at that grid point "
      << "(sweep --tighten): one end comes from a certified witness, the other from the smallest scale of the "
      << "constant at which a complete proof closed, so C* ∈ [lo, hi] is certified from both sides. \"On the box\": the proof covers a "
      << "box of the domain, and C* is the best constant there. The plots draw it as a green band.</dd>\n";
  h << "</dl>\n";

  std::map<std::string, std::string> svgs(svg_by_id.begin(), svg_by_id.end());
  std::map<std::string, std::string> step_svgs(step_svg_by_id.begin(), step_svg_by_id.end());
  const Slices sl = slices(points);
  for (size_t k = 0; k < reports0.size(); ++k) {
    const Obligation& ob = *reports0[k].obligation;
    const Meta& m = ob.meta();
    h << "<h2 id=\"" << xml_escape(file_stem(m.id)) << "\">" << xml_escape(m.id) << "</h2>\n<p>" << math_html(m.statement)
      << " <span class=\"note\">(" << xml_escape(m.provenance) << "; " << math_html(m.citation) << ")</span></p>\n";
    const PlotChoice choice = plot_choice(points, k, sl);
    if (const auto it = svgs.find(m.id); it != svgs.end()) {
      h << "<div class=\"plot\" id=\"plot-" << xml_escape(file_stem(m.id)) << "\">\n" << it->second << "\n</div>\n";
    } else if (choice == PlotChoice::attained) {
      h << "<p class=\"plot-note\">At every grid point the best certified witness equals the paper constant (log<sub>10</sub> "
        << "slack below 0.001): the constant is attained, so there is nothing to plot.</p>\n";
    } else if (choice == PlotChoice::one_point) {
      h << "<p class=\"plot-note\">One grid point per slice: the table is the whole picture, no plot.</p>\n";
    } else if (choice == PlotChoice::no_constant) {
      h << "<p class=\"plot-note\">No constant (an identity or a statement without one): nothing to plot.</p>\n";
    }
    std::vector<const Enclosure*> paper, chain, witness;
    std::vector<Enclosure> ratios;
    ratios.reserve(points.size());
    for (const auto& pt : points) {
      const ObligationReport& r = pt.reports[k];
      paper.push_back(r.paper_constant ? &*r.paper_constant : nullptr);
      chain.push_back(r.chain_constant ? &r.chain_constant->value : nullptr);
      witness.push_back(r.witness_constant ? &*r.witness_constant : nullptr);
      ratios.push_back(Enclosure{r.witness_ratio_lower_exact, r.witness_ratio_lower_exact});
    }
    std::vector<const Enclosure*> ratio_ptrs;
    for (const auto& e : ratios) ratio_ptrs.push_back(&e);
    // sweep --tighten: C*'s ends, in one format per column like the others.
    std::vector<const Enclosure*> best_lo, best_hi;
    bool any_best = false;
    for (const auto& pt : points) {
      const BestConstant* b = best_of(pt, k);
      best_lo.push_back(b && b->lo ? &*b->lo : nullptr);
      best_hi.push_back(b && b->hi ? &*b->hi : nullptr);
      any_best = any_best || b != nullptr;
    }
    const auto paper_t = number_column(paper), chain_t = number_column(chain), witness_t = number_column(witness),
               ratio_t = number_column(ratio_ptrs, 6), best_lo_t = number_column(best_lo), best_hi_t = number_column(best_hi);
    h << "<table>\n<tr><th>R</th><th>n</th><th>d</th><th class=\"l\">verdict</th><th>cases</th><th>undecided</th>"
      << "<th>paper constant</th><th>chain constant</th><th>best certified witness</th><th>witness ratio</th>"
      << "<th>log<sub>10</sub> slack</th>" << (any_best ? "<th>best constant C* ∈ [lo, hi]</th>" : "") << "</tr>\n";
    for (size_t i = 0; i < points.size(); ++i) {
      const auto& pt = points[i];
      const ObligationReport& r = pt.reports[k];
      std::string why;
      const std::string slack = slack_cell(r, &why);
      h << "<tr><td>" << xml_escape(pt.settings.R) << "</td><td>" << pt.settings.n << "</td><td>" << pt.settings.d
        << "</td><td class=\"l\">" << to_string(r.verdict) << "</td><td>" << r.counts.total << "</td><td"
        << (r.counts.undecided > 0 ? " class=\"undecided\"" : "") << ">" << r.counts.undecided << "</td><td>"
        << paper_t[i] << "</td><td>" << chain_t[i] << "</td><td>" << witness_t[i] << "</td><td>" << ratio_t[i]
        << "</td><td" << (why.empty() ? "" : " title=\"" + xml_escape(why) + "\"") << ">" << slack << "</td>";
      if (any_best) h << best_cell(best_of(pt, k), best_lo_t[i], best_hi_t[i]);
      h << "</tr>\n";
    }
    h << "</table>\n";
    if (const auto it = step_svgs.find(m.id); it != step_svgs.end())
      h << "<p>Each step of its derivation: log<sub>10</sub> of the slack E<sub>j+1</sub>/E<sub>j</sub> at each grid "
        << "point's best certified witness (steps.csv has the certified ends, and says which steps are left out and "
        << "why).</p>\n<div class=\"steps-plot\" id=\"steps-" << xml_escape(file_stem(m.id)) << "\">\n" << it->second
        << "\n</div>\n";
  }
  h << "</body>\n</html>\n";
  return h.str();
}

}  // namespace certbound::report
