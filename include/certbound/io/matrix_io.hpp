// Reading user matrices: CSV (rows of comma- or blank-separated numbers) and NumPy .npy
// (float64, C order, version 1.0/2.0/3.0 headers). Numbers are read as exact doubles (the
// nearest double to a decimal entry; the file's numbers are the user's data points).
// Every problem is a MatrixFileError whose message names the file and the problem.
#pragma once

#include <Eigen/Dense>
#include <stdexcept>
#include <string>
#include <string_view>

#include "certbound/arith/input_error.hpp"

namespace certbound::io {

struct MatrixFileError : InputError {
  using InputError::InputError;
};

/// Read a matrix from `path` (.npy by extension or magic, CSV otherwise). A 1-D .npy or a CSV
/// with one column / one row is returned as a column vector when `as_vector` is true.
Eigen::MatrixXd read_matrix(const std::string& path, bool as_vector = false);

/// The same from the file's bytes; `name` only labels the error messages.
Eigen::MatrixXd parse_matrix(std::string_view bytes, const std::string& name, bool as_vector = false);

/// The bytes of `m` as a .npy file (float64, C order, version 1.0 header): exact.
std::string npy_bytes(const Eigen::MatrixXd& m);

/// Write a matrix as .npy (float64, C order): exact.
void write_npy(const std::string& path, const Eigen::MatrixXd& m);

}  // namespace certbound::io
