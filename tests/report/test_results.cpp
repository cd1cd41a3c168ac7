// Results people read and extend: sweeps with plots, checks on users' data, the DLS23 example
// obligation, CI proof checks against proofs/expected.json, JUnit output.
#include <arb.h>
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "certbound/engine/certify.hpp"
#include "certbound/io/matrix_io.hpp"
#include "certbound/oracle/arb.hpp"
#include "run_cli.hpp"

using certbound::test::run_cli;
using certbound::test::scratch_dir;
using certbound::test::slurp;
using nlohmann::json;

namespace {

const std::string kData = std::string(CERTBOUND_SOURCE_DIR) + "/tests/data/attention";

std::string data_args() {
  return " --A " + kData + "/A.npy --A-next " + kData + "/A_next.npy --x " + kData + "/x.npy --y " + kData +
         "/y.npy --b " + kData + "/b.npy";
}

/// Run a shell command line (for environment prefixes); returns its exit code.
int run_shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::ifstream f(path);
  std::string line;
  std::getline(f, line);
  std::vector<std::string> header;
  std::stringstream hs(line);
  for (std::string h; std::getline(hs, h, ',');) header.push_back(h);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(f, line)) {
    std::map<std::string, std::string> row;
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {  // RFC 4180 quotes (the chain expression has none, but be exact)
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) cells.push_back(std::exchange(cell, ""));
      else cell += c;
    }
    cells.push_back(cell);
    REQUIRE(cells.size() == header.size());
    for (size_t i = 0; i < header.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(row);
  }
  return rows;
}

/// The SVG element inlined for one obligation's plot.
std::string plot_of(const std::string& html, const std::string& id) {
  const std::string tag = "<div class=\"plot\" id=\"plot-" + id + "\">";
  const size_t start = html.find(tag);
  if (start == std::string::npos) return "";
  return html.substr(start, html.find("</div>", start) - start);
}

/// M = n^{1.5} e^{10R²} by Arb at 256 bits.
certbound::oracle::Ball arb_m(int n, int r) {
  certbound::oracle::Ball m, t;
  arb_set_si(t.b, 10 * r * r);
  arb_exp(t.b, t.b, 256);
  arb_set_si(m.b, n);
  arb_sqrt(m.b, m.b, 256);
  arb_mul_si(m.b, m.b, n, 256);
  arb_mul(m.b, m.b, t.b, 256);
  return m;
}

certbound::Enclosure enclosure_of(const std::string& lo, const std::string& hi) {
  certbound::Enclosure e{certbound::BigFloat(256), certbound::BigFloat(256)};
  mpfr_set_str(e.lo.get(), lo.c_str(), 10, MPFR_RNDD);
  mpfr_set_str(e.hi.get(), hi.c_str(), 10, MPFR_RNDU);
  return e;
}

const json* result_for(const json& doc, const std::string& id) {
  for (const auto& r : doc.at("results"))
    if (r.at("id") == id) return &r;
  return nullptr;
}

}  // namespace

