// certbound bench: how much certification costs on this machine, as ratios to plain double
// measured in the same run (absolute ns depend on the machine; ratios are what CI can compare).
//
// Benchmarks are grouped in sections (a name plus a function returning table rows, figures and
// ratios), listed in bench_sections().
// Timing: std::chrono::steady_clock, each measurement the best of 3 repetitions, each repetition
// long enough (calibrated) to dwarf the clock resolution. Results feed a volatile sink so the
// optimiser cannot drop the work.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "certbound/arith/input_error.hpp"
#include "certbound/io/atomic_file.hpp"
#include "certbound/arith/ops.hpp"
#include "certbound/linalg/eigen_support.hpp"
#include "certbound/linalg/products.hpp"
#include "certbound/engine/prover.hpp"
#include "certbound/engine/checkpoint.hpp"
#include "certbound/io/checkpoint_file.hpp"
#include "certbound/report/coq_export.hpp"
#include "certbound/report/report.hpp"
#include "certbound/engine/all_n.hpp"
#include "certbound/engine/tighten.hpp"
#include "certbound/engine/scalar_prover.hpp"
#include "certbound/model/softmax_regression.hpp"
#include "certbound/oracle/arb.hpp"
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
  for (auto& x : v) x = oracle::uniform(rng, lo, hi);
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

/// One y = A x with a 256x256 matrix, in ns per matvec: Eigen's product for double, the model's
/// linalg::matvec (midpoint-radius for thin intervals) for certified types.
template <class T>
double matvec_ns(double target) {
  constexpr Eigen::Index n = 256;
  const auto ad = random_doubles(n * n, -1.0, 1.0, 4), xd = random_doubles(n, -1.0, 1.0, 5);
  const Mat<T> a = to_scalar_matrix<T>(Eigen::Map<const Eigen::MatrixXd>(ad.data(), n, n));
  const Vec<T> x = to_scalar_matrix<T>(Eigen::Map<const Eigen::VectorXd>(xd.data(), n));
  Vec<T> y(n);
  return best_ns_per_op(
      [&] {
        if constexpr (std::is_same_v<T, double>) y.noalias() = a * x;
        else y = linalg::matvec(a, x);
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
      {"mp256", "Mp257", mul_add_ns<Mp257>(n_mp, target), exp_ns<Mp257>(n_mp, target)},
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
  r.rows.push_back({"256x256 matvec", "double", mv_double, std::nan("")});
  r.rows.push_back({"256x256 matvec", "Interval", mv_interval, mv_interval / mv_double});
  r.figures["ns_per_matvec256_double"] = mv_double;
  r.figures["ns_per_matvec256_interval"] = mv_interval;
  r.ratios["matvec256_interval_vs_double"] = mv_interval / mv_double;
  return r;
}

// ---- section "search": how close check comes to the sharp constants --------------------------

/// Per sharp obligation and shape (n ∈ {2, 3, 8, 16}, d ∈ {1, 2, 4}; --quick: n ∈ {2, 8}, d ∈ {1, 4}),
/// check at its defaults (seed 1, 64 random cases, a search of 4000 evaluations) with the families
/// and without them (the search from random starts alone, as for a statement that has none): the
/// certified witness ratio LHS/(C·F) each reaches and its time. Where the constant is the supremum
/// the ratio tends to 1; sharp.lip_x.f, sharp.gd_step and sharp.shift_x at d = 1, n ≥ 3 stay below
/// (the logits lie on a line). Figures search_<id>_n<n>_d<d>_{families,alone}_{ratio,seconds}, and
/// per mode the smallest ratio over the shapes where the constant is the supremum.
SectionResult run_search(const BenchOptions& o) {
  SectionResult r;
  const std::vector<int> ns = o.quick ? std::vector<int>{2, 8} : std::vector<int>{2, 3, 8, 16};
  const std::vector<int> ds = o.quick ? std::vector<int>{1, 4} : std::vector<int>{1, 2, 4};
  double worst[2] = {1.0, 1.0};
  std::printf("  %s %5s %5s %12s %9s %12s %9s\n", report::pad_right("sharp obligation", 24).c_str(), "n", "d",
              "families", "seconds", "search alone", "seconds");
  for (const Obligation* ob : all_obligations()) {
    if (ob->meta().kind != Kind::sharp) continue;
    const std::string& id = ob->meta().id;
    const bool on_a_line = (id == "sharp.lip_x.f" || id == "sharp.gd_step" || id == "sharp.shift_x");
    for (int n : ns)
      for (int d : ds) {
        double ratio[2] = {0, 0}, seconds[2] = {0, 0};
        for (int mode = 0; mode < 2; ++mode) {
          CheckOptions opt;
          opt.settings.n = n;
          opt.settings.d = d;
          opt.families = mode == 0;
          const ObligationReport rep = check_obligation(*ob, opt);
          ratio[mode] = rep.witness_ratio_lower;
          seconds[mode] = rep.seconds;
          const std::string key = "search_" + id + "_n" + std::to_string(n) + "_d" + std::to_string(d) +
                                  (mode == 0 ? "_families" : "_alone");
          r.figures[key + "_ratio"] = ratio[mode];
          r.figures[key + "_seconds"] = seconds[mode];
          if (!(on_a_line && d == 1 && n >= 3)) worst[mode] = std::min(worst[mode], ratio[mode]);
        }
        std::printf("  %s %5d %5d %12.7f %9.3f %12.7f %9.3f%s\n", report::pad_right(id, 24).c_str(), n, d, ratio[0],
                    seconds[0], ratio[1], seconds[1], on_a_line && d == 1 && n >= 3 ? "  (not the supremum)" : "");
      }
  }
  r.figures["search_smallest_ratio_families"] = worst[0];
  r.figures["search_smallest_ratio_alone"] = worst[1];
  return r;
}

// ---- section "prover": boxes per second and the speed-up of two threads -----------------------

/// A prover run in a child process, so that the child's ru_maxrss is the peak memory of that run
/// alone (the parent's own high-water mark would include every earlier section).
struct ChildProof {
  bool ok = false;
  double boxes = 0, seconds = 0, peak_mib = 0;
};
ChildProof prove_in_child(const Obligation& ob, const ProveOptions& p) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) return {};
  if (pid == 0) {
    close(fds[0]);
    const ProofResult res = prove(ob, p);
    const double out[2] = {static_cast<double>(res.boxes), res.seconds};
    const bool written = write(fds[1], out, sizeof out) == static_cast<ssize_t>(sizeof out);
    _exit(written ? 0 : 1);
  }
  close(fds[1]);
  double in[2] = {0, 0};
  const bool got = read(fds[0], in, sizeof in) == static_cast<ssize_t>(sizeof in);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  rusage usage{};
  getrusage(RUSAGE_CHILDREN, &usage);
  ChildProof c;
  c.ok = got && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  c.boxes = in[0];
  c.seconds = in[1];
  c.peak_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;  // Linux: KiB
  return c;
}

