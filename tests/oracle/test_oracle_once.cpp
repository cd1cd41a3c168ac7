// The Arb oracle is written once. The tests, `certbound stress` and `certbound bench` used to carry
// their own copies of the ball type, the ball containers, the model's functions in Arb, the
// containment check, hex printing and the uniform-from-rng mapping; copies drift apart (a fix or a
// new model function lands in one of them), so these tests scan src/, include/ and tests/ and
// require each helper to be defined exactly once, in the oracle module (include/certbound/oracle/,
// src/oracle/), and Arb objects to be created and freed nowhere else.
//
// A definition is recognised on the source with comments, string and character literals and
// preprocessor lines blanked out: it is the head of a brace block (the text before a '{', back to
// the previous ';', '{' or '}'), so declarations (ending in ';') do not count and a definition
// that wraps over several lines does. The first test case shows on sample text that the counter
// sees two definitions where there are two, so the exact-count checks can fail.
#include <doctest/doctest.h>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/// The code alone: comments, string and character literals (raw strings too) and preprocessor
/// lines become blanks (literals keep their quotes), newlines stay.
std::string strip(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  const std::size_t n = text.size();
  bool line_start = true;  // only blanks so far on this line
  for (std::size_t i = 0; i < n;) {
    const char c = text[i];
    const char next = i + 1 < n ? text[i + 1] : '\0';
    if (line_start && c == '#') {  // a directive, with its continuation lines
      while (i < n && text[i] != '\n') {
        if (text[i] == '\\' && i + 1 < n && text[i + 1] == '\n') ++i;
        ++i;
      }
      continue;
    }
    if (c == '/' && next == '/') {
      while (i < n && text[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && next == '*') {
      const std::size_t end = text.find("*/", i + 2);
      for (std::size_t k = i; k < (end == std::string::npos ? n : end + 2); ++k)
        if (text[k] == '\n') out += '\n';
      i = end == std::string::npos ? n : end + 2;
      out += ' ';
      continue;
    }
    if (c == '"' && i > 0 && text[i - 1] == 'R' && (i < 2 || !identifier_char(text[i - 2]))) {  // R"d( ... )d"
      const std::size_t open = text.find('(', i);
      const std::string close = ")" + text.substr(i + 1, open - i - 1) + "\"";
      const std::size_t end = open == std::string::npos ? std::string::npos : text.find(close, open);
      i = end == std::string::npos ? n : end + close.size();
      out += "\"\"";
      continue;
    }
    // A quote after a digit or letter is a digit separator (1'000) or part of a prefix; else a literal.
    if (c == '"' || (c == '\'' && !(i > 0 && identifier_char(text[i - 1])))) {
      std::size_t k = i + 1;
      while (k < n && text[k] != c) k += text[k] == '\\' ? 2 : 1;
      i = k + 1;
      out += c;
      out += c;
      continue;
    }
    if (c == '\n') line_start = true;
    else if (c != ' ' && c != '\t') line_start = false;
    out += c;
    ++i;
  }
  return out;
}

/// The heads of the brace blocks of stripped code, whitespace collapsed to single spaces.
std::vector<std::string> block_heads(const std::string& code) {
  std::vector<std::string> heads;
  std::string head;
  for (char c : code) {
    if (c == '{') {
      const std::size_t b = head.find_first_not_of(' '), e = head.find_last_not_of(' ');
      heads.push_back(b == std::string::npos ? std::string() : head.substr(b, e - b + 1));
    }
    if (c == ';' || c == '{' || c == '}') {
      head.clear();
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!head.empty() && head.back() != ' ') head += ' ';
    } else {
      head += c;
    }
  }
  return heads;
}

struct Source {
  std::string path;  ///< relative to the repository
  std::string code;  ///< stripped
  std::vector<std::string> heads;
};

Source make_source(std::string path, const std::string& text) {
  Source s{std::move(path), strip(text), {}};
  s.heads = block_heads(s.code);
  return s;
}

/// Every C++ file of src/, include/ and tests/.
std::vector<Source> repository_sources() {
  const fs::path root(CERTBOUND_SOURCE_DIR);
  std::vector<Source> out;
  for (const char* dir : {"src", "include", "tests"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      if (!entry.is_regular_file()) continue;
      const std::string ext = entry.path().extension().string();
      if (ext != ".cpp" && ext != ".hpp" && ext != ".h" && ext != ".cc" && ext != ".hh") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      out.push_back(make_source(fs::relative(entry.path(), root).generic_string(), text.str()));
    }
  }
  return out;
}

bool in_oracle_module(const std::string& path) {
  return path.rfind("include/certbound/oracle/", 0) == 0 || path.rfind("src/oracle/", 0) == 0;
}

/// A helper: the pattern of its definition's head; `balls` adds that the head must mention a ball
/// type (so the model's own `softmax` of include/certbound/model/ is not the oracle's).
struct Helper {
  std::string what;
  std::regex head;
  bool balls = false;
  int expected = 1;
  std::string needle;  ///< a substring every matching head has (skips the regex on the others)
};

const std::regex kBallTypes(R"(\b(Ball|BMat|BVec|arb_t|arb_ptr|arb_srcptr|arb_struct)\b)");

/// Where the helper is defined ("path: head" per definition).
std::vector<std::string> definitions(const std::vector<Source>& sources, const Helper& h) {
  std::vector<std::string> where;
  for (const Source& s : sources)
    for (const std::string& head : s.heads)
      if (head.find(h.needle) != std::string::npos && std::regex_search(head, h.head) &&
          (!h.balls || std::regex_search(head, kBallTypes)))
        where.push_back(s.path + ": " + head);
  return where;
}

Helper type_helper(const std::string& what, const std::string& names, int expected = 1) {
  return {what, std::regex("(^| )(struct|class) (" + names + ")( final)?( ?:[^:].*)?$"), false, expected, ""};
}

/// A function of the model oracle: NAME, o_NAME or arb_NAME, plain or qualified (ModelOracle::NAME);
/// `name` may be a regex alternation of its spellings, `needle` is a substring of all of them. No
/// parenthesis may precede the name, so a constructor initialising a member `c(cols)` is not `c`.
Helper model_function(const std::string& name, const std::string& needle = "") {
  return {"the model oracle's " + name,
          std::regex("^[^()]*(^|[ :*&])(o_|arb_)?(" + name + ") ?\\(.*\\)( const)?$"), true, 1,
          needle.empty() ? name : needle};
}

std::vector<Helper> helpers() {
  std::vector<Helper> h;
  h.push_back(type_helper("struct Ball (the RAII ball)", "Ball"));
  h.push_back(type_helper("the ball matrix type", "(B|Arb|Ball)(Mat|Vec|Matrix|Vector|Array)\\w*"));
  for (const char* name : {"matvec", "matmul", "u", "alpha", "softmax", "f", "c", "loss", "abar", "centered",
                           "gradient", "gradient_closed", "hessian", "hessian_b", "softmax_jacobian",
                           "softmax_jacobian_norm", "jacobian_x", "jacobian_a", "gradient_step"})
    h.push_back(model_function(name));
  h.push_back(model_function("weight_shift(_target)?", "weight_shift"));
  h.push_back(model_function("data_shift(_target)?", "data_shift"));
  h.push_back(model_function("(self_)?attention(_update)?", "attention"));
  h.push_back({"exact() (a matrix and a std::vector of doubles as balls)",
               std::regex(R"((^| )BMat (\w+::)*exact ?\(.*\)$)"), false, 2, "exact"});
  h.push_back({"the containment check", std::regex(R"((^| )Containment (\w+::)*\w+ ?\(.*\)$)"), false, 1,
               "Containment"});
  h.push_back({"the escalation of the containment check", std::regex(R"((^| )Verdict (\w+::)*\w+ ?\(.*\)$)"), false,
               1, "Verdict"});
  h.push_back({"encloses(Enclosure, Ball)", std::regex(R"((^| )bool (\w+::)*encloses ?\(.*\)$)"), false, 1, "encloses"});
  h.push_back({"hex(double)", std::regex(R"((^| )(std::)?string (\w+::)*hex ?\( ?double\b.*\)$)"), false, 1, "hex"});
  // The uniform-from-rng mapping: a function of a generator (a reference parameter). Member
  // functions without parameters that forward to it (a generator's own unit()) are not copies.
  h.push_back({"unit(rng)", std::regex(R"((^| )double (\w+::)*unit ?\([^)]*&[^)]*\)$)"), false, 1, "unit"});
  h.push_back({"uniform(rng, a, b)", std::regex(R"((^| )double (\w+::)*uniform ?\([^)]*&[^)]*\)$)"), false, 1,
               "uniform"});
  return h;
}

/// Calls that create or free Arb objects: only the oracle's RAII types may make them.
const std::regex kArbLifetime(R"(\b(arb_init|arb_clear|arb_mat_init|arb_mat_clear|_arb_vec_init|_arb_vec_clear|acb_init|acb_clear)\s*\()");

std::size_t count_matches(const std::string& code, const std::regex& re) {
  return static_cast<std::size_t>(std::distance(std::sregex_iterator(code.begin(), code.end(), re), std::sregex_iterator()));
}

}  // namespace

