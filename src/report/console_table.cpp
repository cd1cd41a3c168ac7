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
  // Each number column takes one format, decided from all its values (format.cpp).
  std::vector<const ObligationReport*> rows;
  std::vector<const Enclosure*> paper, chain, witness;
  for (const auto& r : reports) {
    rows.push_back(&r);
    paper.push_back(r.paper_constant ? &*r.paper_constant : nullptr);
    chain.push_back(r.chain_constant ? &r.chain_constant->value : nullptr);
    witness.push_back(r.witness_constant ? &*r.witness_constant : nullptr);
  }
  const auto ratio_text = ratio_column(rows), paper_text = number_column(paper), chain_text = number_column(chain),
             witness_text = number_column(witness), slack = slack_column(rows);
  for (size_t i = 0; i < reports.size(); ++i) {
    const ObligationReport& r = reports[i];
    std::string cases = std::to_string(r.counts.total);
    std::snprintf(line, sizeof line, "%-24s %-10s %6s %-22s %-12s %-12s %-12s %-10s %6.2fs\n",
                  r.obligation->meta().id.c_str(), to_string(r.verdict), cases.c_str(), ratio_text[i].c_str(),
                  paper_text[i].c_str(), chain_text[i].c_str(), witness_text[i].c_str(), slack[i].c_str(), r.seconds);
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
