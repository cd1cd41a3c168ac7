// certbound check [ID...|all]: enumerated, random and adversarial cases with certified verdicts.
// Exit: 1 if any certified violation (or refuted identity); else 3 with --strict when a case stayed
// undecided; else 0; 2 for bad input, before any work.
//
// certbound check [ID...|all] --A FILE [--x FILE] [--y FILE] [--A-next FILE] [--b FILE]: the same
// obligations on the user's data (one case). Exit 1 for a certified violation, else 4 when some
// hypothesis certainly fails on the data, else 3 with --strict when anything stayed undecided.
// `--data FILE.npz` gives the same inputs as the arrays named A, x, y, A_next, b of one archive.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "certbound/arith/input_error.hpp"
#include "certbound/io/atomic_file.hpp"
#include "certbound/arith/decimal.hpp"
#include "certbound/engine/interrupt.hpp"
#include "certbound/engine/term_eval.hpp"
#include "certbound/engine/user_data.hpp"
#include "certbound/io/matrix_io.hpp"
#include "certbound/report/report.hpp"
#include "certbound/report/step_report.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"

namespace certbound::cli {
namespace {

/// "8 obligations: 1 violated, 2 undecided cases." (singular where it is one).
std::string summary_counts(int obligations, int violated, int undecided) {
  return std::to_string(obligations) + (obligations == 1 ? " obligation: " : " obligations: ") +
         std::to_string(violated) + " violated, " + std::to_string(undecided) +
         (undecided == 1 ? " undecided case." : " undecided cases.");
}

struct CheckCommand {
  std::vector<std::string> ids;
  CheckOptions options;
  long long samples = 64, search = 4000, precision = 1025;
  std::string json_path, markdown_path, junit_path, counterexample_dir = "counterexamples";
  bool strict = false;
  bool no_families = false;  ///< --no-families: random cases and the search only
  bool steps = false;  ///< also evaluate each derivation step on the check's cases
  const CLI::Option* counterexamples_option = nullptr;  ///< to tell a given --counterexamples from the default
  /// Users' data, by statement input name: A, B (= A_{t+1}), x, y, b.
  std::map<std::string, std::string> data_paths;
  std::string npz_path;  ///< --data: the inputs as arrays of one .npz
  ProgressOptions progress_options;

  void read_npz_inputs(UserData& data) const;

  int run_on_data();

