// The shared domain helpers at double, instantiated once for the whole program (declared extern in
// obligation/domains.hpp): one translation unit per scalar type, so they build in parallel.
#include "certbound/obligation/domains.hpp"

namespace certbound::domains {
CERTBOUND_DOMAIN_TEMPLATES(, double)
}  // namespace certbound::domains
