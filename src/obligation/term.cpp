// Symbolic terms: construction, printing, shapes, signs and the normal form (obligation/term.hpp).
#include "certbound/obligation/term.hpp"

#include <algorithm>
#include <numeric>

#include "certbound/arith/interval.hpp"
#include "certbound/arith/ops.hpp"

namespace certbound::symbolic {

// ---- Rational ----------------------------------------------------------------------------------

namespace {
std::int64_t checked(__int128 v) {
  if (v > INT64_MAX || v < -INT64_MAX) throw SymbolicError("rational coefficient overflows 64 bits");
  return static_cast<std::int64_t>(v);
}
}  // namespace

Rational::Rational(std::int64_t num, std::int64_t den) {
  if (den == 0) throw SymbolicError("rational with zero denominator");
  if (den < 0) num = -num, den = -den;
  const std::int64_t g = std::gcd(num < 0 ? -num : num, den);
  num_ = g ? num / g : 0;
  den_ = g ? den / g : 1;
}
Rational operator+(const Rational& a, const Rational& b) {
  return Rational(checked(__int128(a.num_) * b.den_ + __int128(b.num_) * a.den_), checked(__int128(a.den_) * b.den_));
}
Rational operator-(const Rational& a, const Rational& b) { return a + (-b); }
Rational operator*(const Rational& a, const Rational& b) {
  return Rational(checked(__int128(a.num_) * b.num_), checked(__int128(a.den_) * b.den_));
}
Rational operator/(const Rational& a, const Rational& b) {
  if (b.num_ == 0) throw SymbolicError("division of rationals by zero");
  return Rational(checked(__int128(a.num_) * b.den_), checked(__int128(a.den_) * b.num_));
}
bool operator<(const Rational& a, const Rational& b) { return __int128(a.num_) * b.den_ < __int128(b.num_) * a.den_; }
std::string Rational::text() const {
  return den_ == 1 ? std::to_string(num_) : std::to_string(num_) + "/" + std::to_string(den_);
}

// ---- construction ------------------------------------------------------------------------------

namespace {
Term make(Op op, std::vector<Term> args = {}, std::string name = {}, Rational value = {}) {
  return std::make_shared<const Node>(Node{op, std::move(name), value, std::move(args)});
}
}  // namespace

Term num(std::int64_t p, std::int64_t q) { return make(Op::number, {}, {}, Rational(p, q)); }
Term num(const Rational& r) { return make(Op::number, {}, {}, r); }
Term sym(const std::string& name) { return make(Op::symbol, {}, name); }
Term named(const std::string& name) { return make(Op::input, {}, name); }
Term coord(Term v) { return make(Op::coordinate, {std::move(v)}); }
Term add(std::vector<Term> terms) { return make(Op::add, std::move(terms)); }
Term mul(std::vector<Term> factors) { return make(Op::mul, std::move(factors)); }
Term pow(Term base, const Rational& exponent) { return make(Op::pow, {std::move(base)}, {}, exponent); }
Term neg(Term a) { return mul({num(-1), std::move(a)}); }
Term sub(Term a, Term b) { return add({std::move(a), neg(std::move(b))}); }
Term inv(Term a) { return pow(std::move(a), Rational(-1)); }
Term sqrt(Term a) { return pow(std::move(a), Rational(1, 2)); }
Term exp(Term a) { return make(Op::exp, {std::move(a)}); }
Term log(Term a) { return make(Op::log, {std::move(a)}); }
Term abs(Term a) { return make(Op::abs, {std::move(a)}); }
Term phi1(Term a) { return make(Op::phi1, {std::move(a)}); }
Term max_index(Term a) { return make(Op::max_index, {std::move(a)}); }
Term sum_others(Term v) { return make(Op::sum_others, {std::move(v)}); }
Term ones(const std::string& dimension) { return make(Op::ones, {}, dimension); }
Term apply(Term m, Term v) { return make(Op::apply, {std::move(m), std::move(v)}); }
Term matmul(Term m, Term n) { return make(Op::matmul, {std::move(m), std::move(n)}); }
Term transpose(Term m) { return make(Op::transpose, {std::move(m)}); }
Term hadamard(Term u, Term v) { return make(Op::hadamard, {std::move(u), std::move(v)}); }
Term vexp(Term v) { return make(Op::vexp, {std::move(v)}); }
Term softmax(Term v) { return make(Op::softmax, {std::move(v)}); }
Term jac(Term p) { return make(Op::jac, {std::move(p)}); }
Term dot_ones(Term v) { return make(Op::dot_ones, {std::move(v)}); }
Term norm2(Term v) { return make(Op::norm2, {std::move(v)}); }
Term norm_inf(Term v) { return make(Op::norm_inf, {std::move(v)}); }
Term norm1(Term v) { return make(Op::norm1, {std::move(v)}); }
Term opnorm(Term m) { return make(Op::opnorm, {std::move(m)}); }

// ---- printing ----------------------------------------------------------------------------------

namespace {
bool is_negative_product(const Term& t) {
  return t->op == Op::mul && !t->args.empty() && t->args[0]->op == Op::number && t->args[0]->value.sign() < 0;
}
bool is_atom(const Term& t) {
  switch (t->op) {
    case Op::number: return t->value.sign() >= 0 && t->value.is_integer();
    case Op::pow: return is_atom(t->args[0]) && t->value.sign() > 0 && t->value.is_integer();
    case Op::symbol: case Op::input: case Op::ones: case Op::coordinate: case Op::exp: case Op::log: case Op::abs:
    case Op::phi1: case Op::max_index: case Op::sum_others: case Op::vexp: case Op::softmax: case Op::jac:
    case Op::dot_ones: case Op::norm2: case Op::norm_inf: case Op::norm1: case Op::opnorm: case Op::transpose:
      return true;
    default: return false;
  }
}
std::string wrapped(const Term& t) { return is_atom(t) ? to_text(t) : "(" + to_text(t) + ")"; }
std::string product_text(const std::vector<Term>& factors, std::size_t from) {
  std::string s;
  for (std::size_t i = from; i < factors.size(); ++i) s += (s.empty() ? "" : "·") + wrapped(factors[i]);
  return s;
}
}  // namespace

std::string to_text(const Term& t) {
  const auto& a = t->args;
  switch (t->op) {
    case Op::number: return t->value.text();
    case Op::symbol: case Op::input: return t->name;
    case Op::coordinate: return wrapped(a[0]) + "ᵢ";
    case Op::add: {
      std::string s;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (i > 0 && is_negative_product(a[i])) {
          std::vector<Term> f = a[i]->args;
          f[0] = num(-f[0]->value);
          s += " − " + (f[0]->value == Rational(1) && f.size() > 1 ? product_text(f, 1) : product_text(f, 0));
        } else if (i > 0 && a[i]->op == Op::number && a[i]->value.sign() < 0) {
          s += " − " + (-a[i]->value).text();
        } else {
          s += (i ? " + " : "") + to_text(a[i]);
        }
      }
      return s;
    }
    case Op::mul:
      if (a.size() >= 2 && a[0]->op == Op::number && a[0]->value == Rational(-1)) return "−" + product_text(a, 1);
      return product_text(a, 0);
    case Op::pow:
      if (t->value == Rational(1, 2)) return "√" + wrapped(a[0]);
      return wrapped(a[0]) + "^{" + t->value.text() + "}";
    case Op::exp: return "e^{" + to_text(a[0]) + "}";
    case Op::log: return "log(" + to_text(a[0]) + ")";
    case Op::abs: return "|" + to_text(a[0]) + "|";
    case Op::phi1: return "φ₁(" + to_text(a[0]) + ")";
    case Op::max_index: return "maxᵢ(" + to_text(a[0]) + ")";
    case Op::sum_others: return "Σ_{j≠i}" + wrapped(a[0]) + "ⱼ";
    case Op::ones: return "1_" + t->name;
    case Op::apply: case Op::matmul: return wrapped(a[0]) + "·" + wrapped(a[1]);
    case Op::transpose: return wrapped(a[0]) + "ᵀ";
    case Op::hadamard: return wrapped(a[0]) + "∘" + wrapped(a[1]);
    case Op::vexp: return "exp(" + to_text(a[0]) + ")";
    case Op::softmax: return "softmax(" + to_text(a[0]) + ")";
    case Op::jac: return "J(" + to_text(a[0]) + ")";
    case Op::dot_ones: return "⟨" + to_text(a[0]) + ", 1⟩";
    case Op::norm2: return "‖" + to_text(a[0]) + "‖₂";
    case Op::norm_inf: return "‖" + to_text(a[0]) + "‖_∞";
    case Op::norm1: return "‖" + to_text(a[0]) + "‖₁";
    case Op::opnorm: return "‖" + to_text(a[0]) + "‖";
  }
  return "?";
}

