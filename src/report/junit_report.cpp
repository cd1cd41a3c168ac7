// JUnit XML: one test case per obligation (check) or per check and proof (ci).
#include "certbound/report/report.hpp"

#include <sstream>

namespace certbound::report {

using nlohmann::json;

std::string xml_escape(const std::string& t) {
  std::string o;
  for (char ch : t) {
    switch (ch) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += ch;
    }
  }
  return o;
}

std::string junit_xml(const std::string& suite, const std::vector<JunitCase>& cases) {
  const auto escape = xml_escape;
  int failures = 0;
  double total = 0;
  for (const auto& c : cases) {
    failures += !c.failure.empty();
    total += c.seconds;
  }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites><testsuite name=\"" << escape(suite) << "\" tests=\"" << cases.size() << "\" failures=\""
      << failures << "\" time=\"" << total << "\">\n";
  for (const auto& c : cases) {
    out << "  <testcase classname=\"" << escape(suite) << "\" name=\"" << escape(c.name) << "\" time=\"" << c.seconds
        << "\">";
    if (!c.failure.empty()) out << "<failure message=\"" << escape(c.failure) << "\"/>";
    if (!c.output.empty()) out << "<system-out>" << escape(c.output) << "</system-out>";
    out << "</testcase>\n";
  }
  out << "</testsuite></testsuites>\n";
  return out.str();
}

std::string check_junit(const std::vector<ObligationReport>& reports) {
  std::vector<JunitCase> cases;
  for (const auto& r : reports) {
    const auto& n = r.counts;
    JunitCase c{r.obligation->meta().id, r.seconds, "",
                std::string(to_string(r.verdict)) + ": " + std::to_string(n.total) + " cases, holds " + std::to_string(n.holds) +
                    ", tight " + std::to_string(n.tight) + ", degenerate " + std::to_string(n.degenerate) + ", undecided " +
                    std::to_string(n.undecided) + ", violated " + std::to_string(n.violated + n.refuted)};
    if (r.verdict == Verdict::violated || r.verdict == Verdict::refuted) {
      c.failure = std::string(to_string(r.verdict)) + ": ";
      if (r.worst) c.failure += "margin " + r.worst->result.margin.str(17);
    }
    cases.push_back(std::move(c));
  }
  return junit_xml("certbound.check", cases);
}

}  // namespace certbound::report
