// certbound: command-line entry point. Each subcommand lives in its own file in src/cli/ and
// registers itself here; bad input of any kind ends with a one-line error and exit code 2.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include "certbound/arith/fp_environment.hpp"
#include "certbound/arith/mp_memory.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

int main(int argc, char** argv) {
  certbound::mp_memory::install();  // before any multiprecision number exists
  certbound::mp_memory::use_widest_exponent_range();
  try {
    certbound::check_fp_environment();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "certbound: error: %s\n", e.what());
    return 2;
  }
  const auto app = certbound::cli::make_app();
  for (int i = 0; i < argc; ++i) certbound::cli::command_line().push_back(argv[i]);
  if (const auto done = certbound::cli::parse_command_line(*app, argc, argv, std::cout, std::cerr)) return *done;
  return certbound::cli::run_selected(*app);
}
