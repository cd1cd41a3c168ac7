// certbound sweep ID... --R LIST --n LIST [--d LIST] --out DIR: `check` over a grid of (R, n, d);
// writes DIR/results.csv, DIR/plots.gp with its data under DIR/plots/, the SVG plots (by gnuplot,
// when installed; its messages in DIR/plots.log) and DIR/report.html, one self-contained page.
// With --steps also DIR/steps.csv and a plot per obligation with a derivation: each step's slack
// at every grid point's best certified witness (no extra check: the point's own). With --tighten
// also, per obligation with a proof form and grid point, the certified enclosure of its best
// constant (engine/tighten.hpp): columns of results.csv and a band in the plots.
// Exit: 1 if any grid point has a certified violation, else 0; 2 for bad input; 130 after Ctrl-C
// (the files then cover the grid points finished before it).
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "certbound/engine/all_n.hpp"
#include "certbound/engine/interrupt.hpp"
#include "certbound/engine/term_eval.hpp"
#include "certbound/engine/tighten.hpp"
#include "certbound/io/atomic_file.hpp"
#include "certbound/report/report.hpp"
#include "certbound/report/sweep.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"

namespace certbound::cli {
namespace {

std::vector<std::string> split_list(const std::string& text, const std::string& option) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const auto b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
    if (b == std::string::npos) throw BadInput(option + " has an empty entry in '" + text + "'");
    out.push_back(item.substr(b, e - b + 1));
  }
  if (out.empty()) throw BadInput(option + " needs at least one value");
  return out;
}

std::vector<int> int_list(const std::string& text, const std::string& option) {
  std::vector<int> out;
  for (const auto& item : split_list(text, option)) {
    size_t used = 0;
    int v = 0;
    try {
      v = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size()) throw BadInput(option + " entry '" + item + "' is not an integer");
    out.push_back(v);
  }
  return out;
}