TEST_SUITE("results") {

TEST_CASE("sweep writes the CSV and a page that parses with one plot per obligation and the right series") {
  const std::string dir = scratch_dir("sweep");
  const auto r = run_cli("sweep lip_x.f thm.shift_x id.gradient --R 4,5 --n 2,4 --d 2 --samples 4 --search 50 "
                         "--out " + dir + "/out",
                         dir);
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);

  const auto rows = read_csv(dir + "/out/results.csv");
  CHECK(rows.size() == 3 * 2 * 2);  // obligations × R × n
  int checked = 0;
  for (const auto& row : rows) {
    if (row.at("id") != "thm.shift_x") continue;
    // The certified paper constant encloses M computed independently by Arb.
    const int n = std::stoi(row.at("n")), rr = std::stoi(row.at("R"));
    CAPTURE(n);
    CAPTURE(rr);
    CHECK(certbound::oracle::encloses(enclosure_of(row.at("paper_constant_lo"), row.at("paper_constant_hi")), arb_m(n, rr)));
    // log10 M = 1.5 log10 n + 10R²/ln 10.
    CHECK(std::stod(row.at("log10_paper_constant")) ==
          doctest::Approx(1.5 * std::log10(n) + 10.0 * rr * rr / std::log(10.0)).epsilon(1e-9));
    CHECK(row.at("chain_constant_expression") == "4 n^{1.5} R e^{4R²}");
    CHECK(std::stod(row.at("log10_chain_constant")) ==
          doctest::Approx(std::log10(4.0 * n * std::sqrt(n) * rr) + 4.0 * rr * rr / std::log(10.0)).epsilon(1e-9));
    CHECK(row.at("verdict") == "holds");
    ++checked;
  }
  CHECK(checked == 4);

  // The page is well-formed XHTML: an XML parser accepts it.
  CHECK(run_shell("xmllint --noout " + dir + "/out/report.html 2>" + dir + "/xmllint.err") == 0);
  CAPTURE(slurp(dir + "/xmllint.err"));
  const std::string html = slurp(dir + "/out/report.html");
  size_t plots = 0;
  for (size_t at = html.find("<div class=\"plot\""); at != std::string::npos; at = html.find("<div class=\"plot\"", at + 1))
    ++plots;
  CHECK(plots == 2);  // id.gradient has no constant to plot
  const std::string shift = plot_of(html, "thm.shift_x"), sharp = plot_of(html, "lip_x.f");
  REQUIRE(!shift.empty());
  REQUIRE(!sharp.empty());
  for (const std::string* svg : {&shift, &sharp}) {
    CHECK(svg->find("<svg") != std::string::npos);
    CHECK(svg->find("paper constant") != std::string::npos);
    CHECK(svg->find("best certified witness") != std::string::npos);
  }
  CHECK(shift.find("chain constant") != std::string::npos);
  CHECK(sharp.find("chain constant") == std::string::npos);
  // Both panels: against R and against n.
  CHECK(shift.find("R (n = 2, d = 2)") != std::string::npos);
  CHECK(shift.find("n (R = 4, d = 2)") != std::string::npos);
  // The plotted data: the R slice at n = 2 has both radii.
  const std::string by_r = slurp(dir + "/out/plots/thm.shift_x.by_R.dat");
  CHECK(by_r.find("\n4 ") != std::string::npos);
  CHECK(by_r.find("\n5 ") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/out/steps.csv"));  // only with --steps
}

TEST_CASE("sweep --steps writes a row per step and grid point and one steps plot per derivation") {
  const std::string dir = scratch_dir("sweep-steps");
  const auto r = run_cli("sweep sharp.shift_x fact.exp_near_one thm.absorb id.gradient --R 2,4 --n 2,4 --d 2 --samples 4 "
                         "--search 50 --steps --out " + dir + "/out",
                         dir);
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  const auto rows = read_csv(dir + "/out/steps.csv");
  // Steps (the last comparison included): sharp.shift_x 5, fact.exp_near_one 4, thm.absorb 2;
  // id.gradient has no derivation. Grid: R ∈ {2, 4} × n ∈ {2, 4}.
  const std::map<std::string, int> steps = {{"sharp.shift_x", 5}, {"fact.exp_near_one", 4}, {"thm.absorb", 2}};
  CHECK(rows.size() == (5 + 4 + 2) * 2 * 2);
  std::map<std::string, std::set<int>> seen;  // "id R n" → step indices
  int identities = 0, left_out = 0;
  for (const auto& row : rows) {
    CAPTURE(row.at("id"));
    CAPTURE(row.at("R"));
    CAPTURE(row.at("step"));
    REQUIRE(steps.count(row.at("id")) == 1);
    CHECK(row.at("d") == "2");
    seen[row.at("id") + " " + row.at("R") + " " + row.at("n")].insert(std::stoi(row.at("step")));
    if (row.at("slack_lo").empty()) {
      // No slack: left out of the plot, and the note says so (thm.absorb needs R ≥ 4: no case at R = 2).
      CHECK(row.at("slack_hi").empty());
      CHECK(row.at("note").rfind("left out of the plot: ", 0) == 0);
      ++left_out;
      continue;
    }
    CHECK(row.at("note").empty());
    const double lo = std::stod(row.at("slack_lo")), hi = std::stod(row.at("slack_hi"));
    CHECK(lo <= hi);
    CHECK(hi >= 1);  // every step holds at the witness
    const std::string& why = row.at("justification");
    if (why == "algebra" || why == "the right side, up to algebra") {
      ++identities;  // an exact identity: Eⱼ₊₁/Eⱼ = 1 lies in the certified slack
      CHECK(lo <= 1);
    }
  }
  CHECK(identities >= 4 * (2 + 2 + 1) - 2);  // thm.absorb's at R = 2 are left out
  CHECK(left_out == 2 * 2);                 // thm.absorb's two steps at R = 2, both n
  for (const auto& entry : steps)  // named copies: clang cannot CAPTURE structured bindings
    for (const char* point : {" 2 2", " 2 4", " 4 2", " 4 4"}) {
      const std::string& id = entry.first;
      const auto count = entry.second;
      CAPTURE(id + point);
      CHECK(seen[id + point].size() == static_cast<size_t>(count));
      CHECK(*seen[id + point].rbegin() == count);
    }
  // thm.absorb loses e^{6R²}/(4R) in its one inequality step: about 10^40.5 at R = 4.
  for (const auto& row : rows)
    if (row.at("id") == "thm.absorb" && row.at("R") == "4" && row.at("step") == "1")
      CHECK(std::log10(std::stod(row.at("slack_lo"))) == doctest::Approx(96 / std::log(10.0) - std::log10(16.0)).epsilon(1e-6));

  // One steps plot per obligation with a derivation, its lines named by the steps; the data has nan
  // where a step is left out.
  CHECK(run_shell("xmllint --noout " + dir + "/out/report.html 2>" + dir + "/xmllint.err") == 0);
  const std::string html = slurp(dir + "/out/report.html");
  for (const auto& entry : steps) {
    const std::string& id = entry.first;
    CAPTURE(id);
    const size_t at = html.find("<div class=\"steps-plot\" id=\"steps-" + id + "\">");
    REQUIRE(at != std::string::npos);
    CHECK(html.find("<svg", at) < html.find("</div>", at));
  }
  CHECK(html.find("steps-id.gradient") == std::string::npos);
  const std::string shift = html.substr(html.find("id=\"steps-sharp.shift_x\""));
  CHECK(shift.find("step 2: obligation sharp.lip_x.f") < shift.find("</div>"));
  CHECK(shift.find("end: the right side, up to algebra") < shift.find("</div>"));
  const std::string absorb = slurp(dir + "/out/plots/thm.absorb.steps.dat");
  CHECK(absorb.find("\n2 nan nan\n") != std::string::npos);
  CHECK(absorb.find("\n4 40.") != std::string::npos);
}

TEST_CASE("sweep without gnuplot still writes the data and the script and a page that says so") {
  const std::string dir = scratch_dir("sweep-nognuplot");
  const int code = run_shell("PATH=/nonexistent " + std::string(CERTBOUND_BINARY) +
                             " sweep thm.shift_x --R 4,5 --n 2 --d 1 --samples 2 --search 10 --out " + dir +
                             "/out >" + dir + "/o 2>" + dir + "/e");
  CAPTURE(slurp(dir + "/e"));
  CHECK(code == 0);
  CHECK(slurp(dir + "/e").find("gnuplot is not installed") != std::string::npos);
  CHECK(std::filesystem::exists(dir + "/out/plots.gp"));
  CHECK(std::filesystem::exists(dir + "/out/results.csv"));
  const std::string html = slurp(dir + "/out/report.html");
  CHECK(html.find("plots not drawn") != std::string::npos);
  CHECK(html.find("<svg") == std::string::npos);
}

TEST_CASE("sweep --tighten encloses the known best constants and draws them as a band") {
  // At d = 2 the best constants are known exactly: R/2 for lip_x.f (the bound ½‖A‖ is reached as
  // x → y with p → (½, ½, 0, …)) and ½ for sharp.lip_x.f on its box. A certified enclosure must
  // contain them, whatever the budget; this one is also narrow.
  const std::string dir = scratch_dir("sweep-tighten");
  const auto r = run_cli("sweep lip_x.f sharp.lip_x.f id.gradient --R 4,5 --n 2,3 --d 2 --samples 8 --search 400 --tighten "
                         "--out " + dir + "/out",
                         dir);
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  int enclosed = 0;
  for (const auto& row : read_csv(dir + "/out/results.csv")) {
    const std::string id = row.at("id");
    CAPTURE(id);
    const std::string R = row.at("R");
    CAPTURE(R);
    if (id == "id.gradient") {
      CHECK(row.at("best_lo").empty());
      CHECK(row.at("best_note") == "no proof form");
      continue;
    }
    const double lo = std::stod(row.at("best_lo")), hi = std::stod(row.at("best_hi"));
    const double exact = id == "lip_x.f" ? std::stod(R) / 2 : 0.5;
    CHECK(lo <= exact);
    CHECK(exact <= hi);
    CHECK(hi / lo <= 1.011);
    ++enclosed;
  }
  CHECK(enclosed == 2 * 2 * 2);
  const std::string gp = slurp(dir + "/out/plots.gp");
  CHECK(gp.find("using 1:5:6 with filledcurves") != std::string::npos);
  CHECK(slurp(dir + "/out/report.html").find("best constant C* ∈ [lo, hi]") != std::string::npos);
  for (const char* bad : {"--tighten-boxes 0", "--tighten-target 1", "--tighten-target nan"}) {
    CAPTURE(bad);
    const auto b = run_cli(std::string("sweep lip_x.f --tighten --out ") + dir + "/bad " + bad, dir);
    CHECK(b.code == 2);
    CHECK(certbound::test::line_count(b.err) == 1);
  }
}

TEST_CASE("sweep rejects bad grids with exit 2") {
  for (const char* args : {"sweep all --R 4,,5 --out /tmp/x", "sweep all --n 2,x --out /tmp/x", "sweep all --R -1 --out /tmp/x",
                           "sweep all --n 0 --out /tmp/x", "sweep nosuch.id --out /tmp/x", "sweep all --R 4"}) {
    CAPTURE(args);
    const auto r = run_cli(args);
    CHECK(r.code == 2);
    CHECK(certbound::test::line_count(r.err) == 1);
  }
}

TEST_CASE("the example data set is what the generator makes") {
  const std::string dir = scratch_dir("example-data");
  const auto r = run_cli("example-data --out " + dir + "/gen", dir);
  REQUIRE(r.code == 0);
  for (const char* f : {"A.npy", "A_next.npy", "x.npy", "y.npy", "b.npy", "example.json"}) {
    CAPTURE(f);
    CHECK(slurp(dir + "/gen/" + f) == slurp(kData + "/" + f));
  }
}

TEST_CASE("check on users' data certifies every hypothesis with its quantity and the margins") {
  const std::string dir = scratch_dir("data-check");
  const std::string eta = json::parse(slurp(kData + "/example.json")).at("eta");
  const auto r = run_cli("check all" + data_args() + " --R 4 --eta " + eta + " --json " + dir + "/r.json", dir);
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  const json doc = json::parse(slurp(dir + "/r.json"));
  CHECK(doc.at("schema_version") == 1);
  CHECK(doc.at("command") == "check-data");
  CHECK(doc.at("inputs").at("A").at("rows") == 16);
  CHECK(doc.at("inputs").at("A").at("cols") == 8);
  // Applicable statements hold on the data, with every hypothesis certainly true.
  for (const char* id : {"lip_x.f", "lip_x.u", "lip_a.f", "thm.shift_x", "thm.shift_a", "dls23.hessian_lip", "sharp.lip_x.f"}) {
    CAPTURE(id);
    const json* res = result_for(doc, id);
    REQUIRE(res != nullptr);
    CHECK(res->at("verdict") == "holds");
    CHECK(res->at("margin").is_array());
    for (const auto& h : res->at("hypotheses")) {
      CAPTURE(h.at("name").get<std::string>());
      CHECK(h.at("status") == "holds");
    }
  }
  // Statements about other inputs are not applicable, and say what they need.
  const json* fact = result_for(doc, "fact.exp_near_one");
  REQUIRE(fact != nullptr);
  CHECK(fact->at("verdict") == "not applicable");
  // The reported ‖x‖₂ encloses the value Arb computes from the file.
  const Eigen::MatrixXd x = certbound::io::read_matrix(kData + "/x.npy", true);
  certbound::oracle::Ball norm, t;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    arb_set_d(t.b, x(i));
    arb_mul(t.b, t.b, t.b, 256);
    arb_add(norm.b, norm.b, t.b, 256);
  }
  arb_sqrt(norm.b, norm.b, 256);
  bool found = false;
  for (const auto& h : result_for(doc, "lip_x.f")->at("hypotheses")) {
    if (h.at("quantity") != "‖x‖₂") continue;
    found = true;
    CHECK(certbound::oracle::encloses(enclosure_of(h.at("value")[0], h.at("value")[1]), norm));
  }
  CHECK(found);
  CHECK(r.out.find("‖A(x − y)‖_∞ ∈") != std::string::npos);
}

