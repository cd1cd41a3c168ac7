// Crash-safe file writing for every file certbound writes.
#include "certbound/arith/input_error.hpp"
#include "certbound/io/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace certbound::io {

namespace {

/// Temporary files are hidden siblings of the target named after the writing process:
/// ".NAME.tmp-PID". Same directory, so rename(2) is atomic; per process, so two runs never share one.
std::string temporary_prefix(const std::filesystem::path& target) {
  std::string prefix = ".";  // appended, not "." + ...: GCC 12 warns falsely about that form here
  prefix += target.filename().string();
  prefix += ".tmp-";
  return prefix;
}

/// Remove temporary files of `target` left by writers that were killed (their process is gone).
void remove_stale_temporaries(const std::filesystem::path& target) {
  namespace fs = std::filesystem;
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string prefix = temporary_prefix(target);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    char* rest = nullptr;
    const long pid = std::strtol(name.c_str() + prefix.size(), &rest, 10);
    if (pid <= 0 || *rest != '\0') continue;
    if (pid != static_cast<long>(::getpid()) && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

[[noreturn]] void fail_write(const std::string& path, const char* step) {
  throw InputError("cannot write '" + path + "' (" + step + ": " + std::strerror(errno) + ")");
}

}  // namespace

// POSIX crash safety (write, fsync the file, rename over the target, fsync the directory): after
// a kill or power loss the target is either the old complete file or the new complete one, and
// once this returns the new content and its name are on disk.
void write_file_atomically(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  remove_stale_temporaries(target);
  const fs::path tmp = target.parent_path() / (temporary_prefix(target) + std::to_string(::getpid()));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_write(path, "create");
  const char* data = text.data();
  size_t left = text.size();
  while (left > 0) {
    const ssize_t w = ::write(fd, data, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      const int saved = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      errno = saved;
      fail_write(path, "write");
    }
    data += w;
    left -= static_cast<size_t>(w);
  }
  if (::fsync(fd) != 0) {
    const int saved = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    errno = saved;
    fail_write(path, "fsync");
  }
  if (::close(fd) != 0) fail_write(path, "close");
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    const int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    fail_write(path, "rename");
  }
  // The rename is durable only once the directory entry is: fsync the directory too.
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) fail_write(path, "open directory");
  const int synced = ::fsync(dfd);
  ::close(dfd);
  if (synced != 0 && errno != EINVAL) fail_write(path, "fsync directory");  // EINVAL: fs without dir sync
}

void require_writable(const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) return;
  const fs::path target(path);
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  if (fs::is_directory(target, ec)) throw InputError("cannot write '" + path + "': it is a directory");
  if (!fs::is_directory(dir, ec)) throw InputError("cannot write '" + path + "': no such directory '" + dir.string() + "'");
  const fs::path probe = dir / (temporary_prefix(target) + std::to_string(::getpid()));
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return;  // our own temporary already there: the directory is writable
    throw InputError("cannot write '" + path + "': " + std::strerror(errno));
  }
  ::close(fd);
  fs::remove(probe, ec);
}

void require_writable_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!fs::is_directory(dir, ec)) throw InputError("cannot create the directory '" + dir + "'");
  require_writable((fs::path(dir) / ".certbound-probe").string());
}

}  // namespace certbound::io