namespace {
Term abbreviated(const Term& t, const Names& names) {
  for (const auto& [term, name] : names)
    if (same(t, term)) return sym(name);
  if (t->args.empty()) return t;
  std::vector<Term> args;
  for (const Term& c : t->args) args.push_back(abbreviated(c, names));
  return make(t->op, std::move(args), t->name, t->value);
}
}  // namespace

std::string to_text(const Term& t, const Names& names) { return to_text(abbreviated(t, names)); }

bool same(const Term& a, const Term& b) {
  if (a == b) return true;
  if (a->op != b->op || a->name != b->name || !(a->value == b->value) || a->args.size() != b->args.size()) return false;
  for (std::size_t i = 0; i < a->args.size(); ++i)
    if (!same(a->args[i], b->args[i])) return false;
  return true;
}

bool contains_op(const Term& t, Op op) {
  if (t->op == op) return true;
  return std::any_of(t->args.begin(), t->args.end(), [&](const Term& c) { return contains_op(c, op); });
}
bool contains_name(const Term& t, const std::string& name) {
  if ((t->op == Op::symbol || t->op == Op::input || t->op == Op::ones) && t->name == name) return true;
  return std::any_of(t->args.begin(), t->args.end(), [&](const Term& c) { return contains_name(c, name); });
}

