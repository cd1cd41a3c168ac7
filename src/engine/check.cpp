#include "certbound/engine/check.hpp"

#include "certbound/arith/hash.hpp"

#include <mpfr.h>

#include "certbound/arith/mp_memory.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <thread>

#include "certbound/engine/interrupt.hpp"

namespace certbound {

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::holds: return "holds";
    case Verdict::violated: return "violated";
    case Verdict::undecided: return "undecided";
    case Verdict::consistent: return "consistent";
    case Verdict::refuted: return "refuted";
    case Verdict::no_cases: return "no-cases";
    case Verdict::degenerate: return "degenerate";
  }
  return "?";
}

namespace {

std::uint64_t mix(std::uint64_t seed, const std::string& id) { return fnv1a(id, seed); }

/// Perturb every input entry by a relative-plus-absolute Gaussian step.
Case perturb(const Case& c, Rng& rng, double sigma) {
  Case out = c;
  out.family = "search";
  for (auto& [name, m] : out.inputs)
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] += sigma * (std::fabs(m.data()[i]) + 1e-3) * rng.normal();
  return out;
}

}  // namespace

std::vector<Case> adversarial_search(const Obligation& ob, const Settings& s, std::vector<Case> starts, int budget,
                                     int keep, std::uint64_t seed, int* evaluations) {
  Rng rng(seed);
  struct Scored {
    Case c;
    double ratio;
  };
  std::vector<Scored> pool;
  int used = 0;
  for (Case& c : starts) {
    if (used >= budget) break;
    ob.project(c, s);
    pool.push_back({c, ratio_in_double(ob, c, s)});
    ++used;
  }
  std::sort(pool.begin(), pool.end(), [](const Scored& a, const Scored& b) { return a.ratio > b.ratio; });
  const int n_starts = std::min<int>(static_cast<int>(pool.size()), 4);
  std::vector<Scored> finals;
  // Multistart (1+1)-ES with the 1/5 success rule, from the best starts.
  for (int k = 0; k < n_starts; ++k) {
    Scored cur = pool[static_cast<size_t>(k)];
    double sigma = 0.1;
    const int local_budget = n_starts > 0 ? (budget - used) / (n_starts - k) : 0;
    for (int it = 0; it < local_budget && !interrupted(); ++it) {
      Case cand = perturb(cur.c, rng, sigma);
      ob.project(cand, s);
      const double r = ratio_in_double(ob, cand, s);
      ++used;
      if (r > cur.ratio) {
        cur = {std::move(cand), r};
        sigma = std::min(sigma * 1.5, 1.0);
      } else {
        sigma = std::max(sigma * 0.9, 1e-12);
      }
    }
    finals.push_back(std::move(cur));
  }
  std::sort(finals.begin(), finals.end(), [](const Scored& a, const Scored& b) { return a.ratio > b.ratio; });
  std::vector<Case> out;
  for (auto& f : finals) {
    if (static_cast<int>(out.size()) >= keep) break;
    if (std::isfinite(f.ratio)) out.push_back(std::move(f.c));
  }
  if (evaluations) *evaluations = used;
  return out;
}

std::vector<Case> check_cases(const Obligation& ob, const CheckOptions& options, int* search_evaluations) {
  const Settings& s = options.settings;
  Rng rng(mix(options.seed, ob.meta().id));
  std::vector<Case> cases = options.families ? ob.families(s, rng) : std::vector<Case>{};
  for (int k = 0; k < options.samples; ++k) cases.push_back(ob.random_case(s, rng));
  if (options.search > 0) {
    std::vector<Case> found =
        adversarial_search(ob, s, cases, options.search, options.search_keep, rng.next(), search_evaluations);
    for (Case& c : found) cases.push_back(std::move(c));
  }
  return cases;
}

namespace {

/// (lo + hi) / 2 of an enclosure in MPFR, rounded to nearest (a representative for ranking cases).
BigFloat midpoint(const Enclosure& e) {
  BigFloat m(std::max(e.lo.precision(), e.hi.precision()) + 1);
  mpfr_add(m.get(), e.lo.get(), e.hi.get(), MPFR_RNDN);
  mpfr_div_2ui(m.get(), m.get(), 1, MPFR_RNDN);
  return m;
}

}  // namespace

