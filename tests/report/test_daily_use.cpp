// Daily use: numbers beyond the double range printed in log form and checked against Arb; progress
// lines on stderr (and none with --quiet); the sweep page's summary, contents, Unicode statements and
// plots, and the page rendered by headless Chromium (skipped with a printed reason without it).
#include <arb.h>
#include <doctest/doctest.h>
#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "certbound/oracle/arb.hpp"
#include "certbound/report/report.hpp"
#include "certbound/report/sweep.hpp"
#include "run_cli.hpp"

using certbound::test::run_cli;
using certbound::test::scratch_dir;
using certbound::test::slurp;
using nlohmann::json;

namespace {

int run_in_shell(const std::string& command) {
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// log10 M, M = n^{1.5} e^{10R²}, by Arb at 256 bits: 1.5 log10 n + 10R² / ln 10.
certbound::oracle::Ball arb_log10_m(int n, long long r) {
  certbound::oracle::Ball out, t, ln10;
  arb_set_si(ln10.b, 10);
  arb_log(ln10.b, ln10.b, 256);
  arb_set_si(t.b, n);
  arb_log(t.b, t.b, 256);
  arb_mul_2exp_si(t.b, t.b, -1);
  arb_mul_si(t.b, t.b, 3, 256);  // 1.5 ln n
  arb_set_si(out.b, r);
  arb_mul(out.b, out.b, out.b, 256);
  arb_mul_si(out.b, out.b, 10, 256);  // 10R²
  arb_add(out.b, out.b, t.b, 256);
  arb_div(out.b, out.b, ln10.b, 256);
  return out;
}

double ball_mid(const certbound::oracle::Ball& b) { return arf_get_d(arb_midref(b.b), ARF_RND_NEAR); }

/// The whitespace-separated fields of the table row of `id` (the terminal table of check).
std::vector<std::string> row_of(const std::string& table, const std::string& id) {
  std::istringstream in(table);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(id + " ", 0) == 0) {
      std::istringstream f(line);
      std::vector<std::string> out;
      for (std::string w; f >> w;) out.push_back(w);
      return out;
    }
  return {};
}

/// x of a printed "10^x".
double exponent_of(const std::string& text) {
  REQUIRE(text.rfind("10^", 0) == 0);
  return std::stod(text.substr(3));
}

/// log10 of a printed positive number: "10^x", or "m.mmme-N" (MPFR's notation, any exponent).
double log10_of(const std::string& text) {
  if (text.rfind("10^", 0) == 0) return exponent_of(text);
  const size_t e = text.find('e');
  const double mantissa = std::stod(text.substr(0, e));
  REQUIRE(mantissa > 0);
  return std::log10(mantissa) + (e == std::string::npos ? 0.0 : std::stod(text.substr(e + 1)));
}

/// "inf" as a word (not inside an id such as bounds.u_inf).
bool has_inf(const std::string& text) { return std::regex_search(text, std::regex("(^|[^_a-z])inf([^a-z]|$)")); }

/// Nothing a double's range would have produced: no inf, nan, subnormal-looking e-3xx, bare 0.
void check_no_range_artefacts(const std::vector<std::string>& row) {
  for (const auto& field : row) {
    CAPTURE(field);
    CHECK(!has_inf(field));
    CHECK(field.find("nan") == std::string::npos);
    CHECK(!std::regex_search(field, std::regex("e-3[0-9][0-9]$")));
  }
}

/// A PNG's pixels (8-bit RGB or RGBA, not interlaced, as Chromium writes its screenshots).
struct Image {
  std::uint32_t width = 0, height = 0;
  int channels = 0;
  std::vector<std::uint8_t> pixels;  ///< row-major, `channels` bytes per pixel
};

std::uint32_t be32(const std::string& b, size_t at) {
  return (std::uint32_t(std::uint8_t(b[at])) << 24) | (std::uint32_t(std::uint8_t(b[at + 1])) << 16) |
         (std::uint32_t(std::uint8_t(b[at + 2])) << 8) | std::uint32_t(std::uint8_t(b[at + 3]));
}

Image read_png(const std::string& bytes) {
  Image img;
  REQUIRE(bytes.size() > 33);
  REQUIRE(bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
  std::string idat;
  int colour = -1;
  for (size_t at = 8; at + 8 <= bytes.size();) {
    const std::uint32_t length = be32(bytes, at);
    const std::string type = bytes.substr(at + 4, 4);
    REQUIRE(at + 12 + length <= bytes.size());
    if (type == "IHDR") {
      img.width = be32(bytes, at + 8);
      img.height = be32(bytes, at + 12);
      REQUIRE(std::uint8_t(bytes[at + 16]) == 8);  // bit depth
      colour = std::uint8_t(bytes[at + 17]);
      REQUIRE(std::uint8_t(bytes[at + 20]) == 0);  // not interlaced
    } else if (type == "IDAT") {
      idat += bytes.substr(at + 8, length);
    }
    at += 12 + length;
  }
  REQUIRE((colour == 2 || colour == 6));
  img.channels = colour == 2 ? 3 : 4;
  const size_t stride = size_t(img.width) * img.channels;
  std::vector<std::uint8_t> raw((stride + 1) * img.height);
  uLongf raw_size = raw.size();
  REQUIRE(uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) == Z_OK);
  REQUIRE(raw_size == raw.size());
  img.pixels.assign(stride * img.height, 0);
  const int bpp = img.channels;
  for (std::uint32_t y = 0; y < img.height; ++y) {
    const std::uint8_t filter = raw[y * (stride + 1)];
    const std::uint8_t* in = &raw[y * (stride + 1) + 1];
    std::uint8_t* out = &img.pixels[y * stride];
    const std::uint8_t* up = y ? &img.pixels[(y - 1) * stride] : nullptr;
    for (size_t i = 0; i < stride; ++i) {
      const int a = i >= size_t(bpp) ? out[i - bpp] : 0, b = up ? up[i] : 0, c = up && i >= size_t(bpp) ? up[i - bpp] : 0;
      int v = in[i];
      switch (filter) {
        case 0: break;
        case 1: v += a; break;
        case 2: v += b; break;
        case 3: v += (a + b) / 2; break;
        case 4: {
          const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          v += pa <= pb && pa <= pc ? a : (pb <= pc ? b : c);
          break;
        }
        default: FAIL("PNG filter " << int(filter));
      }
      out[i] = static_cast<std::uint8_t>(v);
    }
  }
  return img;
}

/// The page without its inlined SVG plots (gnuplot's own text inside them is not the page's).
std::string without_svg(std::string html) {
  for (size_t at; (at = html.find("<svg")) != std::string::npos;) {
    const size_t end = html.find("</svg>", at);
    REQUIRE(end != std::string::npos);
    html.erase(at, end + 6 - at);
  }
  return html;
}

size_t count_of(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_SUITE("daily use") {

TEST_CASE("check at R = 50: constants, ratios and witnesses far below and above the double range, in log form") {
  const std::string dir = scratch_dir("r50");
  const auto r = run_cli("check thm.shift_x lip_x.f --R 50 --samples 4 --search 40 --json " + dir + "/r.json --markdown " +
                             dir + "/r.md",
                         dir);
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  const auto row = row_of(r.out, "thm.shift_x");
  REQUIRE(row.size() == 9);  // id verdict cases ratio paper chain witness slack time
  check_no_range_artefacts(row);
  // The paper constant M = 8^{1.5} e^{25000}: its printed log10 agrees with Arb's to 2 decimals.
  const double m = ball_mid(arb_log10_m(8, 50));
  CHECK(std::fabs(exponent_of(row[4]) - m) <= 0.006);
  // The worst ratio (about 10^-10863) is printed from its multiprecision enclosure: never 0.
  CHECK(row[3] != "0");
  CHECK(log10_of(row[3]) < -4000);
  // JSON: the witness ratio is a positive decimal beyond the double range, not 0; the witness
  // constant is that ratio times M.
  const json doc = json::parse(slurp(dir + "/r.json"));
  for (const auto& res : doc.at("results")) {
    if (res.at("id") != "thm.shift_x") continue;
    const json& w = res.at("witness_ratio_lower");
    REQUIRE(w.is_string());
    const std::string text = w.get<std::string>();
    CAPTURE(text);
    const double exponent = std::stod(text.substr(text.find('e') + 1));
    CHECK(exponent < -4000);
    CHECK(std::stod(text.substr(0, text.find('e'))) > 0);
    CHECK(std::fabs(log10_of(row[6]) - (m + log10_of(text))) <= 0.006);
  }
  CHECK(!has_inf(slurp(dir + "/r.md")));
}

TEST_CASE("check at R = 10000 and constants at R = 1e6: finite certified log10 values that agree with Arb") {
  const std::string dir = scratch_dir("r10000");
  const auto r = run_cli("check thm.shift_x --R 10000 --samples 2 --search 10", dir);
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  const auto row = row_of(r.out, "thm.shift_x");
  REQUIRE(row.size() == 9);
  check_no_range_artefacts(row);
  CHECK(std::fabs(exponent_of(row[4]) - ball_mid(arb_log10_m(8, 10000))) <= 0.006);

  const auto c = run_cli("constants --n 8 --R 1e6 --json", dir);
  REQUIRE(c.code == 0);
  const json doc = json::parse(c.out);
  bool seen = false;
  for (const auto& k : doc.at("constants")) {
    CAPTURE(k.dump());
    for (const char* field : {"enclosure", "log10"})
      for (const auto& end : k.at(field)) {
        REQUIRE(end.is_string());
        CHECK(!has_inf(end.get<std::string>()));
      }
    if (k.at("id") != "M") continue;
    seen = true;
    // The certified log10 enclosure, from the multiprecision value, contains Arb's log10 M.
    const auto lo = k.at("log10")[0].get<std::string>(), hi = k.at("log10")[1].get<std::string>();
    certbound::Enclosure e{certbound::BigFloat(256), certbound::BigFloat(256)};
    mpfr_set_str(e.lo.get(), lo.c_str(), 10, MPFR_RNDD);
    mpfr_set_str(e.hi.get(), hi.c_str(), 10, MPFR_RNDU);
    CHECK(certbound::oracle::encloses(e, arb_log10_m(8, 1000000)));
    CHECK(e.width_up() < 1e-3);  // enough digits to mean something
  }
  CHECK(seen);
  const auto text = run_cli("constants --n 8 --R 1e6", dir);
  REQUIRE(text.code == 0);
  CHECK(!has_inf(text.out));
}

TEST_CASE("a column takes one format for all its values") {
  using certbound::Enclosure;
  const Enclosure small = Enclosure::of(2.7e-5, 2.7e-5), tiny = Enclosure::of(1e-300, 1e-300), big = Enclosure::of(4e23, 4e23);
  const auto mixed = certbound::report::number_column({&small, &tiny, &big, nullptr});
  CHECK(mixed[0].rfind("10^-4.57", 0) == 0);
  CHECK(mixed[1] == "10^-300.00");
  CHECK(mixed[2] == "10^23.60");
  CHECK(mixed[3] == "-");
  const Enclosure one = Enclosure::of(1, 1), half = Enclosure::of(0.5, 0.5);
  const auto plain = certbound::report::number_column({&one, &half});
  CHECK(plain[0] == "1");
  CHECK(plain[1] == "0.5");
}

TEST_CASE("check, sweep and stress show progress on stderr when asked, and nothing with --quiet") {
  const std::string dir = scratch_dir("progress");
  const auto check = run_cli("check fact.hadamard lip_x.u --samples 2 --search 10 --progress-seconds 0", dir);
  CAPTURE(check.err);
  REQUIRE(check.code == 0);
  CHECK(check.err.find("2/2 obligations") != std::string::npos);
  CHECK(check.err.find("/s") != std::string::npos);
  const auto quiet = run_cli("check fact.hadamard lip_x.u --samples 2 --search 10 --progress-seconds 0 --quiet", dir);
  CHECK(quiet.code == 0);
  CHECK(quiet.err.empty());
  // Off a terminal the default is one line at most every 10 s: a short run prints none.
  const auto quick = run_cli("check fact.hadamard --samples 2 --search 10", dir);
  CHECK(quick.err.empty());

  const auto sweep = run_cli("sweep fact.hadamard --R 4,5 --n 2 --d 1 --samples 2 --search 10 --progress-seconds 0 --out " +
                                 dir + "/sweep",
                             dir);
  CAPTURE(sweep.err);
  REQUIRE(sweep.code == 0);
  CHECK(sweep.err.find("2/2 obligations × grid points") != std::string::npos);
  const auto sweep_quiet = run_cli("sweep fact.hadamard --R 4,5 --n 2 --d 1 --samples 2 --search 10 --quiet --out " +
                                       dir + "/sweep2",
                                   dir);
  CHECK(sweep_quiet.code == 0);
  CHECK(sweep_quiet.err.find("obligations") == std::string::npos);

  const auto stress = run_cli("stress --cases 3 --types interval --functions softmax --progress-seconds 0", dir);
  CAPTURE(stress.err);
  CHECK(stress.code == 0);
  CHECK(stress.err.find("3/3 cases") != std::string::npos);
  const auto stress_quiet = run_cli("stress --cases 3 --types interval --functions softmax --quiet", dir);
  CHECK(stress_quiet.err.empty());

  for (const char* args : {"check --progress-seconds -1", "sweep --R 4 --progress-seconds 1e9 --out x", "stress --progress-seconds nan"}) {
    CAPTURE(args);
    const auto bad = run_cli(args, dir);
    CHECK(bad.code == 2);
    CHECK(certbound::test::line_count(bad.err) == 1);
  }
}

TEST_CASE("statements on the page are Unicode math, not TeX") {
  using certbound::report::math_html;
  CHECK(math_html("x_{t+1}") == "xₜ₊₁");
  CHECK(math_html("ℝ^d, ℝ^{n×d}") == "ℝᵈ, ℝ<sup>n×d</sup>");
  CHECK(math_html("e^{10R²}") == "e<sup>10R²</sup>");
  CHECK(math_html("n^{1.5}") == "n<sup>1.5</sup>");
  CHECK(math_html("4n^{1.5}R") == "4n<sup>1.5</sup>R");
  CHECK(math_html("‖u(x)‖_∞ ≤ e^{R²}") == "‖u(x)‖<sub>∞</sub> ≤ e<sup>R²</sup>");
  CHECK(math_html("a < b & c") == "a &lt; b &amp; c");
  CHECK(math_html("A_{t+1}") == "Aₜ₊₁");
  CHECK(math_html("sharp constant of lip_x.f, exp_near_one") == "sharp constant of lip_x.f, exp_near_one");
}

TEST_CASE("the sweep page: summary and contents first, definitions once, Unicode statements, one colour per series") {
  const std::string dir = scratch_dir("sweep-page");
  const auto r = run_cli("sweep thm.shift_x sharp.lip_x.f id.gradient --R 4,5 --n 2,4 --d 2 --samples 4 --search 50 "
                         "--quiet --out " + dir + "/out",
                         dir);
  CAPTURE(r.out);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  const std::string html = slurp(dir + "/out/report.html"), text = without_svg(html);
  CHECK(run_in_shell("xmllint --noout " + dir + "/out/report.html") == 0);
  CHECK(text.find("3 obligations checked at 4 grid points: R ∈ {4, 5}, n ∈ {2, 4}, d = 2") != std::string::npos);
  // The summary (one row per obligation, each a link to its section) and the contents come first.
  CHECK(count_of(text, "<tr class=\"summary-row\">") == 3);
  const size_t summary = text.find("id=\"summary-table\""), contents = text.find("<nav id=\"contents\">");
  REQUIRE(summary != std::string::npos);
  REQUIRE(contents != std::string::npos);
  CHECK(summary < text.find("<h2 id=\"thm.shift_x\">"));
  for (const char* id : {"thm.shift_x", "sharp.lip_x.f", "id.gradient"}) {
    CAPTURE(id);
    CHECK(count_of(text, std::string("<a href=\"#") + id + "\">") == 2);  // contents and summary
    CHECK(text.find(std::string("<h2 id=\"") + id + "\">") != std::string::npos);
  }
  // Undecided counts are columns; the two words are defined once.
  CHECK(text.find("<th>undecided cases</th>") != std::string::npos);
  CHECK(count_of(text, "<dt>witness ratio</dt>") == 1);
  CHECK(count_of(text, "<dt>slack</dt>") == 1);
  // No TeX left in the page's own text.
  CHECK(text.find("_{") == std::string::npos);
  CHECK(text.find("^{") == std::string::npos);
  CHECK(text.find("e<sup>10R²</sup>") != std::string::npos);
  // The same colour for the same series in every plot.
  const std::string gp = slurp(dir + "/out/plots.gp");
  CHECK(count_of(gp, "title 'paper constant'") >= 1);
  CHECK(count_of(gp, "lc rgb '#c0392b' title 'paper constant'") == count_of(gp, "title 'paper constant'"));
  CHECK(count_of(gp, "lc rgb '#2471a3' title 'best certified witness'") == count_of(gp, "title 'best certified witness'"));

  // One grid point: a table row, and a line saying why there is no plot.
  const auto one = run_cli("sweep thm.shift_x --R 4 --n 2 --d 1 --samples 2 --search 10 --quiet --out " + dir + "/one", dir);
  REQUIRE(one.code == 0);
  const std::string page = slurp(dir + "/one/report.html");
  CHECK(page.find("<div class=\"plot\"") == std::string::npos);
  CHECK(page.find("One grid point per slice") != std::string::npos);
}

TEST_CASE("the sweep page rendered by headless Chromium is not blank and has one summary row per obligation") {
  if (run_in_shell("command -v chromium >/dev/null 2>&1") != 0) {
    MESSAGE("skipped: chromium is not installed (./setup.sh --browser installs it)");
    return;
  }
  const std::string dir = scratch_dir("sweep-chromium");
  const auto r = run_cli("sweep thm.shift_x lip_x.f id.gradient --R 4,5 --n 2,4 --d 2 --samples 4 --search 50 --quiet --out " +
                             dir + "/out",
                         dir);
  REQUIRE(r.code == 0);
  // A private profile; --no-sandbox because CI runs as root, where Chromium's sandbox refuses to start.
  const std::string chromium = "timeout 180 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir=" +
                               dir + "/profile --window-size=1200,4000 ";
  const std::string url = "file://" + std::filesystem::absolute(dir + "/out/report.html").string();
  REQUIRE(run_in_shell(chromium + "--screenshot=" + dir + "/shot.png " + url + " >" + dir + "/chromium.log 2>&1") == 0);
  const Image img = read_png(slurp(dir + "/shot.png"));
  CHECK(img.width == 1200);
  size_t ink = 0, colour = 0;
  for (size_t k = 0; k + 2 < img.pixels.size(); k += img.channels) {
    const int red = img.pixels[k], green = img.pixels[k + 1], blue = img.pixels[k + 2];
    ink += red < 200 || green < 200 || blue < 200;
    colour += std::abs(red - green) > 60 || std::abs(green - blue) > 60;  // plot lines, not grey text
  }
  const size_t total = size_t(img.width) * img.height;
  CAPTURE(ink);
  CAPTURE(colour);
  CHECK(ink > total / 100);  // text, tables and plots: well over 1% of the first screen
  CHECK(colour > 0);         // a plotted series in colour is visible
  // The DOM as Chromium built it: one summary row per obligation.
  REQUIRE(run_in_shell(chromium + "--dump-dom " + url + " >" + dir + "/dom.html 2>" + dir + "/chromium.log") == 0);
  const std::string dom = slurp(dir + "/dom.html");
  CHECK(count_of(dom, "class=\"summary-row\"") == 3);
}

}  // TEST_SUITE
