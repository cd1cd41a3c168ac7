#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "certbound/arith/fp_environment.hpp"
#include "certbound/arith/mp_memory.hpp"

int main(int argc, char** argv) {
  certbound::mp_memory::install();  // the suite runs on the allocator certbound itself uses
  certbound::check_fp_environment();
  certbound::mp_memory::use_widest_exponent_range();
  doctest::Context context;
  context.applyCommandLine(argc, argv);
  return context.run();
}
