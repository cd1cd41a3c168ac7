// Subcommand registry of the certbound command line.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "certbound/arith/input_error.hpp"
#include "certbound/engine/status.hpp"

namespace certbound::cli {

/// Exit codes shared by every subcommand: one table, with the status vocabulary.
using certbound::ExitCode;

/// Thrown by a subcommand for bad input; main prints "certbound: error: <what>" and exits 2 (as for
/// every InputError of the library).
struct BadInput : InputError {
  using InputError::InputError;
};

/// A subcommand: adds its options to `app` and returns the function that runs it.
using Registrar = std::function<std::function<int()>(CLI::App& app)>;

/// Called from static initialisers of the command files.
bool add_command(Registrar registrar);
/// Registers every subcommand on `app` (one application at a time: the previous one's runners are dropped).
void register_all(CLI::App& app);
int run_selected(CLI::App& app);

/// The certbound command line with every subcommand registered.
std::unique_ptr<CLI::App> make_app();
/// Parse argv without running anything. Returns the exit code when parsing ends the run (--help and
/// --version: 0 with the text on `out`; a syntax error: a one-line "certbound: error: ..." on `err`
/// and kBadInput), or nothing when the selected subcommand is ready for run_selected.
std::optional<int> parse_command_line(CLI::App& app, int argc, const char* const* argv, std::ostream& out,
                                      std::ostream& err);
std::string version_string();

/// " (did you mean 'check'?)" when one of `candidates` is within a small edit distance of `word`
/// (transpositions count one), else "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);
/// The one-line error for an obligation id that is not registered, with the nearest id.
std::string unknown_obligation_message(const std::string& id);

}  // namespace certbound::cli
