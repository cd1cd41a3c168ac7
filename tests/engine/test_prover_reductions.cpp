// The box prover's reductions, checked against the Arb oracle: the rotation invariance that shrinks
// a mean-value form's vector to r·e₁, and the contraction of ‖A‖ and ‖v‖₂ by their hypotheses.
//
// A form that declares rotation invariance proves sup over {(A, r·e₁)} of its bound ≤ C and
// concludes the statement at every (A, v) of the domain. That is sound only if, at every point
// (A, v), the bound at the rotated point (AQ, r·e₁) — Q the Householder reflection with Qv = r·e₁,
// r = ‖v‖₂ — is at least the true Jacobian norm at (A, v). The test computes both sides
// independently: the oracle's Jacobian at (A, v) in Arb (a lower bound on its norm: the largest
// column norm, each column being J applied to a unit input), and the form's bound over a box of
// doubles that certainly contains the exact rotated point (Q computed in Arb, rounded outward).
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "certbound/engine/prover.hpp"
#include "certbound/obligation/obligation.hpp"
#include "certbound/oracle/model_oracle.hpp"
#include "run_cli.hpp"

using certbound::test::run_cli;
using certbound::test::scratch_dir;
using certbound::test::slurp;

// The file's own namespace keeps its using-directives from the files after it in a unity batch.
namespace test_prover_reductions {

namespace {

using namespace certbound;
using oracle::Ball;
using oracle::BMat;

constexpr slong kOracleBits = 256;

/// √(Σ_i m(i, col)²) as a ball.
Ball column_norm(const BMat& m, Eigen::Index col) {
  Ball sum, sq;
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    arb_sqr(sq.b, m(i, col), kOracleBits);
    arb_add(sum.b, sum.b, sq.b, kOracleBits);
  }
  arb_sqrt(sum.b, sum.b, kOracleBits);
  return sum;
}

/// A lower bound (as a ball) on the operator norm of the Jacobian the form bounds, at (a, v).
Ball jacobian_norm_lower(const std::string& id, const oracle::ModelOracle& o, const BMat& a, const BMat& v) {
  BMat j;
  if (id == "lip_x.u") {  // J = diag(u)A
    const BMat u = o.u(a, v);
    j = a;
    for (Eigen::Index i = 0; i < a.rows(); ++i)
      for (Eigen::Index k = 0; k < a.cols(); ++k) arb_mul(j(i, k), a(i, k), u[i], kOracleBits);
  } else if (id == "lip_x.alpha") {  // ∇α = Aᵀu, a vector: its norm exactly
    j = o.matvec(o.transpose(a), o.u(a, v));
  } else if (id == "lip_x.f" || id == "thm.shift_x") {
    j = o.jacobian_x(a, v);
  } else {  // lip_a.f, thm.shift_a: column k·d + l is J applied to H = e_k e_lᵀ, ‖H‖ = 1
    j = o.jacobian_a(a, v);
  }
  Ball best;
  for (Eigen::Index c = 0; c < j.cols(); ++c) {
    const Ball col = column_norm(j, c);
    arb_max(best.b, best.b, col.b, kOracleBits);
  }
  return best;
}

struct Rotated {
  BMat a;  ///< A·Q (Q symmetric: Qᵀ = Q)
  Ball r;  ///< ‖v‖₂
};

/// Q = I − 2wwᵀ/(wᵀw), w = v − ‖v‖₂e₁: Qv = ‖v‖₂e₁ exactly, in balls.
Rotated householder(const BMat& a, const BMat& v) {
  const Eigen::Index d = v.rows();
  Rotated out{BMat(a.rows(), d), Ball()};
  Ball sq;
  for (Eigen::Index k = 0; k < d; ++k) {
    arb_sqr(sq.b, v[k], kOracleBits);
    arb_add(out.r.b, out.r.b, sq.b, kOracleBits);
  }
  arb_sqrt(out.r.b, out.r.b, kOracleBits);
  BMat w = v;
  arb_sub(w[0], w[0], out.r.b, kOracleBits);
  Ball ww;
  for (Eigen::Index k = 0; k < d; ++k) {
    arb_sqr(sq.b, w[k], kOracleBits);
    arb_add(ww.b, ww.b, sq.b, kOracleBits);
  }
  BMat q(d, d);
  Ball t;
  for (Eigen::Index i = 0; i < d; ++i)
    for (Eigen::Index k = 0; k < d; ++k) {
      arb_mul(t.b, w[i], w[k], kOracleBits);
      arb_mul_2exp_si(t.b, t.b, 1);
      arb_div(t.b, t.b, ww.b, kOracleBits);
      arb_neg(q(i, k), t.b);
      if (i == k) arb_add_si(q(i, k), q(i, k), 1, kOracleBits);
    }
  oracle::ModelOracle o(kOracleBits);
  out.a = o.matmul(a, q);
  return out;
}

/// The form's box around the exact rotated point: A·Q and r·e₁ rounded outward.
Box rotated_box(const ProofForm& form, const Rotated& rot) {
  Box box;
  for (const auto& var : form.variables) {
    if (var.input == "A") {
      box.push_back(oracle::outward_doubles(rot.a(var.row, var.col)));
    } else if (var.row == 0) {
      box.push_back(oracle::outward_doubles(rot.r.b));
    } else {
      box.push_back({0.0, 0.0});
    }
  }
  return box;
}

/// The same box with A unrotated: a deliberately wrong reduction, for the negative control.
Box unrotated_box(const ProofForm& form, const Eigen::MatrixXd& a, const Rotated& rot) {
  Box box = rotated_box(form, rot);
  for (size_t k = 0; k < form.variables.size(); ++k)
    if (form.variables[k].input == "A") box[k] = {a(form.variables[k].row, form.variables[k].col), a(form.variables[k].row, form.variables[k].col)};
  return box;
}

/// A random point of the domain: ‖A‖_F ≤ 0.9R (so ‖A‖ ≤ R) and ‖v‖₂ ≤ 0.9R, v not along e₁.
std::pair<Eigen::MatrixXd, Eigen::VectorXd> random_point(int n, int d, double r, std::mt19937_64& rng) {
  Eigen::MatrixXd a(n, d);
  Eigen::VectorXd v(d);
  for (Eigen::Index k = 0; k < a.size(); ++k) a.data()[k] = oracle::uniform(rng, -1, 1);
  for (int k = 0; k < d; ++k) v(k) = oracle::uniform(rng, -1, 1);
  a *= 0.9 * r * oracle::unit(rng) / a.norm();
  v *= 0.9 * r * oracle::unit(rng) / v.norm();
  return {a, v};
}

std::string hex_point(const Eigen::MatrixXd& a, const Eigen::VectorXd& v) {
  std::string s = "A =";
  for (Eigen::Index k = 0; k < a.size(); ++k) s += " " + oracle::hex(a.data()[k]);
  s += "; v =";
  for (Eigen::Index k = 0; k < v.size(); ++k) s += " " + oracle::hex(v(k));
  return s;
}

}  // namespace

