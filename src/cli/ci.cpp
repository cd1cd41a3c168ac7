// certbound ci [--expected FILE] [--update] [--junit FILE]: the paper's claims as CI checks.
//
// proofs/expected.json lists check runs (settings, budgets, seed) and small proofs, with the
// verdict, witness ratio and proof status each is expected to reach. `ci` runs them all and fails
// (exit 1) when anything regresses:
//   check  the verdict changed (holds → undecided/violated, or a sharp obligation's expected
//          violation under --scale < 1 was no longer found), or the witness ratio dropped by more
//          than a relative 1e-6 (the search is deterministic; the tolerance absorbs libm changes);
//   prove  the status changed (proved → undetermined, an expected refutation not found; a
//          proved-on-box is never counted as proved, nor a partial one);
//   all-n  an all-n proof (prove --all-n) no longer checks, or a derivation that must fail (the
//          sharp constants scaled by 0.999) is suddenly accepted: that would be an unsound kernel;
//   tighten  the certified enclosure [lo, hi] of a best constant widened (lo down or hi up by more
//          than a relative 1e-9), or the run no longer reaches its target.
// Improvements (undecided → decided, higher witness ratios) and new obligations are printed with
// the hint to run `certbound ci --update`, which rewrites the expected results (keeping the list
// of runs; a missing file is created with the default list). New obligations without expected
// results fail, so that forgetting --update is caught.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "certbound/io/atomic_file.hpp"
#include "certbound/engine/all_n.hpp"
#include "certbound/engine/interrupt.hpp"
#include "certbound/engine/prover.hpp"
#include "certbound/engine/tighten.hpp"
#include "certbound/report/report.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace certbound::cli {
namespace {

using nlohmann::json;

constexpr double kRatioTolerance = 1e-6;

/// The tighten runs of `ci`: a short list (seconds in all) whose enclosures must not widen.
json default_tighten_plan() {
  json runs = json::array();
  auto run = [&](const char* id, int n, int d) {
    runs.push_back({{"id", id}, {"settings", {{"n", n}, {"d", d}, {"R", "4"}}}, {"target", 1.01},
                    {"max_boxes", 200000}, {"max_attempts", 16}});
  };
  run("sharp.softmax_jacobian", 2, 2);
  run("sharp.softmax_jacobian", 3, 2);
  run("sharp.lip_x.f", 2, 2);
  run("sharp.lip_x.f", 3, 2);
  run("lip_x.u", 2, 1);
  run("lip_x.alpha", 2, 1);
  run("lip_x.f", 2, 1);
  run("thm.shift_x", 2, 1);
  // n = 3 and 4, d = 2: closed at the root by the hypotheses' contraction and the rotation to r·e₁.
  run("lip_x.u", 3, 2);
  run("lip_a.f", 3, 2);
  run("thm.shift_a", 3, 2);
  run("lip_x.f", 4, 2);
  return runs;
}

/// The runs of a fresh expected.json: the default check, a tiny and a larger dimension, R = 10
/// (constants beyond double range), the sharp obligations at scale 0.99 (must be violated: the
/// checker has teeth), and the small proofs, two of them refutations.
json default_plan() {
  auto settings = [](int n, int d, const char* r, const char* scale = "1") {
    return json{{"n", n}, {"d", d}, {"R", r}, {"scale", scale}};
  };
  json checks = json::array({
      {{"name", "default"}, {"ids", {"all"}}, {"settings", settings(8, 4, "4")}, {"samples", 64}, {"search", 4000}, {"seed", 1}},
      {{"name", "tiny"}, {"ids", {"all"}}, {"settings", settings(2, 1, "4")}, {"samples", 64}, {"search", 4000}, {"seed", 1}},
      {{"name", "larger"}, {"ids", {"all"}}, {"settings", settings(32, 8, "5")}, {"samples", 32}, {"search", 2000}, {"seed", 1}},
      {{"name", "R10"}, {"ids", {"all"}}, {"settings", settings(8, 4, "10")}, {"samples", 32}, {"search", 2000}, {"seed", 1}},
      {{"name", "teeth"},
       {"ids", {"sharp.exp_near_one", "sharp.gd_step", "sharp.lip_a.f", "sharp.lip_x.f", "sharp.lip_x.u", "sharp.shift_a",
                "sharp.shift_x", "sharp.softmax_jacobian"}},
       {"settings", settings(8, 4, "4", "0.99")}, {"samples", 64}, {"search", 4000}, {"seed", 1}},
  });
  json proofs = json::array();
  auto proof = [&](const char* id, int n, int d, const char* scale = "1") {
    proofs.push_back({{"id", id}, {"settings", settings(n, d, "4", scale)}, {"max_boxes", 200000}});
  };
  for (int n : {2, 3, 4, 8}) proof("sharp.softmax_jacobian", n, 1);
  proof("sharp.lip_x.f", 2, 1);
  proof("sharp.lip_x.f", 3, 1);
  for (const char* id : {"lip_x.u", "lip_x.alpha", "lip_x.f", "lip_a.f", "thm.shift_x", "thm.shift_a"}) proof(id, 2, 1);
  for (const char* id : {"sharp.shift_x", "sharp.shift_a"}) proof(id, 2, 1);
  for (const char* id : {"lip_x.f", "lip_a.f", "thm.shift_x", "thm.shift_a", "sharp.lip_x.f", "sharp.shift_x", "sharp.shift_a"})
    proof(id, 3, 2);
  // The prover has teeth: below the sharp constant it finds a certified counterexample.
  proof("sharp.softmax_jacobian", 2, 1, "0.99");
  proof("sharp.softmax_jacobian", 3, 1, "0.99");
  // Every derivation for every n; and below the sharp constants no derivation may be accepted.
  json all_n = json::array({{{"name", "all-n"}, {"ids", {"all"}}, {"scale", "1"}},
                            {{"name", "all-n teeth"}, {"ids", {"all"}}, {"scale", "0.999"}}});
  return {{"schema_version", 1},
          {"description", "Expected results of `certbound ci`; regenerate with `certbound ci --update`."},
          {"checks", checks},
          {"proofs", proofs},
          {"all_n", all_n},
          {"tighten", default_tighten_plan()}};
}

/// A field of the expected file, or a one-line error naming it.
const json& field(const json& j, const std::string& key, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) throw BadInput("expected results: " + where + " lacks '" + key + "'");
  return j.at(key);
}

