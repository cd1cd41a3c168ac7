// certbound merge FILE... [--certificate OUT]: combine the certificates of every shard of one
// prove run into the certificate of the whole run; each shard is verified first, and shards of
// other runs, missing or duplicated parts are refused (engine/proof_checker.hpp).
// Exit: the code of the merged status (0 proved, 5 proved-on-box, 1 refuted, 3 undetermined), 2 bad input.
#include <cstdio>

#include "certbound/arith/input_error.hpp"
#include "certbound/engine/proof_checker.hpp"
#include "certbound/io/atomic_file.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace certbound::cli {
namespace {

struct MergeCommand {
  std::vector<std::string> paths;
  std::string out_path;
  int run() const {
    io::require_writable(out_path);  // before reading anything
    std::vector<nlohmann::json> certs;
    for (const auto& path : paths) {
      certs.push_back(read_json_file(path));
    }
    nlohmann::json merged;
    try {
      merged = merge_certificates(certs);
    } catch (const InputError& e) {
      throw BadInput(e.what());
    }
    const std::string text = merged.dump() + "\n";
    if (out_path.empty()) std::printf("%s", text.c_str());
    else io::write_file_atomically(out_path, text);
    const std::string status = merged.at("status").get<std::string>();
    std::fprintf(stderr, "merged %zu certificates: %s\n", certs.size(), status.c_str());
    return exit_code_of(*proof_status_from(status));
  }
};


const bool registered_merge = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<MergeCommand>();
  auto* sub = app.add_subcommand("merge", "combine the certificates of all shards of one prove run");
  sub->add_option("files", cmd->paths, "shard certificates")->required();
  sub->add_option("--certificate", cmd->out_path, "write the merged certificate here (default: stdout)");
  return [cmd] { return cmd->run(); };
});


}  // namespace
}  // namespace certbound::cli
