// lip_a.u: ‖u(A) − u(B)‖₂ ≤ 2√n R e^{R²} ‖A − B‖ on the A-type domain (DLS23 Lemma 7.2 Part 1).
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct LipAU {
  static Meta meta() {
    return {.id = "lip_a.u", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, Lipschitz chain in A (A-analogue of DLS23 Lemma 7.2 Part 1)",
            .statement = "‖u(A) − u(B)‖₂ ≤ 2√n R e^{R²} ‖A − B‖",
            .constant_expression = "2√n R e^{R²}",
            .domain = "‖A‖ ≤ R, ‖B‖ ≤ R, ‖x‖₂ ≤ R, ‖(A − B)x‖_∞ < 1/100, R ≥ 4 (both matrices in the ball)",
            .attained = "not attained: the mean-value theorem in A with ‖u‖_∞ ≤ e^{R²} on the ball gives the constant "
                        "R e^{R²}, 2√n times smaller"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domains::a_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(2) * ops::sqrt(domains::n_scalar(p)) * p.R * ops::exp(p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A), b = c.mat<T>(input::B);
    const Vec<T> x = c.vec<T>(input::x);
    Evaluation<T> e;
    domains::require_a_type(e, p, a, b, x);
    e.lhs = linalg::norm2<T>(Vec<T>(model::u(a, x) - model::u(b, x)));
    e.constant = constant(p, T(1));
    e.factor = domains::opnorm<T>(Mat<T>(a - b));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::a_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::a_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::a_type_project(c, s); }
  /// The A-analogue of the lip_x.u chain: u(A) − u(B) = u(A)∘(1 − exp((B − A)x)), then
  /// ‖(B − A)x‖_∞ ≤ ‖(B − A)x‖₂ ≤ ‖B − A‖‖x‖₂ ≤ R‖A − B‖.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    namespace mt = model_terms;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R ≥ 4, every A, B, x with ‖A‖ ≤ R, ‖B‖ ≤ R, ‖x‖₂ ≤ R, ‖(A − B)x‖_∞ < 1/100";
    d.statement = mt::a_type_statement(false);
    const Term A = named("A"), B = named("B"), x = named("x"), R = sym("R");
    d.names = {{mt::u(A, x), "u(A)"}, {mt::u(B, x), "u(B)"}};
    d.statement.claim = {norm2(sub(mt::u(A, x), mt::u(B, x))), mt::lip_u_bound(opnorm(sub(A, B)))};
    const mt::UChain c = mt::u_difference_chain(A, x, B, x);
    d.steps = c.steps;
    d.steps.push_back({mul({c.scale, mul({num(2), norm2(apply(sub(B, A), x))})}), by_algebra()});
    d.steps.push_back({mul({c.scale, mul({num(2), mul({opnorm(sub(B, A)), norm2(x)})})}), by_rule("operator_norm")});
    d.steps.push_back({mul({c.scale, mul({num(2), mul({opnorm(sub(B, A)), R})})}), by_hypothesis(mt::a_norm_x)});
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipAU)