Settings settings_of(const json& j, const std::string& where) {
  Settings s;
  try {
    s.n = field(j, "n", where).get<int>();
    s.d = field(j, "d", where).get<int>();
    s.R = field(j, "R", where).get<std::string>();
    if (j.contains("scale")) s.scale = j.at("scale").get<std::string>();
    if (j.contains("eta")) s.eta = j.at("eta").get<std::string>();
  } catch (const json::exception&) {
    throw BadInput("expected results: " + where + " has a malformed setting (n, d integers; R, scale, eta strings)");
  }
  validate_settings(s);
  return s;
}

std::string settings_label(const Settings& s) {
  std::string l = "n=" + std::to_string(s.n) + " d=" + std::to_string(s.d) + " R=" + s.R;
  if (s.scale != "1") l += " scale=" + s.scale;
  return l;
}

/// A decided verdict replacing an undecided one is progress, any other change a regression.
bool is_improvement(const std::string& expected, const std::string& actual) {
  const bool was_open = expected == "undecided" || expected == "no_cases" || expected == "undetermined";
  const bool now_decided = actual != "undecided" && actual != "no_cases" && actual != "undetermined";
  return was_open && now_decided;
}

/// For proofs only a proof that now closes is progress: undetermined → proved or proved-on-box.
/// A refutation that was not expected is a regression (at scale 1 it would mean a false theorem or
/// an unsound prover), and proved-on-box in place of proved covers less than before.
bool is_proof_improvement(const std::string& expected, const std::string& actual) {
  return expected == "undetermined" && (actual == "proved" || actual == "proved-on-box");
}

struct Tally {
  int regressions = 0, improvements = 0, unchanged = 0;
  std::map<std::string, int> proof_statuses;  ///< how many proofs reached each status
  int all_n_proved = 0;                       ///< all-n proofs accepted at scale 1
  std::vector<report::JunitCase> junit;
  void record(const std::string& name, double seconds, const std::string& regression, const std::string& output) {
    junit.push_back({name, seconds, regression, output});
    if (!regression.empty()) {
      ++regressions;
      std::printf("  REGRESSION  %-44s %s\n", name.c_str(), regression.c_str());
    }
  }
};

struct CiCommand {
  std::string expected_path = "proofs/expected.json", junit_path;
  bool update = false;
  int threads = 2;