TEST_CASE("a hypothesis that certainly fails on users' data is exit 4 and says which") {
  const std::string dir = scratch_dir("data-fails");
  const auto r = run_cli("check lip_x.f" + data_args() + " --R 2 --json " + dir + "/r.json", dir);
  CAPTURE(r.out);
  CHECK(r.code == 4);
  const json doc = json::parse(slurp(dir + "/r.json"));
  const json* res = result_for(doc, "lip_x.f");
  REQUIRE(res != nullptr);
  CHECK(res->at("verdict") == "hypothesis fails");
  bool norm_fails = false;
  for (const auto& h : res->at("hypotheses"))
    if (h.at("name") == "‖A‖ ≤ R") norm_fails = h.at("status") == "fails";
  CHECK(norm_fails);  // the data has ‖A‖ = 3
}

TEST_CASE("a certified violation on users' data is exit 1") {
  // n = 2, d = 1, p = (½, ½) at y: ‖f(x) − f(y)‖₂ ≈ ½‖A(x − y)‖₂ > ¼‖A(x − y)‖₂ (scale ½).
  const std::string dir = scratch_dir("data-violated");
  std::ofstream(dir + "/A.csv") << "1\n-1\n";
  std::ofstream(dir + "/x.csv") << "0.001\n";
  std::ofstream(dir + "/y.csv") << "0\n";
  const auto r = run_cli("check sharp.lip_x.f --A " + dir + "/A.csv --x " + dir + "/x.csv --y " + dir + "/y.csv --scale 0.5", dir);
  CAPTURE(r.out);
  CHECK(r.code == 1);
  CHECK(r.out.find("violated") != std::string::npos);
}

