// A file-local helper with the name of a function that a header declares.
namespace lib {
namespace {
void log_line(const char* text) { (void)text; }
}  // namespace
}  // namespace lib
