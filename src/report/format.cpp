// Short renderings of numbers shared by the terminal table, Markdown and the sweep page.
#include "certbound/report/report.hpp"

#include <cmath>
#include <cstdio>

namespace certbound::report {

using nlohmann::json;

std::size_t display_width(const std::string& text) {
  std::size_t columns = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const int length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    unsigned cp = length == 1 ? c : c & (0x7F >> length);
    for (int k = 1; k < length && i + k < text.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    i += length;
    const bool combining = (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x20D0 && cp <= 0x20FF);
    columns += combining ? 0 : 1;
  }
  return columns;
}

std::string pad_right(const std::string& text, std::size_t width) {
  const std::size_t w = display_width(text);
  return text + std::string(w >= width ? 1 : width - w, ' ');
}

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
