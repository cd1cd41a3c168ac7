#include "certbound/report/report.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "certbound/arith/escalate.hpp"
#include "certbound/build_info.hpp"

namespace certbound::report {

using nlohmann::json;

json enclosure_json(const Enclosure& e, int digits) {
  if (e.has_nan()) return json::array({nullptr, nullptr});
  auto [lo, hi] = e.decimal(digits);
  return json::array({lo, hi});
}

json settings_json(const Settings& s) {
  return {{"n", s.n}, {"d", s.d}, {"R", s.R}, {"eta", s.eta}, {"scale", s.scale},
          {"beta", s.beta.empty() ? "e^{-R^2}" : s.beta}};
}

json provenance(const std::vector<std::string>& arguments, std::uint64_t seed, unsigned max_bits) {
  json ladder = json::array();
  for (unsigned b : kLadderBits)
    if (b <= max_bits) ladder.push_back(b);
  return {{"tool", "certbound"},       {"version", build_info::version}, {"git_commit", build_info::git_commit},
          {"compiler", build_info::compiler}, {"build_type", build_info::build_type}, {"flags", build_info::flags},
          {"arguments", arguments},    {"seed", seed},                   {"precision_ladder_bits", ladder}};
}

std::string short_number(const Enclosure& e) {
  if (e.has_nan()) return "-";
  const double m = e.mid_double();
  char buf[64];
  if (std::isfinite(m) && (m == 0 || (std::fabs(m) < 1e15 && std::fabs(m) > 1e-6))) {
    std::snprintf(buf, sizeof buf, "%.4g", m);
    return buf;
  }
  if (!e.certainly_positive()) {
    std::snprintf(buf, sizeof buf, "%.3e", m);
    return buf;
  }
  const Enclosure l = e.log10();
  std::snprintf(buf, sizeof buf, "10^%.2f", l.mid_double());
  return buf;
}

namespace {

json counts_json(const CaseCounts& n) {
  return {{"total", n.total},         {"holds", n.holds},       {"violated", n.violated},
          {"tight", n.tight},         {"degenerate", n.degenerate}, {"undecided", n.undecided},
          {"out_of_domain", n.out_of_domain},
          {"consistent", n.consistent}, {"refuted", n.refuted}};
}

json inputs_json(const Case& c) {
  json out = json::object();
  for (const auto& [name, m] : c.inputs) {
    json data = json::array();
    for (Eigen::Index i = 0; i < m.rows(); ++i)
      for (Eigen::Index j = 0; j < m.cols(); ++j) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%a", m(i, j));
        data.push_back(buf);
      }
    out[name] = {{"rows", m.rows()}, {"cols", m.cols()}, {"data_hex_row_major", data}};
  }
  return out;
}

/// Slack of the paper constant over the best witness: paper / witness, as a short string.
std::string slack_text(const ObligationReport& r) {
  if (!r.paper_constant || !r.witness_constant || !r.witness_constant->certainly_positive()) return "-";
  if (r.obligation->meta().direction != Direction::upper_bound) return "-";
  const Enclosure lp = r.paper_constant->log10(), lw = r.witness_constant->log10();
  const double slack_log10 = lp.upper_double() - lw.lower_double();  // an upper bound on log10(slack)
  char buf[64];
  if (slack_log10 < 6) std::snprintf(buf, sizeof buf, "%.4g", std::pow(10.0, slack_log10));
  else std::snprintf(buf, sizeof buf, "10^%.1f", slack_log10);
  return buf;
}

}  // namespace