TEST_CASE("users' data with wrong shapes or missing inputs or bad files is exit 2 with one line") {
  const std::string dir = scratch_dir("data-bad");
  std::ofstream(dir + "/x3.csv") << "1\n2\n3\n";
  std::ofstream(dir + "/nan.csv") << "1\nnan\n";
  const std::string a = " --A " + kData + "/A.npy";
  struct Bad {
    std::string args, needle;
  };
  std::ofstream(dir + "/A15.csv") << [] {
    std::string rows;
    for (int i = 0; i < 15; ++i) rows += "0,0,0,0,0,0,0,0\n";
    return rows;
  }();
  const std::string x = " --x " + kData + "/x.npy";
  for (const Bad& b : {Bad{"check lip_x.f" + a + " --x " + dir + "/x3.csv --y " + kData + "/y.npy", "x has 3 entries"},
                       // 'all' used to drop the obligations that did not fit, silently, with exit 0
                       Bad{"check all" + a + " --x " + dir + "/x3.csv", "x3.csv: x has 3 entries but A has 8 columns"},
                       Bad{"check all" + a + x + " --A-next " + dir + "/A15.csv", "A_{t+1} has 15×8 but A is 16×8"},
                       Bad{"check all" + a + x + " --b " + kData + "/x.npy", "b has 8 entries but A has 16 rows"},
                       Bad{"check all" + a + x + " --markdown " + dir + "/m.md", "--markdown is not available"},
                       Bad{"check all" + a + x + " --junit " + dir + "/j.xml", "--junit is not available"},
                       Bad{"check all" + a + x + " --steps", "--steps is not available"},
                       Bad{"check all" + a + x + " --counterexamples " + dir + "/cx", "--counterexamples is not available"},
                       Bad{"check lip_x.f --x " + kData + "/x.npy", "needs the matrix A"},
                       Bad{"check lip_x.f" + a + " --x " + dir + "/nosuch.csv", "nosuch.csv"},
                       Bad{"check lip_x.f" + a + " --x " + dir + "/nan.csv --y " + kData + "/y.npy", "nan.csv"}}) {
    CAPTURE(b.args);
    const auto r = run_cli(b.args, dir);
    CAPTURE(r.err);
    CHECK(r.code == 2);
    CHECK(certbound::test::line_count(r.err) == 1);
    CHECK(r.err.find(b.needle) != std::string::npos);
  }
}

