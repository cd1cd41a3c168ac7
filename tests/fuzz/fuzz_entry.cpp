#include "certbound/arith/input_error.hpp"
#include "fuzz_entry.hpp"

#include <mpfr.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <sstream>
#include <vector>

#include <nlohmann/json.hpp>

#include "certbound/engine/checkpoint.hpp"
#include "certbound/engine/proof_checker.hpp"
#include "certbound/obligation/settings_json.hpp"
#include "certbound/arith/decimal.hpp"
#include "certbound/engine/prover.hpp"
#include "certbound/io/matrix_io.hpp"
#include "certbound/report/report.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"

namespace certbound::fuzz {

using nlohmann::json;

namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw InvariantBroken(what);
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same_matrix(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (Eigen::Index r = 0; r < a.rows(); ++r)
    for (Eigen::Index c = 0; c < a.cols(); ++c)
      if (!same_bits(a(r, c), b(r, c))) return false;
  return true;
}

/// What read_matrix promises of an accepted file, and that writing it back loses nothing.
void check_matrix(const Eigen::MatrixXd& m, std::string_view bytes) {
  require(m.rows() >= 1 && m.cols() >= 1, "accepted an empty matrix");
  require(m.allFinite(), "accepted a non-finite entry");
  require(same_matrix(io::parse_matrix(io::npy_bytes(m), "round-trip.npy"), m), ".npy round trip changed the matrix");
  std::string text;
  char buf[40];
  for (Eigen::Index r = 0; r < m.rows(); ++r) {
    for (Eigen::Index c = 0; c < m.cols(); ++c) {
      std::snprintf(buf, sizeof buf, "%s%.17g", c ? "," : "", m(r, c));
      text += buf;
    }
    text += '\n';
  }
  require(same_matrix(io::parse_matrix(text, "round-trip.csv"), m), "CSV round trip changed the matrix");
  // As a vector: accepted exactly when one dimension is 1, with the entries in the same order.
  try {
    const Eigen::MatrixXd v = io::parse_matrix(bytes, "fuzz", true);
    require(m.rows() == 1 || m.cols() == 1, "a matrix accepted as a vector");
    require(v.cols() == 1 && v.rows() == m.size(), "a vector of the wrong length");
    for (Eigen::Index k = 0; k < v.rows(); ++k) require(same_bits(v(k, 0), m.reshaped()(k)), "vector entries reordered");
  } catch (const io::MatrixFileError&) {
    require(m.rows() != 1 && m.cols() != 1, "a vector rejected as a vector");
  }
}

void matrix(std::string_view bytes) {
  Eigen::MatrixXd m;
  try {
    m = io::parse_matrix(bytes, "fuzz");
  } catch (const io::MatrixFileError&) {
    return;
  }
  check_matrix(m, bytes);
}

/// JSON as the command line reads it: a syntax error is bad input (read_json_file).
bool parse_json(std::string_view bytes, json& out) {
  try {
    out = json::parse(bytes);
    return true;
  } catch (const json::exception&) {  // syntax errors, and numbers beyond range (out_of_range.406)
    return false;
  }
}

/// The run of tests/fuzz/corpus/checkpoint/*: `certbound prove <id> --n 2 --d 1 --max-boxes 64 --checkpoint F`.
constexpr const char* kCheckpointObligation = "lip_x.u";

Settings checkpoint_settings() {
  Settings s;
  s.n = 2;
  s.d = 1;
  return s;
}

bool box_inside(const Box& inner, const Box& outer) {
  if (inner.size() != outer.size()) return false;
  for (size_t k = 0; k < inner.size(); ++k) {
    const auto [lo, hi] = inner[k];
    if (!(outer[k].first <= lo && lo <= hi && hi <= outer[k].second)) return false;
  }
  return true;
}

}  // namespace

void csv(std::string_view bytes) { matrix(bytes); }
void npy(std::string_view bytes) { matrix(bytes); }

