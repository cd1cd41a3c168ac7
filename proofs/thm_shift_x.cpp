// thm.shift_x (main theorem, weight shift): one gradient step x_{t+1} = x_t − η∇L(x_t) moves the
// target by ‖b̃ − b‖₂ ≤ M‖x_{t+1} − x_t‖₂, M = n^{1.5} e^{10R²}, on the x-type domain with x = x_t,
// y = x_{t+1}. x_{t+1} and b̃ are carried as enclosures of their exact values.
#include "certbound/obligation/domains.hpp"
#include "certbound/obligation/model_terms.hpp"

namespace certbound::proofs {

struct ThmShiftX {
  static Meta meta() {
    return {.id = "thm.shift_x", .kind = Kind::paper, .provenance = "confirmed (M) / reconstructed (hypotheses)",
            .citation = "arXiv 2304.13276 Theorem 5.1 (NeurIPS version), bounded shift for learning in context",
            .statement = "‖b̃ − b‖₂ ≤ M‖x_{t+1} − x_t‖₂, b̃ = b + f(x_t) − f(x_{t+1}), M = n^{1.5}e^{10R²}",
            .constant_expression = "M = n^{1.5} e^{10R²}",
            .domain = "η > 0, any b ∈ ℝⁿ, x_{t+1} = x_t − η∇L(x_t) taken exactly; "
                      "‖A‖ ≤ R, ‖x_t‖₂ ≤ R, ‖x_{t+1}‖₂ ≤ R, ‖A(x_{t+1} − x_t)‖_∞ < 1/100, R ≥ 4 "
                      "(the proof uses both endpoints in the ball; the paper states ‖x‖₂ ≤ R for one)",
            .attained = "not attained: M is loose by a factor of order e^{160} at R = 4, "
                        "since ‖b̃ − b‖₂ = ‖f(x_t) − f(x_{t+1})‖₂ ≤ (R/2)‖x_{t+1} − x_t‖₂ (sharp.lip_x.f)"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) {
    return {{input::A, s.n, s.d, "data"}, {input::x, s.d, 1, "x_t"}, {input::b, s.n, 1, "target"}};
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
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x), b = c.vec<T>(input::b);
    const Vec<T> x_next = model::gradient_step(a, x, b, p.eta);
    Evaluation<T> e;
    e.require("η > 0", p.eta, true);
    domains::require_x_type(e, p, a, x, x_next, "x_t", "x_{t+1}");
    const Vec<T> b_tilde = model::weight_shift_target(a, x, x_next, b);
    e.lhs = linalg::norm2<T>(Vec<T>(b_tilde - b));
    e.constant = constant(p, T(1));
    e.factor = linalg::norm2<T>(Vec<T>(x_next - x));
    return e;
  }
  /// Prover: ‖b̃ − b‖₂ = ‖f(x_t) − f(x_{t+1})‖₂, so the mean-value form of lip_x.f with constant M.
  static ProofForm proof_form(const Settings& s) {
    return domains::mean_value_form_x(s, "‖(diag(p) − ppᵀ)A‖ ≤ maxᵢ(½ − 2(pᵢ − ½)²)·‖A‖", domains::Invariance::rotation);
  }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>& p) {
    Evaluation<T> e = domains::softmax_mean_value_x(box, p);
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) {
    std::vector<Case> out = domains::x_type_families(s, rng);
    for (Case& c : out) shift_x_project_keep(c, s);
    return out;
  }
  static Case random_case(const Settings& s, Rng& rng) {
    Case c = domains::x_type_random(s, rng);
    shift_x_project_keep(c, s);
    return c;
  }
  static void project(Case& c, const Settings& s) { domains::shift_x_project(c, s); }

  /// The paper's chain: b̃ − b = f(x_t) − f(x_{t+1}), lip_x.f at y = x_{t+1} with β = e^{−R²}
  /// (admissible at both points by bounds.alpha_lower: α ≥ n e^{−R²} ≥ e^{−R²}), then thm.absorb
  /// (4R e^{4R²} ≤ e^{10R²}). lip_x.f needs ‖x_{t+1}‖₂ ≤ R as well as ‖x_t‖₂ ≤ R: the statement
  /// proved carries both (the paper's statement names one point only).
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    namespace mt = model_terms;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, R ≥ 4, η > 0, every b and every A, x_t with ‖A‖ ≤ R, ‖x_t‖₂ ≤ R, ‖x_{t+1}‖₂ ≤ R, "
              "‖A(x_{t+1} − x_t)‖_∞ < 1/100 (‖x_{t+1}‖₂ ≤ R: in certbound's statement, not in the paper's; its proof needs it)";
    d.statement.signature.symbols = {{"n", at_least(1)}, {"d", at_least(1)}, {"R", at_least(4)}, {"η", positive()}};
    d.statement.signature.inputs = {{"A", matrix_of("n", "d")}, {"x", vector_of("d")}, {"b", vector_of("n")}};
    const Term A = named("A"), x = named("x"), b = named("b"), R = sym("R");
    const Term x_next = mt::gradient_step(A, x, b, sym("η"));
    const Term b_tilde = add({b, mt::f(A, x), neg(mt::f(A, x_next))});
    d.names = {{x, "x_t"}, {x_next, "x_{t+1}"}, {mt::f(A, x), "f(x_t)"}, {b_tilde, "b̃"}};
    d.statement.hypotheses = {{opnorm(A), R}, {norm2(x), R}, {norm2(x_next), R},
                              {norm_inf(apply(A, sub(x_next, x))), num(1, 100), true}};
    const Term D = norm2(sub(x_next, x)), R2 = pow(R, Rational(2));
    d.statement.claim = {norm2(sub(b_tilde, b)), mul({pow(sym("n"), Rational(3, 2)), exp(mul({num(10), R2})), D})};
    const Term beta = exp(neg(R2));
    d.steps = {
        {norm2(sub(mt::f(A, x), mt::f(A, x_next))), by_algebra()},
        {substitute(mt::lip_f_bound(D), {{"β", beta}}),
         by_obligation("lip_x.f", {{"A", A}, {"x", x}, {"y", x_next}, {"β", beta}},
                       {mt::beta_premise(A, x), mt::beta_premise(A, x_next)}),
         "β = e^{−R²}"},
        {mul({pow(sym("n"), Rational(3, 2)), mul({num(4), R, exp(mul({num(4), R2}))}), D}), by_algebra()},
        {mul({pow(sym("n"), Rational(3, 2)), exp(mul({num(10), R2})), D}), by_obligation("thm.absorb", {{"R", R}})},
    };
    return d;
  }

 private:
  static void shift_x_project_keep(Case& c, const Settings& s) {
    c.inputs.erase("y");
    domains::shift_x_project(c, s);
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::ThmShiftX)
