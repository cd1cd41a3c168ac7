#include "certbound/engine/prover.hpp"

#include "certbound/arith/hash.hpp"

#include <mpfr.h>

#include "certbound/arith/mp_memory.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "certbound/arith/predicates.hpp"
#include "certbound/engine/interrupt.hpp"

namespace certbound {


const char* to_string(LeafClosure c) {
  switch (c) {
    case LeafClosure::margin: return "margin";
    case LeafClosure::outside: return "outside";
    case LeafClosure::refuted: return "refuted";
    case LeafClosure::open: return "open";
  }
  return "?";
}

Case box_case(const ProofForm& form, const Box& box) {
  Case c;
  c.family = "box";
  for (const auto& v : form.variables) {
    auto& lo = c.inputs[v.input];
    auto& hi = c.upper[v.input];
    if (lo.rows() <= v.row || lo.cols() <= v.col) {
      lo.conservativeResize(std::max<Eigen::Index>(lo.rows(), v.row + 1), std::max<Eigen::Index>(lo.cols(), v.col + 1));
      hi.conservativeResize(lo.rows(), lo.cols());
    }
  }
  for (size_t k = 0; k < form.variables.size(); ++k) {
    const auto& v = form.variables[k];
    c.inputs[v.input](v.row, v.col) = box[k].first;
    c.upper[v.input](v.row, v.col) = box[k].second;
  }
  return c;
}

Case box_midpoint_case(const ProofForm& form, const Box& box) {
  Case c = box_case(form, box);
  for (size_t k = 0; k < form.variables.size(); ++k) {
    const auto& v = form.variables[k];
    c.inputs[v.input](v.row, v.col) = box[k].first * 0.5 + box[k].second * 0.5;
  }
  c.upper.clear();
  c.family = "box-midpoint";
  return c;
}

namespace {
/// The split point of bisect() and for_each_leaf(): one expression, so a replayed tree gives the
/// prover's boxes bit for bit (deterministic in round-to-nearest).
double split_point(const std::pair<double, double>& iv) { return iv.first * 0.5 + iv.second * 0.5; }
}  // namespace

std::pair<Box, Box> bisect(const Box& box, size_t k) {
  Box a = box, b = box;
  const double m = split_point(box[k]);
  a[k].second = m;
  b[k].first = m;
  return {a, b};
}

void for_each_leaf(const std::string& tree, const Box& start, const std::function<bool(const Box&, bool)>& visit) {
  // One box, changed in place: a split narrows coordinate k to its lower half; when that subtree
  // ends, k becomes the upper half; when that one ends, k is restored.
  struct Split {
    size_t k;
    std::pair<double, double> whole;
    bool upper;
  };
  Box box = start;
  std::vector<Split> open;
  size_t pos = 0;
  while (pos < tree.size()) {
    const char ch = tree[pos++];
    if (ch == 'S') {
      size_t k = 0;
      while (pos < tree.size() && tree[pos] >= '0' && tree[pos] <= '9') k = 10 * k + static_cast<size_t>(tree[pos++] - '0');
      open.push_back({k, box[k], false});
      box[k].second = split_point(box[k]);
      continue;
    }
    if (!visit(box, ch == 'X')) return;
    while (!open.empty()) {
      Split& sp = open.back();
      if (!sp.upper) {
        sp.upper = true;
        box[sp.k] = {split_point(sp.whole), sp.whole.second};
        break;
      }
      box[sp.k] = sp.whole;
      open.pop_back();
    }
  }
}

Box root_box(const ProofForm& form) {
  Box root;
  for (const auto& v : form.variables) root.push_back({v.lo, v.hi});
  return root;
}

std::string definition_hash(const Obligation& ob, const ProofForm& form) {
  std::string text = ob.meta().id + "|" + ob.meta().statement + "|" + ob.meta().constant_expression + "|" +
                     form.reduction + "|" + form.proved_statement + "|" + form.sub_domain + "|form-version-2";
  for (const auto& v : form.variables)
    text += "|" + v.input + "(" + std::to_string(v.row) + "," + std::to_string(v.col) + ")";
  return fnv1a_hex(text);
}

namespace {

double volume_fraction(const Box& box, const Box& root);

enum class BoxVerdict { margin, outside, undecided };

/// Classify a box with the proof form evaluated in T.
template <class T>
BoxVerdict classify(const Obligation& ob, const Case& box, const Params<T>& p) {
  try {
    const Evaluation<T> e = ob.prove_evaluate(box, p);
    for (const auto& h : e.hypotheses) {
      const bool fails = h.strict ? certainly_less_equal(h.slack, 0.0) : certainly_less(h.slack, 0.0);
      if (fails) return BoxVerdict::outside;
    }
    const bool upper = ob.meta().direction == Direction::upper_bound;
    const T scaled = upper ? p.scale * e.constant : e.constant / p.scale;
    const T margin = upper ? scaled * e.factor - e.lhs : e.lhs - scaled * e.factor;
    const bool closed = ob.meta().strict ? certainly_greater(margin, 0.0) : certainly_greater_equal(margin, 0.0);
    return closed ? BoxVerdict::margin : BoxVerdict::undecided;
  } catch (const std::exception&) {  // DomainError, empty interval, NaN: nothing decided here
    return BoxVerdict::undecided;
  }
}

double relative_width(const Box& box, const Box& root) {
  double w = 0;
  for (size_t k = 0; k < box.size(); ++k) {
    const double r = root[k].second - root[k].first;
    if (r > 0) w = std::max(w, (box[k].second - box[k].first) / r);
  }
  return w;
}

size_t widest(const Box& box, const Box& root) {
  size_t best = 0;
  double bw = -1;
  for (size_t k = 0; k < box.size(); ++k) {
    const double r = root[k].second - root[k].first;
    const double w = r > 0 ? (box[k].second - box[k].first) / r : 0;
    if (w > bw) {
      bw = w;
      best = k;
    }
  }
  return best;
}

double volume_fraction(const Box& box, const Box& root) {
  double f = 1;
  for (size_t k = 0; k < box.size(); ++k) {
    const double r = root[k].second - root[k].first;
    if (r > 0) f *= (box[k].second - box[k].first) / r;
  }
  return f;
}

struct Context {
  const Obligation& ob;
  const ProofForm& form;
  const Settings& settings;
  Params<Interval> p53;
  Params<Mp128> p128;
  Box root;
};

/// Close `box` if possible; returns the closure or open.
LeafClosure close_box(const Context& cx, const Box& box, std::optional<CertifiedCase>& cex) {
  const Case c = box_case(cx.form, box);
  BoxVerdict v = classify<Interval>(cx.ob, c, cx.p53);
  if (v == BoxVerdict::undecided && relative_width(box, cx.root) < 1e-9) v = classify<Mp128>(cx.ob, c, cx.p128);
  if (v == BoxVerdict::margin) return LeafClosure::margin;
  if (v == BoxVerdict::outside) return LeafClosure::outside;
  if (cx.form.refutable_by_points) {
    const Case mid = box_midpoint_case(cx.form, box);
    const CaseResult r = certify(cx.ob, mid, cx.settings);
    if (r.status == CaseStatus::violated) {
      cex = CertifiedCase{mid, r};
      return LeafClosure::refuted;
    }
  }
  return LeafClosure::open;
}

/// Depth-first branch and bound of one part, resumable: the state is the DFS stack, the preorder
/// tree written so far and the leaves. Every decision (close, split, leave open when too narrow)
/// is independent of the budget, which only says when to stop: so a run resumed with a larger
/// budget continues into the tree an uninterrupted run with that budget makes. Once a
/// counterexample is found the statement is refuted and the remaining boxes become open leaves
/// unevaluated. `save` is called every `every` boxes. After an interrupt or at the budget it
/// returns between boxes with the part not done, its pending boxes still on the stack.
void explore(const Context& cx, PartState& st, std::mutex& guard, long long budget, long long every,
             const std::function<void(bool)>& save) {
  long long since_save = 0;
  for (;;) {
    if (interrupted()) return;
    // The state is only changed under its part's lock, so a checkpoint taken by another thread
    // sees a consistent snapshot (the box being evaluated stays on the stack until it is done).
    Box box;
    {
      std::lock_guard<std::mutex> lock(guard);
      if (st.stack.empty()) break;
      box = st.stack.back();
    }
    const bool may_evaluate = !st.counterexample;
    if (may_evaluate && st.boxes >= budget) return;
    LeafClosure closure = LeafClosure::open;
    std::optional<CertifiedCase> found;
    if (may_evaluate) closure = close_box(cx, box, found);
    const bool can_split = may_evaluate && closure == LeafClosure::open && relative_width(box, cx.root) > 1e-15;
    {
      std::lock_guard<std::mutex> lock(guard);
      st.stack.pop_back();
      if (may_evaluate) ++st.boxes;
      if (found) st.counterexample = std::move(found);
      if (can_split) {
        const size_t k = widest(box, cx.root);
        auto [lo, hi] = bisect(box, k);
        st.tree += 'S';
        st.tree += std::to_string(k);
        st.stack.push_back(std::move(hi));
        st.stack.push_back(std::move(lo));
      } else {
        st.tree += 'L';
        st.leaves.push_back(closure);
      }
    }
    if (save && every > 0 && ++since_save >= every) {
      since_save = 0;
      save(false);
    }
  }
  std::lock_guard<std::mutex> lock(guard);
  st.done = true;
}

}  // namespace

std::string split_top(const Box& root, int depth, std::vector<Box>& parts) {
  std::string tree;
  std::function<void(const Box&, int)> rec = [&](const Box& b, int level) {
    if (level == depth) {
      tree += "F";
      parts.push_back(b);
      return;
    }
    const size_t k = widest(b, root);
    auto [lo, hi] = bisect(b, k);
    tree += 'S';  // appended in pieces: g++ 12 warns falsely (-Wstringop-overflow) on "S" + string
    tree += std::to_string(k);
    rec(lo, level + 1);
    rec(hi, level + 1);
  };
  rec(root, 0);
  return tree;
}


int top_depth(int shards) {
  int depth = 3;
  while ((1 << depth) < shards) ++depth;
  return depth;
}

std::string prove_settings_problem(const Obligation& ob, const Settings& s) {
  if (std::string why = settings_problem(s); !why.empty()) return why;
  if (!ob.proof_form(s)) return "obligation '" + ob.meta().id + "' has no proof form";
  // The proof forms evaluate the paper's constant with β = e^{−R²}; another β is check's business.
  if (!s.beta.empty()) return "prove uses the paper's β = e^{−R²}; --beta is for check";
  if (static_cast<long long>(s.n) * s.d > 64) return "prove is for small dimensions (n·d at most 64)";
  return ob.check_settings(s);
}

ProofResult prove(const Obligation& ob, const ProveOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  const auto form = ob.proof_form(options.settings);
  if (!form) throw std::invalid_argument("obligation '" + ob.meta().id + "' has no proof form (see 'certbound list')");
  ProofResult res;
  res.obligation = &ob;
  res.form = *form;
  res.shard_index = options.shard_index;
  res.shard_count = options.shard_count;
  res.root = root_box(res.form);
  Context cx{ob, res.form, options.settings, Params<Interval>::from(options.settings),
             Params<Mp128>::from(options.settings), res.root};

  // The top of the tree is fixed, so the tree never depends on the thread count; the parts are
  // explored with equal shares of the budget; shard I of N owns the parts j with j mod N = I − 1.
  std::vector<Box> parts;
  const std::string top = split_top(cx.root, top_depth(options.shard_count), parts);
  const long long share = std::max<long long>(1, options.max_boxes / static_cast<long long>(parts.size()));
  std::vector<PartState> states(parts.size());
  for (size_t i = 0; i < parts.size(); ++i) {
    states[i].owned = static_cast<int>(i % static_cast<size_t>(options.shard_count)) == options.shard_index - 1;
    states[i].box = parts[i];
    states[i].stack.push_back(parts[i]);
  }
  if (options.resume) options.resume(states);

  // Checkpoints: whenever a part finishes, and otherwise at most every checkpoint_seconds.
  std::mutex save_mutex;
  std::unique_ptr<std::mutex[]> part_guard(new std::mutex[parts.size()]);
  auto last_save = std::chrono::steady_clock::now();
  std::function<void(bool)> save = [&](bool force) {
    if (!options.checkpoint) return;
    std::lock_guard<std::mutex> lock(save_mutex);
    const auto now = std::chrono::steady_clock::now();
    if (!force && std::chrono::duration<double>(now - last_save).count() < options.checkpoint_seconds) return;
    std::vector<std::unique_lock<std::mutex>> held;  // every part, in index order: no deadlock
    for (size_t i = 0; i < parts.size(); ++i) held.emplace_back(part_guard[i]);
    options.checkpoint(states);
    last_save = now;
  };
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next++; i < parts.size(); i = next++) {
      if (interrupted()) break;
      if (!states[i].owned || states[i].done) continue;
      explore(cx, states[i], part_guard[i], share, options.checkpoint_every, save);
      save(true);
    }
  };
  std::vector<std::thread> pool;
  // MPFR keeps per-thread caches; a worker frees its own before it ends (else they leak with it).
  for (int t = 1; t < std::min<int>(options.threads, static_cast<int>(parts.size())); ++t)
    pool.emplace_back([&worker] {
      mp_memory::use_widest_exponent_range();  // per thread, as in main
      worker();
      mpfr_free_cache2(MPFR_FREE_LOCAL_CACHE);
    });
  worker();
  for (auto& t : pool) t.join();
  // Interrupted: a part stopped before it was done and before its budget was spent.
  for (const auto& st : states) res.interrupted = res.interrupted || (st.owned && !st.done && st.boxes < share);
  if (res.interrupted) save(true);  // the pending boxes, for a later resume

  size_t part = 0;
  for (char ch : top) {
    if (ch != 'F') {
      res.tree += ch;
      continue;
    }
    PartState& st = states[part++];
    if (!st.owned) {
      res.tree += "X";  // another shard's part
      continue;
    }
    res.tree += st.tree;
    res.leaves.insert(res.leaves.end(), st.leaves.begin(), st.leaves.end());
    // Stopped by the budget or interrupted: the stack holds the unexplored subtrees in preorder
    // (next on top), so listing them top first as open leaves completes the preorder of a valid,
    // undetermined tree.
    if (!st.done) {
      res.tree.append(st.stack.size(), 'L');
      res.leaves.insert(res.leaves.end(), st.stack.size(), LeafClosure::open);
    }
    res.boxes += st.boxes;
    if (!res.counterexample && st.counterexample) res.counterexample = st.counterexample;
    std::string().swap(st.tree);  // copied: free it now, not with the other parts at the end
    std::vector<LeafClosure>().swap(st.leaves);
  }
  summarize(res);
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return res;
}

