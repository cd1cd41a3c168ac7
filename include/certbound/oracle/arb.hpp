// The Arb layer of the independent oracle: the one place where Arb objects are created and
// destroyed (RAII), doubles become balls, balls are compared with enclosures, and test inputs are
// drawn from raw generator bits. Everything that checks the code under test against Arb — the
// tests, `certbound stress`, `certbound bench` — goes through it, so a fix to a containment rule or
// to the bit mapping of the inputs is made once. It includes nothing of certbound but arith (the
// Enclosure it compares against): src/layering.cmake fails the build otherwise, so the oracle
// cannot share a bug with the linear algebra or the model it checks.
#pragma once

#include <arb.h>
#include <arb_mat.h>
#include <mpfr.h>

#include <Eigen/Core>
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "certbound/arith/enclosure.hpp"

namespace certbound::oracle {

/// RAII Arb ball (exactly 0 when default-constructed).
struct Ball {
  arb_t b;
  Ball() { arb_init(b); }
  /// The double exactly (a ball of radius 0).
  explicit Ball(double v) {
    arb_init(b);
    arb_set_d(b, v);
  }
  Ball(const Ball& o) {
    arb_init(b);
    arb_set(b, o.b);
  }
  Ball(Ball&& o) noexcept {
    arb_init(b);
    arb_swap(b, o.b);
  }
  Ball& operator=(const Ball& o) {
    arb_set(b, o.b);
    return *this;
  }
  Ball& operator=(Ball&& o) noexcept {
    arb_swap(b, o.b);
    return *this;
  }
  ~Ball() { arb_clear(b); }
};

/// Row-major matrix of balls; vectors are n×1 and scalars 1×1. It wraps Arb's own arb_mat_t, so
/// the Arb matrix routines (arb_mat_cho, ...) apply to it through get(). Entries start at 0.
class BMat {
 public:
  BMat() : BMat(0, 0) {}
  BMat(Eigen::Index rows, Eigen::Index cols) {
    if (rows < 0 || cols < 0) throw std::invalid_argument("oracle::BMat: negative shape");
    arb_mat_init(m_, static_cast<slong>(rows), static_cast<slong>(cols));
  }
  BMat(const BMat& o) {
    arb_mat_init(m_, arb_mat_nrows(o.m_), arb_mat_ncols(o.m_));
    arb_mat_set(m_, o.m_);
  }
  BMat(BMat&& o) noexcept {
    arb_mat_init(m_, 0, 0);
    arb_mat_swap(m_, o.m_);
  }
  BMat& operator=(const BMat& o) {
    if (this != &o) {
      BMat copy(o);
      arb_mat_swap(m_, copy.m_);
    }
    return *this;
  }
  BMat& operator=(BMat&& o) noexcept {
    arb_mat_swap(m_, o.m_);
    return *this;
  }
  ~BMat() { arb_mat_clear(m_); }

  Eigen::Index rows() const { return static_cast<Eigen::Index>(arb_mat_nrows(m_)); }
  Eigen::Index cols() const { return static_cast<Eigen::Index>(arb_mat_ncols(m_)); }
  Eigen::Index size() const { return rows() * cols(); }

  arb_ptr operator()(Eigen::Index i, Eigen::Index j) { return arb_mat_entry(m_, i, j); }
  arb_srcptr operator()(Eigen::Index i, Eigen::Index j) const { return arb_mat_entry(m_, i, j); }
  /// Entry k in row-major order (the i-th entry of a vector, the only entry of a scalar).
  arb_ptr operator[](Eigen::Index k) { return arb_mat_entry(m_, k / cols(), k % cols()); }
  arb_srcptr operator[](Eigen::Index k) const { return arb_mat_entry(m_, k / cols(), k % cols()); }
  /// A copy of entry k (row-major) as a Ball.
  Ball ball(Eigen::Index k) const {
    Ball r;
    arb_set(r.b, (*this)[k]);
    return r;
  }

  arb_mat_struct* get() { return m_; }
  const arb_mat_struct* get() const { return m_; }

