// Crash-safe writing: every file certbound writes (reports, counterexamples, certificates,
// merged certificates, bench JSON, a new checkpoint) goes through write_file_atomically; a
// checkpoint's later saves are appended (io/checkpoint_file.hpp).
#pragma once

#include <string>

namespace certbound::io {

/// Write `text` to `path` atomically: hidden temporary ".NAME.tmp-PID" in the same directory, write,
/// fsync, rename, fsync the directory; stale temporaries of killed writers are removed on the next
/// write. Throws InputError naming the path and the failing step.
void write_file_atomically(const std::string& path, const std::string& text);

/// Before any work: throw InputError ("cannot write 'PATH': why") unless write_file_atomically
/// could write `path` later. Probes by creating and removing the very temporary file the write
/// would use (so a read-only mount, a missing or unwritable directory and a directory in the way
/// are all found); the target itself is never touched. An empty path is accepted (no output).
void require_writable(const std::string& path);
/// The same for an output directory: created if missing, then probed with a temporary file.
void require_writable_directory(const std::string& dir);

}  // namespace certbound::io
