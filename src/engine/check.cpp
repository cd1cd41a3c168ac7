// check's pipeline: per obligation the families, random cases and the adversarial search's best
// points, each certified by certify() in intervals (the verdicts rest on those enclosures alone: the
// search in double only proposes cases), then the report of an obligation from its certified cases.
#include "certbound/engine/check.hpp"

#include "certbound/arith/hash.hpp"

#include <mpfr.h>

#include "certbound/arith/mp_memory.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
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

// ---- the search ---------------------------------------------------------------------------------
//
// The search sees an obligation only through its inputs (names and shapes), its projection onto the
// domain and the ratio LHS/RHS in double, so it works on statements it has no families for. Its
// coordinates are the entries of the inputs; an input with an earlier input of the same shape (y
// after x, B after A) may instead be searched as its difference to that partner, so that a step of
// 10⁻⁶ between the two survives moves of size 1 on the partner (the sharp constants of Lipschitz
// statements are approached as the two points meet). Suprema reached only in a limit (logits → ±∞,
// a point at the boundary, two points meeting) are followed by moves that scale one coordinate or a
// whole block up or down by large factors, and by the pattern move: after a success the same
// displacement again, doubled while it improves. The projection keeps every point in the domain.

/// One block of coordinates: an input, or the difference of an input to its same-shaped partner.
struct Block {
  std::string name;
  std::string partner;  ///< "" when the block is the input's own entries
};

struct Scored {
  Case c;
  double ratio = -std::numeric_limits<double>::infinity();
};

bool finite_case(const Case& c) {
  for (const auto& [name, m] : c.inputs)
    if (!m.allFinite()) return false;
  return true;
}

/// Counts evaluations of the ratio; every candidate is projected into the domain first. The double
/// ratio can be far off where the statement's two sides cancel (a step of 10⁻¹⁷ gave a double ratio
/// of 1.27 on a true 0.995), and a search that climbs such noise finds nothing. A ratio above 1
/// claims a counterexample, so a candidate that beats the bar with a double ratio above 1 is scored
/// by the certified lower end of its ratio in double intervals (certify at 53 bits, counted as one
/// more evaluation): a real counterexample keeps its score, noise loses it. Below 1 the double
/// ratio is the score (certifying every improvement reached lower ratios on the sharp obligations
/// at the same budget).
/// Identities have no certified ratio and keep the double one.
struct Objective {
  const Obligation& ob;
  const Settings& s;
  int budget = 0;
  int used = 0;
  bool exhausted() const { return used >= budget || interrupted(); }
  /// The projected candidate's ratio in double (−∞ when it is undefined or a hypothesis fails).
  double raw(Case& c) {
    ++used;
    if (!finite_case(c)) return -std::numeric_limits<double>::infinity();
    try {
      ob.project(c, s);
    } catch (const std::exception&) {
      return -std::numeric_limits<double>::infinity();
    }
    if (!finite_case(c)) return -std::numeric_limits<double>::infinity();
    return ratio_in_double(ob, c, s);
  }
  /// The certified lower end of the ratio at 53 bits (−∞ certainly outside the domain, or undefined).
  double certified(const Case& c) {
    ++used;
    if (ob.meta().kind == Kind::identity) return ratio_in_double(ob, c, s);
    // A hypothesis still open at 53 bits (‖A‖ ≤ R at the boundary, where the search works) is
    // no reason to drop the point: check certifies it again up to 1025 bits.
    const CaseResult r = certify(ob, c, s, 53);
    if (r.status == CaseStatus::out_of_domain || r.ratio.has_nan()) return -std::numeric_limits<double>::infinity();
    const double lo = r.ratio.lower_double();
    return std::isfinite(lo) ? lo : -std::numeric_limits<double>::infinity();
  }
  /// The score of a candidate against the bar it must beat: its double ratio when that does not
  /// beat the bar, else its certified lower end.
  double operator()(Case& c, double bar) {
    const double r = raw(c);
    return r > bar && r > 1.0 ? certified(c) : r;
  }
};

/// The blocks of a case: raw inputs, or (paired) later inputs as differences to the first earlier
/// input of the same shape.
std::vector<Block> blocks_of(const Case& c, bool paired) {
  std::vector<Block> out;
  for (const auto& [name, m] : c.inputs) {
    Block b{name, ""};
    if (paired)
      for (const Block& earlier : out)
        if (earlier.partner.empty()) {
          const Eigen::MatrixXd& e = c.inputs.at(earlier.name);
          if (e.rows() == m.rows() && e.cols() == m.cols()) {
            b.partner = earlier.name;
            break;
          }
        }
    out.push_back(b);
  }
  return out;
}