/// Run gnuplot on the script (no shell); returns "" on success, else why not.
std::string run_gnuplot(const std::filesystem::path& dir) {
  const pid_t pid = fork();
  if (pid < 0) return "could not start gnuplot";
  if (pid == 0) {
    if (chdir(dir.c_str()) != 0) _exit(126);
    // gnuplot's warnings (e.g. an empty range for a single grid value) go to plots.log.
    if (FILE* log = std::freopen("plots.log", "w", stderr); !log) _exit(126);
    execlp("gnuplot", "gnuplot", "plots.gp", static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return "could not wait for gnuplot";
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) return "gnuplot is not installed (Debian: apt-get install gnuplot-nox)";
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "gnuplot failed on plots.gp";
  return "";
}

std::string read_text(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

struct SweepCommand {
  std::vector<std::string> ids;
  std::string r_list = "4", n_list = "8", d_list = "4", out_dir;
  CheckOptions options;
  long long samples = 64, search = 4000;
  bool steps = false;  ///< also each derivation step's slack at every point's best witness
  bool tighten_best = false;  ///< also the enclosure of each best constant (engine/tighten.hpp)
  long long tighten_boxes = 20000;
  double tighten_target = 1.01;
  ProgressOptions progress_options;

  /// sweep --tighten at one grid point: the enclosure of ob's best constant C*, or why there is none.
  report::BestConstant best_constant(const Obligation& ob, const Settings& s) const {
    report::BestConstant b;
    if (!ob.proof_form(s)) {
      b.note = "no proof form";
      return b;
    }
    if (std::string why = tighten_settings_problem(ob, s); !why.empty()) {
      b.note = std::move(why);
      return b;
    }
    TightenOptions t;
    t.settings = s;
    t.target = tighten_target;
    t.max_boxes = tighten_boxes;
    t.threads = options.threads;
    t.search = options;
    try {
      const TightenResult r = tighten(ob, t);
      if (r.stop == TightenStop::contradiction)  // never silently: `certbound tighten` saves both artifacts
        throw std::logic_error("tighten " + ob.meta().id + " at " + s.R + ", n = " + std::to_string(s.n) +
                               ": a certified witness above a proved constant (" + r.note +
                               "); run `certbound tighten` with these settings to save both");
      b.lo = r.lo;
      b.hi = r.hi;
      b.hi_over_lo = r.hi_over_lo;
      b.whole_domain = r.whole_domain;
      b.note = r.note;
    } catch (const InputError& e) {  // e.g. no certified witness with a positive ratio
      b.note = e.what();
    }
    return b;
  }

  int run() {
    const auto radii = split_list(r_list, "--R");
    const auto ns = int_list(n_list, "--n"), ds = int_list(d_list, "--d");
    if (radii.size() * ns.size() * ds.size() > 1000) throw BadInput("the grid has more than 1000 points");
    require_range("samples", samples, 0, 1000000);
    require_range("search", search, 0, 100000000);
    require_range("threads", options.threads, 1, 256);
    require_range("tighten-boxes", tighten_boxes, 1, 1000000000);
    if (!(tighten_target > 1 && tighten_target <= 1e6)) throw BadInput("--tighten-target must be > 1 and at most 10^6");
    progress_options.validate();
    options.samples = static_cast<int>(samples);
    options.search = static_cast<int>(search);
    std::vector<Settings> grid;
    for (const auto& r : radii)
      for (int n : ns)
        for (int d : ds) {
          Settings s = options.settings;
          s.R = r;
          s.n = n;
          s.d = d;
          validate_settings(s);
          grid.push_back(s);
        }
    const auto obligations = resolve_obligations(ids);
    // --steps: the kernel's names of each derivation's steps, once per obligation (at the sweep's scale).
    std::map<const Obligation*, std::vector<std::string>> justifications;
    if (steps)
      for (const Obligation* ob : obligations)
        if (ob->derivation()) {
          auto& names = justifications[ob];
          try {
            for (const auto& st : prove_all_n(*ob, options.settings.scale).report.steps) names.push_back(st.justification);
          } catch (const InputError& e) {
            throw BadInput(e.what());
          }
        }
    namespace fs = std::filesystem;
    const fs::path dir(out_dir);
    io::require_writable_directory((dir / "plots").string());

    install_interrupt_handlers();  // Ctrl-C: stop after the current obligation, write the points done
    std::vector<report::SweepPoint> points;
    auto progress_line = std::make_unique<Progress>(progress_options, "obligations × grid points",
                                                    static_cast<long long>(grid.size() * obligations.size()));
    long long done = 0;
    for (size_t i = 0; i < grid.size() && !interrupted(); ++i) {
      CheckOptions o = options;
      o.settings = grid[i];
      const std::string point = "grid point " + std::to_string(i + 1) + "/" + std::to_string(grid.size()) + " (R = " +
                                o.settings.R + ", n = " + std::to_string(o.settings.n) + ", d = " +
                                std::to_string(o.settings.d) + ")";
      points.push_back({o.settings, run_check(obligations, o, [&](const ObligationReport& r) {
                          progress_line->update(++done, point + ": " + r.obligation->meta().id + " " + to_string(r.verdict));
                        }), {}, {}});
      if (tighten_best)
        for (const ObligationReport& r : points.back().reports) {
          if (interrupted()) break;
          progress_line->update(done, point + ": tighten " + r.obligation->meta().id);
          points.back().best.push_back(best_constant(*r.obligation, o.settings));
        }
      if (steps && !interrupted())
        for (const ObligationReport& r : points.back().reports) {
          const auto it = justifications.find(r.obligation);
          points.back().steps.push_back(it == justifications.end()
                                            ? std::nullopt
                                            : std::optional(slack_at_witness(*r.obligation, r, o, it->second)));
        }
    }
    progress_line.reset();
    if (interrupted() && !points.empty()) points.pop_back();  // the interrupted point is incomplete

    io::write_file_atomically((dir / "results.csv").string(), report::sweep_csv(points));
    if (steps) io::write_file_atomically((dir / "steps.csv").string(), report::sweep_steps_csv(points));
    const report::PlotFiles plots = report::sweep_plots(points);
    for (const auto& [path, text] : plots.data) io::write_file_atomically((dir / path).string(), text);
    io::write_file_atomically((dir / "plots.gp").string(), plots.script);
    std::string note = plots.plotted_ids.empty() && plots.step_plotted_ids.empty() ? "" : run_gnuplot(dir);
    const std::string interrupted_note =
        interrupted() ? "interrupted after " + std::to_string(points.size()) + " of " + std::to_string(grid.size()) +
                            " grid points; the results cover those"
                      : "";
    std::vector<std::pair<std::string, std::string>> svgs, step_svgs;
    auto read_svgs = [&](const std::vector<std::string>& ids, const std::string& suffix,
                         std::vector<std::pair<std::string, std::string>>& out) {
      for (const auto& id : ids) {
        if (!note.empty()) return;
        const std::string svg = report::inline_svg(read_text(dir / "plots" / (report::file_stem(id) + suffix)));
        if (svg.empty()) note = "gnuplot wrote no SVG for " + id + (suffix == ".svg" ? "" : " (steps)");
        else out.push_back({id, svg});
      }
    };
    read_svgs(plots.plotted_ids, ".svg", svgs);
    read_svgs(plots.step_plotted_ids, ".steps.svg", step_svgs);
    if (!note.empty()) {
      svgs.clear();
      step_svgs.clear();
      note = "plots not drawn: " + note + "; the data and plots.gp are in " + dir.string() +
             " (run `gnuplot plots.gp` there)";
      std::fprintf(stderr, "certbound: %s\n", note.c_str());
    }
    if (!interrupted_note.empty()) note = interrupted_note + (note.empty() ? "" : "; " + note);
    io::write_file_atomically((dir / "report.html").string(),
                              report::sweep_html(points, svgs, note, command_line(), step_svgs));

    bool violated = false;
    for (const auto& pt : points)
      for (const auto& r : pt.reports) violated = violated || r.verdict == Verdict::violated || r.verdict == Verdict::refuted;
    std::printf("certbound sweep: %zu grid points × %zu obligations; wrote %s, %s%s and %zu plots\n", grid.size(),
                obligations.size(), (dir / "results.csv").c_str(), steps ? ((dir / "steps.csv").string() + ", ").c_str() : "",
                (dir / "report.html").c_str(), svgs.size() + step_svgs.size());
    if (steps && justifications.empty()) std::printf("--steps: none of these obligations has a derivation\n");
    if (interrupted()) {
      std::printf("%s\n", interrupted_note.c_str());
      return interrupted_exit_code();
    }
    return violated ? kViolated : kOk;
  }
};

const bool registered_sweep = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<SweepCommand>();
  auto* sub = app.add_subcommand("sweep", "check over a grid of R, n, d; write results.csv and report.html with plots");
  sub->add_option("ids", cmd->ids, "obligation ids, or 'all' (default)");
  sub->add_option("--R", cmd->r_list, "radii, comma-separated exact decimals")->capture_default_str();
  sub->add_option("--n", cmd->n_list, "token counts, comma-separated")->capture_default_str();
  sub->add_option("--d", cmd->d_list, "dimensions, comma-separated")->capture_default_str();
  sub->add_option("--out", cmd->out_dir, "output directory")->required();
  sub->add_option("--eta", cmd->options.settings.eta, "learning rate η (exact decimal)")->capture_default_str();
  sub->add_option("--scale", cmd->options.settings.scale, "multiply every constant by c")->capture_default_str();
  sub->add_option("--seed", cmd->options.seed, "random seed")->capture_default_str();
  sub->add_option("--samples", cmd->samples, "random cases per obligation and grid point")->capture_default_str();
  sub->add_option("--search", cmd->search, "adversarial search evaluations per obligation and grid point")
      ->capture_default_str();
  sub->add_option("--threads", cmd->options.threads, "worker threads")->capture_default_str();
  cmd->progress_options.add_to(*sub);
  sub->add_flag("--tighten", cmd->tighten_best,
                "also the certified enclosure [lo, hi] of each best constant (as `certbound tighten`): best_lo, "
                "best_hi in results.csv, a band in the plots");
  sub->add_option("--tighten-boxes", cmd->tighten_boxes, "--tighten: box budget of each proof attempt")
      ->capture_default_str();
  sub->add_option("--tighten-target", cmd->tighten_target, "--tighten: stop when hi/lo reaches this")
      ->capture_default_str();
  sub->add_flag("--steps", cmd->steps,
                "also each derivation step's slack at every grid point's best certified witness: steps.csv and one "
                "plot per obligation with a derivation");
  return [cmd] { return cmd->run(); };
});

}  // namespace
}  // namespace certbound::cli
