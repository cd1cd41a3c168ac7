#include <algorithm>
#include <stdexcept>

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
  // The order of proofs/STATEMENTS.md: facts, basic bounds, the two Lipschitz chains, the theorem,
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

}  // namespace certbound
