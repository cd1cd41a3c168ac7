// Crash-safe writing: every file certbound writes (reports, counterexamples, certificates,
// checkpoints, merged certificates, bench JSON) goes through write_file_atomically.
#pragma once

#include <string>

namespace certbound::io {

/// Write `text` to `path` atomically: hidden temporary ".NAME.tmp-PID" in the same directory, write,
/// fsync, rename, fsync the directory; stale temporaries of killed writers are removed on the next
/// write. Throws InputError naming the path and the failing step.
void write_file_atomically(const std::string& path, const std::string& text);

}  // namespace certbound::io
