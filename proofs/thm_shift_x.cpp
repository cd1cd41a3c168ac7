// thm.shift_x (main theorem, weight shift): one gradient step x_{t+1} = x_t − η∇L(x_t) moves the
// target by ‖b̃ − b‖₂ ≤ M‖x_{t+1} − x_t‖₂, M = n^{1.5} e^{10R²}, on the x-type domain with x = x_t,
// y = x_{t+1}. x_{t+1} and b̃ are carried as enclosures of their exact values.
#include "certbound/obligation/domains.hpp"

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
    domains::require_x_type(e, p, a, x, x_next);
    const Vec<T> b_tilde = model::weight_shift_target(a, x, x_next, b);
    e.lhs = linalg::norm2<T>(Vec<T>(b_tilde - b));
    e.constant = constant(p, T(1));
    e.factor = linalg::norm2<T>(Vec<T>(x_next - x));
    return e;
  }
  /// Prover: ‖b̃ − b‖₂ = ‖f(x_t) − f(x_{t+1})‖₂, so the mean-value form of lip_x.f with constant M.
  static ProofForm proof_form(const Settings& s) {
    return domains::mean_value_form_x(s, "‖(diag(p) − ppᵀ)A‖ ≤ maxᵢ(½ − 2(pᵢ − ½)²)·‖A‖");
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

 private:
  static void shift_x_project_keep(Case& c, const Settings& s) {
    c.inputs.erase("y");
    domains::shift_x_project(c, s);
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::ThmShiftX)
