// Reading user matrices: delimited text (CSV, ';', tab or blank separated), NumPy .npy (float16/32/64,
// integers and bool whose values are exact doubles, either byte order, C or Fortran order, header
// versions 1.0/2.0/3.0) and .npz archives of .npy files. Numbers are read as exact doubles (the
// nearest double to a decimal entry; the file's numbers are the user's data points): integers that
// a double cannot hold, NaN and infinities are refused, never rounded or passed on.
// Every problem is a MatrixFileError whose one-line message names the file and the problem.
#pragma once

#include <Eigen/Dense>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

#include "certbound/arith/input_error.hpp"

namespace certbound::io {

struct MatrixFileError : InputError {
  using InputError::InputError;
};

/// Read a matrix from `path` (.npy by its magic, text otherwise). A 1-D .npy or a text file with
/// one column / one row is returned as a column vector when `as_vector` is true.
Eigen::MatrixXd read_matrix(const std::string& path, bool as_vector = false);

/// The same from the file's bytes; `name` only labels the error messages.
Eigen::MatrixXd parse_matrix(std::string_view bytes, const std::string& name, bool as_vector = false);

/// The arrays of a .npz file (numpy.savez or savez_compressed) by name, without ".npy". Errors
/// about one array are labelled "path:name".
std::map<std::string, Eigen::MatrixXd> read_npz(const std::string& path);

/// The same from the file's bytes; `name` only labels the error messages.
std::map<std::string, Eigen::MatrixXd> parse_npz(std::string_view bytes, const std::string& name);

/// A one-row or one-column matrix as a column vector; anything else is refused, labelled `name`.
Eigen::MatrixXd as_column(const Eigen::MatrixXd& m, const std::string& name);

/// The bytes of `m` as a .npy file (float64, C order, version 1.0 header): exact.
std::string npy_bytes(const Eigen::MatrixXd& m);

/// Write a matrix as .npy (float64, C order): exact.
void write_npy(const std::string& path, const Eigen::MatrixXd& m);

}  // namespace certbound::io
