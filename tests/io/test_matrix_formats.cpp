// The matrix file formats users have: .npy of every exact dtype (built byte by byte here, as numpy
// writes them), .npz archives stored and deflated, delimited text as spreadsheets and np.savetxt
// write it, and the refusals, each with the message a user needs.
#include <doctest/doctest.h>
#include <zlib.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "certbound/io/matrix_io.hpp"
#include "run_cli.hpp"

namespace {

using certbound::io::MatrixFileError;
using certbound::io::parse_matrix;
using certbound::test::run_cli;
using certbound::test::scratch_dir;

/// A .npy file: magic, version, header (padded to 64 bytes as numpy does) and the data bytes.
std::string npy(const std::string& descr, const std::string& shape, const std::string& data, bool fortran = false,
                int version = 1) {
  std::string header = "{'descr': " + (descr.front() == '[' ? descr : "'" + descr + "'") +
                       ", 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
  const std::size_t prefix = version == 1 ? 10 : 12;
  while ((prefix + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = std::string("\x93NUMPY", 6) + char(version) + '\0';
  const std::size_t len_bytes = version == 1 ? 2 : 4;
  for (std::size_t k = 0; k < len_bytes; ++k) out += char((header.size() >> (8 * k)) & 0xff);
  return out + header + data;
}

/// `size` bytes of `v` in the given byte order.
std::string bytes_of(std::uint64_t v, int size, bool big = false) {
  std::string out(size, '\0');
  // Bytes past the eighth are 0 (a shift by 64 or more would be undefined).
  for (int k = 0; k < size; ++k) out[big ? size - 1 - k : k] = char(k < 8 ? (v >> (8 * k)) & 0xff : 0);
  return out;
}
std::string f8(double v, bool big = false) { return bytes_of(std::bit_cast<std::uint64_t>(v), 8, big); }
std::string f4(float v, bool big = false) { return bytes_of(std::bit_cast<std::uint32_t>(v), 4, big); }

/// The message of the MatrixFileError that reading `bytes` throws ("" when it reads).
std::string error_of(const std::string& bytes, const std::string& name = "m.npy") {
  try {
    parse_matrix(bytes, name);
  } catch (const MatrixFileError& e) {
    return e.what();
  }
  return "";
}

/// The same for read_matrix and read_npz on a file.
std::string file_error(const std::string& path) {
  try {
    certbound::io::read_matrix(path);
  } catch (const MatrixFileError& e) {
    return e.what();
  }
  return "";
}
std::string npz_error(const std::string& path) {
  try {
    certbound::io::read_npz(path);
  } catch (const MatrixFileError& e) {
    return e.what();
  }
  return "";
}

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

/// One member of a zip archive as Python's zipfile writes numpy.savez's: a ZIP64 local header
/// (sizes deferred to its extra field), the sizes in the central directory.
struct ZipMember {
  std::string name, data;
  bool deflate = false;
};

std::string deflated(const std::string& in) {
  z_stream z{};
  REQUIRE(deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
  std::string out(deflateBound(&z, in.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&z, Z_FINISH) == Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string zip(const std::vector<ZipMember>& members) {
  std::string out, directory;
  for (const ZipMember& m : members) {
    const std::string body = m.deflate ? deflated(m.data) : m.data;
    const auto crc = crc32(0, reinterpret_cast<const Bytef*>(m.data.data()), static_cast<uInt>(m.data.size()));
    const std::string method = bytes_of(m.deflate ? 8 : 0, 2), name_len = bytes_of(m.name.size(), 2);
    const std::size_t offset = out.size();
    out += bytes_of(0x04034b50, 4) + bytes_of(45, 2) + bytes_of(0, 2) + method + bytes_of(0, 4) + bytes_of(crc, 4) +
           bytes_of(0xffffffff, 4) + bytes_of(0xffffffff, 4) + name_len + bytes_of(20, 2) + m.name +
           bytes_of(1, 2) + bytes_of(16, 2) + bytes_of(m.data.size(), 8) + bytes_of(body.size(), 8) + body;
    directory += bytes_of(0x02014b50, 4) + bytes_of(45, 2) + bytes_of(45, 2) + bytes_of(0, 2) + method + bytes_of(0, 4) +
                 bytes_of(crc, 4) + bytes_of(body.size(), 4) + bytes_of(m.data.size(), 4) + name_len + bytes_of(0, 2) +
                 bytes_of(0, 2) + bytes_of(0, 2) + bytes_of(0, 2) + bytes_of(0, 4) + bytes_of(offset, 4) + m.name;
  }
  const std::size_t directory_offset = out.size();
  return out + directory + bytes_of(0x06054b50, 4) + bytes_of(0, 4) + bytes_of(members.size(), 2) +
         bytes_of(members.size(), 2) + bytes_of(directory.size(), 4) + bytes_of(directory_offset, 4) + bytes_of(0, 2);
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

}  // namespace

TEST_SUITE("io") {

TEST_CASE(".npy float64, float32 and float16, both byte orders, read exactly") {
  for (bool big : {false, true}) {
    const std::string order = big ? ">" : "<";
    CAPTURE(order);
    const auto m = parse_matrix(npy(order + "f8", "(2, 2)", f8(0.1, big) + f8(-1.5, big) + f8(1e-310, big) + f8(3, big)), "m.npy");
    REQUIRE(m.rows() == 2);
    REQUIRE(m.cols() == 2);
    CHECK(same_bits(m(0, 0), 0.1));
    CHECK(m(0, 1) == -1.5);
    CHECK(same_bits(m(1, 0), 1e-310));  // a subnormal double survives
    const auto s = parse_matrix(npy(order + "f4", "(2,)", f4(0.1f, big) + f4(-3.25f, big)), "s.npy");
    CHECK(s(0, 0) == double(0.1f));  // the float's own value, not the decimal 0.1
    CHECK(s(1, 0) == -3.25);
    // float16: 1, -2, the largest (65504), the smallest subnormal 2^-24, the largest subnormal
    // 1023·2^-24, and 0x3555 = 1365/4096 (the nearest half to 1/3).
    std::string halves;
    for (std::uint64_t h : {0x3c00, 0xc000, 0x7bff, 0x0001, 0x03ff, 0x3555, 0x8001}) halves += bytes_of(h, 2, big);
    const auto h = parse_matrix(npy(order + "f2", "(7,)", halves), "h.npy");
    CHECK(h(0, 0) == 1.0);
    CHECK(h(1, 0) == -2.0);
    CHECK(h(2, 0) == 65504.0);
    CHECK(h(3, 0) == 0x1p-24);
    CHECK(h(4, 0) == 1023 * 0x1p-24);
    CHECK(h(5, 0) == 1365.0 / 4096);
    CHECK(h(6, 0) == -0x1p-24);
  }
  // A big-endian file is not read as if it were little-endian: 1.0 is 3f f0 00 .. 00 on disk.
  CHECK(parse_matrix(npy(">f8", "(1,)", std::string("\x3f\xf0\0\0\0\0\0\0", 8)), "b.npy")(0, 0) == 1.0);
  CHECK(error_of(npy("<f2", "(1,)", bytes_of(0x7c00, 2))) == "m.npy: entry (0) is not finite");
  CHECK(error_of(npy("<f4", "(1, 2)", f4(1) + bytes_of(0x7fc00000, 4))) == "m.npy: entry (0, 1) is not finite");
}

TEST_CASE(".npy integers are read when a double holds them exactly, and refused otherwise") {
  const std::pair<const char*, std::vector<std::int64_t>> cases[] = {
      {"i1", {-128, 127, -1}},           {"u1", {0, 255, 7}},
      {"i2", {-32768, 32767, -2}},       {"u2", {0, 65535, 300}},
      {"i4", {-2147483647 - 1, 2147483647, -3}}, {"u4", {0, 4294967295LL, 70000}},
      {"i8", {-(1LL << 53), 1LL << 53, INT64_MIN}}, {"u8", {0, 1LL << 53, 1LL << 62}}};
  for (bool big : {false, true})
    for (const auto& [code, values] : cases) {
      const std::string descr = std::string(big ? ">" : "<") + code;
      CAPTURE(descr);
      const int size = code[1] - '0';
      std::string data;
      for (std::int64_t v : values) data += bytes_of(static_cast<std::uint64_t>(v), size, big);
      const auto m = parse_matrix(npy(descr, "(3,)", data), "i.npy");
      for (int k = 0; k < 3; ++k) CHECK(m(k, 0) == static_cast<double>(values[k]));
    }
  CHECK(parse_matrix(npy("|i1", "(1,)", "\xff"), "i.npy")(0, 0) == -1.0);
  CHECK(parse_matrix(npy("<u8", "(1,)", bytes_of(std::uint64_t(1) << 63, 8)), "u.npy")(0, 0) == 0x1p63);
  // 2^53 + 1 lies between two doubles: refused, never rounded.
  CHECK(error_of(npy("<i8", "(2, 2)", bytes_of(0, 8) + bytes_of((1ULL << 53) + 1, 8) + bytes_of(0, 16))) ==
        "m.npy: entry (0, 1) = 9007199254740993 is not exactly representable as a double");
  CHECK(error_of(npy(">i8", "(2,)", bytes_of(0, 8, true) + bytes_of(-((1LL << 53) + 1), 8, true))) ==
        "m.npy: entry (1) = -9007199254740993 is not exactly representable as a double");
  CHECK(error_of(npy("<u8", "(1,)", bytes_of(UINT64_MAX, 8))) ==
        "m.npy: entry (0) = 18446744073709551615 is not exactly representable as a double");
}

TEST_CASE(".npy bool, Fortran order and header versions 2.0 and 3.0") {
  const auto b = parse_matrix(npy("|b1", "(3,)", std::string("\1\0\1", 3)), "b.npy");
  CHECK(b(0, 0) == 1.0);
  CHECK(b(1, 0) == 0.0);
  CHECK(error_of(npy("|b1", "(1,)", "\2")) == "m.npy: entry (0) is not a bool (byte 2)");
  // Fortran order: the data runs down the columns. 1 2 3 / 4 5 6 is stored 1 4 2 5 3 6.
  std::string data;
  for (double v : {1, 4, 2, 5, 3, 6}) data += f8(v);
  const auto f = parse_matrix(npy("<f8", "(2, 3)", data, true), "f.npy");
  Eigen::MatrixXd expected(2, 3);
  expected << 1, 2, 3, 4, 5, 6;
  CHECK(f == expected);
  const auto c = parse_matrix(npy("<f8", "(2, 3)", data, false), "c.npy");
  CHECK(c(0, 1) == 4.0);  // the same bytes in C order
  for (int version : {2, 3}) {
    CAPTURE(version);
    const auto v = parse_matrix(npy("<f8", "(3,)", f8(1) + f8(2) + f8(-0.5), false, version), "v.npy");
    CHECK(v(2, 0) == -0.5);
  }
  CHECK(error_of(npy("<f8", "(1,)", f8(1), false, 4)) == "m.npy: unsupported .npy version 4");
}

TEST_CASE(".npy dtypes that are not matrices of doubles are refused by name") {
  const std::pair<std::string, std::string> refused[] = {
      {"|O", "object arrays"},        {"<c8", "complex arrays"},       {"<c16", "complex arrays"},
      {"<f16", "long double arrays"}, {"<g", "long double arrays"},    {"<U3", "string arrays"},
      {"|S3", "string arrays"},       {"|V8", "structured or void"},   {"<M8[ns]", "datetime"},
      {"|f8", "no byte order"},       {"[('a', '<f8'), ('b', '<i4')]", "structured arrays"}};
  for (const auto& [descr, reason] : refused) {
    const std::string d = descr, why = reason;
    CAPTURE(d);
    const std::string e = error_of(npy(d, "(1,)", std::string(16, '\0')));
    CHECK(e.rfind("m.npy: ", 0) == 0);
    CHECK(e.find(why) != std::string::npos);
  }
  CHECK(error_of(npy("<f8", "(2, 2, 2)", std::string(64, '\0'))) ==
        "m.npy: 3-dimensional array: only 1-D and 2-D arrays are supported");
  CHECK(error_of(npy("<f8", "(2,)", f8(1))) == "m.npy: truncated .npy data");
}

TEST_CASE("text matrices: separators, header row, comments, byte order mark, blank lines") {
  Eigen::MatrixXd expected(2, 3);
  expected << 1, 2.5, -3, 0.1, 0x1.8p-3, 1e-300;
  const std::string files[] = {
      "1,2.5,-3\n0.1,0x1.8p-3,1e-300\n",
      "a,b,c\n1, 2.5, -3\n0.1,0x1.8p-3,1e-300\n",                   // a header of names
      "# written by np.savetxt\n# a b c\n1 2.5 -3\n0.1 0x1.8p-3 1e-300\n",  // np.savetxt(header=...)
      "\xef\xbb\xbf" "1;2.5;-3\r\n\r\n0.1;0x1.8p-3;1e-300\r\n",     // BOM, CRLF, a blank line
      "x\ty\tz\n1\t2.5\t-3\n0.1\t0x1.8p-3\t1e-300\n",             // tab-separated
      "  1    2.5  -3\n\n  0.1  0x1.8p-3  1e-300   # aligned\n",     // blanks, a trailing comment
      ",A,B\n1,2.5,-3\n0.1,0x1.8p-3,1e-300\n",                    // pandas: an empty first name
      "1 2.5\t-3\n0.1\t 0x1.8p-3  1e-300\n"};                      // aligned with spaces and tabs
  for (const std::string& text : files) {
    CAPTURE(text);
    const Eigen::MatrixXd m = parse_matrix(text, "t.csv");
    REQUIRE(m.rows() == 2);
    REQUIRE(m.cols() == 3);
    CHECK(m == expected);
    CHECK(same_bits(m(1, 0), 0.1));  // the double nearest to the decimal
  }
}

TEST_CASE("text matrices: every error names line and column and shows invisible characters") {
  const std::pair<std::string, std::string> bad[] = {
      {"1;2\n1,5;3\n", "t.csv: line 2, column 1: '1,5': decimal commas are not accepted; write 1.5 with a dot"},
      {"1,2\n3,4\xc2\xa0\n", "t.csv: line 2, column 3: '4\\xc2\\xa0' is not a number"},
      {"a,b\n1,2\t5\n", "t.csv: line 2, column 3: '2\\t5' is not a number"},
      {"1,2\n\n3\n", "t.csv: line 3, column 2: 1 number, expected 2 (as on line 1)"},
      {"1,2\n3,4,5\n", "t.csv: line 2, column 5: 3 numbers, expected 2 (as on line 1)"},
      {"1,,2\n", "t.csv: line 1, column 3: empty field"},
      {"1\t\t2\n", "t.csv: line 1, column 3: empty field"},  // tab-separated: two tabs enclose an empty entry
      {"nan,nan\n1,2\n", "t.csv: line 1, column 1: 'nan' is not a number: NaN and infinities are not accepted"},
      {"1, -Inf\n", "t.csv: line 1, column 4: '-Inf' is not a number: NaN and infinities are not accepted"},
      {"1,1e999\n", "t.csv: line 1, column 3: '1e999' overflows (beyond the largest double)"},
      {"a,b\n1,2x\n", "t.csv: line 2, column 3: '2x' is not a number"},
      {"", "t.csv: line 1, column 1: no numbers (empty file)"},
      {"# only\nx,y\n", "t.csv: line 2, column 1: no numbers (only a header, comments or blank lines)"},
      {"\xff\xfe" "1\0", "t.csv: line 1, column 1: UTF-16 text (byte order mark '\\xff\\xfe'): save the file as UTF-8"}};
  for (const auto& [text, message] : bad) {
    const std::string input = text, expected = message;
    CAPTURE(input);
    CHECK(error_of(input, "t.csv") == expected);
  }
  // One separator per file: in a comma-separated file "3 4" is one entry, not two.
  CHECK(error_of("1, 2\n3 4\n", "t.csv") == "t.csv: line 2, column 1: '3 4' is not a number");
  CHECK(error_of("1;\xc3\xbc;x\n", "t.csv") == "t.csv: line 1, column 3: '\\xc3\\xbc' is not a number");
}

TEST_CASE(".npz archives, stored and deflated, and the files that are not matrices") {
  const std::string dir = scratch_dir("npz");
  Eigen::MatrixXd a(2, 2);
  a << 0.1, -2, 3, 1e-300;
  const std::string x = npy(">i2", "(2,)", bytes_of(7, 2, true) + bytes_of(65535, 2, true));  // 7, -1
  for (bool deflate : {false, true}) {
    CAPTURE(deflate);
    write_file(dir + "/d.npz", zip({{"A.npy", certbound::io::npy_bytes(a), deflate}, {"x.npy", x, deflate}}));
    const auto arrays = certbound::io::read_npz(dir + "/d.npz");
    REQUIRE(arrays.size() == 2);
    CHECK(arrays.at("A") == a);
    CHECK(arrays.at("x")(0, 0) == 7.0);
    CHECK(arrays.at("x")(1, 0) == -1.0);
  }
  // A damaged member is caught by its CRC, and a member that is not .npy is named.
  std::string damaged = zip({{"A.npy", certbound::io::npy_bytes(a)}});
  damaged[damaged.find("\x93NUMPY") + 70] ^= 1;  // a byte of the data
  write_file(dir + "/bad.npz", damaged);
  CHECK(npz_error(dir + "/bad.npz") == dir + "/bad.npz:A.npy: CRC-32 mismatch: the archive is damaged");
  write_file(dir + "/txt.npz", zip({{"notes.txt", "hi"}}));
  CHECK(npz_error(dir + "/txt.npz") == dir + "/txt.npz: member 'notes.txt' is not a .npy file");
  // An array's own error is labelled file:name.
  write_file(dir + "/noname.npz", zip({{".npy", certbound::io::npy_bytes(a)}}));
  CHECK(npz_error(dir + "/noname.npz") == dir + "/noname.npz: member '.npy' gives the array no name");
  write_file(dir + "/twice.npz", zip({{"x.npy.npy", certbound::io::npy_bytes(a)}}));
  CHECK(npz_error(dir + "/twice.npz") == dir + "/twice.npz: member 'x.npy.npy' names an array 'x.npy' that ends in .npy");
  write_file(dir + "/c.npz", zip({{"A.npy", npy("<c16", "(1,)", std::string(16, '\0')), true}}));
  CHECK(npz_error(dir + "/c.npz") == dir + "/c.npz:A: complex arrays ('<c16') are not supported: the matrices are real");
  // Where one matrix is expected, an archive says what to do with it.
  const std::string e = error_of(zip({{"A.npy", certbound::io::npy_bytes(a)}}), "d.npz");
  CHECK(e.find("d.npz: is a zip archive (.npz)") == 0);
  CHECK(e.find("check --data") != std::string::npos);
  // A directory is not an empty file; a missing file keeps its message.
  CHECK(file_error(dir) == dir + ": is a directory");
  CHECK(npz_error(dir) == dir + ": is a directory");
  CHECK(file_error(dir + "/none.csv") == dir + "/none.csv: cannot open file");
}

TEST_CASE("check --data FILE.npz gives the inputs named A, x, y, A_next, b") {
  const std::string dir = scratch_dir("check-data");
  const std::string data = std::string(CERTBOUND_SOURCE_DIR) + "/tests/data/attention";
  std::vector<ZipMember> members;
  for (const char* name : {"A", "A_next", "x", "y"})
    members.push_back({std::string(name) + ".npy", certbound::test::slurp(data + "/" + name + ".npy"), true});
  write_file(dir + "/d.npz", zip(members));
  const std::string ids = "check lip_x.f thm.shift_x --R 4 --eta 0.025";
  const auto flags = run_cli(ids + " --A " + data + "/A.npy --A-next " + data + "/A_next.npy --x " + data + "/x.npy --y " +
                                 data + "/y.npy", dir);
  const auto npz = run_cli(ids + " --data " + dir + "/d.npz", dir);
  REQUIRE(flags.code != 2);
  CHECK(npz.code == flags.code);
  CHECK(npz.out.find(dir + "/d.npz:A_next") != std::string::npos);
  // The same report but for the lines naming the files.
  auto without_files = [](const std::string& out) {
    std::istringstream in(out);
    std::string line, kept;
    while (std::getline(in, line))
      if (line.find(".np") == std::string::npos) kept += line + "\n";
    return kept;
  };
  CHECK(without_files(npz.out) == without_files(flags.out));
  // An unknown array name, and an input given twice, are refused before any work.
  write_file(dir + "/w.npz", zip({{"A.npy", members[0].data}, {"W.npy", members[0].data}}));
  const auto unknown = run_cli("check --data " + dir + "/w.npz", dir);
  CHECK(unknown.code == 2);
  CHECK(unknown.err.find("array 'W' is not an input of check; the accepted names are A, x, y, A_next, b") != std::string::npos);
  const auto twice = run_cli("check --data " + dir + "/d.npz --x " + data + "/x.npy", dir);
  CHECK(twice.code == 2);
  CHECK(twice.err.find("--x and --data " + dir + "/d.npz both give x: give it once") != std::string::npos);
}

}  // TEST_SUITE
