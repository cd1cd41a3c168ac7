// Coq export of the scalar lemmas (report/coq_export.hpp).
#include "certbound/report/coq_export.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <set>

#include "certbound/engine/scalar_prover.hpp"

namespace certbound::report {

using symbolic::Op;
using symbolic::Rational;
using symbolic::Term;

namespace {

std::string rational_text(const Rational& r) {
  if (r.is_integer()) return r.num() < 0 ? "(" + std::to_string(r.num()) + ")" : std::to_string(r.num());
  return "(" + std::to_string(r.num()) + "/" + std::to_string(r.den()) + ")";
}

std::string joined(const std::vector<Term>& args, const char* op) {
  std::string s = "(";
  for (std::size_t k = 0; k < args.size(); ++k) s += (k ? op : "") + coq_term(args[k]);
  return s + ")";
}

/// One UTF-8 code point from s at i (advancing i); malformed bytes are taken one by one.
unsigned next_code_point(const std::string& s, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned c = byte(i);
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  if (i + extra >= s.size() + (extra ? 0 : 1)) extra = 0;
  unsigned cp = extra == 0 ? c : c & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) cp = (cp << 6) | (byte(i + k) & 0x3F);
  i += 1 + extra;
  return cp;
}

std::string ascii_ident(const std::string& name) {
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    const unsigned cp = next_code_point(name, i);
    if (cp < 128 && (std::isalnum(static_cast<int>(cp)) || cp == '_')) {
      out += static_cast<char>(cp);
    } else {
      char buf[16];
      std::snprintf(buf, sizeof buf, "u%04x", cp);
      out += buf;
    }
  }
  return out;
}

void collect(const Term& t, Op op, std::vector<Term>& out) {
  if (t->op == op && std::none_of(out.begin(), out.end(), [&](const Term& u) { return coq_term(u) == coq_term(t); }))
    out.push_back(t);
  for (const Term& a : t->args) collect(a, op, out);
}

const symbolic::LemmaVariable* variable_named(const symbolic::ScalarLemma& lemma, const std::string& name) {
  for (const auto& v : lemma.variables)
    if (v.name == name) return &v;
  return nullptr;
}

std::string hypothesis_name(const std::string& variable) { return "H_" + ascii_ident(variable); }

/// Facts nra needs and cannot find itself: e^a > 0, squares ≥ 0, and for a variable with a
/// positive lower bound that occurs inverted, 0 < 1/v and v·(1/v) = 1.
std::string nra_hints(const Term& g, const symbolic::ScalarLemma& lemma) {
  std::string hints;
  std::vector<Term> exps, pows;
  collect(g, Op::exp, exps);
  collect(g, Op::pow, pows);
  for (const Term& e : exps) hints += "pose proof (exp_pos " + coq_term(e->args[0]) + "); ";
  std::set<std::string> inverted;
  for (const Term& p : pows) {
    if (p->value == Rational(2)) hints += "pose proof (pow2_ge_0 " + coq_term(p->args[0]) + "); ";
    if (p->value.sign() < 0 && p->args[0]->op == Op::symbol) inverted.insert(p->args[0]->name);
  }
  for (const std::string& name : inverted) {
    const auto* v = variable_named(lemma, name);
    if (!v || v->range.lo.sign() < 0 || (v->range.lo.sign() == 0 && !v->range.lo_open)) continue;
    const std::string x = coq_variable(name), q = "Q_" + ascii_ident(name);
    hints += "assert (" + q + " : 0 < " + x + ") by lra; pose proof (Rinv_0_lt_compat " + x + " " + q +
             "); pose proof (Rinv_r " + x + " (Rgt_not_eq " + x + " 0 " + q + ")); ";
  }
  return hints;
}