Term substitute(const Term& t, const std::map<std::string, Term>& by) {
  if (t->op == Op::ones) {  // 1ₙ follows its dimension symbol
    const auto it = by.find(t->name);
    return it != by.end() && it->second->op == Op::symbol ? ones(it->second->name) : t;
  }
  if (t->op == Op::symbol || t->op == Op::input) {
    const auto it = by.find(t->name);
    return it == by.end() ? t : it->second;
  }
  if (t->args.empty()) return t;
  std::vector<Term> args;
  args.reserve(t->args.size());
  for (const Term& c : t->args) args.push_back(substitute(c, by));
  return make(t->op, std::move(args), t->name, t->value);
}

// ---- ranges, shapes, signs ---------------------------------------------------------------------

std::string Range::text(const std::string& name) const {
  const std::string lo_text = lo.text(), lower = (lo_open ? " > " : " ≥ ");
  if (!hi) return name + lower + lo_text;
  return name + " ∈ " + (lo_open ? "(" : "[") + lo_text + ", " + hi->text() + (hi_open ? ")" : "]");
}

Shape Signature::shape_of(const Term& t) const {
  const auto& a = t->args;
  auto fail = [&](const std::string& why) -> Shape { throw SymbolicError("ill-formed term " + to_text(t) + ": " + why); };
  auto vector_of = [&](const Term& v) {
    const Shape s = shape_of(v);
    if (s.kind != Shape::vector) fail(to_text(v) + " is not a vector");
    return s;
  };
  switch (t->op) {
    case Op::number: return {};
    case Op::symbol:
      if (!symbols.count(t->name)) fail("unknown symbol " + t->name);
      return {};
    case Op::input: {
      const auto it = inputs.find(t->name);
      if (it == inputs.end()) fail("unknown input " + t->name);
      return it->second;
    }
    case Op::coordinate: case Op::sum_others: case Op::dot_ones: case Op::norm2: case Op::norm_inf: case Op::norm1:
      vector_of(a[0]);
      return {};
    case Op::opnorm:
      if (shape_of(a[0]).kind != Shape::matrix) fail("spectral norm of a non-matrix");
      return {};
    case Op::add: {
      const Shape s = shape_of(a.at(0));
      for (const Term& c : a)
        if (!(shape_of(c) == s)) fail("sum of different shapes");
      return s;
    }
    case Op::mul: {
      Shape s;
      for (const Term& c : a) {
        const Shape f = shape_of(c);
        if (f.kind == Shape::scalar) continue;
        if (s.kind != Shape::scalar) fail("product of two non-scalars (use apply, matmul or hadamard)");
        s = f;
      }
      return s;
    }
    case Op::max_index: {  // every generic entry inside indexes vectors of one dimension
      std::set<std::string> dims;
      std::function<void(const Term&)> collect = [&](const Term& x) {
        if (x->op == Op::coordinate || x->op == Op::sum_others) dims.insert(shape_of(x->args[0]).rows);
        for (const Term& c : x->args) collect(c);
      };
      collect(a[0]);
      if (dims.size() > 1) fail("maxᵢ over entries of vectors of different dimensions");
      if (shape_of(a[0]).kind != Shape::scalar) fail("scalar function of a non-scalar");
      return {};
    }
    case Op::pow: case Op::exp: case Op::log: case Op::abs: case Op::phi1:
      if (shape_of(a[0]).kind != Shape::scalar) fail("scalar function of a non-scalar");
      return {};
    case Op::ones: return {Shape::vector, t->name, "1"};
    case Op::apply: {
      const Shape m = shape_of(a[0]), v = vector_of(a[1]);
      if (m.kind != Shape::matrix || m.cols != v.rows) fail("matrix–vector product of mismatched shapes");
      return {Shape::vector, m.rows, "1"};
    }
    case Op::matmul: {
      const Shape m = shape_of(a[0]), n = shape_of(a[1]);
      if (m.kind != Shape::matrix || n.kind != Shape::matrix || m.cols != n.rows) fail("matrix product of mismatched shapes");
      return {Shape::matrix, m.rows, n.cols};
    }
    case Op::transpose: {
      const Shape m = shape_of(a[0]);
      if (m.kind != Shape::matrix) fail("transpose of a non-matrix");
      return {Shape::matrix, m.cols, m.rows};
    }
    case Op::hadamard: {
      const Shape u = vector_of(a[0]), v = vector_of(a[1]);
      if (!(u == v)) fail("Hadamard product of vectors of different dimensions");
      return u;
    }
    case Op::vexp: case Op::softmax: return vector_of(a[0]);
    case Op::jac: {
      const Shape p = vector_of(a[0]);
      return {Shape::matrix, p.rows, p.rows};
    }
  }
  return {};
}

