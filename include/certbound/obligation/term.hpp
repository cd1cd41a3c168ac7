// Symbolic terms for derivations that hold for every n and d.
//
// A term is an immutable tree over the statement's inputs (vectors, matrices, scalars) and its
// symbols (n, d, R, η, β, ...): sums, products, rational powers, exp, log, |·|, the four norms,
// matrix–vector products, softmax and the softmax Jacobian diag(p) − ppᵀ. Dimensions are symbols,
// never numbers, so a fact about a term is a fact for every n and d.
//
// `normal_form` decides equality "up to algebra": it flattens and sorts sums and products,
// collects rational coefficients, expands products of sums and integer powers of sums, merges
// powers of the same positive base, uses linearity of Mv, MN, Mᵀ, u∘v and ⟨v, 1⟩, absolute
// homogeneity of norms (‖cv‖ = |c|‖v‖) and |a| = ±a when the sign of a is known. Each of these is
// an identity valid for every value of the symbols in their declared ranges; nothing is sampled.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace certbound::symbolic {

/// Exact rational with 64-bit numerator and denominator; an overflow throws (the kernel then
/// reports the step as undetermined rather than computing a wrong coefficient).
class Rational {
 public:
  Rational(std::int64_t num = 0, std::int64_t den = 1);
  std::int64_t num() const { return num_; }
  std::int64_t den() const { return den_; }
  bool is_integer() const { return den_ == 1; }
  int sign() const { return num_ > 0 ? 1 : (num_ < 0 ? -1 : 0); }
  friend Rational operator+(const Rational& a, const Rational& b);
  friend Rational operator-(const Rational& a, const Rational& b);
  friend Rational operator*(const Rational& a, const Rational& b);
  friend Rational operator/(const Rational& a, const Rational& b);
  Rational operator-() const { return Rational(-num_, den_); }
  friend bool operator==(const Rational& a, const Rational& b) { return a.num_ == b.num_ && a.den_ == b.den_; }
  friend bool operator<(const Rational& a, const Rational& b);
  friend bool operator<=(const Rational& a, const Rational& b) { return !(b < a); }
  std::string text() const;  ///< "3", "-1/2"

 private:
  std::int64_t num_, den_;
};

/// Overflow of a rational coefficient, or a term the normaliser cannot handle.
struct SymbolicError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

enum class Op {
  number,       ///< a rational constant (value)
  symbol,       ///< a scalar symbol or scalar input: n, d, R, η, β, t, a, ... (name)
  input,        ///< a vector or matrix input of the statement (name)
  coordinate,   ///< the generic entry vᵢ of a vector v (args[0]); i is the index of max_index
  add,          ///< Σ args (all of one shape)
  mul,          ///< Π args: scalars, with at most one vector or matrix factor (scaling)
  pow,          ///< args[0]^exponent, exponent rational
  exp, log, abs,
  phi1,         ///< φ₁(t) = (eᵗ − 1)/t, φ₁(0) = 1, i.e. ∫₀¹ e^{st} ds
  max_index,    ///< maxᵢ of a scalar expression in generic coordinates
  sum_others,   ///< Σ_{j≠i} vⱼ for the generic index i (args[0] = v)
  ones,         ///< 1 ∈ ℝ^{dim} (name = dimension symbol)
  apply,        ///< M v
  matmul,       ///< M N
  transpose,    ///< Mᵀ
  hadamard,     ///< u ∘ v
  vexp,         ///< entrywise exp
  softmax,      ///< ⟨exp(v), 1⟩⁻¹ exp(v)
  jac,          ///< diag(p) − ppᵀ for a vector p (the softmax Jacobian at p = softmax(z))
  dot_ones,     ///< ⟨v, 1⟩
  norm2, norm_inf, norm1,
  opnorm,       ///< spectral norm of a matrix
};

struct Node;
using Term = std::shared_ptr<const Node>;

struct Node {
  Op op;
  std::string name;    ///< symbol, input or dimension name
  Rational value;      ///< number value, pow exponent
  std::vector<Term> args;
};