/// A block's coordinates (the input, or its difference to the partner).
Eigen::MatrixXd block_value(const Case& c, const Block& b) {
  const Eigen::MatrixXd& m = c.inputs.at(b.name);
  return b.partner.empty() ? m : Eigen::MatrixXd(m - c.inputs.at(b.partner));
}

/// Write a block's coordinates back; a base block moves its paired inputs along (their
/// differences stay), so that the blocks are independent coordinates.
void set_block(Case& c, const std::vector<Block>& blocks, const Block& b, const Eigen::MatrixXd& value) {
  const Eigen::MatrixXd shift = value - block_value(c, b);
  c.inputs[b.name] += shift;
  if (b.partner.empty())
    for (const Block& other : blocks)
      if (other.partner == b.name) c.inputs[other.name] += shift;
}

/// Size below which an entry of the block is taken as 0 for relative steps.
double block_floor(const Eigen::MatrixXd& v) {
  const double rms = v.size() > 0 ? v.norm() / std::sqrt(static_cast<double>(v.size())) : 0.0;
  return rms > 0 && std::isfinite(rms) ? 1e-3 * rms : 1e-3;
}

/// Whether a score beats the best so far by more than 10⁻⁹ of it. Below that the double ratio moves
/// by rounding noise where the two sides cancel (steps of 10⁻¹⁵, whose enclosures then cannot even
/// show the left side > 0), and chasing it only drives the points into that noise.
bool beats(double r, double best) { return r > best + 1e-9 * std::fabs(best); }

enum class Move { gauss, coordinate, push, scale, count };
constexpr int kMoves = static_cast<int>(Move::count);

/// One start climbed by a mix of moves; each move kind keeps its step size (the 1/5 success
/// rule) and its success rate, which sets how often it is drawn.
class Climber {
 public:
  explicit Climber(Scored start) : best_(std::move(start)) {
    for (int m = 0; m < kMoves; ++m) sigma_[m] = 0.1;
  }
  const Scored& best() const { return best_; }

  void climb(Objective& f, Rng& rng, int evaluations) {
    const int stop = std::min(f.budget, f.used + evaluations);
    while (f.used < stop && !interrupted()) step(f, rng);
  }

  /// Finite-difference ascent on the paired coordinates, each scaled by its own size: a gradient
  /// estimate (one evaluation per coordinate), then a backtracking line search along it.
  void polish(Objective& f, int evaluations) {
    const int stop = std::min(f.budget, f.used + evaluations);
    double t = 1e-2;
    while (f.used < stop && !interrupted()) {
      Case base = best_.c;
      const double base_ratio = f.raw(base);  // differences in double: the probes are too close for intervals
      if (!std::isfinite(base_ratio)) return;
      const std::vector<Block> blocks = blocks_of(base, true);
      const std::vector<Eigen::MatrixXd> at = values(base, blocks);
      std::vector<Eigen::MatrixXd> grad;
      double g2 = 0;
      for (size_t j = 0; j < blocks.size(); ++j) {
        const Eigen::MatrixXd& v = at[j];
        const double floor = block_floor(v);
        Eigen::MatrixXd g = Eigen::MatrixXd::Zero(v.rows(), v.cols());
        for (Eigen::Index i = 0; i < v.size() && f.used < stop; ++i) {
          const double scale = std::fabs(v.data()[i]) + floor;
          Eigen::MatrixXd w = v;
          w.data()[i] += 1e-7 * scale;
          Case cand = base;
          set_block(cand, blocks, blocks[j], w);
          const double r = f.raw(cand);
          // Scaled by the coordinate's size, so that the step below is relative to it.
          if (std::isfinite(r)) g.data()[i] = (r - base_ratio) / 1e-7 * scale;
        }
        g2 += g.squaredNorm();
        grad.push_back(std::move(g));
      }
      if (!(g2 > 0) || !std::isfinite(g2)) return;
      const double gn = std::sqrt(g2);
      bool improved = false;
      for (int k = 0; k < 12 && f.used < stop; ++k, t *= 0.25) {
        Case cand = base;
        for (size_t j = 0; j < blocks.size(); ++j) {
          const Eigen::MatrixXd& v = at[j];
          const double floor = block_floor(v);
          Eigen::MatrixXd w = v;
          for (Eigen::Index i = 0; i < v.size(); ++i)
            w.data()[i] += t * grad[j].data()[i] / gn * (std::fabs(v.data()[i]) + floor);
          set_block(cand, blocks, blocks[j], w);
        }
        const double r = f(cand, best_.ratio);
        if (beats(r, best_.ratio)) {
          best_ = {std::move(cand), r};
          improved = true;
          t *= 3;
          break;
        }
      }
      if (!improved) return;
    }
  }

