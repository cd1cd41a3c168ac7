// certbound prove ID: branch and bound over the whole domain, with a re-checkable certificate;
// certbound verify-certificate FILE: replay and re-check a certificate without search.
// Exit: prove 0 proved / 1 refuted / 3 undetermined / 2 bad input;
//       verify-certificate 0 valid / 1 first failing leaf / 2 unreadable.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "certbound/report/certificate.hpp"
#include "certbound/report/report.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace certbound::cli {
namespace {

struct ProveCommand {
  std::string id;
  ProveOptions options;
  long long max_boxes = 1000000;
  std::string certificate_path, json_path, counterexample_dir = "counterexamples";

  int run() {
    validate_settings(options.settings);
    if (!options.settings.beta.empty()) throw BadInput("prove uses the paper's β = e^{−R²}; --beta is for check");
    if (max_boxes < 8 || max_boxes > 1000000000LL) throw BadInput("--max-boxes must be between 8 and 10^9");
    if (options.threads < 1 || options.threads > 256) throw BadInput("--threads must be between 1 and 256");
    options.max_boxes = max_boxes;
    const Obligation* ob = resolve_obligations({id}).front();
    if (!ob->proof_form(options.settings))
      throw BadInput("obligation '" + id + "' has no proof form; provable: " + provable_ids());
    if (options.settings.n * options.settings.d > 64) throw BadInput("prove is for small dimensions (n·d at most 64)");

    const ProofResult r = prove(*ob, options);
    std::printf("certbound prove %s: n = %d, d = %d, R = %s, scale = %s\n", id.c_str(), options.settings.n,
                options.settings.d, options.settings.R.c_str(), options.settings.scale.c_str());
    std::printf("  reduction: %s\n", r.form.reduction.c_str());
    std::printf("  %-22s %-13s %10s %9s %9s\n", "obligation", "status", "boxes", "coverage", "time");
    std::printf("  %-22s %-13s %10lld %8.4f%% %8.2fs\n", id.c_str(), to_string(r.status), r.boxes,
                100.0 * r.closed_fraction, r.seconds);
    if (r.status == ProofStatus::proved) std::printf("  proved: %s\n", r.form.proved_statement.c_str());
    std::string cx_path;
    if (r.counterexample && !counterexample_dir.empty()) {
      std::error_code ec;
      std::filesystem::create_directories(counterexample_dir, ec);
      cx_path = counterexample_dir + "/" + id + ".json";
      report::write_file_atomically(cx_path, report::counterexample_json(*ob, options.settings, *r.counterexample,
                                                                         command_line()).dump(2) + "\n");
      std::printf("  counterexample: %s\n", cx_path.c_str());
    }
    if (!certificate_path.empty()) {
      report::write_file_atomically(certificate_path,
                                    report::certificate_json(r, options.settings, command_line()).dump() + "\n");
      std::printf("  certificate: %s\n", certificate_path.c_str());
    }
    if (!json_path.empty()) {
      nlohmann::json doc = {{"schema_version", 1},
                            {"command", "prove"},
                            {"parameters", report::settings_json(options.settings)},
                            {"provenance", report::provenance(command_line(), 0, 128)},
                            {"results", nlohmann::json::array({{{"id", id},
                                                                {"status", to_string(r.status)},
                                                                {"boxes", r.boxes},
                                                                {"leaves", r.leaves.size()},
                                                                {"coverage", r.closed_fraction},
                                                                {"seconds", r.seconds},
                                                                {"reduction", r.form.reduction},
                                                                {"proved_statement", r.form.proved_statement},
                                                                {"counterexample", cx_path.empty() ? nlohmann::json(nullptr)
                                                                                                   : nlohmann::json(cx_path)}}})}};
      report::write_file_atomically(json_path, doc.dump(2) + "\n");
    }
    switch (r.status) {
      case ProofStatus::proved: return kOk;
      case ProofStatus::refuted: return kViolated;
      case ProofStatus::undetermined: return kUndecided;
    }
    return kUndecided;
  }

  static std::string provable_ids() {
    std::string out;
    Settings s;
    for (const Obligation* o : all_obligations())
      if (o->proof_form(s)) out += (out.empty() ? "" : ", ") + o->meta().id;
    return out;
  }
};

struct VerifyCommand {
  std::string path;
  int run() const {
    std::ifstream f(path);
    if (!f) throw BadInput("cannot read '" + path + "'");
    std::stringstream buf;
    buf << f.rdbuf();
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(buf.str());
    } catch (const nlohmann::json::exception&) {
      throw BadInput("'" + path + "' is not valid JSON (truncated?)");
    }
    report::Verification v;
    try {
      v = report::verify_certificate(j);
    } catch (const std::invalid_argument& e) {
      throw BadInput("'" + path + "': " + e.what());
    }
    if (!v.valid) {
      std::printf("invalid: %s\n", v.failure.c_str());
      return kViolated;
    }
    std::printf("valid: %s (%lld leaves re-checked at 128 bits)\n", to_string(v.status), v.leaves);
    return kOk;
  }
};

const bool registered_prove = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<ProveCommand>();
  auto* sub = app.add_subcommand("prove", "prove an obligation over its whole domain by branch and bound");
  sub->add_option("id", cmd->id, "obligation id")->required();
  add_settings_options(*sub, cmd->options.settings);
  sub->add_option("--max-boxes", cmd->max_boxes, "box budget")->capture_default_str();
  sub->add_option("--threads", cmd->options.threads, "worker threads")->capture_default_str();
  sub->add_option("--certificate", cmd->certificate_path, "write the certificate here");
  sub->add_option("--json", cmd->json_path, "write the JSON report here");
  sub->add_option("--counterexamples", cmd->counterexample_dir, "directory for a refuting counterexample")
      ->capture_default_str();
  return [cmd] { return cmd->run(); };
});

const bool registered_verify = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<VerifyCommand>();
  auto* sub = app.add_subcommand("verify-certificate", "replay and re-check a proof certificate without search");
  sub->add_option("file", cmd->path, "certificate JSON")->required();
  return [cmd] { return cmd->run(); };
});

}  // namespace
}  // namespace certbound::cli