TEST_CASE("on users' data an obligation that is not about it is listed as not applicable, with the reason") {
  const std::string dir = scratch_dir("data-not-applicable");
  const std::string eta = json::parse(slurp(kData + "/example.json")).at("eta");
  // fact.inv_diff's b is a number, the data's b the target vector: neither an error nor dropped.
  const auto r = run_cli("check fact.inv_diff lip_x.f thm.shift_x" + data_args() + " --R 4 --eta " + eta + " --json " +
                             dir + "/r.json",
                         dir);
  CAPTURE(r.out);
  CAPTURE(r.err);
  CHECK(r.code == 0);
  const json doc = json::parse(slurp(dir + "/r.json"));
  const json* inv = result_for(doc, "fact.inv_diff");
  REQUIRE(inv != nullptr);
  CHECK(inv->at("verdict") == "not applicable");
  CHECK(inv->at("not_applicable_because").get<std::string>().find("not about the data") != std::string::npos);
  CHECK(result_for(doc, "lip_x.f")->at("verdict") == "holds");
  CHECK(r.out.find("fact.inv_diff           not applicable (") != std::string::npos);
  // The same summary line as without data, with the count of statements that do not apply.
  CHECK(r.out.find("3 obligations: 0 violated, 0 undecided cases. 1 not applicable") != std::string::npos);
  // thm.shift_x takes x_{t+1} from x and η: its hypotheses say so, and --y is named as unused.
  CHECK(r.out.find("‖x_{t+1}‖₂ ≤ R") != std::string::npos);
  CHECK(r.out.find("‖A(x_t − x_{t+1})‖_∞ < 1/100") != std::string::npos);
  CHECK(r.out.find("--y is not used by this statement") != std::string::npos);
  // Only lip_x.f without --y: listed as needing it, exit 0 (nothing certified is wrong).
  const auto one = run_cli("check lip_x.f --A " + kData + "/A.npy --x " + kData + "/x.npy", dir);
  CHECK(one.code == 0);
  CHECK(one.out.find("lip_x.f                 not applicable (needs --y)") != std::string::npos);
  CHECK(one.out.find("1 obligation: 0 violated, 0 undecided cases. 1 not applicable") != std::string::npos);
}