  /// Quasi-Newton ascent (L-BFGS) on ratio(project(θ)) from the best point, with finite-difference
  /// gradients on the paired coordinates. Two choices make it work at the boundary of the domain:
  /// - θ is kept unprojected and every evaluation projects a copy. At a point the projection has
  ///   just pulled back (‖A‖ = R, where the sharp constants of the gradient-step statements are
  ///   approached) the ratio has a kink: a probe outward is pulled back, one inward is not, so the
  ///   coordinate-wise slopes do not add up to the slope of their sum and their "gradient" may point
  ///   downhill. Each block is first pushed out by 10⁻³ of itself; where the projection is a
  ///   rescaling, θ then lies outside the domain, its projection is the same point and the ratio is
  ///   smooth around θ (the rescaling is), so the gradient is that of the ratio along the boundary.
  /// - Coordinates are relative to each entry's size (fixed for an epoch of at most 20 iterations,
  ///   then taken again), so that entries of size 10³ and differences of size 10⁻⁶ move alike and
  ///   successive epochs can follow a limit at ±∞ or at 0 at a geometric pace.
  /// A step is accepted only when it raises the ratio (backtracking by 4, at most 8 tries): the
  /// ascent never loses the best point, and it ends after three epochs without progress.
  void ascend(Objective& f, int evaluations) {
    const int stop = std::min(f.budget, f.used + evaluations);
    Case cur = best_.c;
    const std::vector<Block> blocks = blocks_of(cur, true);
    for (const Block& b : blocks) set_block(cur, blocks, b, block_value(cur, b) * (1 + kOutward));
    double cur_ratio = projected_ratio(f, cur);
    if (!std::isfinite(cur_ratio)) return;
    Eigen::Index dim = 0;
    for (const Block& b : blocks) dim += cur.inputs.at(b.name).size();
    if (dim == 0) return;
    int idle_epochs = 0;
    while (f.used + dim + 2 <= stop && !interrupted() && idle_epochs < 3) {
      const Eigen::VectorXd scale = relative_scale(cur, blocks, dim);
      Eigen::VectorXd theta = flatten(cur, blocks, dim);
      Eigen::VectorXd g = gradient(f, cur, blocks, theta, scale, cur_ratio, stop);
      std::vector<Eigen::VectorXd> steps, changes;  // L-BFGS memory: s and y of −ratio, relative
      bool progressed = false;
      for (int it = 0; it < kEpoch && f.used + dim + 2 <= stop && !interrupted(); ++it) {
        const Eigen::VectorXd dir = lbfgs_direction(g, steps, changes);
        bool accepted = false;
        double a = 1;
        for (int tries = 0; tries < 8 && f.used < stop && !accepted; ++tries, a *= 0.25) {
          const Eigen::VectorXd next = theta + a * scale.cwiseProduct(dir);
          Case cand = unflatten(cur, blocks, next);
          Case projected = cand;
          const double r = f(projected, best_.ratio);
          if (!(r > cur_ratio)) continue;
          accepted = true;
          if (beats(r, best_.ratio)) best_ = {std::move(projected), r};
          cur = std::move(cand);
          const Eigen::VectorXd g_next = gradient(f, cur, blocks, next, scale, r, stop);
          const Eigen::VectorXd s = (next - theta).cwiseQuotient(scale), y = g - g_next;
          if (s.dot(y) > 1e-12 * s.norm() * y.norm()) {  // curvature condition: keeps H positive
            steps.push_back(s);
            changes.push_back(y);
            if (steps.size() > kMemory) {
              steps.erase(steps.begin());
              changes.erase(changes.begin());
            }
          }
          theta = next;
          cur_ratio = r;
          g = g_next;
        }
        if (!accepted) break;
        progressed = true;
      }
      idle_epochs = progressed ? 0 : idle_epochs + 1;
    }
  }


