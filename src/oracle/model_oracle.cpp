// The formulas, and why they differ from the model's, are listed in model_oracle.hpp.
#include "certbound/oracle/model_oracle.hpp"

#include <stdexcept>

namespace certbound::oracle {

using Idx = Eigen::Index;

namespace {

/// g(m) = 1 − Σ pᵢ²/(pᵢ − m) and g'(m) = −Σ pᵢ²/(pᵢ − m)² as balls.
void secular_g(Ball& g, Ball& dg, const BMat& p, const arf_t m, slong prec) {
  Ball t, q;
  arb_one(g.b);
  arb_zero(dg.b);
  for (Idx i = 0; i < p.rows(); ++i) {
    arb_sub_arf(t.b, p[i], m, prec);
    arb_sqr(q.b, p[i], prec);
    arb_div(q.b, q.b, t.b, prec);
    arb_sub(g.b, g.b, q.b, prec);
    arb_div(q.b, q.b, t.b, prec);
    arb_sub(dg.b, dg.b, q.b, prec);
  }
}

/// The sign of g at m: +1, −1, or 0 when the ball contains 0.
int secular_sign(const BMat& p, const arf_t m, slong prec) {
  Ball g, dg;
  secular_g(g, dg, p, m, prec);
  return arb_is_positive(g.b) ? 1 : (arb_is_negative(g.b) ? -1 : 0);
}

/// One run at `prec` bits: λ_max(diag(p) − ppᵀ) for p = softmax(z), the root of g in
/// (p₍₂₎, p₍₁₎) (g decreasing there, positive left of the root). The bracket [lo, hi] only ever
/// moves on certain signs of g; Newton steps (from ball midpoints) only propose points, and the
/// final bracket around a converged Newton iterate is checked by the signs of g at both ends.
Ball lambda_max_at(const BMat& z, slong prec) {
  const BMat p = ModelOracle(prec).softmax(z);
  const Idx n = z.rows();
  Ball result;
  if (n == 1) {  // J = p(1 − p)
    Ball one_minus;
    arb_one(one_minus.b);
    arb_sub(one_minus.b, one_minus.b, p[0], prec);
    arb_mul(result.b, p[0], one_minus.b, prec);
    return result;
  }
  // The two largest logits (softmax is increasing in its own logit): p₍₁₎ and p₍₂₎.
  auto above = [&](Idx i, Idx k) { return arf_cmp(arb_midref(z[i]), arb_midref(z[k])) > 0; };
  Idx top = 0;
  for (Idx i = 1; i < n; ++i)
    if (above(i, top)) top = i;
  Idx second = top == 0 ? 1 : 0;
  for (Idx i = 0; i < n; ++i)
    if (i != top && above(i, second)) second = i;
  if (arf_equal(arb_midref(z[second]), arb_midref(z[top]))) return p.ball(top);  // exact tie: p₍₂₎ ≤ λ_max ≤ p₍₁₎ = p₍₂₎
  arf_t lo, hi, m, newton, step, tol, a, b;
  for (arf_ptr x : {lo, hi, m, newton, step, tol, a, b}) arf_init(x);
  arb_get_ubound_arf(lo, p[second], prec);
  arb_get_lbound_arf(hi, p[top], prec);
  if (arf_cmp(lo, hi) >= 0) {
    for (arf_ptr x : {lo, hi, m, newton, step, tol, a, b}) arf_clear(x);
    throw std::logic_error("ModelOracle::softmax_jacobian_norm: p(2) and p(1) overlap at " + std::to_string(prec) +
                           " bits");
  }
  Ball g, dg;
  bool have_newton = false;
  for (int it = 0; it < 8 * prec; ++it) {
    if (have_newton && arf_cmp(lo, newton) < 0 && arf_cmp(newton, hi) < 0) {
      arf_set(m, newton);
    } else {
      // Split at a power of two while the bracket spans more than a factor 4 (tiny roots), else
      // at the midpoint.
      const slong elo = arf_abs_bound_lt_2exp_si(lo), ehi = arf_abs_bound_lt_2exp_si(hi);
      bool split = false;
      if (ehi - elo > 2) {
        arf_one(m);
        arf_mul_2exp_si(m, m, (elo + ehi) / 2);
        split = arf_cmp(lo, m) < 0 && arf_cmp(m, hi) < 0;
      }
      if (!split) {
        arf_add(m, lo, hi, ARF_PREC_EXACT, ARF_RND_DOWN);
        arf_mul_2exp_si(m, m, -1);
      }
    }
    secular_g(g, dg, p, m, prec);
    if (arb_is_positive(g.b)) {
      arf_set(lo, m);  // the root is to the right of m
    } else if (arb_is_negative(g.b)) {
      arf_set(hi, m);  // … to the left
    } else {
      // m is within the balls' resolution of the root: bracket it from both sides, at a distance
      // where g moves by more than the ball's radius (4 rad(g)/|g'|), at least 2^-(prec-12) m.
      arf_set_mag(step, arb_radref(g.b));
      arf_abs(tol, arb_midref(dg.b));
      arf_div(step, step, tol, prec, ARF_RND_UP);
      arf_mul_2exp_si(step, step, 2);
      arf_mul_2exp_si(tol, m, -(prec - 12));
      if (arf_cmp(step, tol) < 0) arf_set(step, tol);
      for (int k = 0; k < 8; ++k, arf_mul_2exp_si(step, step, 4)) {
        arf_sub(a, m, step, prec, ARF_RND_DOWN);
        arf_add(b, m, step, prec, ARF_RND_UP);
        if (arf_cmp(lo, a) < 0 && arf_cmp(b, hi) < 0 && secular_sign(p, a, prec) > 0 && secular_sign(p, b, prec) < 0) {
          arf_set(lo, a);
          arf_set(hi, b);
          break;
        }
      }
      break;
    }
    arf_mul_2exp_si(tol, hi, -(prec - 8));
    arf_sub(step, hi, lo, prec, ARF_RND_UP);
    if (arf_cmp(step, tol) <= 0) break;
    // Newton proposal m − g/g' from the midpoints.
    arf_div(step, arb_midref(g.b), arb_midref(dg.b), prec, ARF_RND_NEAR);
    arf_sub(newton, m, step, prec, ARF_RND_NEAR);
    have_newton = true;
    arf_abs(step, step);
    arf_mul_2exp_si(tol, m, -(prec - 8));
    if (arf_cmp(step, tol) <= 0) {  // converged: try a small bracket around the iterate
      arf_mul_2exp_si(step, step, 2);
      arf_mul_2exp_si(tol, m, -(prec - 12));
      if (arf_cmp(step, tol) < 0) arf_set(step, tol);
      arf_sub(a, newton, step, prec, ARF_RND_DOWN);
      arf_add(b, newton, step, prec, ARF_RND_UP);
      if (arf_cmp(lo, a) < 0 && arf_cmp(b, hi) < 0 && secular_sign(p, a, prec) > 0 && secular_sign(p, b, prec) < 0) {
        arf_set(lo, a);
        arf_set(hi, b);
        break;
      }
      have_newton = false;  // no luck: bisect on
    }
  }
  // The root lies in [lo, hi] (and is an eigenvalue: g(λ) = 0 off the poles).
  arb_set_interval_arf(result.b, lo, hi, prec);
  for (arf_ptr x : {lo, hi, m, newton, step, tol, a, b}) arf_clear(x);
  return result;
}

}  // namespace

BMat ModelOracle::matvec(const BMat& a, const BMat& x) const {
  BMat z(a.rows(), 1);
  for (Idx i = 0; i < a.rows(); ++i)
    for (Idx j = 0; j < a.cols(); ++j) arb_addmul(z[i], a(i, j), x[j], p_);
  return z;
}

BMat ModelOracle::matmul(const BMat& a, const BMat& b) const {
  BMat r(a.rows(), b.cols());
  for (Idx i = 0; i < a.rows(); ++i)
    for (Idx j = 0; j < b.cols(); ++j)
      for (Idx k = 0; k < a.cols(); ++k) arb_addmul(r(i, j), a(i, k), b(k, j), p_);
  return r;
}

BMat ModelOracle::transpose(const BMat& a) const {
  BMat t(a.cols(), a.rows());
  for (Idx i = 0; i < a.rows(); ++i)
    for (Idx k = 0; k < a.cols(); ++k) arb_set(t(k, i), a(i, k));
  return t;
}

BMat ModelOracle::u(const BMat& a, const BMat& x) const {
  BMat z = matvec(a, x);
  for (Idx i = 0; i < z.rows(); ++i) arb_exp(z[i], z[i], p_);
  return z;
}

Ball ModelOracle::alpha(const BMat& a, const BMat& x) const {
  const BMat e = u(a, x);
  Ball s;
  for (Idx i = 0; i < e.rows(); ++i) arb_add(s.b, s.b, e[i], p_);
  return s;
}

BMat ModelOracle::softmax(const BMat& z) const {
  const Idx n = z.rows();
  Idx k = 0;
  for (Idx i = 1; i < n; ++i)
    if (arf_cmp(arb_midref(z[i]), arb_midref(z[k])) > 0) k = i;
  BMat e(n, 1);
  Ball s;
  for (Idx j = 0; j < n; ++j) {
    arb_sub(e[j], z[j], z[k], p_);
    arb_exp(e[j], e[j], p_);
    arb_add(s.b, s.b, e[j], p_);
  }
  for (Idx j = 0; j < n; ++j) arb_div(e[j], e[j], s.b, p_);
  return e;
}

BMat ModelOracle::f(const BMat& a, const BMat& x) const { return softmax(matvec(a, x)); }

BMat ModelOracle::c(const BMat& a, const BMat& x, const BMat& b) const {
  BMat r = f(a, x);
  for (Idx i = 0; i < r.rows(); ++i) arb_sub(r[i], r[i], b[i], p_);
  return r;
}

Ball ModelOracle::loss(const BMat& a, const BMat& x, const BMat& b) const {
  const BMat r = c(a, x, b);
  Ball s;
  for (Idx i = 0; i < r.rows(); ++i) arb_addmul(s.b, r[i], r[i], p_);
  arb_mul_2exp_si(s.b, s.b, -1);
  return s;
}

BMat ModelOracle::abar(const BMat& a, const BMat& p) const {
  BMat r(a.cols(), 1);
  for (Idx k = 0; k < a.cols(); ++k)
    for (Idx i = 0; i < a.rows(); ++i) arb_addmul(r[k], p[i], a(i, k), p_);
  return r;
}

BMat ModelOracle::centered(const BMat& a, const BMat& abar) const {
  BMat g(a.rows(), a.cols());
  for (Idx i = 0; i < a.rows(); ++i)
    for (Idx k = 0; k < a.cols(); ++k) arb_sub(g(i, k), a(i, k), abar[k], p_);
  return g;
}

BMat ModelOracle::gradient(const BMat& a, const BMat& x, const BMat& b) const {
  const BMat p = f(a, x), g = centered(a, abar(a, p));
  BMat r(a.cols(), 1);
  Ball w;
  for (Idx i = 0; i < a.rows(); ++i) {
    arb_sub(w.b, p[i], b[i], p_);
    arb_mul(w.b, w.b, p[i], p_);
    for (Idx k = 0; k < a.cols(); ++k) arb_addmul(r[k], w.b, g(i, k), p_);
  }
  return r;
}

BMat ModelOracle::gradient_closed(const BMat& a, const BMat& x, const BMat& b) const {
  const Idx n = a.rows();
  const BMat p = f(a, x);
  BMat c(n, 1);
  for (Idx i = 0; i < n; ++i) arb_sub(c[i], p[i], b[i], p_);
  BMat jc(n, 1);
  Ball t;
  for (Idx r = 0; r < n; ++r)
    for (Idx s = 0; s < n; ++s) {
      arb_mul(t.b, p[r], p[s], p_);
      arb_neg(t.b, t.b);
      if (r == s) arb_add(t.b, t.b, p[r], p_);
      arb_addmul(jc[r], t.b, c[s], p_);
    }
  BMat g(a.cols(), 1);
  for (Idx k = 0; k < a.cols(); ++k)
    for (Idx i = 0; i < n; ++i) arb_addmul(g[k], a(i, k), jc[i], p_);
  return g;
}

BMat ModelOracle::hessian(const BMat& a, const BMat& x, const BMat& b) const {
  const Idx n = a.rows(), d = a.cols();
  const BMat p = f(a, x), g = centered(a, abar(a, p));
  BMat w(n, 1);
  Ball s, ci, t;
  for (Idx i = 0; i < n; ++i) {
    arb_sub(ci.b, p[i], b[i], p_);
    arb_addmul(s.b, ci.b, p[i], p_);
    arb_add(w[i], p[i], ci.b, p_);
    arb_mul(w[i], w[i], p[i], p_);
  }
  BMat h(d, d);
  for (Idx k = 0; k < d; ++k)
    for (Idx l = 0; l < d; ++l) {
      Ball cov;
      for (Idx i = 0; i < n; ++i) {
        arb_mul(t.b, g(i, k), g(i, l), p_);
        arb_addmul(h(k, l), w[i], t.b, p_);
        arb_addmul(cov.b, p[i], t.b, p_);
      }
      arb_submul(h(k, l), s.b, cov.b, p_);
    }
  return h;
}

BMat ModelOracle::hessian_b(const BMat& a, const BMat& x, const BMat& b) const {
  const Idx n = a.rows();
  const BMat p = f(a, x);
  Ball s1, s2, t, u;
  for (Idx i = 0; i < n; ++i) {
    arb_mul_ui(t.b, p[i], 3, p_);
    arb_submul_ui(t.b, b[i], 2, p_);
    arb_addmul(s1.b, t.b, p[i], p_);
    arb_sub(t.b, b[i], p[i], p_);
    arb_addmul(s2.b, t.b, p[i], p_);
  }
  BMat bm(n, n);
  for (Idx i = 0; i < n; ++i)
    for (Idx j = 0; j < n; ++j) {
      arb_ptr e = bm(i, j);
      arb_mul(t.b, p[i], p[j], p_);
      arb_mul(e, s1.b, t.b, p_);     // ⟨3f−2b, f⟩ f_i f_j
      arb_addmul(e, b[i], t.b, p_);  // (b∘f)_i f_j
      arb_addmul(e, b[j], t.b, p_);  // f_i (b∘f)_j
      arb_mul(u.b, t.b, p[i], p_);
      arb_submul_ui(e, u.b, 2, p_);  // −2 (f∘f)_i f_j
      arb_mul(u.b, t.b, p[j], p_);
      arb_submul_ui(e, u.b, 2, p_);  // −2 f_i (f∘f)_j
      if (i == j) {
        arb_addmul(e, s2.b, p[i], p_);  // ⟨b−f, f⟩ f_i
        arb_mul_ui(u.b, p[i], 2, p_);
        arb_sub(u.b, u.b, b[i], p_);
        arb_addmul(e, u.b, p[i], p_);  // (2f_i − b_i) f_i
      }
    }
  return matmul(transpose(a), matmul(bm, a));
}

BMat ModelOracle::softmax_jacobian(const BMat& p) const {
  const Idx n = p.rows();
  BMat j(n, n);
  for (Idx r = 0; r < n; ++r)
    for (Idx s = 0; s < n; ++s) {
      arb_mul(j(r, s), p[r], p[s], p_);
      arb_neg(j(r, s), j(r, s));
      if (r == s) arb_add(j(r, s), j(r, s), p[r], p_);
    }
  return j;
}

Ball ModelOracle::softmax_jacobian_norm(const BMat& z) const {
  for (Idx i = 0; i < z.size(); ++i)
    if (!arb_is_exact(z[i])) throw std::invalid_argument("ModelOracle::softmax_jacobian_norm: logits must be points");
  Ball r;
  for (slong bits = p_; bits <= 16 * p_; bits *= 4) {
    r = lambda_max_at(z, bits);
    if (arb_rel_accuracy_bits(r.b) >= p_ - 40) break;
  }
  return r;
}

BMat ModelOracle::jacobian_x(const BMat& a, const BMat& x) const {
  const BMat p = f(a, x);
  BMat g = centered(a, abar(a, p));
  for (Idx i = 0; i < a.rows(); ++i)
    for (Idx k = 0; k < a.cols(); ++k) arb_mul(g(i, k), g(i, k), p[i], p_);
  return g;
}

BMat ModelOracle::jacobian_a(const BMat& a, const BMat& x) const {
  const Idx n = a.rows(), d = a.cols();
  const BMat p = f(a, x);
  BMat j(n, n * d);
  Ball t;
  for (Idx i = 0; i < n; ++i)
    for (Idx k = 0; k < n; ++k) {
      arb_neg(t.b, p[k]);
      if (i == k) arb_add_ui(t.b, t.b, 1, p_);
      arb_mul(t.b, t.b, p[i], p_);
      for (Idx l = 0; l < d; ++l) arb_mul(j(i, k * d + l), t.b, x[l], p_);
    }
  return j;
}

BMat ModelOracle::gradient_step(const BMat& a, const BMat& x, const BMat& b, const Ball& eta) const {
  const BMat g = gradient(a, x, b);
  BMat r(x.rows(), 1);
  for (Idx k = 0; k < x.rows(); ++k) {
    arb_set(r[k], x[k]);
    arb_submul(r[k], eta.b, g[k], p_);
  }
  return r;
}

BMat ModelOracle::weight_shift(const BMat& a, const BMat& x, const BMat& b, const Ball& eta) const {
  const BMat f0 = f(a, x), f1 = f(a, gradient_step(a, x, b, eta));
  BMat r(b.rows(), 1);
  for (Idx i = 0; i < b.rows(); ++i) {
    arb_add(r[i], b[i], f0[i], p_);
    arb_sub(r[i], r[i], f1[i], p_);
  }
  return r;
}

BMat ModelOracle::self_attention_update(const BMat& a, const BMat& wq, const BMat& wk, const BMat& wv) const {
  const Idx n = a.rows();
  const BMat q = matmul(a, wq), k = matmul(a, wk), v = matmul(a, wv);
  BMat out(a.rows(), a.cols());
  for (Idx i = 0; i < n; ++i) {
    BMat s(n, 1);
    for (Idx j = 0; j < n; ++j)
      for (Idx l = 0; l < q.cols(); ++l) arb_addmul(s[j], q(i, l), k(j, l), p_);
    const BMat w = softmax(s);
    for (Idx l = 0; l < a.cols(); ++l) {
      arb_set(out(i, l), a(i, l));
      if (l < v.cols())
        for (Idx j = 0; j < n; ++j) arb_addmul(out(i, l), w[j], v(j, l), p_);
    }
  }
  return out;
}

BMat ModelOracle::data_shift(const BMat& a, const BMat& a_next, const BMat& x, const BMat& b) const {
  const BMat f0 = f(a, x), f1 = f(a_next, x);
  BMat r(b.rows(), 1);
  for (Idx i = 0; i < b.rows(); ++i) {
    arb_add(r[i], b[i], f0[i], p_);
    arb_sub(r[i], r[i], f1[i], p_);
  }
  return r;
}

}  // namespace certbound::oracle
