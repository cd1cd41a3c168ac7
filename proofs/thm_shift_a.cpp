// thm.shift_a (main theorem, data shift): a layer mapping A_t to A_{t+1} moves the target by
// ‖b̂ − b‖₂ ≤ M‖A_{t+1} − A_t‖, b̂ = b + f_{A_t}(x) − f_{A_{t+1}}(x), M = n^{1.5} e^{10R²}, on the
// A-type domain (A = A_t, B = A_{t+1}; families include B from a real self-attention layer).
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct ThmShiftA {
  static Meta meta() {
    return {.id = "thm.shift_a", .kind = Kind::paper, .provenance = "confirmed (M) / reconstructed (hypotheses)",
            .citation = "arXiv 2304.13276 Theorem 5.2 (NeurIPS version), bounded shift for learning in context",
            .statement = "‖b̂ − b‖₂ ≤ M‖A_{t+1} − A_t‖, b̂ = b + f_{A_t}(x) − f_{A_{t+1}}(x), M = n^{1.5}e^{10R²}",
            .constant_expression = "M = n^{1.5} e^{10R²}",
            .domain = "any b ∈ ℝⁿ; ‖A_t‖ ≤ R, ‖A_{t+1}‖ ≤ R, ‖x‖₂ ≤ R, ‖(A_{t+1} − A_t)x‖_∞ < 1/100, R ≥ 4 "
                      "(A_{t+1} is any such matrix, e.g. the output of a self-attention layer)",
            .attained = "not attained: M is loose by a factor of order e^{160} at R = 4, "
                        "since ‖b̂ − b‖₂ = ‖f_{A_t}(x) − f_{A_{t+1}}(x)‖₂ ≤ (R/2)‖A_{t+1} − A_t‖ (sharp.lip_a.f)"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) {
    return {{input::A, s.n, s.d, "A_t"}, {input::B, s.n, s.d, "A_{t+1}"}, {input::x, s.d, 1, "weights"}, {input::b, s.n, 1, "target"}};
  }
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return domains::n_pow_1_5(p) * ops::exp(T(10) * p.R2());
  }
  /// What the chain actually gives: lip_*.f with the paper's β = e^{−R²} (proofs/STATEMENTS.md, "What is loose in the paper").
  static std::string chain_constant_expression() { return "4 n^{1.5} R e^{4R²}"; }
  template <class T>
  static T chain_constant(const Params<T>& p) {
    return T(4) * domains::n_pow_1_5(p) * p.R * ops::exp(T(4) * p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A), b = c.mat<T>(input::B);
    const Vec<T> x = c.vec<T>(input::x);
    Evaluation<T> e;
    domains::require_a_type(e, p, a, b, x);
    const Vec<T> target = c.vec<T>(input::b);
    e.lhs = linalg::norm2<T>(Vec<T>(model::data_shift_target(a, b, x, target) - target));
    e.constant = constant(p, T(1));
    e.factor = domains::opnorm<T>(Mat<T>(b - a));
    return e;
  }
  /// Prover: ‖b̂ − b‖₂ = ‖f_{A_t}(x) − f_{A_{t+1}}(x)‖₂, so the mean-value form of lip_a.f with M.
  static ProofForm proof_form(const Settings& s) {
    return domains::mean_value_form_a(s, "maxᵢ(½ − 2(pᵢ − ½)²)·‖x‖₂", domains::Invariance::rotation);
  }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>& p) {
    Evaluation<T> e = domains::softmax_mean_value_a(box, p);
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::a_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::a_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::a_type_project(c, s); }
  /// The paper's chain: b̂ − b = f_{A_t}(x) − f_{A_{t+1}}(x), lip_a.f with β = e^{−R²} (admissible
  /// by bounds.alpha_lower at both matrices), then thm.absorb (4R e^{4R²} ≤ e^{10R²}).
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    namespace mt = model_terms;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R ≥ 4, every b and every A_t, A_{t+1}, x with ‖A_t‖ ≤ R, ‖A_{t+1}‖ ≤ R, ‖x‖₂ ≤ R, "
              "‖(A_{t+1} − A_t)x‖_∞ < 1/100";
    d.statement.signature.symbols = {{"n", at_least(1)}, {"d", at_least(1)}, {"R", at_least(4)}};
    d.statement.signature.inputs = {
        {"A", matrix_of("n", "d")}, {"B", matrix_of("n", "d")}, {"x", vector_of("d")}, {"b", vector_of("n")}};
    const Term A = named("A"), B = named("B"), x = named("x"), b = named("b"), R = sym("R");
    const Term b_hat = add({b, mt::f(A, x), neg(mt::f(B, x))});
    d.names = {{A, "A_t"}, {B, "A_{t+1}"}, {b_hat, "b̂"}};
    d.statement.hypotheses = {{opnorm(A), R}, {opnorm(B), R}, {norm2(x), R},
                              {norm_inf(apply(sub(B, A), x)), num(1, 100), true}};
    const Term D = opnorm(sub(B, A)), R2 = pow(R, Rational(2));
    d.statement.claim = {norm2(sub(b_hat, b)), mul({pow(sym("n"), Rational(3, 2)), exp(mul({num(10), R2})), D})};
    const Term beta = exp(neg(R2));
    d.steps = {
        {norm2(sub(mt::f(A, x), mt::f(B, x))), by_algebra()},
        {substitute(mt::lip_f_bound(opnorm(sub(A, B))), {{"β", beta}}),
         by_obligation("lip_a.f", {{"A", A}, {"B", B}, {"x", x}, {"β", beta}},
                       {mt::beta_premise(A, x), mt::beta_premise(B, x)}),
         "β = e^{−R²}"},
        {mul({pow(sym("n"), Rational(3, 2)), mul({num(4), R, exp(mul({num(4), R2}))}), D}), by_algebra()},
        {mul({pow(sym("n"), Rational(3, 2)), exp(mul({num(10), R2})), D}), by_obligation("thm.absorb", {{"R", R}})},
    };
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::ThmShiftA)