/// Boxes per second of one prove run: over the whole run, and in its steady state.
struct ProveRate {
  double whole = 0, steady = 0;
};

/// The parts of the fixed top have equal box budgets but not equal costs, so a run with T threads
/// ends with T − 1 of them idle while the last parts finish; how long depends on where the costly
/// parts happen to fall, not on the engine. The steady rate counts the boxes done by the moment
/// the (P − T + 1)-th of the P parts finishes, the first moment a thread finds no part left (with
/// one thread, the whole run). The part-end checkpoints give that moment with exact box counts.
ProveRate prove_rate(const Obligation& ob, ProveOptions p) {
  const size_t parts = size_t{1} << top_depth(p.shard_count);
  const size_t steady_parts = parts - std::min<size_t>(parts, static_cast<size_t>(p.threads)) + 1;
  const auto start = std::chrono::steady_clock::now();
  double steady_boxes = 0, steady_seconds = 0;
  p.checkpoint_seconds = 1e300;  // only the checkpoints at the end of each part
  const long long share = std::max<long long>(1, p.max_boxes / static_cast<long long>(parts));
  p.checkpoint = [&](const std::vector<PartState>& states) {
    size_t done = 0;
    long long boxes = 0;
    for (const auto& st : states) done += st.done || st.boxes >= share, boxes += st.boxes;  // finished or budget spent
    if (steady_seconds > 0 || done < steady_parts) return;
    steady_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    steady_boxes = static_cast<double>(boxes);
  };
  const ProofResult r = prove(ob, p);
  return {r.boxes / std::max(r.seconds, 1e-9), steady_boxes / std::max(steady_seconds, 1e-9)};
}

