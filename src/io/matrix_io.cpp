#include "certbound/io/matrix_io.hpp"

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "certbound/arith/decimal.hpp"

namespace certbound::io {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& why) { throw MatrixFileError(path + ": " + why); }

std::string read_all(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) fail(path, "cannot open file");
  std::stringstream buf;
  buf << f.rdbuf();
  return buf.str();
}

constexpr std::size_t kMaxEntries = std::size_t(1) << 26;  // 512 MiB of doubles

Eigen::MatrixXd parse_npy(const std::string& path, const std::string& bytes) {
  if (bytes.size() < 10) fail(path, "truncated .npy header");
  const unsigned major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) fail(path, "truncated .npy header");
    for (int k = 3; k >= 0; --k) header_len = (header_len << 8) | static_cast<unsigned char>(bytes[8 + k]);
    offset = 12;
  } else {
    fail(path, "unsupported .npy version " + std::to_string(major));
  }
  if (bytes.size() < offset + header_len) fail(path, "truncated .npy header");
  const std::string header = bytes.substr(offset, header_len);
  auto value_of = [&](const std::string& key) -> std::string {
    const auto k = header.find("'" + key + "'");
    if (k == std::string::npos) fail(path, ".npy header has no '" + key + "'");
    auto colon = header.find(':', k);
    if (colon == std::string::npos) fail(path, "malformed .npy header");
    return header.substr(colon + 1);
  };
  const std::string descr = value_of("descr");
  if (descr.find("'<f8'") == std::string::npos && descr.find("'float64'") == std::string::npos)
    fail(path, "only little-endian float64 (<f8) arrays are supported");
  const std::string order = value_of("fortran_order");
  if (order.find("True") < order.find(',')) fail(path, "Fortran-order arrays are not supported (save with C order)");
  const std::string shape_text = value_of("shape");
  const auto open = shape_text.find('('), close = shape_text.find(')');
  if (open == std::string::npos || close == std::string::npos) fail(path, "malformed .npy shape");
  std::vector<long long> shape;
  std::stringstream ss(shape_text.substr(open + 1, close - open - 1));
  std::string item;
  while (std::getline(ss, item, ',')) {
    std::size_t i = 0;
    while (i < item.size() && std::isspace(static_cast<unsigned char>(item[i]))) ++i;
    if (i == item.size()) continue;
    long long v = 0;
    for (; i < item.size() && std::isdigit(static_cast<unsigned char>(item[i])); ++i) {
      v = v * 10 + (item[i] - '0');
      if (v > (1LL << 40)) fail(path, ".npy shape too large");
    }
    shape.push_back(v);
  }
  if (shape.empty() || shape.size() > 2) fail(path, "only 1-D and 2-D arrays are supported");
  const long long rows = shape[0], cols = shape.size() == 2 ? shape[1] : 1;
  if (rows < 1 || cols < 1) fail(path, "empty array");
  // Each factor first: two shapes of 2^32 would wrap their product to 0.
  const auto max_entries = static_cast<long long>(kMaxEntries);
  if (rows > max_entries || cols > max_entries || rows * cols > max_entries) fail(path, "array too large");
  const std::size_t data_offset = offset + header_len;
  const std::size_t need = static_cast<std::size_t>(rows * cols) * 8;
  if (bytes.size() < data_offset + need) fail(path, "truncated .npy data");
  if (bytes.size() > data_offset + need) fail(path, "trailing bytes after .npy data");
  Eigen::MatrixXd m(rows, cols);
  for (long long r = 0; r < rows; ++r)
    for (long long c = 0; c < cols; ++c) {
      double v;
      std::memcpy(&v, bytes.data() + data_offset + static_cast<std::size_t>(r * cols + c) * 8, 8);
      if (!std::isfinite(v)) fail(path, "entry (" + std::to_string(r) + ", " + std::to_string(c) + ") is not finite");
      m(r, c) = v;
    }
  return m;
}

Eigen::MatrixXd parse_csv(const std::string& path, const std::string& text) {
  std::vector<std::vector<double>> rows;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<double> row;
    std::string token;
    auto flush = [&] {
      if (token.empty()) return;
      if (!is_decimal_literal(token))
        fail(path, "line " + std::to_string(line_no) + ": '" + token.substr(0, 30) + "' is not a number");
      const double v = std::strtod(token.c_str(), nullptr);
      if (!std::isfinite(v)) fail(path, "line " + std::to_string(line_no) + ": '" + token.substr(0, 30) + "' overflows");
      row.push_back(v);
      token.clear();
    };
    for (char ch : line) {
      if (ch == ',' || ch == ' ' || ch == '\t' || ch == ';') flush();
      else token += ch;
    }
    flush();
    if (row.empty()) continue;  // blank line
    if (!rows.empty() && row.size() != rows.front().size())
      fail(path, "line " + std::to_string(line_no) + " has " + std::to_string(row.size()) + " numbers, expected " +
                     std::to_string(rows.front().size()));
    rows.push_back(std::move(row));
    if (rows.size() * rows.front().size() > kMaxEntries) fail(path, "matrix too large");
  }
  if (rows.empty()) fail(path, "no numbers (empty file)");
  Eigen::MatrixXd m(rows.size(), rows.front().size());
  for (std::size_t r = 0; r < rows.size(); ++r)
    for (std::size_t c = 0; c < rows[r].size(); ++c) m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c)) = rows[r][c];
  return m;
}

}  // namespace

Eigen::MatrixXd parse_matrix(std::string_view view, const std::string& name, bool as_vector) {
  const std::string bytes(view);
  Eigen::MatrixXd m = bytes.size() >= 6 && bytes.compare(0, 6, "\x93NUMPY") == 0 ? parse_npy(name, bytes)
                                                                                  : parse_csv(name, bytes);
  if (as_vector) {
    if (m.cols() != 1 && m.rows() != 1) fail(name, "expected a vector, got a " + std::to_string(m.rows()) + "x" + std::to_string(m.cols()) + " matrix");
    m = Eigen::MatrixXd(m.reshaped());
  }
  return m;
}

Eigen::MatrixXd read_matrix(const std::string& path, bool as_vector) { return parse_matrix(read_all(path), path, as_vector); }

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
