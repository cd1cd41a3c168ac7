#include <algorithm>
#include <stdexcept>

#include "certbound/arith/decimal.hpp"
#include "certbound/obligation/obligation.hpp"

namespace certbound {

namespace {
std::vector<std::unique_ptr<Obligation>>& registry() {
  static std::vector<std::unique_ptr<Obligation>> r;
  return r;
}
}  // namespace

bool register_obligation(std::unique_ptr<Obligation> o) {
  for (const auto& existing : registry()) {
    if (existing->meta().id == o->meta().id) throw std::logic_error("duplicate obligation id " + o->meta().id);
  }
  registry().push_back(std::move(o));
  return true;
}

std::vector<const Obligation*> all_obligations() {
  std::vector<const Obligation*> out;
  for (const auto& o : registry()) out.push_back(o.get());
  // The order of statements.md: facts, basic bounds, the two Lipschitz chains, the theorem,
  // identities, then the sharpened statements; alphabetical within a group.
  static const char* const groups[] = {"fact.", "bounds.", "lip_x.", "lip_a.", "thm.", "id.", "sharp."};
  auto rank = [](const std::string& id) {
    for (int g = 0; g < 7; ++g)
      if (id.rfind(groups[g], 0) == 0) return g;
    return 7;
  };
  std::sort(out.begin(), out.end(), [&](const Obligation* a, const Obligation* b) {
    const int ra = rank(a->meta().id), rb = rank(b->meta().id);
    return ra != rb ? ra < rb : a->meta().id < b->meta().id;
  });
  return out;
}

const Obligation* find_obligation(const std::string& id) {
  for (const auto& o : registry())
    if (o->meta().id == id) return o.get();
  return nullptr;
}

namespace {
/// Whether `text` is a number that is certainly positive; `problem` receives why not.
bool positive_number(const std::string& name, const std::string& text, std::string& problem) {
  try {
    if (parse_enclosure(text).certainly_positive()) return true;
    problem = "--" + name + " must be positive (got " + text + ")";
  } catch (const ParseError&) {
    problem = "--" + name + " '" + text + "' is not a number";
  }
  return false;
}
}  // namespace

std::string settings_problem(const Settings& s) {
  constexpr int kMaxDimension = 1 << 16;  // a 65536×65536 interval matrix would not fit in memory
  if (s.n < 1) return "--n must be at least 1 (got " + std::to_string(s.n) + ")";
  if (s.d < 1) return "--d must be at least 1 (got " + std::to_string(s.d) + ")";
  if (s.n > kMaxDimension || s.d > kMaxDimension || static_cast<long long>(s.n) * s.d > (1LL << 24))
    return "--n × --d too large (n·d must be at most 2^24)";
  std::string problem;
  if (!positive_number("R", s.R, problem) || !positive_number("eta", s.eta, problem) ||
      !positive_number("scale", s.scale, problem))
    return problem;
  if (!s.beta.empty() && s.beta != "tight" && !positive_number("beta", s.beta, problem))
    return problem + " (or 'tight')";
  if (parse_enclosure(s.R).upper_double() > 1e6) return "--R too large (at most 1e6)";
  return "";
}

}  // namespace certbound