json check_json(const std::vector<ObligationReport>& reports, const CheckOptions& options,
                const std::vector<std::string>& arguments, const std::vector<std::string>& counterexample_paths) {
  json results = json::array();
  for (size_t i = 0; i < reports.size(); ++i) {
    const ObligationReport& r = reports[i];
    const Meta& m = r.obligation->meta();
    json worst = nullptr;
    if (r.worst) {
      worst = {{"ratio", enclosure_json(r.worst->result.ratio)},
               {"margin", enclosure_json(r.worst->result.margin)},
               {"status", to_string(r.worst->result.status)},
               {"family", r.worst->input.family},
               {"precision_bits", r.worst->result.bits},
               {"inputs", inputs_json(r.worst->input)}};
    }
    results.push_back({{"id", m.id},
                       {"kind", to_string(m.kind)},
                       {"provenance", m.provenance},
                       {"citation", m.citation},
                       {"statement", m.statement},
                       {"verdict", to_string(r.verdict)},
                       {"cases", counts_json(r.counts)},
                       {"worst", worst},
                       {"witness_ratio_lower", r.witness_ratio_lower},
                       {"witness_constant", r.witness_constant ? enclosure_json(*r.witness_constant) : json(nullptr)},
                       {"paper_constant", r.paper_constant ? enclosure_json(*r.paper_constant) : json(nullptr)},
                       {"constant_expression", m.constant_expression},
                       {"chain_constant", r.chain_constant ? json{{"expression", r.chain_constant->expression},
                                                                  {"value", enclosure_json(r.chain_constant->value)}}
                                                            : json(nullptr)},
                       {"scale_applies", m.kind != Kind::identity},
                       {"undecided_reasons", r.undecided_notes},
                       {"out_of_domain_reason", r.out_of_domain_note},
                       {"search_evaluations", r.search_evaluations},
                       {"seconds", r.seconds},
                       {"interrupted", r.interrupted},
                       {"counterexample", counterexample_paths.at(i).empty() ? json(nullptr) : json(counterexample_paths[i])}});
  }
  json params = settings_json(options.settings);
  params["samples"] = options.samples;
  params["search"] = options.search;
  params["max_precision_bits"] = options.max_bits;
  params["threads"] = options.threads;
  return {{"schema_version", 1},
          {"command", "check"},
          {"parameters", params},
          {"provenance", provenance(arguments, options.seed, options.max_bits)},
          {"results", results}};
}

std::string check_table(const std::vector<ObligationReport>& reports) {
  std::ostringstream out;
  char line[512];
  std::snprintf(line, sizeof line, "%-24s %-10s %6s %-22s %-12s %-12s %-12s %-10s %7s\n", "obligation", "verdict",
                "cases", "worst ratio", "paper C", "chain C", "witness C", "slack", "time");
  out << line;
  for (const auto& r : reports) {
    std::string ratio = "-";
    if (r.worst && !r.worst->result.ratio.has_nan()) {
      char b[64];
      std::snprintf(b, sizeof b, "%.6g", r.worst->result.ratio.mid_double());
      ratio = b;
    }
    std::string cases = std::to_string(r.counts.total);
    std::snprintf(line, sizeof line, "%-24s %-10s %6s %-22s %-12s %-12s %-12s %-10s %6.2fs\n",
                  r.obligation->meta().id.c_str(), to_string(r.verdict), cases.c_str(), ratio.c_str(),
                  r.paper_constant ? short_number(*r.paper_constant).c_str() : "-",
                  r.chain_constant ? short_number(r.chain_constant->value).c_str() : "-",
                  r.witness_constant ? short_number(*r.witness_constant).c_str() : "-", slack_text(r).c_str(), r.seconds);
    out << line;
    if (r.interrupted) {
      std::snprintf(line, sizeof line, "%-24s   interrupted: %d cases certified before the stop\n", "", r.counts.total);
      out << line;
    } else if (r.verdict == Verdict::no_cases) {
      std::snprintf(line, sizeof line, "%-24s   every case outside the domain (%d): %s\n", "", r.counts.out_of_domain,
                    r.out_of_domain_note.c_str());
      out << line;
    } else if (r.counts.tight + r.counts.degenerate + r.counts.undecided + r.counts.violated + r.counts.refuted > 0) {
      std::snprintf(line, sizeof line, "%-24s   holds %d, tight %d, degenerate %d, undecided %d, violated %d%s\n", "",
                    r.counts.holds, r.counts.tight, r.counts.degenerate, r.counts.undecided, r.counts.violated + r.counts.refuted,
                    r.undecided_notes.empty() ? "" : ("; " + r.undecided_notes.front()).c_str());
      out << line;
    }
  }
  return out.str();
}

std::string check_markdown(const std::vector<ObligationReport>& reports, const CheckOptions& options) {
  std::ostringstream out;
  const Settings& s = options.settings;
  out << "| obligation | provenance | verdict | cases | worst ratio | paper constant | chain constant | certified witness | slack |\n";
  out << "|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : reports) {
    std::string ratio = "-";
    if (r.worst && !r.worst->result.ratio.has_nan()) ratio = r.worst->result.ratio.str(6);
    out << "| `" << r.obligation->meta().id << "` | " << r.obligation->meta().provenance << " | "
        << to_string(r.verdict) << " | " << r.counts.total
        << (r.counts.degenerate > 0 ? " (" + std::to_string(r.counts.degenerate) + " degenerate)" : std::string()) << " | "
        << ratio << " | "
        << (r.paper_constant ? r.paper_constant->str(6) : "-") << " | "
        << (r.chain_constant ? r.chain_constant->expression + " = " + r.chain_constant->value.str(6) : "-") << " | "
        << (r.witness_constant ? r.witness_constant->str(6) : "-") << " | " << slack_text(r) << " |\n";
  }
  for (const auto& r : reports)
    if (r.interrupted) {
      out << "\nInterrupted (Ctrl-C or SIGTERM): the counts cover the cases certified before the stop.\n";
      break;
    }
  out << "\nParameters: n = " << s.n << ", d = " << s.d << ", R = " << s.R << ", η = " << s.eta
      << ", scale = " << s.scale << ", seed = " << options.seed << ". Enclosures are rounded outward.\n";
  return out.str();
}

