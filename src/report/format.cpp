// Short renderings of numbers shared by the terminal table, Markdown and the sweep page.
// Sound for display: every number is rendered from its MPFR enclosure (midpoint or log10 computed
// there), never from a double that overflowed or underflowed, and a column takes one format
// decided from all its values.
#include "certbound/report/report.hpp"

#include <mpfr.h>

#include <algorithm>
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

namespace {

bool missing(const Enclosure* e) { return e == nullptr || e->has_nan() || mpfr_inf_p(e->lo.get()) || mpfr_inf_p(e->hi.get()); }

/// 0, or a midpoint whose magnitude lies in [1e-6, 1e15): "%.4g" shows it well.
bool plain_range(const Enclosure& e) {
  const BigFloat m = e.mid();
  if (mpfr_zero_p(m.get())) return true;
  BigFloat a(m.precision());
  mpfr_abs(a.get(), m.get(), MPFR_RNDN);
  return mpfr_cmp_d(a.get(), 1e-6) >= 0 && mpfr_cmp_d(a.get(), 1e15) < 0;
}

std::string mpfr_text(const char* format, const BigFloat& b) {
  const int n = mpfr_snprintf(nullptr, 0, format, b.get());
  std::string out(static_cast<size_t>(n) + 1, '\0');
  mpfr_snprintf(out.data(), out.size(), format, b.get());
  out.resize(static_cast<size_t>(n));
  return out;
}

/// "10^x" of a certainly positive enclosure: x from the log10 enclosure computed in MPFR from the
/// value's own ends. x is the log's midpoint to 2 decimals when the log enclosure is at most 0.01
/// wide, else both ends ("10^[a, b]", rounded outward).
std::string power_of_ten(const Enclosure& e) {
  const Enclosure l = e.log10();
  BigFloat width(53);
  mpfr_sub(width.get(), l.hi.get(), l.lo.get(), MPFR_RNDU);
  if (mpfr_cmp_d(width.get(), 0.01) <= 0) return "10^" + mpfr_text("%.2Rf", l.mid());
  return "10^[" + mpfr_text("%.2RDf", l.lo) + ", " + mpfr_text("%.2RUf", l.hi) + "]";
}

}  // namespace

std::vector<std::string> number_column(const std::vector<const Enclosure*>& values, int digits) {
  bool plain = true, positive = true;
  for (const Enclosure* e : values) {
    if (missing(e)) continue;
    plain = plain && plain_range(*e);
    positive = positive && e->certainly_positive();
  }
  std::vector<std::string> out;
  for (const Enclosure* e : values) {
    if (missing(e)) {
      out.push_back(e != nullptr && !e->has_nan() ? e->str(4) : "-");  // an unbounded enclosure: its ends
      continue;
    }
    char buf[64];
    if (plain) {
      std::snprintf(buf, sizeof buf, "%.*g", digits, e->mid_double());
      out.push_back(buf);
    } else if (positive) {
      out.push_back(power_of_ten(*e));
    } else {
      out.push_back(mpfr_text("%.3Re", e->mid()));
    }
  }
  return out;
}

std::string short_number(const Enclosure& e) { return number_column({&e}).front(); }

std::optional<double> log10_slack_upper(const ObligationReport& r) {
  if (!r.paper_constant || !r.witness_constant || !r.witness_constant->certainly_positive()) return std::nullopt;
  if (!r.paper_constant->certainly_positive()) return std::nullopt;
  if (r.obligation->meta().direction != Direction::upper_bound) return std::nullopt;
  const Enclosure lp = r.paper_constant->log10(), lw = r.witness_constant->log10();
  BigFloat d(64);
  mpfr_sub(d.get(), lp.hi.get(), lw.lo.get(), MPFR_RNDU);  // an upper bound on log10(paper / witness)
  const double x = d.to_double(MPFR_RNDU);
  if (!std::isfinite(x)) return std::nullopt;
  return x;
}

std::vector<std::string> slack_column(const std::vector<const ObligationReport*>& reports) {
  std::vector<std::optional<double>> logs;
  bool plain = true;
  for (const ObligationReport* r : reports) {
    logs.push_back(log10_slack_upper(*r));
    if (logs.back() && *logs.back() >= 6) plain = false;
  }
  std::vector<std::string> out;
  for (const auto& x : logs) {
    char buf[64];
    if (!x) std::snprintf(buf, sizeof buf, "-");
    else if (plain) std::snprintf(buf, sizeof buf, "%.4g", std::pow(10.0, *x));
    else std::snprintf(buf, sizeof buf, "10^%.1f", std::ceil(*x * 10) / 10);  // rounded up: still an upper bound
    out.push_back(buf);
  }
  return out;
}

/// Slack of the paper constant over the best witness: paper / witness, as a short string.
std::string slack_text(const ObligationReport& r) { return slack_column({&r}).front(); }

std::vector<std::string> ratio_column(const std::vector<const ObligationReport*>& reports) {
  std::vector<const Enclosure*> values;
  for (const ObligationReport* r : reports)
    values.push_back(r->worst && !r->worst->result.ratio.has_nan() ? &r->worst->result.ratio : nullptr);
  return number_column(values, 6);
}

}  // namespace certbound::report
