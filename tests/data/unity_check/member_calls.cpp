// Calls members named log_line, which no file-local function can take over.
namespace lib {
struct Logger {
  void log_line(const char* text) { (void)text; }
};
void start(Logger& logger, Logger* other) {
  logger.log_line("started");
  other->log_line("started");
}
}  // namespace lib