 private:
  arb_mat_t m_;
};

/// Doubles as balls of radius 0: the oracle starts from the very inputs the model saw.
BMat exact(const Eigen::Ref<const Eigen::MatrixXd>& m);
/// A column (n×1).
BMat exact(const std::vector<double>& v);

/// Where a ball lies with respect to an enclosure [lo, hi].
enum class Containment {
  inside,      ///< lo <= every point of the ball <= hi
  outside,     ///< the ball is certainly not in [lo, hi]: the enclosure misses the true value
  unresolved,  ///< the ball straddles an endpoint (or an endpoint is NaN, which claims nothing)
  not_finite,  ///< the ball is not finite (an oracle overflow): nothing can be decided
};

/// The ball against the enclosure [lo, hi]. The ball's bounds are rounded outward at 64 bits
/// beyond the endpoints' precision, and never below 2048 bits. Rounding at least at the endpoints'
/// precision makes the `inside` test exact (an endpoint that is <= the ball's lower bound is also
/// <= that bound rounded down to as many bits or more), so `inside` depends only on the ball; the
/// extra bits keep `outside` decisive for a ball just beyond an endpoint, which a coarser rounding
/// would leave unresolved.
Containment containment(const Enclosure& e, arb_srcptr ball);

/// The Arb ball lies inside the enclosure (lo <= ball lower bound, ball upper bound <= hi), is
/// finite, and the enclosure has no NaN endpoint.
bool encloses(const Enclosure& e, const Ball& ball);

/// Verdict of a list of enclosures against the oracle's balls (see escalate()).
struct Verdict {
  Containment result = Containment::inside;
  std::size_t entry = 0;  ///< for `outside`: the first entry certainly outside
  slong bits = 0;         ///< the oracle precision of the verdict
};

/// The containment check with escalation: `balls_at(bits)` recomputes the oracle (a BMat whose
/// row-major entries correspond to `ends`) at `start` bits, then 4× more per step up to `top`,
/// until every ball is inside, or one is certainly outside (a failure at any precision: Arb balls
/// are rigorous), or `top` is reached (then `unresolved`, or `not_finite` when some ball was not
/// finite). A correct enclosure with an endpoint within 2^-p relative of the true value needs a
/// ball sharper than 2^-p to be seen inside; that is why a straddling ball is recomputed, and why
/// it is never counted as a pass.
template <class BallsAt>
Verdict escalate(const std::vector<Enclosure>& ends, BallsAt&& balls_at, slong start, slong top) {
  for (slong bits = start;; bits *= 4) {
    const slong use = std::min<slong>(bits, top);
    const BMat o = balls_at(use);
    if (static_cast<std::size_t>(o.size()) != ends.size())
      throw std::logic_error("oracle::escalate: " + std::to_string(o.size()) + " oracle entries for " +
                             std::to_string(ends.size()) + " enclosures");
    bool all_inside = true, finite = true;
    for (std::size_t k = 0; k < ends.size(); ++k) {
      const Containment c = containment(ends[k], o[static_cast<Eigen::Index>(k)]);
      if (c == Containment::outside) return {Containment::outside, k, use};
      all_inside = all_inside && c == Containment::inside;
      finite = finite && c != Containment::not_finite;
    }
    if (all_inside) return {Containment::inside, 0, use};
    if (use == top) return {finite ? Containment::unresolved : Containment::not_finite, 0, use};
  }
}

/// The ball rounded outward to doubles: [lo, hi] ∋ every point of the ball (±inf when it is not
/// finite or beyond the double range). For building boxes that certainly contain an exact point.
std::pair<double, double> outward_doubles(arb_srcptr ball);

/// "%a" of a double (exact, reproducible input dumps in failure messages).
std::string hex(double v);

/// Uniform double in [0, 1) from the top 53 bits of one 64-bit draw: portable bit for bit, unlike
/// the std distributions, so a printed seed regenerates the same inputs everywhere.
template <class Rng>
double unit(Rng& rng) {
  static_assert(Rng::min() == 0 && Rng::max() == std::numeric_limits<std::uint64_t>::max(),
                "oracle::unit needs a generator of full 64-bit words");
  return static_cast<double>(static_cast<std::uint64_t>(rng()) >> 11) * 0x1.0p-53;
}
/// a + (b − a)·unit(rng).
template <class Rng>
double uniform(Rng& rng, double a, double b) {
  return a + (b - a) * unit(rng);
}

}  // namespace certbound::oracle
