#include "cli/commands.hpp"

#include <cstdio>
#include <exception>
#include <iostream>
#include <map>

#include "certbound/arith/ops.hpp"
#include "certbound/build_info.hpp"

namespace certbound::cli {

namespace {
std::vector<Registrar>& registrars() {
  static std::vector<Registrar> r;
  return r;
}
std::map<CLI::App*, std::function<int()>>& runners() {
  static std::map<CLI::App*, std::function<int()>> r;
  return r;
}
}  // namespace

bool add_command(Registrar registrar) {
  registrars().push_back(std::move(registrar));
  return true;
}

void register_all(CLI::App& app) {
  runners().clear();
  for (auto& r : registrars()) {
    auto before = app.get_subcommands({});
    auto run = r(app);
    auto after = app.get_subcommands({});
    runners()[after.back()] = std::move(run);
  }
}

int run_selected(CLI::App& app) {
  for (auto* sub : app.get_subcommands()) {
    auto it = runners().find(sub);
    if (it == runners().end()) continue;
    try {
      return it->second();
    } catch (const InputError& e) {  // BadInput and every library parser's error
      std::fprintf(stderr, "certbound: error: %s\n", e.what());
      return kBadInput;
    } catch (const std::bad_alloc&) {
      std::fprintf(stderr, "certbound: error: out of memory (reduce --n, --d or the budgets)\n");
      return kBadInput;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "certbound: internal error: %s\n", e.what());
      return kInternalError;  // EX_SOFTWARE: a bug, not bad input
    }
  }
  std::fprintf(stderr, "certbound: error: no subcommand given (see --help)\n");
  return kBadInput;
}

std::unique_ptr<CLI::App> make_app() {
  auto app = std::make_unique<CLI::App>(
      "certbound: machine-checked constants for the softmax-regression ICL paper (arXiv 2304.13276)");
  app->require_subcommand(1);
  app->set_version_flag("--version", version_string() + "\n");
  register_all(*app);
  return app;
}

std::optional<int> parse_command_line(CLI::App& app, int argc, const char* const* argv, std::ostream& out,
                                      std::ostream& err) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    for (char& c : msg) if (c == '\n') c = ' ';
    err << "certbound: error: " << msg << " (see --help)\n" << std::flush;
    return kBadInput;
  }
  return std::nullopt;
}

std::string version_string() {
  return std::string("certbound ") + build_info::version + " (" + build_info::git_commit + ", " +
         build_info::compiler + ")";
}

}  // namespace certbound::cli
