// The one error type for bad input.
//
// A file, number or parameter that certbound refuses (a malformed certificate, a matrix of the
// wrong shape, --R abc) throws InputError with a one-line message naming the problem; the command
// line prints it and exits 2. std::invalid_argument, std::logic_error and the rest are never used
// for bad input, so when one escapes it is a bug, reported as an internal error (exit 70).
// Kept in arith, the bottom module, so that every module can throw it.
#pragma once

#include <stdexcept>

namespace certbound {

struct InputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace certbound
