// lip_a.f: ‖f(A) − f(B)‖₂ ≤ 4β⁻² n^{1.5} R e^{2R²} ‖A − B‖ on the A-type domain.
// Chain (the paper's, as in proofs/STATEMENTS.md): f(A) − f(B) = α(A)⁻¹(u(A) − u(B)) + (α(A)⁻¹ − α(B)⁻¹)u(B), then
// lip_a.u, lip_a.alpha_inv, bounds.u_2 and β⁻¹ ≤ β⁻²·n e^{R²}.
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct LipAF {
  static Meta meta() {
    return {.id = "lip_a.f",
            .kind = Kind::paper,
            .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, Lipschitz chain in A (after DLS23 Lemma 7.2)",
            .statement = "‖f(A) − f(B)‖₂ ≤ 4β⁻² n^{1.5} R e^{2R²} ‖A − B‖",
            .constant_expression = "4β⁻² n^{1.5} R e^{2R²}",
            .domain = "‖A‖ ≤ R, ‖B‖ ≤ R, ‖x‖₂ ≤ R, ‖(A − B)x‖_∞ < 1/100, R ≥ 4 (both matrices in the ball); "
                      "0 < β ≤ min(α(A), α(B)) (by default β = e^{−R²}, admissible everywhere on this domain)",
            .attained = "not attained: the constant is loose; on this domain ‖f(A) − f(B)‖₂ ≤ (R/2)‖A − B‖ "
                        "already holds (sharp.lip_a.f with ‖x‖₂ ≤ R)"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domains::a_type_inputs(s); }
  /// The statement's constant (β: the admissible lower bound of α used by the run).
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return T(4) / ops::sqr(beta) * domains::n_pow_1_5(p) * p.R * ops::exp(T(2) * p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A), b = c.mat<T>(input::B);
    const Vec<T> x = c.vec<T>(input::x);
    Evaluation<T> e;
    domains::require_a_type(e, p, a, b, x);
    const T beta = domains::beta(e, p, model::alpha(a, x), model::alpha(b, x));
    e.lhs = linalg::norm2<T>(Vec<T>(model::f(a, x) - model::f(b, x)));
    e.constant = constant(p, beta);
    e.factor = domains::opnorm<T>(Mat<T>(a - b));
    return e;
  }
  /// Prover: mean value in A, ‖∂f/∂A[H]‖₂ = ‖(diag(p) − ppᵀ)Hx‖₂ ≤ ‖diag(p) − ppᵀ‖‖x‖₂‖H‖.
  static ProofForm proof_form(const Settings& s) {
    return domains::mean_value_form_a(s, "maxᵢ(½ − 2(pᵢ − ½)²)·‖x‖₂", domains::Invariance::rotation);
  }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>& p) {
    Evaluation<T> e = domains::softmax_mean_value_a(box, p);
    e.constant = constant(p, p.beta_value ? *p.beta_value : ops::exp(-p.R2()));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::a_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::a_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::a_type_project(c, s); }
  /// The split f(A) − f(B) = α(A)⁻¹(u(A) − u(B)) + (α(A)⁻¹ − α(B)⁻¹)u(B), then lip_a.u,
  /// lip_a.alpha_inv, bounds.u_2 and β⁻¹ ≤ β⁻²α(A) ≤ β⁻²n e^{R²}; for every admissible β.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    namespace mt = model_terms;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R ≥ 4, every β > 0 and A, B, x with ‖A‖ ≤ R, ‖B‖ ≤ R, ‖x‖₂ ≤ R, "
              "‖(A − B)x‖_∞ < 1/100, β ≤ α(A), β ≤ α(B)";
    d.statement = mt::a_type_statement(true);
    const Term A = named("A"), B = named("B"), x = named("x"), D = opnorm(sub(A, B));
    d.names = {{mt::f(A, x), "f(A)"}, {mt::f(B, x), "f(B)"}, {mt::u(A, x), "u(A)"}, {mt::u(B, x), "u(B)"},
               {mt::alpha(A, x), "α(A)"}, {mt::alpha(B, x), "α(B)"}};
    d.statement.claim = {norm2(sub(mt::f(A, x), mt::f(B, x))), mt::lip_f_bound(D)};
    d.steps = mt::f_difference_chain(A, x, B, x,
                                     {"lip_a.u", "lip_a.alpha_inv", {{"A", A}, {"B", B}, {"x", x}}, mt::a_beta_a,
                                      mt::lip_u_bound(D), mt::lip_alpha_inv_bound(D)});
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::LipAF)
