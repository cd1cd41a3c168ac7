// Delimited text matrices, as np.savetxt, pandas' to_csv, spreadsheets and editors write them:
// one separator per file (';', ',', tab or blanks), chosen from the first row; '#' comments, blank
// lines, a UTF-8 byte order mark and one header row of names are skipped. Each entry is decimal
// text read as the nearest double. An error names the line and column (1-based, in characters) and
// shows the offending text with invisible characters escaped: a no-break space or a decimal comma
// looks like a number on screen.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "certbound/arith/decimal.hpp"
#include "formats.hpp"

namespace certbound::io::detail {
namespace {

struct Field {
  std::string_view text;
  std::size_t column;  ///< 1-based, in characters as an editor shows them (UTF-8 continuation bytes not counted)
};

/// `text` with every byte that does not print as itself escaped ("\t", "\xc2\xa0"), cut at 40.
std::string escaped(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < 40; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    char buf[8];
    if (c == '\t') out += "\\t";
    else if (c == '\r') out += "\\r";
    else if (c == '\\') out += "\\\\";
    else if (c < 0x20 || c >= 0x7f) {
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return text.size() > 40 ? out + "..." : out;
}

std::size_t column_of(std::string_view line, std::size_t offset) {
  std::size_t column = 1;
  for (std::size_t i = 0; i < offset && i < line.size(); ++i) column += (static_cast<unsigned char>(line[i]) & 0xc0) != 0x80;
  return column;
}

bool blank(char c) { return c == ' ' || c == '\t'; }

/// The fields of a line: split at `sep` and trimmed of blanks, or, for sep ' ', the runs of
/// non-blank characters (a table aligned with spaces and tabs).
std::vector<Field> split(std::string_view line, char sep) {
  std::vector<Field> out;
  std::size_t i = 0;
  while (i <= line.size()) {
    if (sep == ' ') {
      while (i < line.size() && blank(line[i])) ++i;
      if (i == line.size()) break;
    }
    std::size_t end = i;
    while (end < line.size() && (sep == ' ' ? !blank(line[end]) : line[end] != sep)) ++end;
    std::size_t a = i, b = end;
    while (a < b && blank(line[a])) ++a;
    while (b > a && blank(line[b - 1])) --b;
    out.push_back({line.substr(a, b - a), column_of(line, a)});
    i = end + 1;
  }
  return out;
}

/// ';' before ',' (a file with both is semicolon-separated with decimal commas), then tab when the
/// tabs alone separate the entries (so that an empty entry between two tabs is seen), else blanks:
/// a table aligned with spaces and tabs.
char separator_of(std::string_view line) {
  for (char sep : {';', ','})
    if (line.find(sep) != std::string_view::npos) return sep;
  if (line.find('\t') == std::string_view::npos) return ' ';
  for (const Field& f : split(line, '\t'))
    if (f.text.find_first_of(" \t") != std::string_view::npos) return ' ';
  return '\t';
}

bool non_finite_word(std::string_view t) {
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) t.remove_prefix(1);
  std::string lower;
  for (char c : t) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "nan" || lower == "inf" || lower == "infinity";
}

/// Text a reader would take for a number (a digit or a dot after the sign, or nan/inf): such a
/// row is data, never a header, so that a bad first row is reported rather than skipped.
bool looks_numeric(std::string_view t) {
  if (non_finite_word(t)) return true;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) t.remove_prefix(1);
  return !t.empty() && (std::isdigit(static_cast<unsigned char>(t[0])) || t[0] == '.');
}

class CsvReader {
 public:
  CsvReader(const std::string& name, std::string_view text) : name_(name), text_(text) {}

  Eigen::MatrixXd read() {
    strip_byte_order_mark();
    int line_no = 0;
    std::size_t pos = 0;
    while (pos < text_.size()) {
      const auto end = std::min(text_.find('\n', pos), text_.size());
      std::string_view line = text_.substr(pos, end - pos);
      pos = end + 1;
      ++line_no;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      line = line.substr(0, line.find('#'));  // a comment runs to the end of the line
      if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
      read_row(line, line_no);
    }
    if (values_.empty())
      fail_at(std::max(line_no, 1), 1, line_no == 0 ? "no numbers (empty file)" : "no numbers (only a header, comments or blank lines)");
    Eigen::MatrixXd m(static_cast<Eigen::Index>(values_.size() / cols_), static_cast<Eigen::Index>(cols_));
    for (std::size_t k = 0; k < values_.size(); ++k)
      m(static_cast<Eigen::Index>(k / cols_), static_cast<Eigen::Index>(k % cols_)) = values_[k];
    return m;
  }