/// `prove lip_x.alpha --n 3 --d 2 --scale 0.17 --max-boxes 10^6` (10^5 with --quick; the best
/// scale is at least 1/6, so the budget ends before the tree closes) with and without
/// --checkpoint's incremental saves (the same file writer, every 2 s and at each part's end): the
/// time ratio, best of 3 alternated runs, and the checkpoint's size per box evaluated.
void checkpoint_overhead(const BenchOptions& o, SectionResult& r) {
  const Obligation& ob = *find_obligation("lip_x.alpha");
  ProveOptions p;
  p.settings.n = 3;
  p.settings.d = 2;
  p.settings.scale = "0.17";
  p.max_boxes = o.quick ? 100000 : 1000000;
  const ProofForm form = *ob.proof_form(p.settings);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("certbound-bench-checkpoint-" + std::to_string(::getpid()))).string();
  double plain = 1e300, saved = 1e300, bytes_per_box = 0;
  long long boxes = 0;
  for (int rep = 0; rep < 3; ++rep) {
    ProveOptions without = p;
    const auto t0 = std::chrono::steady_clock::now();
    boxes = prove(ob, without).boxes;
    plain = std::min(plain, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());

    std::filesystem::remove(path);
    ProveOptions with = p;
    const auto t1 = std::chrono::steady_clock::now();
    std::vector<Box> parts;
    split_top(root_box(form), top_depth(1), parts);
    auto file = io::CheckpointFile::create(path, checkpoint_identity(ob, form, p.settings, 1, 1), parts.size());
    with.checkpoint = [&file](const std::vector<PartState>& states) { file.save(states); };
    const ProofResult res = prove(ob, with);
    saved = std::min(saved, std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count());
    bytes_per_box = static_cast<double>(std::filesystem::file_size(path)) / std::max<double>(1, res.boxes);
  }
  std::filesystem::remove(path);
  const std::string label = "prove lip_x.alpha n=3 d=2 scale 0.17, " + std::to_string(boxes) + " boxes";
  r.rows.push_back({label, "no checkpoint", plain * 1e9 / std::max<double>(1, boxes), std::nan("")});
  char with_label[64];
  std::snprintf(with_label, sizeof with_label, ", --checkpoint (%.2f bytes per box)", bytes_per_box);
  r.rows.push_back({label + with_label, "1 thread", saved * 1e9 / std::max<double>(1, boxes), saved / plain});
  r.ratios["checkpoint_overhead"] = saved / plain;
  r.figures["checkpoint_bytes_per_box"] = bytes_per_box;
  r.figures["checkpoint_boxes"] = static_cast<double>(boxes);
}

/// Every obligation with a proof form at (n, d) ∈ {(2, 1), (3, 1), (3, 2), (4, 2)}, R = 4, two
/// threads: the proof at the statement's own constant (status, boxes, time), then `tighten` (the
/// certified enclosure of the best constant, its hi/lo, and the boxes and time of all its proof
/// attempts, whose rate is the prover's throughput on that form). --quick: 20 000 boxes per
/// attempt and 6 attempts instead of 200 000 and 16.
void proof_table(const BenchOptions& o, SectionResult& r) {
  for (const auto& [n, d] : {std::pair{2, 1}, std::pair{3, 1}, std::pair{3, 2}, std::pair{4, 2}}) {
    for (const Obligation* ob : all_obligations()) {
      Settings s;
      s.n = n;
      s.d = d;
      if (!ob->proof_form(s) || !prove_settings_problem(*ob, s).empty()) continue;
      const std::string id = ob->meta().id, shape = " n=" + std::to_string(n) + " d=" + std::to_string(d);
      ProveOptions p;
      p.settings = s;
      p.threads = 2;
      const ProofResult proof = prove(*ob, p);
      TightenOptions t;
      t.settings = s;
      t.threads = 2;
      t.max_boxes = o.quick ? 20000 : 200000;
      t.max_attempts = o.quick ? 6 : 16;
      TightenResult best;
      try {
        best = tighten(*ob, t);
      } catch (const InputError&) {  // no certified witness with a positive ratio here
        best = TightenResult{};
      }
      long long boxes = 0;
      double seconds = 0;
      for (const auto& a : best.attempts) boxes += a.boxes, seconds += a.seconds;
      char text[256];
      std::snprintf(text, sizeof text, "prove %s%s: %s, %lld boxes, %.2fs; tighten hi/lo %.4g (%s), %lld boxes",
                    id.c_str(), shape.c_str(), to_string(proof.status), proof.boxes, proof.seconds, best.hi_over_lo,
                    to_string(best.stop), boxes);
      r.rows.push_back({text, "2 threads", seconds * 1e9 / std::max<long long>(1, boxes), std::nan("")});
      const std::string key = "prove_" + id + "_n" + std::to_string(n) + "_d" + std::to_string(d);
      r.figures[key + "_boxes"] = proof.boxes;
      r.figures[key + "_seconds"] = proof.seconds;
      r.figures[key + "_status"] = to_string(proof.status);
      r.figures[key + "_tighten_hi_over_lo"] = best.hi_over_lo;
      r.figures[key + "_tighten_boxes"] = boxes;
      r.figures[key + "_tighten_boxes_per_second"] = static_cast<double>(boxes) / std::max(seconds, 1e-9);
    }
  }
}

