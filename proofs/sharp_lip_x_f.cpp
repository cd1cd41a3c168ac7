// sharp.lip_x.f: ‖f(x) − f(y)‖₂ ≤ ½‖A(x − y)‖₂ for any A, x, y (the R-free form; with ‖A‖ ≤ R it
// gives (R/2)‖x − y‖₂). Follows from sharp.softmax_jacobian by the mean-value theorem; approached as
// y → x at p = (½, ½) with A(x − y) ∥ (1, −1).
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct SharpLipXF {
  static Meta meta() {
    return {.id = "sharp.lip_x.f", .kind = Kind::sharp, .provenance = "derived",
            .citation = "derived: sharp constant of lip_x.f",
            .statement = "‖f(x) − f(y)‖₂ ≤ ½‖A(x − y)‖₂ for any A, x, y", .constant_expression = "½",
            .domain = "any A ∈ ℝ^{n×d} and x, y ∈ ℝ^d: no norm bound, no 1/100 step condition, no R ≥ 4 "
                      "(with ‖A‖ ≤ R the right side is at most (R/2)‖x − y‖₂)",
            .attained = "approached, never reached, as y → x with f(x) = (½, ½) and A(x − y) ∥ (1, −1) "
                        "(for n ≥ 3: f(x) → (½, ½, 0, …)); with d = 1 and n ≥ 3 the constant is not reached, "
                        "the logits Ax lying on a line (numerically the best ratio is n/(4(n − 1)) < ½); "
                        "at n = 1 f is constant and the left side is 0"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) { return domains::x_type_inputs(s); }
  template <class T>
  static T constant(const Params<T>&, [[maybe_unused]] const T& beta) {
    return ops::rational<T>(1, 2);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x), y = c.vec<T>(input::y);
    Evaluation<T> e;
    e.lhs = linalg::norm2<T>(Vec<T>(model::f(a, x) - model::f(a, y)));
    e.constant = constant(p, T(1));
    e.factor = linalg::norm2<T>(model::matvec(a, Vec<T>(x - y)));
    return e;
  }
  /// Prover: f(x) − f(y) = ∫ J(z(t)) A(x − y) dt with z(t) = A(y + t(x − y)), so the statement
  /// follows from ‖J(z)‖ ≤ ½ at every z = Aξ (Gershgorin form, exact at the constant ½).
  static ProofForm proof_form(const Settings& s) {
    ProofForm f;
    f.reduction = "mean-value theorem: ‖f(x) − f(y)‖₂ ≤ sup_ξ ‖diag(p) − ppᵀ‖·‖A(x − y)‖₂, p = softmax(Aξ), with "
                  "‖diag(p) − ppᵀ‖ ≤ maxᵢ(½ − 2(pᵢ − ½)²) (symmetric, Gershgorin)";
    f.proved_statement = "the statement for every A ∈ [−R, R]^{n×d} and x, y ∈ [−R, R]^d (the segment between x and y "
                         "stays in the box)";
    f.sub_domain = "A ∈ [−R, R]^{n×d}, x, y ∈ [−R, R]^d (the statement is for any A, x, y)";
    domains::add_box_variables(f.variables, "A", s.n, s.d, domains::radius_upper(s));
    domains::add_box_variables(f.variables, "xi", s.d, 1, domains::radius_upper(s));
    domains::add_box_variables(f.statement_box, "A", s.n, s.d, domains::radius_upper(s));
    domains::add_box_variables(f.statement_box, "x", s.d, 1, domains::radius_upper(s));
    domains::add_box_variables(f.statement_box, "y", s.d, 1, domains::radius_upper(s));
    return f;
  }
  template <class T>
  static Evaluation<T> prove_evaluate(const Case& box, const Params<T>& p) {
    Evaluation<T> e;
    e.lhs = model::softmax_jacobian_norm_upper(model::f(box.mat<T>(input::A), box.vec<T>(input::xi)));
    e.constant = constant(p, T(1));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::sharp_x_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::x_type_random(s, rng); }
  /// The domain is every input: nothing to pull back. (A ball ‖A‖, ‖x‖₂ ≤ R would cap the logits
  /// at R², and with them how near p comes to (½, ½, 0, …): at n = 16 within about 10⁻⁴ of the
  /// constant.) The search drops points whose ratio is not finite in double.
  static void project(Case&, const Settings&) {}
  /// For every n, d and every A, x, y: the mean-value inequality with sharp.softmax_jacobian, which
  /// holds at every point of ℝⁿ (so on the whole segment from Ay to Ax).
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "n ≥ 1, d ≥ 1, every A ∈ ℝ^{n×d}, x, y ∈ ℝ^d";
    d.statement.signature.symbols = {{"n", at_least(1)}, {"d", at_least(1)}};
    d.statement.signature.inputs = {{"A", matrix_of("n", "d")}, {"x", vector_of("d")}, {"y", vector_of("d")}};
    const Term A = named("A"), x = named("x"), y = named("y");
    d.statement.claim = {norm2(sub(softmax(apply(A, x)), softmax(apply(A, y)))),
                         mul({num(1, 2), norm2(apply(A, sub(x, y)))})};
    d.steps = {{mul({num(1, 2), norm2(sub(apply(A, x), apply(A, y)))}), by_mean_value("sharp.softmax_jacobian")}};
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::SharpLipXF)
