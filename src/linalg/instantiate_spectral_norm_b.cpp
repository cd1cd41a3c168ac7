// The spectral-norm enclosure at Mp257 and Mp1025, instantiated once for the whole program
// (declared extern in linalg/spectral_norm.hpp; Interval and Mp128: instantiate_spectral_norm_a.cpp).
#include "certbound/linalg/spectral_norm.hpp"

namespace certbound::linalg {
CERTBOUND_SPECTRAL_NORM_TEMPLATES(, Mp257)
CERTBOUND_SPECTRAL_NORM_TEMPLATES(, Mp1025)
}  // namespace certbound::linalg