ProofStatus status_from_leaves(bool any_refuted, bool any_open, int shard_count, const ProofForm& form) {
  if (any_refuted) return ProofStatus::refuted;  // a certified counterexample, whichever part it lies in
  if (any_open) return ProofStatus::undetermined;
  if (shard_count > 1) return ProofStatus::partial;  // only this shard's parts were explored
  return form.sub_domain.empty() ? ProofStatus::proved : ProofStatus::proved_on_box;
}

void summarize(ProofResult& res) {
  double closed = 0, owned = 0;
  bool open = false, refuted = false;
  size_t leaf = 0;
  for_each_leaf(res.tree, res.root, [&](const Box& box, bool other_shard) {
    if (other_shard) return true;
    const LeafClosure c = res.leaves.at(leaf++);
    const double v = volume_fraction(box, res.root);
    owned += v;
    if (c == LeafClosure::open) open = true;
    else closed += v;
    refuted = refuted || c == LeafClosure::refuted;
    return true;
  });
  res.closed_fraction = std::min(1.0, closed);
  res.owned_fraction = std::min(1.0, owned);
  res.status = status_from_leaves(refuted, open, res.shard_count, res.form);
  if (res.status == ProofStatus::proved || res.status == ProofStatus::proved_on_box) res.closed_fraction = 1.0;
}

