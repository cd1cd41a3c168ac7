// fact.sum_cs: |⟨u, 1ₙ⟩| ≤ √n‖u‖₂ (Cauchy–Schwarz; used for α in both chains).
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct FactSumCs {
  static Meta meta() {
    return {.id = "fact.sum_cs", .kind = Kind::fact, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, preliminaries",
            .statement = "|⟨u, 1ₙ⟩| ≤ √n‖u‖₂", .constant_expression = "√n",
            .domain = "any u ∈ ℝⁿ",
            .attained = "exactly when u is a multiple of 1ₙ (the equality case of Cauchy–Schwarz)"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return {{input::u, s.n, 1, "vector"}}; }
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return ops::sqrt(domains::n_scalar(p));
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Vec<T> u = c.vec<T>(input::u);
    Evaluation<T> e;
    T sum(0);
    for (Eigen::Index i = 0; i < u.size(); ++i) sum += u(i);
    e.lhs = ops::abs(sum);
    e.constant = constant(p, T(1));
    e.factor = linalg::norm2<T>(u);
    return e;
  }
  static Case make(const char* family, Eigen::VectorXd u) {
    Case c;
    c.family = family;
    c.inputs[input::u] = std::move(u);
    return c;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) {
    // Attained at u ∥ 1ₙ.
    return {make("constant", Eigen::VectorXd::Constant(s.n, 0.75)),
            make("nearly-constant", Eigen::VectorXd::Constant(s.n, 1.0) + 1e-9 * rng.normal_matrix(s.n, 1).col(0)),
            make("random", rng.normal_matrix(s.n, 1).col(0))};
  }
  static Case random_case(const Settings& s, Rng& rng) { return make("random", rng.normal_matrix(s.n, 1).col(0)); }
  static void project(Case&, const Settings&) {}
  /// For every n: Cauchy–Schwarz against 1ₙ.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "n ≥ 1, every u ∈ ℝⁿ";
    d.statement.signature.symbols = {{"n", at_least(1)}};
    d.statement.signature.inputs = {{"u", vector_of("n")}};
    const Term u = named("u");
    d.statement.claim = {abs(dot_ones(u)), mul({sqrt(sym("n")), norm2(u)})};
    d.steps = {{mul({sqrt(sym("n")), norm2(u)}), by_rule("cauchy_schwarz_ones")}};
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::FactSumCs)