void npz(std::string_view bytes) {
  std::map<std::string, Eigen::MatrixXd> arrays;
  try {
    arrays = io::parse_npz(bytes, "fuzz.npz");
  } catch (const io::MatrixFileError&) {
    return;
  }
  for (const auto& [name, m] : arrays) {
    require(!name.empty(), "an array without a name");
    require(name.size() < 4 || name.compare(name.size() - 4, 4, ".npy") != 0, "an array name still ending in .npy");
    require(m.rows() >= 1 && m.cols() >= 1, "accepted an empty array '" + name + "'");
    require(m.allFinite(), "accepted a non-finite entry in '" + name + "'");
    require(same_matrix(io::parse_matrix(io::npy_bytes(m), "round-trip.npy"), m),
            ".npy round trip changed array '" + name + "'");
  }
}

void decimal(std::string_view bytes) {
  if (bytes.empty()) return;
  static constexpr unsigned kBits[] = {53, 64, 128, 257};
  const unsigned bits = kBits[static_cast<unsigned char>(bytes[0]) % 4];
  const std::string text(bytes.substr(1));
  Enclosure e;
  try {
    e = parse_enclosure(text, bits);
  } catch (const ParseError&) {
    return;
  }
  require(!e.has_nan(), "a NaN enclosure");
  require(mpfr_lessequal_p(e.lo.get(), e.hi.get()), "lower end above upper end");
  // The double nearest to the literal (strtod rounds to nearest) lies between the ends rounded
  // outward to doubles, and equals them when they coincide.
  const double nearest = std::strtod(text.c_str(), nullptr);
  const double lo = e.lower_double(), hi = e.upper_double();
  if (std::isfinite(nearest)) {
    require(lo <= nearest && nearest <= hi, "the nearest double is outside the enclosure");
    if (lo == hi) require(same_bits(lo, nearest) || nearest == 0, "an exact literal changed value");
  }
}

void counterexample(std::string_view bytes) {
  json j;
  if (!parse_json(bytes, j)) return;
  report::Counterexample cx;
  try {
    cx = report::parse_counterexample(j);
  } catch (const InputError&) {
    return;
  }
  require(cx.settings.n >= 1 && cx.settings.d >= 1, "accepted a dimension below 1");
  for (const auto& [name, m] : cx.input.inputs) {
    require(m.rows() >= 1 && m.cols() >= 1, "input '" + name + "' is empty");
    require(m.allFinite(), "input '" + name + "' has a non-finite entry");
  }
  // What `replay` does next, before any arithmetic.
  try {
    cli::validate_settings(cx.settings);
  } catch (const cli::BadInput&) {
  }
}

void certificate(std::string_view bytes) {
  json j;
  if (!parse_json(bytes, j)) return;
  Verification v;
  try {
    v = verify_certificate(j);
  } catch (const InputError&) {
    return;
  }
  if (v.valid) {
    require(v.rechecked + v.open_leaves == v.leaves, "leaves neither re-checked nor open");
    // The status is what the leaves establish: the stored one must be exactly that word.
    require(j.at("status") == to_string(v.status), "valid with a stored status other than the derived one");
    require(v.status != ProofStatus::proved || (v.open_leaves == 0 && v.shard_count == 1 && v.domain_covered.empty()),
            "proved with an open leaf, for a shard, or on a box");
    require(v.status != ProofStatus::proved_on_box || (v.open_leaves == 0 && v.shard_count == 1 && !v.domain_covered.empty()),
            "proved-on-box with an open leaf, for a shard, or on the whole domain");
    require(v.status != ProofStatus::partial || v.shard_count > 1, "partial for a whole-domain certificate");
    // Only a shard may own no leaf (its parts are all elsewhere); a whole-domain proof needs a re-check.
    require(v.shard_count > 1 || v.status == ProofStatus::undetermined || v.rechecked >= 1,
            "a whole-domain certificate valid without re-checking a leaf");
    require(v.shard_index >= 1 && v.shard_index <= v.shard_count, "valid with a bad shard");
    // Any edit must be detected: the same certificate with another checksum is not valid.
    json edited = j;
    edited["checksum"] = j.at("checksum").get<std::string>() == "0000000000000000" ? "1" : "0000000000000000";
    require(!verify_certificate(edited).valid, "a certificate with a wrong checksum verified");
  } else {
    require(!v.failure.empty(), "invalid without a reason");
  }
  try {
    const json merged = merge_certificates({j});
    require(verify_certificate(merged).valid, "a merged certificate does not verify");
  } catch (const InputError&) {
  }
}