SectionResult run_prover(const BenchOptions& o) {
  SectionResult r;
  // A fixed-budget run that never closes (lip_x.f with its constant scaled by 1e-40 is false), so
  // every box is evaluated: a pure throughput measure. Best of 3, the thread counts alternated,
  // as the other sections (one run of each was at the mercy of whatever else the machine ran).
  ProveOptions p;
  p.settings.n = 2;
  p.settings.d = 1;
  p.settings.scale = "1e-40";
  p.max_boxes = o.quick ? 20000 : 100000;
  const Obligation& ob = *find_obligation("lip_x.f");
  ProveRate one, two;
  for (int rep = 0; rep < 3; ++rep) {
    p.threads = 1;
    const ProveRate a = prove_rate(ob, p);
    p.threads = 2;
    const ProveRate b = prove_rate(ob, p);
    one = {std::max(one.whole, a.whole), std::max(one.steady, a.steady)};
    two = {std::max(two.whole, b.whole), std::max(two.steady, b.steady)};
  }
  const double bps1 = one.steady, bps2 = two.steady;  // one thread: steady is the whole exploration
  r.rows.push_back({"prove lip_x.f n=2 d=1 (per box)", "1 thread", 1e9 / bps1, std::nan("")});
  r.rows.push_back({"prove lip_x.f n=2 d=1 (per box)", "2 threads", 1e9 / bps2, bps1 / bps2});
  r.rows.push_back({"prove lip_x.f n=2 d=1 (per box), whole runs", "1 thread", 1e9 / one.whole, std::nan("")});
  r.rows.push_back({"prove lip_x.f n=2 d=1 (per box), whole runs", "2 threads", 1e9 / two.whole, one.whole / two.whole});
  r.figures["prove_boxes_per_second_1_thread"] = bps1;
  r.figures["prove_boxes_per_second_2_threads"] = bps2;
  r.figures["prove_boxes_per_second_2_threads_whole_run"] = two.whole;
  r.figures["prove_boxes_per_second_1_thread_whole_run"] = one.whole;
  r.figures["prove_speedup_2_threads_whole_run"] = two.whole / one.whole;
  r.ratios["prove_speedup_2_threads"] = bps2 / bps1;
  // Peak memory of a long run (10^7 boxes; 2·10^5 with --quick), in a child process.
  ProveOptions big = p;
  big.threads = 1;
  big.max_boxes = o.quick ? 200000 : 10000000;
  const ChildProof child = prove_in_child(ob, big);
  if (child.ok) {
    char label[120];
    std::snprintf(label, sizeof label, "prove lip_x.f %.0f boxes: peak %.0f MiB", child.boxes, child.peak_mib);
    r.rows.push_back({label, "1 thread", child.seconds * 1e9 / std::max(1.0, child.boxes), std::nan("")});
    r.figures["prove_peak_boxes"] = child.boxes;
    r.figures["prove_peak_rss_mib"] = child.peak_mib;
    r.figures["prove_peak_seconds"] = child.seconds;
  }
  checkpoint_overhead(o, r);
  proof_table(o, r);
  return r;
}

// ---- section "eval": certified f(x) = softmax(Ax) and a lemma margin against plain double ----

/// A ∈ [−1, 1]^{n×d} scaled by 2/√d and x ∈ [−1, 1]^d: Ax of order one, softmax not saturated.
struct EvalInputs {
  Eigen::MatrixXd a;
  Eigen::VectorXd x;
};
EvalInputs eval_inputs(int n, int d, std::uint64_t seed) {
  const auto ad = random_doubles(static_cast<std::size_t>(n) * d, -1.0, 1.0, seed);
  const auto xd = random_doubles(static_cast<std::size_t>(d), -1.0, 1.0, seed + 1);
  EvalInputs in;
  in.a = Eigen::Map<const Eigen::MatrixXd>(ad.data(), n, d) * (2.0 / std::sqrt(static_cast<double>(d)));
  in.x = Eigen::Map<const Eigen::VectorXd>(xd.data(), d);
  return in;
}

/// The baseline: softmax(Ax) in plain double Eigen (vectorised product and exp), same flags.
double f_double_ns(const EvalInputs& in, double target) {
  Eigen::VectorXd z(in.a.rows());
  return best_ns_per_op(
      [&] {
        z.noalias() = in.a * in.x;
        const double m = z.maxCoeff();
        z = (z.array() - m).exp();
        z /= z.sum();
        g_sink = g_sink + z(0);
      },
      1.0, target);
}

