// unity_check: the guard of the unity builds (CMakeLists.txt, certbound_unity_check).
//
// A unity build compiles several .cpp files as one: each file then also sees what the files
// before it declared at namespace scope. When two such files define the same name the build
// usually stops (a redefinition), but two functions of one name with different parameters become
// overloads of each other, and a call in one file may silently pick the other file's function.
// A using-directive or a macro left defined at the end of a file changes the meaning of the files
// after it the same way. This tool refuses, within one group of files compiled together (in
// the order they are included):
//   - a file-local name (a function in an anonymous namespace or declared static, templates
//     included; or a using-declaration) that another file of the group also declares for another
//     entity, in a namespace that is, or encloses, the other's;
//   - a file-local function whose name a later file of the group calls where it is visible (not
//     as a member: after `.` or `->`), which could take the call from the function it meant;
//   - a using-directive (`using namespace`) outside every function and class when a later file of
//     the group opens its namespace (any later file, for the global one);
//   - a `#define` that the file does not `#undef` again, unless it is the last file.
// External functions are left to the compiler: with -Werror=missing-declarations each is declared
// in a header first, so a batch brings no overload of them that the headers did not.
// It reads the files only: comments, string and character literals (raw strings too) and
// preprocessor lines are skipped, and braces are tracked to tell namespace scope from the bodies
// of functions, classes and initialisers.
//
//   unity_check --group NAME FILE... [--group NAME FILE...]... [--stamp FILE]
//   unity_check --names FILE      (the file-local names the check sees in FILE)
// Exit 0 and the stamp written when every group is clean; exit 1 with one line per finding.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace {

/// A name a file puts at namespace scope for the files after it: a file-local function, or a
/// using-declaration (whose entity tells two declarations of the same thing apart from a clash).
struct LocalName {
  std::string name;
  std::string entity;  // "" for a function: each file's is its own
  std::string where;   // the enclosing named namespaces ("" for the global one)
};

/// A using-directive outside every function and class: it reaches the files after this one that
/// look names up in `where` (the namespace it is in, "" for the global one).
struct Directive {
  std::string text, where;
  int line = 0;
};

struct Findings {
  std::vector<LocalName> names;
  std::vector<Directive> directives;
  std::set<std::pair<std::string, std::string>> calls;  // (unqualified name called, enclosing namespace)
  std::set<std::string> namespaces;  // every named namespace the file opens, enclosing ones too
  std::vector<std::string> macros;   // #define'd and not #undef'd
};

enum class Kind { named_namespace, anonymous_namespace, class_body, other };
struct Scope {
  Kind kind;
  std::string name;  // of a named namespace: "a::b" for `namespace a::b {`
};

