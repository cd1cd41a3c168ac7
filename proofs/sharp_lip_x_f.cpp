// sharp.lip_x.f: ‖f(x) − f(y)‖₂ ≤ ½‖A(x − y)‖₂ for any A, x, y (the R-free form; with ‖A‖ ≤ R it
// gives (R/2)‖x − y‖₂). Follows from sharp.softmax_jacobian by the mean-value theorem; approached as
// y → x at p = (½, ½) with A(x − y) ∥ (1, −1).
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct SharpLipXF {
  static Meta meta() {
    return {.id = "sharp.lip_x.f", .kind = Kind::sharp, .provenance = "derived",
            .citation = "derived: sharp constant of lip_x.f",
            .statement = "‖f(x) − f(y)‖₂ ≤ ½‖A(x − y)‖₂ for any A, x, y", .constant_expression = "½"};
  }
  static std::vector<InputSpec> inputs(const Settings& s) {
    return {{"A", s.n, s.d, "data"}, {"x", s.d, 1, "first point"}, {"y", s.d, 1, "second point"}};
  }
  template <class T>
  static T constant(const Params<T>&, [[maybe_unused]] const T& beta) {
    return ops::rational<T>(1, 2);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const Mat<T> a = c.mat<T>("A");
    const Vec<T> x = c.vec<T>("x"), y = c.vec<T>("y");
    Evaluation<T> e;
    e.lhs = norm2<T>(Vec<T>(model::f(a, x) - model::f(a, y)));
    e.constant = constant(p, T(1));
    e.factor = norm2<T>(model::matvec(a, Vec<T>(x - y)));
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domain::sharp_x_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domain::x_type_random(s, rng); }
  static void project(Case& c, const Settings& s) { domain::ball_project(c, s); }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::SharpLipXF)
