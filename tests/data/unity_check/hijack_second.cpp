// Calls its own fail(name, std::string): after hijack_first.cpp in a batch, fail(path, "...")
// would pick that file's fail(path, const char*), the better match.
#include <string>
namespace lib {
namespace detail {
void fail(const std::string& name, const std::string& why) { throw name + why; }
}  // namespace detail
using detail::fail;
void read(const std::string& path) { fail(path, "is a directory"); }
}  // namespace lib
