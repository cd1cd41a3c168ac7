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
  files.script = gp.str();
  return files;
}

std::string inline_svg(const std::string& text) {
  const size_t start = text.find("<svg");
  if (start == std::string::npos) return "";
  return text.substr(start);
}

std::string sweep_html(const std::vector<SweepPoint>& points, const std::vector<std::pair<std::string, std::string>>& svg_by_id,
                       const std::string& note, const std::vector<std::string>& arguments) {
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
  }
  h << "</body>\n</html>\n";
  return h.str();
}

}  // namespace certbound::report