  int run() {
    require_range("threads", threads, 1, 256);
    json doc;
    if (std::filesystem::exists(expected_path)) {
      doc = read_json_file(expected_path);
      if (!doc.is_object() || doc.value("schema_version", 0) != 1)
        throw BadInput("'" + expected_path + "' is not a certbound expected-results file (schema_version 1)");
    } else if (update) {
      doc = default_plan();
    } else {
      throw BadInput("cannot read '" + expected_path + "' (run from the source directory, pass --expected FILE, or "
                     "create it with --update)");
    }
    if (!junit_path.empty()) check_writable(junit_path);
    if (update && !doc.contains("tighten")) doc["tighten"] = default_tighten_plan();  // files from before tighten
    const auto start = std::chrono::steady_clock::now();
    Tally tally;
    json& checks = doc["checks"];
    json& proofs = doc["proofs"];
    if (!checks.is_array() || !proofs.is_array()) throw BadInput("expected results: 'checks' and 'proofs' must be arrays");
    install_interrupt_handlers();
    try {
      for (json& run : checks) run_check_entry(run, tally);
      for (json& entry : proofs) run_proof_entry(entry, tally);
      if (doc.contains("all_n")) {
        if (!doc["all_n"].is_array()) throw BadInput("expected results: 'all_n' must be an array");
        for (json& entry : doc["all_n"]) run_all_n_entry(entry, tally);
      }
      if (doc.contains("tighten")) {
        if (!doc["tighten"].is_array()) throw BadInput("expected results: 'tighten' must be an array");
        for (json& entry : doc["tighten"]) run_tighten_entry(entry, tally);
      }
    } catch (const json::exception& e) {  // a field of the wrong type (e.g. "samples": "many")
      throw BadInput("'" + expected_path + "': malformed expected results (" + e.what() + ")");
    }
    if (interrupted()) {  // partial results neither pass nor update anything
      std::printf("certbound ci: interrupted; nothing recorded\n");
      return interrupted_exit_code();
    }
    const double minutes = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / 60;

    if (!junit_path.empty()) io::write_file_atomically(junit_path, report::junit_xml("certbound.ci", tally.junit));
    if (update) {
      io::write_file_atomically(expected_path, doc.dump(2) + "\n");
      std::printf("certbound ci --update: wrote %s (%zu checks, %zu proofs) in %.1f min\n", expected_path.c_str(),
                  checks.size(), proofs.size(), minutes);
      return kOk;
    }
    std::string proofs_text;
    for (const char* status : {"proved", "proved-on-box", "partial", "refuted", "undetermined"})
      if (tally.proof_statuses.count(status))
        proofs_text += (proofs_text.empty() ? "" : ", ") + std::to_string(tally.proof_statuses.at(status)) + " " + status;
    std::printf("certbound ci: %zu results, %d regressions, %d improvements (%.1f min); proofs: %s; all-n: %d proved\n",
                tally.junit.size(), tally.regressions, tally.improvements, minutes, proofs_text.c_str(), tally.all_n_proved);
    if (tally.improvements > 0) std::printf("improvements: record them with `certbound ci --update`\n");
    return tally.regressions > 0 ? kViolated : kOk;
  }

  static void check_writable(const std::string& path) { io::require_writable(path); }

  void run_check_entry(json& run, Tally& tally) const {
    const std::string name = field(run, "name", "a check").get<std::string>();
    const std::string where = "check '" + name + "'";
    CheckOptions o;
    o.settings = settings_of(field(run, "settings", where), where);
    o.samples = run.value("samples", 64);
    o.search = run.value("search", 4000);
    o.seed = run.value("seed", 1);
    o.threads = threads;
    if (o.samples < 0 || o.samples > 100000 || o.search < 0 || o.search > 10000000)
      throw BadInput("expected results: " + where + " has budgets out of range");
    std::vector<std::string> ids;
    try {
      ids = field(run, "ids", where).get<std::vector<std::string>>();
    } catch (const json::exception&) {
      throw BadInput("expected results: " + where + ": 'ids' must be a list of obligation ids");
    }
    const auto reports = run_check(resolve_obligations(ids), o);
    std::printf("check %-8s %s: %zu obligations\n", name.c_str(), settings_label(o.settings).c_str(), reports.size());
    json& expected = run["results"];
    if (!expected.is_object()) expected = json::object();
    json fresh = json::object();
    for (const auto& r : reports) {
      const std::string id = r.obligation->meta().id, verdict = to_string(r.verdict);
      fresh[id] = {{"verdict", verdict}, {"witness_ratio_lower", r.witness_ratio_lower}};
      const std::string label = "check " + name + " " + id;
      const std::string output = verdict + ", witness ratio " + std::to_string(r.witness_ratio_lower);
      if (update) {
        tally.junit.push_back({label, r.seconds, "", output});
        continue;
      }
      if (!expected.contains(id)) {
        tally.record(label, r.seconds, "new obligation without expected results (run `certbound ci --update`)", output);
        continue;
      }
      const json& e = expected.at(id);
      const std::string want = e.value("verdict", "");
      const double want_ratio = e.value("witness_ratio_lower", 0.0);
      std::string regression;
      if (verdict != want && !is_improvement(want, verdict)) regression = "verdict " + want + " → " + verdict;
      else if (r.witness_ratio_lower < want_ratio * (1 - kRatioTolerance))
        regression = "witness ratio " + std::to_string(want_ratio) + " → " + std::to_string(r.witness_ratio_lower);
      if (regression.empty() && (verdict != want || r.witness_ratio_lower > want_ratio * (1 + kRatioTolerance))) {
        ++tally.improvements;
        std::printf("  improved    %-44s %s → %s\n", label.c_str(), want.c_str(), output.c_str());
      }
      tally.record(label, r.seconds, regression, output);
    }
    if (!update) {
      for (const auto& [id, e] : expected.items())
        if (!fresh.contains(id)) tally.record("check " + name + " " + id, 0, "obligation no longer registered", "");
    }
    if (update) expected = fresh;
  }

