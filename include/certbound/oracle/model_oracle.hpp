// The oracle of the model: the softmax-regression model written a second time, directly in Arb
// ball arithmetic at a caller-chosen precision, with textbook formulas that deliberately do NOT
// follow the code under test (include/certbound/model/softmax_regression.hpp), so that the two
// cannot share a derivation or a rounding bug:
//
//   z, u, α    z = Ax, u = exp(z), α = Σu, c = f − b, L = ½Σc²
//   softmax    exp(z_i − z_k) / Σ_j exp(z_j − z_k), k the largest midpoint (the model uses the
//              prefix/suffix form 1 / (1 + e^{m − z_i} S_{−i})); the unshifted u/α would give a
//              non-exact ball for the exact answers the model returns at n = 1 or equal logits,
//              e.g. f = 1 exactly
//   gradient   Σ_i c_i f_i (a_i − ā), ā = Aᵀf (chain rule per entry; the model: Aᵀ(diag f − ffᵀ)c)
//   gradient_closed   Aᵀ(diag f − ffᵀ)c with the n×n matrix written out (for the AD tests, and to
//              check the chain-rule form)
//   hessian    Σ_i f_i(f_i + c_i) g_i g_iᵀ − (Σ_i c_i f_i) Σ_j f_j g_j g_jᵀ, g_i = a_i − ā
//              (second-order chain rule; the model: Aᵀ B(x) A)
//   hessian_b  Aᵀ B A with the n×n matrix B of proofs/STATEMENTS.md formed entry by entry (the
//              model groups it as rank-one terms plus Aᵀ diag(w) A)
//   jacobians  ∂f_i/∂x = f_i (a_i − ā), ∂f_i/∂A_kl = (δ_ik − f_k) f_i x_l
//   J(p)       p_i − p_i² on the diagonal (the model: ¼ − (p_i − ½)²), −p_r p_s elsewhere
//   ‖J(p)‖₂    λ_max(diag(p) − ppᵀ) by bisection with certain signs on the secular function in its
//              general form g(λ) = 1 − Σ_i p_i²/(p_i − λ) (decreasing on (p₍₂₎, p₍₁₎), positive to
//              the left of the root), not the simplex form h = −g/λ the model uses; when the
//              largest logits are exactly tied, λ_max = p₍₁₎ (interlacing)
//
// Arb balls are rigorous at every precision: a ball that is not inside an enclosure at one
// precision is recomputed at a higher one (oracle::escalate, or a caller's own ladder) until it is
// inside or certainly sticks out. Inputs are doubles converted exactly (oracle::exact); vectors
// are n×1 BMats, A is n×d, W_Q, W_K, W_V are d×d.
#pragma once

#include "certbound/oracle/arb.hpp"

namespace certbound::oracle {

/// The model's functions in Arb at `bits` bits of working precision.
class ModelOracle {
 public:
  explicit ModelOracle(slong bits) : p_(bits) {}
  slong bits() const { return p_; }

  BMat matvec(const BMat& a, const BMat& x) const;
  BMat matmul(const BMat& a, const BMat& b) const;
  BMat transpose(const BMat& a) const;

  /// u = exp(Ax) and α = Σu (unshifted, as the paper defines them).
  BMat u(const BMat& a, const BMat& x) const;
  Ball alpha(const BMat& a, const BMat& x) const;
  /// Textbook stable softmax: exp(z_i − z_k) / Σ_j exp(z_j − z_k), k the largest midpoint.
  BMat softmax(const BMat& z) const;
  BMat f(const BMat& a, const BMat& x) const;
  BMat c(const BMat& a, const BMat& x, const BMat& b) const;
  Ball loss(const BMat& a, const BMat& x, const BMat& b) const;

  /// ā = Aᵀ p (the p-weighted mean row of A).
  BMat abar(const BMat& a, const BMat& p) const;
  /// g_i = a_i − ā (n×d).
  BMat centered(const BMat& a, const BMat& abar) const;

  /// ∇L = Σ_i c_i ∇f_i with ∇f_i = f_i (a_i − ā).
  BMat gradient(const BMat& a, const BMat& x, const BMat& b) const;
  /// The closed form Aᵀ(diag(f) − ffᵀ)c with the n×n matrix written out.
  BMat gradient_closed(const BMat& a, const BMat& x, const BMat& b) const;
  /// ∇²L = Σ_i [∇f_i∇f_iᵀ + c_i∇²f_i] with ∇f_i = f_i g_i, ∇²f_i = f_i(g_i g_iᵀ − Cov):
  /// Σ_i f_i(f_i + c_i) g_i g_iᵀ − (Σ_i c_i f_i) Cov, Cov = Σ_j f_j g_j g_jᵀ.
  BMat hessian(const BMat& a, const BMat& x, const BMat& b) const;
  /// ∇²L = AᵀB(x)A with B = ⟨3f−2b, f⟩ffᵀ + (b∘f)fᵀ + f(b∘f)ᵀ − 2(f∘f)fᵀ − 2f(f∘f)ᵀ
  /// + ⟨b−f, f⟩diag(f) + diag((2f−b)∘f), written out entry by entry.
  BMat hessian_b(const BMat& a, const BMat& x, const BMat& b) const;

  /// J(p) = diag(p) − ppᵀ for any p (not only a softmax output).
  BMat softmax_jacobian(const BMat& p) const;
  /// ‖J(p)‖₂ = λ_max(J(p)) for p = softmax(z), from point logits z (exact balls: the exact tie
  /// test needs them), to at least bits() − 40 correct bits: g = 1 − Σ… cancels when p₍₁₎ is
  /// close to 1 (then λ_max ≈ 1 − p₍₁₎ is tiny), so the run is repeated at 4× and 16× bits().
  Ball softmax_jacobian_norm(const BMat& z) const;
  /// ∂f_i/∂x_k = f_i (a_ik − ā_k) (n×d).
  BMat jacobian_x(const BMat& a, const BMat& x) const;
  /// ∂f_i/∂A_kl = (δ_ik − f_k) f_i x_l, column k·d + l (n×nd).
  BMat jacobian_a(const BMat& a, const BMat& x) const;

  /// x − η∇L(x).
  BMat gradient_step(const BMat& a, const BMat& x, const BMat& b, const Ball& eta) const;
  /// b + f(x) − f(x_next), x_next = x − η∇L(x) the exact step (a ball).
  BMat weight_shift(const BMat& a, const BMat& x, const BMat& b, const Ball& eta) const;
  /// A + softmax_rows(Q Kᵀ) V with Q = A W_Q, K = A W_K, V = A W_V (the columns of A beyond those
  /// of V are kept).
  BMat self_attention_update(const BMat& a, const BMat& wq, const BMat& wk, const BMat& wv) const;
  /// b + f_A(x) − f_{A_next}(x).
  BMat data_shift(const BMat& a, const BMat& a_next, const BMat& x, const BMat& b) const;

 private:
  slong p_;
};

}  // namespace certbound::oracle