namespace {
Sign from_range(const Range& r) {
  if (r.lo.sign() > 0 || (r.lo.sign() == 0 && r.lo_open)) return Sign::positive;
  if (r.lo.sign() == 0) return Sign::nonnegative;
  if (r.hi && (r.hi->sign() < 0 || (r.hi->sign() == 0 && r.hi_open))) return Sign::negative;
  if (r.hi && r.hi->sign() == 0) return Sign::nonpositive;
  return Sign::unknown;
}
bool nonneg(Sign s) { return s == Sign::nonnegative || s == Sign::positive || s == Sign::zero; }
bool nonpos(Sign s) { return s == Sign::nonpositive || s == Sign::negative || s == Sign::zero; }
Sign times(Sign a, Sign b) {
  if (a == Sign::zero || b == Sign::zero) return Sign::zero;
  if (a == Sign::unknown || b == Sign::unknown) return Sign::unknown;
  const bool strict = (a == Sign::positive || a == Sign::negative) && (b == Sign::positive || b == Sign::negative);
  const bool negative = nonpos(a) != nonpos(b);
  if (negative) return strict ? Sign::negative : Sign::nonpositive;
  return strict ? Sign::positive : Sign::nonnegative;
}
/// Every entry certainly > 0: softmax(z), exp(v) and 1ₙ (so ⟨v, 1⟩ > 0 too).
bool has_positive_entries(const Term& v) { return v->op == Op::softmax || v->op == Op::vexp || v->op == Op::ones; }

/// An enclosure of a closed constant (numbers, + × integer and half powers, exp, log), or nullopt.
std::optional<Interval> closed_value(const Term& t) {
  try {
    switch (t->op) {
      case Op::number: {
        const auto small = [](std::int64_t v) { return v <= (std::int64_t(1) << 53) && v >= -(std::int64_t(1) << 53); };
        if (!small(t->value.num()) || !small(t->value.den())) return std::nullopt;
        return Interval(double(t->value.num())) / Interval(double(t->value.den()));
      }
      case Op::add: case Op::mul: {
        Interval r(t->op == Op::add ? 0.0 : 1.0);
        for (const Term& c : t->args) {
          const auto v = closed_value(c);
          if (!v) return std::nullopt;
          r = t->op == Op::add ? r + *v : r * *v;
        }
        return r;
      }
      case Op::pow: {
        auto b = closed_value(t->args[0]);
        if (!b) return std::nullopt;
        Rational e = t->value;
        if (e.den() == 2) b = ops::sqrt(*b), e = Rational(e.num());
        if (!e.is_integer() || e.num() < 0 || e.num() > 64) return std::nullopt;
        return boost::numeric::pow(*b, static_cast<int>(e.num()));
      }
      case Op::exp: case Op::log: {
        const auto v = closed_value(t->args[0]);
        if (!v) return std::nullopt;
        return t->op == Op::exp ? ops::exp(*v) : ops::log(*v);
      }
      default: return std::nullopt;
    }
  } catch (const std::exception&) {
    return std::nullopt;  // e.g. the log of an interval that is not certainly positive
  }
}
}  // namespace

bool is_closed_constant(const Term& t) {
  return !contains_op(t, Op::symbol) && !contains_op(t, Op::input) && !contains_op(t, Op::coordinate) &&
         !contains_op(t, Op::sum_others) && !contains_op(t, Op::ones);
}

Sign sign_of(const Term& t, const Signature& sig) {
  const auto& a = t->args;
  if (t->op != Op::number && is_closed_constant(t)) {  // e^{1/100} − 1 > 0: certified by interval arithmetic
    if (const auto v = closed_value(t)) {
      if (v->lower() > 0) return Sign::positive;
      if (v->upper() < 0) return Sign::negative;
    }
  }
  switch (t->op) {
    case Op::number: return t->value.sign() > 0 ? Sign::positive : (t->value.sign() < 0 ? Sign::negative : Sign::zero);
    case Op::symbol: {
      const auto it = sig.symbols.find(t->name);
      return it == sig.symbols.end() ? Sign::unknown : from_range(it->second);
    }
    case Op::coordinate: return has_positive_entries(a[0]) ? Sign::positive : Sign::unknown;  // softmax entries lie in (0, 1)
    case Op::sum_others: return has_positive_entries(a[0]) ? Sign::nonnegative : Sign::unknown;
    case Op::dot_ones: return has_positive_entries(a[0]) ? Sign::positive : Sign::unknown;
    case Op::add: {
      bool all_pos = true, all_nonneg = true, all_neg = true, all_nonpos = true;
      for (const Term& c : a) {
        const Sign s = sign_of(c, sig);
        all_pos &= s == Sign::positive || s == Sign::zero;
        all_nonneg &= nonneg(s);
        all_neg &= s == Sign::negative || s == Sign::zero;
        all_nonpos &= nonpos(s);
      }
      const bool some_strict = std::any_of(a.begin(), a.end(), [&](const Term& c) {
        const Sign s = sign_of(c, sig);
        return s == Sign::positive || s == Sign::negative;
      });
      if (all_pos && some_strict) return Sign::positive;
      if (all_nonneg) return Sign::nonnegative;
      if (all_neg && some_strict) return Sign::negative;
      if (all_nonpos) return Sign::nonpositive;
      return Sign::unknown;
    }
    case Op::mul: {
      Sign s = Sign::positive;
      for (const Term& c : a) s = times(s, sign_of(c, sig));
      return s;
    }
    case Op::pow: {
      const Sign b = sign_of(a[0], sig);
      const Rational& e = t->value;
      if (b == Sign::positive) return Sign::positive;
      if (e.is_integer() && e.num() % 2 == 0) return Sign::nonnegative;
      if (nonneg(b) && e.sign() > 0) return Sign::nonnegative;
      if ((b == Sign::negative) && e.is_integer()) return Sign::negative;  // odd integer power
      return Sign::unknown;
    }
    case Op::exp: case Op::phi1: return Sign::positive;
    case Op::abs: case Op::norm2: case Op::norm_inf: case Op::norm1: case Op::opnorm: return Sign::nonnegative;
    case Op::max_index: return sign_of(a[0], sig);
    default: return Sign::unknown;
  }
}
bool certainly_nonnegative(const Term& t, const Signature& sig) { return nonneg(sign_of(t, sig)); }
bool certainly_positive(const Term& t, const Signature& sig) { return sign_of(t, sig) == Sign::positive; }