std::string xml_escape(const std::string& t) {
  std::string o;
  for (char ch : t) {
    switch (ch) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += ch;
    }
  }
  return o;
}

std::string junit_xml(const std::string& suite, const std::vector<JunitCase>& cases) {
  const auto escape = xml_escape;
  int failures = 0;
  double total = 0;
  for (const auto& c : cases) {
    failures += !c.failure.empty();
    total += c.seconds;
  }
  std::ostringstream out;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << "<testsuites><testsuite name=\"" << escape(suite) << "\" tests=\"" << cases.size() << "\" failures=\""
      << failures << "\" time=\"" << total << "\">\n";
  for (const auto& c : cases) {
    out << "  <testcase classname=\"" << escape(suite) << "\" name=\"" << escape(c.name) << "\" time=\"" << c.seconds
        << "\">";
    if (!c.failure.empty()) out << "<failure message=\"" << escape(c.failure) << "\"/>";
    if (!c.output.empty()) out << "<system-out>" << escape(c.output) << "</system-out>";
    out << "</testcase>\n";
  }
  out << "</testsuite></testsuites>\n";
  return out.str();
}

std::string check_junit(const std::vector<ObligationReport>& reports) {
  std::vector<JunitCase> cases;
  for (const auto& r : reports) {
    const auto& n = r.counts;
    JunitCase c{r.obligation->meta().id, r.seconds, "",
                std::string(to_string(r.verdict)) + ": " + std::to_string(n.total) + " cases, holds " + std::to_string(n.holds) +
                    ", tight " + std::to_string(n.tight) + ", degenerate " + std::to_string(n.degenerate) + ", undecided " +
                    std::to_string(n.undecided) + ", violated " + std::to_string(n.violated + n.refuted)};
    if (r.verdict == Verdict::violated || r.verdict == Verdict::refuted) {
      c.failure = std::string(to_string(r.verdict)) + ": ";
      if (r.worst) c.failure += "margin " + r.worst->result.margin.str(17);
    }
    cases.push_back(std::move(c));
  }
  return junit_xml("certbound.check", cases);
}

json counterexample_json(const Obligation& ob, const Settings& s, const CertifiedCase& c,
                         const std::vector<std::string>& arguments) {
  return {{"schema_version", 1},
          {"kind", "certbound.counterexample"},
          {"obligation", ob.meta().id},
          {"statement", ob.meta().statement},
          {"parameters", settings_json(s)},
          {"family", c.input.family},
          {"inputs", inputs_json(c.input)},
          {"status", to_string(c.result.status)},
          {"margin", enclosure_json(c.result.margin)},
          {"margin_hex", c.result.margin.has_nan() ? json(nullptr)
                                                   : json::array({to_hex(c.result.margin.lo), to_hex(c.result.margin.hi)})},
          {"precision_bits", c.result.bits},
          {"provenance", provenance(arguments, 0, c.result.bits)}};
}

namespace {
[[noreturn]] void bad(const std::string& why) { throw std::invalid_argument("counterexample: " + why); }

const json& field(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) bad(std::string("missing field '") + key + "'");
  return j.at(key);
}
std::string string_field(const json& j, const char* key) {
  const json& v = field(j, key);
  if (!v.is_string()) bad(std::string("field '") + key + "' is not a string");
  return v.get<std::string>();
}
int int_field(const json& j, const char* key) {
  const json& v = field(j, key);
  if (!v.is_number_integer()) bad(std::string("field '") + key + "' is not an integer");
  const auto x = v.get<long long>();
  if (x < 1 || x > 1000000) bad(std::string("field '") + key + "' out of range");
  return static_cast<int>(x);
}
}  // namespace

