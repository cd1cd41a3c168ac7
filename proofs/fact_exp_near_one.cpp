// fact.exp_near_one: |eᵗ − 1| ≤ 2|t| for |t| ≤ 1/100 (used by lip_x.u to bound 1 − exp(A(y − x))).
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct FactExpNearOne {
  static Meta meta() {
    return {.id = "fact.exp_near_one", .kind = Kind::fact, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, preliminaries (approximation of exp near 0)",
            .statement = "|eᵗ − 1| ≤ 2|t| for |t| ≤ 0.01", .constant_expression = "2"};
  }
  static std::vector<InputSpec> inputs(const Settings&) { return {{"t", 1, 1, "argument"}}; }
  template <class T>
  static T constant(const Params<T>&, [[maybe_unused]] const T& beta) {
    return T(2);
  }
  template <class T>
  static Evaluation<T> evaluate(const Case& c, const Params<T>& p) {
    const T t = c.scalar<T>("t");
    Evaluation<T> e;
    e.require("|t| ≤ 1/100", domain::one_hundredth<T>() - ops::abs(t));
    e.lhs = ops::abs(ops::expm1(t));
    e.constant = constant(p, T(1));
    e.factor = ops::abs(t);
    return e;
  }
  static std::vector<Case> families(const Settings&, Rng&) {
    std::vector<Case> out;
    for (double t : {0.01 * (1 - 1e-15), -0.01 * (1 - 1e-15), 1e-3, -1e-3, 1e-300, -0x1p-1074, 5e-3}) {
      Case c;
      c.family = "grid";
      c.inputs["t"] = Eigen::MatrixXd::Constant(1, 1, t);
      out.push_back(c);
    }
    return out;
  }
  static Case random_case(const Settings&, Rng& rng) {
    Case c;
    c.family = "random";
    c.inputs["t"] = Eigen::MatrixXd::Constant(1, 1, rng.uniform(-0.00999, 0.00999));
    return c;
  }
  static void project(Case& c, const Settings&) {
    double& t = c.inputs.at("t")(0, 0);
    t = std::clamp(t, -0.0099999999, 0.0099999999);
    if (t == 0) t = 1e-12;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::FactExpNearOne)
