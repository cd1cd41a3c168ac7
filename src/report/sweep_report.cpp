#include "certbound/report/sweep.hpp"

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
         "witness_constant_lo,witness_constant_hi,log10_witness_constant,witness_ratio_lower,seconds\n";
  for (const auto& pt : points) {
    for (const auto& r : pt.reports) {
      const auto [plo, phi] = ends(r.paper_constant);
      const auto [clo, chi] = ends(chain_value(r));
      const auto [wlo, whi] = ends(r.witness_constant);
      char ratio[64], secs[32];
      std::snprintf(ratio, sizeof ratio, "%.17g", r.witness_ratio_lower);
      std::snprintf(secs, sizeof secs, "%.3f", r.seconds);
      out << csv_field(r.obligation->meta().id) << ',' << csv_field(pt.settings.R) << ',' << pt.settings.n << ','
          << pt.settings.d << ',' << to_string(r.verdict) << ',' << r.counts.total << ',' << r.counts.holds << ','
          << r.counts.tight << ',' << r.counts.degenerate << ',' << r.counts.undecided << ',' << r.counts.violated + r.counts.refuted << ','
          << r.counts.out_of_domain << ',' << plo << ',' << phi << ',' << log10_text(r.paper_constant) << ','
          << csv_field(r.chain_constant ? r.chain_constant->expression : "") << ',' << clo << ',' << chi << ','
          << log10_text(chain_value(r)) << ',' << wlo << ',' << whi << ',' << log10_text(r.witness_constant) << ','
          << ratio << ',' << secs << '\n';
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
    if (!first.paper_constant) continue;
    const std::string id = first.obligation->meta().id, stem = file_stem(id);
    const bool has_chain = first.chain_constant.has_value();
    // Columns: x, log10 paper, log10 chain, log10 witness.
    std::ostringstream by_r, by_n;
    by_r << "# " << id << " against R at n = " << sl.n0 << ", d = " << sl.d0 << "\n# R paper chain witness\n";
    by_n << "# " << id << " against n at R = " << sl.r0 << ", d = " << sl.d0 << "\n# n paper chain witness\n";
    std::map<double, std::string> r_rows, n_rows;  // sorted by x
    for (const auto& pt : points) {
      const ObligationReport& r = pt.reports[k];
      const std::string row = log10_text(r.paper_constant) + " " + log10_text(chain_value(r)) + " " +
                              log10_text(r.witness_constant) + "\n";
      if (pt.settings.n == sl.n0 && pt.settings.d == sl.d0)
        r_rows[parse_enclosure(pt.settings.R).mid_double()] = row;
      if (pt.settings.R == sl.r0 && pt.settings.d == sl.d0) n_rows[pt.settings.n] = row;
    }
    for (const auto& [x, row] : r_rows) by_r << x << ' ' << row;
    for (const auto& [x, row] : n_rows) by_n << x << ' ' << row;
    files.data.push_back({"plots/" + stem + ".by_R.dat", by_r.str()});
    files.data.push_back({"plots/" + stem + ".by_n.dat", by_n.str()});
    // Only series with at least one finite point (gnuplot stops on a series with none).
    auto series = [&](const std::string& dat, const std::map<double, std::string>& rows) {
      static const char* titles[] = {"paper constant", "chain constant", "best certified witness"};
      static const char* styles[] = {"lw 2 pt 7", "lw 2 pt 5", "lw 2 pt 9"};
      std::string s;
      for (int col = 0; col < 3; ++col) {
        if (col == 1 && !has_chain) continue;
        bool any = false;
        for (const auto& [x, row] : rows) {
          std::istringstream in(row);
          std::string v[3];
          in >> v[0] >> v[1] >> v[2];
          any = any || v[col] != "nan";
        }
        if (!any) continue;
        s += std::string(s.empty() ? "'" + dat + "'" : ", ''") + " using 1:" + std::to_string(col + 2) +
             " with linespoints " + styles[col] + " title '" + titles[col] + "'";
      }
      return s;
    };
    gp << "\nset output 'plots/" << stem << ".svg'\n"
       << "set multiplot layout 1,2 title '" << id << "'\n"
       << "set xlabel 'R (n = " << sl.n0 << ", d = " << sl.d0 << ")'\n"
       << "plot " << series("plots/" + stem + ".by_R.dat", r_rows) << "\n"
       << "set xlabel 'n (R = " << sl.r0 << ", d = " << sl.d0 << ")'\n"
       << "set logscale x 2\n"
       << "plot " << series("plots/" + stem + ".by_n.dat", n_rows) << "\n"
       << "unset logscale x\n"
       << "unset multiplot\n"
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
    for (size_t j = 0; j < count; ++j) {
      bool any = false;
      for (const auto& [x, row] : rows) any = any || row[j] != "nan";
      if (!any) continue;  // a step with no slack anywhere is left out (gnuplot stops on an empty series)
      series += (series.empty() ? gp_quote("plots/" + stem + ".steps.dat") : std::string(", ''")) + " using 1:" +
                std::to_string(j + 2) + " with linespoints lw 2 title " + gp_quote(step_title(*w0, j));
    }
    if (series.empty()) continue;
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
       << "plot " << series << "\n"
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
    << "td.l{text-align:left}.note{color:#555}\n</style>\n</head>\n<body>\n"
    << "<h1>certbound sweep</h1>\n";
  std::string args;
  for (const auto& a : arguments) args += (args.empty() ? "" : " ") + a;
  h << "<p class=\"note\">" << xml_escape(args) << "<br/>certbound " << build_info::version << " ("
    << build_info::git_commit << "). Constants are certified enclosures; the table shows their midpoints "
    << "(results.csv has the rounded-outward ends). Plots use log<sub>10</sub> of the constants, so a slack "
    << "of e<sup>160</sup> is a gap of about 69.5.</p>\n";
  if (!note.empty()) h << "<p class=\"note\">" << xml_escape(note) << "</p>\n";
  if (points.empty()) return h.str() + "</body>\n</html>\n";
  std::map<std::string, std::string> svgs(svg_by_id.begin(), svg_by_id.end());
  std::map<std::string, std::string> step_svgs(step_svg_by_id.begin(), step_svg_by_id.end());
  for (size_t k = 0; k < points.front().reports.size(); ++k) {
    const Obligation& ob = *points.front().reports[k].obligation;
    const Meta& m = ob.meta();
    h << "<h2 id=\"" << xml_escape(file_stem(m.id)) << "\">" << xml_escape(m.id) << "</h2>\n<p>"
      << xml_escape(m.statement) << " <span class=\"note\">(" << xml_escape(m.provenance) << "; "
      << xml_escape(m.citation) << ")</span></p>\n";
    if (const auto it = svgs.find(m.id); it != svgs.end())
      h << "<div class=\"plot\" id=\"plot-" << xml_escape(file_stem(m.id)) << "\">\n" << it->second << "\n</div>\n";
    h << "<table>\n<tr><th>R</th><th>n</th><th>d</th><th>verdict</th><th>cases</th><th>paper constant</th>"
      << "<th>chain constant</th><th>best certified witness</th><th>witness ratio</th></tr>\n";
    for (const auto& pt : points) {
      const ObligationReport& r = pt.reports[k];
      char ratio[64];
      std::snprintf(ratio, sizeof ratio, "%.6g", r.witness_ratio_lower);
      h << "<tr><td>" << xml_escape(pt.settings.R) << "</td><td>" << pt.settings.n << "</td><td>" << pt.settings.d
        << "</td><td class=\"l\">" << to_string(r.verdict) << "</td><td>" << r.counts.total << "</td><td>"
        << (r.paper_constant ? short_number(*r.paper_constant) : "-") << "</td><td>"
        << (r.chain_constant ? short_number(r.chain_constant->value) : "-") << "</td><td>"
        << (r.witness_constant ? short_number(*r.witness_constant) : "-") << "</td><td>" << ratio << "</td></tr>\n";
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
