// check's adversarial search on the sharp obligations, whose constants are the true suprema: a
// constant scaled by 0.999 must be caught (a certified violation) at every shape where the bound is
// reached or approached, and the search alone (no hand-made families, as for a user's own lemma)
// must come within 10⁻⁴ of it. The verdicts and ratios are certified enclosures (certify); the
// search only proposes the cases. Fixed seeds; on failure the best case is printed in hex.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "certbound/engine/check.hpp"
#include "certbound/oracle/arb.hpp"

// The file's own namespace keeps its using-directives from the files after it in a unity batch.
namespace test_search {

using namespace certbound;

namespace {

#if defined(__SANITIZE_ADDRESS__) || (defined(__has_feature) && __has_feature(address_sanitizer))
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

std::string describe(const std::optional<CertifiedCase>& w) {
  if (!w) return "no case";
  std::string s = w->input.family + ":";
  for (const auto& [name, m] : w->input.inputs) {
    s += " " + name + "=[";
    for (Eigen::Index i = 0; i < m.size(); ++i) s += (i ? "," : "") + oracle::hex(m.data()[i]);
    s += "]";
  }
  return s;
}

std::vector<const Obligation*> sharp_obligations() {
  std::vector<const Obligation*> out;
  for (const Obligation* ob : all_obligations())
    if (ob->meta().kind == Kind::sharp) out.push_back(ob);
  return out;
}

/// Why the sharp constant is not the supremum at this shape ("" when it is reached or approached).
/// With d = 1 the logits Ax = x·A lie on a line through 0 as x varies, so for n ≥ 3 they cannot
/// put two coordinates at mass ½ while moving along (1, −1, 0, …): sharp.lip_x.f stays near
/// n/(4(n − 1)) of ‖A‖ instead of ½‖A‖, and sharp.gd_step and sharp.shift_x, whose steps are taken
/// in x through the same A, stay below R/2 likewise. sharp.lip_a.f and sharp.shift_a move A itself,
/// which is free, so they are approached at every shape.
std::string not_reached(const std::string& id, int n, int d) {
  if ((id == "sharp.lip_x.f" || id == "sharp.gd_step" || id == "sharp.shift_x") && d == 1 && n >= 3)
    return "d = 1, n ≥ 3: the logits lie on a line";
  return "";
}

CheckOptions at_shape(int n, int d, std::uint64_t seed) {
  CheckOptions o;
  o.seed = seed;
  o.settings.n = n;
  o.settings.d = d;
  return o;
}

}  // namespace

TEST_SUITE("search") {

TEST_CASE("the shapes where a sharp constant is not the supremum are exactly the logits-on-a-line ones") {
  // The list the grid below leaves out, held against each obligation's own words: its `attained`
  // text names the d = 1, n ≥ 3 exception where (and only where) the list has one.
  for (const Obligation* ob : sharp_obligations()) {
    const std::string& id = ob->meta().id;
    CAPTURE(id);
    const bool excepted = !not_reached(id, 3, 1).empty();
    CHECK(excepted == (ob->meta().attained.find("d = 1 and n ≥ 3") != std::string::npos));
    CHECK(not_reached(id, 2, 1).empty());
    CHECK(not_reached(id, 3, 2).empty());
  }
}

TEST_CASE("the search alone comes within 1e-4 of every sharp constant at the listed shapes") {
  // check --no-families at the default budget (64 random starts, 4000 evaluations), seed 1, at
  // n ∈ {2, 3, 8, 16}, d ∈ {1, 2, 4}, leaving out the shapes of not_reached: the certified witness
  // ratio LHS/(C·F) is ≥ 0.9999 and, the statements being true, ≤ 1 (at n ≥ 8 that rests on the
  // structured starts: with the uniform random starts alone 12 of these shapes stayed below 0.9999,
  // down to 0.899). Under the sanitizers (about 10× slower, and another
  // compiler whose rounding of the double search may take another path) n = 2, d ≤ 2, ratio ≥ 0.999.
  const std::vector<int> ns = kSanitized ? std::vector<int>{2} : std::vector<int>{2, 3, 8, 16};
  const std::vector<int> ds = kSanitized ? std::vector<int>{1, 2} : std::vector<int>{1, 2, 4};
  const double target = kSanitized ? 0.999 : 0.9999;
  int targets = 0;
  for (const Obligation* ob : sharp_obligations())
    for (int n : ns)
      for (int d : ds) {
        const std::string id = ob->meta().id;
        if (!not_reached(id, n, d).empty()) continue;
        CheckOptions o = at_shape(n, d, 1);
        o.families = false;
        const ObligationReport r = check_obligation(*ob, o);
        const std::string worst = describe(r.worst);
        CAPTURE(id);
        CAPTURE(n);
        CAPTURE(d);
        CAPTURE(worst);
        CHECK(r.verdict == Verdict::holds);
        CHECK(r.witness_ratio_lower <= 1.0);
        ++targets;
        CHECK(r.witness_ratio_lower >= target);
      }
  CHECK(targets == (kSanitized ? 16 : 87));
}

}  // TEST_SUITE("search")

// The grid has its own label (ctest -L "search grid"): 8 obligations × 25 shapes × 3 seeds.
TEST_SUITE("search grid") {

TEST_CASE("check at scale 0.999 catches every sharp constant wherever it is reached or approached") {
  // n ∈ {2, 3, 5, 8, 64}, d ∈ {1, 2, 3, 4, 16}, seeds 1, 2, 3, default check (families, the
  // search) with 8 random cases: the verdict is `violated` (a certified case with LHS > 0.999·C·F)
  // at every shape but those not_reached lists, and there it holds (the statement is true and the
  // constant is not approached, so no case may violate it). Under the sanitizers one seed per shape
  // (rotating through 1, 2, 3): the same shapes at a third of the cost.
  const std::vector<int> ns = {2, 3, 5, 8, 64}, ds = {1, 2, 3, 4, 16};
  int shape = 0;
  for (const Obligation* ob : sharp_obligations())
    for (int n : ns)
      for (int d : ds) {
        ++shape;
        for (std::uint64_t seed : {1, 2, 3}) {
          if (kSanitized && seed != static_cast<std::uint64_t>(1 + shape % 3)) continue;
          const std::string id = ob->meta().id;
          const std::string reason = not_reached(id, n, d);
          CheckOptions o = at_shape(n, d, seed);
          o.samples = 8;
          o.settings.scale = "0.999";
          const ObligationReport r = check_obligation(*ob, o);
          const std::string worst = describe(r.worst);
          CAPTURE(id);
          CAPTURE(n);
          CAPTURE(d);
          CAPTURE(seed);
          CAPTURE(reason);
          CAPTURE(worst);
          CHECK(r.verdict == (reason.empty() ? Verdict::violated : Verdict::holds));
        }
      }
}

}  // TEST_SUITE("search grid")

}  // namespace test_search