ObligationReport check_obligation(const Obligation& ob, const CheckOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  ObligationReport rep;
  rep.obligation = &ob;
  const Settings& s = options.settings;
  rep.paper_constant = ob.constant(s);
  rep.chain_constant = ob.chain_constant(s);
  std::vector<Case> cases = check_cases(ob, options, &rep.search_evaluations);

  const bool upper = ob.meta().direction == Direction::upper_bound;
  BigFloat worst_ratio;  // the worst case's ratio midpoint
  bool worst_has_ratio = false;
  for (Case& c : cases) {
    if (interrupted()) {  // polled between cases: one case takes milliseconds
      rep.interrupted = true;
      break;
    }
    CaseResult r = certify(ob, c, s, options.max_bits);
    auto& n = rep.counts;
    switch (r.status) {
      case CaseStatus::out_of_domain:
        ++n.out_of_domain;
        if (rep.out_of_domain_note.empty()) rep.out_of_domain_note = r.note;
        continue;
      case CaseStatus::holds: ++n.holds; break;
      case CaseStatus::violated: ++n.violated; break;
      case CaseStatus::tight: ++n.tight; break;
      case CaseStatus::degenerate: ++n.degenerate; break;
      case CaseStatus::undecided: ++n.undecided; break;
      case CaseStatus::consistent: ++n.consistent; break;
      case CaseStatus::refuted: ++n.refuted; break;
    }
    ++n.total;
    if (r.status == CaseStatus::undecided && rep.undecided_notes.size() < 3) {
      rep.undecided_notes.push_back(r.note);
      rep.undecided_cases.push_back({c, r});
    }
    // The worst case: the first violation, else the in-domain case with the largest ratio, else
    // the first case (identities have no ratio).
    const bool violation = r.status == CaseStatus::violated || r.status == CaseStatus::refuted;
    const bool first_violation = violation && rep.violations.empty();
    if (violation && rep.violations.size() < 3) rep.violations.push_back({c, r});
    if (r.in_domain && !r.ratio.has_nan()) {  // a case possibly outside the domain witnesses nothing
      rep.witness_ratio_lower = std::max(rep.witness_ratio_lower, r.ratio.lower_double());
      if (rep.witness_ratio_lower_exact.is_nan() || mpfr_greater_p(r.ratio.lo.get(), rep.witness_ratio_lower_exact.get()))
        rep.witness_ratio_lower_exact = r.ratio.lo;
      // Midpoints compared in MPFR: ratios below the double range (10^-4357 at R = 50) differ too.
      if (rep.violations.empty() && (!worst_has_ratio || mpfr_greater_p(midpoint(r.ratio).get(), worst_ratio.get()))) {
        worst_ratio = midpoint(r.ratio);
        worst_has_ratio = true;
        rep.worst = CertifiedCase{c, r};
      }
    }
    if (first_violation) rep.worst = CertifiedCase{c, r};
    if (!rep.worst) rep.worst = CertifiedCase{c, r};
  }

  // The ratio was taken against the scaled constant (c·C for an upper bound, C/c for a lower
  // one), so the bound on the optimal constant must put the scale back:
  //   upper: LHS/F ≥ ratio·c·C  (rounded down);   lower: LHS/F ≤ (C/c)/ratio  (rounded up).
  // The ratio's lower end is taken unrounded: a double would flush 1e-4357 (R = 50) to 0.
  const BigFloat& ratio = rep.witness_ratio_lower_exact;
  if (rep.paper_constant && !ratio.is_nan() && ratio.sign() > 0) {
    const Enclosure& c = *rep.paper_constant;
    const Enclosure scale = parse_enclosure(s.scale, 128);
    BigFloat w(std::max<mpfr_prec_t>({128, c.lo.precision(), ratio.precision()}));
    if (upper) {
      mpfr_mul(w.get(), c.lo.get(), ratio.get(), MPFR_RNDD);
      mpfr_mul(w.get(), w.get(), scale.lo.get(), MPFR_RNDD);
    } else {
      mpfr_div(w.get(), c.hi.get(), ratio.get(), MPFR_RNDU);
      mpfr_div(w.get(), w.get(), scale.lo.get(), MPFR_RNDU);
    }
    rep.witness_constant = Enclosure{w, w};
  }
  const auto& n = rep.counts;
  if (n.total == 0) rep.verdict = Verdict::no_cases;
  else if (ob.meta().kind == Kind::identity) rep.verdict = n.refuted > 0 ? Verdict::refuted : (n.undecided > 0 && n.consistent == 0 ? Verdict::undecided : Verdict::consistent);
  else if (n.violated > 0) rep.verdict = Verdict::violated;
  else if (n.holds + n.tight > 0) rep.verdict = Verdict::holds;
  else if (n.undecided == 0 && n.degenerate > 0) rep.verdict = Verdict::degenerate;
  else rep.verdict = Verdict::undecided;
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return rep;
}

std::vector<ObligationReport> run_check(const std::vector<const Obligation*>& obligations, const CheckOptions& options,
                                        const std::function<void(const ObligationReport&)>& progress) {
  std::vector<ObligationReport> reports(obligations.size());
  std::atomic<size_t> next{0};
  std::mutex progress_mutex;
  auto worker = [&] {
    for (size_t i = next++; i < obligations.size(); i = next++) {
      if (interrupted()) {
        reports[i].obligation = obligations[i];
        reports[i].interrupted = true;
        continue;
      }
      reports[i] = check_obligation(*obligations[i], options);
      if (progress) {
        std::lock_guard<std::mutex> lock(progress_mutex);
        progress(reports[i]);
      }
    }
  };
  const int t = std::max(1, std::min<int>(options.threads, static_cast<int>(obligations.size())));
  std::vector<std::thread> pool;
  // MPFR keeps per-thread caches (constants, exp tables); a worker frees its own before it ends,
  // or they leak with the thread (LeakSanitizer reports them).
  for (int k = 1; k < t; ++k) pool.emplace_back([&worker] {
    mp_memory::use_widest_exponent_range();  // per thread, as in main
    worker();
    mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE);
  });
  worker();
  for (auto& th : pool) th.join();
  return reports;
}

}  // namespace certbound