TEST_SUITE("oracle") {

TEST_CASE("the definition counter counts definitions, not declarations, comments or strings") {
  const std::vector<Source> sample = {
      make_source("a.hpp",
                  "// struct Ball { a comment }\n"
                  "struct Ball;\n"
                  "const char* s = \"struct Ball {\";\n"
                  "const char* r = R\"x(class Ball {)x\";\n"
                  "#define MAKE struct Ball {\n"
                  "struct Ball {\n  arb_t b;\n};\n"
                  "BMat softmax(const BMat& z) const;\n"
                  "std::string hex(double v);\n"),
      make_source("b.cpp",
                  "namespace x {\nclass Ball : public Base {\n};\n}\n"
                  "BMat ModelOracle::softmax(\n    const BMat& z) const {\n  return z;\n}\n"
                  "BMat(Idx rows, Idx cols) : r(rows), c(cols), e(rows * cols) {}\n"
                  "template <class T>\nVec<T> softmax(const Vec<T>& z) {\n  return z;\n}\n"
                  "std::string hex(double v) {\n  char b[40] = {'{'};\n  return b;\n}\n"
                  "double unit() { return 0.5; }\n"
                  "template <class Rng>\ndouble unit(Rng& rng) { return 0; }\n"
                  "arb_init(x);  /* arb_clear(x); */ const char* t = \"arb_clear(x)\";\n")};
  const std::vector<Helper> all = helpers();
  auto find = [&](const std::string& what) {
    for (const Helper& h : all)
      if (h.what == what) return h;
    FAIL("no helper " << what);
    return all.front();
  };
  CHECK(definitions(sample, find("struct Ball (the RAII ball)")).size() == 2);  // a.hpp and b.cpp, nothing else
  const auto softmax = definitions(sample, find("the model oracle's softmax"));
  REQUIRE(softmax.size() == 1);  // the ball one, over two lines; not the declaration nor the model's template
  CHECK(softmax.front().rfind("b.cpp: BMat ModelOracle::softmax(", 0) == 0);
  CHECK(definitions(sample, find("the model oracle's c")).empty());  // a member initialiser, not a function
  CHECK(definitions(sample, find("hex(double)")).size() == 1);
  CHECK(definitions(sample, find("unit(rng)")).size() == 1);
  CHECK(count_matches(sample[1].code, kArbLifetime) == 1);
  CHECK(count_matches(sample[0].code, kArbLifetime) == 0);
}

TEST_CASE("each Arb helper of the oracle is defined exactly once, in the oracle module") {
  const std::vector<Source> sources = repository_sources();
  REQUIRE(sources.size() > 50);  // the scan found the repository
  for (const Helper& h : helpers()) {
    const std::vector<std::string> where = definitions(sources, h);
    std::string list;
    for (const std::string& w : where) list += "\n  " + w;
    INFO(h.what, ": ", where.size(), " definition(s), expected ", h.expected, list);
    CHECK(static_cast<int>(where.size()) == h.expected);
    for (const std::string& w : where) CHECK(in_oracle_module(w));
  }
}

TEST_CASE("Arb objects are created and freed only by the oracle's RAII types") {
  const std::vector<Source> sources = repository_sources();
  std::size_t in_module = 0;
  for (const Source& s : sources) {
    const std::size_t calls = count_matches(s.code, kArbLifetime);
    if (in_oracle_module(s.path)) {
      in_module += calls;
      continue;
    }
    INFO(s.path, " creates or frees Arb objects itself (use certbound::oracle::Ball or BMat)");
    CHECK(calls == 0);
  }
  CHECK(in_module > 0);  // the pattern does match the oracle's own RAII code
}

}  // TEST_SUITE("oracle")
