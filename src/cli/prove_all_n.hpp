// certbound prove ID... --all-n: the kernel's verdict on each obligation's derivation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "certbound/obligation/obligation.hpp"

namespace certbound::cli {

struct AllNOptions {
  std::vector<std::string> ids;  ///< "all": every obligation with a derivation
  std::string scale = "1";
  std::string certificate_path, markdown_path, json_path;
  /// With --markdown or --json: the check whose best certified witness gives each step's slack.
  int witness_n = 8, witness_d = 4;
  std::string witness_R = "4";
  std::uint64_t witness_seed = 1;
  long long witness_samples = 64, witness_search = 4000;
};

/// The obligations named by `ids` ("all": every one with a derivation); an unknown id or one without
/// a derivation is a BadInput naming it (and the ids that have one).
std::vector<const Obligation*> obligations_with_derivations(const std::vector<std::string>& ids);

/// Run, print and write the requested files; returns the exit code of the weakest status.
int run_prove_all_n(const AllNOptions& options);

}  // namespace certbound::cli