  void run_proof_entry(json& entry, Tally& tally) const {
    const std::string id = field(entry, "id", "a proof").get<std::string>();
    const std::string where = "proof '" + id + "'";
    ProveOptions o;
    o.settings = settings_of(field(entry, "settings", where), where);
    o.max_boxes = entry.value("max_boxes", 200000LL);
    o.threads = threads;
    if (o.max_boxes < 8 || o.max_boxes > 100000000) throw BadInput("expected results: " + where + " has max_boxes out of range");
    const Obligation* ob = resolve_obligations({id}).front();
    if (!ob->proof_form(o.settings)) throw BadInput("expected results: " + where + ": the obligation has no proof form");
    const ProofResult r = prove(*ob, o);
    const std::string status = to_string(r.status), label = "prove " + id + " " + settings_label(o.settings);
    char output[160];
    std::snprintf(output, sizeof output, "%s in %lld boxes, coverage %.4f%%", status.c_str(), r.boxes, 100 * r.closed_fraction);
    std::printf("%-52s %s\n", label.c_str(), output);
    ++tally.proof_statuses[status];
    if (update) {
      entry["status"] = status;
      entry["boxes"] = r.boxes;
      tally.junit.push_back({label, r.seconds, "", output});
      return;
    }
    const std::string want = entry.value("status", "");
    std::string regression;
    if (want.empty()) regression = "no expected status (run `certbound ci --update`)";
    else if (!proof_status_from(want)) regression = "expected status '" + want + "' is not a proof status";
    else if (status != want && !is_proof_improvement(want, status)) regression = "status " + want + " → " + status;
    else if (status != want) ++tally.improvements;
    tally.record(label, r.seconds, regression, output);
  }

