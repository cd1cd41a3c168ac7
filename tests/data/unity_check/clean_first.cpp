// What the check must read past: braces and quotes in comments ("it's {"), string literals with
// braces and slashes, raw strings, character literals, digit separators, out-of-line members,
// operators of the file's own types, and one entity declared twice under two spellings.
#include <ostream>
#include <string>
namespace geometry::shapes { struct Disc {}; }
namespace geometry::report {
struct Row { int n; };
class Table { public: std::string run() const; };
std::string Table::run() const { return "{ // not a comment"; }
namespace {
using geometry::shapes::Disc;
const char* const kBrace = R"json({"a": "}"})json";
constexpr char kOpen = '{';
constexpr long kMillion = 1'000'000;
std::ostream& operator<<(std::ostream& os, const Row& r) { return os << r.n << '}'; }
int count_rows(int n) { return n > 0 ? n : 0; }
}  // namespace
}  // namespace geometry::report
