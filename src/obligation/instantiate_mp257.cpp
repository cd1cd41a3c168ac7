// The shared domain helpers at Mp257, instantiated once for the whole program (declared extern in
// obligation/domains.hpp): one translation unit per scalar type, so they build in parallel.
#include "certbound/obligation/domains.hpp"

namespace certbound::domains {
CERTBOUND_DOMAIN_TEMPLATES(, Mp257)
CERTBOUND_DOMAIN_PROVER_TEMPLATES(, Mp257)
}  // namespace certbound::domains
