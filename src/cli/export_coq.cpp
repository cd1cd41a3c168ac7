// certbound export-coq [ID...|all] --out DIR: the scalar lemmas of the all-n derivations as Coq
// files (statement printed from the proved terms, proof replaying certbound's argument), with the
// library, _CoqProject and a Makefile, so that `make -C DIR` has Coq's kernel check them again.
// --mutants also writes, per lemma, a copy made false at a certified point (each must fail coqc).
// Exit: 0 when every selected derivation is proved and exported, 3 when one is not proved (nothing
// is exported for it), 2 for bad input.
#include <cstdio>
#include <filesystem>
#include <set>

#include "certbound/engine/all_n.hpp"
#include "certbound/io/atomic_file.hpp"
#include "certbound/report/coq_export.hpp"
#include "cli/commands.hpp"
#include "cli/prove_all_n.hpp"

namespace certbound::cli {
namespace {

struct ExportOptions {
  std::vector<std::string> ids;
  std::string out;
  bool mutants = false;
};

void make_directory(const std::string& dir) { io::require_writable_directory(dir); }

/// One file per mutant (each must fail on its own), one mutant per distinct lemma (`done` holds the
/// statements already mutated); returns how many were written.
int write_mutants(const std::string& dir, const std::string& id, const std::vector<report::CoqLemma>& lemmas,
                  std::set<std::string>& done) {
  int written = 0;
  for (const report::CoqLemma& l : lemmas) {
    if (!done.insert(l.statement).second) continue;
    const report::CoqMutant m = report::coq_mutant(l.lemma);
    char margin[32];
    std::snprintf(margin, sizeof margin, "%.6g", m.margin_upper);
    std::string where;
    for (const auto& [name, x] : m.point) where += (where.empty() ? "" : ", ") + name + " = " + x.text();
    const std::string file = report::coq_file_name(id).substr(0, report::coq_file_name(id).size() - 2) + "_" + l.ident + ".v";
    const std::string text = "(* A mutant of " + l.name + " (" + id + "): the right side times 99/100 of lhs/rhs at " +
                             where + ", where certbound finds right − left ≤ " + margin +
                             " < 0. coqc must reject it. *)\n" +
                             report::coq_preamble() + "\n" +
                             report::coq_lemma(m.lemma, l.outcome, l.ident);
    io::write_file_atomically(dir + "/" + file, text);
    ++written;
  }
  return written;
}

int run_export(const ExportOptions& o) {
  if (o.ids.empty()) throw BadInput("give obligation ids or 'all'");
  if (o.out.empty()) throw BadInput("--out DIR is required");
  const auto obligations = obligations_with_derivations(o.ids);
  make_directory(o.out);
  if (o.mutants) make_directory(o.out + "/mutants");
  std::vector<std::string> files;
  std::set<std::string> mutated;
  int exit_code = static_cast<int>(kOk), lemmas = 0, mutants = 0;
  for (const Obligation* ob : obligations) {
    const AllNResult r = prove_all_n(*ob);
    const std::string& id = ob->meta().id;
    if (r.status != ProofStatus::proved) {
      std::printf("  %-24s not exported: %s (%s)\n", id.c_str(), to_string(r.status), r.report.failure.c_str());
      exit_code = static_cast<int>(kUndecided);
      continue;
    }
    const auto exported = report::coq_lemmas(r.report);
    if (exported.empty()) {
      std::printf("  %-24s no scalar lemma (its derivation uses rules, algebra and cited proofs only)\n", id.c_str());
      continue;
    }
    const std::string file = report::coq_file_name(id);
    io::write_file_atomically(o.out + "/" + file, report::coq_file(id, exported));
    files.push_back(file);
    lemmas += static_cast<int>(exported.size());
    if (o.mutants) mutants += write_mutants(o.out + "/mutants", id, exported, mutated);
    std::printf("  %-24s %zu scalar lemma%s -> %s\n", id.c_str(), exported.size(), exported.size() == 1 ? "" : "s",
                file.c_str());
  }
  io::write_file_atomically(o.out + "/Certbound.v", report::coq_library());
  io::write_file_atomically(o.out + "/_CoqProject", report::coq_project());
  io::write_file_atomically(o.out + "/Makefile", report::coq_makefile(files));
  std::printf("certbound export-coq: %d lemmas in %zu files%s; check them with: make -C %s\n", lemmas, files.size(),
              o.mutants ? (", " + std::to_string(mutants) + " mutants in mutants/, one per distinct lemma (each must fail coqc)").c_str() : "",
              o.out.c_str());
  return exit_code;
}

const bool registered_export_coq = add_command([](CLI::App& app) -> std::function<int()> {
  auto o = std::make_shared<ExportOptions>();
  auto* sub = app.add_subcommand("export-coq", "write the all-n derivations' scalar lemmas as Coq files (make -C DIR checks them)");
  sub->add_option("ids", o->ids, "obligation ids with a derivation, or 'all'")->required();
  sub->add_option("--out", o->out, "directory to write (created if missing)")->required();
  sub->add_flag("--mutants", o->mutants, "also write, per lemma, a false copy into DIR/mutants (each must fail coqc)");
  return [o]() -> int {
    try {
      return run_export(*o);
    } catch (const report::CoqExportError& e) {
      throw BadInput(e.what());
    }
  };
});

}  // namespace
}  // namespace certbound::cli
