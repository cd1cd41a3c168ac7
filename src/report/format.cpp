// Short renderings of numbers shared by the terminal table, Markdown and the sweep page.
#include "certbound/report/report.hpp"

#include <cmath>
#include <cstdio>

namespace certbound::report {

using nlohmann::json;

std::string short_number(const Enclosure& e) {
  if (e.has_nan()) return "-";
  const double m = e.mid_double();
  char buf[64];
  if (std::isfinite(m) && (m == 0 || (std::fabs(m) < 1e15 && std::fabs(m) > 1e-6))) {
    std::snprintf(buf, sizeof buf, "%.4g", m);
    return buf;
  }
  if (!e.certainly_positive()) {
    std::snprintf(buf, sizeof buf, "%.3e", m);
    return buf;
  }
  const Enclosure l = e.log10();
  std::snprintf(buf, sizeof buf, "10^%.2f", l.mid_double());
  return buf;
}

/// Slack of the paper constant over the best witness: paper / witness, as a short string.
std::string slack_text(const ObligationReport& r) {
  if (!r.paper_constant || !r.witness_constant || !r.witness_constant->certainly_positive()) return "-";
  if (r.obligation->meta().direction != Direction::upper_bound) return "-";
  const Enclosure lp = r.paper_constant->log10(), lw = r.witness_constant->log10();
  const double slack_log10 = lp.upper_double() - lw.lower_double();  // an upper bound on log10(slack)
  char buf[64];
  if (slack_log10 < 6) std::snprintf(buf, sizeof buf, "%.4g", std::pow(10.0, slack_log10));
  else std::snprintf(buf, sizeof buf, "10^%.1f", slack_log10);
  return buf;
}

}  // namespace certbound::report
