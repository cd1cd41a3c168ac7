// fact.hadamard: ‖u∘v‖₂ ≤ ‖u‖_∞‖v‖₂ (used by lip_x.u: u(x) − u(y) = u(x)∘(1 − exp(A(y − x)))).
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct FactHadamard {
  static Meta meta() {
    return {.id = "fact.hadamard", .kind = Kind::fact, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, preliminaries",
            .statement = "‖u∘v‖₂ ≤ ‖u‖_∞‖v‖₂", .constant_expression = "1",
            .domain = "any u, v ∈ ℝⁿ",
            .attained = "exactly when |uᵢ| = ‖u‖_∞ at every i with vᵢ ≠ 0 "
                        "(e.g. u of constant magnitude, or v supported where |uᵢ| is largest)"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return {{input::u, s.n, 1, "vector"}, {input::v, s.n, 1, "vector"}}; }
  template <class T>
  static T constant(const Params<T>&, [[maybe_unused]] const T& beta) {
    return T(1);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Vec<T> u = c.vec<T>(input::u), v = c.vec<T>(input::v);
    Evaluation<T> e;
    e.lhs = linalg::norm2<T>(Vec<T>(u.cwiseProduct(v)));
    e.constant = constant(p, T(1));
    e.factor = linalg::norm_inf<T>(u) * linalg::norm2<T>(v);
    return e;
  }
  static Case make(const char* family, Eigen::VectorXd u, Eigen::VectorXd v) {
    Case c;
    c.family = family;
    c.inputs[input::u] = std::move(u);
    c.inputs[input::v] = std::move(v);
    return c;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) {
    // Attained when u is constant in magnitude on v's support.
    const Eigen::VectorXd ones = Eigen::VectorXd::Ones(s.n);
    Eigen::VectorXd spike = Eigen::VectorXd::Zero(s.n);
    spike(0) = 3.0;
    return {make("constant-u", ones * 2.5, rng.normal_matrix(s.n, 1).col(0)),
            make("spike-v", rng.normal_matrix(s.n, 1).col(0), spike),
            make("random", rng.normal_matrix(s.n, 1).col(0), rng.normal_matrix(s.n, 1).col(0))};
  }
  static Case random_case(const Settings& s, Rng& rng) {
    return make("random", rng.normal_matrix(s.n, 1).col(0) * std::pow(10.0, rng.uniform(-3, 3)),
                rng.normal_matrix(s.n, 1).col(0));
  }
  static void project(Case&, const Settings&) {}
  /// For every n: one rule, |uᵢvᵢ| ≤ ‖u‖_∞|vᵢ| summed.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "n ≥ 1, every u, v ∈ ℝⁿ";
    d.statement.signature.symbols = {{"n", at_least(1)}};
    d.statement.signature.inputs = {{"u", vector_of("n")}, {"v", vector_of("n")}};
    const Term u = named("u"), v = named("v");
    d.statement.claim = {norm2(hadamard(u, v)), mul({norm_inf(u), norm2(v)})};
    d.steps = {{mul({norm_inf(u), norm2(v)}), by_rule("hadamard")}};
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::FactHadamard)
