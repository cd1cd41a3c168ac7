// Calls the header's log_line (defined in another library); after calls_first.cpp in a batch the
// call log_line("started") would take that file's log_line(const char*), the better match.
#include <string>
namespace lib {
void log_line(const std::string& text);  // as its header declares it
void start() { log_line("started"); }
}  // namespace lib
