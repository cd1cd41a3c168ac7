// certbound prove ID: branch and bound over the box of an obligation's domain, with a
// re-checkable certificate (verify_certificate.cpp checks it, merge.cpp combines shards).
// Exit codes follow the status vocabulary (engine/status.hpp): 0 proved, 5 proved-on-box, 6 partial
// (one shard), 1 refuted, 3 undetermined, 2 bad input, 130 interrupted.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <fstream>
#include <sstream>

#include "certbound/arith/input_error.hpp"
#include "certbound/engine/proof_checker.hpp"
#include "certbound/obligation/settings_json.hpp"
#include "certbound/io/atomic_file.hpp"
#include "certbound/io/checkpoint_file.hpp"
#include "certbound/engine/checkpoint.hpp"
#include "certbound/engine/interrupt.hpp"
#include "certbound/report/certificate.hpp"
#include "certbound/report/report.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/prove_all_n.hpp"

namespace certbound::cli {
namespace {

struct ProveCommand {
  std::vector<std::string> ids;
  std::string id;
  bool all_n = false;
  std::string markdown_path;
  AllNOptions witness;  ///< only its witness_* fields: the --witness-* options of --all-n
  bool witness_given = false;
  bool quiet = false;  ///< no progress lines on stderr
  double progress_seconds = 10;  ///< off a terminal: at most one progress line per this many seconds
  ProveOptions options;
  long long max_boxes = 1000000;
  std::string certificate_path, json_path, junit_path, counterexample_dir = "counterexamples", shard = "1/1", checkpoint_path;
  std::shared_ptr<std::optional<io::CheckpointFile>> checkpoint_file = std::make_shared<std::optional<io::CheckpointFile>>();
  std::shared_ptr<std::string> checkpoint_failure = std::make_shared<std::string>();  ///< why saving stopped

  void parse_shard() {
    const auto slash = shard.find('/');
    int i = 0, n = 0;
    try {
      if (slash == std::string::npos) throw std::invalid_argument("");
      size_t a = 0, b = 0;
      i = std::stoi(shard.substr(0, slash), &a);
      n = std::stoi(shard.substr(slash + 1), &b);
      if (a != slash || b != shard.size() - slash - 1) throw std::invalid_argument("");
    } catch (const std::exception&) {
      throw BadInput("--shard must be I/N, e.g. 2/8 (got '" + shard + "')");
    }
    if (n < 1 || n > 4096 || i < 1 || i > n) throw BadInput("--shard I/N needs 1 <= I <= N <= 4096 (got '" + shard + "')");
    options.shard_index = i;
    options.shard_count = n;
  }

  /// Progress on stderr, riding on the prover's checkpoint hook (called at most every 2 s and at the
  /// end of each part, with every part paused): on a terminal one line rewritten in place, else a
  /// line at most every 10 s. Boxes against the budget give a bound on the time left.
  void setup_progress() {
    if (quiet) return;
    const bool terminal = ::isatty(2) != 0;
    const auto start = std::chrono::steady_clock::now();
    auto last_line = start;
    const long long budget = options.max_boxes;
    const auto every = std::chrono::duration<double>(progress_seconds);
    auto checkpoint = options.checkpoint;
    options.checkpoint = [checkpoint, terminal, start, last_line, budget, every](const std::vector<PartState>& parts) mutable {
      if (checkpoint) checkpoint(parts);
      const auto now = std::chrono::steady_clock::now();
      if (!terminal && now - last_line < every) return;
      last_line = now;
      long long boxes = 0;
      size_t owned = 0, done = 0;
      for (const PartState& p : parts) {
        if (!p.owned) continue;
        ++owned;
        done += p.done;
        boxes += p.boxes;
      }
      const double seconds = std::chrono::duration<double>(now - start).count();
      const double rate = seconds > 0 ? static_cast<double>(boxes) / seconds : 0;
      const double left = rate > 0 ? static_cast<double>(std::max(0LL, budget - boxes)) / rate : 0;
      std::fprintf(stderr, "%s%lld boxes (%.1f%% of the budget), %zu/%zu parts closed, %.0f boxes/s, %.0f s, at most %.0f s left%s",
                   terminal ? "\r" : "", boxes, 100.0 * static_cast<double>(boxes) / static_cast<double>(budget), done,
                   owned, rate, seconds, left, terminal ? "   " : "\n");
      std::fflush(stderr);
    };
  }

