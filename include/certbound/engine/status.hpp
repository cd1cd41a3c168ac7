// The one vocabulary of statuses and exit codes.
//
// Every word certbound prints about a case, an obligation or a proof comes from the tables here,
// and each word means exactly what was computed:
//   - a case status is what the certified margin of one input says (holds only when the margin's
//     lower end is ≥ 0, violated only when its upper end is < 0, ...);
//   - a proof status is what the leaves of a branch-and-bound tree establish, and over which part
//     of the statement's domain (the whole domain, a stated box, one shard's parts).
// README's status table and `certbound statuses --json` are generated from status_vocabulary(),
// and a test keeps README in sync with it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace certbound {

/// Exit codes of the certbound binary, shared by every subcommand.
enum ExitCode : int {
  kOk = 0,               ///< proved; no certified violation; a valid certificate of a proof
  kViolated = 1,         ///< a certified violation / a refutation / a failed check or regression
  kBadInput = 2,         ///< bad input: a one-line error naming the problem, before any work
  kUndecided = 3,        ///< undetermined proof; with --strict, a case that stayed undecided
  kHypothesisFails = 4,  ///< on users' data: a hypothesis of a statement certainly fails
  kProvedOnBox = 5,      ///< proved, but only on a stated sub-domain of the statement
  kPartial = 6,          ///< one shard's parts closed: a part of a proof, not a proof
  kInvalid = 7,          ///< a certificate whose claims do not re-check or re-derive
  kInternalError = 70,   ///< a bug: please report it with the command line
  kInterrupted = 130,    ///< Ctrl-C (128 + the signal number; SIGTERM gives 143)
};

/// One case (one input point) after certification.
enum class CaseStatus { holds, violated, tight, degenerate, undecided, out_of_domain, consistent, refuted };

/// A proof over a domain (the result of `prove`, or what a certificate establishes).
enum class ProofStatus { proved, proved_on_box, partial, refuted, undetermined };

const char* to_string(CaseStatus s);
const char* to_string(ProofStatus s);
/// The status named `text`, or nullopt when it is not a word of the vocabulary.
std::optional<ProofStatus> proof_status_from(std::string_view text);
/// The exit code of `prove`, `merge` and `verify-certificate` for a (valid) result of this status.
int exit_code_of(ProofStatus s);

/// One row of the vocabulary, as README and `certbound statuses` show it.
struct StatusDefinition {
  std::string_view name;
  std::string_view scope;  ///< "case", "obligation", "proof" or "certificate"
  std::string_view meaning;
  int exit_code = 0;       ///< -1 where the word alone sets no exit code
};
std::span<const StatusDefinition> status_vocabulary();

/// The vocabulary as a Markdown table (README embeds it verbatim) and as JSON text.
std::string status_vocabulary_markdown();
std::string status_vocabulary_json();

}  // namespace certbound
