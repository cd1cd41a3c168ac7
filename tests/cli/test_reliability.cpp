// Reliability of the command line: soundness stress against the Arb oracle (and a deliberately
// broken model it must reject), Ctrl-C during check and prove, SIGKILL at pseudo-random moments
// while reports, checkpoints and certificates are written, and refusal of absurd budgets.
//
// Signals are sent to a child started with fork/exec; delays only decide WHEN the signal lands
// (every outcome is checked), nothing here asserts a duration. Delays come from a fixed seed.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "certbound/arith/input_error.hpp"
#include "certbound/engine/checkpoint.hpp"
#include "certbound/engine/prover.hpp"
#include "certbound/obligation/obligation.hpp"
#include "certbound/engine/status.hpp"
#include "run_cli.hpp"

using certbound::test::line_count;
using certbound::test::run_cli;
using certbound::test::scratch_dir;
using certbound::test::slurp;
using nlohmann::json;

namespace {

/// A certbound child process with stdout/stderr in files of `dir`.
struct Child {
  pid_t pid = -1;

  Child(const std::string& args, const std::string& dir) {
    std::vector<std::string> words;
    std::istringstream in(args);
    for (std::string w; in >> w;) words.push_back(w);
    const std::string out = dir + "/child.out", err = dir + "/child.err";
    pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(o, 1);
      ::dup2(e, 2);
      std::vector<char*> argv;
      static std::string binary = CERTBOUND_BINARY;
      argv.push_back(binary.data());
      for (auto& w : words) argv.push_back(w.data());
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
  }

  void signal(int sig) const { ::kill(pid, sig); }

  /// Wait for the child (at most `limit_s` seconds: a hang is a failure, then the child is killed).
  /// Returns the wait status.
  int wait(double limit_s = 300) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(limit_s);
    int status = 0;
    for (;;) {
      const pid_t r = ::waitpid(pid, &status, WNOHANG);
      if (r == pid) return status;
      if (std::chrono::steady_clock::now() > deadline) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
        FAIL("child did not stop within " << limit_s << " s");
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
};

void sleep_s(double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); }

bool parses(const std::string& path, json* out = nullptr) {
  try {
    json j = json::parse(slurp(path));
    if (out) *out = std::move(j);
    return true;
  } catch (const json::exception&) {
    return false;
  }
}

/// verify-certificate replays the tree, re-checks every closed leaf and derives the status; a
/// complete certificate is valid whatever its status (an undetermined one is a record of partial work).
bool certificate_complete(const std::string& path, const std::string& dir) {
  const auto r = run_cli("verify-certificate " + path, dir);
  return r.out.rfind("valid: ", 0) == 0 && r.code != certbound::kInvalid && r.code != certbound::kBadInput;
}

/// The checkpoint at `path` of `prove ID --n N --d D` (shard 1/1) restores (library reader).
bool checkpoint_restores(const std::string& path, const char* id = "lip_x.f", int n = 2, int d = 1,
                         const char* scale = "1e-40") {
  using namespace certbound;
  const Obligation& ob = *find_obligation(id);
  Settings s;
  s.n = n;
  s.d = d;
  s.scale = scale;
  const ProofForm form = *ob.proof_form(s);
  std::vector<Box> boxes;
  split_top(root_box(form), top_depth(1), boxes);
  std::vector<PartState> parts(boxes.size());
  for (size_t i = 0; i < parts.size(); ++i) parts[i].box = boxes[i];
  try {
    restore_checkpoint(slurp(path), checkpoint_identity(ob, form, s, 1, 1), parts, ob, form, s);
    return true;
  } catch (const InputError& e) {
    MESSAGE(path << ": " << e.what());
    return false;
  }
}

/// Names of temporary files (".NAME.tmp-PID") in `dir`.
std::vector<std::string> temporaries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().find(".tmp-") != std::string::npos) out.push_back(e.path().filename().string());
  return out;
}

}  // namespace

