// certbound prove ID... --all-n (cli/prove_all_n.hpp). Exit: 0 when every id is proved, 3 when one
// is undetermined (a step fails or stays open: that refutes the derivation, not the statement), 2
// for an id without a derivation or a bad option.
#include "cli/prove_all_n.hpp"

#include <cstdio>

#include "certbound/engine/all_n.hpp"
#include "certbound/engine/term_eval.hpp"
#include "certbound/io/atomic_file.hpp"
#include "certbound/report/derivation_report.hpp"
#include "certbound/report/report.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace certbound::cli {

std::vector<const Obligation*> obligations_with_derivations(const std::vector<std::string>& ids) {
  std::vector<const Obligation*> out;
  std::string with;
  for (const Obligation* o : all_obligations())
    if (o->derivation()) with += (with.empty() ? "" : ", ") + o->meta().id;
  for (const std::string& id : ids) {
    if (id == "all") {
      for (const Obligation* o : all_obligations())
        if (o->derivation()) out.push_back(o);
      continue;
    }
    const Obligation* o = find_obligation(id);
    if (!o) throw BadInput(unknown_obligation_message(id));
    if (!o->derivation()) throw BadInput("obligation '" + id + "' has no all-n derivation; those with one: " + with);
    out.push_back(o);
  }
  return out;
}

namespace {

void print_result(const AllNResult& r) {
  const auto& rep = r.report;
  const int steps = static_cast<int>(rep.steps.size());
  std::printf("  %-24s %-13s %3d steps %8.3fs  %s\n", r.id.c_str(), to_string(r.status), steps, r.seconds,
              r.status == ProofStatus::proved ? ("for " + rep.scope).c_str() : "");
  if (r.status != ProofStatus::proved) std::printf("    undetermined: %s\n", rep.failure.c_str());
}

}  // namespace

int run_prove_all_n(const AllNOptions& o) {
  if (o.ids.empty()) throw BadInput("give obligation ids or 'all'");
  try {
    exact_scale(o.scale);
  } catch (const InputError& e) {
    throw BadInput(e.what());
  }
  const bool witness = !o.markdown_path.empty() || !o.json_path.empty();
  CheckOptions witness_options = witness_check_options(o.witness_n, o.witness_d, o.witness_R, o.scale);
  if (witness) {
    if (const std::string why = settings_problem(witness_options.settings); !why.empty())
      throw BadInput("the witness check (--witness-n, --witness-d, --witness-R): " + why);
    require_range("witness-samples", o.witness_samples, 0, 1000000);
    require_range("witness-search", o.witness_search, 0, 100000000);
    witness_options.seed = o.witness_seed;
    witness_options.samples = static_cast<int>(o.witness_samples);
    witness_options.search = static_cast<int>(o.witness_search);
  }
  const auto obligations = obligations_with_derivations(o.ids);
  for (const std::string* path : {&o.certificate_path, &o.markdown_path, &o.json_path})
    io::require_writable(*path);  // before any work, not after it
  if (!o.certificate_path.empty() && obligations.size() != 1)
    throw BadInput("--certificate with --all-n takes one obligation (got " + std::to_string(obligations.size()) + ")");
  std::printf("certbound prove --all-n: every n ≥ 1 and d ≥ 1%s\n",
              o.scale == "1" ? "" : (", constants scaled by " + o.scale).c_str());
  std::vector<AllNResult> results;
  for (const Obligation* ob : obligations) {
    results.push_back(prove_all_n(*ob, o.scale));
    print_result(results.back());
  }
  std::printf("  trusted (not checked by the kernel): ");
  const auto& trusted = results.front().report.trusted;
  for (size_t i = 0; i < trusted.size(); ++i) std::printf("%s%s", i ? "; " : "", trusted[i].c_str());
  std::printf("\n");
  const nlohmann::json unverified = {{"provenance", report::provenance(command_line(), 0, 0)}};
  if (!o.certificate_path.empty()) {
    io::write_file_atomically(o.certificate_path, all_n_certificate_json(results.front(), unverified).dump(2) + "\n");
    std::printf("  certificate: %s\n", o.certificate_path.c_str());
  }
  // The appendix and the JSON also show each step's slack at the best certified witness of a check
  // (only then: without them prove --all-n runs no check).
  std::vector<std::optional<WitnessSlack>> witnesses(results.size());
  if (witness)
    for (size_t i = 0; i < results.size(); ++i) {
      std::vector<std::string> justifications;
      for (const auto& s : results[i].report.steps) justifications.push_back(s.justification);
      witnesses[i] = slack_at_witness(*obligations[i], witness_options, justifications);
    }
  if (!o.markdown_path.empty()) {
    io::write_file_atomically(o.markdown_path, report::derivations_markdown(results, witnesses));
    std::printf("  appendix: %s\n", o.markdown_path.c_str());
  }
  if (!o.json_path.empty()) {
    io::write_file_atomically(o.json_path, report::derivations_json(results, unverified, witnesses).dump(2) + "\n");
    std::printf("  json: %s\n", o.json_path.c_str());
  }
  ProofStatus worst = ProofStatus::proved;
  for (const AllNResult& r : results)
    if (r.status != ProofStatus::proved) worst = r.status;
  return exit_code_of(worst);
}

}  // namespace certbound::cli
