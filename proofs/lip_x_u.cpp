// lip_x.u: ‖u(x) − u(y)‖₂ ≤ 2√n R e^{R²} ‖x − y‖₂ on the x-type domain (DLS23 Lemma 7.2 Part 1).
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct LipXU {
  static Meta meta() {
    return {.id = "lip_x.u", .kind = Kind::paper, .provenance = "confirmed",
            .citation = "DLS23 (arXiv 2304.10411) Lemma 7.2 Part 1",
            .statement = "‖u(x) − u(y)‖₂ ≤ 2√n R e^{R²} ‖x − y‖₂",
            .constant_expression = "2√n R e^{R²}",
            .domain = "‖A‖ ≤ R, ‖x‖₂ ≤ R, ‖y‖₂ ≤ R, ‖A(x − y)‖_∞ < 1/100, R ≥ 4 (both points in the ball)",
            .attained = "not attained: the mean-value theorem with ‖u‖_∞ ≤ e^{R²} on the ball gives the constant "
                        "R e^{R²}, 2√n times smaller"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domains::x_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(2) * ops::sqrt(domains::n_scalar(p)) * p.R * ops::exp(p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x), y = c.vec<T>(input::y);
    Evaluation<T> e;
    domains::require_x_type(e, p, a, x, y);
    e.lhs = linalg::norm2<T>(Vec<T>(model::u(a, x) - model::u(a, y)));
    e.constant = constant(p, T(1));
    e.factor = linalg::norm2<T>(Vec<T>(x - y));
    return e;
  }
  /// Prover: mean value in x, ‖J_u(ξ)‖ = ‖diag(u(ξ))A‖ ≤ ‖u(ξ)‖_∞‖A‖.
  static ProofForm proof_form(const Settings& s) { return domains::mean_value_form_x(s, "‖diag(u(ξ))A‖ ≤ ‖u(ξ)‖_∞‖A‖", domains::Invariance::rotation); }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>& p) {
    const Mat<T> a = box.mat<T>(input::A);
    const Vec<T> xi = box.vec<T>(input::xi);
    Evaluation<T> e;
    // ‖A‖ and ‖ξ‖₂ contracted by their hypotheses (at most R each on any box).
    const auto norms = domains::require_mean_value_domain(e, p, a, xi, "ξ");
    // ‖u(ξ)‖_∞ ≤ e^{‖A‖‖ξ‖₂} as well (Cauchy–Schwarz per row): keep the smaller upper bound.
    e.lhs = ops::min(linalg::norm_inf<T>(model::u(a, xi)), ops::exp(norms.matrix * norms.vector)) * norms.matrix;
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::x_type_project(c, s); }
  /// The paper's chain: u(x) − u(y) = u(x)∘(1 − exp(A(y − x))), ‖u∘v‖₂ ≤ ‖u‖₂‖v‖_∞,
  /// |e^t − 1| ≤ 2|t| entry by entry (fact.exp_near_one), ‖u(x)‖₂ ≤ √n e^{R²} (bounds.u_2),
  /// ‖A(y − x)‖_∞ ≤ ‖A(y − x)‖₂ ≤ ‖A‖‖y − x‖₂ ≤ R‖x − y‖₂.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    namespace mt = model_terms;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R ≥ 4, every A, x, y with ‖A‖ ≤ R, ‖x‖₂ ≤ R, ‖y‖₂ ≤ R, ‖A(x − y)‖_∞ < 1/100";
    d.statement = mt::x_type_statement(false);
    const Term A = named("A"), x = named("x"), y = named("y"), R = sym("R");
    d.names = {{mt::u(A, x), "u(x)"}, {mt::u(A, y), "u(y)"}};
    d.statement.claim = {norm2(sub(mt::u(A, x), mt::u(A, y))), mt::lip_u_bound(norm2(sub(x, y)))};
    const mt::UChain c = mt::u_difference_chain(A, x, A, y);
    d.steps = c.steps;
    d.steps.push_back({mul({c.scale, mul({num(2), norm2(apply(A, sub(y, x)))})}), by_algebra()});
    d.steps.push_back({mul({c.scale, mul({num(2), mul({opnorm(A), norm2(sub(y, x))})})}), by_rule("operator_norm")});
    d.steps.push_back({mul({c.scale, mul({num(2), mul({R, norm2(sub(y, x))})})}), by_hypothesis(mt::x_norm_a)});
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipXU)