 private:
  static constexpr double kOutward = 1e-3;    ///< push of every block before the ascent
  static constexpr int kEpoch = 20;           ///< iterations before the relative scales are taken again
  static constexpr size_t kMemory = 8;        ///< L-BFGS pairs kept
  static constexpr double kProbe = 1e-6;      ///< finite-difference step, relative to the entry
  static constexpr double kFirstStep = 1e-2;  ///< without curvature yet: largest relative change of an entry

  static double projected_ratio(Objective& f, const Case& c) {
    Case copy = c;
    return f.raw(copy);
  }
  /// The blocks' entries as one vector, and back (the case's other inputs as in `like`).
  static Eigen::VectorXd flatten(const Case& c, const std::vector<Block>& blocks, Eigen::Index dim) {
    Eigen::VectorXd out(dim);
    Eigen::Index k = 0;
    for (const Block& b : blocks) {
      const Eigen::MatrixXd v = block_value(c, b);
      for (Eigen::Index i = 0; i < v.size(); ++i) out(k++) = v.data()[i];
    }
    return out;
  }
  static Case unflatten(const Case& like, const std::vector<Block>& blocks, const Eigen::VectorXd& theta) {
    Case c = like;
    Eigen::Index k = 0;
    for (const Block& b : blocks) {
      Eigen::MatrixXd v = block_value(c, b);
      for (Eigen::Index i = 0; i < v.size(); ++i) v.data()[i] = theta(k++);
      set_block(c, blocks, b, v);
    }
    return c;
  }
  /// Each entry's size plus its block's floor: the unit of the relative coordinates.
  static Eigen::VectorXd relative_scale(const Case& c, const std::vector<Block>& blocks, Eigen::Index dim) {
    Eigen::VectorXd out(dim);
    Eigen::Index k = 0;
    for (const Block& b : blocks) {
      const Eigen::MatrixXd v = block_value(c, b);
      const double floor = block_floor(v);
      for (Eigen::Index i = 0; i < v.size(); ++i) out(k++) = std::fabs(v.data()[i]) + floor;
    }
    return out;
  }
  /// Forward differences of ratio(project(θ)) in the relative coordinates (one evaluation each).
  static Eigen::VectorXd gradient(Objective& f, const Case& like, const std::vector<Block>& blocks,
                                  const Eigen::VectorXd& theta, const Eigen::VectorXd& scale, double base, int stop) {
    Eigen::VectorXd g = Eigen::VectorXd::Zero(theta.size());
    for (Eigen::Index k = 0; k < theta.size() && f.used < stop; ++k) {
      Eigen::VectorXd probe = theta;
      probe(k) += kProbe * scale(k);
      const double r = projected_ratio(f, unflatten(like, blocks, probe));
      if (std::isfinite(r)) g(k) = (r - base) / kProbe;
    }
    return g;
  }
  /// The L-BFGS two-loop recursion for ascent (H·g, H the inverse Hessian estimate of −ratio); a
  /// scaled gradient when there is no curvature yet or the result is not an ascent direction.
  static Eigen::VectorXd lbfgs_direction(const Eigen::VectorXd& g, const std::vector<Eigen::VectorXd>& s,
                                         const std::vector<Eigen::VectorXd>& y) {
    const Eigen::VectorXd plain = g * (kFirstStep / std::max(g.cwiseAbs().maxCoeff(), 1e-300));
    if (s.empty()) return plain;
    Eigen::VectorXd q = g;
    std::vector<double> alpha(s.size());
    for (size_t j = s.size(); j-- > 0;) {
      alpha[j] = s[j].dot(q) / y[j].dot(s[j]);
      q -= alpha[j] * y[j];
    }
    q *= s.back().dot(y.back()) / y.back().squaredNorm();
    for (size_t j = 0; j < s.size(); ++j) q += (alpha[j] - y[j].dot(q) / y[j].dot(s[j])) * s[j];
    return q.allFinite() && q.dot(g) > 0 ? q : plain;
  }

  static std::vector<Eigen::MatrixXd> values(
const Case& c, const std::vector<Block>& blocks) {
    std::vector<Eigen::MatrixXd> out;
    for (const Block& b : blocks) out.push_back(block_value(c, b));
    return out;
  }

  Move draw(Rng& rng) const {
    double w[kMoves], total = 0;
    for (int m = 0; m < kMoves; ++m) total += w[m] = 0.05 + (success_[m] + 1.0) / (tries_[m] + 2.0);
    double u = rng.uniform(0.0, total);
    for (int m = 0; m < kMoves; ++m)
      if ((u -= w[m]) <= 0) return static_cast<Move>(m);
    return Move::gauss;
  }