/// A tactic proving 0 <= target (0 < target if strict) as `plan` did.
std::string nonnegativity_tactic(const kernel::NonnegativityPlan& plan, const symbolic::ScalarLemma& lemma,
                                 bool strict) {
  if (plan.variable.empty()) {
    // Branch and bound in certbound: nra with the positivity facts, or interval (bisecting the first
    // bounded variable that occurs), on the goal's "−g ≤ 0" form.
    std::string bisect;
    for (const auto& v : lemma.variables)
      if (v.range.hi && symbolic::contains_name(plan.target, v.name)) {
        bisect = ", i_bisect " + coq_variable(v.name) + ", i_depth 20";
        break;
      }
    const std::string flip = strict ? "apply pos_of_opp_neg; " : "apply nonneg_of_opp_nonpos; ";
    return "first [ (" + nra_hints(plan.target, lemma) + "nra) | (" + flip + "interval with (i_prec 60" + bisect +
           ")) | (" + flip + "interval with (i_prec 100)) ]";
  }
  // The monotonicity rule in v on [a, +oo): g(a) ≥ 0 and g' ≥ 0 there (the derivative is
  // certbound's symbolic one, checked again by Coquelicot's auto_derive and field).
  const auto* v = variable_named(lemma, plan.variable);
  if (!v || v->range.hi) throw CoqExportError("the monotonicity rule needs a range unbounded above");
  const std::string x = coq_variable(plan.variable), h = hypothesis_name(plan.variable);
  const std::string a = rational_text(v->range.lo);
  const std::string closed = v->range.lo_open ? "apply Rlt_le in " + h + "; " : "";
  const std::string rule = strict ? "pos_of_increasing" : "nonneg_of_increasing";
  if (!plan.start || !plan.slope) throw CoqExportError("an incomplete monotonicity plan");
  return "(" + closed + "generalize dependent " + x + "; apply (" + rule + " (fun " + x + " => " +
         coq_term(plan.target) + ") (fun " + x + " => " + coq_term(plan.derivative) + ") " + a + "); [ (intros " + x +
         " " + h + "; certbound_derive) | (cbv beta; " + nonnegativity_tactic(*plan.start, lemma, strict) + ") | (intros " +
         x + " " + h + "; cbv beta; " + nonnegativity_tactic(*plan.slope, lemma, false) + ") ])";
}

std::string grid_value_text(const std::map<std::string, Rational>& point) {
  std::string s;
  for (const auto& [name, value] : point) s += (s.empty() ? "" : ", ") + name + " = " + value.text();
  return s;
}

/// Grid points of one variable's range: both ends (an open end nudged inside) and interior points;
/// an unbounded range: a, a + 1, a + 2, 2a + 1, a + 10.
std::vector<Rational> grid_of(const symbolic::Range& r) {
  std::vector<Rational> g;
  if (r.hi) {
    const Rational width = *r.hi - r.lo;
    for (int k = 0; k <= 8; ++k) {
      Rational x = r.lo + width * Rational(k, 8);
      if (k == 0 && r.lo_open) x = r.lo + width * Rational(1, 64);
      if (k == 8 && r.hi_open) x = *r.hi - width * Rational(1, 64);
      g.push_back(x);
    }
  } else {
    const Rational a = r.lo_open ? r.lo + Rational(1, 64) : r.lo;
    for (const Rational& x : {a, a + Rational(1), a + Rational(2), a + a + Rational(1), a + Rational(10)}) g.push_back(x);
  }
  return g;
}

}  // namespace

std::string coq_variable(const std::string& name) { return "v_" + ascii_ident(name); }

std::string coq_term(const Term& t) {
  const auto& a = t->args;
  switch (t->op) {
    case Op::number: return rational_text(t->value);
    case Op::symbol: return coq_variable(t->name);
    case Op::add: return joined(a, " + ");
    case Op::mul: return joined(a, " * ");
    case Op::pow: {
      const Rational& e = t->value;
      const std::string base = coq_term(a[0]);
      const auto power = [&](const std::string& b, std::int64_t k) {
        return k == 1 ? b : "(" + b + " ^ " + std::to_string(k) + ")";
      };
      std::string p;
      if (e.is_integer()) p = power(base, e.num() < 0 ? -e.num() : e.num());
      else if (e.den() == 2) p = power("(sqrt " + base + ")", e.num() < 0 ? -e.num() : e.num());
      else return "(Rpower " + base + " " + rational_text(e) + ")";
      return e.sign() < 0 ? "(/ " + p + ")" : p;
    }
    case Op::exp: return "(exp " + coq_term(a[0]) + ")";
    case Op::log: return "(ln " + coq_term(a[0]) + ")";
    case Op::abs: return "(Rabs " + coq_term(a[0]) + ")";
    case Op::phi1: return "(phi1 " + coq_term(a[0]) + ")";
    default: throw CoqExportError("the term " + symbolic::to_text(t) + " is not a real expression Coq can state");
  }
}

