// Options shared by the subcommands, with validation that rejects bad input before any work.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "certbound/obligation/obligation.hpp"

namespace certbound::cli {

/// --n --d --R --eta --scale --beta, filled into `s` (defaults: n = 8, d = 4, R = 4, η = 1/10, scale 1, β = e^{−R²}).
void add_settings_options(CLI::App& app, Settings& s, bool with_scale = true);
/// Throws BadInput naming the problem: n, d < 1 or absurd, R ≤ 0, scale ≤ 0, η ≤ 0, unparsable numbers.
void validate_settings(const Settings& s);
/// "n = 2, d = 1, R = 4, η = 0.1, scale = 1, β = e^{−R²}" (decimals exactly as given): every parameter a result depends on.
std::string parameters_text(const Settings& s);
/// Throws BadInput "--NAME must be between LO and HI (got V)" unless lo <= value <= hi.
void require_range(const std::string& name, long long value, long long lo, long long hi);
/// --precision: 53 (double intervals) up to 1025 bits (the top of the escalation ladder).
void validate_precision(long long bits);
/// Throws BadInput when a run would hold about `bytes` in memory at once and that exceeds half of
/// this machine's physical memory: `what` names the options to lower.
void require_memory(double bytes, const std::string& what);
/// Exit code of a run stopped by Ctrl-C or SIGTERM: 128 + the signal (130 for Ctrl-C).
int interrupted_exit_code();
/// Resolve "all" or a list of ids; throws BadInput for unknown ids.
std::vector<const Obligation*> resolve_obligations(const std::vector<std::string>& ids);
/// Parse the JSON file at `path`; throws BadInput "cannot read" / "is not valid JSON (truncated?)".
nlohmann::json read_json_file(const std::string& path);
/// The command line as given (for provenance).
std::vector<std::string>& command_line();

}  // namespace certbound::cli
