#include "cli/commands.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <map>

#include "certbound/arith/ops.hpp"
#include "certbound/build_info.hpp"
#include "certbound/obligation/obligation.hpp"

namespace certbound::cli {

namespace {
std::vector<Registrar>& registrars() {
  static std::vector<Registrar> r;
  return r;
}
std::map<CLI::App*, std::function<int()>>& runners() {
  static std::map<CLI::App*, std::function<int()>> r;
  return r;
}
}  // namespace

bool add_command(Registrar registrar) {
  registrars().push_back(std::move(registrar));
  return true;
}

void register_all(CLI::App& app) {
  runners().clear();
  for (auto& r : registrars()) {
    auto before = app.get_subcommands({});
    auto run = r(app);
    auto after = app.get_subcommands({});
    runners()[after.back()] = std::move(run);
  }
}

int run_selected(CLI::App& app) {
  for (auto* sub : app.get_subcommands()) {
    auto it = runners().find(sub);
    if (it == runners().end()) continue;
    try {
      return it->second();
    } catch (const InputError& e) {  // BadInput and every library parser's error
      std::fprintf(stderr, "certbound: error: %s\n", e.what());
      return kBadInput;
    } catch (const std::bad_alloc&) {
      std::fprintf(stderr, "certbound: error: out of memory (reduce --n, --d or the budgets)\n");
      return kBadInput;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "certbound: internal error: %s\n", e.what());
      return kInternalError;  // EX_SOFTWARE: a bug, not bad input
    }
  }
  std::fprintf(stderr, "certbound: error: no subcommand given (see --help)\n");
  return kBadInput;
}

std::unique_ptr<CLI::App> make_app() {
  auto app = std::make_unique<CLI::App>(
      "certbound: machine-checked constants for the softmax-regression ICL paper (arXiv 2304.13276)");
  app->require_subcommand(1);
  app->set_version_flag("--version", version_string() + "\n");
  register_all(*app);
  return app;
}

namespace {

/// Optimal string alignment distance (Levenshtein plus adjacent transpositions), over bytes.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) names.push_back(sub->get_name());
  return names;
}

/// The long option names of a subcommand ("--seed", ...).
std::vector<std::string> option_names(const CLI::App& sub) {
  std::vector<std::string> names;
  for (const CLI::Option* o : sub.get_options())
    for (const std::string& l : o->get_lnames()) names.push_back("--" + l);
  for (const CLI::App* group : sub.get_subcommands([](const CLI::App* a) { return a->get_name().empty(); }))
    for (const std::string& n : option_names(*group)) names.push_back(n);
  return names;
}

/// `certbound help [SUBCOMMAND]`, an unknown subcommand and an unknown option of a known one,
/// answered before CLI11 parses (whose own messages name neither the nearest word nor the help).
std::optional<int> answer_before_parsing(CLI::App& app, int argc, const char* const* argv, std::ostream& out,
                                         std::ostream& err) {
  if (argc < 2) return std::nullopt;
  const std::string first = argv[1];
  const auto names = subcommand_names(app);
  const auto known = [&](const std::string& n) { return std::find(names.begin(), names.end(), n) != names.end(); };
  if (first == "help") {
    if (argc == 2) {
      out << app.help();
      return static_cast<int>(kOk);
    }
    const std::string topic = argv[2];
    if (!known(topic)) {
      err << "certbound: error: unknown subcommand '" << topic << "'" << did_you_mean(topic, names)
          << " (see certbound --help)\n";
      return static_cast<int>(kBadInput);
    }
    out << app.get_subcommand(topic)->help();
    return static_cast<int>(kOk);
  }
  if (!first.empty() && first[0] != '-' && !known(first)) {
    err << "certbound: error: unknown subcommand '" << first << "'" << did_you_mean(first, names)
        << " (see certbound --help)\n";
    return static_cast<int>(kBadInput);
  }
  if (!known(first)) return std::nullopt;
  const auto options = option_names(*app.get_subcommand(first));
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.rfind("--", 0) != 0 || arg.size() == 2) continue;
    arg = arg.substr(0, arg.find('='));
    if (std::find(options.begin(), options.end(), arg) != options.end() || arg == "--help") continue;
    err << "certbound: error: unknown option '" << arg << "' for " << first << did_you_mean(arg, options)
        << " (see certbound help " << first << ")\n";
    return static_cast<int>(kBadInput);
  }
  return std::nullopt;
}

}  // namespace

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const std::string& c : candidates) {
    const std::size_t dist = edit_distance(word, c);
    if (dist < best_distance) best_distance = dist, best = c;
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

std::string unknown_obligation_message(const std::string& id) {
  std::vector<std::string> ids;
  for (const Obligation* o : all_obligations()) ids.push_back(o->meta().id);
  return "unknown obligation '" + id + "'" + did_you_mean(id, ids) + " (see 'certbound list')";
}

std::optional<int> parse_command_line(CLI::App& app, int argc, const char* const* argv, std::ostream& out,
                                      std::ostream& err) {
  if (const auto answered = answer_before_parsing(app, argc, argv, out, err)) return answered;
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, out, err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    for (char& c : msg) if (c == '\n') c = ' ';
    err << "certbound: error: " << msg << " (see --help)\n" << std::flush;
    return kBadInput;
  }
  return std::nullopt;
}

std::string version_string() {
  return std::string("certbound ") + build_info::version + " (" + build_info::git_commit + ", " +
         build_info::compiler + ")";
}

}  // namespace certbound::cli