TEST_CASE("dls23.hessian_lip holds on its domain and the bound on b is what makes it true") {
  using namespace certbound;
  const Obligation* ob = find_obligation("dls23.hessian_lip");
  REQUIRE(ob != nullptr);
  CHECK(ob->meta().provenance == "reconstructed");
  // Outside the R ≥ 4 regime the constant n² e^{40R²} is small enough to see the role of b: with
  // b = 10⁶e₁ the inequality itself fails (margin certainly < 0) and so does ‖b‖₁ ≤ 1; with b on
  // the simplex, at the same A, x, y, it holds.
  Settings s;
  s.n = 2;
  s.d = 1;
  s.R = "0.1";
  Case c;
  c.inputs[input::A] = Eigen::MatrixXd{{1.0}, {-1.0}};
  c.inputs[input::x] = Eigen::MatrixXd{{0.05}};
  c.inputs[input::y] = Eigen::MatrixXd{{0.0}};
  auto margin_and_b_bound = [&](double b0) {
    c.inputs[input::b] = Eigen::MatrixXd{{b0}, {0.0}};
    const auto e = ob->evaluate(c, Params<Interval>::from(s));
    const Interval margin = e.constant * e.factor - e.lhs;
    Interval b_slack(0);
    for (const auto& h : e.hypotheses)
      if (h.name == "‖b‖₁ ≤ 1") b_slack = h.slack;
    return std::pair{margin, b_slack};
  };
  const auto [big_margin, big_slack] = margin_and_b_bound(1e6);
  CHECK(big_margin.upper() < 0);
  CHECK(big_slack.upper() < 0);
  const auto [small_margin, small_slack] = margin_and_b_bound(1.0);
  CHECK(small_margin.lower() > 0);
  CHECK(small_slack.lower() >= 0);

  const auto r = run_cli("check dls23.hessian_lip --n 4 --d 2");
  CAPTURE(r.out);
  CHECK(r.code == 0);
  CHECK(r.out.find("dls23.hessian_lip") != std::string::npos);
}

