// The run parameters (Settings) as JSON, as counterexamples, certificates, checkpoints and reports
// store them: {"n", "d", "R", "eta", "scale", "beta"} with the decimals exactly as given and the
// paper's β written "e^{-R^2}". Kept apart from obligation.hpp so that obligation files do not
// parse the JSON library.
#pragma once

#include <nlohmann/json.hpp>

#include "certbound/obligation/obligation.hpp"

namespace certbound {

nlohmann::json settings_json(const Settings& s);
/// The parameters written by settings_json; throws InputError naming the first bad field
/// (missing, of the wrong type, n or d outside 1..10⁶, a number that is not a decimal literal, an
/// unknown key). It checks the form only: settings_problem() checks the values.
Settings settings_from_json(const nlohmann::json& parameters);

}  // namespace certbound
