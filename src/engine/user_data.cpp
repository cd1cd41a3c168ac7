#include "certbound/arith/input_error.hpp"
#include "certbound/engine/user_data.hpp"

#include <stdexcept>

namespace certbound {

bool DataReport::hypothesis_fails() const {
  for (const auto& f : hypotheses.findings)
    if (f.truth == HypothesisTruth::fails) return true;
  return false;
}

void settings_from_data(const UserData& data, Settings& s) {
  const auto a = data.inputs.find("A");
  if (a == data.inputs.end()) throw InputError("the data needs the matrix A (--A FILE)");
  s.n = static_cast<int>(a->second.rows());
  s.d = static_cast<int>(a->second.cols());
}

namespace {
std::string shape_text(Eigen::Index rows, Eigen::Index cols) {
  if (cols == 1) return std::to_string(rows) + " entries";
  return std::to_string(rows) + "×" + std::to_string(cols);
}
}  // namespace

void check_data_shapes(const Obligation& ob, const UserData& data, const Settings& s) {
  for (const InputSpec& spec : ob.inputs(s)) {
    const auto it = data.inputs.find(spec.name);
    if (it == data.inputs.end()) continue;
    const Eigen::MatrixXd& m = it->second;
    if (m.rows() == spec.rows && m.cols() == spec.cols) continue;
    const auto src = data.sources.find(spec.name);
    throw InputError((src == data.sources.end() ? spec.name : src->second) + ": " + spec.name + " has " +
                                shape_text(m.rows(), m.cols()) + " but " + ob.meta().id + " needs " +
                                shape_text(spec.rows, spec.cols) + " (A is " + shape_text(s.n, s.d) + ")");
  }
}

DataReport check_on_data(const Obligation& ob, const UserData& data, const Settings& s, unsigned max_bits) {
  DataReport r;
  r.obligation = &ob;
  Case c;
  c.family = "data";
  for (const InputSpec& spec : ob.inputs(s)) {
    const auto it = data.inputs.find(spec.name);
    if (it == data.inputs.end()) r.missing.push_back(spec.name);
    else c.inputs[spec.name] = it->second;
  }
  if (!r.applicable()) return r;
  check_data_shapes(ob, data, s);
  r.hypotheses = assess_hypotheses(ob, c, s, max_bits);
  r.result = certify(ob, c, s, max_bits);
  return r;
}

}  // namespace certbound
