// thm.shift_a (main theorem, data shift): a layer mapping A_t to A_{t+1} moves the target by
// ‖b̂ − b‖₂ ≤ M‖A_{t+1} − A_t‖, b̂ = b + f_{A_t}(x) − f_{A_{t+1}}(x), M = n^{1.5} e^{10R²}, on the
// A-type domain (A = A_t, B = A_{t+1}; families include B from a real self-attention layer).
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct ThmShiftA {
  static Meta meta() {
    return {.id = "thm.shift_a", .kind = Kind::paper, .provenance = "confirmed (M) / reconstructed (hypotheses)",
            .citation = "arXiv 2304.13276 Theorem 5.2 (NeurIPS version), bounded shift for learning in context",
            .statement = "‖b̂ − b‖₂ ≤ M‖A_{t+1} − A_t‖, b̂ = b + f_{A_t}(x) − f_{A_{t+1}}(x), M = n^{1.5}e^{10R²}",
            .constant_expression = "M = n^{1.5} e^{10R²}"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) {
    return {{"A", s.n, s.d, "A_t"}, {"B", s.n, s.d, "A_{t+1}"}, {"x", s.d, 1, "weights"}, {"b", s.n, 1, "target"}};
  }
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return domain::n_pow_1_5(p) * ops::exp(T(10) * p.R2());
  }
  /// What the chain actually gives: lip_*.f with the paper's β = e^{−R²} (statements.md, loose 1).
  static std::string chain_constant_expression() { return "4 n^{1.5} R e^{4R²}"; }
  template <class T>
  static T chain_constant(const Params<T>& p) {
    return T(4) * domain::n_pow_1_5(p) * p.R * ops::exp(T(4) * p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>("A"), b = c.mat<T>("B");
    const Vec<T> x = c.vec<T>("x");
    Evaluation<T> e;
    domain::require_a_type(e, p, a, b, x);
    const Vec<T> target = c.vec<T>("b");
    e.lhs = norm2<T>(Vec<T>(model::data_shift_target(a, b, x, target) - target));
    e.constant = constant(p, T(1));
    e.factor = domain::opnorm<T>(Mat<T>(b - a));
    return e;
  }
  /// Prover: ‖b̂ − b‖₂ = ‖f_{A_t}(x) − f_{A_{t+1}}(x)‖₂, so the mean-value form of lip_a.f with M.
  static ProofForm proof_form(const Settings& s) {
    return domain::mean_value_form_a(s, "maxᵢ(½ − 2(pᵢ − ½)²)·‖x‖₂");
  }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>& p) {
    Evaluation<T> e = domain::softmax_mean_value_a(box, p);
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domain::a_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domain::a_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domain::a_type_project(c, s); }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::ThmShiftA)