TEST_SUITE("reliability") {

// ---- soundness stress -----------------------------------------------------------------------

// The CI-sized stress: every model function, per scalar type, against the Arb oracle, on point
// inputs and boxes of widths 1 ulp, 1e-8 relative and 1 (the width 1e300 has its own test below).
// Sizes keep each test case under about a minute on one core; `certbound stress` runs more.
static void stress_type(const std::string& type, int cases) {
  const std::string dir = scratch_dir("stress-" + type);
  const auto r = run_cli("stress --cases " + std::to_string(cases) + " --types " + type +
                             " --widths point,ulp,1e-8,1 --json " + dir + "/s.json",
                         dir);
  INFO(r.out);
  CHECK(r.code == 0);
  json j;
  REQUIRE(parses(dir + "/s.json", &j));
  CHECK(j.at("results").size() == 13);
  for (const auto& row : j.at("results")) {
    CAPTURE(row.dump());
    CHECK(row.at("failures") == 0);
    CHECK(row.at("cases") == cases);
    CHECK(row.at("box_cases").get<long long>() > cases / 3);  // boxes of every width were exercised
    // Skipped cases claim nothing, but they must stay a small minority or the stress tests little.
    CHECK(row.at("declined").get<long long>() + row.at("unresolved").get<long long>() +
              row.at("oracle_not_finite").get<long long>() < cases / 10);
  }
}

TEST_CASE("stress: double intervals contain the oracle value on adversarial cases") { stress_type("interval", 5000); }
TEST_CASE("stress: 128-bit intervals contain the oracle value on adversarial cases") { stress_type("mp128", 2000); }
TEST_CASE("stress: 257-bit intervals contain the oracle value on adversarial cases") { stress_type("mp256", 1500); }
TEST_CASE("stress: 1025-bit intervals contain the oracle value on adversarial cases") { stress_type("mp1024", 1000); }

// Boxes of width ~1e300: their midpoints overflow, and softmax's shift m = mid(z) used to become
// ±inf, giving z − m a NaN endpoint and f the point [1, 1]. The shift is now a finite point
// (model::finite_shift_point); all of the widest boxes must be enclosed.
TEST_CASE("stress: boxes of width 1e300 whose midpoints overflow") {
  const std::string dir = scratch_dir("stress-huge");
  const auto r = run_cli("stress --cases 100 --types interval,mp128 --widths huge --functions f,loss,u,alpha", dir);
  CAPTURE(r.out);
  CHECK(r.code == 0);
}

TEST_CASE("stress is deterministic given the seed") {
  const std::string dir = scratch_dir("stress-seed");
  const std::string run = "stress --cases 300 --seed 9 --types interval,mp128 --functions f,hessian --widths point,ulp,1 --json ";
  const auto a = run_cli(run + dir + "/a.json", dir);
  const auto b = run_cli(run + dir + "/b.json", dir);
  REQUIRE(a.code == 0);
  REQUIRE(b.code == 0);
  json ja, jb;
  REQUIRE(parses(dir + "/a.json", &ja));
  REQUIRE(parses(dir + "/b.json", &jb));
  for (size_t i = 0; i < ja.at("results").size(); ++i) {
    json ra = ja["results"][i], rb = jb["results"][i];
    ra.erase("seconds");
    rb.erase("seconds");
    CHECK(ra == rb);
  }
}

// The check must be able to fail: a model whose enclosures are shrunk to their midpoints
// (hidden test-only option) is caught on every function and type, with the inputs in hex.
TEST_CASE("stress rejects a deliberately broken model") {
  const std::string dir = scratch_dir("stress-broken");
  const auto r = run_cli("stress --cases 100 --widths point,ulp,1 --test-shrink-enclosures --json " + dir + "/s.json", dir);
  CHECK(r.code == 1);
  CHECK(r.out.find("FAILURE") != std::string::npos);
  CHECK(r.out.find("0x") != std::string::npos);  // inputs printed as hex floats
  json j;
  REQUIRE(parses(dir + "/s.json", &j));
  CHECK(j.at("results").size() == 13 * 4);
  for (const auto& row : j.at("results")) {
    CAPTURE(row.dump());
    CHECK(row.at("failures").get<long long>() > 0);
  }
}

TEST_CASE("stress rejects bad options with exit 2") {
  for (const char* args : {"stress --cases 0", "stress --cases 1000000000000000", "stress --types float", "stress --widths wide",
                           "stress --functions nonesuch", "stress --json /nonexistent-dir/s.json"}) {
    CAPTURE(args);
    const auto r = run_cli(args);
    CHECK(r.code == 2);
    CHECK(line_count(r.err) == 1);
    CHECK(r.err.rfind("certbound: error: ", 0) == 0);
  }
}

// ---- Ctrl-C -----------------------------------------------------------------------------------

TEST_CASE("Ctrl-C during check stops cleanly: exit 130, reports written and marked interrupted") {
  const std::string dir = scratch_dir("sigint-check");
  int status = 0;
  // The signal must land after start-up installed the handler; a later try waits longer.
  for (double delay : {1.0, 3.0, 8.0}) {
    Child child("check all --samples 100000 --json " + dir + "/r.json --markdown " + dir + "/r.md --junit " + dir +
                    "/r.xml --counterexamples " + dir + "/cx",
                dir);
    sleep_s(delay);
    child.signal(SIGINT);
    status = child.wait();
    if (!(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT)) break;
  }
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  json j;
  REQUIRE(parses(dir + "/r.json", &j));
  CHECK(j.at("interrupted") == true);
  int interrupted = 0;
  for (const auto& r : j.at("results")) interrupted += r.at("interrupted").get<bool>();
  CHECK(interrupted > 0);
  CHECK(slurp(dir + "/r.md").find("Interrupted") != std::string::npos);
  CHECK(slurp(dir + "/r.xml").find("<testsuite") != std::string::npos);
  CHECK(slurp(dir + "/child.out").find("interrupted") != std::string::npos);
  // The table shows what ran (the JSON keeps every obligation, the unstarted ones with 0 cases),
  // and the run says how far it got.
  CHECK(j.at("results").size() == certbound::all_obligations().size());
  std::size_t started = 0;
  for (const auto& r : j.at("results"))
    started += !(r.at("interrupted").get<bool>() && r.at("cases").at("total").get<int>() == 0);
  CHECK(started < j.at("results").size());
  CHECK(slurp(dir + "/child.out").find("interrupted after " + std::to_string(started) + " of " +
                                       std::to_string(j.at("results").size())) != std::string::npos);
  CHECK(temporaries(dir).empty());
}

TEST_CASE("a second Ctrl-C ends the run at once") {
  const std::string dir = scratch_dir("sigint-twice");
  Child child("check all --samples 100000", dir);
  sleep_s(1.0);
  child.signal(SIGINT);
  child.signal(SIGINT);
  const int status = child.wait();
  // Either the first signal is being handled (exit 130 from the handler) or it already ended.
  CHECK(((WIFEXITED(status) && WEXITSTATUS(status) == 130) || (WIFSIGNALED(status) && WTERMSIG(status) == SIGINT)));
}

TEST_CASE("Ctrl-C during prove keeps what was certified and resumes to the uninterrupted certificate") {
  const std::string dir = scratch_dir("sigint-prove");
  // Long enough to be under way at the signal: the first save comes when the first of 8 parts ends.
  const std::string run = "prove lip_x.alpha --n 3 --d 2 --scale 0.2 --max-boxes 300000";
  const std::string ck = dir + "/ck.cpt";
  Child child(run + " --checkpoint " + ck + " --certificate " + dir + "/part.cert --json " + dir + "/part.json", dir);
  // Once the first save is on disk (the run is under way), Ctrl-C.
  for (int i = 0; i < 2000 && !(std::filesystem::exists(ck) && std::filesystem::file_size(ck) > 1000); ++i) sleep_s(0.01);
  child.signal(SIGINT);
  // A watchdog, not a speed test: the run must stop by itself (it stops within one box and writes
  // its reports; the second Ctrl-C path is not used).
  const int status = child.wait(20);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  CHECK(slurp(dir + "/child.out").find("(budget spent)") == std::string::npos);  // it was interrupted
  json report, part;
  REQUIRE(parses(dir + "/part.json", &report));
  CHECK(report.at("interrupted") == true);
  REQUIRE(parses(dir + "/part.cert", &part));
  CHECK(part.at("status") == "undetermined");
  CHECK(checkpoint_restores(ck, "lip_x.alpha", 3, 2, "0.2"));
  // The resumed run ends with the uninterrupted run's certificate.
  const auto resumed = run_cli(run + " --checkpoint " + ck + " --certificate " + dir + "/resumed.cert", dir);
  REQUIRE(run_cli(run + " --certificate " + dir + "/whole.cert", dir).code == resumed.code);
  json r, whole;
  REQUIRE(parses(dir + "/resumed.cert", &r));
  REQUIRE(parses(dir + "/whole.cert", &whole));
  CHECK(r.at("status") == whole.at("status"));
  CHECK(r.at("tree") == whole.at("tree"));
  CHECK(r.at("leaves") == whole.at("leaves"));
  CHECK(r.at("checksum") == whole.at("checksum"));
}

// ---- SIGKILL at any moment ---------------------------------------------------------------------

// Every output is written to a temporary file, flushed and renamed: after a SIGKILL at any moment
// each file is absent, the old complete file, or the complete new one; temporaries of killed
// writers are hidden and removed by the next write of the same file.
TEST_CASE("writers killed at pseudo-random moments leave only complete files") {
  const std::string dir = scratch_dir("kill-writers");
  const std::string check = "check sharp.lip_x.f --scale 0.99 --samples 300 --json " + dir + "/c.json --markdown " + dir +
                            "/c.md --junit " + dir + "/c.xml --counterexamples " + dir + "/cx";
  const std::string prove = "prove lip_x.f --n 2 --d 1 --scale 1e-40 --max-boxes 30000 --checkpoint " + dir +
                            "/ck.cpt --certificate " + dir + "/p.cert --json " + dir + "/p.json";
  // Old complete files to start from.
  REQUIRE(run_cli(check, dir).code == 1);
  std::mt19937_64 rng(0x6b111ed5eedull);
  int killed = 0, finished = 0;
  for (int it = 0; it < 30; ++it) {
    CAPTURE(it);
    const bool use_prove = it % 2 == 1;
    if (use_prove && it % 6 == 1) std::filesystem::remove(dir + "/ck.cpt");  // sometimes start afresh
    const std::string old_json = slurp(dir + (use_prove ? "/p.json" : "/c.json"));
    const double delay = static_cast<double>(rng() % 2000) / 1000.0;  // 0 .. 2 s
    CAPTURE(delay);
    Child child(use_prove ? prove : check, dir);
    sleep_s(delay);
    child.signal(SIGKILL);
    const int status = child.wait();
    (WIFSIGNALED(status) ? killed : finished) += 1;
    // The checkpoint is appended to, not replaced: it must hold a complete save whatever the moment.
    if (std::filesystem::exists(dir + "/ck.cpt")) CHECK(checkpoint_restores(dir + "/ck.cpt"));
    for (const char* name : {"/c.json", "/p.json", "/p.cert", "/cx/sharp.lip_x.f.json"}) {
      const std::string path = dir + name;
      CAPTURE(path);
      if (!std::filesystem::exists(path)) continue;
      json j;
      CHECK(parses(path, &j));  // complete: a truncated JSON file does not parse
    }
    for (const char* name : {"/c.md", "/c.xml"}) {
      const std::string text = slurp(dir + name);
      CHECK(text.find(std::string(name) == "/c.md" ? "Parameters:" : "</testsuite") != std::string::npos);
    }
    if (std::filesystem::exists(dir + "/p.cert")) CHECK(certificate_complete(dir + "/p.cert", dir));
    if (!use_prove && slurp(dir + "/c.json") != old_json) {
      json j;
      REQUIRE(parses(dir + "/c.json", &j));
      CHECK(j.at("command") == "check");
    }
  }
  MESSAGE(killed << " runs killed, " << finished << " finished before the kill");
  CHECK(killed > 0);
  // Temporaries are hidden (".NAME.tmp-PID") and the next complete write of a file removes those
  // that killed writers left behind.
  for (const auto& t : temporaries(dir)) CHECK(t.front() == '.');
  REQUIRE(run_cli(check, dir).code == 1);
  std::filesystem::remove(dir + "/ck.cpt");
  CHECK(run_cli(prove, dir).code == 3);
  CHECK(temporaries(dir).empty());
  for (const auto& t : temporaries(dir + "/cx")) CHECK(t.front() == '.');
}

// ---- resource limits --------------------------------------------------------------------------

TEST_CASE("absurd budgets are refused up front with a one-line error") {
  const std::string dir = scratch_dir("limits");
  for (const char* args : {
           "check all --n 1000000000",
           "check all --d 1000000000",
           "check all --n 65536 --d 65536",
           "check all --samples 1000000000000000",
           "check all --samples -1",
           "check all --search 1000000000000000",
           "check all --threads 0",
           "check all --threads 1000000",
           "check all --precision 1000000000",
           "check all --precision 10",
           "check all --samples 1000000 --n 64 --d 64",
           "check all --R 1e300",
           "prove lip_x.f --n 2 --d 1 --max-boxes 1000000000000000000",
           "prove lip_x.f --n 2 --d 1 --max-boxes 1000000000",
           "prove lip_x.f --n 2 --d 1 --threads 1000000",
           "prove lip_x.f --n 2 --d 1 --shard 1/1000000000",
           "prove lip_x.f --n 1000 --d 1000",
           "verify-certificate /nonexistent --precision 1000000000",
           "constants --precision 1000000000",
           "constants --n 1000000000",
           "replay /nonexistent --precision 1000000000",
           "eval --A /nonexistent.csv --x /nonexistent.csv --precision 1000000000",
           "stress --cases 1000000000000000",
       }) {
    CAPTURE(args);
    const auto r = run_cli(args, dir);
    CHECK(r.code == 2);
    CHECK(line_count(r.err) == 1);
    CHECK(r.err.rfind("certbound: error: ", 0) == 0);
  }
}

}  // TEST_SUITE
