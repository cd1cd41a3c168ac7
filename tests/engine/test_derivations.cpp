// All-n proofs: the normal form decides the identities it should and no others, the kernel accepts
// the registered derivations and rejects false lemmas, misapplied rules, inequalities used in
// contexts that are not monotone, cycles and scaled constants; the scalar prover covers unbounded
// ranges without truncation; certificates are re-checked, not believed.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "certbound/engine/all_n.hpp"
#include "certbound/engine/derivation_kernel.hpp"
#include "certbound/engine/scalar_prover.hpp"
#include "certbound/obligation/derivation.hpp"
#include "certbound/obligation/model_terms.hpp"
#include "certbound/report/derivation_report.hpp"
#include "run_cli.hpp"

// The file's own namespace keeps its using-directives from the files after it in a unity batch.
namespace test_derivations {

using namespace certbound;
using namespace certbound::symbolic;
using certbound::test::run_cli;
using certbound::test::scratch_dir;
using certbound::test::slurp;
using nlohmann::json;

namespace {

Signature vectors_and_scalars() {
  Signature sig;
  sig.symbols = {{"n", at_least(1)}, {"d", at_least(1)}, {"R", positive()}, {"q", between(0, 1)}};
  sig.inputs = {{"A", matrix_of("n", "d")}, {"x", vector_of("d")}, {"y", vector_of("d")}, {"v", vector_of("n")}};
  return sig;
}

/// A source of test-only derivations (never registered in the tool), falling back to the registry.
kernel::DerivationSource with_tests(std::map<std::string, Derivation> tests) {
  auto shared = std::make_shared<std::map<std::string, Derivation>>(std::move(tests));
  const auto registry = registered_derivations();
  return [shared, registry](const std::string& id) -> std::shared_ptr<const Derivation> {
    const auto it = shared->find(id);
    if (it != shared->end()) return std::make_shared<const Derivation>(it->second);
    return registry(id);
  };
}

/// sharp.softmax_jacobian's chain with the constant ½ replaced by `bound` in the last lemma.
Derivation jacobian_with_lemma(const Term& bound, bool factorised) {
  Derivation d;
  d.scope = "test";
  d.statement.signature.symbols = {{"n", at_least(1)}};
  d.statement.signature.inputs = {{"z", vector_of("n")}};
  const Term p = softmax(named("z")), c = coord(p), q = sym("q");
  d.statement.claim = {opnorm(jac(p)), bound};
  ScalarLemma lemma{"2q(1 − q) ≤ bound", {{"q", between(0, 1)}}, {mul({num(2), q, sub(num(1), q)}), bound}, std::nullopt};
  if (factorised) lemma.gap = mul({num(2), pow(sub(q, num(1, 2)), Rational(2))});
  d.steps = {
      {max_index(add({mul({c, sub(num(1), c)}), mul({c, sum_others(p)})})), by_rule("softmax_jacobian_rows")},
      {max_index(add({mul({c, sub(num(1), c)}), mul({c, sub(num(1), c)})})), by_rule("simplex_others")},
      {max_index(bound), by_lemma(lemma, {{"q", c}})},
  };
  return d;
}

}  // namespace

TEST_CASE("the normal form decides polynomial identities and linearity, and nothing false") {
  const Signature sig = vectors_and_scalars();
  const Term q = sym("q"), A = named("A"), x = named("x"), y = named("y"), R = sym("R");
  CHECK(equal_up_to_algebra(sub(num(1, 2), mul({num(2), q, sub(num(1), q)})),
                            mul({num(2), pow(sub(q, num(1, 2)), Rational(2))}), sig));
  CHECK(equal_up_to_algebra(norm2(apply(A, sub(x, y))), norm2(sub(apply(A, y), apply(A, x))), sig));
  CHECK(equal_up_to_algebra(norm2(mul({R, num(-3), sub(x, y)})), mul({num(3), R, norm2(sub(x, y))}), sig));
  CHECK(equal_up_to_algebra(mul({inv(R), R}), num(1), sig));  // R > 0
  CHECK_FALSE(equal_up_to_algebra(pow(add({q, R}), Rational(2)), add({pow(q, Rational(2)), pow(R, Rational(2))}), sig));
  CHECK_FALSE(equal_up_to_algebra(norm2(sub(x, y)), sub(norm2(x), norm2(y)), sig));
  CHECK_FALSE(equal_up_to_algebra(abs(sym("q")), sym("q"), Signature{{{"q", between(-1, 1)}}, {}}));
  CHECK(equal_up_to_algebra(abs(sym("q")), sym("q"), sig));  // q ∈ [0, 1]
}

TEST_CASE("every registered all-n derivation of part 1 is proved, and none at --scale 0.999") {
  const auto source = registered_derivations();
  for (const char* id : {"fact.exp_near_one", "fact.inv_diff", "fact.hadamard", "fact.sum_cs", "thm.absorb",
                         "sharp.softmax_jacobian", "sharp.lip_x.f", "sharp.lip_a.f", "sharp.exp_near_one", "sharp.gd_step"}) {
    CAPTURE(id);
    const kernel::KernelReport proved = kernel::check_derivation(id, source);
    CAPTURE(proved.failure);
    CHECK(proved.proved);
    CHECK(proved.steps.back().ok);
    if (std::string(id).rfind("sharp.", 0) == 0) {
      const kernel::KernelReport scaled = kernel::check_derivation(id, source, Rational(999, 1000));
      CHECK_FALSE(scaled.proved);
      CHECK(scaled.refuted_step);  // the composition lemma C ≤ 0.999·C is false, not merely open
      CHECK(scaled.failure.find("last comparison") != std::string::npos);
    }
  }
}

TEST_CASE("every paper statement of part 2 is proved for every n and d through the paper's chain") {
  const auto source = registered_derivations();
  for (const char* id : {"bounds.u_inf", "bounds.u_2", "bounds.alpha_lower", "bounds.f_2", "lip_x.u", "lip_x.alpha",
                         "lip_x.alpha_inv", "lip_x.f", "lip_a.u", "lip_a.alpha", "lip_a.alpha_inv", "lip_a.f",
                         "thm.shift_x", "thm.shift_a"}) {
    CAPTURE(id);
    const kernel::KernelReport proved = kernel::check_derivation(id, source);
    CAPTURE(proved.failure);
    CHECK(proved.proved);
    // The paper's constants are met by the chain with room only where the chain leaves it; a
    // constant 0.999 times the paper's is never proved by the same chain.
    CHECK_FALSE(kernel::check_derivation(id, source, Rational(999, 1000)).proved);
  }
}

TEST_CASE("lip_x.u with the constant of its fact.exp_near_one step halved is not proved, and that step is named") {
  // |e^t − 1| ≤ 2|t| holds under |t| ≤ 1/100; |e^t − 1| ≤ 1·|t| does not (e^{1/100} − 1 > 1/100).
  Derivation halved = *registered_derivations()("lip_x.u");
  const Term A = named("A"), w = sub(apply(A, named("y")), apply(A, named("x")));
  std::size_t found = 0;
  for (std::size_t k = 0; k < halved.steps.size(); ++k)
    if (halved.steps[k].why.kind == Justification::obligation && halved.steps[k].why.name == "fact.exp_near_one") {
      halved.steps[k].next = mul({norm2(model_terms::u(A, named("x"))), max_index(mul({num(1), abs(coord(w))}))});
      found = k + 1;
    }
  REQUIRE(found > 0);
  const kernel::KernelReport r = kernel::check_derivation("test.halved", with_tests({{"test.halved", halved}}));
  CAPTURE(r.failure);
  CHECK_FALSE(r.proved);
  CHECK(r.failure.rfind("step " + std::to_string(found) + " (obligation fact.exp_near_one)", 0) == 0);
}

TEST_CASE("a composition is sound: a factor of unknown sign or an equal bound under a strict claim is not a proof") {
  Derivation d;
  d.scope = "test";
  d.statement.signature.symbols = {{"n", at_least(1)}};
  d.statement.signature.inputs = {{"v", vector_of("n")}};
  const Term s = dot_ones(named("v"));
  // ⟨v,1⟩ ≤ 2⟨v,1⟩ is false for ⟨v,1⟩ < 0: the chain ⟨v,1⟩ = ⟨v,1⟩ and 1 ≤ 2 must not compose.
  d.statement.claim = {s, mul({num(2), s})};
  d.steps = {{s, by_algebra()}};
  const auto unknown_sign = kernel::check_derivation("t", with_tests({{"t", d}}));
  CAPTURE(unknown_sign.failure);
  CHECK_FALSE(unknown_sign.proved);
  // ‖v‖₂ < ‖v‖₂ is false: an equality chain does not prove a strict claim.
  d.statement.claim = {norm2(named("v")), norm2(named("v"))};
  d.statement.claim.strict = true;
  d.steps = {{norm2(named("v")), by_algebra()}};
  const auto strict = kernel::check_derivation("t", with_tests({{"t", d}}));
  CAPTURE(strict.failure);
  CHECK_FALSE(strict.proved);
  // The same with a nonnegative factor and a non-strict claim is proved: ‖v‖₂ ≤ 2‖v‖₂.
  d.statement.claim = {norm2(named("v")), mul({num(2), norm2(named("v"))})};
  const auto fine = kernel::check_derivation("t", with_tests({{"t", d}}));
  CAPTURE(fine.failure);
  CHECK(fine.proved);
}

TEST_CASE("a derivation with a false scalar lemma is not proved, and the step is named") {
  const auto source = with_tests({{"test.false_lemma", jacobian_with_lemma(num(2, 5), false)}});
  const kernel::KernelReport r = kernel::check_derivation("test.false_lemma", source);
  CAPTURE(r.failure);
  CHECK_FALSE(r.proved);
  CHECK(r.refuted_step);
  CHECK(r.failure.rfind("step 3 (scalar lemma", 0) == 0);
  CHECK(r.failure.find("false at q = ") != std::string::npos);
}

TEST_CASE("a tight scalar fact needs its factorised form: bisection alone never closes at p = 1/2") {
  const auto tight = kernel::check_derivation("t", with_tests({{"t", jacobian_with_lemma(num(1, 2), false)}}));
  CHECK_FALSE(tight.proved);
  CHECK_FALSE(tight.refuted_step);
  const auto factorised = kernel::check_derivation("t", with_tests({{"t", jacobian_with_lemma(num(1, 2), true)}}));
  CHECK(factorised.proved);
}

TEST_CASE("a misapplied rule is rejected without sampling: ‖v‖₂ ≤ ‖v‖_∞ is not inf_le_2") {
  Derivation d;
  d.scope = "test";
  d.statement.signature.symbols = {{"n", at_least(1)}};
  d.statement.signature.inputs = {{"v", vector_of("n")}};
  d.statement.claim = {norm2(named("v")), norm_inf(named("v"))};
  d.steps = {{norm_inf(named("v")), by_rule("inf_le_2")}};
  const kernel::KernelReport r = kernel::check_derivation("test.misapplied", with_tests({{"test.misapplied", d}}));
  CAPTURE(r.failure);
  CHECK_FALSE(r.proved);
  CHECK_FALSE(r.refuted_step);
  CHECK(r.failure.rfind("step 1 (rule inf_le_2)", 0) == 0);
}

TEST_CASE("an inequality is used only in a monotone context") {
  // ‖A‖ ≤ R under the factor −1: −‖A‖ ≤ −R is false, so the step must be rejected.
  Derivation d;
  d.scope = "test";
  d.statement.signature = vectors_and_scalars();
  d.statement.hypotheses = {{opnorm(named("A")), sym("R")}};
  d.statement.claim = {neg(opnorm(named("A"))), neg(sym("R"))};
  d.steps = {{neg(sym("R")), by_hypothesis(0)}};
  const kernel::KernelReport r = kernel::check_derivation("t", with_tests({{"t", d}}));
  CAPTURE(r.failure);
  CHECK_FALSE(r.proved);
  CHECK(r.failure.find("not known to be non-decreasing") != std::string::npos);
  // The same hypothesis under a non-negative factor is fine.
  d.statement.claim = {mul({num(3), opnorm(named("A"))}), mul({num(3), sym("R")})};
  d.steps = {{mul({num(3), sym("R")}), by_hypothesis(0)}};
  CHECK(kernel::check_derivation("t", with_tests({{"t", d}})).proved);
}

TEST_CASE("cyclic derivations are an error, not a proof") {
  Derivation a;
  a.scope = "test";
  a.statement.signature.symbols = {{"n", at_least(1)}};
  a.statement.signature.inputs = {{"v", vector_of("n")}};
  a.statement.claim = {norm2(named("v")), norm1(named("v"))};
  Derivation b = a;
  a.steps = {{norm1(named("v")), by_obligation("test.b", {{"v", named("v")}})}};
  b.steps = {{norm1(named("v")), by_obligation("test.a", {{"v", named("v")}})}};
  const auto r = kernel::check_derivation("test.a", with_tests({{"test.a", a}, {"test.b", b}}));
  CAPTURE(r.failure);
  CHECK_FALSE(r.proved);
  CHECK(r.failure.find("cyclic") != std::string::npos);
}

TEST_CASE("scalar lemmas over unbounded ranges: proved without truncation, refuted beyond any cut") {
  const Term r = sym("r");
  ScalarLemma absorb{"absorb", {{"r", at_least(4)}},
                     {mul({num(4), r, exp(mul({num(4), pow(r, Rational(2))}))}), exp(mul({num(10), pow(r, Rational(2))}))},
                     std::nullopt};
  const auto proved = kernel::prove_scalar_lemma(absorb);
  CAPTURE(proved.detail);
  CHECK(proved.status == kernel::LemmaOutcome::proved);
  CHECK(proved.method.find("monotone in r") != std::string::npos);
  // True on [4, 10⁶] but false beyond: a proof by truncation would accept it.
  ScalarLemma bounded{"bounded", {{"r", at_least(4)}}, {r, num(1000000)}, std::nullopt};
  const auto refuted = kernel::prove_scalar_lemma(bounded);
  CHECK(refuted.status == kernel::LemmaOutcome::refuted);
  CHECK(refuted.counterexample.at("r") > 1e6);
}

TEST_CASE("rationals beyond 2⁵³ are enclosed: the quotient of two rounded integers is not widened by ulps") {
  // Both integers round when converted to double and so does their quotient: up to 3·2⁻⁵³
  // relative, more than two ulps at the top of a binade (these coprime pairs, all in [1, 8), were
  // outside the old enclosure). Exact check: lo·den ≤ num ≤ hi·den in 128-bit integers, the ends
  // scaled to integers by 2⁵² (a double ≥ 1 is a multiple of 2⁻⁵²).
  for (const auto& pair : {std::pair<std::int64_t, std::int64_t>{2573903235264181485, 1295059247776661639},
                           {4968842024623005174, 2593672137078376711},
                           {4635197430096598339, 2372538824865699084}}) {
    const std::int64_t num = pair.first, den = pair.second;  // named copies: CAPTURE cannot take bindings
    const Interval x = kernel::rational_enclosure(Rational(num, den));
    CAPTURE(num);
    CAPTURE(den);
    const auto scaled = [](double v) { return static_cast<__int128>(std::ldexp(v, 52)); };
    REQUIRE(x.lower() >= 1);
    REQUIRE(x.upper() < 8);
    const Rational r(num, den);
    REQUIRE(r.num() == num);  // coprime: nothing was reduced away
    const __int128 n = r.num(), d = r.den(), one = static_cast<__int128>(1) << 52;
    CHECK(scaled(x.lower()) * d <= n * one);
    CHECK(n * one <= scaled(x.upper()) * d);
  }
}

TEST_CASE("an all-n certificate is re-checked: its status and derivation hashes are not believed") {
  const std::string dir = scratch_dir("all-n-certificate");
  const auto ok = run_cli("prove sharp.gd_step --all-n --certificate " + dir + "/c.json", dir);
  CAPTURE(ok.out);
  REQUIRE(ok.code == 0);
  CHECK(ok.out.find("proved") != std::string::npos);
  const auto valid = run_cli("verify-certificate " + dir + "/c.json", dir);
  CAPTURE(valid.out);
  CHECK(valid.code == 0);
  const json c = json::parse(slurp(dir + "/c.json"));
  CHECK(c["derivations"].contains("sharp.softmax_jacobian"));  // the cited proof is pinned by hash
  auto forged_check = [&](json forged, int code, const std::string& words) {
    std::ofstream(dir + "/f.json") << forged.dump();
    const auto r = run_cli("verify-certificate " + dir + "/f.json", dir);
    CAPTURE(r.out);
    CAPTURE(r.err);
    CHECK(r.code == code);
    CHECK((r.out + r.err).find(words) != std::string::npos);
  };
  json forged = c;
  forged["derivations"]["sharp.softmax_jacobian"] = "0000000000000000";
  forged_check(forged, 7, "derivations differ");
  forged = c;
  forged["scale"] = "0.999";
  forged_check(forged, 7, "the kernel finds undetermined");
  forged = c;
  forged["extra"] = 1;
  forged_check(forged, 2, "unknown field 'extra'");
}

TEST_CASE("prove --all-n: exit codes and outputs") {
  const std::string dir = scratch_dir("all-n-cli");
  const auto all = run_cli("prove all --all-n --markdown " + dir + "/a.md --json " + dir + "/a.json", dir);
  CAPTURE(all.out);
  CHECK(all.code == 0);
  CHECK(all.out.find("trusted (not checked by the kernel)") != std::string::npos);
  const json j = json::parse(slurp(dir + "/a.json"));
  CHECK(j["schema_version"] == 1);
  CHECK(j["results"].size() >= 10);
  CHECK(slurp(dir + "/a.md").find("## sharp.softmax_jacobian: proved") != std::string::npos);
  const auto scaled = run_cli("prove sharp.softmax_jacobian sharp.lip_x.f --all-n --scale 0.999", dir);
  CAPTURE(scaled.out);
  CHECK(scaled.code == 3);
  CHECK(scaled.out.find("undetermined: the last comparison") != std::string::npos);
  const auto none = run_cli("prove dls23.hessian_lip --all-n", dir);  // no derivation: bad input, named
  CHECK(none.code == 2);
  CHECK(none.err.find("dls23.hessian_lip") != std::string::npos);
  CHECK(run_cli("prove sharp.gd_step --all-n --scale abc", dir).code == 2);
  CHECK(run_cli("prove sharp.gd_step sharp.lip_x.f", dir).code == 2);  // a box proof takes one id
}

TEST_CASE("README's trusted base embeds the rule table exactly as the kernel has it") {
  const std::string readme = slurp(std::string(CERTBOUND_SOURCE_DIR) + "/README.md");
  const std::string table = certbound::report::rule_table_markdown();
  CHECK(readme.find(table) != std::string::npos);
  const auto r = run_cli("rules");
  CHECK(r.code == 0);
  CHECK(r.out == table);
}

}  // namespace test_derivations
