// A file-local helper whose name another file of the batch also uses.
#include <string>
namespace lib {
namespace {
[[noreturn]] void fail(const std::string& path, const char* step) { throw path + step; }
}  // namespace
void save(const std::string& path) { fail(path, "write"); }
}  // namespace lib