  /// After a success, the same displacement again, doubled while it keeps improving (the pattern
  /// move of Hooke and Jeeves): a limit at infinity or at a face is followed at a geometric pace.
  void extrapolate(Objective& f) {
    Case cand = best_.c;
    for (auto& [name, m] : cand.inputs) m += last_step_.at(name);
    const double r = f(cand, best_.ratio);
    if (beats(r, best_.ratio)) {
      for (auto& [name, m] : last_step_) m = 2.0 * (cand.inputs.at(name) - best_.c.inputs.at(name));
      best_ = {std::move(cand), r};
    } else {
      last_step_.clear();
    }
  }

  void remember_step(const Case& from, const Case& to) {
    last_step_.clear();
    for (const auto& [name, m] : to.inputs) last_step_[name] = m - from.inputs.at(name);
  }

  void step(Objective& f, Rng& rng) {
    if (!last_step_.empty()) {
      extrapolate(f);
      return;
    }
    const Move move = draw(rng);
    const int m = static_cast<int>(move);
    const std::vector<Block> blocks = blocks_of(best_.c, rng.unit() < 0.5);
    Case cand = best_.c;
    cand.family = "search";
    if (blocks.empty()) {  // nothing to move (a statement without inputs): spend the evaluation
      f.raw(cand);
      return;
    }
    const Block& b = blocks[static_cast<size_t>(rng.unit() * static_cast<double>(blocks.size())) % blocks.size()];
    Eigen::MatrixXd v = block_value(cand, b);
    if (v.size() == 0) {
      f.raw(cand);
      return;
    }
    const double floor = block_floor(v);
    const Eigen::Index i = static_cast<Eigen::Index>(rng.unit() * static_cast<double>(v.size())) % v.size();
    switch (move) {
      case Move::gauss:  // every coordinate of every block, relative to its size
        for (const Block& each : blocks) {
          Eigen::MatrixXd w = block_value(cand, each);
          const double fl = block_floor(w);
          for (Eigen::Index k = 0; k < w.size(); ++k) w.data()[k] += sigma_[m] * (std::fabs(w.data()[k]) + fl) * rng.normal();
          set_block(cand, blocks, each, w);
        }
        break;
      case Move::coordinate:
        v.data()[i] += sigma_[m] * (std::fabs(v.data()[i]) + floor) * rng.normal();
        set_block(cand, blocks, b, v);
        break;
      case Move::push: {  // one coordinate far out (toward ±∞) or far in (toward 0)
        const double factor = std::exp(rng.uniform(-2.0, 3.0));
        v.data()[i] = v.data()[i] == 0 ? floor * (rng.unit() < 0.5 ? -1 : 1) : v.data()[i] * factor;
        set_block(cand, blocks, b, v);
        break;
      }
      case Move::scale:  // a whole block: an input toward the boundary, two inputs toward each other
        v *= std::exp(sigma_[m] * 4.0 * rng.normal());
        set_block(cand, blocks, b, v);
        break;
      case Move::count: break;
    }
    const double r = f(cand, best_.ratio);
    ++tries_[m];
    if (beats(r, best_.ratio)) {
      remember_step(best_.c, cand);
      best_ = {std::move(cand), r};
      ++success_[m];
      sigma_[m] = std::min(sigma_[m] * 1.5, 1.0);
    } else {
      sigma_[m] = std::max(sigma_[m] * 0.9, 1e-13);
    }
    // A step size that collapsed has stopped finding anything: widen it again (a restart in place).
    if (sigma_[m] < 1e-12) sigma_[m] = 0.05;
  }

  Scored best_;
  std::map<std::string, Eigen::MatrixXd> last_step_;  ///< the last successful displacement, if any
  double sigma_[kMoves];
  double success_[kMoves] = {};
  double tries_[kMoves] = {};
};

bool same_inputs(const Case& a, const Case& b) { return a.inputs == b.inputs; }

constexpr int kStructuredStarts = 128;  ///< structured starts scored next to the given ones