/// The certified f of model/softmax_regression.hpp in scalar type T, inputs converted once.
template <class T>
double f_certified_ns(const EvalInputs& in, double target) {
  const Mat<T> a = to_scalar_matrix<T>(in.a);
  const Vec<T> x = to_scalar_matrix<T>(in.x);
  return best_ns_per_op(
      [&] {
        const Vec<T> p = model::f(a, x);
        g_sink = g_sink + sink_value(p(0));
      },
      1.0, target);
}

/// The margin c·C·F − LHS of lip_x.f on one case (evaluate<T> of its obligation file, hypotheses
/// included), the same template in double and in certified T.
template <class T>
double margin_ns(const Obligation& ob, const Case& c, const Settings& s, double target) {
  const Params<T> p = Params<T>::from(s);
  return best_ns_per_op(
      [&] {
        const Evaluation<T> e = ob.evaluate(c, p);
        const T margin = p.scale * e.constant * e.factor - e.lhs;
        g_sink = g_sink + sink_value(margin);
      },
      1.0, target);
}

struct EvalSize {
  int n, d;
};

/// "n256_d64", the figures' key of a size. Appended piece by piece: on `"n" + std::to_string(...)`
/// g++ 12 -O3 gives a false -Wstringop-overflow.
std::string size_key(const EvalSize& sz) {
  std::string key = "n";
  key += std::to_string(sz.n);
  key += "_d";
  key += std::to_string(sz.d);
  return key;
}

SectionResult run_eval(const BenchOptions& o) {
  SectionResult r;
  const double target = o.quick ? 0.1 : 0.5;
  const Obligation& lip = *find_obligation("lip_x.f");
  for (const EvalSize sz : {EvalSize{16, 8}, EvalSize{16, 64}, EvalSize{256, 8}, EvalSize{256, 64},
                            EvalSize{4096, 8}, EvalSize{4096, 64}}) {
    const std::string dims = "n=" + std::to_string(sz.n) + " d=" + std::to_string(sz.d);
    const std::string key = size_key(sz);
    const EvalInputs in = eval_inputs(sz.n, sz.d, 11 + sz.n + sz.d);
    const double fd = f_double_ns(in, target), fi = f_certified_ns<Interval>(in, target);
    r.rows.push_back({"f = softmax(Ax) " + dims, "double", fd, std::nan("")});
    r.rows.push_back({"f = softmax(Ax) " + dims, "Interval", fi, fi / fd});
    r.figures["ns_eval_f_" + key + "_double"] = fd;
    r.figures["ns_eval_f_" + key + "_interval"] = fi;
    r.figures["eval_f_" + key + "_interval_vs_double"] = fi / fd;

    Settings s;
    s.n = sz.n;
    s.d = sz.d;
    Rng rng(7 + static_cast<std::uint64_t>(sz.n) * 131 + sz.d);
    const Case c = lip.random_case(s, rng);
    const double md = margin_ns<double>(lip, c, s, target), mi = margin_ns<Interval>(lip, c, s, target);
    r.rows.push_back({"margin lip_x.f " + dims, "double", md, std::nan("")});
    r.rows.push_back({"margin lip_x.f " + dims, "Interval", mi, mi / md});
    r.figures["ns_margin_lip_x_f_" + key + "_double"] = md;
    r.figures["ns_margin_lip_x_f_" + key + "_interval"] = mi;
    r.figures["margin_lip_x_f_" + key + "_interval_vs_double"] = mi / md;
    if (sz.n == 4096 && sz.d == 64) {
      r.ratios["eval_f_interval_vs_double"] = fi / fd;
      r.ratios["margin_lip_x_f_interval_vs_double"] = mi / md;
    }
  }
  return r;
}

// ---- section "mp": softmax(Ax) at 256 bits, certbound's Mp257 against Arb ----------------------

