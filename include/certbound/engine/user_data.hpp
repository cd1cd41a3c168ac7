// Checking obligations on users' own data (matrices exported from a model, e.g. with numpy.save).
//
// The data is one case: its inputs are exact doubles, everything derived (‖A‖, α, the margin) is
// certified. Per obligation the report says whether each hypothesis certainly holds, certainly
// fails or is undecided on that data, and the certified margin when the case is in the domain.
#pragma once

#include <Eigen/Dense>
#include <map>
#include <string>
#include <vector>

#include "certbound/engine/certify.hpp"

namespace certbound {

/// Named inputs of the statements ("A", "B" = A_{t+1}, "x", "y", "b"), with where each came from.
struct UserData {
  std::map<std::string, Eigen::MatrixXd> inputs;  ///< vectors as single columns
  std::map<std::string, std::string> sources;     ///< input name → file
};

struct DataReport {
  const Obligation* obligation = nullptr;
  std::vector<std::string> missing;  ///< inputs the obligation needs that the data lacks
  HypothesisAssessment hypotheses;
  CaseResult result;
  bool applicable() const { return missing.empty(); }
  bool hypothesis_fails() const;
};

/// The settings' n and d from the data (A is n×d); throws InputError when A is missing.
void settings_from_data(const UserData& data, Settings& s);
/// Throws InputError naming the input when a given input has the wrong shape for the
/// obligation (e.g. "x has 5 entries but A has 4 columns").
void check_data_shapes(const Obligation& ob, const UserData& data, const Settings& s);
/// Check one obligation on the data (not applicable: `missing` is filled and nothing is evaluated).
DataReport check_on_data(const Obligation& ob, const UserData& data, const Settings& s, unsigned max_bits = 1025);

}  // namespace certbound