bool is_identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// The file without comments and literals (each replaced by a space, newlines kept) and without
/// preprocessor lines; the macros it defines and undefines are collected on the way.
std::string strip(const std::string& text, std::vector<std::string>& defined, std::set<std::string>& undefined) {
  std::string out;
  out.reserve(text.size());
  bool line_start = true;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    const auto next = [&](std::size_t k) { return i + k < text.size() ? text[i + k] : '\0'; };
    if (line_start && (c == ' ' || c == '\t')) {
      out += c;
      ++i;
      continue;
    }
    if (line_start && c == '#') {  // a preprocessor line, with its continuations
      std::string line;
      while (i < text.size() && text[i] != '\n') {
        if (text[i] == '\\' && next(1) == '\n') {
          i += 2;
          continue;
        }
        line += text[i++];
      }
      std::istringstream words(line.substr(1));
      std::string directive, name;
      words >> directive >> name;
      name = name.substr(0, name.find('('));
      if (directive == "define") defined.push_back(name);
      if (directive == "undef") undefined.insert(name);
      continue;
    }
    line_start = false;
    if (c == '\n') {
      out += c;
      line_start = true;
      ++i;
    } else if (c == '/' && next(1) == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '/' && next(1) == '*') {
      const std::size_t end = text.find("*/", i + 2);
      const std::size_t stop = end == std::string::npos ? text.size() : end + 2;
      out.append(static_cast<std::size_t>(std::count(text.begin() + i, text.begin() + stop, '\n')), '\n');
      out += ' ';
      i = stop;
    } else if (c == 'R' && next(1) == '"' && (i == 0 || !is_identifier_char(text[i - 1]) || text[i - 1] == '8' ||
                                                text[i - 1] == 'u' || text[i - 1] == 'U' || text[i - 1] == 'L')) {
      const std::size_t open = text.find('(', i + 2);
      const std::string closing = ")" + text.substr(i + 2, open - i - 2) + "\"";
      const std::size_t end = open == std::string::npos ? std::string::npos : text.find(closing, open);
      const std::size_t stop = end == std::string::npos ? text.size() : end + closing.size();
      out.append(static_cast<std::size_t>(std::count(text.begin() + i, text.begin() + stop, '\n')), '\n');
      out += ' ';
      i = stop;
    } else if (c == '"' || (c == '\'' && !(i > 0 && std::isdigit(static_cast<unsigned char>(text[i - 1]))))) {
      std::size_t k = i + 1;
      while (k < text.size() && text[k] != c && text[k] != '\n') k += text[k] == '\\' ? 2 : 1;
      i = std::min(text.size(), k + 1);
      out += ' ';
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\n") - b + 1);
}

/// `s` without its `template <...>` heads and `[[...]]` attributes (their `=` and `(` are not
/// the declaration's).
std::string without_heads(std::string s) {
  for (;;) {
    const std::size_t t = s.find("template");
    if (t == std::string::npos) break;
    std::size_t k = s.find_first_not_of(" \t\n", t + 8);
    if (k == std::string::npos || s[k] != '<') break;
    int depth = 0;
    for (; k < s.size(); ++k) {
      if (s[k] == '<') ++depth;
      if (s[k] == '>' && --depth == 0) break;
    }
    s.erase(t, std::min(s.size(), k + 1) - t);
  }
  for (std::size_t a; (a = s.find("[[")) != std::string::npos;) {
    const std::size_t e = s.find("]]", a);
    s.erase(a, e == std::string::npos ? std::string::npos : e + 2 - a);
  }
  return s;
}

bool is_macro_name(const std::string& name) {
  return std::none_of(name.begin(), name.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); });
}

/// The function a namespace-scope declaration or definition names, or "" when it names none
/// (a variable, a type, a qualified out-of-line definition, a macro invocation).
std::string function_name(const std::string& statement) {
  const std::string s = without_heads(statement);
  // The first parenthesis outside template arguments (std::function<void(int)> f(...) names f).
  std::size_t paren = std::string::npos;
  for (std::size_t k = 0, angle = 0; k < s.size() && paren == std::string::npos; ++k) {
    if (s.compare(k, 8, "operator") == 0 && (k == 0 || !is_identifier_char(s[k - 1])) &&
        (k + 8 == s.size() || !is_identifier_char(s[k + 8]))) {  // operator<<( and operator()(
      k = s.find_first_not_of(" \t\n", k + 8);
      if (k == std::string::npos) break;
      if (s.compare(k, 2, "()") == 0) k += 2;
      while (k < s.size() && std::string_view("+-*/%^&|~!=<>,[]").find(s[k]) != std::string_view::npos) ++k;
      --k;
      continue;
    }
    if (s[k] == '<') ++angle;
    if (s[k] == '>' && angle > 0) --angle;
    if (s[k] == '(' && angle == 0) paren = k;
  }
  if (paren == std::string::npos) return "";
  const std::string head = s.substr(0, paren);
  // operator@ names the operator with its symbol.
  const std::size_t op = head.rfind("operator");
  if (op != std::string::npos && (op == 0 || !is_identifier_char(head[op - 1])) &&
      (op + 8 >= head.size() || !is_identifier_char(head[op + 8]))) {
    if (op >= 2 && head.compare(op - 2, 2, "::") == 0) return "";
    if (head.find('=') < op) return "";  // an initialiser: a variable
    return trim(head.substr(op));
  }
  if (head.find('=') != std::string::npos) return "";  // an initialiser: a variable
  const std::size_t end = head.find_last_not_of(" \t\n");
  if (end == std::string::npos) return "";
  if (!is_identifier_char(head[end])) return "";
  std::size_t begin = end;
  while (begin > 0 && is_identifier_char(head[begin - 1])) --begin;
  const std::string name = head.substr(begin, end - begin + 1);
  if (begin >= 2 && head.compare(begin - 2, 2, "::") == 0) return "";  // X::f: out of line
  static const std::set<std::string> kKeywords = {"decltype", "static_assert", "sizeof", "alignof", "noexcept",
                                                  "requires", "return", "if", "while", "for", "switch"};
  if (kKeywords.count(name) || is_macro_name(name) || std::isdigit(static_cast<unsigned char>(name[0]))) return "";
  const std::string before = trim(head.substr(0, begin));
  if (before.empty()) return "";  // a call at namespace scope (a macro of lower-case name)
  return name;
}

