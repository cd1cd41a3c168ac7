#include "certbound/oracle/arb.hpp"

#include <cstdio>

namespace certbound::oracle {

BMat exact(const Eigen::Ref<const Eigen::MatrixXd>& m) {
  BMat r(m.rows(), m.cols());
  for (Eigen::Index i = 0; i < m.rows(); ++i)
    for (Eigen::Index j = 0; j < m.cols(); ++j) arb_set_d(r(i, j), m(i, j));  // exact
  return r;
}

BMat exact(const std::vector<double>& v) {
  BMat r(static_cast<Eigen::Index>(v.size()), 1);
  for (std::size_t i = 0; i < v.size(); ++i) arb_set_d(r[static_cast<Eigen::Index>(i)], v[i]);  // exact
  return r;
}

namespace {

/// Precision of the rounded ball bounds (see containment() in the header).
slong bound_bits(mpfr_srcptr lo, mpfr_srcptr hi) {
  return std::max<slong>(2048, 64 + static_cast<slong>(std::max(mpfr_get_prec(lo), mpfr_get_prec(hi))));
}

}  // namespace

Containment containment(const Enclosure& e, arb_srcptr ball) {
  mpfr_srcptr lo = e.lo.get(), hi = e.hi.get();
  if (!arb_is_finite(ball)) return Containment::not_finite;
  // mpfr_cmp and arf_cmp both answer 0 ("equal") for NaN: a NaN endpoint must not read as inside.
  if (mpfr_nan_p(lo) || mpfr_nan_p(hi)) return Containment::unresolved;
  const slong bits = bound_bits(lo, hi);
  arf_t lb, ub, l, h;
  arf_init(lb);
  arf_init(ub);
  arf_init(l);
  arf_init(h);
  arb_get_lbound_arf(lb, ball, bits);  // rounded down
  arb_get_ubound_arf(ub, ball, bits);  // rounded up
  arf_set_mpfr(l, lo);                 // exact
  arf_set_mpfr(h, hi);
  Containment c = Containment::unresolved;
  if (arf_cmp(l, lb) <= 0 && arf_cmp(ub, h) <= 0) c = Containment::inside;
  else if (arf_cmp(ub, l) < 0 || arf_cmp(lb, h) > 0) c = Containment::outside;
  arf_clear(lb);
  arf_clear(ub);
  arf_clear(l);
  arf_clear(h);
  return c;
}

bool encloses(const Enclosure& e, const Ball& ball) {
  return !e.has_nan() && containment(e, ball.b) == Containment::inside;
}

std::pair<double, double> outward_doubles(arb_srcptr ball) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (!arb_is_finite(ball)) return {-inf, inf};
  arf_t lo, hi;
  arf_init(lo);
  arf_init(hi);
  // Bounds exactly (prec: enough bits for midpoint ± radius), then one directed rounding each.
  arb_get_lbound_arf(lo, ball, ARF_PREC_EXACT);
  arb_get_ubound_arf(hi, ball, ARF_PREC_EXACT);
  const std::pair<double, double> out{arf_get_d(lo, ARF_RND_FLOOR), arf_get_d(hi, ARF_RND_CEIL)};
  arf_clear(lo);
  arf_clear(hi);
  return out;
}

std::string hex(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%a", v);
  return buf;
}

}  // namespace certbound::oracle
