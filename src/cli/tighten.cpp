// certbound tighten ID: a certified enclosure [lo, hi] of the best constant C* of a statement at
// fixed n, d, R (engine/tighten.hpp): lo from a replayable certified witness, hi from the smallest
// scale a proof closes, with the last proof's certificate.
// Exit codes: 0 target reached, 3 stopped before it (budget or prover limit; the enclosure is
// still certified), 2 bad input, 70 a witness above a proved constant (both artifacts are saved),
// 130 interrupted.
#include <unistd.h>

#include <cstdio>

#include "certbound/engine/interrupt.hpp"
#include "certbound/engine/tighten.hpp"
#include "certbound/io/atomic_file.hpp"
#include "certbound/obligation/settings_json.hpp"
#include "certbound/report/certificate.hpp"
#include "certbound/report/report.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace certbound::cli {
namespace {

struct TightenCommand {
  std::string id;
  TightenOptions options;
  std::string certificate_path, json_path, witness_path;
  bool quiet = false;
  int samples = 64, search = 4000;

  int run() {
    Settings& s = options.settings;
    validate_settings(s);
    if (!(options.target > 1 && options.target <= 1e6)) throw BadInput("--target must be > 1 and at most 10^6");
    require_range("max-boxes", options.max_boxes, 1, 1000000000);
    require_range("max-attempts", options.max_attempts, 1, 200);
    require_range("threads", options.threads, 1, 256);
    require_range("samples", samples, 0, 1000000);
    require_range("search", search, 0, 100000000);
    for (const auto* p : {&certificate_path, &json_path, &witness_path}) if (!p->empty()) io::require_writable(*p);
    const Obligation* ob = resolve_obligations({id}).front();
    if (!ob->proof_form(s)) throw BadInput("obligation '" + id + "' has no proof form: tighten needs `prove`");
    if (const std::string why = tighten_settings_problem(*ob, s); !why.empty()) throw BadInput(why);
    options.search.samples = samples;
    options.search.search = search;
    if (!quiet)
      options.progress = [](const TightenAttempt& a) {
        std::fprintf(stderr, "  tighten: scale %s %s (%lld boxes, %.1fs)\n", a.scale.c_str(), to_string(a.status),
                     a.boxes, a.seconds);
      };
    install_interrupt_handlers();
    TightenResult r;
    try {
      r = tighten(*ob, options);
    } catch (const InputError& e) {
      throw BadInput(e.what());
    }
    print(r);
    write_artifacts(r);
    if (r.stop == TightenStop::interrupted) return interrupted_exit_code();
    if (r.stop == TightenStop::contradiction) return kInternalError;
    return r.stop == TightenStop::target_reached ? kOk : kUndecided;
  }

  void print(const TightenResult& r) const {
    const Settings& s = options.settings;
    Settings shown = s;
    shown.scale = "1";
    std::printf("certbound tighten %s: %s\n", id.c_str(), parameters_text(shown).c_str());
    std::printf("  statement: %s\n", r.obligation->meta().statement.c_str());
    std::printf("  C* is the best constant on: %s%s\n", r.domain.c_str(),
                r.whole_domain ? " (the statement's domain)" : " (the proof's box: nothing is claimed outside it)");
    std::printf("  paper constant C = %s = %s\n", r.obligation->meta().constant_expression.c_str(), r.constant.str(8).c_str());
    std::printf("  %-14s %-14s %10s %9s %9s\n", "scale", "status", "boxes", "coverage", "time");
    for (const auto& a : r.attempts)
      std::printf("  %-14s %-14s %10lld %8.4f%% %8.2fs\n", a.scale.c_str(), to_string(a.status), a.boxes,
                  100.0 * a.coverage, a.seconds);
    const std::string lo = r.lo ? to_decimal(r.lo->lo, MPFR_RNDD, 8) : "?";
    const std::string hi = r.hi ? to_decimal(r.hi->hi, MPFR_RNDU, 8) : "?";
    std::printf("  C* ∈ [%s, %s]", lo.c_str(), hi.c_str());
    if (r.hi_over_lo > 0) std::printf("   hi/lo = %.6g (target %g)", r.hi_over_lo, options.target);
    std::printf("\n");
    const bool upper = r.direction == Direction::upper_bound;
    std::printf("  %s: certified witness, ratio ≥ %.8g of C (%s)\n", upper ? "lo" : "hi", r.witness_scale,
                r.witness_source.c_str());
    if (r.proved_scale)
      std::printf("  %s: C %s %s, %s\n", upper ? "hi" : "lo", upper ? "×" : "÷", r.proved_scale->c_str(),
                  to_string(r.proof->status));
    if (r.hi && upper) {
      // How loose the paper's constant is at this size: C/hi, rounded down (certified).
      BigFloat q(128);
      mpfr_div(q.get(), r.constant.lo.get(), r.hi->hi.get(), MPFR_RNDD);
      std::printf("  the paper's C is at least %s times the best constant here (C/hi)\n",
                  to_decimal(q, MPFR_RNDD, 6).c_str());
    }
    std::printf("  stopped: %s (%s)\n", to_string(r.stop), r.note.c_str());
  }