/// The names `s` calls or declares as functions: identifiers followed by `(`, but not members
/// (after `.` or `->`), keywords or ALL_CAPS macros.
std::vector<std::string> called_names(const std::string& s) {
  static const std::set<std::string> kKeywords = {"if", "for", "while", "switch", "return", "sizeof", "alignof",
                                                  "decltype", "noexcept", "static_assert", "catch", "requires",
                                                  "operator", "throw", "new", "delete", "typeid", "alignas"};
  std::vector<std::string> names;
  for (std::size_t k = 0; k < s.size();) {
    if (!is_identifier_char(s[k]) || (k > 0 && is_identifier_char(s[k - 1]))) {
      ++k;
      continue;
    }
    std::size_t end = k;
    while (end < s.size() && is_identifier_char(s[end])) ++end;
    const std::string name = s.substr(k, end - k);
    const std::size_t next = s.find_first_not_of(" \t\n", end);
    std::size_t before = k;
    while (before > 0 && std::isspace(static_cast<unsigned char>(s[before - 1]))) --before;
    const bool member = (before >= 1 && s[before - 1] == '.') || (before >= 2 && s.compare(before - 2, 2, "->") == 0);
    if (next != std::string::npos && s[next] == '(' && !member && !kKeywords.count(name) && !is_macro_name(name) &&
        !std::isdigit(static_cast<unsigned char>(name[0])))
      names.push_back(name);
    k = end;
  }
  return names;
}

bool starts_with_word(const std::string& s, const std::string& word) {
  return s.compare(0, word.size(), word) == 0 && (s.size() == word.size() || !is_identifier_char(s[word.size()]));
}

