#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "certbound/arith/fp_environment.hpp"

int main(int argc, char** argv) {
  certbound::check_fp_environment();
  doctest::Context context;
  context.applyCommandLine(argc, argv);
  return context.run();
}
