// Subcommand registry of the certbound command line.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace certbound::cli {

/// Exit codes shared by every subcommand.
enum ExitCode : int {
  kOk = 0,
  kViolated = 1,      ///< a certified violation / refuted / failed check
  kBadInput = 2,      ///< bad input: one-line error, before any work
  kUndecided = 3,     ///< --strict and some case undecided / proof undetermined
  kHypothesisFails = 4,
};

/// Thrown by a subcommand for bad input; main prints "certbound: error: <what>" and exits 2.
struct BadInput : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A subcommand: adds its options to `app` and returns the function that runs it.
using Registrar = std::function<std::function<int()>(CLI::App& app)>;

/// Called from static initialisers of the command files.
bool add_command(Registrar registrar);
void register_all(CLI::App& app);
int run_selected(CLI::App& app);
std::string version_string();

}  // namespace certbound::cli