/// The same formula as model::f (row dot products, then the prefix/suffix softmax with a double
/// shift m), written in Arb ball arithmetic at `prec` bits on the oracle's RAII balls. Used only as
/// the bench's reference: it times Arb on the model's own algorithm (the oracle's textbook softmax
/// does less work and would flatter Arb), so it is not the oracle and checks nothing.
struct ArbSoftmax {
  slong n, d, prec;
  oracle::BMat a, x, z, shifted, suffix, p;  // x is a 1×d row: arb_dot reads it with stride 1
  oracle::Ball m, t, prefix;
  ArbSoftmax(const EvalInputs& in, slong bits)
      : n(in.a.rows()), d(in.a.cols()), prec(bits), a(oracle::exact(in.a)), x(oracle::exact(in.x.transpose())),
        z(n, 1), shifted(n, 1), suffix(n + 1, 1), p(n, 1) {}
  void run() {
    for (slong i = 0; i < n; ++i) arb_dot(z[i], nullptr, 0, a(i, 0), 1, x(0, 0), 1, d, prec);
    double shift = arf_get_d(arb_midref(z[0]), ARF_RND_NEAR);
    for (slong i = 1; i < n; ++i) shift = std::max(shift, arf_get_d(arb_midref(z[i]), ARF_RND_NEAR));
    arb_set_d(m.b, shift);
    for (slong i = 0; i < n; ++i) {
      arb_sub(t.b, z[i], m.b, prec);
      arb_exp(shifted[i], t.b, prec);
    }
    arb_zero(suffix[n]);
    for (slong i = n - 1; i >= 0; --i) arb_add(suffix[i], suffix[i + 1], shifted[i], prec);
    arb_zero(prefix.b);
    for (slong i = 0; i < n; ++i) {
      arb_add(t.b, prefix.b, suffix[i + 1], prec);  // the others' sum
      arb_div(t.b, t.b, shifted[i], prec);
      arb_add_ui(t.b, t.b, 1, prec);
      arb_inv(p[i], t.b, prec);
      arb_add(prefix.b, prefix.b, shifted[i], prec);
    }
  }
};

SectionResult run_mp(const BenchOptions& o) {
  SectionResult r;
  const double target = o.quick ? 0.2 : 1.0;
  std::vector<EvalSize> sizes = {{256, 64}};
  if (!o.quick) sizes.push_back({4096, 64});
  for (const EvalSize sz : sizes) {
    const std::string dims = "n=" + std::to_string(sz.n) + " d=" + std::to_string(sz.d);
    const std::string key = size_key(sz);
    const EvalInputs in = eval_inputs(sz.n, sz.d, 23 + sz.n);
    ArbSoftmax arb(in, precision_bits<Mp257>::value);
    const double ta = best_ns_per_op(
        [&] {
          arb.run();
          g_sink = g_sink + arf_get_d(arb_midref(arb.p[0]), ARF_RND_NEAR);
        },
        1.0, target);
    const double tm = f_certified_ns<Mp257>(in, target);
    r.rows.push_back({"f 256 bits " + dims, "Arb", ta, std::nan("")});
    r.rows.push_back({"f 256 bits " + dims, "Mp257", tm, tm / ta});
    r.figures["ns_eval_f_mp256_" + key + "_arb"] = ta;
    r.figures["ns_eval_f_mp256_" + key + "_mp256"] = tm;
    r.figures["eval_f_mp256_" + key + "_vs_arb"] = tm / ta;
    if (sz.n == 256) r.ratios["eval_f_mp256_vs_arb"] = tm / ta;
  }
  return r;
}

// ---- section "scaling": time of check all as n and d grow ---------------------------------------

/// Least-squares slope of log y against log x.
double fitted_exponent(const std::vector<double>& x, const std::vector<double>& y) {
  const double k = static_cast<double>(x.size());
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    const double lx = std::log(x[i]), ly = std::log(y[i]);
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  return x.size() < 2 ? std::nan("") : (k * sxy - sx * sy) / (k * sxx - sx * sx);
}