Findings scan(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "unity_check: cannot read " << path << "\n";
    std::exit(2);
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::vector<std::string> defined;
  std::set<std::string> undefined;
  const std::string code = strip(buffer.str(), defined, undefined);

  Findings f;
  for (const std::string& macro : defined)
    if (!undefined.count(macro)) f.macros.push_back(macro);

  std::vector<Scope> scopes;
  const auto at_namespace_scope = [&] {
    return std::all_of(scopes.begin(), scopes.end(), [](const Scope& k) {
      return k.kind == Kind::named_namespace || k.kind == Kind::anonymous_namespace;
    });
  };
  // The enclosing named namespaces ("" at global scope; an anonymous namespace adds nothing, its
  // names are found from the namespace around it).
  const auto namespace_path = [&] {
    std::string path;
    for (const Scope& k : scopes)
      if (k.kind == Kind::named_namespace && !k.name.empty()) path += (path.empty() ? "" : "::") + k.name;
    return path;
  };
  // File-local: inside an anonymous namespace, or declared static.
  const auto file_local = [&](const std::string& s) {
    return std::any_of(scopes.begin(), scopes.end(), [](const Scope& k) { return k.kind == Kind::anonymous_namespace; }) ||
           starts_with_word(trim(without_heads(s)), "static") || s.find(" static ") != std::string::npos;
  };
  std::string statement;
  int line = 1, statement_line = 1;
  for (char c : code) {
    if (c == '\n') ++line;
    if (c != '{' && c != '}' && c != ';') {
      if (trim(statement).empty() && !std::isspace(static_cast<unsigned char>(c))) statement_line = line;
      statement += c;
      continue;
    }
    const std::string s = trim(statement);
    statement.clear();
    // Calls: in function bodies and initialisers; in a class body or at namespace scope only what
    // follows an `=` (the rest declares).
    const bool declarative = scopes.empty() || scopes.back().kind != Kind::other;
    const std::size_t assigned = s.find('=');
    if (!declarative || assigned != std::string::npos)
      for (const std::string& name : called_names(declarative ? s.substr(assigned + 1) : s))
        f.calls.insert({name, namespace_path()});
    if (c == '}') {
      if (!scopes.empty()) scopes.pop_back();
      continue;
    }
    const bool namespace_scope = at_namespace_scope();
    if (c == '{') {
      const std::string unqualified = starts_with_word(s, "inline") ? trim(s.substr(6)) : s;
      if (starts_with_word(unqualified, "namespace")) {
        const std::string name = trim(unqualified.substr(9));
        scopes.push_back({name.empty() ? Kind::anonymous_namespace : Kind::named_namespace, name});
        for (std::string path = namespace_path(); !path.empty(); path = path.substr(0, path.rfind("::") == std::string::npos ? 0 : path.rfind("::")))
          f.namespaces.insert(path);
        continue;
      }
      if (starts_with_word(s, "extern")) {  // extern "C" { ... }: its names are the enclosing scope's
        scopes.push_back({Kind::named_namespace, ""});
        continue;
      }
      if (namespace_scope && file_local(s)) {
        const std::string name = function_name(s);
        if (!name.empty()) f.names.push_back({name, "", namespace_path()});
      }
      const std::string head = trim(without_heads(s));
      const bool class_body = (starts_with_word(head, "struct") || starts_with_word(head, "class") ||
                               starts_with_word(head, "union")) &&
                              head.find('(') == std::string::npos;
      scopes.push_back({class_body ? Kind::class_body : Kind::other, ""});
      continue;
    }
    if (!namespace_scope) continue;  // c == ';'
    if (starts_with_word(s, "using")) {
      const std::string rest = trim(s.substr(5));
      if (starts_with_word(rest, "namespace"))
        f.directives.push_back({s, namespace_path(), statement_line});
      else if (rest.find('=') == std::string::npos) {  // using a::b; brings b into this scope
        std::string entity;
        for (char ch : rest)
          if (!std::isspace(static_cast<unsigned char>(ch))) entity += ch;
        const std::size_t colon = entity.rfind("::");
        f.names.push_back({colon == std::string::npos ? entity : entity.substr(colon + 2), entity, namespace_path()});
      }
      continue;
    }
    if (starts_with_word(s, "typedef") || starts_with_word(s, "friend") || !file_local(s)) continue;
    const std::string name = function_name(s);
    if (!name.empty()) f.names.push_back({name, "", namespace_path()});
  }
  return f;
}

/// `a` and `b` name the same entity as far as the text tells: equal, or one is the other with
/// more of its enclosing namespaces spelled out (oracle::Ball and certbound::oracle::Ball).
bool same_entity(const std::string& a, const std::string& b) {
  const std::string& shorter = a.size() < b.size() ? a : b;
  const std::string& longer = a.size() < b.size() ? b : a;
  return longer == shorter ||
         (longer.size() > shorter.size() + 2 && longer.compare(longer.size() - shorter.size(), shorter.size(), shorter) == 0 &&
          longer.compare(longer.size() - shorter.size() - 2, 2, "::") == 0);
}

/// Whether a file that opens `opened` looks names up in namespace `where` (or in a namespace
/// nested in it, which sees where's names too).
bool reaches(const std::set<std::string>& opened, const std::string& where) {
  if (where.empty()) return true;
  return std::any_of(opened.begin(), opened.end(),
                     [&](const std::string& n) { return n == where || n.rfind(where + "::", 0) == 0; });
}

