// Export of the all-n derivations' scalar lemmas to Coq (with CoqInterval and Coquelicot), for a
// second, independent check by Coq's kernel.
//
// One source for both statements: the Coq statement of a lemma is printed from the very terms
// certbound's scalar prover proved (ScalarLemma), with the same ranges and exact rationals (1/100
// is `(1/100)`, never a float). The proof script replays the argument certbound used, recorded in
// its LemmaOutcome (the factorised, direct or log form; branch and bound or the monotonicity rule
// with the symbolic derivative), as calls to interval, nra, lra and field and applications of the
// hand-written library proofs/coq/Certbound.v. Nothing is admitted.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "certbound/arith/input_error.hpp"
#include "certbound/engine/derivation_kernel.hpp"

namespace certbound::report {

/// A term or lemma that has no Coq form (a vector term, a φ₁ that is not the whole left side, ...).
struct CoqExportError : InputError {
  using InputError::InputError;
};

/// A scalar term in Coq's real syntax: (a + b), (a * b), (a ^ 2), (/ a), (sqrt a), exp, ln, Rabs,
/// phi1; numbers as exact rationals; a symbol s as v_s (non-ASCII letters spelled out).
std::string coq_term(const symbolic::Term& t);
/// The Coq identifier of a symbol name: "R" → "v_R", "η" → "v_u03b7".
std::string coq_variable(const std::string& name);

/// `Lemma <ident> : forall v_a v_b : R, <ranges> -> lhs <= rhs.` (< for a strict lemma).
std::string coq_statement(const symbolic::ScalarLemma& lemma, const std::string& ident);
/// The statement and a proof script (Proof. ... Qed.) following `outcome` (which must be proved).
std::string coq_lemma(const symbolic::ScalarLemma& lemma, const kernel::LemmaOutcome& outcome,
                      const std::string& ident);

/// A lemma made false on purpose: the right side multiplied by 99/100·(lhs/rhs at the point of the
/// domain where lhs/rhs is largest among a grid), so it fails at that point, with the certified
/// value of right − left there (upper end < 0) as the counterexample.
struct CoqMutant {
  symbolic::ScalarLemma lemma;
  std::map<std::string, symbolic::Rational> point;
  double margin_upper = 0;  ///< upper end of (right − left) at the point: < 0
};
CoqMutant coq_mutant(const symbolic::ScalarLemma& lemma);

/// One exported lemma of one obligation's derivation.
struct CoqLemma {
  std::string ident;      ///< Coq name, unique in its file
  std::string name;       ///< certbound's name of the lemma
  std::string statement;  ///< certbound's one-line text of it
  symbolic::ScalarLemma lemma;
  kernel::LemmaOutcome outcome;
};

/// The distinct scalar lemmas of a kernel report (cited proofs' lemmas included), with Coq names.
std::vector<CoqLemma> coq_lemmas(const kernel::KernelReport& rep);

/// The .v file of one obligation: its lemmas, each with its proof.
std::string coq_file(const std::string& obligation_id, const std::vector<CoqLemma>& lemmas);
/// The file name of an obligation's .v file: "thm.shift_x" → "thm_shift_x.v".
std::string coq_file_name(const std::string& obligation_id);
/// The library (proofs/coq/Certbound.v, built into the program).
const std::string& coq_library();
/// The Require/Import lines every exported file starts with.
std::string coq_preamble();
/// _CoqProject and a Makefile that compile the library and then every file of `files`.
std::string coq_project();
std::string coq_makefile(const std::vector<std::string>& files);

}  // namespace certbound::report
