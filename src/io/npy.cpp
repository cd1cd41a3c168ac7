// .npy files, NumPy's own format: a magic string, a version (1.0, 2.0 or 3.0), a header that is a
// Python dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...)}, then the raw data.
// Every dtype whose values are exact doubles is read: float16/32/64, integers up to 8 bytes (each
// value checked), bool; either byte order; C or Fortran order. The others (complex, long double,
// objects, strings, records, datetimes) are refused by name: none of them is a matrix of doubles.
#include <bit>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "formats.hpp"

namespace certbound::io::detail {
namespace {

/// The header's dictionary.
struct Header {
  std::string descr;        ///< the dtype string, e.g. "<f8"
  bool structured = false;  ///< descr was a list of named fields
  bool fortran_order = false;
  std::vector<long long> shape;
};

/// The small part of Python's literal syntax that .npy headers use: strings, True/False, tuples of
/// integers, and lists (skipped: they only describe records, which are refused anyway).
class HeaderParser {
 public:
  HeaderParser(const std::string& name, std::string_view text) : name_(name), s_(text) {}

  Header parse() {
    Header h;
    int seen = 0;
    expect('{');
    while (peek() != '}') {
      const std::string key = string_literal();
      expect(':');
      if (key == "descr") {
        if (peek() == '[') {
          h.structured = true;
          skip_list();
        } else {
          h.descr = string_literal();
        }
      } else if (key == "fortran_order") {
        h.fortran_order = boolean();
      } else if (key == "shape") {
        h.shape = tuple();
      } else {
        fail(name_, ".npy header has an unexpected key '" + key + "'");
      }
      seen |= key == "descr" ? 1 : key == "fortran_order" ? 2 : 4;
      if (peek() != ',') break;
      ++i_;
    }
    expect('}');
    if (seen != 7) fail(name_, ".npy header lacks one of 'descr', 'fortran_order', 'shape'");
    return h;
  }

 private:
  [[noreturn]] void malformed() { fail(name_, "malformed .npy header"); }

  /// The next character that is not blank (0 at the end).
  char peek() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n')) ++i_;
    return i_ < s_.size() ? s_[i_] : '\0';
  }
  void expect(char c) {
    if (peek() != c) malformed();
    ++i_;
  }
  std::string string_literal() {
    const char quote = peek();
    if (quote != '\'' && quote != '"') malformed();
    const auto end = s_.find(quote, ++i_);
    if (end == std::string_view::npos) malformed();
    std::string out(s_.substr(i_, end - i_));
    i_ = end + 1;
    return out;
  }
  bool boolean() {
    peek();
    for (const auto& [word, value] : {std::pair<std::string_view, bool>{"True", true}, {"False", false}})
      if (s_.substr(i_, word.size()) == word) {
        i_ += word.size();
        return value;
      }
    malformed();
  }
  std::vector<long long> tuple() {
    std::vector<long long> out;
    expect('(');
    while (peek() != ')') {
      out.push_back(integer());
      if (peek() == 'L') ++i_;  // Python 2 long, still read by numpy
      if (peek() != ',') break;
      ++i_;
    }
    expect(')');
    return out;
  }
  long long integer() {
    if (!std::isdigit(static_cast<unsigned char>(peek()))) malformed();
    long long v = 0;
    for (; i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])); ++i_) {
      v = v * 10 + (s_[i_] - '0');
      if (v > (1LL << 40)) fail(name_, ".npy shape too large");
    }
    return v;
  }
  void skip_list() {
    int depth = 0;
    do {
      if (i_ >= s_.size()) malformed();
      const char c = s_[i_];
      if (c == '\'' || c == '"') {
        string_literal();
        continue;
      }
      depth += (c == '[' || c == '(') - (c == ']' || c == ')');
      ++i_;
    } while (depth > 0);
  }

  const std::string& name_;
  std::string_view s_;
  std::size_t i_ = 0;
};

enum class Kind { floating, signed_int, unsigned_int, boolean };

struct DType {
  Kind kind;
  int size;  ///< bytes per element
  bool big_endian;
};