// ---- normal form -------------------------------------------------------------------------------

namespace {

/// A monomial c · Π baseₖ^{eₖ} · X, X the optional non-scalar factor.
struct Monomial {
  Rational coefficient{1};
  std::vector<std::pair<Term, Rational>> factors;  // sorted by key of the base
  Term nonscalar;                                  // null for a scalar monomial
};
using Poly = std::vector<Monomial>;

class Normaliser {
 public:
  explicit Normaliser(const Signature& sig) : sig_(sig) {}

  Term run(const Term& t) {
    const auto& a = t->args;
    switch (t->op) {
      case Op::number: case Op::symbol: case Op::input: case Op::ones: return t;
      case Op::add: {
        Poly p;
        for (const Term& c : a) {
          Poly q = poly(run(c));
          p.insert(p.end(), q.begin(), q.end());
        }
        return from_poly(p);
      }
      case Op::mul: {
        Poly p{Monomial{}};
        for (const Term& c : a) p = product(p, poly(run(c)));
        return from_poly(p);
      }
      case Op::pow: return power(run(a[0]), t->value);
      case Op::exp: {
        const Term x = run(a[0]);
        return is_number(x, 0) ? num(1) : symbolic::exp(x);
      }
      case Op::log: {
        const Term x = run(a[0]);
        return is_number(x, 1) ? num(0) : symbolic::log(x);
      }
      case Op::phi1: {
        const Term x = run(a[0]);
        return is_number(x, 0) ? num(1) : symbolic::phi1(x);
      }
      case Op::abs: return absolute(run(a[0]));
      case Op::coordinate: return coordinate(run(a[0]));
      case Op::max_index: return maximum(run(a[0]));
      case Op::sum_others: return symbolic::sum_others(run(a[0]));
      case Op::vexp: return symbolic::vexp(run(a[0]));
      case Op::softmax: return symbolic::softmax(run(a[0]));
      case Op::jac: return symbolic::jac(run(a[0]));
      case Op::apply: case Op::matmul: case Op::hadamard: return bilinear(t->op, run(a[0]), run(a[1]));
      case Op::transpose: case Op::dot_ones: return linear(t->op, run(a[0]));
      case Op::norm2: case Op::norm_inf: case Op::norm1: case Op::opnorm: return norm(t->op, run(a[0]));
    }
    return t;
  }

 private:
  const Signature& sig_;

  static bool is_number(const Term& t, std::int64_t v) { return t->op == Op::number && t->value == Rational(v); }
  bool scalar(const Term& t) const { return sig_.shape_of(t).kind == Shape::scalar; }

  Monomial monomial(const Term& t) const {
    Monomial m;
    if (t->op == Op::number) {
      m.coefficient = t->value;
    } else if (t->op == Op::mul) {
      for (const Term& f : t->args) {
        if (f->op == Op::number) m.coefficient = m.coefficient * f->value;
        else if (!scalar(f)) m.nonscalar = f;
        else if (f->op == Op::pow) m.factors.push_back({f->args[0], f->value});
        else m.factors.push_back({f, Rational(1)});
      }
    } else if (!scalar(t)) {
      m.nonscalar = t;
    } else if (t->op == Op::pow) {
      m.factors.push_back({t->args[0], t->value});
    } else {
      m.factors.push_back({t, Rational(1)});
    }
    return m;
  }
  Poly poly(const Term& t) const {
    // A sum that is a closed constant (e^{1/100} − 1) stays one factor: κ = 100(e^{1/100} − 1) then
    // reads as one number in every product instead of being distributed.
    if (t->op != Op::add || is_closed_constant(t)) return {monomial(t)};
    Poly p;
    for (const Term& c : t->args) p.push_back(monomial(c));
    return p;
  }