void checkpoint(std::string_view bytes) {
  static const Obligation* ob = find_obligation(kCheckpointObligation);
  if (!ob) throw std::logic_error(std::string("no obligation ") + kCheckpointObligation);
  const Settings s = checkpoint_settings();
  const ProofForm form = *ob->proof_form(s);
  // The part states prove() would resume from (shard 1/1: the fixed top of depth 3).
  const Box root = root_box(form);
  std::vector<Box> boxes;
  split_top(root, top_depth(1), boxes);
  std::vector<PartState> parts(boxes.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    parts[i].box = boxes[i];
    parts[i].stack.push_back(boxes[i]);
  }
  CheckpointPosition at;
  try {
    at = restore_checkpoint(bytes, checkpoint_identity(*ob, form, s, 1, 1), parts, *ob, form, s);
  } catch (const InputError&) {
    return;
  }
  require(at.length <= bytes.size(), "a committed length beyond the bytes");
  for (const auto& p : parts) {
    for_each_leaf(p.tree, p.box, [&](const Box& leaf, bool) {
      require(box_inside(leaf, root), "restored a leaf outside the domain");
      return true;
    });
    for (const auto& b : p.stack) require(box_inside(b, root), "restored a pending box outside the domain");
    require(p.done == p.stack.empty(), "a part done with boxes pending");
  }
  // The encoder continues what was read: saving the same states adds nothing.
  CheckpointEncoder again(at);
  require(again.save(parts).empty(), "a restored state that the encoder would save again");
}

void cli(std::string_view bytes) {
  std::vector<std::string> args{"certbound"};
  std::string arg;
  for (char ch : bytes) {
    if (ch == '\0' || ch == '\n') {
      args.push_back(arg);
      arg.clear();
    } else {
      arg += ch;
    }
  }
  if (!arg.empty()) args.push_back(arg);
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  const auto app = cli::make_app();
  std::ostringstream out, err;
  const auto code = cli::parse_command_line(*app, static_cast<int>(argv.size()), argv.data(), out, err);
  if (!code) return;  // a subcommand is selected; running it is not the parser's business
  require(*code == 0 || *code == kBadInput, "parsing ended with exit code " + std::to_string(*code));
  if (*code == kBadInput) {
    const std::string e = err.str();
    require(e.rfind("certbound: error: ", 0) == 0, "an error without the 'certbound: error:' prefix");
    require(e.find('\n') == e.size() - 1, "an error message of more than one line");
  }
}

const std::map<std::string, Entry>& entries() {
  static const std::map<std::string, Entry> all{{"csv", csv},
                                                {"npy", npy},
                                                {"npz", npz},
                                                {"decimal", decimal},
                                                {"counterexample", counterexample},
                                                {"certificate", certificate},
                                                {"checkpoint", checkpoint},
                                                {"cli", cli}};
  return all;
}

int run_or_abort(Entry entry, const std::uint8_t* data, std::size_t size) {
  try {
    entry(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const InvariantBroken& e) {
    std::fprintf(stderr, "certbound fuzz: invariant broken: %s\n", e.what());
    std::abort();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "certbound fuzz: undocumented exception escaped: %s\n", e.what());
    std::abort();
  }
  return 0;
}

}  // namespace certbound::fuzz