Counterexample parse_counterexample(const json& j) {
  Counterexample cx;
  if (!j.is_object()) bad("not a JSON object");
  if (field(j, "schema_version") != 1) bad("unsupported schema_version");
  if (string_field(j, "kind") != "certbound.counterexample") bad("not a certbound counterexample");
  cx.id = string_field(j, "obligation");
  const json& p = field(j, "parameters");
  cx.settings.n = int_field(p, "n");
  cx.settings.d = int_field(p, "d");
  cx.settings.R = string_field(p, "R");
  cx.settings.eta = string_field(p, "eta");
  cx.settings.scale = string_field(p, "scale");
  const std::string beta = string_field(p, "beta");
  cx.settings.beta = beta == "e^{-R^2}" ? "" : beta;
  for (const std::string* t : {&cx.settings.R, &cx.settings.eta, &cx.settings.scale}) {
    if (!is_decimal_literal(*t)) bad("parameter '" + *t + "' is not a number");
  }
  if (!cx.settings.beta.empty() && cx.settings.beta != "tight" && !is_decimal_literal(cx.settings.beta))
    bad("parameter beta is not a number");
  cx.input.family = j.contains("family") && j["family"].is_string() ? j["family"].get<std::string>() : "replay";
  const json& inputs = field(j, "inputs");
  if (!inputs.is_object()) bad("'inputs' is not an object");
  for (const auto& [name, m] : inputs.items()) {
    const int rows = int_field(m, "rows"), cols = int_field(m, "cols");
    const json& data = field(m, "data_hex_row_major");
    if (!data.is_array() || data.size() != static_cast<size_t>(rows) * static_cast<size_t>(cols))
      bad("input '" + name + "' has " + std::to_string(data.is_array() ? data.size() : 0) + " entries, expected " +
          std::to_string(static_cast<long long>(rows) * cols));
    Eigen::MatrixXd mat(rows, cols);
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c) {
        const json& v = data[static_cast<size_t>(r) * static_cast<size_t>(cols) + static_cast<size_t>(c)];
        if (!v.is_string()) bad("input '" + name + "' has a non-string entry");
        const std::string t = v.get<std::string>();
        if (!is_decimal_literal(t)) bad("input '" + name + "' entry '" + t.substr(0, 30) + "' is not a number");
        const Enclosure e = parse_enclosure(t);
        if (e.lower_double() != e.upper_double()) bad("input '" + name + "' entry '" + t.substr(0, 30) + "' is not an exact double");
        mat(r, c) = e.lower_double();
      }
    cx.input.inputs[name] = mat;
  }
  return cx;
}

namespace {

/// Temporary files are hidden siblings of the target named after the writing process:
/// ".NAME.tmp-PID". Same directory, so rename(2) is atomic; per process, so two runs never share one.
std::string temporary_prefix(const std::filesystem::path& target) {
  return "." + target.filename().string() + ".tmp-";
}

/// Remove temporary files of `target` left by writers that were killed (their process is gone).
void remove_stale_temporaries(const std::filesystem::path& target) {
  namespace fs = std::filesystem;
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const std::string prefix = temporary_prefix(target);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    char* rest = nullptr;
    const long pid = std::strtol(name.c_str() + prefix.size(), &rest, 10);
    if (pid <= 0 || *rest != '\0') continue;
    if (pid != static_cast<long>(::getpid()) && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      fs::remove(it->path(), ignored);
    }
  }
}

[[noreturn]] void fail_write(const std::string& path, const char* step) {
  throw std::invalid_argument("cannot write '" + path + "' (" + step + ": " + std::strerror(errno) + ")");
}

}  // namespace

// POSIX crash safety (write, fsync the file, rename over the target, fsync the directory): after
// a kill or power loss the target is either the old complete file or the new complete one, and
// once this returns the new content and its name are on disk.
void write_file_atomically(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  remove_stale_temporaries(target);
  const fs::path tmp = target.parent_path() / (temporary_prefix(target) + std::to_string(::getpid()));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail_write(path, "create");
  const char* data = text.data();
  size_t left = text.size();
  while (left > 0) {
    const ssize_t w = ::write(fd, data, left);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      const int saved = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      errno = saved;
      fail_write(path, "write");
    }
    data += w;
    left -= static_cast<size_t>(w);
  }
  if (::fsync(fd) != 0) {
    const int saved = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    errno = saved;
    fail_write(path, "fsync");
  }
  if (::close(fd) != 0) fail_write(path, "close");
  if (::rename(tmp.c_str(), target.c_str()) != 0) {
    const int saved = errno;
    ::unlink(tmp.c_str());
    errno = saved;
    fail_write(path, "rename");
  }
  // The rename is durable only once the directory entry is: fsync the directory too.
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) fail_write(path, "open directory");
  const int synced = ::fsync(dfd);
  ::close(dfd);
  if (synced != 0 && errno != EINVAL) fail_write(path, "fsync directory");  // EINVAL: fs without dir sync
}

}  // namespace certbound::report
