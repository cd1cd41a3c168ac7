// certbound eval --A FILE --x FILE [--b FILE] [--precision BITS] [--json]: certified enclosures of
// u, α, f and, with b, of c, L and ∇L on user data. Double intervals while every |(Ax)ᵢ| ≤ 700
// (exp stays finite), multiprecision beyond; the output says which.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "certbound/io/matrix_io.hpp"
#include "certbound/model/softmax_regression.hpp"
#include "certbound/report/report.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace certbound::cli {
namespace {

struct EvalResult {
  std::vector<Enclosure> u, f, c, grad;
  Enclosure alpha, loss;
  unsigned bits = 53;
};

template <class T>
EvalResult evaluate(const Eigen::MatrixXd& a_d, const Eigen::VectorXd& x_d, const Eigen::VectorXd* b_d) {
  const Mat<T> a = to_scalar_matrix<T>(a_d);
  const Vec<T> x = to_scalar_matrix<T>(x_d);
  EvalResult r;
  r.bits = precision_bits<T>::value;
  for (const auto& v : model::u(a, x)) r.u.push_back(to_enclosure(v));
  r.alpha = to_enclosure(model::alpha(a, x));
  for (const auto& v : model::f(a, x)) r.f.push_back(to_enclosure(v));
  if (b_d) {
    const Vec<T> b = to_scalar_matrix<T>(*b_d);
    for (const auto& v : model::c(a, x, b)) r.c.push_back(to_enclosure(v));
    r.loss = to_enclosure(model::loss(a, x, b));
    for (const auto& v : model::gradient(a, x, b)) r.grad.push_back(to_enclosure(v));
  }
  return r;
}

struct EvalCommand {
  std::string a_path, x_path, b_path;
  unsigned precision = 1025;
  bool json = false;

  int run() const {
    validate_precision(precision);
    Eigen::MatrixXd a;
    Eigen::VectorXd x, b;
    try {
      a = io::read_matrix(a_path);
      x = io::read_matrix(x_path, true).col(0);
      if (!b_path.empty()) b = io::read_matrix(b_path, true).col(0);
    } catch (const io::MatrixFileError& e) {
      throw BadInput(e.what());
    }
    if (x.size() != a.cols())
      throw BadInput(x_path + ": x has " + std::to_string(x.size()) + " entries but A has " + std::to_string(a.cols()) + " columns");
    if (!b_path.empty() && b.size() != a.rows())
      throw BadInput(b_path + ": b has " + std::to_string(b.size()) + " entries but A has " + std::to_string(a.rows()) + " rows");
    // Double intervals suffice while exp(Ax) stays finite in binary64.
    const double logit_bound = (a.cwiseAbs() * x.cwiseAbs()).maxCoeff();
    const Eigen::VectorXd* bp = b_path.empty() ? nullptr : &b;
    EvalResult r = logit_bound <= 700 ? evaluate<Interval>(a, x, bp)
                   : precision <= 128 ? evaluate<Mp128>(a, x, bp)
                                      : evaluate<Mp257>(a, x, bp);
    const char* mode = r.bits == 53 ? "double intervals" : "multiprecision intervals (|Ax| > 700 overflows double)";
    if (json) {
      auto vec = [](const std::vector<Enclosure>& v) {
        nlohmann::json arr = nlohmann::json::array();
        for (const auto& e : v) arr.push_back(report::enclosure_json(e));
        return arr;
      };
      nlohmann::json doc = {{"schema_version", 1}, {"command", "eval"}, {"precision_bits", r.bits}, {"arithmetic", mode},
                            {"provenance", report::provenance(command_line(), 0, precision)},
                            {"u", vec(r.u)}, {"alpha", report::enclosure_json(r.alpha)}, {"f", vec(r.f)}};
      if (bp) {
        doc["c"] = vec(r.c);
        doc["loss"] = report::enclosure_json(r.loss);
        doc["grad"] = vec(r.grad);
      }
      std::printf("%s\n", doc.dump(2).c_str());
      return kOk;
    }
    std::printf("certified enclosures (%s, %u bits), A is %ldx%ld\n", mode, r.bits, static_cast<long>(a.rows()),
                static_cast<long>(a.cols()));
    auto show = [](const char* name, const std::vector<Enclosure>& v) {
      for (size_t i = 0; i < v.size(); ++i) std::printf("  %s[%zu] = %s\n", name, i, v[i].str(17).c_str());
    };
    show("u", r.u);
    std::printf("  alpha = %s\n", r.alpha.str(17).c_str());
    show("f", r.f);
    if (bp) {
      show("c", r.c);
      std::printf("  loss = %s\n", r.loss.str(17).c_str());
      show("grad", r.grad);
    }
    return kOk;
  }
};

const bool registered_eval = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<EvalCommand>();
  auto* sub = app.add_subcommand("eval", "certified enclosures of u, α, f (and c, L, ∇L) on your data");
  sub->add_option("--A", cmd->a_path, "matrix A (CSV or .npy)")->required();
  sub->add_option("--x", cmd->x_path, "vector x (CSV or .npy)")->required();
  sub->add_option("--b", cmd->b_path, "vector b (CSV or .npy)");
  sub->add_option("--precision", cmd->precision, "precision in bits when double overflows")->capture_default_str();
  sub->add_flag("--json", cmd->json, "print JSON");
  return [cmd] { return cmd->run(); };
});

}  // namespace
}  // namespace certbound::cli
