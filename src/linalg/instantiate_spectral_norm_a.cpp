// The spectral-norm enclosure at Interval and Mp128, instantiated once for the whole program
// (declared extern in linalg/spectral_norm.hpp). Two types per file: about 12 s of CPU each at
// -O3, so the two files build in parallel.
#include "certbound/linalg/spectral_norm.hpp"

namespace certbound::linalg {
CERTBOUND_SPECTRAL_NORM_TEMPLATES(, Interval)
CERTBOUND_SPECTRAL_NORM_TEMPLATES(, Mp128)
}  // namespace certbound::linalg