namespace {
template <class T>
std::string recheck_at(const Obligation& ob, const ProofForm& form, const Settings& s, const Box& box,
                       LeafClosure claimed) {
  const Params<T> p = Params<T>::from(s);
  const std::string level = std::to_string(precision_bits<T>::value) + " bits";
  // A margin leaf and an outside leaf are both closed: at another precision a box that was closed
  // by its margin may be found entirely outside the domain (a hypothesis that certainly fails, e.g.
  // ‖A‖ ≤ R on a box whose every matrix has ‖A‖ just above R, undecided in double intervals), or
  // the reverse; either way no point of the box violates the statement, which is all the leaf claims.
  switch (claimed) {
    case LeafClosure::margin:
    case LeafClosure::outside: {
      const BoxVerdict v = classify<T>(ob, box_case(form, box), p);
      if (v == BoxVerdict::margin || v == BoxVerdict::outside) return "";
      return claimed == LeafClosure::margin ? "margin not certainly ≥ 0 at " + level
                                            : "no hypothesis certainly fails at " + level;
    }
    case LeafClosure::refuted: {
      if (!form.refutable_by_points) return "refutation claimed for a form whose points are not statement inputs";
      const unsigned bits = precision_bits<T>::value;
      const CaseResult r = certify(ob, box_midpoint_case(form, box), s, std::max(bits, 1025u), bits);
      return r.status == CaseStatus::violated ? "" : std::string("midpoint is not a certified violation: ") + to_string(r.status);
    }
    case LeafClosure::open: return "leaf is open";
  }
  return "unknown closure";
}
}  // namespace

std::string recheck_leaf(const Obligation& ob, const ProofForm& form, const Settings& s, const Box& box,
                         LeafClosure claimed, unsigned bits) {
  if (bits <= precision_bits<Interval>::value) return recheck_at<Interval>(ob, form, s, box, claimed);
  if (bits <= precision_bits<Mp128>::value) return recheck_at<Mp128>(ob, form, s, box, claimed);
  if (bits <= precision_bits<Mp257>::value) return recheck_at<Mp257>(ob, form, s, box, claimed);
  return recheck_at<Mp1025>(ob, form, s, box, claimed);
}

}  // namespace certbound
