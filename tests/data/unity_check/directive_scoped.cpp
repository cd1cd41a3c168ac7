#include <string>
namespace lib { inline std::string name() { return "lib"; } }
namespace app::detail {
using namespace lib;
inline std::string greeting() { return name(); }
}  // namespace app::detail