TEST_SUITE("prover") {

TEST_CASE("rotation-invariant forms bound the true Jacobian norm at every point from the rotated point") {
  const char* const ids[] = {"lip_x.u", "lip_x.alpha", "lip_x.f", "thm.shift_x", "lip_a.f", "thm.shift_a"};
  const oracle::ModelOracle o(kOracleBits);
  int wrong_reduction_caught = 0;
  for (const char* id : ids) {
    const Obligation& ob = *find_obligation(id);
    for (const auto& [n, d] : {std::pair{2, 2}, std::pair{3, 2}, std::pair{2, 3}}) {
      Settings s;
      s.n = n;
      s.d = d;
      s.R = "2";  // e^{R²} stays moderate, so the oracle's balls and the bounds are sharp
      const ProofForm form = *ob.proof_form(s);
      REQUIRE(form.reduction.find("rotation invariance") != std::string::npos);
      const Params<Interval> p = Params<Interval>::from(s);
      std::mt19937_64 rng(0xC0FFEE + static_cast<unsigned>(n * 10 + d));
      for (int sample = 0; sample < 12; ++sample) {
        const auto [a, v] = random_point(n, d, 2.0, rng);
        const std::string where = std::string(id) + " n=" + std::to_string(n) + " d=" + std::to_string(d) + " " + hex_point(a, v);
        CAPTURE(where);
        const BMat ab = oracle::exact(a), vb = oracle::exact(std::vector<double>(v.data(), v.data() + d));
        const Rotated rot = householder(ab, vb);
        const Box box = rotated_box(form, rot);
        const Ball truth = jacobian_norm_lower(id, o, ab, vb);
        const Evaluation<Interval> e = ob.prove_evaluate(box_case(form, box), p);
        // Sound: the bound's upper end is not certainly below the true norm.
        CHECK_FALSE(arb_gt(truth.b, Ball(e.lhs.upper()).b));
        // The negative control: the same test rejects a reduction that forgets to rotate A.
        const Evaluation<Interval> wrong = ob.prove_evaluate(box_case(form, unrotated_box(form, a, rot)), p);
        if (arb_gt(truth.b, Ball(wrong.lhs.upper()).b)) ++wrong_reduction_caught;
      }
    }
  }
  CHECK(wrong_reduction_caught > 0);
}

TEST_CASE("contraction by the hypotheses closes every proof form's statement at n 3, d 2 and n 4, d 2") {
  // On the root box ‖A‖ reaches R·√(nd); contracted to R, lip_x.u's bound e^{‖A‖‖ξ‖₂}‖A‖ is
  // R·e^{R²} ≤ 2√n R e^{R²} at once. The certificate states the reduction and verifies at 128 bits.
  const std::string dir = scratch_dir("prove-contracted");
  for (const char* args : {"lip_x.u --n 3 --d 2", "lip_x.alpha --n 3 --d 2", "lip_x.f --n 4 --d 2", "sharp.lip_x.f --n 4 --d 2"}) {
    CAPTURE(args);
    const auto r = run_cli(std::string("prove ") + args + " --certificate " + dir + "/c.cert", dir);
    CAPTURE(r.out);
    CHECK((r.code == 0 || r.code == 5));
    const std::string cert = slurp(dir + "/c.cert");
    if (std::string(args).rfind("sharp", 0) != 0) {
      CHECK(cert.find("contracted by their hypotheses") != std::string::npos);
      CHECK(cert.find("rotation invariance") != std::string::npos);
    }
    const auto v = run_cli("verify-certificate " + dir + "/c.cert", dir);
    CAPTURE(v.out);
    CHECK(v.code == r.code);
  }
}

}  // TEST_SUITE

}  // namespace test_prover_reductions
