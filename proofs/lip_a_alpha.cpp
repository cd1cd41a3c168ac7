// lip_a.alpha: |α(A) − α(B)| ≤ 2nR e^{R²} ‖A − B‖ on the A-type domain (lip_a.u and fact.sum_cs).
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct LipAAlpha {
  static Meta meta() {
    return {.id = "lip_a.alpha", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, Lipschitz chain in A",
            .statement = "|α(A) − α(B)| ≤ 2nR e^{R²} ‖A − B‖",
            .constant_expression = "2nR e^{R²}",
            .domain = "‖A‖ ≤ R, ‖B‖ ≤ R, ‖x‖₂ ≤ R, ‖(A − B)x‖_∞ < 1/100, R ≥ 4 (both matrices in the ball)",
            .attained = "not attained: the mean-value theorem in A, |uᵀHx| ≤ ‖u‖₂‖H‖‖x‖₂ ≤ √n R e^{R²}‖H‖, "
                        "gives a constant 2√n times smaller"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domains::a_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(2) * domains::n_scalar(p) * p.R * ops::exp(p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A), b = c.mat<T>(input::B);
    const Vec<T> x = c.vec<T>(input::x);
    Evaluation<T> e;
    domains::require_a_type(e, p, a, b, x);
    e.lhs = ops::abs(model::alpha(a, x) - model::alpha(b, x));
    e.constant = constant(p, T(1));
    e.factor = domains::opnorm<T>(Mat<T>(a - b));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::a_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::a_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::a_type_project(c, s); }
  /// |α(A) − α(B)| = |⟨u(A) − u(B), 1⟩| ≤ √n‖u(A) − u(B)‖₂ ≤ √n·2√n R e^{R²}‖A − B‖ (lip_a.u).
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    namespace mt = model_terms;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R ≥ 4, every A, B, x with ‖A‖ ≤ R, ‖B‖ ≤ R, ‖x‖₂ ≤ R, ‖(A − B)x‖_∞ < 1/100";
    d.statement = mt::a_type_statement(false);
    const Term A = named("A"), B = named("B"), x = named("x"), D = opnorm(sub(A, B));
    d.names = {{mt::alpha(A, x), "α(A)"}, {mt::alpha(B, x), "α(B)"}, {mt::u(A, x), "u(A)"}, {mt::u(B, x), "u(B)"}};
    d.statement.claim = {abs(sub(mt::alpha(A, x), mt::alpha(B, x))), mt::lip_alpha_bound(D)};
    const Term du = sub(mt::u(A, x), mt::u(B, x));
    d.steps = {
        {abs(dot_ones(du)), by_algebra()},
        {mul({sqrt(sym("n")), norm2(du)}), by_rule("cauchy_schwarz_ones")},
        {mul({sqrt(sym("n")), mt::lip_u_bound(D)}), by_obligation("lip_a.u", {{"A", A}, {"B", B}, {"x", x}})},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipAAlpha)
