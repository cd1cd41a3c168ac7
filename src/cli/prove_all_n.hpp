// certbound prove ID... --all-n: the kernel's verdict on each obligation's derivation.
#pragma once

#include <string>
#include <vector>

#include "certbound/obligation/obligation.hpp"

namespace certbound::cli {

struct AllNOptions {
  std::vector<std::string> ids;  ///< "all": every obligation with a derivation
  std::string scale = "1";
  std::string certificate_path, markdown_path, json_path;
};

/// Run, print and write the requested files; returns the exit code of the weakest status.
int run_prove_all_n(const AllNOptions& options);

}  // namespace certbound::cli
