// The terminal table of a check.
#include "certbound/report/report.hpp"

#include <cstdio>
#include <sstream>

namespace certbound::report {

using nlohmann::json;

std::string check_table(const std::vector<ObligationReport>& reports) {
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-24s %-10s %6s %-22s %-12s %-12s %-12s %-10s %7s\n", "obligation", "verdict",
                "cases", "worst ratio", "paper C", "chain C", "witness C", "slack", "time");
  out << line;
  for (const auto& r : reports) {
    std::string ratio = "-";
    if (r.worst && !r.worst->result.ratio.has_nan()) {
      char b[64];
      std::snprintf(b, sizeof b, "%.6g", r.worst->result.ratio.mid_double());
      ratio = b;
    }
    std::string cases = std::to_string(r.counts.total);
    std::snprintf(line, sizeof line, "%-24s %-10s %6s %-22s %-12s %-12s %-12s %-10s %6.2fs\n",
                  r.obligation->meta().id.c_str(), to_string(r.verdict), cases.c_str(), ratio.c_str(),
                  r.paper_constant ? short_number(*r.paper_constant).c_str() : "-",
                  r.chain_constant ? short_number(r.chain_constant->value).c_str() : "-",
                  r.witness_constant ? short_number(*r.witness_constant).c_str() : "-", slack_text(r).c_str(), r.seconds);
    out << line;
    if (r.interrupted) {
      std::snprintf(line, sizeof line, "%-24s   interrupted: %d cases certified before the stop\n", "", r.counts.total);
      out << line;
    } else if (r.verdict == Verdict::no_cases) {
      std::snprintf(line, sizeof line, "%-24s   every case outside the domain (%d): %s\n", "", r.counts.out_of_domain,
                    r.out_of_domain_note.c_str());
      out << line;
    } else if (r.counts.tight + r.counts.degenerate + r.counts.undecided + r.counts.violated + r.counts.refuted > 0) {
      std::snprintf(line, sizeof line, "%-24s   holds %d, tight %d, degenerate %d, undecided %d, violated %d%s\n", "",
                    r.counts.holds, r.counts.tight, r.counts.degenerate, r.counts.undecided, r.counts.violated + r.counts.refuted,
                    r.undecided_notes.empty() ? "" : ("; " + r.undecided_notes.front()).c_str());
      out << line;
    }
  }
  return out.str();
}

}  // namespace certbound::report
