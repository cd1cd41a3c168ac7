// certbound: command-line entry point. Each subcommand lives in its own file in src/cli/ and
// registers itself here; bad input of any kind ends with a one-line error and exit code 2.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>

#include "certbound/arith/fp_environment.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

int main(int argc, char** argv) {
  try {
    certbound::check_fp_environment();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "certbound: error: %s\n", e.what());
    return 2;
  }
  CLI::App app{"certbound: machine-checked constants for the softmax-regression ICL paper (arXiv 2304.13276)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", certbound::cli::version_string() + "\n");
  certbound::cli::register_all(app);
  for (int i = 0; i < argc; ++i) certbound::cli::command_line().push_back(argv[i]);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    for (char& c : msg) if (c == '\n') c = ' ';
    std::fprintf(stderr, "certbound: error: %s (see --help)\n", msg.c_str());
    return 2;
  }
  return certbound::cli::run_selected(app);
}