TEST_CASE("ci passes on matching expectations and reports improvements and fails on each kind of regression") {
  const std::string dir = scratch_dir("ci");
  auto plan = [](const std::string& verdict, double ratio, const std::string& proof_status) {
    return json{{"schema_version", 1},
                {"checks", json::array({{{"name", "t"},
                                         {"ids", {"sharp.lip_x.f"}},
                                         {"settings", {{"n", 2}, {"d", 1}, {"R", "4"}}},
                                         {"samples", 8},
                                         {"search", 200},
                                         {"seed", 1},
                                         {"results", {{"sharp.lip_x.f", {{"verdict", verdict}, {"witness_ratio_lower", ratio}}}}}}})},
                {"proofs", json::array({{{"id", "sharp.softmax_jacobian"},
                                         {"settings", {{"n", 2}, {"d", 1}, {"R", "4"}}},
                                         {"max_boxes", 1000},
                                         {"status", proof_status}}})}};
  };
  auto run = [&](const json& doc, const std::string& extra = "") {
    std::ofstream(dir + "/e.json") << doc.dump(2);
    return run_cli("ci --expected " + dir + "/e.json --junit " + dir + "/ci.xml" + extra, dir);
  };
  {  // matching (a lower expected ratio is an improvement, not a failure)
    const auto r = run(plan("holds", 0.5, "proved-on-box"));
    CAPTURE(r.out);
    CHECK(r.code == 0);
    CHECK(r.out.find("improved") != std::string::npos);
    const std::string xml = slurp(dir + "/ci.xml");
    CHECK(xml.find("name=\"check t sharp.lip_x.f\"") != std::string::npos);
    CHECK(xml.find("name=\"prove sharp.softmax_jacobian n=2 d=1 R=4\"") != std::string::npos);
    CHECK(xml.find("<failure") == std::string::npos);
  }
  {  // the witness ratio dropped
    const auto r = run(plan("holds", 1.5, "proved-on-box"));
    CAPTURE(r.out);
    CHECK(r.code == 1);
    CHECK(r.out.find("REGRESSION") != std::string::npos);
    CHECK(r.out.find("witness ratio") != std::string::npos);
    CHECK(slurp(dir + "/ci.xml").find("<failure") != std::string::npos);
  }
  {  // the verdict changed (an expected violation is no longer found)
    const auto r = run(plan("violated", 0.5, "proved-on-box"));
    CAPTURE(r.out);
    CHECK(r.code == 1);
    CHECK(r.out.find("verdict violated → holds") != std::string::npos);
  }
  {  // the proof status changed
    const auto r = run(plan("holds", 0.5, "refuted"));
    CAPTURE(r.out);
    CHECK(r.code == 1);
    CHECK(r.out.find("status refuted → proved-on-box") != std::string::npos);
  }
  {  // a proof of the box only never counts as a proof of the statement (z ∈ ℝⁿ here)
    const auto r = run(plan("holds", 0.5, "proved"));
    CAPTURE(r.out);
    CHECK(r.code == 1);
    CHECK(r.out.find("status proved → proved-on-box") != std::string::npos);
    CHECK(r.out.find("proofs: 1 proved-on-box") != std::string::npos);
  }
  {  // an obligation without expected results fails until --update records it
    json doc = plan("holds", 0.5, "proved-on-box");
    doc["checks"][0]["ids"] = {"sharp.lip_x.f", "dls23.hessian_lip"};
    auto r = run(doc);
    CHECK(r.code == 1);
    CHECK(r.out.find("new obligation") != std::string::npos);
    r = run_cli("ci --update --expected " + dir + "/e.json", dir);
    CAPTURE(r.out);
    CHECK(r.code == 0);
    const json updated = json::parse(slurp(dir + "/e.json"));
    const json& results = updated.at("checks")[0].at("results");
    CHECK(results.at("dls23.hessian_lip").at("verdict") == "holds");
    CHECK(results.at("sharp.lip_x.f").at("witness_ratio_lower").get<double>() > 0.9);
    CHECK(updated.at("proofs")[0].at("status") == "proved-on-box");
    r = run_cli("ci --expected " + dir + "/e.json", dir);
    CHECK(r.code == 0);
  }
  {  // malformed expectations are bad input
    std::ofstream(dir + "/bad.json") << R"({"schema_version": 1, "checks": [{"name": "x"}], "proofs": []})";
    const auto r = run_cli("ci --expected " + dir + "/bad.json", dir);
    CHECK(r.code == 2);
    CHECK(r.err.find("lacks 'settings'") != std::string::npos);
    std::ofstream(dir + "/bad2.json") << R"({"schema_version": 1, "proofs": [], "checks": [{"name": "x", "ids": ["all"],
        "settings": {"n": 2, "d": 1, "R": "4"}, "samples": "many"}]})";
    const auto r2 = run_cli("ci --expected " + dir + "/bad2.json", dir);
    CHECK(r2.code == 2);
    CHECK(certbound::test::line_count(r2.err) == 1);
  }
}