// ---- construction (the vocabulary derivations are written in) ----
Term num(std::int64_t p, std::int64_t q = 1);
Term num(const Rational& r);
Term sym(const std::string& name);
Term named(const std::string& name);  ///< a vector or matrix input of the statement
Term coord(Term v);
Term add(std::vector<Term> terms);
Term mul(std::vector<Term> factors);
Term pow(Term base, const Rational& exponent);
Term neg(Term a);                 ///< (−1)·a
Term sub(Term a, Term b);         ///< a + (−1)·b
Term inv(Term a);                 ///< a^{−1}
Term sqrt(Term a);                ///< a^{1/2}
Term exp(Term a);
Term log(Term a);
Term abs(Term a);
Term phi1(Term a);
Term max_index(Term a);
Term sum_others(Term v);
Term ones(const std::string& dimension);
Term apply(Term m, Term v);
Term matmul(Term m, Term n);
Term transpose(Term m);
Term hadamard(Term u, Term v);
Term vexp(Term v);
Term softmax(Term v);
Term jac(Term p);
Term dot_ones(Term v);
Term norm2(Term v);
Term norm_inf(Term v);
Term norm1(Term v);
Term opnorm(Term m);

/// Readable mathematical notation (R·e^{4·R²}, ‖A·(x − y)‖₂, ...). Deterministic: also the key
/// by which normal forms are sorted and compared.
std::string to_text(const Term& t);

/// Names for long sub-terms in reports (x_{t+1} for x − η∇L(x), b̃, ...): printing only, never keys.
using Names = std::vector<std::pair<Term, std::string>>;
/// The term printed with every sub-term that is syntactically one of `names` shown by its name.
std::string to_text(const Term& t, const Names& names);

bool same(const Term& a, const Term& b);  ///< syntactic equality
/// No symbol, input or index: a number such as 100(e^{1/100} − 1), whose sign interval arithmetic decides.
bool is_closed_constant(const Term& t);
bool contains_op(const Term& t, Op op);
bool contains_name(const Term& t, const std::string& name);
/// Replace every symbol or input named in `by` (capture-free: terms have no binders but max_index,
/// whose index is implicit).
Term substitute(const Term& t, const std::map<std::string, Term>& by);

// ---- the statement's signature: what the symbols and inputs are ----

/// A range [lo, hi] of a scalar; hi absent means +∞. Open ends are recorded for printing and
/// for strictness (R > 0 is lo = 0 open).
struct Range {
  Rational lo;
  bool lo_open = false;
  std::optional<Rational> hi;
  bool hi_open = false;
  std::string text(const std::string& name) const;  ///< "R ≥ 4", "t ∈ [−1/100, 1/100]"
};

/// The shape of a term: scalar, vector of dimension `rows`, or matrix rows × cols (symbols).
struct Shape {
  enum Kind { scalar, vector, matrix } kind = scalar;
  std::string rows, cols;
  bool operator==(const Shape&) const = default;
};

struct Signature {
  std::map<std::string, Range> symbols;  ///< every scalar symbol (n, d, R, η, β, scalar inputs) with its range
  std::map<std::string, Shape> inputs;   ///< vector and matrix inputs
  /// Facts about vectors used by the coordinate rules: a softmax output lies in the simplex.
  Shape shape_of(const Term& t) const;   ///< throws SymbolicError on an ill-formed term
};

enum class Sign { unknown, negative, nonpositive, zero, nonnegative, positive };
/// Sign of a term from the symbols' ranges (norms, |·|, exp, φ₁ ≥ 0 or > 0; products and sums of
/// known signs). Unknown is always a safe answer.
Sign sign_of(const Term& t, const Signature& sig);
bool certainly_nonnegative(const Term& t, const Signature& sig);
bool certainly_positive(const Term& t, const Signature& sig);

/// The normal form described at the top of this file.
Term normal_form(const Term& t, const Signature& sig);
/// normal_form(a) and normal_form(b) are the same term.
bool equal_up_to_algebra(const Term& a, const Term& b, const Signature& sig);

/// d t / d v for a scalar term in scalar symbols (nullopt for |·|, φ₁ or a non-scalar node).
std::optional<Term> derivative(const Term& t, const std::string& v);

/// Split a scalar product into (the factors free of inputs and coordinates, the rest); both are
/// products (number 1 when empty). Used to compare a chain's constant with the statement's.
std::pair<Term, Term> split_constant(const Term& normal);

}  // namespace certbound::symbolic