std::string coq_statement(const symbolic::ScalarLemma& lemma, const std::string& ident) {
  std::string s = "Lemma " + ident + " :";
  if (!lemma.variables.empty()) {
    s += " forall";
    for (const auto& v : lemma.variables) s.append(" ").append(coq_variable(v.name));
    s += " : R,";
    for (const auto& v : lemma.variables) {
      s.append(" ").append(rational_text(v.range.lo)).append(v.range.lo_open ? " < " : " <= ").append(coq_variable(v.name));
      if (v.range.hi) s += std::string(v.range.hi_open ? " < " : " <= ") + rational_text(*v.range.hi);
      s += " ->";
    }
  }
  return s + " " + coq_term(lemma.inequality.lhs) + (lemma.inequality.strict ? " < " : " <= ") +
         coq_term(lemma.inequality.rhs) + ".";
}

std::string coq_lemma(const symbolic::ScalarLemma& lemma, const kernel::LemmaOutcome& outcome, const std::string& ident) {
  if (outcome.status != kernel::LemmaOutcome::proved || !outcome.plan)
    throw CoqExportError("lemma " + lemma.name + " was not proved by certbound: nothing to export");
  const Term& lhs = lemma.inequality.lhs;
  const bool strict = lemma.inequality.strict;
  std::string proof = "Proof.\n";
  if (!lemma.variables.empty()) {
    proof += "  intros";
    for (const auto& v : lemma.variables) proof += " " + coq_variable(v.name);
    for (const auto& v : lemma.variables) proof += " " + hypothesis_name(v.name);
    proof += ".\n";
  }
  if (lhs->op == Op::phi1 && !strict) {
    // φ₁(s) ≤ e^{|s|} (mean value, in the library), then e^{|s|} ≤ rhs over the box by interval.
    proof += "  apply Rle_trans with (exp (Rabs " + coq_term(lhs->args[0]) + ")); [apply phi1_le_exp_abs |].\n";
    proof += "  apply le_of_sub_nonpos. interval with (i_prec 60).\n";
  } else {
    const std::string target = coq_term(outcome.plan->target);
    const std::string gap = strict ? "lt_of_gap" : "le_of_gap";
    if (outcome.form == kernel::LemmaOutcome::log_form) {
      proof += std::string("  apply ") + (strict ? "lt_of_ln" : "le_of_ln") + "; [certbound_pos | certbound_pos |].\n";
      proof += "  certbound_ln_expand.\n";
    }
    proof += "  apply " + gap + " with " + target + "; [field; try lra |].\n";
    proof += "  " + nonnegativity_tactic(*outcome.plan, lemma, strict) + ".\n";
  }
  return coq_statement(lemma, ident) + "\n" + proof + "Qed.\n";
}