// ---- structured starts ---------------------------------------------------------------------------
//
// Uniform random starts rarely come near the points where the sharp constants of softmax
// statements are approached once n ≥ 8: there the probabilities sit near a face of the simplex (two
// coordinates at ½, the rest near 0), the matrices are of low rank with singular vectors lined up
// with the vectors they act on, norms sit on the boundary of their hypotheses, and a second input
// lies close to its partner. The structured starts are built from the shapes of the given starts
// alone (nothing of the obligation but its inputs): each matrix is Σ σ_k u_k v_kᵀ of rank 1 or 2
// with orthonormal random v_k and left factors u_k drawn from sparse patterns over one random
// ordering of the coordinates shared by every input of that length (a difference e₁ − e₂; a face,
// k coordinates high and the rest equal and lower; the indicator of two coordinates), a vector as
// long as a matrix's columns is ± one of that matrix's v_k, and a paired input is its partner plus
// a small structured step. Sizes are the largest seen among the starts for that input, half of the
// time pushed out by 1% so that the projection puts the input on the boundary of its hypothesis.

/// A random ordering of 0 … len − 1.
std::vector<Eigen::Index> random_order(Eigen::Index len, Rng& rng) {
  std::vector<Eigen::Index> order(static_cast<size_t>(len));
  for (Eigen::Index i = 0; i < len; ++i) order[static_cast<size_t>(i)] = i;
  for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[static_cast<size_t>(rng.unit() * static_cast<double>(i)) % i]);
  return order;
}

enum class Pattern { any, difference, face, indicator };

/// A unit vector of length len: a sparse pattern over the leading coordinates of `order`, or a
/// Gaussian one (`any`: one of them at random).
Eigen::VectorXd pattern(const std::vector<Eigen::Index>& order, Rng& rng, Pattern want = Pattern::any) {
  const Eigen::Index len = static_cast<Eigen::Index>(order.size());
  Eigen::VectorXd u = Eigen::VectorXd::Zero(len);
  auto at = [&](size_t k) -> double& { return u(order[k]); };
  const double kind = want == Pattern::any          ? rng.unit()
                      : want == Pattern::difference ? 0.2
                      : want == Pattern::face       ? 0.5
                                                    : 0.9;
  if (len < 2 || kind < 0.1) {
    u = rng.normal_matrix(static_cast<int>(len), 1).col(0);
  } else if (kind < 0.4) {  // a difference of two coordinates
    at(0) = 1;
    at(1) = -1;
  } else if (kind < 0.85) {  // a face: k coordinates high (two when asked for), the others equal and lower
    const size_t high = want == Pattern::face ? std::min<size_t>(2, order.size() - 1)
                                              : 1 + static_cast<size_t>(rng.unit() * 2.0) % std::min<size_t>(2, order.size() - 1);
    const double low = -std::pow(10.0, rng.uniform(-2.0, 0.3));  // the others 10⁻² … 2 times as far below 0
    for (size_t k = 0; k < order.size(); ++k) at(k) = k < high ? 1.0 : low;
  } else {  // the indicator of two coordinates
    at(0) = 1;
    at(1) = 1;
  }
  const double norm = u.norm();
  return norm > 0 && std::isfinite(norm) ? Eigen::VectorXd(u / norm) : Eigen::VectorXd(Eigen::VectorXd::Unit(len, 0));
}

/// Orthonormal random columns (count of them, at most rows).
Eigen::MatrixXd orthonormal_columns(Eigen::Index rows, Eigen::Index count, Rng& rng) {
  const Eigen::MatrixXd g = rng.normal_matrix(static_cast<int>(rows), static_cast<int>(count));
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(g);
  return qr.householderQ() * Eigen::MatrixXd::Identity(rows, count);
}

