// Reports of checks on users' data (certbound check --A FILE ...).
#include <map>
#include <sstream>

#include "certbound/obligation/settings_json.hpp"
#include "certbound/report/report.hpp"

namespace certbound::report {

using nlohmann::json;

namespace {

std::string verdict_text(const DataReport& r) {
  if (!r.applicable()) return "not applicable";
  if (r.hypothesis_fails()) return "hypothesis fails";
  return to_string(r.result.status);
}

}  // namespace

std::string missing_text(const DataReport& r) {
  static const std::map<std::string, std::string> flags = {
      {"A", "--A"}, {"B", "--A-next"}, {"x", "--x"}, {"y", "--y"}, {"b", "--b"}};
  std::string options, others;
  for (const auto& name : r.missing) {
    const auto f = flags.find(name);
    std::string& list = f == flags.end() ? others : options;
    list += (list.empty() ? "" : ", ") + (f == flags.end() ? name : f->second);
  }
  if (!others.empty()) return "a statement about " + others + ", not about the data";
  if (!r.other_meaning.empty()) {
    std::string why;
    for (const auto& w : r.other_meaning) why += (why.empty() ? "" : "; ") + w;
    return "not about this data: " + why;
  }
  return "needs " + options;
}

namespace {

std::string pad(const std::string& text, size_t width) { return pad_right(text, width); }

std::string shape(const Eigen::MatrixXd& m) {
  return m.cols() == 1 ? std::to_string(m.rows()) : std::to_string(m.rows()) + "×" + std::to_string(m.cols());
}

}  // namespace

std::string data_table(const std::vector<DataReport>& reports, const UserData& data, const Settings& s) {
  std::ostringstream out;
  out << "certbound check on data: n = " << s.n << ", d = " << s.d << ", R = " << s.R << ", eta = " << s.eta
      << ", scale = " << s.scale << "\n";
  for (const auto& [name, path] : data.sources) out << "  " << name << " (" << shape(data.inputs.at(name)) << "): " << path << "\n";
  for (const auto& r : reports) {
    out << pad(r.obligation->meta().id, 24) << verdict_text(r);
    if (!r.applicable()) {
      out << " (" << missing_text(r) << ")\n";
      continue;
    }
    if (!r.hypothesis_fails() && !r.result.margin.has_nan() && r.obligation->meta().kind != Kind::identity)
      out << "   margin " << r.result.margin.str(6)
          << (r.result.ratio.has_nan() ? std::string() : "   ratio " + r.result.ratio.str(6));
    if (!r.result.note.empty() && r.result.status != CaseStatus::holds) out << "   (" << r.result.note << ")";
    out << "\n";
    for (const auto& h : r.hypotheses.findings) {
      out << "    " << pad(h.name, 26) << pad(to_string(h.truth), 10);
      if (h.quantity) out << h.quantity_name << " ∈ " << h.quantity->str(8);
      else out << "slack " << h.slack.str(8);
      out << "\n";
    }
    if (!r.hypotheses.error.empty()) out << "    (evaluation error: " << r.hypotheses.error << ")\n";
    // A statement about one gradient step (its domain defines x_{t+1} = x_t − η∇L(x_t)) takes its
    // second point from x and η, not from --y.
    if (r.obligation->meta().domain.find("x_{t+1} = x_t − η∇L(x_t)") != std::string::npos)
      out << "    (x_t is --x and x_{t+1} = x_t − η∇L(x_t) with η = " << s.eta
          << (data.inputs.count("y") ? "; --y is not used by this statement)\n" : ")\n");
  }
  return out.str();
}

json data_json(const std::vector<DataReport>& reports, const UserData& data, const Settings& s,
               const std::vector<std::string>& arguments, unsigned max_bits) {
  json inputs = json::object();
  for (const auto& [name, path] : data.sources)
    inputs[name] = {{"file", path}, {"rows", data.inputs.at(name).rows()}, {"cols", data.inputs.at(name).cols()}};
  json results = json::array();
  for (const auto& r : reports) {
    json hyps = json::array();
    for (const auto& h : r.hypotheses.findings) {
      hyps.push_back({{"name", h.name},
                      {"status", to_string(h.truth)},
                      {"slack", enclosure_json(h.slack)},
                      {"quantity", h.quantity_name.empty() ? json(nullptr) : json(h.quantity_name)},
                      {"value", h.quantity ? enclosure_json(*h.quantity) : json(nullptr)}});
    }
    json item = {{"id", r.obligation->meta().id}, {"verdict", verdict_text(r)}, {"missing_inputs", r.missing},
                 {"hypotheses", hyps}, {"hypotheses_precision_bits", r.hypotheses.bits}};
    if (r.applicable()) {
      item["status"] = to_string(r.result.status);
      item["margin"] = r.result.margin.has_nan() ? json(nullptr) : enclosure_json(r.result.margin);
      item["ratio"] = r.result.ratio.has_nan() ? json(nullptr) : enclosure_json(r.result.ratio);
      item["precision_bits"] = r.result.bits;
      item["note"] = r.result.note;
    } else {
      item["not_applicable_because"] = missing_text(r);
    }
    results.push_back(item);
  }
  return {{"schema_version", 1},
          {"command", "check-data"},
          {"parameters", settings_json(s)},
          {"inputs", inputs},
          {"provenance", provenance(arguments, 0, max_bits)},
          {"results", results}};
}

}  // namespace certbound::report