  /// Before any work: the counterexample directory could be created and written, without leaving
  /// it behind (it is made only when a counterexample or an undecided case is saved).
  void probe_counterexample_directory() const {
    if (counterexample_dir.empty()) return;
    namespace fs = std::filesystem;
    fs::path first_missing;
    for (fs::path p = fs::absolute(counterexample_dir); !p.empty() && !fs::exists(p); p = p.parent_path()) {
      first_missing = p;
      if (p == p.parent_path()) break;
    }
    io::require_writable_directory(counterexample_dir);
    std::error_code ec;
    if (!first_missing.empty()) fs::remove_all(first_missing, ec);
  }
  int run() {
    if (!data_paths.empty() || !npz_path.empty()) return run_on_data();
    validate_settings(options.settings);
    progress_options.validate();
    require_range("samples", samples, 0, 1000000);
    require_range("search", search, 0, 100000000);
    require_range("threads", options.threads, 1, 256);
    validate_precision(precision);
    options.max_bits = static_cast<unsigned>(precision);
    // Every case of an obligation is held at once (families + samples + search results), each with
    // up to three n×d matrices and a few vectors of doubles, per worker thread.
    const double n = options.settings.n, d = options.settings.d;
    require_memory((static_cast<double>(samples) + 256) * 3 * (n * d + 4 * (n + d)) * 8 * 2 *
                       std::min<long long>(options.threads, 64),
                   "--samples " + std::to_string(samples) + " with n·d = " + std::to_string(options.settings.n * options.settings.d));
    options.samples = static_cast<int>(samples);
    options.search = static_cast<int>(search);
    options.families = !no_families;
    const auto obligations = resolve_obligations(ids);
    // Fail early (exit 2) when a report cannot be written: its directory must take the temporary
    // file that is renamed over it.
    for (const auto* path : {&json_path, &markdown_path, &junit_path}) io::require_writable(*path);
    probe_counterexample_directory();

    auto progress_line = std::make_unique<Progress>(progress_options, "obligations", static_cast<long long>(obligations.size()));
    long long done = 0;
    auto progress = [&](const ObligationReport& r) {  // called under run_check's lock
      ++done;
      progress_line->update(done, r.obligation->meta().id + " " + to_string(r.verdict) + ", " +
                                      std::to_string(r.counts.total) + " cases");
    };
    install_interrupt_handlers();  // from here on Ctrl-C stops between cases and keeps the reports
    const auto reports = run_check(obligations, options, progress);
    progress_line.reset();  // clears the terminal line before the table
    const bool stopped = interrupted();
    // After an interrupt the terminal table shows what ran: the obligations never started are left
    // out of it (the files keep them, each marked interrupted with 0 cases).
    std::vector<ObligationReport> ran;
    for (const auto& r : reports)
      if (!(r.interrupted && r.counts.total == 0)) ran.push_back(r);

    // The directory is created only when something is saved in it: a counterexample per violated
    // obligation, and the first undecided case of each obligation that has one (replayable too).
    std::vector<std::string> cx_paths(reports.size()), undecided_paths(reports.size());
    const auto save = [&](const Obligation& ob, const CertifiedCase& c, const std::string& suffix) {
      std::filesystem::create_directories(counterexample_dir);
      const std::string path = counterexample_dir + "/" + ob.meta().id + suffix;
      io::write_file_atomically(path, report::counterexample_json(ob, options.settings, c, command_line()).dump(2) + "\n");
      return path;
    };
    for (size_t i = 0; i < reports.size() && !counterexample_dir.empty(); ++i) {
      const auto& ob = *reports[i].obligation;
      if (!reports[i].violations.empty()) cx_paths[i] = save(ob, reports[i].violations.front(), ".json");
      if (!reports[i].undecided_cases.empty())
        undecided_paths[i] = save(ob, reports[i].undecided_cases.front(), ".undecided.json");
    }

    const Settings& s = options.settings;
    std::printf("certbound check: n = %d, d = %d, R = %s, eta = %s, scale = %s, seed = %llu\n", s.n, s.d, s.R.c_str(),
                s.eta.c_str(), s.scale.c_str(), static_cast<unsigned long long>(options.seed));
    if (parse_enclosure(s.R).upper_double() * parse_enclosure(s.R).upper_double() > 700)
      std::printf("note: R² > 700, so exp(Ax) may overflow double intervals; such cases escalate to multiprecision "
                  "automatically (see precision_bits per case in --json)\n");
    std::printf("%s", report::check_table(ran).c_str());
    if (stopped)
      std::printf("interrupted after %zu of %zu obligations (signal %d); the reports cover the cases certified so far\n",
                  ran.size(), reports.size(), interrupt_signal());
    int violated = 0, undecided = 0;
    for (size_t i = 0; i < reports.size(); ++i) {
      const auto& r = reports[i];
      if (r.verdict == Verdict::violated || r.verdict == Verdict::refuted) ++violated;
      undecided += r.counts.undecided;
      if (!cx_paths[i].empty()) std::printf("counterexample: %s\n", cx_paths[i].c_str());
      if (!undecided_paths[i].empty())
        std::printf("undecided case (replay it with certbound replay): %s\n", undecided_paths[i].c_str());
    }
    std::printf("%s 'holds' means no counterexample among the certified cases (evidence, not a proof).\n",
                summary_counts(static_cast<int>(reports.size()), violated, undecided).c_str());
    std::vector<StepReportSet> step_reports;
    const int false_steps = steps && !stopped ? evaluate_derivation_steps(obligations, step_reports) : 0;
    if (!json_path.empty()) {
      nlohmann::json doc = report::check_json(reports, options, command_line(), cx_paths);
      doc["interrupted"] = stopped;
      if (steps) {
        nlohmann::json all = nlohmann::json::array();
        for (const StepReportSet& r : step_reports) all.push_back(report::steps_json(r));
        doc["derivation_steps"] = all;
      }
      io::write_file_atomically(json_path, doc.dump(2) + "\n");
    }
    if (!markdown_path.empty()) io::write_file_atomically(markdown_path, report::check_markdown(reports, options));
    if (!junit_path.empty()) io::write_file_atomically(junit_path, report::check_junit(reports));
    if (stopped) return interrupted_exit_code();
    if (violated > 0 || false_steps > 0) return kViolated;
    if (strict && undecided > 0) return kUndecided;
    return kOk;
  }

