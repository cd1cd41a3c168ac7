#include <string>
namespace lib { inline std::string name() { return "lib"; } }
using namespace lib;
std::string greeting() { return name(); }
