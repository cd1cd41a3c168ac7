// Text and JSON for derivation steps evaluated on cases (report/step_report.hpp).
#include "certbound/report/step_report.hpp"

#include <cmath>
#include <cstdio>

namespace certbound::report {

using nlohmann::json;

namespace {

std::string number(const std::optional<double>& x, int digits) {
  if (!x) return "-";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, *x);
  return buf;
}

}  // namespace

std::string interval_text(const Interval& x, int digits) { return Enclosure::of(x).str(digits); }

std::string steps_table(const StepReportSet& r) {
  const std::string id = r.obligation ? r.obligation->meta().id : "?";
  if (!r.has_derivation) return id + ": " + (r.note.empty() ? "no derivation" : r.note) + "\n";
  std::string out = "steps of " + id + ": " + std::to_string(r.inside) + " cases inside the statement's hypotheses, " +
                    std::to_string(r.outside) + " outside" +
                    (r.not_evaluable ? ", " + std::to_string(r.not_evaluable) + " not evaluable" : "") +
                    "; kernel: " + (r.kernel_proved ? "proved" : "not proved") + "\n";
  if (!r.outside_note.empty()) out += "  first outside: " + r.outside_note + "\n";
  if (!r.note.empty()) out += "  note: " + r.note + "\n";
  char line[256];
  std::snprintf(line, sizeof line, "  %4s %6s %8s %9s %10s %11s %12s  %s\n", "step", "holds", "violated", "undecided",
                "consistent", "min margin", "worst slack", "justification");
  out += line;
  for (const StepSummary& s : r.steps) {
    std::snprintf(line, sizeof line, "  %4s %6d %8d %9d %10d %11s %12s  ",
                  (s.step == static_cast<int>(r.steps.size()) ? std::string("end") : std::to_string(s.step)).c_str(),
                  s.holds, s.violated, s.undecided, s.consistent, number(s.min_margin, 3).c_str(),
                  number(s.worst_slack, 7).c_str());
    out += line + s.justification + (s.identity ? " [identity]" : "") + (s.accepted ? "" : " [not accepted by the kernel]") +
           "\n";
  }
  for (const StepSummary& s : r.steps)
    if (s.violated > 0 && s.accepted)
      out += "  STEP " + std::to_string(s.step) + " IS VIOLATED (" + s.justification +
             "): the kernel accepted a step that is false at a certified case\n";
  return out;
}

json steps_json(const StepReportSet& r) {
  json steps = json::array();
  for (const StepSummary& s : r.steps) {
    json j = {{"step", s.step},           {"justification", s.justification}, {"identity", s.identity},
              {"accepted", s.accepted},   {"holds", s.holds},                 {"violated", s.violated},
              {"undecided", s.undecided}, {"consistent", s.consistent}};
    j["min_margin_lower"] = s.min_margin ? json(*s.min_margin) : json(nullptr);
    j["worst_slack_lower"] = s.worst_slack ? json(*s.worst_slack) : json(nullptr);
    steps.push_back(std::move(j));
  }
  return {{"obligation", r.obligation ? r.obligation->meta().id : ""},
          {"has_derivation", r.has_derivation},
          {"kernel_proved", r.kernel_proved},
          {"cases", r.cases},
          {"inside", r.inside},
          {"outside", r.outside},
          {"not_evaluable", r.not_evaluable},
          {"note", r.note},
          {"false_accepted_steps", r.false_accepted_steps()},
          {"steps", steps}};
}

}  // namespace certbound::report
