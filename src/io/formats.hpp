// The parsers behind read_matrix and read_npz, one file per format (internal to the io module).
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace certbound::io::detail {

/// Throw MatrixFileError "<name>: <why>".
[[noreturn]] void fail(const std::string& name, const std::string& why);

/// The most entries a matrix file may hold: 2^26 doubles are 512 MiB.
constexpr std::size_t kMaxEntries = std::size_t(1) << 26;

/// A .npy file (any header version; numeric dtypes whose values are exact doubles).
Eigen::MatrixXd parse_npy(const std::string& name, std::string_view bytes);
/// Delimited text: CSV, semicolon- or tab-separated, or blank-separated columns.
Eigen::MatrixXd parse_csv(const std::string& name, std::string_view text);
/// The members of a zip archive (stored or deflated), by name, uncompressed.
std::map<std::string, std::string> unzip(const std::string& name, std::string_view bytes);

}  // namespace certbound::io::detail
