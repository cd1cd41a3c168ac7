// The shared domain helpers at Mp128, instantiated once for the whole program (declared extern in
// obligation/domains.hpp): one translation unit per scalar type, so they build in parallel.
#include "certbound/obligation/domains.hpp"

namespace certbound::domains {
CERTBOUND_DOMAIN_TEMPLATES(, Mp128)
CERTBOUND_DOMAIN_PROVER_TEMPLATES(, Mp128)
}  // namespace certbound::domains