  /// --steps: every derivation step evaluated on the same cases as the check (regenerated from the
  /// seed). Returns the number of steps the kernel accepted that are violated at some case.
  int evaluate_derivation_steps(const std::vector<const Obligation*>& obligations, std::vector<StepReportSet>& out) {
    std::printf("\nderivation steps on the check's cases (margin E_j+1 - E_j and slack E_j+1/E_j certified; "
                "min margin and worst slack are lower ends):\n");
    int false_steps = 0;
    for (const Obligation* ob : obligations) {
      if (interrupted()) break;
      out.push_back(ob->derivation() ? evaluate_steps(*ob, check_cases(*ob, options), options.settings)
                                     : evaluate_steps(*ob, {}, options.settings));
      std::printf("%s", report::steps_table(out.back()).c_str());
      false_steps += out.back().false_accepted_steps();
    }
    if (false_steps > 0)
      std::printf("FALSE STEPS: %d step(s) accepted by the derivation kernel are violated at certified cases: the "
                  "kernel accepted a false step (exit 1)\n",
                  false_steps);
    return false_steps;
  }
};

/// The flag and the array name in a .npz of each input (A_{t+1} is the statements' B).
struct DataInput {
  const char *flag, *input, *array;
};
constexpr DataInput kDataInputs[] = {
    {"--A", "A", "A"}, {"--A-next", "B", "A_next"}, {"--x", "x", "x"}, {"--y", "y", "y"}, {"--b", "b", "b"}};

/// --data: each array of the archive is the input of its name; an array of another name, or an
/// input also given by its own flag, is refused (which one was meant cannot be guessed).
void CheckCommand::read_npz_inputs(UserData& data) const {
  std::map<std::string, Eigen::MatrixXd> arrays;
  try {
    arrays = io::read_npz(npz_path);
  } catch (const io::MatrixFileError& e) {
    throw BadInput(e.what());
  }
  for (const auto& [array, matrix] : arrays) {
    const DataInput* in = nullptr;
    for (const DataInput& d : kDataInputs)
      if (array == d.array) in = &d;
    if (!in)
      throw BadInput(npz_path + ": array '" + array + "' is not an input of check; the accepted names are A, x, y, A_next, b");
    if (data_paths.count(in->input))
      throw BadInput(std::string(in->flag) + " and --data " + npz_path + " both give " + array + ": give it once");
    const std::string source = npz_path + ":" + array;
    try {
      data.inputs[in->input] = in->input == std::string("A") || in->input == std::string("B") ? matrix : io::as_column(matrix, source);
    } catch (const io::MatrixFileError& e) {
      throw BadInput(e.what());
    }
    data.sources[in->input] = source;
  }
}

int CheckCommand::run_on_data() {
  UserData data;
  if (!npz_path.empty()) read_npz_inputs(data);
  for (const auto& [name, path] : data_paths) {
    try {
      data.inputs[name] = io::read_matrix(path, name != "A" && name != "B");
    } catch (const io::MatrixFileError& e) {
      throw BadInput(e.what());
    }
    data.sources[name] = path;
  }
  try {
    settings_from_data(data, options.settings);
    check_data_shapes(data);  // wrong shapes are refused here, before any work
  } catch (const InputError& e) {
    throw BadInput(e.what());
  }
  validate_settings(options.settings);
  validate_precision(precision);
  options.max_bits = static_cast<unsigned>(precision);
  // Output options that have no data-mode form are refused, not ignored.
  for (const auto& [flag, given] : {std::pair<const char*, bool>{"--markdown", !markdown_path.empty()},
                                    {"--junit", !junit_path.empty()},
                                    {"--steps", steps},
                                    {"--counterexamples", counterexamples_option && counterexamples_option->count() > 0}})
    if (given)
      throw BadInput(std::string(flag) + " is not available on your own data (one case, no search): use --json FILE "
                                         "for the machine-readable report");
  io::require_writable(json_path);
  const auto obligations = resolve_obligations(ids);
  std::vector<DataReport> reports;
  // Every selected obligation is listed: one whose inputs are not the data's is "not applicable",
  // with the reason, never an error and never left out.
  for (const Obligation* ob : obligations)
    reports.push_back(check_on_data(*ob, data, options.settings, options.max_bits));
  std::printf("%s", report::data_table(reports, data, options.settings).c_str());
  if (!json_path.empty())
    io::write_file_atomically(
        json_path, report::data_json(reports, data, options.settings, command_line(), options.max_bits).dump(2) + "\n");
  bool violated = false, fails = false, undecided = false;
  int violated_count = 0, undecided_count = 0, not_applicable = 0;
  for (const auto& r : reports) {
    if (!r.applicable()) {
      ++not_applicable;
      continue;
    }
    const bool v = r.result.status == CaseStatus::violated || r.result.status == CaseStatus::refuted;
    const bool u = r.result.status == CaseStatus::undecided || r.result.status == CaseStatus::tight;
    violated_count += v;
    undecided_count += u;
    violated = violated || v;
    fails = fails || r.hypothesis_fails();
    undecided = undecided || u;
  }
  std::printf("%s %d not applicable to this data. On your data each statement is one certified case: 'holds' "
              "means it holds there.\n",
              summary_counts(static_cast<int>(reports.size()), violated_count, undecided_count).c_str(), not_applicable);
  if (violated) return kViolated;
  if (fails) {
    std::printf("some hypotheses certainly fail on this data: the statements say nothing about it (exit 4)\n");
    return kHypothesisFails;
  }
  if (strict && undecided) return kUndecided;
  return kOk;
}

const bool registered_check = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<CheckCommand>();
  auto* sub = app.add_subcommand("check",
                                 "check obligations on enumerated, random and adversarial inputs, each case certified "
                                 "holds / violated / tight / degenerate / undecided (see 'certbound statuses')");
  sub->add_option("ids", cmd->ids, "obligation ids, or 'all' (default)");
  add_settings_options(*sub, cmd->options.settings);
  sub->add_option("--seed", cmd->options.seed, "random seed")->capture_default_str();
  sub->add_option("--samples", cmd->samples, "random cases per obligation")->capture_default_str();
  sub->add_option("--search", cmd->search, "adversarial search evaluations per obligation")->capture_default_str();
  sub->add_flag("--no-families", cmd->no_families,
                "leave out the hand-made families: random cases and the search only (how well the search finds "
                "an obligation's extremes by itself, as it must for a statement without families)");
  sub->add_option("--precision", cmd->precision, "highest precision of the escalation ladder in bits")
      ->capture_default_str();
  sub->add_option("--threads", cmd->options.threads, "worker threads")->capture_default_str();
  sub->add_option("--json", cmd->json_path, "write the JSON report here");
  sub->add_option("--markdown", cmd->markdown_path, "write a Markdown table here");
  sub->add_option("--junit", cmd->junit_path, "write JUnit XML here (one test case per obligation)");
  cmd->counterexamples_option = sub->add_option("--counterexamples", cmd->counterexample_dir, "directory for certified counterexamples")
      ->capture_default_str();
  sub->add_flag("--strict", cmd->strict, "exit 3 when any case stays undecided");
  cmd->progress_options.add_to(*sub);
  sub->add_flag("--steps", cmd->steps,
                "also evaluate every step of each obligation's all-n derivation on the same cases; exit 1 when a "
                "step the kernel accepted is violated");
  auto* data = sub->add_option_group("user data", "check the obligations on your own matrices (CSV, .npy or .npz)");
  static const char* const help[] = {"data matrix A (n×d); n and d are taken from it",
                                     "data after one self-attention step, A_{t+1} (the A-type statements' B)",
                                     "weights x (d entries)", "second weights y (d entries)", "target b (n entries)"};
  for (std::size_t k = 0; k < std::size(kDataInputs); ++k) {
    const std::string input = kDataInputs[k].input;
    data->add_option_function<std::string>(
        kDataInputs[k].flag, [cmd, input](const std::string& path) { cmd->data_paths[input] = path; }, help[k]);
  }
  data->add_option("--data", cmd->npz_path,
                   "a .npz (numpy.savez) whose arrays named A, x, y, A_next, b are those inputs (any of them)");
  return [cmd] { return cmd->run(); };
});

}  // namespace
}  // namespace certbound::cli
