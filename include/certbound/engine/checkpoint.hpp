// Checkpoints of `certbound prove --checkpoint`, in the certificate's own encoding: per part of the
// fixed top of the tree, the preorder tree explored so far ("S<k>" a bisection, "L" a leaf) and one
// letter per leaf (M margin, H a hypothesis fails, R refuted, O open), about two bytes per box. The
// pending boxes are not stored: replaying a part's tree from the part's box leaves exactly the
// prover's depth-first stack, so the tree and the letters are the whole state.
//
// The file is written incrementally: a header (format line, a fixed-width "committed" line, the run
// identity as one JSON line) and then one save per checkpoint holding only what each part added
// since the previous save, closed by an "end" line with a running FNV-1a checksum of everything
// after the committed line. The writer appends a save, flushes it to disk, and only then rewrites
// the committed length in place: a run killed during a save leaves a tail past the committed length,
// which the reader ignores (the last complete save is a consistent state); a file shorter than its
// committed length is truncated and refused. Time per save is proportional to the work since the
// previous one, and memory beyond the tree itself is that of one save.
//
// Reading trusts nothing: the identity must match the run, every closed leaf is re-checked, every
// refuted leaf re-certified, and the tree must be one the prover's exploration of the part produces.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "certbound/engine/prover.hpp"

namespace certbound {

inline constexpr int kCheckpointFormat = 2;

/// What a checkpoint must match to be resumed: obligation, definition hash, parameters, shard and
/// the prover's splitting rule. Neither the budget (a larger --max-boxes extends the run) nor the
/// thread count: the tree depends on neither.
nlohmann::json checkpoint_identity(const Obligation& ob, const ProofForm& form, const Settings& s, int shard_index,
                                   int shard_count);

/// Where a checkpoint file stands: its committed length, the running checksum at that point and,
/// per part, how much of its tree and leaves and which box count are saved.
struct CheckpointPosition {
  std::uint64_t length = 0;
  std::uint64_t hash = 0;
  std::vector<std::size_t> tree_saved, leaves_saved;
  std::vector<long long> boxes_saved;
};

/// Produces the bytes of a checkpoint file; the file operations are io/checkpoint_file.hpp's.
class CheckpointEncoder {
 public:
  /// Byte offset and width of the committed length's digits in the header.
  static constexpr std::size_t kCommittedOffset = 33, kCommittedDigits = 16;

  /// A new file for `parts` parts: header() then save()s.
  CheckpointEncoder(const nlohmann::json& identity, std::size_t parts);
  /// Continue a file read by restore_checkpoint.
  explicit CheckpointEncoder(CheckpointPosition at) : at_(std::move(at)) {}

  /// The whole content of a new file: header and an empty save.
  std::string header();
  /// The bytes that extend the file by what the parts added since the last save ("" when
  /// nothing changed). Call it with every part paused.
  std::string save(const std::vector<PartState>& parts);
  /// The committed-length digits for the file's current length.
  std::string committed_digits() const;
  const CheckpointPosition& position() const { return at_; }

 private:
  void hashed(std::string& out, std::string_view bytes);
  std::string identity_line_;
  CheckpointPosition at_;
};

/// Restore the part states from the bytes of a checkpoint file. Throws InputError with a one-line
/// reason when it is not a checkpoint, of another format, truncated, corrupted, of another run
/// (naming the differing setting), or when a leaf does not re-check or the tree is not the
/// prover's. Returns where the file stands, for a CheckpointEncoder to continue it.
CheckpointPosition restore_checkpoint(std::string_view bytes, const nlohmann::json& identity,
                                      std::vector<PartState>& parts, const Obligation& ob, const ProofForm& form,
                                      const Settings& s);

}  // namespace certbound