  /// Merge base^e into the sorted factor list: x^a·x^b = x^{a+b} when x > 0, or when both exponents
  /// are non-negative integers (no division by a possibly zero x is introduced or removed).
  /// Exponentials are collected into one: (e^a)^r·(e^b)^s = e^{ra + sb} (exact for every real a, b;
  /// the new exponent is normalised by normal_form's next pass).
  void merge(std::vector<std::pair<Term, Rational>>& fs, const Term& base, const Rational& e) const {
    if (base->op == Op::exp) {
      const Term arg = e == Rational(1) ? base->args[0] : symbolic::mul({num(e), base->args[0]});
      for (auto& [b, x] : fs) {
        if (b->op != Op::exp || !(x == Rational(1))) continue;
        b = symbolic::exp(symbolic::add({b->args[0], arg}));
        return;
      }
      fs.push_back({e == Rational(1) ? base : symbolic::exp(arg), Rational(1)});
      return;
    }
    const std::string key = to_text(base);
    for (auto& [b, x] : fs) {
      if (to_text(b) != key) continue;
      const bool integers = e.is_integer() && x.is_integer() && e.sign() >= 0 && x.sign() >= 0;
      if (integers || certainly_positive(base, sig_)) {
        x = x + e;
        return;
      }
    }
    fs.push_back({base, e});
  }
  Monomial times(const Monomial& a, const Monomial& b) const {
    if (a.nonscalar && b.nonscalar) throw SymbolicError("product of two non-scalar terms");
    Monomial m;
    m.coefficient = a.coefficient * b.coefficient;
    m.factors = a.factors;
    for (const auto& [base, e] : b.factors) merge(m.factors, base, e);
    m.nonscalar = a.nonscalar ? a.nonscalar : b.nonscalar;
    return m;
  }
  Poly product(const Poly& p, const Poly& q) const {
    Poly r;
    for (const Monomial& a : p)
      for (const Monomial& b : q) r.push_back(times(a, b));
    return r;
  }

  /// The monomial with coefficient 1, as a term (its sort and comparison key).
  Term body(const Monomial& m) const {
    std::vector<std::pair<Term, Rational>> fs;
    for (const auto& f : m.factors)
      if (!(f.second == Rational(0))) fs.push_back(f);
    std::sort(fs.begin(), fs.end(), [](const auto& x, const auto& y) { return to_text(x.first) < to_text(y.first); });
    std::vector<Term> factors;
    for (const auto& [b, e] : fs) factors.push_back(e == Rational(1) ? b : symbolic::pow(b, e));
    if (m.nonscalar) factors.push_back(m.nonscalar);
    if (factors.empty()) return num(1);
    if (factors.size() == 1) return factors[0];
    return symbolic::mul(factors);
  }
  Term with_coefficient(const Rational& c, const Term& b) const {
    if (is_number(b, 1)) return num(c);
    if (c == Rational(1)) return b;
    std::vector<Term> fs{num(c)};
    if (b->op == Op::mul) fs.insert(fs.end(), b->args.begin(), b->args.end());
    else fs.push_back(b);
    return symbolic::mul(fs);
  }
  Term from_poly(const Poly& p) const {
    std::map<std::string, std::pair<Rational, Term>> collected;
    for (const Monomial& m : p) {
      const Term b = body(m);
      auto [it, fresh] = collected.try_emplace(to_text(b), m.coefficient, b);
      if (!fresh) it->second.first = it->second.first + m.coefficient;
    }
    std::vector<Term> terms;
    for (const auto& [key, cb] : collected)
      if (cb.first.sign() != 0) terms.push_back(with_coefficient(cb.first, cb.second));
    if (terms.empty()) return num(0);
    if (terms.size() == 1) return terms[0];
    return symbolic::add(terms);
  }

  Term power(const Term& base, const Rational& e) {
    if (e.sign() == 0) return num(1);
    if (e == Rational(1)) return base;
    if (base->op == Op::exp) return run(symbolic::exp(symbolic::mul({num(e), base->args[0]})));  // (e^a)^r = e^{ra}
    if (base->op == Op::number && e.is_integer()) {
      Rational r(1);
      const std::int64_t k = e.num() < 0 ? -e.num() : e.num();
      if (k > 64) throw SymbolicError("power with a large exponent");
      for (std::int64_t i = 0; i < k; ++i) r = r * base->value;
      return num(e.sign() < 0 ? Rational(1) / r : r);
    }
    if (base->op == Op::pow && (certainly_positive(base->args[0], sig_) ||
                                (base->value.is_integer() && e.is_integer()))) {
      return power(base->args[0], base->value * e);
    }
    if (base->op == Op::add && e.is_integer() && e.sign() > 0 && e.num() <= 6) {
      Poly p{Monomial{}};
      const Poly b = poly(base);
      for (std::int64_t i = 0; i < e.num(); ++i) p = product(p, b);
      return from_poly(p);
    }
    if (base->op == Op::mul) {  // (xy)^e = x^e y^e for integer e, or when every factor is positive
      const bool all_positive = std::all_of(base->args.begin(), base->args.end(),
                                            [&](const Term& f) { return certainly_positive(f, sig_); });
      if (e.is_integer() || all_positive) {
        Poly p{Monomial{}};
        for (const Term& f : base->args) p = product(p, poly(power(f, e)));
        return from_poly(p);
      }
    }
    return symbolic::pow(base, e);
  }

