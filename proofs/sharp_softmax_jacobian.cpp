// sharp.softmax_jacobian: ‖diag(p) − ppᵀ‖ ≤ ½ for p = softmax(z), any z ∈ ℝⁿ. Attained exactly at
// n = 2, z₁ = z₂; for n ≥ 3 approached as p → (½, ½, 0, …). The norm is enclosed in O(n) by the
// secular equation of the rank-one update diag(p) − ppᵀ (model/softmax_jacobian_norm.hpp), with
// the generic spectral-norm enclosure of the n×n matrix as fallback for small n.
#include "certbound/model/softmax_jacobian_norm.hpp"
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct SharpSoftmaxJacobian {
  static Meta meta() {
    return {.id = "sharp.softmax_jacobian", .kind = Kind::sharp, .provenance = "derived",
            .citation = "derived: spectral norm of the softmax Jacobian",
            .statement = "‖diag(p) − ppᵀ‖ ≤ ½ for p = softmax(z), any z ∈ ℝⁿ", .constant_expression = "½",
            .domain = "p = softmax(z) for every z ∈ ℝⁿ (no R, norm or step-size condition)",
            .attained = "reached exactly when n = 2 and z₁ = z₂ (p = (½, ½)); "
                        "for n ≥ 3 only in the limit p → (½, ½, 0, …); at n = 1 the matrix is 0"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return {{input::z, s.n, 1, "logits"}}; }
  template <class T>
  static T constant(const Params<T>&, [[maybe_unused]] const T& beta) {
    return ops::rational<T>(1, 2);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    Evaluation<T> e;
    e.lhs = model::softmax_jacobian_norm(model::softmax(c.vec<T>(input::z))).enclosure;
    e.constant = constant(p, T(1));
    return e;
  }
  static Case make(const char* family, Eigen::VectorXd z) {
    Case c;
    c.family = family;
    c.inputs[input::z] = std::move(z);
    return c;
  }
  /// Prover: over the box z ∈ [−R², R²]ⁿ only (a proof is proved-on-box) with the Gershgorin form ‖J‖ ≤ maxᵢ(½ − 2(pᵢ − ½)²), which
  /// closes boxes at the exact constant ½ (attained at n = 2, z₁ = z₂). Box points are inputs of
  /// the statement itself, so a violated point refutes it.
  static ProofForm proof_form(const Settings& s) {
    ProofForm f;
    f.reduction = "‖diag(p) − ppᵀ‖₂ = ρ(J) ≤ maxᵢ Σⱼ|Jᵢⱼ| = maxᵢ(½ − 2(pᵢ − ½)²) (J symmetric; Gershgorin)";
    f.proved_statement = "the statement for every z ∈ [−R², R²]ⁿ";
    f.sub_domain = "z ∈ [−R², R²]ⁿ (the statement is for every z ∈ ℝⁿ)";
    domains::add_box_variables(f.variables, "z", s.n, 1, domains::radius_squared_upper(s));
    f.refutable_by_points = true;
    return f;
  }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>& p) {
    Evaluation<T> e;
    e.lhs = model::softmax_jacobian_norm_upper(model::softmax(box.vec<T>(input::z)));
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) {
    std::vector<Case> out;
    for (double gap : {5.0, 20.0, 40.0, 200.0}) {  // p → (½, ½, 0, …)
      Eigen::VectorXd z = Eigen::VectorXd::Constant(s.n, -gap);
      z(0) = 0;
      if (s.n >= 2) z(1) = 0;
      out.push_back(make("two-halves", z));
    }
    out.push_back(make("uniform", Eigen::VectorXd::Zero(s.n)));
    Eigen::VectorXd one = Eigen::VectorXd::Constant(s.n, -30.0);
    one(0) = 0;
    out.push_back(make("one-dominant", one));
    out.push_back(make("random", rng.normal_matrix(s.n, 1).col(0) * 3.0));
    return out;
  }
  static Case random_case(const Settings& s, Rng& rng) {
    return make("random", rng.normal_matrix(s.n, 1).col(0) * rng.uniform(0.1, 20.0));
  }
  static void project(Case& c, const Settings&) {
    auto& z = c.at(input::z);
    z = z.cwiseMax(-700.0).cwiseMin(700.0);  // keep the search finite in double
  }
  /// For every n and every z ∈ ℝⁿ: row sums of the symmetric J, the simplex identity
  /// Σ_{j≠i}pⱼ = 1 − pᵢ, and 2p(1 − p) ≤ ½ through its factorised form ½ − 2p(1 − p) = 2(p − ½)²,
  /// exact at p = ½.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "n ≥ 1, every z ∈ ℝⁿ";
    d.statement.signature.symbols = {{"n", at_least(1)}};
    d.statement.signature.inputs = {{"z", vector_of("n")}};
    const Term p = softmax(named("z")), c = coord(p);
    d.statement.claim = {opnorm(jac(p)), num(1, 2)};
    const Term q = sym("q");
    ScalarLemma half{"2q(1 − q) ≤ ½", {{"q", between(0, 1)}}, {mul({num(2), q, sub(num(1), q)}), num(1, 2)},
                     mul({num(2), pow(sub(q, num(1, 2)), Rational(2))})};
    d.steps = {
        {max_index(add({mul({c, sub(num(1), c)}), mul({c, sum_others(p)})})), by_rule("softmax_jacobian_rows")},
        {max_index(add({mul({c, sub(num(1), c)}), mul({c, sub(num(1), c)})})), by_rule("simplex_others")},
        {max_index(num(1, 2)), by_lemma(half, {{"q", c}})},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::SharpSoftmaxJacobian)