TEST_CASE("ci fails when an all-n proof regresses or a derivation is accepted below the sharp constant") {
  const std::string dir = scratch_dir("ci-all-n");
  auto plan = [](const std::string& at_one, const std::string& at_teeth) {
    return json{{"schema_version", 1}, {"checks", json::array()}, {"proofs", json::array()},
                {"all_n", json::array({{{"name", "all-n"}, {"ids", {"sharp.gd_step"}}, {"scale", "1"},
                                        {"results", {{"sharp.gd_step", at_one}}}},
                                       {{"name", "teeth"}, {"ids", {"sharp.gd_step"}}, {"scale", "0.999"},
                                        {"results", {{"sharp.gd_step", at_teeth}}}}})}};
  };
  auto run = [&](const json& doc) {
    std::ofstream(dir + "/e.json") << doc.dump(2);
    return run_cli("ci --expected " + dir + "/e.json", dir);
  };
  auto r = run(plan("proved", "undetermined"));
  CAPTURE(r.out);
  CHECK(r.code == 0);
  CHECK(r.out.find("all-n: 1 proved") != std::string::npos);
  r = run(plan("proved", "proved"));  // the kernel would have accepted ηR/2 · 0.999: a regression
  CHECK(r.code == 1);
  CHECK(r.out.find("all-n status proved → undetermined") != std::string::npos);
  r = run(plan("undetermined", "undetermined"));  // a new all-n proof is progress
  CHECK(r.code == 0);
  CHECK(r.out.find("improvements") != std::string::npos);
}

TEST_CASE("the shipped expected results cover every registered obligation") {
  const json doc = json::parse(slurp(std::string(CERTBOUND_SOURCE_DIR) + "/proofs/expected.json"));
  for (const auto& run : doc.at("checks")) {
    if (run.at("ids") != json::array({"all"})) continue;
    for (const certbound::Obligation* ob : certbound::all_obligations()) {
      CAPTURE(ob->meta().id);
      CHECK(run.at("results").contains(ob->meta().id));
    }
  }
  // ... and every all-n derivation, at scale 1 (proved) and below the sharp constants (not proved).
  REQUIRE(doc.contains("all_n"));
  for (const auto& run : doc.at("all_n"))
    for (const certbound::Obligation* ob : certbound::all_obligations())
      if (ob->derivation()) {
        CAPTURE(ob->meta().id);
        CHECK(run.at("results").at(ob->meta().id) == (run.at("scale") == "1" ? "proved" : "undetermined"));
      }
}

TEST_CASE("prove --junit writes the obligation as one test case") {
  const std::string dir = scratch_dir("prove-junit");
  auto r = run_cli("prove lip_x.f --n 2 --d 1 --junit " + dir + "/p.xml", dir);
  CHECK(r.code == 0);
  std::string xml = slurp(dir + "/p.xml");
  CHECK(xml.find("tests=\"1\"") != std::string::npos);
  CHECK(xml.find("name=\"lip_x.f\"") != std::string::npos);
  CHECK(xml.find("<failure") == std::string::npos);
  // A proof of a box only is not a passing proof of the statement.
  r = run_cli("prove sharp.softmax_jacobian --n 2 --d 1 --junit " + dir + "/p.xml", dir);
  CHECK(r.code == 5);
  xml = slurp(dir + "/p.xml");
  CHECK(xml.find("name=\"sharp.softmax_jacobian\"") != std::string::npos);
  CHECK(xml.find("<failure message=\"proved-on-box") != std::string::npos);
  r = run_cli("prove sharp.softmax_jacobian --n 2 --d 1 --scale 0.99 --junit " + dir + "/p.xml --counterexamples " + dir, dir);
  CHECK(r.code == 1);
  xml = slurp(dir + "/p.xml");
  CHECK(xml.find("<failure message=\"refuted") != std::string::npos);
}

}  // TEST_SUITE
