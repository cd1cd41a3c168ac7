// Appending checkpoint saves (see checkpoint_file.hpp for why a kill at any moment leaves a
// readable file).
#include "certbound/io/checkpoint_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "certbound/arith/input_error.hpp"
#include "certbound/io/atomic_file.hpp"

namespace certbound::io {
namespace {

[[noreturn]] void fail_to_write(const std::string& path, const char* step) {
  throw InputError("cannot write the checkpoint '" + path + "' (" + step + "): " + std::strerror(errno));
}

void write_at(int fd, const std::string& path, const std::string& bytes, std::uint64_t offset) {
  const char* data = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t w = ::pwrite(fd, data, left, static_cast<off_t>(offset));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) fail_to_write(path, "write");
    data += w;
    left -= static_cast<std::size_t>(w);
    offset += static_cast<std::uint64_t>(w);
  }
}

int open_for_saves(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail_to_write(path, "open");
  return fd;
}

}  // namespace

CheckpointFile CheckpointFile::create(const std::string& path, const nlohmann::json& identity, std::size_t parts) {
  CheckpointEncoder encoder(identity, parts);
  write_file_atomically(path, encoder.header());
  return CheckpointFile(path, std::move(encoder), open_for_saves(path));
}

CheckpointFile CheckpointFile::resume(const std::string& path, const CheckpointPosition& at) {
  const int fd = open_for_saves(path);
  // A save that a killed run did not finish lies past the committed length: drop it.
  if (::ftruncate(fd, static_cast<off_t>(at.length)) != 0) {
    const int saved = errno;
    ::close(fd);
    errno = saved;
    fail_to_write(path, "truncate");
  }
  return CheckpointFile(path, CheckpointEncoder(at), fd);
}

CheckpointFile::CheckpointFile(CheckpointFile&& other) noexcept
    : path_(std::move(other.path_)), encoder_(std::move(other.encoder_)), fd_(other.fd_) {
  other.fd_ = -1;
}

CheckpointFile::~CheckpointFile() {
  if (fd_ >= 0) ::close(fd_);
}

void CheckpointFile::save(const std::vector<PartState>& parts) {
  const std::uint64_t at = encoder_.position().length;
  const std::string bytes = encoder_.save(parts);
  if (bytes.empty()) return;
  write_at(fd_, path_, bytes, at);
  if (::fdatasync(fd_) != 0) fail_to_write(path_, "fdatasync");
  // Only now does the new save count: the committed length moves past it.
  write_at(fd_, path_, encoder_.committed_digits(), CheckpointEncoder::kCommittedOffset);
}

}  // namespace certbound::io
