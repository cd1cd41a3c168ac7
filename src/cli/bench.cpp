// certbound bench: how much certification costs on this machine, as ratios to plain double
// measured in the same run (absolute ns depend on the machine; ratios are what CI can compare).
//
// Benchmarks are grouped in sections (a name plus a function returning table rows, figures and
// ratios); later sections (model evaluation, search, prover) are added to bench_sections().
// Timing: std::chrono::steady_clock, each measurement the best of 3 repetitions, each repetition
// long enough (calibrated) to dwarf the clock resolution. Results feed a volatile sink so the
// optimiser cannot drop the work.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "certbound/arith/ops.hpp"
#include "certbound/linalg/eigen_support.hpp"
#include "certbound/engine/prover.hpp"
#include "certbound/report/report.hpp"
#include "cli/commands.hpp"

namespace certbound::cli {
namespace {

volatile double g_sink = 0;  // every timed loop ends by writing its result here

/// A representative double of any scalar, for the sink.
template <class T>
double sink_value(const T& x) {
  return ops::mid(x);
}

struct BenchOptions {
  bool quick = false;
  std::string json_path;
  bool json_given = false;
  std::vector<std::string> sections;
};

/// One printed line: an operation on one scalar type.
struct Row {
  std::string operation;
  std::string type;
  double ns_per_op;
  double ratio_to_double;  ///< NaN for the double row itself
};

struct SectionResult {
  std::vector<Row> rows;
  nlohmann::json figures = nlohmann::json::object();
  nlohmann::json ratios = nlohmann::json::object();
};

struct BenchSection {
  std::string name;
  std::string title;
  std::function<SectionResult(const BenchOptions&)> run;
};

/// Seconds each repetition should last (the loop count is calibrated to reach it).
double target_seconds(const BenchOptions& o) { return o.quick ? 0.25 : 1.5; }

/// Best-of-3 nanoseconds per operation of `pass`, which performs `ops_per_pass` operations.
/// The number of passes per repetition is calibrated so one repetition lasts about `target` s.
double best_ns_per_op(const std::function<void()>& pass, double ops_per_pass, double target) {
  using clock = std::chrono::steady_clock;
  auto seconds_for = [&](long passes) {
    const auto t0 = clock::now();
    for (long i = 0; i < passes; ++i) pass();
    return std::chrono::duration<double>(clock::now() - t0).count();
  };
  long passes = 1;
  double t = seconds_for(passes);  // also warms caches and MPFR's thread-local state
  while (t < target / 8 && passes < (1L << 30)) {
    passes *= 2;
    t = seconds_for(passes);
  }
  passes = std::max(1L, static_cast<long>(static_cast<double>(passes) * target / std::max(t, 1e-9)));
  double best = 1e300;
  for (int rep = 0; rep < 3; ++rep) best = std::min(best, seconds_for(passes));
  return best * 1e9 / (static_cast<double>(passes) * ops_per_pass);
}

// ---- section "arith": scalar arithmetic and a 256x256 matvec --------------------------------

std::vector<double> random_doubles(std::size_t n, double lo, double hi, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<double> v(n);
  for (auto& x : v) x = lo + (hi - lo) * (static_cast<double>(rng() >> 11) * 0x1.0p-53);
  return v;
}

/// s += a[i]*b[i] over the arrays, one dependent chain through s.
template <class T>
double mul_add_ns(std::size_t n, double target) {
  const auto ad = random_doubles(n, 0.5, 1.0, 1), bd = random_doubles(n, -1.0, 1.0, 2);
  std::vector<T> a(ad.begin(), ad.end()), b(bd.begin(), bd.end());
  // Keep s bounded: the products average 0, so the chain neither overflows nor goes subnormal.
  return best_ns_per_op(
      [&] {
        T s(0);
        for (std::size_t i = 0; i < n; ++i) s += a[i] * b[i];
        g_sink = g_sink + sink_value(s);
      },
      static_cast<double>(n), target);
}

/// s += exp(x[i]) over the array.
template <class T>
double exp_ns(std::size_t n, double target) {
  const auto xd = random_doubles(n, -5.0, 5.0, 3);
  std::vector<T> x(xd.begin(), xd.end());
  return best_ns_per_op(
      [&] {
        T s(0);
        for (std::size_t i = 0; i < n; ++i) s += ops::exp(x[i]);
        g_sink = g_sink + sink_value(s);
      },
      static_cast<double>(n), target);
}

/// One y = A x with a 256x256 matrix, in ns per matvec.
template <class T>
double matvec_ns(double target) {
  constexpr Eigen::Index n = 256;
  const auto ad = random_doubles(n * n, -1.0, 1.0, 4), xd = random_doubles(n, -1.0, 1.0, 5);
  const Mat<T> a = to_scalar_matrix<T>(Eigen::Map<const Eigen::MatrixXd>(ad.data(), n, n));
  const Vec<T> x = to_scalar_matrix<T>(Eigen::Map<const Eigen::VectorXd>(xd.data(), n));
  Vec<T> y(n);
  return best_ns_per_op(
      [&] {
        y.noalias() = a * x;
        g_sink = g_sink + sink_value(y(n / 2));
      },
      1.0, target);
}

SectionResult run_arith(const BenchOptions& o) {
  SectionResult r;
  const double target = target_seconds(o);
  constexpr std::size_t n_fast = 4096, n_mp = 512;  // array lengths (fit in L1/L2)

  struct TypeTimes {
    const char* key;   // JSON key fragment
    const char* name;  // printed type
    double mul_add, exp;
  };
  std::vector<TypeTimes> types = {
      {"double", "double", mul_add_ns<double>(n_fast, target), exp_ns<double>(n_fast, target)},
      {"interval", "Interval", mul_add_ns<Interval>(n_fast, target), exp_ns<Interval>(n_mp, target)},
      {"mp128", "Mp128", mul_add_ns<Mp128>(n_mp, target), exp_ns<Mp128>(n_mp, target)},
      {"mp256", "Mp256", mul_add_ns<Mp256>(n_mp, target), exp_ns<Mp256>(n_mp, target)},
  };
  const TypeTimes& base = types.front();
  auto add = [&](const std::string& op, const std::string& op_key, const TypeTimes& t, double ns, double base_ns) {
    const bool is_base = &t == &base;
    r.rows.push_back({op, t.name, ns, is_base ? std::nan("") : ns / base_ns});
    r.figures["ns_per_" + op_key + "_" + t.key] = ns;
    if (!is_base) r.ratios[op_key + "_" + t.key + "_vs_double"] = ns / base_ns;
  };
  for (const auto& t : types) add("mul+add (s += a*b)", "mul_add", t, t.mul_add, base.mul_add);
  for (const auto& t : types) add("exp (s += exp x)", "exp", t, t.exp, base.exp);

  const double mv_double = matvec_ns<double>(target), mv_interval = matvec_ns<Interval>(target);
  r.rows.push_back({"256x256 matvec (Eigen)", "double", mv_double, std::nan("")});
  r.rows.push_back({"256x256 matvec (Eigen)", "Interval", mv_interval, mv_interval / mv_double});
  r.figures["ns_per_matvec256_double"] = mv_double;
  r.figures["ns_per_matvec256_interval"] = mv_interval;
  r.ratios["matvec256_interval_vs_double"] = mv_interval / mv_double;
  return r;
}

// ---- section "search": how fast check's search reaches the sharp constants --------------------

/// Per sharp obligation, starting from 8 random cases only (no structured families, which reach
/// the constants by construction): the smallest search budget (doubling from 50) whose certified
/// witness ratio reaches 0.99, its time and evaluations, and the ratio at the default budget.
SectionResult run_search(const BenchOptions& o) {
  SectionResult r;
  const int top_budget = o.quick ? 4000 : 32000;
  for (const Obligation* ob : all_obligations()) {
    if (ob->meta().kind != Kind::sharp) continue;
    const std::string& id = ob->meta().id;
    CheckOptions opt;
    opt.samples = 8;
    opt.families = false;
    int budget = 50;
    ObligationReport rep;
    for (;;) {
      opt.search = budget;
      rep = check_obligation(*ob, opt);
      if (rep.witness_ratio_lower >= 0.99 || budget >= top_budget) break;
      budget *= 2;
    }
    const double evals = std::max(1, rep.search_evaluations);
    char label[160];
    std::snprintf(label, sizeof label, "search %s: ratio %.4f after %d evals", id.c_str(), rep.witness_ratio_lower,
                  rep.search_evaluations);
    r.rows.push_back({label, "per eval", rep.seconds * 1e9 / evals, std::nan("")});
    r.figures["search_" + id + "_witness_ratio"] = rep.witness_ratio_lower;
    r.figures["search_" + id + "_evaluations_to_99pct"] = rep.search_evaluations;
    r.figures["search_" + id + "_seconds_to_99pct"] = rep.seconds;
    // Evaluations per second of the double objective at the default budget.
    opt.search = 4000;
    const ObligationReport full = check_obligation(*ob, opt);
    r.figures["search_" + id + "_witness_ratio_default_budget"] = full.witness_ratio_lower;
    r.figures["search_" + id + "_evaluations_per_second"] = full.search_evaluations / std::max(full.seconds, 1e-9);
  }
  return r;
}

// ---- section "prover": boxes per second and the speed-up of two threads -----------------------

SectionResult run_prover(const BenchOptions& o) {
  SectionResult r;
  // A fixed-budget run that never closes (lip_x.f with its constant scaled by 1e-40 is false), so
  // every box is evaluated: a pure throughput measure.
  ProveOptions p;
  p.settings.n = 2;
  p.settings.d = 1;
  p.settings.scale = "1e-40";
  p.max_boxes = o.quick ? 20000 : 100000;
  const Obligation& ob = *find_obligation("lip_x.f");
  p.threads = 1;
  const ProofResult one = prove(ob, p);
  p.threads = 2;
  const ProofResult two = prove(ob, p);
  const double bps1 = one.boxes / std::max(one.seconds, 1e-9), bps2 = two.boxes / std::max(two.seconds, 1e-9);
  r.rows.push_back({"prove lip_x.f n=2 d=1 (per box)", "1 thread", 1e9 / bps1, std::nan("")});
  r.rows.push_back({"prove lip_x.f n=2 d=1 (per box)", "2 threads", 1e9 / bps2, bps1 / bps2});
  r.figures["prove_boxes_per_second_1_thread"] = bps1;
  r.figures["prove_boxes_per_second_2_threads"] = bps2;
  r.ratios["prove_speedup_2_threads"] = bps2 / bps1;
  // Coverage of the benchmark dimensions (n = 3, d = 2) within a stated budget.
  for (const char* id : {"lip_x.u", "lip_x.alpha", "lip_x.f", "lip_a.f", "thm.shift_x", "thm.shift_a", "sharp.lip_x.f"}) {
    ProveOptions q;
    q.settings.n = 3;
    q.settings.d = 2;
    q.max_boxes = 20000;
    const ProofResult res = prove(*find_obligation(id), q);
    r.rows.push_back({std::string("prove ") + id + " n=3 d=2: " + to_string(res.status) + ", " +
                          std::to_string(res.boxes) + " boxes, coverage " + std::to_string(100 * res.closed_fraction) + "%",
                      "1 thread", res.seconds * 1e9 / std::max<double>(1, res.boxes), std::nan("")});
    r.figures[std::string("prove_") + id + "_n3_d2_coverage"] = res.closed_fraction;
  }
  return r;
}

/// Every benchmark section, in run order. Add model evaluation, search and prover sections here.
const std::vector<BenchSection>& bench_sections() {
  static const std::vector<BenchSection> sections = {
      {"arith", "scalar arithmetic and products", run_arith},
      {"search", "adversarial search on the sharp obligations", run_search},
      {"prover", "branch and bound throughput", run_prover},
  };
  return sections;
}

std::string format_ns(double ns) {
  char buf[32];
  if (ns < 10) std::snprintf(buf, sizeof buf, "%.2f", ns);
  else if (ns < 1000) std::snprintf(buf, sizeof buf, "%.1f", ns);
  else std::snprintf(buf, sizeof buf, "%.0f", ns);
  return buf;
}

int run_bench(const BenchOptions& o) {
  // Validate everything before any work: unknown sections, unwritable --json.
  std::vector<const BenchSection*> selected;
  for (const auto& s : bench_sections()) {
    bool wanted = o.sections.empty();
    for (const auto& name : o.sections) wanted = wanted || name == s.name;
    if (wanted) selected.push_back(&s);
  }
  for (const auto& name : o.sections) {
    bool known = false;
    for (const auto& s : bench_sections()) known = known || s.name == name;
    if (!known) {
      std::string names;
      for (const auto& s : bench_sections()) names += (names.empty() ? "" : ", ") + s.name;
      throw BadInput("unknown bench section '" + name + "' (known: " + names + ")");
    }
  }
  if (o.json_given && o.json_path.empty()) throw BadInput("--json needs a file name");
  if (!o.json_path.empty()) {  // checked now, written atomically at the end (report::write_file_atomically)
    const auto parent = std::filesystem::path(o.json_path).parent_path();
    const auto dir = parent.empty() ? std::filesystem::path(".") : parent;
    if (!std::filesystem::is_directory(dir) || ::access(dir.c_str(), W_OK) != 0 || std::filesystem::is_directory(o.json_path))
      throw BadInput("cannot open --json file '" + o.json_path + "' for writing");
  }

  std::printf("certbound bench (%s run; %s)\n", o.quick ? "quick" : "full", version_string().c_str());
  std::printf("ns per operation, best of 3 repetitions; ratio = ns / ns of plain double in this run\n");
  nlohmann::json figures = nlohmann::json::object(), ratios = nlohmann::json::object();
  const auto t0 = std::chrono::steady_clock::now();
  for (const BenchSection* s : selected) {
    std::printf("\n[%s] %s\n", s->name.c_str(), s->title.c_str());
    std::printf("  %-26s %-10s %12s %12s\n", "operation", "type", "ns/op", "x double");
    std::fflush(stdout);
    const SectionResult res = s->run(o);
    for (const Row& row : res.rows) {
      const std::string ratio = std::isnan(row.ratio_to_double) ? "1 (base)" : format_ns(row.ratio_to_double);
      std::printf("  %-26s %-10s %12s %12s\n", row.operation.c_str(), row.type.c_str(),
                  format_ns(row.ns_per_op).c_str(), ratio.c_str());
    }
    figures.update(res.figures);
    ratios.update(res.ratios);
  }
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("\nbench: %.1f s\n", elapsed);

  if (!o.json_path.empty()) {
    nlohmann::json j;
    j["schema_version"] = 1;
    j["mode"] = o.quick ? "quick" : "full";
    j["version"] = version_string();
    j["ratios"] = ratios;
    j["figures"] = figures;
    try {
      report::write_file_atomically(o.json_path, j.dump(2) + "\n");
    } catch (const std::invalid_argument& e) {
      throw BadInput(e.what());
    }
    std::printf("bench: wrote %s\n", o.json_path.c_str());
  }
  return kOk;
}

const bool registered = add_command([](CLI::App& app) -> std::function<int()> {
  auto opts = std::make_shared<BenchOptions>();
  auto* sub = app.add_subcommand("bench", "measure the cost of certified arithmetic relative to plain double");
  sub->add_flag("--quick", opts->quick, "short run (under ~20 s) for CI smoke checks");
  auto* json = sub->add_option("--json", opts->json_path, "also write figures and ratios as JSON to FILE")
                   ->type_name("FILE");
  sub->add_option("--section", opts->sections, "run only these sections (repeatable; default: all)")
      ->type_name("NAME");
  return [opts, json] {
    opts->json_given = json->count() > 0;
    return run_bench(*opts);
  };
});

}  // namespace
}  // namespace certbound::cli