/// Why a dtype is not read, or "" when it is one of the readable kinds.
std::string refusal(char kind, int size, const std::string& descr) {
  const std::string quoted = "'" + descr + "'";
  switch (kind) {
    case 'O': return "object arrays (" + quoted + ", pickled Python objects) are not read: save a numeric array, e.g. a.astype(float)";
    case 'c': return "complex arrays (" + quoted + ") are not supported: the matrices are real";
    case 'g': return "long double arrays (" + quoted + ") are not supported: their values need not be doubles";
    case 'U': case 'S': case 'a': return "string arrays (" + quoted + ") are not supported: save numbers";
    case 'V': return "structured or void arrays (" + quoted + ") are not supported: save each field as its own array";
    case 'M': case 'm': return "datetime arrays (" + quoted + ") are not supported";
    case 'f':
      if (size > 8) return "long double arrays (" + quoted + ") are not supported: their values need not be doubles";
      return size == 2 || size == 4 || size == 8 ? "" : "unsupported dtype " + quoted;
    case 'i': case 'u': return size == 1 || size == 2 || size == 4 || size == 8 ? "" : "unsupported dtype " + quoted;
    case 'b': return size == 1 ? "" : "unsupported dtype " + quoted;
    default: return "unsupported dtype " + quoted;
  }
}

DType dtype_of(const std::string& name, const Header& h) {
  if (h.structured) fail(name, "structured arrays (records with named fields) are not supported: save each field as its own array");
  const std::string& d = h.descr;
  // numpy always writes a byte order ('<', '>', or '|' where it does not apply); without one the
  // dtype is native.
  const bool has_order = !d.empty() && (d[0] == '<' || d[0] == '>' || d[0] == '|' || d[0] == '=');
  const char order = has_order ? d[0] : '=';
  const std::string rest = d.substr(has_order ? 1 : 0);
  if (rest.empty()) fail(name, "unsupported dtype '" + d + "'");
  int size = 0;
  std::size_t k = 1;
  for (; k < rest.size() && std::isdigit(static_cast<unsigned char>(rest[k])) && size < 1000; ++k) size = size * 10 + (rest[k] - '0');
  const char kind = rest[0];
  const std::string why = refusal(kind, k == rest.size() ? size : -1, d);
  if (!why.empty()) fail(name, why);
  if (order == '|' && size > 1) fail(name, "dtype '" + d + "' has no byte order ('|'), which only 1-byte types may omit");
  const bool big = order == '>' || (order == '=' && std::endian::native == std::endian::big);
  const Kind kinds[] = {Kind::floating, Kind::signed_int, Kind::unsigned_int, Kind::boolean};
  return {kinds[std::string_view("fiub").find(kind)], size, big};
}

/// The element's bytes as an unsigned integer, whatever the file's byte order.
std::uint64_t load(const unsigned char* p, int size, bool big_endian) {
  std::uint64_t v = 0;
  for (int k = 0; k < size; ++k) v |= std::uint64_t(p[big_endian ? size - 1 - k : k]) << (8 * k);
  return v;
}

/// IEEE binary16 to double, exactly (ldexp of a small integer is exact; subnormals included).
double half_to_double(std::uint16_t h) {
  const int exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  const double sign = (h & 0x8000) ? -1.0 : 1.0;
  if (exponent == 0x1f) return mantissa ? std::nan("") : sign * HUGE_VAL;
  if (exponent == 0) return sign * std::ldexp(mantissa, -24);
  return sign * std::ldexp(mantissa + 1024, exponent - 25);
}

/// An integer is a double exactly when its odd part has at most 53 bits.
bool exact_in_double(std::uint64_t magnitude) {
  return magnitude == 0 || (magnitude >> std::countr_zero(magnitude)) < (std::uint64_t(1) << 53);
}

