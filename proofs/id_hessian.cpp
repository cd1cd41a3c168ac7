// id.hessian: the closed form ∇²L(x) = Aᵀ B(x) A of proofs/STATEMENTS.md, "Setup" (derived) agrees with the second
// derivative of L by nested forward-mode automatic differentiation (Dual<Dual<T>>).
#include "certbound/model/dual.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct IdHessian {
  static Meta meta() {
    return {.id = "id.hessian", .kind = Kind::identity, .provenance = "derived",
            .citation = "derived closed form of ∇²L (proofs/STATEMENTS.md, Setup)",
            .statement = "∇²L(x) = AᵀB(x)A equals the second derivative of L by automatic differentiation",
            .constant_expression = "",
            .domain = "any A ∈ ℝ^{n×d}, x ∈ ℝ^d, b ∈ ℝⁿ: an identity, no hypothesis is checked "
                      "(cases are sampled with ‖A‖ ≤ R, ‖x‖₂ ≤ R)",
            .attained = ""};
  }
  static std::vector<InputSpec> inputs(const Settings& s) {
    return {{input::A, s.n, s.d, "data"}, {input::x, s.d, 1, "weights"}, {input::b, s.n, 1, "target"}};
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>&) {
    const Mat<T> a = c.mat<T>(input::A);
    const Vec<T> x = c.vec<T>(input::x), b = c.vec<T>(input::b);
    Evaluation<T> e;
    const Mat<T> formula = model::hessian(a, x, b);
    using D1 = Dual<T>;
    using D2 = Dual<D1>;
    const Eigen::Index d = x.size();
    const size_t dn = static_cast<size_t>(d);
    Vec<D2> xd(d);
    for (Eigen::Index i = 0; i < d; ++i) {
      const size_t k = static_cast<size_t>(i);
      xd(i) = D2::variable(D1::variable(x(i), k, dn), k, dn);
    }
    const D2 l = model::loss<D2>(a.template cast<D2>(), xd, b.template cast<D2>());
    for (Eigen::Index i = 0; i < d; ++i) {
      for (Eigen::Index j = 0; j < d; ++j) {
        e.path_a.push_back(formula(i, j));
        const size_t ii = static_cast<size_t>(i), jj = static_cast<size_t>(j);
        e.path_b.push_back(l.d.size() > ii && l.d[ii].d.size() > jj ? l.d[ii].d[jj] : T(0));
      }
    }
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::ball_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::ball_project(c, s); }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::IdHessian)
