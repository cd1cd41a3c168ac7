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

void check_data_shapes(const UserData& data) {
  const auto a = data.inputs.find("A");
  if (a == data.inputs.end()) throw InputError("the data needs the matrix A (--A FILE)");
  const Eigen::Index n = a->second.rows(), d = a->second.cols();
  struct Expected {
    const char* name;
    Eigen::Index rows, cols;
    std::string why;
  };
  const Expected expected[] = {{"B", n, d, "A is " + shape_text(n, d)},
                               {"x", d, 1, "A has " + std::to_string(d) + " columns"},
                               {"y", d, 1, "A has " + std::to_string(d) + " columns"},
                               {"b", n, 1, "A has " + std::to_string(n) + " rows"}};
  for (const Expected& e : expected) {
    const auto it = data.inputs.find(e.name);
    if (it == data.inputs.end() || (it->second.rows() == e.rows && it->second.cols() == e.cols)) continue;
    const auto src = data.sources.find(e.name);
    const std::string label = std::string(e.name) == "B" ? "A_{t+1}" : e.name;
    throw InputError((src == data.sources.end() ? label : src->second) + ": " + label + " has " +
                     shape_text(it->second.rows(), it->second.cols()) + " but " + e.why + " (" + label + " needs " +
                     shape_text(e.rows, e.cols) + ")");
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
    else if (it->second.rows() != spec.rows || it->second.cols() != spec.cols)
      r.other_meaning.push_back("its " + spec.name + " (" + spec.description + ") has " + shape_text(spec.rows, spec.cols) +
                                ", the data's " + shape_text(it->second.rows(), it->second.cols()));
    else c.inputs[spec.name] = it->second;
  }
  if (!r.applicable()) return r;
  r.hypotheses = assess_hypotheses(ob, c, s, max_bits);
  r.result = certify(ob, c, s, max_bits);
  return r;
}

}  // namespace certbound