  /// --checkpoint: resume from the file when it exists (refused, exit 2, when it is of another
  /// run, another format, truncated or corrupted), else create it; then save into it incrementally.
  /// A save that fails (disk full) stops the saving and makes the run end with exit 2 after its
  /// reports, naming the cause.
  void setup_checkpoint(const Obligation& ob) {
    if (checkpoint_path.empty()) return;
    const ProofForm form = *ob.proof_form(options.settings);
    const nlohmann::json identity =
        checkpoint_identity(ob, form, options.settings, options.shard_index, options.shard_count);
    const std::string path = checkpoint_path;
    auto file = checkpoint_file;
    if (std::filesystem::exists(path)) {
      auto bytes = std::make_shared<std::string>(read_bytes(path));
      const Settings settings = options.settings;
      options.resume = [bytes, identity, &ob, form, settings, path, file](std::vector<PartState>& parts) {
        try {
          const CheckpointPosition at = restore_checkpoint(*bytes, identity, parts, ob, form, settings);
          std::string().swap(*bytes);
          file->emplace(io::CheckpointFile::resume(path, at));
        } catch (const InputError& e) {
          throw BadInput("'" + path + "': " + e.what());
        }
      };
    } else {
      check_writable_file(path);
      std::vector<Box> parts;
      split_top(root_box(form), top_depth(options.shard_count), parts);
      file->emplace(io::CheckpointFile::create(path, identity, parts.size()));
    }
    auto failure = checkpoint_failure;
    options.checkpoint = [file, failure](const std::vector<PartState>& parts) {
      if (!*file || !failure->empty()) return;
      try {
        (*file)->save(parts);
      } catch (const InputError& e) {
        *failure = e.what();
        std::fprintf(stderr, "certbound: %s; no further checkpoints\n", e.what());
      }
    };
  }

  static std::string read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw BadInput("cannot read the checkpoint '" + path + "'");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw BadInput("cannot read the checkpoint '" + path + "'");
    return text.str();
  }

  static void check_writable_file(const std::string& path) { io::require_writable(path); }