std::vector<Case> structured_starts(const std::vector<Case>& starts, int count, Rng& rng) {
  std::vector<Case> out;
  if (starts.empty()) return out;
  const Case& like = starts.front();
  std::map<std::string, double> size;  // the largest Frobenius norm of each input among the starts
  for (const Case& c : starts)
    for (const auto& [name, m] : c.inputs)
      if (m.allFinite()) size[name] = std::max(size[name], m.norm());
  const std::vector<Block> blocks = blocks_of(like, true);
  for (int k = 0; k < count; ++k) {
    Case c = like;
    c.family = "search";
    // Half of the starts are coherent: a matrix's two left factors are a difference of two
    // coordinates and a face on the same two, a vector a face or indicator on them plus a multiple of
    // their difference (the pieces of a point where p sits at (½, ½, 0, …) and a step moves along
    // (1, −1, 0, …)); the others draw every pattern independently.
    const bool coherent = rng.unit() < 0.5;
    std::map<Eigen::Index, std::vector<Eigen::Index>> orders;     // per length: the shared ordering
    std::map<Eigen::Index, Eigen::MatrixXd> right;                 // per column count: the last v_k
    auto order_of = [&](Eigen::Index len) -> const std::vector<Eigen::Index>& {
      auto it = orders.find(len);
      if (it == orders.end()) it = orders.emplace(len, random_order(len, rng)).first;
      return it->second;
    };
    // A unit rows × cols matrix: ± a v_k of a matrix with `rows` columns, or Σ σ_k u_k v_kᵀ.
    auto shape = [&](Eigen::Index rows, Eigen::Index cols, bool base) -> Eigen::MatrixXd {
      const auto aligned = right.find(rows);
      if (cols == 1 && aligned != right.end() && rng.unit() < 0.75) {
        const Eigen::MatrixXd& v = aligned->second;
        const Eigen::Index j = static_cast<Eigen::Index>(rng.unit() * static_cast<double>(v.cols())) % v.cols();
        return v.col(j) * (rng.unit() < 0.5 ? 1.0 : -1.0);
      }
      if (cols == 1 && coherent) {
        Eigen::VectorXd u = pattern(order_of(rows), rng, rng.unit() < 0.5 ? Pattern::face : Pattern::indicator);
        u += rng.uniform(-1.0, 1.0) * pattern(order_of(rows), rng, Pattern::difference);
        return u / std::max(u.norm(), 1e-300);
      }
      if (cols == 1) {  // a vector: one pattern, or two in a random combination
        Eigen::VectorXd u = pattern(order_of(rows), rng);
        if (rng.unit() < 0.5) u += rng.uniform(-1.0, 1.0) * pattern(order_of(rows), rng);
        return u / std::max(u.norm(), 1e-300);
      }
      // Coherent: a base matrix of rank 2, a step of a paired one of rank 1 (a difference).
      const Eigen::Index rank = std::min<Eigen::Index>(cols, coherent ? (base ? 2 : 1) : rng.unit() < 0.5 ? 1 : 2);
      // A step of a paired matrix acts on the same vectors as its partner, half of the time.
      const auto same = right.find(cols);
      Eigen::MatrixXd v = orthonormal_columns(cols, rank, rng);
      if (!base && same != right.end() && (coherent || rng.unit() < 0.5)) {
        v = same->second;
        if (v.cols() > 1 && rng.unit() < 0.5) v.col(0).swap(v.col(1));
        v.conservativeResize(Eigen::NoChange, std::min<Eigen::Index>(rank, v.cols()));
      }
      Eigen::MatrixXd m = Eigen::MatrixXd::Zero(rows, cols);
      for (Eigen::Index j = 0; j < v.cols(); ++j)
        m += (j == 0 || rng.unit() < 0.5 ? 1.0 : rng.uniform(0.2, 1.0)) *  // equal singular values half of the time
             pattern(order_of(rows), rng, !coherent ? Pattern::any : j == 0 ? Pattern::difference : Pattern::face) *
             v.col(j).transpose();
      if (base && rows > 1 && cols > 1) right[cols] = v;
      return m / std::max(m.norm(), 1e-300);
    };
    for (const Block& b : blocks) {
      const Eigen::MatrixXd& m = like.inputs.at(b.name);
      if (m.size() == 0) continue;
      if (b.partner.empty()) {
        const double s = size[b.name] * (rng.unit() < 0.5 ? 1.01 : rng.uniform(0.2, 1.0));
        c.inputs[b.name] = s * shape(m.rows(), m.cols(), true);
      } else {  // the partner plus a step of relative size 10⁻⁵ … 10⁻¹
        const Eigen::MatrixXd& partner = c.inputs.at(b.partner);
        const double s = std::max(partner.norm(), 1e-300) * std::pow(10.0, -rng.uniform(1.0, 5.0));
        c.inputs[b.name] = partner + s * shape(m.rows(), m.cols(), false);
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}


}  // namespace

namespace {

/// Successive halving: the best starts of the pool (at most 8) share each round's evaluations
/// equally, and the better half goes on to the next round. The last fifth refines the best point:
/// by the quasi-Newton ascent when its ratio is ≥ ½, that is near enough to the constant for a
/// slightly wrong constant to be at stake, where the last digits are what counts; below that by the
/// finite-difference polish (on the paper's loose statements, ratios 10⁻³⁰ to 0.15 at the default
/// settings, it reaches the higher ratios at this budget). What either leaves is climbed. Returns
/// up to `keep` distinct best points, best first.
std::vector<Case> climb_pool(Objective& f, Rng& rng, std::vector<Scored> pool, int keep) {
  std::stable_sort(pool.begin(), pool.end(), [](const Scored& a, const Scored& b) { return a.ratio > b.ratio; });
  std::vector<Climber> climbers;
  for (size_t k = 0; k < pool.size() && climbers.size() < 8; ++k) climbers.emplace_back(pool[k]);
  const int remaining = std::max(0, f.budget - f.used);
  const int ascent = remaining / 5;
  int rounds = 1;
  for (size_t w = climbers.size(); w > 1; w = (w + 1) / 2) ++rounds;
  const int per_round = (remaining - ascent) / rounds;
  size_t width = climbers.size();
  for (int round = 0; round < rounds && width > 0 && !f.exhausted(); ++round) {
    for (size_t k = 0; k < width; ++k) climbers[k].climb(f, rng, per_round / static_cast<int>(width));
    std::stable_sort(climbers.begin(), climbers.begin() + static_cast<std::ptrdiff_t>(width),
                     [](const Climber& a, const Climber& b) { return a.best().ratio > b.best().ratio; });
    width = width > 1 ? (width + 1) / 2 : 1;
  }
  if (!climbers.empty()) {
    if (climbers[0].best().ratio >= 0.5) climbers[0].ascend(f, f.budget - f.used);
    else climbers[0].polish(f, f.budget - f.used);
    climbers[0].climb(f, rng, f.budget - f.used);  // what the refinement left
  }
  std::stable_sort(climbers.begin(), climbers.end(),
                   [](const Climber& a, const Climber& b) { return a.best().ratio > b.best().ratio; });
  std::vector<Case> out;
  for (const Climber& cl : climbers) {
    if (static_cast<int>(out.size()) >= keep) break;
    if (!std::isfinite(cl.best().ratio)) continue;
    bool seen = false;
    for (const Case& o : out) seen = seen || same_inputs(o, cl.best().c);
    if (!seen) out.push_back(cl.best().c);
  }
  return out;
}

}  // namespace

std::vector<Case> adversarial_search(const Obligation& ob, const Settings& s, std::vector<Case> starts, int budget,
                                     int keep, std::uint64_t seed, int* evaluations) {
  Rng rng(seed);
  Objective f{ob, s, budget};
  std::vector<Scored> pool;
  for (Case& c : starts) {
    if (f.exhausted()) break;
    Scored sc{c, 0.0};
    sc.c.family = "search";
    sc.ratio = f(sc.c, -std::numeric_limits<double>::infinity());
    pool.push_back(std::move(sc));
  }
  const int scoring = f.used;
  std::vector<Case> out = climb_pool(f, rng, pool, keep);
  // The structured starts, with their own random stream and on top of the budget: where one of
  // them beats every given start, a second search with half the climbing budget runs from the pool
  // of both, and its best points are kept as well. Elsewhere they cost kStructuredStarts
  // evaluations. The first search is the same as without them either way, so no point it finds is
  // lost (merged into one pool, the structured starts took the places of given starts that led to
  // higher ratios on some loose statements).
  Rng structured_rng(seed ^ 0x9e3779b97f4a7c15ULL);
  Objective g{ob, s, kStructuredStarts};
  double best_given = -std::numeric_limits<double>::infinity();
  for (const Scored& sc : pool) best_given = std::max(best_given, sc.ratio);
  bool lead = false;
  for (Case& c : structured_starts(starts, kStructuredStarts, structured_rng)) {
    if (g.exhausted()) break;
    Scored sc{std::move(c), 0.0};
    sc.ratio = g(sc.c, -std::numeric_limits<double>::infinity());
    lead = lead || sc.ratio > best_given;
    pool.push_back(std::move(sc));
  }
  if (lead) {
    g.budget = g.used + (budget - scoring) / 2;
    for (Case& c : climb_pool(g, structured_rng, std::move(pool), keep)) {
      bool seen = false;
      for (const Case& o : out) seen = seen || same_inputs(o, c);
      if (!seen) out.push_back(std::move(c));
    }
  }
  if (evaluations) *evaluations = f.used + g.used;
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
      if (rep.violations.empty() && (!worst_has_ratio || mpfr_greater_p(r.ratio.mid().get(), worst_ratio.get()))) {
        worst_ratio = r.ratio.mid();
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
