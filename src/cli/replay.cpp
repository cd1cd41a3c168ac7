// certbound replay FILE [--precision BITS]: re-verify a saved counterexample at high precision,
// with no search. Exit 0 "confirmed" (a certified violation), 1 "holds"/"undecided", 2 unreadable.
#include <cstdio>
#include <fstream>
#include <sstream>

#include "certbound/arith/input_error.hpp"
#include "certbound/report/report.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace certbound::cli {
namespace {

struct ReplayCommand {
  std::string path;
  unsigned precision = 1025;

  int run() const {
    validate_precision(precision);
    const nlohmann::json j = read_json_file(path);
    report::Counterexample cx;
    try {
      cx = report::parse_counterexample(j);
    } catch (const InputError& e) {
      throw BadInput("'" + path + "': " + e.what());
    }
    const Obligation* ob = find_obligation(cx.id);
    if (!ob) throw BadInput("'" + path + "' names an unknown obligation '" + cx.id + "'");
    validate_settings(cx.settings);
    for (const auto& spec : ob->inputs(cx.settings)) {
      auto it = cx.input.inputs.find(spec.name);
      if (it == cx.input.inputs.end()) throw BadInput("'" + path + "': missing input '" + spec.name + "'");
      if (it->second.rows() != spec.rows || it->second.cols() != spec.cols)
        throw BadInput("'" + path + "': input '" + spec.name + "' has shape " + std::to_string(it->second.rows()) + "x" +
                       std::to_string(it->second.cols()) + ", expected " + std::to_string(spec.rows) + "x" +
                       std::to_string(spec.cols));
    }
    // Re-verify at the top precision directly: no search, an arithmetic path independent of the
    // double one that found it.
    CaseResult r = certify(*ob, cx.input, cx.settings, precision, precision);
    const bool confirmed = r.status == CaseStatus::violated || r.status == CaseStatus::refuted;
    // A counterexample is confirmed, or the line says plainly that it is not, and what the point is
    // instead (holds, tight, undecided, outside the domain), with the certified margin. A saved
    // case (an undecided one) claims nothing: its status now is printed.
    const std::string verdict = cx.saved_case ? std::string("saved case, now ") + to_string(r.status)
                                : confirmed   ? std::string("confirmed (certified violation)")
                                              : std::string("not confirmed: the point is ") + to_string(r.status);
    std::printf("%s: %s at %u bits; margin %s%s%s\n", cx.id.c_str(), verdict.c_str(), r.bits, r.margin.str(17).c_str(),
                r.note.empty() ? "" : "; ", r.note.c_str());
    // The parameters are part of the claim: at --scale c the violation is of the scaled statement.
    std::printf("  parameters %s%s\n", parameters_text(cx.settings).c_str(),
                cx.settings.scale == "1" ? "" : (": the statement with its constant scaled by " + cx.settings.scale).c_str());
    if (cx.saved_case) return confirmed ? kViolated : r.status == CaseStatus::undecided ? kUndecided : kOk;
    return confirmed ? kOk : kViolated;
  }
};

const bool registered_replay = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<ReplayCommand>();
  auto* sub = app.add_subcommand("replay", "re-verify a saved counterexample without search");
  sub->add_option("file", cmd->path, "counterexample JSON")->required();
  sub->add_option("--precision", cmd->precision, "highest precision in bits")->capture_default_str();
  return [cmd] { return cmd->run(); };
});

}  // namespace
}  // namespace certbound::cli
