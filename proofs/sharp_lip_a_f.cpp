// sharp.lip_a.f: ‖f(A) − f(B)‖₂ ≤ ½‖(A − B)x‖₂ for any A, B, x (sharp.softmax_jacobian and the
// mean-value theorem along A + s(B − A)); approached as B → A at p = (½, ½), (A − B)x ∥ (1, −1).
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct SharpLipAF {
  static Meta meta() {
    return {.id = "sharp.lip_a.f", .kind = Kind::sharp, .provenance = "derived",
            .citation = "derived: sharp constant of lip_a.f",
            .statement = "‖f(A) − f(B)‖₂ ≤ ½‖(A − B)x‖₂ for any A, B, x", .constant_expression = "½",
            .domain = "any A, B ∈ ℝ^{n×d} and x ∈ ℝ^d: no norm bound, no 1/100 step condition, no R ≥ 4 "
                      "(with ‖x‖₂ ≤ R the right side is at most (R/2)‖A − B‖)",
            .attained = "approached, never reached, as B → A with f(A) = (½, ½) and (A − B)x ∥ (1, −1) "
                        "(for n ≥ 3: f(A) → (½, ½, 0, …)); also with d = 1, since A − B is free; "
                        "at n = 1 f is constant and the left side is 0"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domains::a_type_inputs(s); }
  template <class T>
  static T constant(const Params<T>&, [[maybe_unused]] const T& beta) {
    return ops::rational<T>(1, 2);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A), b = c.mat<T>(input::B);
    const Vec<T> x = c.vec<T>(input::x);
    Evaluation<T> e;
    e.lhs = linalg::norm2<T>(Vec<T>(model::f(a, x) - model::f(b, x)));
    e.constant = constant(p, T(1));
    e.factor = linalg::norm2<T>(model::matvec(Mat<T>(a - b), x));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::sharp_a_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::a_type_random(s, rng); }
  /// The domain is every input: nothing to pull back. (A ball ‖A‖, ‖x‖₂ ≤ R would cap the logits
  /// at R², and with them how near p comes to (½, ½, 0, …): at n = 16 within about 10⁻⁴ of the
  /// constant.) The search drops points whose ratio is not finite in double.
  static void project(Case&, const Settings&) {}
  /// For every n, d and every A, B, x: the mean-value inequality with sharp.softmax_jacobian.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, every A, B ∈ ℝ^{n×d}, x ∈ ℝ^d";
    d.statement.signature.symbols = {{"n", at_least(1)}, {"d", at_least(1)}};
    d.statement.signature.inputs = {{"A", matrix_of("n", "d")}, {"B", matrix_of("n", "d")}, {"x", vector_of("d")}};
    const Term A = named("A"), B = named("B"), x = named("x");
    d.statement.claim = {norm2(sub(softmax(apply(A, x)), softmax(apply(B, x)))),
                         mul({num(1, 2), norm2(apply(sub(A, B), x))})};
    d.steps = {{mul({num(1, 2), norm2(sub(apply(A, x), apply(B, x)))}), by_mean_value("sharp.softmax_jacobian")}};
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::SharpLipAF)
