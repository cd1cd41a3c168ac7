// The Markdown table of a check.
#include "certbound/report/report.hpp"

#include <sstream>

namespace certbound::report {

using nlohmann::json;

std::string check_markdown(const std::vector<ObligationReport>& reports, const CheckOptions& options) {
  std::ostringstream out;
  const Settings& s = options.settings;
  out << "| obligation | provenance | verdict | cases | worst ratio | paper constant | chain constant | certified witness | slack |\n";
  out << "|---|---|---|---|---|---|---|---|---|\n";
  std::vector<const ObligationReport*> rows;
  for (const auto& r : reports) rows.push_back(&r);
  const auto slack = slack_column(rows);  // one format for the column
  for (size_t i = 0; i < reports.size(); ++i) {
    const ObligationReport& r = reports[i];
    std::string ratio = "-";
    if (r.worst && !r.worst->result.ratio.has_nan()) ratio = r.worst->result.ratio.str(6);
    out << "| `" << r.obligation->meta().id << "` | " << r.obligation->meta().provenance << " | "
        << to_string(r.verdict) << " | " << r.counts.total
        << (r.counts.degenerate > 0 ? " (" + std::to_string(r.counts.degenerate) + " degenerate)" : std::string()) << " | "
        << ratio << " | "
        << (r.paper_constant ? r.paper_constant->str(6) : "-") << " | "
        << (r.chain_constant ? r.chain_constant->expression + " = " + r.chain_constant->value.str(6) : "-") << " | "
        << (r.witness_constant ? r.witness_constant->str(6) : "-") << " | " << slack[i] << " |\n";
  }
  for (const auto& r : reports)
    if (r.interrupted) {
      out << "\nInterrupted (Ctrl-C or SIGTERM): the counts cover the cases certified before the stop.\n";
      break;
    }
  out << "\nParameters: n = " << s.n << ", d = " << s.d << ", R = " << s.R << ", η = " << s.eta
      << ", scale = " << s.scale << ", seed = " << options.seed << ". Enclosures are rounded outward.\n";
  return out.str();
}

}  // namespace certbound::report