/// The double equal to one element; `where()` ("entry (i, j)") labels the refusals (made only
/// then: it would cost a string per entry).
template <class Where>
double element(const std::string& name, const DType& t, const unsigned char* p, const Where& where) {
  const std::uint64_t bits = load(p, t.size, t.big_endian);
  double v = 0;
  switch (t.kind) {
    case Kind::floating:
      v = t.size == 8 ? std::bit_cast<double>(bits)
          : t.size == 4 ? double(std::bit_cast<float>(static_cast<std::uint32_t>(bits)))
                        : half_to_double(static_cast<std::uint16_t>(bits));
      break;
    case Kind::boolean:
      if (bits > 1) fail(name, where() + " is not a bool (byte " + std::to_string(bits) + ")");
      v = double(bits);
      break;
    case Kind::unsigned_int:
      if (!exact_in_double(bits)) fail(name, where() + " = " + std::to_string(bits) + " is not exactly representable as a double");
      v = double(bits);
      break;
    case Kind::signed_int: {
      const int shift = 64 - 8 * t.size;  // sign-extend the element to 64 bits
      const std::int64_t s = static_cast<std::int64_t>(bits << shift) >> shift;
      const std::uint64_t magnitude = s < 0 ? 0 - static_cast<std::uint64_t>(s) : static_cast<std::uint64_t>(s);
      if (!exact_in_double(magnitude)) fail(name, where() + " = " + std::to_string(s) + " is not exactly representable as a double");
      v = s < 0 ? -double(magnitude) : double(magnitude);
      break;
    }
  }
  if (!std::isfinite(v)) fail(name, where() + " is not finite");
  return v;
}

/// The header's text and where the data starts.
std::pair<std::string_view, std::size_t> header_text(const std::string& name, std::string_view bytes) {
  if (bytes.size() < 10) fail(name, "truncated .npy header");
  const unsigned major = static_cast<unsigned char>(bytes[6]);
  std::size_t header_len = 0, offset = 0;
  if (major == 1) {
    header_len = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
    offset = 10;
  } else if (major == 2 || major == 3) {  // 3.0: the same, with a UTF-8 header (field names only)
    if (bytes.size() < 12) fail(name, "truncated .npy header");
    for (int k = 3; k >= 0; --k) header_len = (header_len << 8) | static_cast<unsigned char>(bytes[8 + k]);
    offset = 12;
  } else {
    fail(name, "unsupported .npy version " + std::to_string(major));
  }
  if (bytes.size() < offset + header_len) fail(name, "truncated .npy header");
  return {bytes.substr(offset, header_len), offset + header_len};
}

}  // namespace

Eigen::MatrixXd parse_npy(const std::string& name, std::string_view bytes) {
  const auto [text, data_offset] = header_text(name, bytes);
  const Header h = HeaderParser(name, text).parse();
  const DType t = dtype_of(name, h);
  if (h.shape.empty() || h.shape.size() > 2)
    fail(name, std::to_string(h.shape.size()) + "-dimensional array: only 1-D and 2-D arrays are supported");
  const long long rows = h.shape[0], cols = h.shape.size() == 2 ? h.shape[1] : 1;
  if (rows < 1 || cols < 1) fail(name, "empty array");
  // Each factor first: two shapes of 2^32 would wrap their product to 0.
  const auto max_entries = static_cast<long long>(kMaxEntries);
  if (rows > max_entries || cols > max_entries || rows * cols > max_entries) fail(name, "array too large");
  const std::size_t need = static_cast<std::size_t>(rows * cols) * static_cast<std::size_t>(t.size);
  if (bytes.size() < data_offset + need) fail(name, "truncated .npy data");
  if (bytes.size() > data_offset + need) fail(name, "trailing bytes after .npy data");
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data() + data_offset);
  Eigen::MatrixXd m(rows, cols);
  for (long long k = 0; k < rows * cols; ++k) {
    // C order: the last index varies fastest; Fortran order: the first.
    const long long r = h.fortran_order ? k % rows : k / cols, c = h.fortran_order ? k / rows : k % cols;
    const auto where = [&] {
      return "entry (" + std::to_string(r) + (h.shape.size() == 1 ? ")" : ", " + std::to_string(c) + ")");
    };
    m(r, c) = element(name, t, data + k * t.size, where);
  }
  return m;
}

}  // namespace certbound::io::detail
