// Reports of a check: terminal table, JSON (schema_version 1, with provenance), Markdown, JUnit,
// and counterexample files that `certbound replay` re-verifies without any search. Reports are
// strings and JSON values; the command line writes them (io/atomic_file.hpp). One reporter per file
// in src/report/.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "certbound/engine/check.hpp"
#include "certbound/engine/user_data.hpp"

namespace certbound::report {

/// ["lo", "hi"] decimal strings rounded outward (null endpoints for NaN).
nlohmann::json enclosure_json(const Enclosure& e, int digits = 17);
/// Tool version, git commit, compiler and flags, arguments, seed, precision ladder.
nlohmann::json provenance(const std::vector<std::string>& arguments, std::uint64_t seed, unsigned max_bits);
/// The exact inputs of a case as hex floats (row-major per input).
nlohmann::json inputs_json(const Case& c);
/// How loose the paper constant is against the best certified witness, as a short string.
std::string slack_text(const ObligationReport& r);

nlohmann::json check_json(const std::vector<ObligationReport>& reports, const CheckOptions& options,
                          const std::vector<std::string>& arguments, const std::vector<std::string>& counterexample_paths);
std::string check_table(const std::vector<ObligationReport>& reports);
std::string check_markdown(const std::vector<ObligationReport>& reports, const CheckOptions& options);
std::string check_junit(const std::vector<ObligationReport>& reports);

/// One JUnit test case: a non-empty `failure` marks it failed; `output` goes to system-out.
struct JunitCase {
  std::string name;
  double seconds = 0;
  std::string failure;
  std::string output;
};
/// Text with & < > " escaped for XML attributes and content.
std::string xml_escape(const std::string& text);
/// JUnit XML of one test suite (CI systems show each case as a test).
std::string junit_xml(const std::string& suite, const std::vector<JunitCase>& cases);

/// Checks on users' data: per obligation each hypothesis (holds / fails / undecided, with the
/// certified quantity) and the verdict with its margin.
/// Why an obligation does not apply to the data: "needs --y, --b", or that it is about other inputs.
std::string missing_text(const DataReport& r);
std::string data_table(const std::vector<DataReport>& reports, const UserData& data, const Settings& s);
nlohmann::json data_json(const std::vector<DataReport>& reports, const UserData& data, const Settings& s,
                         const std::vector<std::string>& arguments, unsigned max_bits);

/// Terminal columns of UTF-8 text: a code point counts one, a combining mark none (so ‖, ₂, ∞,
/// ⁻ and ≤ line up with ASCII); printf's %-24s counts bytes and misaligns them.
std::size_t display_width(const std::string& text);
/// `text` followed by spaces up to `width` columns (at least one space).
std::string pad_right(const std::string& text, std::size_t width);
/// One format for a whole column, decided from all its values: "%.4g" of the midpoints when every
/// value is 0 or of magnitude in [1e-6, 1e15); else "10^x" when every value is certainly positive
/// (x from the log10 enclosure computed in MPFR: "10^-4356.34", never 0, a subnormal or inf);
/// else the midpoints in MPFR scientific notation. A missing value (nullptr, NaN) is "-".
std::vector<std::string> number_column(const std::vector<const Enclosure*>& values, int digits = 4);
/// A column of one.
std::string short_number(const Enclosure& e);
/// The worst case's ratio per report, as one column.
std::vector<std::string> ratio_column(const std::vector<const ObligationReport*>& reports);
/// An upper bound on log10(paper constant / certified witness) for an upper bound with both.
std::optional<double> log10_slack_upper(const ObligationReport& r);
/// slack_text for a whole column: plain when every slack is below 10^6, else all "10^x".
std::vector<std::string> slack_column(const std::vector<const ObligationReport*>& reports);

/// Counterexample file: obligation id, settings, exact inputs as hex floats, margin enclosure.
nlohmann::json counterexample_json(const Obligation& ob, const Settings& s, const CertifiedCase& c,
                                   const std::vector<std::string>& arguments);
/// Parse a counterexample; throws InputError with a one-line reason.
struct Counterexample {
  std::string id;
  Settings settings;
  Case input;
  bool saved_case = false;  ///< kind certbound.case: a saved (e.g. undecided) case, not a claimed violation
};
Counterexample parse_counterexample(const nlohmann::json& j);

}  // namespace certbound::report
