// certbound constants --n N --R R [--precision BITS] [--json]: every constant as a certified
// enclosure and its log10, including M = n^{1.5}e^{10R²}, β = e^{−R²} and the chain constant
// 4n^{1.5}R e^{4R²}. Double intervals where finite, multiprecision otherwise (e^{1000} overflows).
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "certbound/obligation/settings_json.hpp"
#include "certbound/arith/escalate.hpp"
#include "certbound/obligation/domains.hpp"
#include "certbound/report/report.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace certbound::cli {
namespace {

struct NamedConstant {
  std::string id, expression;
  Enclosure value;
  unsigned bits;
};

/// Evaluate a constant given as a generic lambda of Params<T>, in double intervals when the
/// result is finite and positive there, else at the smallest multiprecision level that is.
template <class F>
NamedConstant evaluate_constant(std::string id, std::string expression, const Settings& s, unsigned max_bits, F&& f) {
  auto decided = [](const Enclosure& e) {
    return !e.has_nan() && e.upper_double() < std::numeric_limits<double>::max() && e.lower_double() > 0;
  };
  Escalated r = escalate([&](auto tag) { return to_enclosure(f(Params<typename decltype(tag)::type>::from(s))); },
                         decided, max_bits);
  return {std::move(id), std::move(expression), r.value, r.bits};
}

/// Significant digits for a log10 enclosure: 10, plus one per decade of its magnitude beyond 10^4,
/// so that log10 M ≈ 4342944819033.87 (R = 10^6) still shows its fraction.
int log10_digits(const Enclosure& l) {
  if (l.has_nan()) return 10;
  const double m = std::fabs(l.mid_double());
  return m >= 1e5 && std::isfinite(m) ? 10 + static_cast<int>(std::floor(std::log10(m))) - 4 : 10;
}

struct ConstantsCommand {
  Settings settings;
  unsigned precision = 1025;
  bool json = false;

  int run() {
    validate_settings(settings);
    validate_precision(precision);
    std::vector<NamedConstant> out;
    out.push_back(evaluate_constant("M", "n^{1.5} e^{10R²}", settings, precision,
                                    [](const auto& p) { return domains::n_pow_1_5(p) * ops::exp(decltype(p.R)(10) * p.R2()); }));
    out.push_back(evaluate_constant("beta", "e^{−R²}", settings, precision, [](const auto& p) { return ops::exp(-p.R2()); }));
    out.push_back(evaluate_constant("chain", "4n^{1.5}R e^{4R²} (lip_*.f with β = e^{−R²})", settings, precision,
                                    [](const auto& p) {
                                      using T = decltype(p.R);
                                      return T(4) * domains::n_pow_1_5(p) * p.R * ops::exp(T(4) * p.R2());
                                    }));
    for (const Obligation* o : all_obligations()) {
      if (const auto c = o->constant(settings)) out.push_back({o->meta().id, o->meta().constant_expression, *c, 0});
    }
    if (json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& c : out)
        arr.push_back({{"id", c.id}, {"expression", c.expression}, {"enclosure", report::enclosure_json(c.value)},
                       {"log10", report::enclosure_json(c.value.log10())}});
      nlohmann::json doc = {{"schema_version", 1},
                            {"command", "constants"},
                            {"parameters", settings_json(settings)},
                            {"provenance", report::provenance(command_line(), 0, precision)},
                            {"constants", arr}};
      std::printf("%s\n", doc.dump(2).c_str());
      return kOk;
    }
    std::printf("certified constants at n = %d, R = %s (β = e^{−R²}); enclosures rounded outward\n", settings.n,
                settings.R.c_str());
    for (const auto& c : out) {
      const Enclosure l = c.value.log10();
      std::printf("  %s%s%s\n  %-24s %-44s log10 %s\n", report::pad_right(c.id, 25).c_str(),
                  report::pad_right(c.expression, 45).c_str(), c.value.str(10).c_str(),
                  "", "", l.str(log10_digits(l)).c_str());
    }
    return kOk;
  }
};

const bool registered_constants = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<ConstantsCommand>();
  auto* sub = app.add_subcommand("constants", "print every constant of the paper as a certified enclosure");
  add_settings_options(*sub, cmd->settings, false);
  sub->add_option("--precision", cmd->precision, "highest precision in bits for constants beyond double")->capture_default_str();
  sub->add_flag("--json", cmd->json, "print JSON");
  return [cmd] { return cmd->run(); };
});

}  // namespace
}  // namespace certbound::cli
