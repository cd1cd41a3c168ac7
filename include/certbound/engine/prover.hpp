// certbound prove: branch and bound over the whole domain of an obligation's proof form.
//
// The bounding box of the form's variables is split (bisection of the widest coordinate relative
// to the root, at the double midpoint) and each leaf is closed one of three ways:
//   margin   RHS − LHS certainly ≥ 0 on the whole box (> 0 for strict statements)
//   outside  some hypothesis certainly fails on the whole box
//   refuted  the box's midpoint is a certified counterexample of the statement itself
// or left open when the box budget ends. Double intervals first; a box is re-evaluated at 128 bits
// only when it is already narrow (rounding, not width, dominates). The split tree is
// deterministic: it depends on the obligation, settings and budget, never on --threads.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "certbound/engine/check.hpp"
#include "certbound/engine/status.hpp"

namespace certbound {


enum class LeafClosure : std::uint8_t { margin, outside, refuted, open };
const char* to_string(LeafClosure c);

using Box = std::vector<std::pair<double, double>>;

// Leaves are kept as one closure byte each, not as boxes: a leaf's box is a function of the
// preorder tree and of the box the tree starts from (for_each_leaf replays it, as
// verify-certificate does). A box per leaf would cost 16 bytes per variable plus a heap block,
// the bulk of a long run's memory.

/// Resumable state of one part of the fixed top of the tree (see prove()).
struct PartState {
  bool owned = true;             ///< explored by this shard
  bool done = false;             ///< no box pending (the budget alone never makes a part done)
  Box box;                       ///< the part's box, where its tree starts
  std::vector<Box> stack;        ///< pending boxes, next on top (implied by `tree`: not checkpointed)
  std::string tree;              ///< preorder of the part's subtree so far
  std::vector<LeafClosure> leaves;  ///< closure of each leaf of `tree`, in order
  long long boxes = 0;
  std::optional<CertifiedCase> counterexample;
};

struct ProveOptions {
  Settings settings;
  long long max_boxes = 1000000;
  int threads = 1;
  int shard_index = 1, shard_count = 1;  ///< --shard I/N (1-based)
  /// Called with the part states, every part paused, when a part stops and otherwise at most
  /// every `checkpoint_seconds` (checked every `checkpoint_every` boxes).
  std::function<void(const std::vector<PartState>&)> checkpoint;
  long long checkpoint_every = 500;
  double checkpoint_seconds = 2.0;
  /// Called once before exploring, to restore part states from a checkpoint.
  std::function<void(std::vector<PartState>&)> resume;
};

struct ProofResult {
  const Obligation* obligation = nullptr;
  ProofForm form;
  ProofStatus status = ProofStatus::undetermined;
  std::string tree;  ///< preorder: "L" a leaf, "S<k>" a bisection of coordinate k then its two
                     ///< halves, "X" a part owned by another shard
  int shard_index = 1, shard_count = 1;
  double owned_fraction = 1;  ///< volume fraction of the root owned by this shard
  Box root;                    ///< the box of the form's variables, where `tree` starts
  std::vector<LeafClosure> leaves;  ///< closure of each leaf ('L') of `tree`, in order
  long long boxes = 0;  ///< boxes evaluated
  double closed_fraction = 0;  ///< volume fraction of the root closed (1 when proved)
  std::optional<CertifiedCase> counterexample;
  double seconds = 0;
  /// Stopped by Ctrl-C/SIGTERM (engine/interrupt.hpp): the boxes still pending are open leaves,
  /// so the result is a valid undetermined certificate; the checkpoint (if any) keeps them pending.
  bool interrupted = false;
};

/// Throws std::invalid_argument when the obligation has no proof form.
ProofResult prove(const Obligation& ob, const ProveOptions& options);
/// Why `prove` refuses these parameters for `ob` ("" when it accepts them): the general settings
/// rules, no proof form, a β other than the paper's, n·d above the prover's 64, the obligation's own
/// requirements. prove and verify-certificate both apply it.
std::string prove_settings_problem(const Obligation& ob, const Settings& s);
/// The fixed top of the tree: the root bisected `depth` times along the widest coordinates, without
/// evaluation; `parts` receives the 2^depth part boxes in order. Returns the preorder string with
/// 'F' where each part's subtree goes.
std::string split_top(const Box& root, int depth, std::vector<Box>& parts);
/// Depth of the fixed top of the tree for N shards (3, more when N > 8).
int top_depth(int shards);
/// Status, coverage and owned volume from the leaves.
void summarize(ProofResult& r);
/// The one rule from leaves to a proof status (prove, merge and verify-certificate all use it):
/// refuted with a refuted leaf; undetermined with an open leaf; partial for one shard of several;
/// proved when the form's box is the statement's whole domain, proved-on-box when it is a part.
ProofStatus status_from_leaves(bool any_refuted, bool any_open, int shard_count, const ProofForm& form);

/// Replays a preorder tree (or a prefix of one: a part still being explored) from `box` and calls
/// visit(leaf box, other_shard) for each 'L' (false) and 'X' (true) in order, with the boxes the
/// prover had; stops early when visit returns false. The tree is trusted: prove() made it, or a
/// checkpoint's tree was checked against its leaves (verify-certificate parses untrusted trees).
void for_each_leaf(const std::string& tree, const Box& box, const std::function<bool(const Box&, bool)>& visit);
/// The box of a form's variables.
Box root_box(const ProofForm& form);

/// The statement point at a box's midpoint (for refutation and reports).
Case box_midpoint_case(const ProofForm& form, const Box& box);
/// The box as a Case of intervals.
Case box_case(const ProofForm& form, const Box& box);
/// Bisect coordinate k at the double midpoint.
std::pair<Box, Box> bisect(const Box& box, size_t k);

/// Re-check one leaf at the smallest level of at least `bits` (53: double intervals, as the
/// prover itself; 128, 257, 1025: multiprecision, an arithmetic path independent of the one that
/// closed it). Returns "" when the claimed
/// closure holds, else the reason it does not.
std::string recheck_leaf(const Obligation& ob, const ProofForm& form, const Settings& s, const Box& box,
                         LeafClosure claimed, unsigned bits = 128);

/// A stable 64-bit hash (hex) of what the proof depends on: id, statement, constant, proof form.
std::string definition_hash(const Obligation& ob, const ProofForm& form);

}  // namespace certbound