  nlohmann::json json(const TightenResult& r, const std::string& witness_file, const std::string& certificate_file) const {
    auto end = [](const std::optional<Enclosure>& e, bool lower) -> nlohmann::json {
      if (!e) return nullptr;
      return lower ? to_decimal(e->lo, MPFR_RNDD, 17) : to_decimal(e->hi, MPFR_RNDU, 17);
    };
    nlohmann::json attempts = nlohmann::json::array();
    for (const auto& a : r.attempts)
      attempts.push_back({{"scale", a.scale}, {"status", to_string(a.status)}, {"boxes", a.boxes},
                          {"coverage", a.coverage}, {"seconds", a.seconds}});
    Settings shown = options.settings;
    shown.scale = "1";
    return {{"schema_version", 1},
            {"command", "tighten"},
            {"parameters", settings_json(shown)},
            {"provenance", report::provenance(command_line(), options.search.seed, options.search.max_bits)},
            {"result",
             {{"id", id},
              {"direction", r.direction == Direction::upper_bound ? "upper_bound" : "lower_bound"},
              {"constant", report::enclosure_json(r.constant)},
              {"domain", r.domain},
              {"whole_domain", r.whole_domain},
              {"best_lo", end(r.lo, true)},
              {"best_hi", end(r.hi, false)},
              {"hi_over_lo", r.hi_over_lo > 0 ? nlohmann::json(r.hi_over_lo) : nlohmann::json(nullptr)},
              {"target", options.target},
              {"witness_scale", r.witness_scale},
              {"witness_source", r.witness_source},
              {"witness_inputs", r.witness ? report::inputs_json(r.witness->input) : nlohmann::json(nullptr)},
              {"witness_file", witness_file.empty() ? nlohmann::json(nullptr) : nlohmann::json(witness_file)},
              {"proved_scale", r.proved_scale ? nlohmann::json(*r.proved_scale) : nlohmann::json(nullptr)},
              {"proof_status", r.proof ? nlohmann::json(to_string(r.proof->status)) : nlohmann::json(nullptr)},
              {"certificate_file", certificate_file.empty() ? nlohmann::json(nullptr) : nlohmann::json(certificate_file)},
              {"attempts", attempts},
              {"stop", to_string(r.stop)},
              {"note", r.note},
              {"seconds", r.seconds}}}};
  }

  /// The witness (a replayable case at scale 1) and the last proof's certificate; after a
  /// contradiction both are saved even when no path was given, for the bug report.
  void write_artifacts(const TightenResult& r) const {
    const bool keep = r.stop == TightenStop::contradiction;
    const std::string witness = !witness_path.empty() ? witness_path : (keep ? id + ".tighten-witness.json" : "");
    const std::string certificate = !certificate_path.empty() ? certificate_path : (keep ? id + ".tighten.cert" : "");
    Settings unit = options.settings;
    unit.scale = "1";
    if (!witness.empty() && r.witness) {
      io::write_file_atomically(witness,
                                report::counterexample_json(*r.obligation, unit, *r.witness, command_line()).dump(2) + "\n");
      std::printf("  witness: %s (certbound replay %s)\n", witness.c_str(), witness.c_str());
    }
    if (!certificate.empty() && r.proof) {
      Settings scaled = options.settings;
      scaled.scale = *r.proved_scale;
      io::write_file_atomically(certificate, report::certificate_json(*r.proof, scaled, command_line()).dump() + "\n");
      std::printf("  certificate: %s (scale %s; certbound verify-certificate %s)\n", certificate.c_str(),
                  r.proved_scale->c_str(), certificate.c_str());
    }
    if (keep) std::printf("  this is a bug: please report it with both files and the command line\n");
    if (!json_path.empty()) io::write_file_atomically(json_path, json(r, witness, certificate).dump(2) + "\n");
  }
};

const bool registered_tighten = add_command([](CLI::App& app) -> std::function<int()> {
  auto cmd = std::make_shared<TightenCommand>();
  auto* sub = app.add_subcommand("tighten",
                                 "certified enclosure [lo, hi] of the best constant at fixed n, d, R: lo from a "
                                 "certified witness, hi from the smallest scale `prove` closes");
  sub->add_option("id", cmd->id, "obligation id (one with a proof form)")->required();
  add_settings_options(*sub, cmd->options.settings, /*with_scale=*/false);
  sub->add_option("--target", cmd->options.target, "stop when hi/lo is at most this")->capture_default_str();
  sub->add_option("--max-boxes", cmd->options.max_boxes, "box budget of each proof attempt")->capture_default_str();
  sub->add_option("--max-attempts", cmd->options.max_attempts, "proof attempts in all")->capture_default_str();
  sub->add_option("--threads", cmd->options.threads, "worker threads of each proof")->capture_default_str();
  sub->add_option("--seed", cmd->options.search.seed, "random seed of the witness search")->capture_default_str();
  sub->add_option("--samples", cmd->samples, "random cases of the witness search")->capture_default_str();
  sub->add_option("--search", cmd->search, "adversarial search evaluations of the witness search")->capture_default_str();
  sub->add_option("--certificate", cmd->certificate_path, "write the certificate of the tightest proof here");
  sub->add_option("--witness", cmd->witness_path, "write the witness case here (replayable)");
  sub->add_option("--json", cmd->json_path, "write the JSON report here");
  sub->add_flag("--quiet", cmd->quiet, "no progress lines on stderr");
  return [cmd] { return cmd->run(); };
});

}  // namespace
}  // namespace certbound::cli