  /// tighten ID at fixed settings: the enclosure [lo, hi] of the best constant may only narrow. The
  /// search and the bisection are deterministic, so any widening is a change of the code.
  void run_tighten_entry(json& entry, Tally& tally) const {
    const std::string id = field(entry, "id", "a tighten run").get<std::string>();
    const std::string where = "tighten '" + id + "'";
    TightenOptions o;
    o.settings = settings_of(field(entry, "settings", where), where);
    o.target = entry.value("target", 1.01);
    o.max_boxes = entry.value("max_boxes", 200000LL);
    o.max_attempts = entry.value("max_attempts", 16);
    o.threads = threads;
    if (!(o.target > 1) || o.max_boxes < 8 || o.max_boxes > 100000000 || o.max_attempts < 1 || o.max_attempts > 200)
      throw BadInput("expected results: " + where + " has a target or budget out of range");
    const Obligation* ob = resolve_obligations({id}).front();
    if (const std::string why = tighten_settings_problem(*ob, o.settings); !why.empty())
      throw BadInput("expected results: " + where + ": " + why);
    TightenResult r;
    try {
      r = tighten(*ob, o);
    } catch (const InputError& e) {
      throw BadInput("expected results: " + where + ": " + e.what());
    }
    const std::string label = "tighten " + id + " " + settings_label(o.settings);
    const double lo = r.lo ? r.lo->lower_double() : 0, hi = r.hi ? r.hi->upper_double() : 0;
    char output[200];
    std::snprintf(output, sizeof output, "[%.9g, %.9g], hi/lo %.6g, %s", lo, hi, r.hi_over_lo, to_string(r.stop));
    std::printf("%-52s %s\n", label.c_str(), output);
    if (update) {
      entry["results"] = {{"best_lo", lo}, {"best_hi", hi}, {"stop", to_string(r.stop)}};
      tally.junit.push_back({label, r.seconds, "", output});
      return;
    }
    std::string regression;
    if (!entry.contains("results")) {
      regression = "no expected enclosure (run `certbound ci --update`)";
    } else {
      const json& e = entry.at("results");
      const double want_lo = e.value("best_lo", 0.0), want_hi = e.value("best_hi", 0.0);
      const std::string want_stop = e.value("stop", "");
      constexpr double tol = 1e-9;
      if (r.stop == TightenStop::contradiction) regression = "contradiction: " + r.note;
      else if (!r.lo || !r.hi) regression = "no enclosure: " + r.note;
      else if (lo < want_lo * (1 - tol) || hi > want_hi * (1 + tol))
        regression = "enclosure widened: [" + std::to_string(want_lo) + ", " + std::to_string(want_hi) + "] → [" +
                     std::to_string(lo) + ", " + std::to_string(hi) + "]";
      else if (want_stop == "target reached" && r.stop != TightenStop::target_reached)
        regression = std::string("target no longer reached: ") + to_string(r.stop);
      else if (lo > want_lo * (1 + tol) || hi < want_hi * (1 - tol))
        ++tally.improvements;
    }
    tally.record(label, r.seconds, regression, output);
  }

  /// prove --all-n for the listed ids ("all": every obligation with a derivation) at one scale.
  /// At scale 1 a proof that stops checking is a regression and a new one an improvement; below 1
  /// any change of status is a regression (a derivation accepted for a false constant).
  void run_all_n_entry(json& entry, Tally& tally) const {
    const std::string name = field(entry, "name", "an all-n run").get<std::string>();
    const std::string scale = entry.value("scale", std::string("1"));
    std::vector<const Obligation*> obligations;
    for (const std::string& id : field(entry, "ids", "all-n run '" + name + "'").get<std::vector<std::string>>()) {
      if (id != "all") {
        obligations.push_back(resolve_obligations({id}).front());
        continue;
      }
      for (const Obligation* o : all_obligations())
        if (o->derivation()) obligations.push_back(o);
    }
    json& expected = entry["results"];
    if (!expected.is_object()) expected = json::object();
    json fresh = json::object();
    for (const Obligation* ob : obligations) {
      const AllNResult r = prove_all_n(*ob, scale);
      const std::string id = ob->meta().id, status = to_string(r.status);
      const std::string label = name + " " + id + (scale == "1" ? "" : " scale=" + scale);
      const std::string output = status + (r.report.failure.empty() ? "" : ": " + r.report.failure);
      std::printf("prove --all-n %-38s %s\n", label.c_str(), status.c_str());
      fresh[id] = status;
      if (scale == "1" && r.status == ProofStatus::proved) ++tally.all_n_proved;
      if (update) {
        tally.junit.push_back({label, r.seconds, "", output});
        continue;
      }
      std::string regression;
      if (!expected.contains(id)) regression = "new all-n proof without expected result (run `certbound ci --update`)";
      else if (expected.at(id) != status) {
        if (scale == "1" && expected.at(id) == "undetermined") ++tally.improvements;
        else regression = "all-n status " + expected.at(id).get<std::string>() + " → " + output;
      }
      tally.record(label, r.seconds, regression, output);
    }
    if (!update)
      for (const auto& [id, e] : expected.items())
        if (!fresh.contains(id)) tally.record(name + " " + id, 0, "all-n proof no longer registered", "");
    if (update) expected = fresh;
  }
};

const bool registered = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<CiCommand>();
  auto* sub = app.add_subcommand("ci", "run the expected checks and proofs; fail when a verdict or witness regresses");
  sub->add_option("--expected", cmd->expected_path, "expected results")->capture_default_str();
  sub->add_flag("--update", cmd->update, "rewrite the expected results from this run");
  sub->add_option("--junit", cmd->junit_path, "write JUnit XML here (one test case per check and proof)");
  sub->add_option("--threads", cmd->threads, "worker threads")->capture_default_str();
  return [cmd] { return cmd->run(); };
});

}  // namespace
}  // namespace certbound::cli