/// check (random cases and search only, fixed small budgets so that the cost per case is what
/// grows) of every obligation at growing n and d. Before each size, an obligation's time there is
/// predicted from its last size: times (growth of n·d)^e, e the exponent between its last two
/// sizes, at least 1 (2 after the first size, when nothing is known yet: a factor 64 for its
/// 8-fold step). An obligation whose prediction exceeds the budget is not run at that size or
/// beyond (the output says where it stopped and what was predicted). Prints per obligation the
/// exponent of the time per case in n·d fitted over its sizes, the exponent between its last two
/// sizes and the largest n·d it reached, and the exponent of check all over the sizes all
/// obligations completed.
SectionResult run_scaling(const BenchOptions& o) {
  SectionResult r;
  std::vector<EvalSize> sizes = {{8, 4}, {32, 8}, {128, 16}};
  if (!o.quick) {
    sizes.push_back({512, 32});
    sizes.push_back({1024, 64});
    sizes.push_back({4096, 64});
  }
  const double budget_seconds = o.quick ? 2.0 : 30.0;
  CheckOptions c;
  c.samples = 8;
  c.search = o.quick ? 100 : 400;
  c.families = false;
  struct Series {
    std::vector<double> nd, per_case, seconds;
    double predicted = 0;  ///< predicted seconds at the size it was stopped before
    bool stopped = false;
  };
  std::map<std::string, Series> series;
  std::vector<double> all_nd, all_per_case;
  auto local_exponent = [](const Series& ser) {
    const size_t k = ser.nd.size();
    if (k < 2) return std::nan("");
    return std::log(ser.per_case[k - 1] / ser.per_case[k - 2]) / std::log(ser.nd[k - 1] / ser.nd[k - 2]);
  };
  for (const EvalSize sz : sizes) {
    c.settings.n = sz.n;
    c.settings.d = sz.d;
    const double nd = static_cast<double>(sz.n) * sz.d;
    double seconds = 0;
    long cases = 0;
    bool complete = true;
    for (const Obligation* ob : all_obligations()) {
      Series& ser = series[ob->meta().id];
      if (!ser.stopped && !ser.nd.empty()) {
        const double e = ser.nd.size() < 2 ? 2.0 : std::max(1.0, local_exponent(ser));
        ser.predicted = ser.seconds.back() * std::pow(nd / ser.nd.back(), e);
        if (!(ser.predicted <= budget_seconds)) ser.stopped = true;
      }
      if (ser.stopped) {
        complete = false;
        continue;
      }
      const ObligationReport rep = check_obligation(*ob, c);
      const int n_cases = std::max(1, rep.counts.total);
      ser.nd.push_back(nd);
      ser.per_case.push_back(rep.seconds / n_cases);
      ser.seconds.push_back(rep.seconds);
      seconds += rep.seconds;
      cases += n_cases;
      const std::string key = size_key(sz);
      r.figures["check_seconds_" + ob->meta().id + "_" + key] = rep.seconds;
    }
    const std::string dims = "n=" + std::to_string(sz.n) + " d=" + std::to_string(sz.d);
    const std::string key = size_key(sz);
    r.rows.push_back({"check " + std::string(complete ? "all " : "(partial) ") + dims + ", " + std::to_string(cases) +
                          " cases, per case",
                      "Interval", seconds / std::max(1L, cases) * 1e9, std::nan("")});
    r.figures["check_seconds_" + key] = seconds;
    r.figures["check_seconds_per_case_" + key] = seconds / std::max(1L, cases);
    if (complete) {
      all_nd.push_back(nd);
      all_per_case.push_back(seconds / std::max(1L, cases));
    }
  }
  const double overall = fitted_exponent(all_nd, all_per_case);
  r.figures["check_all_fitted_exponent_in_nd"] = overall;
  std::printf("  fitted exponent of check-all time per case in n·d: %.2f (1 = linear; n·d up to %.0f)\n", overall,
              all_nd.empty() ? 0.0 : all_nd.back());
  std::printf("  %-24s %8s %8s %9s %9s\n", "obligation", "exponent", "last two", "max n·d", "s at max");
  for (const auto& [id, ser] : series) {
    const double e = fitted_exponent(ser.nd, ser.per_case), last = local_exponent(ser);
    r.figures["check_exponent_" + id] = e;
    r.figures["check_last_exponent_" + id] = last;
    r.figures["check_max_nd_" + id] = ser.nd.back();
    std::string note;
    if (ser.stopped) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "  (next size predicted %.0f s > budget %.0f s)", ser.predicted, budget_seconds);
      note = buf;
    }
    std::printf("  %-24s %8.2f %8.2f %9.0f %9.2f%s\n", id.c_str(), e, last, ser.nd.back(), ser.seconds.back(),
                note.c_str());
  }
  return r;
}

// ---- section "coq": each scalar lemma in certbound's prover and in Coq ---------------------------

std::string slurp_file(const std::string& path) {
  std::ifstream f(path);
  std::stringstream b;
  b << f.rdbuf();
  return b.str();
}

/// Per lemma of a file compiled with `coqc -time`: the seconds of its sentences from `Lemma` to
/// `Qed.` (statement, proof script and the kernel's check at Qed), so loading the libraries, which
/// takes seconds per file, is not counted.
std::vector<double> coq_seconds_per_lemma(const std::string& log) {
  std::vector<double> out;
  std::istringstream in(log);
  std::string line;
  double current = 0;
  bool inside = false;
  while (std::getline(in, line)) {
    const auto bracket = line.find('[');
    const auto secs = line.rfind("] ");
    if (line.rfind("Chars ", 0) != 0 || bracket == std::string::npos || secs == std::string::npos) continue;
    const std::string sentence = line.substr(bracket + 1, secs - bracket - 1);
    const double t = std::atof(line.c_str() + secs + 2);
    if (sentence.rfind("Lemma", 0) == 0) inside = true, current = 0;
    if (inside) current += t;
    if (inside && sentence.rfind("Qed", 0) == 0) out.push_back(current), inside = false;
  }
  return out;
}

