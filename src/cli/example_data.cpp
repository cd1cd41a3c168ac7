// certbound example-data --out DIR: a small data set made the way users' data is made, from a
// real softmax self-attention layer with random weights, saved as .npy (as numpy.save does):
//   A.npy       n×d data A_t, ‖A‖ = 3R/4
//   A_next.npy  A_{t+1} = A_t + softmax_rows(A_t W_Q W_Kᵀ A_tᵀ) A_t W_V (one layer, residual form)
//   x.npy       weights x_t, ‖x‖₂ = R/2
//   y.npy       x_{t+1} = x_t − η∇L(x_t) (one gradient step, in double; η is in example.json and
//               is what `check --eta` needs for thm.shift_x, which takes the exact step itself)
//   b.npy       target b = softmax(A x*) for a random x*, b ≥ 0 and ‖b‖₁ ≤ 1
//   example.json  how it was made (seed, η, scale of W_V)
// η and the scale of W_V are chosen so that the step and the layer stay inside the paper's
// 1/100 conditions; the files are exact doubles, so `check --A ...` certifies on exactly them.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "certbound/io/atomic_file.hpp"
#include "certbound/io/matrix_io.hpp"
#include "certbound/obligation/domains.hpp"
#include "certbound/report/report.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace certbound::cli {
namespace {

struct ExampleDataCommand {
  std::string out_dir;
  int n = 16, d = 8;
  std::uint64_t seed = 1;
  double radius = 4;

  int run() const {
    if (n < 1 || d < 1 || n > 4096 || d > 4096) throw BadInput("--n and --d must be between 1 and 4096");
    if (!(radius > 0 && radius <= 1e3)) throw BadInput("--R must be in (0, 1000]");
    io::require_writable_directory(out_dir);

    Rng rng(seed);
    const Eigen::MatrixXd a = domains::matrix_with_norm(rng, n, d, 0.75 * radius);
    const Eigen::VectorXd x = domains::vector_with_norm(rng, d, 0.5 * radius);
    const Eigen::VectorXd x_star = domains::vector_with_norm(rng, d, 0.5 * radius);
    Eigen::VectorXd b = model::f<double>(a, x_star);
    b /= b.sum() * (1 + 1e-12);  // ‖b‖₁ ≤ 1 despite rounding

    // One gradient step with the largest η in 1/10, 1/20, 1/40, 1/100, ... (exact decimals, so that
    // `check --eta` states the same step) keeping ‖A(x − y)‖_∞ ≤ 1/200.
    const Eigen::VectorXd grad = model::gradient<double>(a, x, b);
    static const char* step_sizes[] = {"0.1",   "0.05",   "0.025",   "0.01",   "0.005",   "0.0025",
                                       "0.001", "0.0005", "0.00025", "0.0001", "0.00005", "0.000025"};
    std::string eta_text;
    double eta = 0;
    for (const char* candidate : step_sizes) {
      eta_text = candidate;
      eta = std::stod(candidate);
      if ((a * (eta * grad)).cwiseAbs().maxCoeff() <= 0.005) break;
    }
    const Eigen::VectorXd y = x - eta * grad;

    // One self-attention layer with W_Q, W_K ~ N(0, 1/d) and W_V scaled until ‖(A − A_next)x‖_∞ ≤ 1/200.
    const double w = 1 / std::sqrt(static_cast<double>(d));
    const Eigen::MatrixXd wq = rng.normal_matrix(d, d) * w, wk = rng.normal_matrix(d, d) * w;
    const Eigen::MatrixXd wv0 = rng.normal_matrix(d, d) * w;
    double v_scale = 1;
    Eigen::MatrixXd a_next;
    for (;; v_scale /= 2) {
      a_next = model::self_attention_update<double>(a, wq, wk, Eigen::MatrixXd(wv0 * v_scale));
      const bool small = ((a_next - a) * x).cwiseAbs().maxCoeff() <= 0.005 &&
                         linalg::largest_singular_value(a_next) <= 0.9 * radius;
      if (small || v_scale < 1e-12) break;
    }

    const std::filesystem::path dir(out_dir);
    io::write_npy((dir / "A.npy").string(), a);
    io::write_npy((dir / "A_next.npy").string(), a_next);
    io::write_npy((dir / "x.npy").string(), x);
    io::write_npy((dir / "y.npy").string(), y);
    io::write_npy((dir / "b.npy").string(), b);
    char scale_hex[40];
    std::snprintf(scale_hex, sizeof scale_hex, "%a", v_scale);
    const nlohmann::json meta = {
        {"schema_version", 1},
        {"generator", "certbound example-data"},
        {"n", n}, {"d", d}, {"seed", seed}, {"R", radius},
        {"eta", eta_text},
        {"value_weight_scale", scale_hex},
        {"files", {{"A", "A.npy"}, {"A_next", "A_next.npy"}, {"x", "x.npy"}, {"y", "y.npy"}, {"b", "b.npy"}}},
        {"description", "A: data with ‖A‖ = 3R/4; A_next: one softmax self-attention layer (random W_Q, W_K, "
                        "W_V) applied to A; x: weights with ‖x‖₂ = R/2; y: one gradient step from x with "
                        "step size eta; b = softmax(A x*) for a random x*"}};
    io::write_file_atomically((dir / "example.json").string(), meta.dump(2) + "\n");
    std::printf("wrote %s/{A,A_next,x,y,b}.npy and example.json (n = %d, d = %d, seed = %llu, eta = %s)\n",
                out_dir.c_str(), n, d, static_cast<unsigned long long>(seed), eta_text.c_str());
    std::printf("check it: certbound check all --A %s/A.npy --A-next %s/A_next.npy --x %s/x.npy --y %s/y.npy "
                "--b %s/b.npy --R %g --eta %s\n",
                out_dir.c_str(), out_dir.c_str(), out_dir.c_str(), out_dir.c_str(), out_dir.c_str(), radius,
                eta_text.c_str());
    return kOk;
  }
};

const bool registered_example_data = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<ExampleDataCommand>();
  auto* sub = app.add_subcommand("example-data", "write a small data set from a random softmax self-attention layer");
  sub->add_option("--out", cmd->out_dir, "output directory")->required();
  sub->add_option("--n", cmd->n, "tokens n")->capture_default_str();
  sub->add_option("--d", cmd->d, "dimension d")->capture_default_str();
  sub->add_option("--seed", cmd->seed, "random seed")->capture_default_str();
  sub->add_option("--R", cmd->radius, "radius R the data is scaled for")->capture_default_str();
  return [cmd] { return cmd->run(); };
});

}  // namespace
}  // namespace certbound::cli
