// The softmax Jacobian norm at every scalar type, instantiated once for the whole program
// (declared extern in model/softmax_jacobian_norm.hpp).
#include "certbound/model/softmax_jacobian_norm.hpp"

namespace certbound::model {
CERTBOUND_JACOBIAN_NORM_TEMPLATES(, double)
CERTBOUND_JACOBIAN_NORM_TEMPLATES(, Interval)
CERTBOUND_JACOBIAN_NORM_TEMPLATES(, Mp128)
CERTBOUND_JACOBIAN_NORM_TEMPLATES(, Mp257)
CERTBOUND_JACOBIAN_NORM_TEMPLATES(, Mp1025)
}  // namespace certbound::model
