// certbound list [--json]: every obligation with its kind, provenance, citation and statement.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "certbound/obligation/obligation.hpp"
#include "cli/commands.hpp"

namespace certbound::cli {
namespace {

struct ListCommand {
  bool json = false;
  int run() const {
    const auto all = all_obligations();
    if (json) {
      nlohmann::json out = nlohmann::json::array();
      for (const auto* o : all) {
        const Meta& m = o->meta();
        out.push_back({{"id", m.id}, {"kind", to_string(m.kind)}, {"provenance", m.provenance},
                       {"citation", m.citation}, {"statement", m.statement}});
      }
      std::printf("%s\n", out.dump(2).c_str());
      return kOk;
    }
    std::printf("%-24s %-9s %-42s %s\n", "id", "kind", "provenance", "statement");
    for (const auto* o : all) {
      const Meta& m = o->meta();
      std::printf("%-24s %-9s %-42s %s\n", m.id.c_str(), to_string(m.kind), m.provenance.c_str(), m.statement.c_str());
      std::printf("%-24s %-9s %-42s   [%s]\n", "", "", "", m.citation.c_str());
    }
    return kOk;
  }
};

const bool registered = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<ListCommand>();
  auto* sub = app.add_subcommand("list", "list the paper's statements as obligations");
  sub->add_flag("--json", cmd->json, "print a JSON array");
  return [cmd] { return cmd->run(); };
});

}  // namespace
}  // namespace certbound::cli

// certbound statuses [--json]: the status vocabulary and the exit codes, from engine/status.hpp
// (README's table is this command's Markdown, kept in sync by a test).
namespace certbound::cli {
namespace {

struct StatusesCommand {
  bool json = false;
  int run() const {
    std::printf("%s%s", json ? status_vocabulary_json().c_str() : status_vocabulary_markdown().c_str(), json ? "\n" : "");
    return kOk;
  }
};

const bool registered_statuses = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<StatusesCommand>();
  auto* sub = app.add_subcommand("statuses", "print what each status word means and its exit code");
  sub->add_flag("--json", cmd->json, "print JSON instead of a Markdown table");
  return [cmd] { return cmd->run(); };
});

}  // namespace
}  // namespace certbound::cli