 private:
  [[noreturn]] void fail_at(int line, std::size_t column, const std::string& why) {
    fail(name_, "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + why);
  }

  void strip_byte_order_mark() {
    if (text_.substr(0, 3) == "\xef\xbb\xbf") text_.remove_prefix(3);
    if (text_.substr(0, 2) == "\xff\xfe" || text_.substr(0, 2) == "\xfe\xff")
      fail_at(1, 1, "UTF-16 text (byte order mark '" + escaped(text_.substr(0, 2)) + "'): save the file as UTF-8");
  }

  void read_row(std::string_view line, int line_no) {
    const bool first = cols_ == 0 && !header_seen_;
    if (sep_ == 0) sep_ = separator_of(line);
    const std::vector<Field> fields = split(line, sep_);
    if (first && is_header(fields)) {
      header_seen_ = true;
      sep_ = 0;  // chosen again on the first row of numbers: a header may be written differently
      return;
    }
    // Each entry first: "3 4" in a comma-separated file is one bad entry, which says more than
    // the count of entries on its line.
    std::vector<double> row;
    for (const Field& f : fields) row.push_back(number(f, line_no));
    if (cols_ == 0) {
      cols_ = fields.size();
      first_data_line_ = line_no;
    }
    if (fields.size() != cols_) {
      const std::size_t column = fields.size() > cols_ ? fields[cols_].column : column_of(line, line.size());
      fail_at(line_no, column, std::to_string(fields.size()) + (fields.size() == 1 ? " number" : " numbers") + ", expected " +
                                   std::to_string(cols_) + " (as on line " + std::to_string(first_data_line_) + ")");
    }
    if (values_.size() + cols_ > kMaxEntries) fail_at(line_no, 1, "matrix too large (more than 2^26 entries)");
    values_.insert(values_.end(), row.begin(), row.end());
  }

  /// The first row is a header when no field of it looks like a number ("a,b,c", ",A,B").
  static bool is_header(const std::vector<Field>& fields) {
    bool named = false;
    for (const Field& f : fields) {
      if (looks_numeric(f.text)) return false;
      named = named || !f.text.empty();
    }
    return named;
  }

  double number(const Field& f, int line_no) {
    if (f.text.empty()) fail_at(line_no, f.column, "empty field");
    const std::string text(f.text);
    if (!is_decimal_literal(text)) not_a_number(f, line_no);
    // strtod in the default rounding mode: the double nearest to the decimal.
    const double v = std::strtod(text.c_str(), nullptr);
    if (!std::isfinite(v)) fail_at(line_no, f.column, quoted(f.text) + " overflows (beyond the largest double)");
    return v;
  }

  /// Why a field is not a number, in the words that help most: NaN, a decimal comma, or neither.
  [[noreturn]] void not_a_number(const Field& f, int line_no) {
    const std::string shown = quoted(f.text);
    if (non_finite_word(f.text)) fail_at(line_no, f.column, shown + " is not a number: NaN and infinities are not accepted");
    std::string dotted(f.text);
    const auto comma = dotted.find(',');
    if (comma != std::string::npos) dotted[comma] = '.';
    if (comma != std::string::npos && is_decimal_literal(dotted))
      fail_at(line_no, f.column, shown + ": decimal commas are not accepted; write " + dotted + " with a dot");
    fail_at(line_no, f.column, shown + " is not a number");
  }

  static std::string quoted(std::string_view text) {
    std::string out = "'";  // appended, not "'" + ...: g++ 12 warns falsely on that (-Wstringop-overflow)
    out += escaped(text);
    return out += "'";
  }

  const std::string& name_;
  std::string_view text_;
  char sep_ = 0;  ///< chosen on the first row that is not blank or a comment (again after a header)
  bool header_seen_ = false;
  std::size_t cols_ = 0;
  int first_data_line_ = 0;
  std::vector<double> values_;  ///< row by row
};

}  // namespace

Eigen::MatrixXd parse_csv(const std::string& name, std::string_view text) { return CsvReader(name, text).read(); }

}  // namespace certbound::io::detail
