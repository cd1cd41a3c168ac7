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
  /// Inputs whose name the data has but that mean something else to the obligation (another
  /// shape), e.g. fact.inv_diff's number b against the data's target vector b.
  std::vector<std::string> other_meaning;
  HypothesisAssessment hypotheses;
  CaseResult result;
  bool applicable() const { return missing.empty() && other_meaning.empty(); }
  bool hypothesis_fails() const;
};

/// The settings' n and d from the data (A is n×d); throws InputError when A is missing.
void settings_from_data(const UserData& data, Settings& s);
/// Every given input has the shape the statements give it once A is n×d: A_{t+1} n×d, x and y
/// d entries, b n entries. Throws InputError naming the file and both shapes otherwise (e.g.
/// "b.csv: x has 16 entries but A has 8 columns"), so that wrong data is refused before any work.
void check_data_shapes(const UserData& data);
/// Check one obligation on the data (not applicable: `missing` is filled and nothing is evaluated).
DataReport check_on_data(const Obligation& ob, const UserData& data, const Settings& s, unsigned max_bits = 1025);

}  // namespace certbound
