// The paper's model as symbolic terms, for derivations: u(x) = exp(Ax), α(x) = ⟨u(x), 1ₙ⟩,
// f(x) = softmax(Ax) = α(x)⁻¹u(x), the gradient step, and the two domains of the Lipschitz
// statements with their hypotheses in a fixed order (so that derivations cite them by name).
//
// One source for every derivation that mentions these objects: the numeric model
// (model/softmax_regression.hpp) computes the same expressions over double and intervals.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "certbound/obligation/derivation.hpp"

namespace certbound::symbolic::model_terms {

inline Term u(const Term& a, const Term& x) { return vexp(apply(a, x)); }
inline Term alpha(const Term& a, const Term& x) { return dot_ones(u(a, x)); }
inline Term f(const Term& a, const Term& x) { return softmax(apply(a, x)); }
/// ∇L(x) = Aᵀ(diag(f) − ffᵀ)(f − b) for L(x) = ½‖f(x) − b‖₂² (the paper's gradient).
inline Term gradient(const Term& a, const Term& x, const Term& b) {
  const Term fx = f(a, x);
  return apply(transpose(a), apply(jac(fx), sub(fx, b)));
}
/// x_{t+1} = x_t − η∇L(x_t), taken exactly.
inline Term gradient_step(const Term& a, const Term& x, const Term& b, const Term& eta) {
  return sub(x, mul({eta, gradient(a, x, b)}));
}
inline Term e_R2(const Term& r) { return exp(pow(r, Rational(2))); }  ///< e^{R²}

// The right sides of the Lipschitz statements, for a distance D (‖x − y‖₂ or ‖A − B‖).
inline Term lip_u_bound(const Term& D) { return mul({num(2), sqrt(sym("n")), sym("R"), e_R2(sym("R")), D}); }
inline Term lip_alpha_bound(const Term& D) { return mul({num(2), sym("n"), sym("R"), e_R2(sym("R")), D}); }
inline Term lip_alpha_inv_bound(const Term& D) { return mul({pow(sym("β"), Rational(-2)), lip_alpha_bound(D)}); }
inline Term lip_f_bound(const Term& D) {
  return mul({num(4), pow(sym("β"), Rational(-2)), pow(sym("n"), Rational(3, 2)), sym("R"),
              exp(mul({num(2), pow(sym("R"), Rational(2))})), D});
}

/// Hypothesis indices of the x-type domain (one A, two points x, y in the ball).
enum XHypothesis { x_norm_a = 0, x_norm_x = 1, x_norm_y = 2, x_step = 3, x_beta_x = 4, x_beta_y = 5 };
/// Hypothesis indices of the A-type domain (two matrices A, B in the ball, one point x).
enum AHypothesis { a_norm_a = 0, a_norm_b = 1, a_norm_x = 2, a_step = 3, a_beta_a = 4, a_beta_b = 5 };

/// One point of the ball: ‖A‖ ≤ R, ‖x‖₂ ≤ R for every R > 0, every n, d (the bounds.* statements).
inline Statement ball_statement() {
  Statement s;
  s.signature.symbols = {{"n", at_least(1)}, {"d", at_least(1)}, {"R", positive()}};
  s.signature.inputs = {{"A", matrix_of("n", "d")}, {"x", vector_of("d")}};
  s.hypotheses = {{opnorm(named("A")), sym("R")}, {norm2(named("x")), sym("R")}};
  return s;
}

/// ‖A‖ ≤ R, ‖x‖₂ ≤ R, ‖y‖₂ ≤ R, ‖A(x − y)‖_∞ < 1/100 for R ≥ 4, every n, d; with_beta adds
/// 0 < β ≤ α(x), β ≤ α(y) (every admissible β).
inline Statement x_type_statement(bool with_beta) {
  Statement s;
  s.signature.symbols = {{"n", at_least(1)}, {"d", at_least(1)}, {"R", at_least(4)}};
  s.signature.inputs = {{"A", matrix_of("n", "d")}, {"x", vector_of("d")}, {"y", vector_of("d")}};
  const Term A = named("A"), x = named("x"), y = named("y"), R = sym("R");
  s.hypotheses = {{opnorm(A), R}, {norm2(x), R}, {norm2(y), R}, {norm_inf(apply(A, sub(x, y))), num(1, 100), true}};
  if (with_beta) {
    s.signature.symbols["β"] = positive();
    s.hypotheses.push_back({sym("β"), alpha(A, x)});
    s.hypotheses.push_back({sym("β"), alpha(A, y)});
  }
  return s;
}

/// ‖A‖ ≤ R, ‖B‖ ≤ R, ‖x‖₂ ≤ R, ‖(A − B)x‖_∞ < 1/100 for R ≥ 4, every n, d; with_beta adds
/// 0 < β ≤ α(A), β ≤ α(B).
inline Statement a_type_statement(bool with_beta) {
  Statement s;
  s.signature.symbols = {{"n", at_least(1)}, {"d", at_least(1)}, {"R", at_least(4)}};
  s.signature.inputs = {{"A", matrix_of("n", "d")}, {"B", matrix_of("n", "d")}, {"x", vector_of("d")}};
  const Term A = named("A"), B = named("B"), x = named("x"), R = sym("R");
  s.hypotheses = {{opnorm(A), R}, {opnorm(B), R}, {norm2(x), R}, {norm_inf(apply(sub(A, B), x)), num(1, 100), true}};
  if (with_beta) {
    s.signature.symbols["β"] = positive();
    s.hypotheses.push_back({sym("β"), alpha(A, x)});
    s.hypotheses.push_back({sym("β"), alpha(B, x)});
  }
  return s;
}

/// The premise β ≤ α(A, x) for β = e^{−R²}: e^{−R²} ≤ n e^{−R²} (n ≥ 1) ≤ α(A, x) (bounds.alpha_lower,
/// which needs ‖A‖ ≤ R and ‖x‖₂ ≤ R among the caller's hypotheses).
inline Premise beta_premise(const Term& a, const Term& x) {
  const Term n = sym("n"), R = sym("R"), beta = exp(neg(pow(R, Rational(2))));
  ScalarLemma at_least_one;
  at_least_one.name = "e^{−R²} ≤ n e^{−R²}";
  at_least_one.variables = {{"n", at_least(1)}, {"R", positive()}};
  at_least_one.inequality = {beta, mul({n, beta})};
  at_least_one.gap = mul({sub(n, num(1)), beta});  // (n − 1)e^{−R²} ≥ 0 at sight
  return {{beta, alpha(a, x)},
          {{mul({n, beta}), by_lemma(at_least_one, {{"n", n}, {"R", R}})},
           {alpha(a, x), by_obligation("bounds.alpha_lower", {{"A", a}, {"x", x}})}}};
}

// ---- the two chains the x- and A-type Lipschitz statements share --------------------------------

/// The first half of the u chains (DLS23 Lemma 7.2 Part 1 and its A-analogue), for the points
/// p = (a₁, x₁) and q = (a₂, x₂) with w = a₂x₂ − a₁x₁:
///   ‖u(p) − u(q)‖₂ = ‖u(p)∘(1 − exp(w))‖₂ ≤ ‖u(p)‖₂ maxᵢ|e^{wᵢ} − 1| ≤ ‖u(p)‖₂·2‖w‖_∞
///                  ≤ √n e^{R²}·2‖w‖₂
/// (fact.exp_near_one entry by entry under ‖w‖_∞ < 1/100; bounds.u_2 at p). The caller continues
/// from `last` = √n e^{R²}·2‖w‖₂ with ‖w‖₂ ≤ ‖·‖‖·‖ ≤ R‖·‖.
struct UChain {
  std::vector<Step> steps;
  Term scale;  ///< √n e^{R²}
  Term w;      ///< a₂x₂ − a₁x₁
};
inline UChain u_difference_chain(const Term& a1, const Term& x1, const Term& a2, const Term& x2) {
  const Term up = u(a1, x1), w = sub(apply(a2, x2), apply(a1, x1)), gap = sub(ones("n"), vexp(w));
  const Term scale = mul({sqrt(sym("n")), e_R2(sym("R"))});
  UChain c{{}, scale, w};
  c.steps = {
      {norm2(hadamard(up, gap)), by_rule("exp_difference")},
      {mul({norm2(up), norm_inf(gap)}), by_rule("hadamard")},
      {mul({norm2(up), max_index(abs(coord(gap)))}), by_rule("norm_inf_entries")},
      {mul({norm2(up), max_index(abs(sub(exp(coord(w)), num(1))))}), by_algebra()},
      {mul({norm2(up), max_index(mul({num(2), abs(coord(w))}))}), by_obligation("fact.exp_near_one", {{"t", coord(w)}})},
      {mul({norm2(up), mul({num(2), max_index(abs(coord(w)))})}), by_algebra()},
      {mul({norm2(up), mul({num(2), norm_inf(w)})}), by_rule("norm_inf_entries")},
      {mul({scale, mul({num(2), norm_inf(w)})}), by_obligation("bounds.u_2", {{"A", a1}, {"x", x1}})},
      {mul({scale, mul({num(2), norm2(w)})}), by_rule("inf_le_2")},
  };
  return c;
}

/// The f chain of the paper (after DLS23 Lemma 7.2), for the points p = (a₁, x₁), q = (a₂, x₂):
///   f(p) − f(q) = α(p)⁻¹(u(p) − u(q)) + (α(p)⁻¹ − α(q)⁻¹)u(q),
///   ‖f(p) − f(q)‖₂ ≤ α(p)⁻¹‖u(p) − u(q)‖₂ + |α(p)⁻¹ − α(q)⁻¹|‖u(q)‖₂
///                  ≤ β⁻¹·L_u + β⁻²L_α·√n e^{R²}   (the u and α⁻¹ statements, bounds.u_2 at q)
/// and β⁻¹ = β⁻²β ≤ β⁻²α(p) ≤ β⁻²√n‖u(p)‖₂ ≤ β⁻²n e^{R²} (Cauchy–Schwarz, bounds.u_2 at p).
/// `lip` names the u and α⁻¹ statements with their instance, `beta_p` the index of β ≤ α(p),
/// `lip_u` and `lip_alpha_inv` their right sides at this instance.
struct FChainSpec {
  std::string u_id, alpha_inv_id;
  std::map<std::string, Term> instance;
  int beta_p = 0;
  Term lip_u, lip_alpha_inv;
};
inline std::vector<Step> f_difference_chain(const Term& a1, const Term& x1, const Term& a2, const Term& x2,
                                           const FChainSpec& spec) {
  const Term up = u(a1, x1), uq = u(a2, x2), ap = alpha(a1, x1), aq = alpha(a2, x2), beta = sym("β");
  const Term scale = mul({sqrt(sym("n")), e_R2(sym("R"))});
  const Term du = norm2(sub(up, uq)), dinv = abs(sub(inv(ap), inv(aq)));
  return {
      {norm2(sub(mul({inv(ap), up}), f(a2, x2))), by_rule("softmax_definition")},
      {norm2(sub(mul({inv(ap), up}), mul({inv(aq), uq}))), by_rule("softmax_definition")},
      {norm2(add({mul({inv(ap), sub(up, uq)}), mul({sub(inv(ap), inv(aq)), uq})})), by_algebra()},
      {add({norm2(mul({inv(ap), sub(up, uq)})), norm2(mul({sub(inv(ap), inv(aq)), uq}))}), by_rule("triangle")},
      {add({mul({inv(ap), du}), mul({dinv, norm2(uq)})}), by_algebra()},
      {add({mul({inv(beta), du}), mul({dinv, norm2(uq)})}), by_hypothesis(spec.beta_p)},
      {add({mul({inv(beta), spec.lip_u}), mul({dinv, norm2(uq)})}), by_obligation(spec.u_id, spec.instance)},
      {add({mul({inv(beta), spec.lip_u}), mul({spec.lip_alpha_inv, norm2(uq)})}),
       by_obligation(spec.alpha_inv_id, [&] {
         auto with_beta = spec.instance;
         with_beta["β"] = beta;
         return with_beta;
       }())},
      {add({mul({inv(beta), spec.lip_u}), mul({spec.lip_alpha_inv, scale})}), by_obligation("bounds.u_2", {{"A", a2}, {"x", x2}})},
      {add({mul({mul({pow(beta, Rational(-2)), beta}), spec.lip_u}), mul({spec.lip_alpha_inv, scale})}), by_algebra()},
      {add({mul({mul({pow(beta, Rational(-2)), ap}), spec.lip_u}), mul({spec.lip_alpha_inv, scale})}),
       by_hypothesis(spec.beta_p)},
      {add({mul({mul({pow(beta, Rational(-2)), abs(ap)}), spec.lip_u}), mul({spec.lip_alpha_inv, scale})}), by_rule("le_abs")},
      {add({mul({mul({pow(beta, Rational(-2)), mul({sqrt(sym("n")), norm2(up)})}), spec.lip_u}),
            mul({spec.lip_alpha_inv, scale})}),
       by_rule("cauchy_schwarz_ones")},
      {add({mul({mul({pow(beta, Rational(-2)), mul({sqrt(sym("n")), scale})}), spec.lip_u}), mul({spec.lip_alpha_inv, scale})}),
       by_obligation("bounds.u_2", {{"A", a1}, {"x", x1}})},
  };
}

}  // namespace certbound::symbolic::model_terms
