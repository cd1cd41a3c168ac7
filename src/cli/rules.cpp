// certbound rules: the derivation kernel's rule table and monotone contexts (README's trusted base
// embeds this table; a test keeps the two the same).
#include <cstdio>

#include "certbound/report/derivation_report.hpp"
#include "cli/commands.hpp"

namespace certbound::cli {
namespace {

const bool registered_rules = add_command([](CLI::App& app) -> std::function<int()> {
  auto* sub = app.add_subcommand("rules", "the rules and monotone contexts the derivation kernel accepts (Markdown)");
  (void)sub;
  return []() -> int {
    std::fputs(report::rule_table_markdown().c_str(), stdout);
    return static_cast<int>(kOk);
  };
});

}  // namespace
}  // namespace certbound::cli