SectionResult run_coq(const BenchOptions& o) {
  SectionResult r;
  if (std::system("command -v coqc >/dev/null 2>&1") != 0) {
    std::printf("  skipped: coqc is not installed (setup.sh installs coq and libcoq-interval)\n");
    r.figures["coq_skipped"] = true;
    return r;
  }
  // The distinct scalar lemmas of every all-n derivation, in one file beside the library.
  std::vector<report::CoqLemma> lemmas;
  std::set<std::string> seen;
  for (const Obligation* ob : all_obligations())
    if (ob->derivation())
      for (auto& l : report::coq_lemmas(prove_all_n(*ob).report))
        if (seen.insert(l.statement).second) lemmas.push_back(std::move(l));
  const auto dir = std::filesystem::temp_directory_path() / ("certbound-bench-coq-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string file = report::coq_preamble();
  for (size_t k = 0; k < lemmas.size(); ++k) {
    lemmas[k].ident = "lemma" + std::to_string(k + 1);
    file += "\n" + report::coq_lemma(lemmas[k].lemma, lemmas[k].outcome, lemmas[k].ident);
  }
  io::write_file_atomically((dir / "Certbound.v").string(), report::coq_library());
  io::write_file_atomically((dir / "Lemmas.v").string(), file);
  const std::string coqc = "cd '" + dir.string() + "' && coqc -R . Certbound -w -ambiguous-paths ";
  const std::string log = (dir / "time.log").string();
  const bool built = std::system((coqc + "Certbound.v >/dev/null 2>&1").c_str()) == 0;
  std::vector<double> best(lemmas.size(), 1e300);
  for (int rep = 0; built && rep < (o.quick ? 1 : 3); ++rep) {
    if (std::system((coqc + "-time Lemmas.v >'" + log + "' 2>&1").c_str()) != 0) break;
    const auto t = coq_seconds_per_lemma(slurp_file(log));
    for (size_t k = 0; k < t.size() && k < best.size(); ++k) best[k] = std::min(best[k], t[k]);
  }
  std::filesystem::remove_all(dir);
  std::printf("  %-28s %12s %12s %10s\n", "lemma", "certbound s", "Coq s", "Coq/cb");
  for (size_t k = 0; k < lemmas.size(); ++k) {
    double cb = 1e300;
    for (int rep = 0; rep < 3; ++rep) {
      const auto t0 = std::chrono::steady_clock::now();
      const kernel::LemmaOutcome out = kernel::prove_scalar_lemma(lemmas[k].lemma);
      g_sink = g_sink + static_cast<double>(out.boxes);
      cb = std::min(cb, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    const bool timed = best[k] < 1e300;
    const std::string key = "coq_lemma" + std::to_string(k + 1);
    r.figures[key + "_certbound_seconds"] = cb;
    if (timed) {
      r.figures[key + "_coq_seconds"] = best[k];
      r.ratios[key + "_coq_over_certbound"] = best[k] / std::max(cb, 1e-9);
    }
    char coq_text[32] = "failed", ratio_text[32] = "-";
    if (timed) {
      std::snprintf(coq_text, sizeof coq_text, "%.3g", best[k]);
      std::snprintf(ratio_text, sizeof ratio_text, "%.3g", best[k] / std::max(cb, 1e-9));
    }
    std::printf("  %s%12.3g %12s %10s\n", report::pad_right(lemmas[k].name, 29).c_str(), cb, coq_text, ratio_text);
  }
  return r;
}

/// Every benchmark section, in run order.
const std::vector<BenchSection>& bench_sections() {
  static const std::vector<BenchSection> sections = {
      {"arith", "scalar arithmetic and products", run_arith},
      {"eval", "certified f = softmax(Ax) and the lip_x.f margin against plain double", run_eval},
      {"mp", "softmax(Ax) at 256 bits: Mp257 against Arb", run_mp},
      {"search", "adversarial search on the sharp obligations", run_search},
      {"prover", "branch and bound throughput", run_prover},
      {"scaling", "check all as n and d grow", run_scaling},
      {"coq", "each scalar lemma of the all-n proofs: certbound's prover against Coq (CoqInterval)", run_coq},
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
  io::require_writable(o.json_path);  // checked now, written atomically at the end

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
      io::write_file_atomically(o.json_path, j.dump(2) + "\n");
    } catch (const InputError& e) {
      throw BadInput(e.what());
    }
    std::printf("bench: wrote %s\n", o.json_path.c_str());
  }
  return kOk;
}

const bool registered_bench = add_command([](CLI::App& app) -> std::function<int()> {
  auto opts = std::make_shared<BenchOptions>();
  auto* sub = app.add_subcommand("bench", "measure the cost of certified arithmetic relative to plain double");
  sub->add_flag("--quick", opts->quick, "short run (under two minutes) for CI smoke checks");
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
