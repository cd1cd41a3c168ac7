// Reading user matrices: the file's kind is told by its first bytes (.npy magic, zip signature),
// anything else is read as delimited text; the parsers are npy.cpp, csv.cpp and zip.cpp.
#include "certbound/io/matrix_io.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "formats.hpp"

namespace certbound::io {

namespace detail {
void fail(const std::string& name, const std::string& why) { throw MatrixFileError(name + ": " + why); }
}  // namespace detail

namespace {

using detail::fail;

std::string read_all(const std::string& path) {
  // An ifstream opens a directory and then reads nothing: it would pass for an empty file.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(path, "is a directory");
  std::ifstream f(path, std::ios::binary);
  if (!f) fail(path, "cannot open file");
  std::stringstream buf;
  buf << f.rdbuf();
  return buf.str();
}

bool starts_with(std::string_view bytes, std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; }

bool is_npy(std::string_view bytes) { return starts_with(bytes, "\x93NUMPY"); }

/// Local file header or end record (an archive with no member).
bool is_zip(std::string_view bytes) {
  return starts_with(bytes, std::string_view("PK\x03\x04", 4)) || starts_with(bytes, std::string_view("PK\x05\x06", 4));
}

}  // namespace

Eigen::MatrixXd as_column(const Eigen::MatrixXd& m, const std::string& name) {
  if (m.cols() != 1 && m.rows() != 1)
    fail(name, "expected a vector, got a " + std::to_string(m.rows()) + "x" + std::to_string(m.cols()) + " matrix");
  return Eigen::MatrixXd(m.reshaped());
}

Eigen::MatrixXd parse_matrix(std::string_view bytes, const std::string& name, bool as_vector) {
  if (is_zip(bytes))
    fail(name, "is a zip archive (.npz) of several arrays: give it to `check --data`, or save the one array with numpy.save");
  const Eigen::MatrixXd m = is_npy(bytes) ? detail::parse_npy(name, bytes) : detail::parse_csv(name, bytes);
  return as_vector ? as_column(m, name) : m;
}

Eigen::MatrixXd read_matrix(const std::string& path, bool as_vector) { return parse_matrix(read_all(path), path, as_vector); }

std::map<std::string, Eigen::MatrixXd> parse_npz(std::string_view bytes, const std::string& name) {
  if (!is_zip(bytes)) fail(name, "not a .npz file (a zip archive of .npy files)");
  std::map<std::string, Eigen::MatrixXd> out;
  for (const auto& [member, contents] : detail::unzip(name, bytes)) {
    if (member.size() < 4 || member.compare(member.size() - 4, 4, ".npy") != 0)
      fail(name, "member '" + member + "' is not a .npy file");
    const std::string array = member.substr(0, member.size() - 4);
    // numpy.load would name these arrays '' and 'x.npy'; no input has such a name, and a name that
    // still ends in .npy would be read as a file name, so refuse them here with the member's name.
    if (array.empty()) fail(name, "member '" + member + "' gives the array no name");
    if (array.size() >= 4 && array.compare(array.size() - 4, 4, ".npy") == 0)
      fail(name, "member '" + member + "' names an array '" + array + "' that ends in .npy");
    if (!is_npy(contents)) fail(name + ":" + array, "not a .npy file");
    out[array] = detail::parse_npy(name + ":" + array, contents);
  }
  if (out.empty()) fail(name, "no arrays in the archive");
  return out;
}

std::map<std::string, Eigen::MatrixXd> read_npz(const std::string& path) { return parse_npz(read_all(path), path); }

std::string npy_bytes(const Eigen::MatrixXd& m) {
  std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + std::to_string(m.rows()) + ", " +
                       std::to_string(m.cols()) + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out("\x93NUMPY\x01\x00", 8);
  const auto len = static_cast<unsigned short>(header.size());
  out += static_cast<char>(len & 0xff);
  out += static_cast<char>(len >> 8);
  out += header;
  for (Eigen::Index r = 0; r < m.rows(); ++r)
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      const double v = m(r, c);
      out.append(reinterpret_cast<const char*>(&v), 8);
    }
  return out;
}

void write_npy(const std::string& path, const Eigen::MatrixXd& m) {
  std::ofstream f(path, std::ios::binary);
  if (!f) throw MatrixFileError(path + ": cannot write");
  f << npy_bytes(m);
  if (!f) throw MatrixFileError(path + ": cannot write");
}

}  // namespace certbound::io
