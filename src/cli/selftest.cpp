// certbound selftest: a readable check that the arithmetic on this machine is sound.
#include <cmath>
#include <cstdio>

#include "certbound/arith/decimal.hpp"
#include "certbound/arith/predicates.hpp"
#include "certbound/linalg/spectral_norm.hpp"
#include "cli/commands.hpp"

namespace certbound::cli {
namespace {

/// MPFR value of f at 256 bits lies in the enclosure.
bool mpfr_inside(const Enclosure& e, int (*f)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t), double x) {
  BigFloat a(256), r(256);
  mpfr_set_d(a.get(), x, MPFR_RNDN);
  f(r.get(), a.get(), MPFR_RNDN);
  return mpfr_cmp(e.lo.get(), r.get()) <= 0 && mpfr_cmp(r.get(), e.hi.get()) <= 0;
}

int run_selftest() {
  int failures = 0;
  auto report = [&](const char* what, bool ok, const std::string& detail) {
    std::printf("  %-52s %s  %s\n", what, ok ? "ok  " : "FAIL", detail.c_str());
    if (!ok) ++failures;
  };
  std::printf("certbound arithmetic self-check (%s)\n", version_string().c_str());
  std::printf("double interval: round-to-nearest + error-free transformations, MPFR endpoints\n");

  const Interval third = Interval(1.0) / Interval(3.0);
  report("1/3 has positive width and encloses 1/3", third.lower() < third.upper() &&
         third.lower() * 3 <= 1 && 1 <= third.upper() * 3 ? true : false, Enclosure::of(third).str(17));
  const Interval root2 = ops::sqrt(Interval(2.0));
  report("sqrt(2) encloses the 256-bit MPFR value", mpfr_inside(Enclosure::of(root2), mpfr_sqrt, 2.0),
         Enclosure::of(root2).str(17));
  const Interval e1 = ops::exp(Interval(1.0));
  report("exp(1) encloses e", mpfr_inside(Enclosure::of(e1), mpfr_exp, 1.0), Enclosure::of(e1).str(17));
  const Interval big = ops::exp(Interval(709.0));
  report("exp(709) encloses the 256-bit MPFR value", mpfr_inside(Enclosure::of(big), mpfr_exp, 709.0),
         Enclosure::of(big).str(6));
  const Interval hundredth = parse_scalar<Interval>("0.01");
  report("\"0.01\" is enclosed, not the double 0.01", hundredth.lower() < 0.01 && 0.01 == hundredth.upper(),
         Enclosure::of(hundredth).str(20));
  const Mp257 third256 = Mp257(1) / Mp257(3);
  report("1/3 at 257 bits is narrow", Enclosure::of(third256).width_up() < 1e-76,
         "width " + std::to_string(Enclosure::of(third256).width_up()));
  const Mp1025 exp1000 = ops::exp(Mp1025(1000));
  report("exp(1000) is finite at 1025 bits", Enclosure::of(exp1000).log10().str(8).find("inf") == std::string::npos,
         "log10 " + Enclosure::of(exp1000).log10().str(12));

  Mat<Interval> a(3, 2);
  a << Interval(3), Interval(0), Interval(0), Interval(4), Interval(0), Interval(0);
  const auto sn = linalg::spectral_norm<Interval>(a);
  report("spectral norm of diag(3,4) encloses 4", contains(sn.enclosure, 4.0),
         Enclosure::of(sn.enclosure).str(17) + " via " + to_string(sn.method));
  const Interval o = Interval(0.0, 1.0);
  report("predicates decide nothing on overlaps", !certainly_less(o, Interval(0.5)) && possibly_less(o, Interval(0.5)),
         "[0,1] vs 0.5");
  std::printf("one-ulp fallbacks so far: %llu\n", static_cast<unsigned long long>(directed::fallback_count().load()));
  std::printf("%s\n", failures == 0 ? "selftest: all checks passed" : "selftest: FAILED");
  return failures == 0 ? kOk : kViolated;
}

const bool registered_selftest = add_command([](CLI::App& app) -> std::function<int()> {
  app.add_subcommand("selftest", "check the certified arithmetic on this machine");
  return run_selftest;
});

}  // namespace
}  // namespace certbound::cli
