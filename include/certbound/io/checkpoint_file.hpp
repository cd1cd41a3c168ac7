// The checkpoint file of `prove --checkpoint` (format: engine/checkpoint.hpp). A new file is
// created atomically with its header; each save is appended at the committed length, flushed to
// disk (fdatasync), and only then is the committed length rewritten in place. A run killed at any
// moment thus leaves the last complete save readable: bytes past the committed length are ignored.
#pragma once

#include <string>
#include <vector>

#include "certbound/engine/checkpoint.hpp"

namespace certbound::io {

class CheckpointFile {
 public:
  /// Create `path` anew for a run with this identity and part count (atomically).
  static CheckpointFile create(const std::string& path, const nlohmann::json& identity, std::size_t parts);
  /// Continue the existing `path`, read up to `at` by restore_checkpoint.
  static CheckpointFile resume(const std::string& path, const CheckpointPosition& at);
  CheckpointFile(CheckpointFile&& other) noexcept;
  CheckpointFile& operator=(CheckpointFile&&) = delete;
  CheckpointFile(const CheckpointFile&) = delete;
  ~CheckpointFile();

  /// Append what the parts added since the last save (nothing when nothing changed). Call it
  /// with every part paused. Throws InputError naming the path and the failing step.
  void save(const std::vector<PartState>& parts);
  /// The file's committed length in bytes.
  std::uint64_t bytes() const { return encoder_.position().length; }

 private:
  CheckpointFile(std::string path, CheckpointEncoder encoder, int fd) : path_(std::move(path)), encoder_(std::move(encoder)), fd_(fd) {}
  std::string path_;
  CheckpointEncoder encoder_;
  int fd_ = -1;
};

}  // namespace certbound::io
