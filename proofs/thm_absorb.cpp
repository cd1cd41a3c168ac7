// thm.absorb: 4R e^{4R²} ≤ e^{10R²} for R ≥ 4, the step from lip_*.f with β = e^{−R²}
// (4β⁻² n^{1.5} R e^{2R²} = 4n^{1.5} R e^{4R²}) to the theorem's M = n^{1.5} e^{10R²}.
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/domains.hpp"

namespace certbound::proofs {

struct ThmAbsorb {
  static Meta meta() {
    return {.id = "thm.absorb", .kind = Kind::paper, .provenance = "reconstructed",
            .citation = "arXiv 2304.13276, proof of the main theorem",
            .statement = "4R e^{4R²} ≤ e^{10R²} for R ≥ 4", .constant_expression = "e^{10R²}",
            .domain = "R ≥ 4 (an inequality between numbers that depend on R alone; no other input)",
            .attained = "not attained: the right side exceeds the left by the factor e^{6R²}/(4R), "
                        "at least e^{96}/16 for R ≥ 4 and increasing in R"};
  }
  static std::vector<InputSpec> inputs(const Settings&) { return {}; }
  template <class T>
  static T constant(const Params<T>& p, [[maybe_unused]] const T& beta) {
    return ops::exp(T(10) * p.R2());
  }
  template <class T>
  static Evaluation<T> evaluate(const Case&, const Params<T>& p) {
    Evaluation<T> e;
    domains::require_R_at_least_4(e, p);
    e.lhs = T(4) * p.R * ops::exp(T(4) * p.R2());
    e.constant = constant(p, T(1));
    return e;
  }
  static Case parameters_only() {
    Case c;
    c.family = "parameters";  // the statement has no inputs besides R
    return c;
  }
  static std::vector<Case> families(const Settings&, Rng&) { return {parameters_only()}; }
  static Case random_case(const Settings&, Rng&) { return parameters_only(); }
  static void project(Case&, const Settings&) {}
  /// One scalar lemma over R ∈ [4, ∞): the prover takes the log form 6R² − log 4 − log R ≥ 0 and
  /// the monotonicity rule (value at R = 4, derivative 12R − 1/R ≥ 0), never a truncated range.
  static symbolic::Derivation derivation() {
    using namespace symbolic;
    Derivation d;
    d.scope = "every R ≥ 4";
    d.statement.signature.symbols = {{"R", at_least(4)}};
    const Term R = sym("R");
    auto sides = [](const Term& r) {
      return Inequality{mul({num(4), r, exp(mul({num(4), pow(r, Rational(2))}))}), exp(mul({num(10), pow(r, Rational(2))}))};
    };
    d.statement.claim = sides(R);
    ScalarLemma absorb{"4R e^{4R²} ≤ e^{10R²}", {{"r", at_least(4)}}, sides(sym("r")), std::nullopt};
    d.steps = {{d.statement.claim.rhs, by_lemma(absorb, {{"r", R}})}};
    return d;
  }
};

}  // namespace certbound::proofs

CERTBOUND_OBLIGATION(certbound::proofs::ThmAbsorb)