  Term absolute(const Term& x) {
    const Sign s = sign_of(x, sig_);
    if (nonneg(s)) return x;
    if (nonpos(s)) return run(neg(x));
    if (x->op == Op::mul) {  // |Π f| = Π |f|
      std::vector<Term> fs;
      for (const Term& f : x->args) fs.push_back(absolute(f));
      return run(symbolic::mul(fs));
    }
    if (x->op == Op::number) return num(x->value.sign() < 0 ? -x->value : x->value);
    if (x->op == Op::add) {
      if (const auto split = common_scale(x)) return run(symbolic::mul({symbolic::abs(split->first), symbolic::abs(split->second)}));
    }
    if (leading_negative(x)) return symbolic::abs(run(neg(x)));  // |−a| = |a|
    return symbolic::abs(x);
  }
  static bool leading_negative(const Term& x) {
    const Term& first = x->op == Op::add ? x->args[0] : x;
    return (first->op == Op::number && first->value.sign() < 0) || is_negative_product(first);
  }

  /// Entries of entrywise expressions: (u + v)ᵢ = uᵢ + vᵢ, (cv)ᵢ = c vᵢ, exp(v)ᵢ = e^{vᵢ}, (1)ᵢ = 1,
  /// (u∘v)ᵢ = uᵢvᵢ.
  Term coordinate(const Term& v) {
    switch (v->op) {
      case Op::add: {
        std::vector<Term> cs;
        for (const Term& c : v->args) cs.push_back(symbolic::coord(c));
        return run(symbolic::add(cs));
      }
      case Op::mul: {
        std::vector<Term> fs;
        for (const Term& f : v->args) fs.push_back(scalar(f) ? f : symbolic::coord(f));
        return run(symbolic::mul(fs));
      }
      case Op::vexp: return symbolic::exp(coordinate(v->args[0]));
      case Op::ones: return num(1);
      case Op::hadamard: return run(symbolic::mul({symbolic::coord(v->args[0]), symbolic::coord(v->args[1])}));
      default: return symbolic::coord(v);
    }
  }
  /// maxᵢ of an expression free of the index is the expression; maxᵢ(c·g) = c·maxᵢ(g) for c ≥ 0
  /// free of the index.
  Term maximum(const Term& x) {
    if (!contains_op(x, Op::coordinate) && !contains_op(x, Op::sum_others)) return x;
    if (x->op == Op::mul) {
      std::vector<Term> outside, inside;
      for (const Term& f : x->args) {
        const bool free = !contains_op(f, Op::coordinate) && !contains_op(f, Op::sum_others);
        (free && certainly_nonnegative(f, sig_) ? outside : inside).push_back(f);
      }
      if (!outside.empty() && !inside.empty()) {
        outside.push_back(symbolic::max_index(inside.size() == 1 ? inside[0] : symbolic::mul(inside)));
        return run(symbolic::mul(outside));
      }
    }
    return symbolic::max_index(x);
  }

  /// Split a normalised monomial term into (scalar part, non-scalar part).
  std::pair<Term, Term> scale_and_rest(const Monomial& m) const {
    Monomial s = m;
    s.nonscalar = nullptr;
    return {with_coefficient(m.coefficient, body(s)), m.nonscalar};
  }
  Term bilinear(Op op, const Term& x, const Term& y) {
    Poly px = poly(x), py = poly(y);
    std::vector<Term> terms;
    for (const Monomial& a : px)
      for (const Monomial& b : py) {
        if (!a.nonscalar || !b.nonscalar) throw SymbolicError("product of a matrix or vector with a scalar-only term");
        Term l = a.nonscalar, r = b.nonscalar;
        if (op == Op::hadamard && to_text(r) < to_text(l)) std::swap(l, r);  // u∘v = v∘u
        const Term inner = op == Op::apply ? symbolic::apply(l, r)
                           : op == Op::matmul ? symbolic::matmul(l, r) : symbolic::hadamard(l, r);
        terms.push_back(symbolic::mul({scale_and_rest(a).first, scale_and_rest(b).first, inner}));
      }
    return collect(terms);
  }
  Term linear(Op op, const Term& x) {
    std::vector<Term> terms;
    for (const Monomial& a : poly(x)) {
      if (!a.nonscalar) throw SymbolicError("linear map of a scalar-only term");
      Term inner;
      if (op == Op::transpose) inner = a.nonscalar->op == Op::transpose ? a.nonscalar->args[0] : symbolic::transpose(a.nonscalar);
      else inner = symbolic::dot_ones(a.nonscalar);
      terms.push_back(symbolic::mul({scale_and_rest(a).first, inner}));
    }
    return collect(terms);
  }
  /// Re-normalise a sum of products whose children are already normal.
  Term collect(const std::vector<Term>& terms) {
    Poly p;
    for (const Term& t : terms) {
      Poly q{Monomial{}};
      for (const Term& f : t->args) q = product(q, poly(f));
      p.insert(p.end(), q.begin(), q.end());
    }
    return from_poly(p);
  }
  /// x = scale·rest with the scale made of the scalar factors every monomial of x shares and the
  /// first monomial's coefficient (so rest's first coefficient is ±1). nullopt when scale = 1.
  std::optional<std::pair<Term, Term>> common_scale(const Term& x) const {
    Poly p = poly(x);
    if (p.empty()) return std::nullopt;
    std::vector<std::pair<Term, Rational>> common;
    for (const auto& f : p[0].factors) {
      const std::string key = to_text(f.first);
      const bool everywhere = std::all_of(p.begin() + 1, p.end(), [&](const Monomial& m) {
        return std::any_of(m.factors.begin(), m.factors.end(),
                           [&](const auto& g) { return g.second == f.second && to_text(g.first) == key; });
      });
      if (everywhere) common.push_back(f);
    }
    const Rational c = p[0].coefficient.sign() < 0 ? -p[0].coefficient : p[0].coefficient;
    if (common.empty() && c == Rational(1)) return std::nullopt;
    for (Monomial& m : p) {
      m.coefficient = m.coefficient / c;
      for (const auto& f : common) {
        const std::string key = to_text(f.first);
        const auto it = std::find_if(m.factors.begin(), m.factors.end(),
                                     [&](const auto& g) { return g.second == f.second && to_text(g.first) == key; });
        m.factors.erase(it);
      }
    }
    Monomial scale;
    scale.coefficient = c;
    scale.factors = common;
    return std::make_pair(body_with(scale), from_poly(p));
  }
  Term body_with(const Monomial& m) const { return with_coefficient(m.coefficient, body(m)); }

