// The model's templates at Mp257, instantiated once for the whole program (declared extern in
// model/softmax_regression.hpp): one translation unit per scalar type, so they build in parallel.
#include "certbound/model/softmax_regression.hpp"

namespace certbound::model {
CERTBOUND_MODEL_TEMPLATES(, Mp257)
}  // namespace certbound::model
