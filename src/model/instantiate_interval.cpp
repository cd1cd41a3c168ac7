// The model's templates at Interval, instantiated once for the whole program (declared extern in
// model/softmax_regression.hpp): one translation unit per scalar type, so they build in parallel.
#include "certbound/model/softmax_regression.hpp"

namespace certbound::model {
CERTBOUND_MODEL_TEMPLATES(, Interval)
}  // namespace certbound::model