  /// ‖c·X‖ = |c|·‖X‖ (also for a scale shared by every term of a sum) and ‖−v‖ = ‖v‖, every norm.
  Term norm(Op op, const Term& x) {
    // ‖(Σₖ cₖ)·X‖ = |Σₖ cₖ|·‖X‖ when every term of the sum has the same non-scalar factor X.
    if (const Poly p = poly(x); p.size() > 1 && p[0].nonscalar) {
      const std::string key = to_text(p[0].nonscalar);
      if (std::all_of(p.begin(), p.end(), [&](const Monomial& m) { return m.nonscalar && to_text(m.nonscalar) == key; })) {
        Poly scales = p;
        for (Monomial& m : scales) m.nonscalar = nullptr;
        const Term inner = std::make_shared<const Node>(Node{op, {}, {}, {p[0].nonscalar}});
        return run(symbolic::mul({symbolic::abs(from_poly(scales)), inner}));
      }
    }
    if (const auto split = common_scale(x)) {
      const Term inner = std::make_shared<const Node>(Node{op, {}, {}, {split->second}});
      return run(symbolic::mul({symbolic::abs(split->first), inner}));
    }
    Term y = x;
    if (leading_negative(x)) y = run(neg(x));
    return std::make_shared<const Node>(Node{op, {}, {}, {y}});
  }
};

}  // namespace

Term normal_form(const Term& t, const Signature& sig) {
  Normaliser n(sig);
  // Normalising twice reaches a fixed point for the rewrites above (a merge may expose another).
  Term once = n.run(t), twice = n.run(once);
  for (int i = 0; i < 4 && to_text(once) != to_text(twice); ++i) once = twice, twice = n.run(twice);
  return twice;
}

bool equal_up_to_algebra(const Term& a, const Term& b, const Signature& sig) {
  return to_text(normal_form(a, sig)) == to_text(normal_form(b, sig));
}

// ---- derivatives -------------------------------------------------------------------------------

std::optional<Term> derivative(const Term& t, const std::string& v) {
  const auto& a = t->args;
  switch (t->op) {
    case Op::number: return num(0);
    case Op::symbol: return num(t->name == v ? 1 : 0);
    case Op::add: {
      std::vector<Term> ds;
      for (const Term& c : a) {
        auto d = derivative(c, v);
        if (!d) return std::nullopt;
        ds.push_back(*d);
      }
      return add(ds);
    }
    case Op::mul: {  // product rule
      std::vector<Term> terms;
      for (std::size_t i = 0; i < a.size(); ++i) {
        auto d = derivative(a[i], v);
        if (!d) return std::nullopt;
        std::vector<Term> fs = a;
        fs[i] = *d;
        terms.push_back(mul(fs));
      }
      return add(terms);
    }
    case Op::pow: {
      auto d = derivative(a[0], v);
      if (!d) return std::nullopt;
      return mul({num(t->value), pow(a[0], t->value - Rational(1)), *d});
    }
    case Op::exp: {
      auto d = derivative(a[0], v);
      if (!d) return std::nullopt;
      return mul({t, *d});
    }
    case Op::log: {
      auto d = derivative(a[0], v);
      if (!d) return std::nullopt;
      return mul({inv(a[0]), *d});
    }
    default: return std::nullopt;
  }
}

std::pair<Term, Term> split_constant(const Term& normal) {
  if (normal->op == Op::add) return {num(1), normal};
  std::vector<Term> constant, rest;
  const std::vector<Term> factors = normal->op == Op::mul ? normal->args : std::vector<Term>{normal};
  for (const Term& f : factors) {
    const bool depends = contains_op(f, Op::input) || contains_op(f, Op::coordinate);
    (depends ? rest : constant).push_back(f);
  }
  auto product = [](std::vector<Term> fs) { return fs.empty() ? num(1) : (fs.size() == 1 ? fs[0] : mul(fs)); };
  return {product(constant), product(rest)};
}

}  // namespace certbound::symbolic