/// The findings of one group of files compiled together, in the order they are included.
int check_group(const std::string& group, const std::vector<std::string>& files) {
  std::vector<Findings> found;
  for (const std::string& file : files) found.push_back(scan(file));
  int problems = 0;
  const auto report = [&](const std::string& file, const std::string& what) {
    std::cout << file << " (unity group " << group << "): " << what << "\n";
    ++problems;
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (i + 1 == files.size()) break;  // what the last file leaves behind reaches no file
    for (const std::string& macro : found[i].macros)
      report(files[i], "#define " + macro + " is not #undef'd and reaches " + files[i + 1]);
    for (const Directive& d : found[i].directives)
      for (std::size_t j = i + 1; j < files.size(); ++j)
        if (reaches(found[j].namespaces, d.where)) {
          report(files[i], "line " + std::to_string(d.line) + ": '" + d.text + "' in " +
                               (d.where.empty() ? "the global namespace" : "namespace " + d.where) + " reaches " + files[j]);
          break;
        }
  }
  // Two names meet when one is visible where the other is declared: the same name, of two
  // files, for two entities, in namespaces one of which is (or encloses) the other.
  const auto encloses = [](const std::string& outer, const std::string& inner) {
    return outer.empty() || outer == inner || inner.rfind(outer + "::", 0) == 0;
  };
  std::map<std::string, std::vector<std::pair<std::size_t, const LocalName*>>> by_name;
  for (std::size_t i = 0; i < files.size(); ++i)
    for (const LocalName& n : found[i].names) by_name[n.name].push_back({i, &n});
  for (const auto& [name, uses] : by_name) {
    std::set<std::string> meeting;
    for (std::size_t a = 0; a < uses.size(); ++a)
      for (std::size_t b = a + 1; b < uses.size(); ++b) {
        const auto& [fa, na] = uses[a];
        const auto& [fb, nb] = uses[b];
        if (fa == fb) continue;
        if (!na->entity.empty() && !nb->entity.empty() && same_entity(na->entity, nb->entity)) continue;
        if (!encloses(na->where, nb->where) && !encloses(nb->where, na->where)) continue;
        meeting.insert(files[fa]);
        meeting.insert(files[fb]);
      }
    // A later file that calls the name where this declaration is visible, without a file-local
    // declaration of its own (that case is the one above): the call may now find this function.
    for (const auto& [fa, na] : uses) {
      if (!na->entity.empty()) continue;  // a using-declaration names what the headers declare anyway
      for (std::size_t j = fa + 1; j < files.size(); ++j) {
        const bool declares = std::any_of(uses.begin(), uses.end(), [&](const auto& u) { return u.first == j; });
        if (declares) continue;
        for (const auto& [called, in] : found[j].calls)
          if (called == name && encloses(na->where, in)) {
            meeting.insert(files[fa]);
            meeting.insert(files[j] + " (calls it)");
          }
      }
    }
    if (meeting.empty()) continue;
    std::string list;
    for (const std::string& file : meeting) list += " " + file;
    std::cout << "unity group " << group << ": '" << name << "' is a file-local name of" << list
              << "; compiled together they would overload or hide each other: rename it\n";
    ++problems;
  }
  return problems;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;
  std::string stamp;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--names" && i + 1 < argc) {  // what the check sees in one file
      for (const LocalName& n : scan(argv[++i]).names) std::cout << n.name << (n.entity.empty() ? "" : " = " + n.entity) << "\n";
      return 0;
    }
    if (arg == "--group" && i + 1 < argc) {
      groups.push_back({argv[++i], {}});
    } else if (arg == "--stamp" && i + 1 < argc) {
      stamp = argv[++i];
    } else if (!groups.empty() && arg.rfind("--", 0) != 0) {
      groups.back().second.push_back(arg);
    } else {
      std::cerr << "usage: unity_check --group NAME FILE... [--group NAME FILE...]... [--stamp FILE]\n";
      return 2;
    }
  }
  int problems = 0;
  for (const auto& [group, files] : groups) problems += check_group(group, files);
  if (problems) return 1;
  if (!stamp.empty()) std::ofstream(stamp) << "clean\n";
  return 0;
}