  int run() {
    if (all_n) {
      if (!checkpoint_path.empty() || shard != "1/1" || !junit_path.empty())
        throw BadInput("--all-n checks derivations; --shard, --checkpoint and --junit are for box proofs");
      AllNOptions a;
      a.ids = ids;
      a.scale = options.settings.scale;
      a.certificate_path = certificate_path;
      a.markdown_path = markdown_path;
      a.json_path = json_path;
      a.witness_n = witness.witness_n;
      a.witness_d = witness.witness_d;
      a.witness_R = witness.witness_R;
      a.witness_seed = witness.witness_seed;
      a.witness_samples = witness.witness_samples;
      a.witness_search = witness.witness_search;
      return run_prove_all_n(a);
    }
    if (ids.size() != 1) throw BadInput("a box proof takes one obligation id (got " + std::to_string(ids.size()) + "); --all-n takes several");
    id = ids.front();
    if (!markdown_path.empty()) throw BadInput("--markdown is for --all-n proofs");
    if (witness_given) throw BadInput("--witness-n, -d, -R, -seed, -samples and -search are for --all-n proofs");
    validate_settings(options.settings);
    require_range("max-boxes", max_boxes, 8, 1000000000LL);
    require_range("threads", options.threads, 1, 256);
    options.max_boxes = max_boxes;
    parse_shard();
    for (const auto* p : {&certificate_path, &json_path, &junit_path}) if (!p->empty()) check_writable_file(*p);
    const Obligation* ob = resolve_obligations({id}).front();
    if (!ob->proof_form(options.settings))
      throw BadInput("obligation '" + id + "' has no proof form; provable: " + provable_ids());
    if (const std::string why = prove_settings_problem(*ob, options.settings); !why.empty()) throw BadInput(why);
    // In memory a box is a few bytes of tree and a closure byte (its box is replayed from the
    // tree, the checkpoint is written incrementally); the certificate's JSON holds a string per
    // leaf (about 64 bytes).
    require_memory(static_cast<double>(max_boxes) / options.shard_count * 128, "--max-boxes " + std::to_string(max_boxes));

    if (!(progress_seconds >= 0 && progress_seconds <= 86400)) throw BadInput("--progress-seconds must be in [0, 86400]");
    setup_checkpoint(*ob);
    setup_progress();
    install_interrupt_handlers();  // Ctrl-C stops between boxes: checkpoint, certificate, reports
    const ProofResult r = prove(*ob, options);
    if (!quiet && ::isatty(2)) std::fprintf(stderr, "\r%100s\r", "");
    std::printf("certbound prove %s: %s\n", id.c_str(), parameters_text(options.settings).c_str());
    std::printf("  reduction: %s\n", r.form.reduction.c_str());
    std::printf("  %-22s %-13s %10s %9s %9s\n", "obligation", "status", "boxes", "coverage", "time");
    std::printf("  %-22s %-13s %10lld %8.4f%% %8.2fs\n", id.c_str(), to_string(r.status), r.boxes,
                100.0 * r.closed_fraction, r.seconds);
    if (options.shard_count > 1)
      std::printf("  shard %d/%d owns %.4f%% of the domain; combine the shards' certificates with 'certbound merge'\n",
                  options.shard_index, options.shard_count, 100.0 * r.owned_fraction);
    print_claim(r, options.settings);
    if (r.interrupted)
      std::printf("  interrupted (signal %d): unexplored boxes are open leaves%s\n", interrupt_signal(),
                  checkpoint_path.empty() ? "" : "; the checkpoint resumes the run");
    if (r.status == ProofStatus::undetermined) {
      const auto open = open_leaves(r, 3);
      const auto count = static_cast<long long>(std::count(r.leaves.begin(), r.leaves.end(), LeafClosure::open));
      std::printf("  %lld open boxes (%s)%s\n", count, r.interrupted ? "interrupted" : "budget spent",
                  open.empty() ? "" : "; the first:");
      for (size_t i = 0; i < open.size() && i < 3; ++i) std::printf("    %s\n", open[i].dump().c_str());
    }
    std::string cx_path;
    if (r.counterexample && !counterexample_dir.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(counterexample_dir, ec);
      cx_path = counterexample_dir + "/" + id + ".json";
      io::write_file_atomically(cx_path, report::counterexample_json(*ob, options.settings, *r.counterexample,
                                                                         command_line()).dump(2) + "\n");
      std::printf("  counterexample: %s\n", cx_path.c_str());
    }
    if (!certificate_path.empty()) {
      io::write_file_atomically(certificate_path,
                                    report::certificate_json(r, options.settings, command_line()).dump() + "\n");
      std::printf("  certificate: %s\n", certificate_path.c_str());
    }
    if (!json_path.empty()) {
      // schema 2: the status vocabulary of engine/status.hpp (proved-on-box, partial) and the
      // domain each result covers.
      nlohmann::json doc = {{"schema_version", 2},
                            {"command", "prove"},
                            {"parameters", settings_json(options.settings)},
                            {"provenance", report::provenance(command_line(), 0, 128)},
                            {"results", nlohmann::json::array({{{"id", id},
                                                                {"status", to_string(r.status)},
                                                                {"boxes", r.boxes},
                                                                {"leaves", r.leaves.size()},
                                                                {"open_leaf_count", std::count(r.leaves.begin(), r.leaves.end(), LeafClosure::open)},
                                                                {"open_leaves_first_100", open_leaves(r, 100)},
                                                                {"coverage", r.closed_fraction},
                                                                {"seconds", r.seconds},
                                                                {"interrupted", r.interrupted},
                                                                {"reduction", r.form.reduction},
                                                                {"proved_statement", r.form.proved_statement},
                                                                {"domain_covered", r.form.sub_domain.empty()
                                                                                       ? "the statement's whole domain"
                                                                                       : r.form.sub_domain},
                                                                {"shard", {r.shard_index, r.shard_count}},
                                                                {"counterexample", cx_path.empty() ? nlohmann::json(nullptr)
                                                                                                   : nlohmann::json(cx_path)}}})},
                            {"interrupted", r.interrupted}};
      io::write_file_atomically(json_path, doc.dump(2) + "\n");
    }
    if (!junit_path.empty()) {
      // One test case: proved passes; anything else fails (a CI proof that did not close, or closed
      // only on a box or for one shard: less than the statement).
      report::JunitCase c{id, r.seconds, "", std::string(to_string(r.status)) + "; " + r.form.reduction};
      if (r.status != ProofStatus::proved) {
        char coverage[64];
        std::snprintf(coverage, sizeof coverage, "%.4f%%", 100.0 * r.closed_fraction);
        c.failure = std::string(to_string(r.status)) + " after " + std::to_string(r.boxes) + " boxes, coverage " + coverage;
        if (r.status == ProofStatus::proved_on_box) c.failure += " of the box " + r.form.sub_domain + " only";
        if (!cx_path.empty()) c.failure += ", counterexample " + cx_path;
      }
      io::write_file_atomically(junit_path, report::junit_xml("certbound.prove", {c}));
    }
    if (!checkpoint_failure->empty()) throw BadInput(*checkpoint_failure);
    if (r.interrupted) return interrupted_exit_code();
    return exit_code_of(r.status);
  }

