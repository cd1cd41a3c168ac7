// certbound verify-certificate FILE [--precision BITS]: re-derive a certificate's claim, replay its
// tree, re-check every closed or refuted leaf without search, and print the status the leaves
// establish (engine/proof_checker.hpp). Exit: the code of that status (0 proved, 5 proved-on-box,
// 6 partial, 1 refuted, 3 undetermined), 7 invalid, 2 unreadable.
#include <cstdio>

#include "certbound/arith/input_error.hpp"
#include "certbound/engine/all_n.hpp"
#include "certbound/engine/proof_checker.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace certbound::cli {
namespace {

struct VerifyCommand {
  std::string path;
  long long precision = 128;
  int run() const {
    require_range("precision", precision, 53, 1025);
    const nlohmann::json j = read_json_file(path);
    if (j.is_object() && j.contains("kind") && j["kind"] == "certbound.all-n-certificate") return verify_all_n(j);
    Verification v;
    try {
      v = verify_certificate(j, static_cast<unsigned>(precision));
    } catch (const InputError& e) {
      throw BadInput("'" + path + "': " + e.what());
    }
    const unsigned bits = precision <= 53 ? 53 : (precision <= 128 ? 128 : (precision <= 257 ? 257 : 1025));
    if (!v.valid) {
      std::printf("invalid: %s\n", v.failure.c_str());
      return kInvalid;
    }
    std::printf("valid: %s, %lld open leaves, %lld closed leaves re-checked at %u bits\n", to_string(v.status),
                v.open_leaves, v.rechecked, bits);
    std::printf("  obligation   %s\n", v.obligation.c_str());
    std::printf("  parameters   %s\n", parameters_text(v.settings).c_str());
    if (v.shard_count > 1)
      std::printf("  shard        %d/%d: its own parts only (%lld parts belong to other shards)\n", v.shard_index,
                  v.shard_count, v.foreign_parts);
    switch (v.status) {
      case ProofStatus::proved: std::printf("  proved       %s\n", v.proved_statement.c_str()); break;
      case ProofStatus::proved_on_box:
        std::printf("  proved       %s\n  on the box   %s (nothing is claimed outside it)\n", v.proved_statement.c_str(),
                    v.domain_covered.c_str());
        break;
      case ProofStatus::partial:
        std::printf("  partial      every leaf of this shard's parts is closed; merge every shard for a proof\n");
        break;
      case ProofStatus::refuted: std::printf("  refuted      a leaf re-certifies as a counterexample\n"); break;
      case ProofStatus::undetermined: std::printf("  undetermined a record of partial work, not a proof\n"); break;
    }
    std::printf("Not verified (recorded by the writer, not re-derived):\n");
    if (v.unverified.is_object()) {
      for (const auto& [key, value] : v.unverified.items())
        if (key != "provenance") std::printf("  %-12s %s\n", key.c_str(), value.dump().c_str());
      if (v.unverified.contains("provenance") && v.unverified.at("provenance").is_object())
        for (const char* key : {"version", "git_commit", "compiler", "build_type", "arguments"})
          if (v.unverified.at("provenance").contains(key))
            std::printf("  %-12s %s\n", key, v.unverified.at("provenance").at(key).dump().c_str());
    }
    return exit_code_of(v.status);
  }

  /// An all-n certificate: the kernel and every scalar lemma run again on the registered derivations.
  int verify_all_n(const nlohmann::json& j) const {
    AllNVerification v;
    try {
      v = verify_all_n_certificate(j);
    } catch (const InputError& e) {
      throw BadInput("'" + path + "': " + e.what());
    }
    if (!v.valid) {
      std::printf("invalid: %s\n", v.failure.c_str());
      return kInvalid;
    }
    std::printf("valid: %s for every n and d (kernel re-run, %lld scalar lemmas re-proved)\n", to_string(v.status), v.lemmas);
    std::printf("  obligation   %s\n  scope        %s\n", v.obligation.c_str(), v.scope.c_str());
    std::printf("Not verified (recorded by the writer, not re-derived):\n  %s\n", v.unverified.dump().c_str());
    return exit_code_of(v.status);
  }
};


const bool registered_verify = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<VerifyCommand>();
  auto* sub = app.add_subcommand("verify-certificate",
                                 "re-derive a certificate's claim, re-check its leaves without search, and print the "
                                 "status they establish (valid) or why they do not (invalid)");
  sub->add_option("file", cmd->path, "certificate JSON")->required();
  sub->add_option("--precision", cmd->precision, "re-check leaves at 53, 128, 257 or 1025 bits (the next level up)")
      ->capture_default_str();
  return [cmd] { return cmd->run(); };
});


}  // namespace
}  // namespace certbound::cli