CoqMutant coq_mutant(const symbolic::ScalarLemma& lemma) {
  // Every grid point of the product of the variables' grids; the largest lhs/rhs (by midpoint).
  std::vector<std::map<std::string, Rational>> points{{}};
  for (const auto& v : lemma.variables) {
    std::vector<std::map<std::string, Rational>> next;
    for (const auto& p : points)
      for (const Rational& x : grid_of(v.range)) {
        auto q = p;
        q[v.name] = x;
        next.push_back(std::move(q));
      }
    points = std::move(next);
  }
  std::optional<std::map<std::string, Rational>> best;
  double best_ratio = 0;
  for (const auto& p : points) {
    std::map<std::string, Interval> at;
    for (const auto& [name, x] : p) at[name] = kernel::rational_enclosure(x);
    try {
      const Interval l = kernel::evaluate_scalar(lemma.inequality.lhs, at);
      const Interval r = kernel::evaluate_scalar(lemma.inequality.rhs, at);
      if (!(l.lower() > 0) || !(r.lower() > 0)) continue;
      const double ratio = (l.lower() * 0.5 + l.upper() * 0.5) / (r.lower() * 0.5 + r.upper() * 0.5);
      if (!best || ratio > best_ratio) best = p, best_ratio = ratio;
    } catch (const std::exception&) {
    }
  }
  if (!best) throw CoqExportError("lemma " + lemma.name + ": no grid point with both sides certainly positive");
  std::map<std::string, Term> at_point;
  for (const auto& [name, x] : *best) at_point[name] = symbolic::num(x);
  CoqMutant m;
  m.lemma = lemma;
  m.lemma.name = lemma.name + " (mutant)";
  m.lemma.gap.reset();
  m.lemma.inequality.rhs = symbolic::mul({symbolic::num(99, 100), symbolic::substitute(lemma.inequality.lhs, at_point),
                                          symbolic::inv(symbolic::substitute(lemma.inequality.rhs, at_point)),
                                          lemma.inequality.rhs});
  m.point = *best;
  std::map<std::string, Interval> at;
  for (const auto& [name, x] : *best) at[name] = kernel::rational_enclosure(x);
  const Interval margin = kernel::evaluate_scalar(symbolic::sub(m.lemma.inequality.rhs, m.lemma.inequality.lhs), at);
  if (!(margin.upper() < 0))
    throw CoqExportError("lemma " + lemma.name + ": the mutant is not certainly false at " + grid_value_text(*best));
  m.margin_upper = margin.upper();
  return m;
}

std::vector<CoqLemma> coq_lemmas(const kernel::KernelReport& rep) {
  std::vector<CoqLemma> out;
  std::set<std::string> seen;
  for (const kernel::LemmaReport& l : rep.lemmas) {
    if (!seen.insert(l.statement).second) continue;
    const std::string ident = "lemma" + std::to_string(out.size() + 1);
    out.push_back({ident, l.name, l.statement, l.lemma, l.outcome});
  }
  return out;
}

std::string coq_file_name(const std::string& obligation_id) {
  std::string f = obligation_id;
  std::replace(f.begin(), f.end(), '.', '_');
  return ascii_ident(f) + ".v";
}

std::string coq_file(const std::string& obligation_id, const std::vector<CoqLemma>& lemmas) {
  std::string s = "(* The scalar lemmas of " + obligation_id +
                  "'s all-n derivation, exported by `certbound export-coq`: each statement is\n"
                  "   printed from the terms certbound proved, each proof replays certbound's argument. *)\n" +
                  coq_preamble();
  for (const CoqLemma& l : lemmas)
    s += "\n(* " + l.name + ": " + l.statement + "; certbound: " + l.outcome.method + " *)\n" +
         coq_lemma(l.lemma, l.outcome, l.ident);
  return s;
}

std::string coq_preamble() {
  // Coquelicot is imported, not only required through the library: auto_derive (in
  // certbound_derive) needs its canonical structures active in the file that runs it.
  return "From Coq Require Import Reals Lra Psatz.\nFrom Coquelicot Require Import Coquelicot.\n"
         "From Interval Require Import Tactic.\nFrom Certbound Require Import Certbound.\nOpen Scope R_scope.\n";
}

std::string coq_project() { return "-R . Certbound\n"; }

std::string coq_makefile(const std::vector<std::string>& files) {
  std::string all, rules;
  for (const std::string& f : files) {
    const std::string vo = f.substr(0, f.size() - 2) + ".vo";
    all += " " + vo;
    rules += vo + ": " + f + " Certbound.vo\n\t$(COQC) $(COQFLAGS) " + f + "\n";
  }
  return "# Compiles certbound's Coq library, then every exported file (coqc checks each proof).\n"
         "COQC ?= coqc\nCOQFLAGS ?= -R . Certbound -w -ambiguous-paths\n\n"
         "all: Certbound.vo" + all + "\n\nCertbound.vo: Certbound.v\n\t$(COQC) $(COQFLAGS) Certbound.v\n" + rules +
         "\nclean:\n\trm -f *.vo *.vok *.vos *.glob .*.aux\n\n.PHONY: all clean\n";
}

}  // namespace certbound::report
