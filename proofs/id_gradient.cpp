// id.gradient: the closed form ∇L(x) = Aᵀ(diag(f) − ffᵀ)c(x) (DLS23 Lemma 5.6) agrees with the
// derivative of L obtained by forward-mode automatic differentiation: two independent code paths
// whose enclosures must overlap ("consistent"); disjoint enclosures refute the formula.
#include "certbound/model/dual.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct IdGradient {
  static Meta meta() {
    return {.id = "id.gradient", .kind = Kind::identity, .provenance = "confirmed (DLS23 5.6)",
            .citation = "DLS23 (arXiv 2304.10411) Lemma 5.6",
            .statement = "∇L(x) = Aᵀ(diag(f) − ffᵀ)c(x) equals the derivative of L by automatic differentiation",
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
    const Vec<T> formula = model::gradient(a, x, b);
    using D = Dual<T>;
    const Eigen::Index d = x.size();
    Vec<D> xd(d);
    for (Eigen::Index i = 0; i < d; ++i) xd(i) = D::variable(x(i), static_cast<size_t>(i), static_cast<size_t>(d));
    const D l = model::loss<D>(a.template cast<D>(), xd, b.template cast<D>());
    for (Eigen::Index i = 0; i < d; ++i) {
      e.path_a.push_back(formula(i));
      e.path_b.push_back(l.d.empty() ? T(0) : l.d[static_cast<size_t>(i)]);
    }
    return e;
  }
  static std::vector<Case> families(const Settings& s, Rng& rng) { return domains::x_type_families(s, rng); }
  static Case random_case(const Settings& s, Rng& rng) { return domains::ball_random(s, rng); }
  static void project(Case& c, const Settings& s) { domains::ball_project(c, s); }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::IdGradient)