  /// What the status establishes, in words, for exactly the domain that was covered.
  static void print_claim(const ProofResult& r, const Settings& s) {
    const std::string scaled = s.scale == "1" ? "" : " (with its constant scaled by " + s.scale + ")";
    switch (r.status) {
      case ProofStatus::proved:
        std::printf("  proved%s: %s\n", scaled.c_str(), r.form.proved_statement.c_str());
        break;
      case ProofStatus::proved_on_box:
        std::printf("  proved on a box only%s: %s\n  covered: %s; nothing is claimed outside it\n", scaled.c_str(),
                    r.form.proved_statement.c_str(), r.form.sub_domain.c_str());
        break;
      case ProofStatus::partial:
        std::printf("  partial: every leaf of shard %d/%d's parts is closed; the statement is proved only when "
                    "'certbound merge' combines all %d shards\n",
                    r.shard_index, r.shard_count, r.shard_count);
        break;
      case ProofStatus::refuted:
        std::printf("  refuted: a certified counterexample to the statement%s\n", scaled.c_str());
        break;
      case ProofStatus::undetermined:
        break;
    }
  }

  /// Open leaves as boxes of hex bounds, in tree order.
  static nlohmann::json open_leaves(const ProofResult& r, size_t limit = SIZE_MAX) {
    nlohmann::json out = nlohmann::json::array();
    size_t leaf = 0;
    for_each_leaf(r.tree, r.root, [&](const Box& leaf_box, bool other_shard) {
      if (other_shard || r.leaves.at(leaf++) != LeafClosure::open) return true;
      if (out.size() >= limit) return false;
      out.push_back(box_json(leaf_box));
      return true;
    });
    return out;
  }

  static std::string provable_ids() {
    std::string out;
    Settings s;
    for (const Obligation* o : all_obligations())
      if (o->proof_form(s)) out += (out.empty() ? "" : ", ") + o->meta().id;
    return out;
  }
};

const bool registered_prove = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<ProveCommand>();
  auto* sub = app.add_subcommand("prove",
                                 "prove an obligation by branch and bound over the box of its domain: proved (the whole "
                                 "domain), proved-on-box (a stated part), partial (one shard), refuted or undetermined "
                                 "(see 'certbound statuses')");
  sub->add_option("id", cmd->ids, "obligation id (several, or 'all', with --all-n)")->required();
  sub->add_flag("--quiet", cmd->quiet, "no progress lines on stderr");
  sub->add_option("--progress-seconds", cmd->progress_seconds,
                  "when stderr is not a terminal, at most one progress line per this many seconds")
      ->capture_default_str();
  sub->add_flag("--all-n", cmd->all_n,
                "prove for every n and d by checking the obligation's derivation with the kernel (no box, no sampling)");
  sub->add_option("--markdown", cmd->markdown_path, "--all-n: write the derivations as an appendix here");
  // --all-n with --markdown or --json: each step's slack at the best certified witness of a check.
  std::vector<CLI::Option*> witness_options = {
      sub->add_option("--witness-n", cmd->witness.witness_n, "--all-n: n of the check giving the witness")->capture_default_str(),
      sub->add_option("--witness-d", cmd->witness.witness_d, "--all-n: d of that check")->capture_default_str(),
      sub->add_option("--witness-R", cmd->witness.witness_R, "--all-n: R of that check")->capture_default_str(),
      sub->add_option("--witness-seed", cmd->witness.witness_seed, "--all-n: its random seed")->capture_default_str(),
      sub->add_option("--witness-samples", cmd->witness.witness_samples, "--all-n: its random cases")->capture_default_str(),
      sub->add_option("--witness-search", cmd->witness.witness_search, "--all-n: its search evaluations")
          ->capture_default_str()};

  add_settings_options(*sub, cmd->options.settings);
  sub->add_option("--max-boxes", cmd->max_boxes, "box budget")->capture_default_str();
  sub->add_option("--threads", cmd->options.threads, "worker threads")->capture_default_str();
  sub->add_option("--certificate", cmd->certificate_path, "write the certificate here");
  sub->add_option("--json", cmd->json_path, "write the JSON report here");
  sub->add_option("--junit", cmd->junit_path, "write JUnit XML here (the obligation as one test case)");
  sub->add_option("--counterexamples", cmd->counterexample_dir, "directory for a refuting counterexample")
      ->capture_default_str();
  sub->add_option("--shard", cmd->shard, "run part I of N of the domain (1-based), e.g. for a job array")
      ->capture_default_str();
  sub->add_option("--checkpoint", cmd->checkpoint_path, "resume from / save progress to this file");
  return [cmd, witness_options] {
    for (const CLI::Option* o : witness_options) cmd->witness_given = cmd->witness_given || o->count() > 0;
    return cmd->run();
  };
});

}  // namespace
}  // namespace certbound::cli
