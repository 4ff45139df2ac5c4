// The filter language: a recursive-descent parser into a small tree, then a column-wise
// evaluation (each comparison is one pass over the rows: O(n) per node).
#include "study/expr.hpp"

#include <cctype>
#include <cmath>
#include <fmt/core.h>
#include <string>
#include <utility>
#include <vector>

#include "data/number.hpp"
#include "study/dates.hpp"
#include "survkit/common.hpp"

namespace survkit::study {

enum class NodeKind { Or, And, Not, Compare, Missing, Present };
enum class CmpOp { Eq, Ne, Lt, Le, Gt, Ge };

struct Operand {
  enum class Kind { Column, Number, Text, Date } kind = Kind::Number;
  std::string text;   // column name or text literal
  double number = 0;  // number, or day number of a date
};

struct ExprNode {
  NodeKind kind = NodeKind::Compare;
  std::unique_ptr<ExprNode> a;                  // operand of Not
  std::vector<std::unique_ptr<ExprNode>> args;  // operands of Or / And (two or more)
  CmpOp op = CmpOp::Eq;
  Operand lhs, rhs;
};

namespace {

// Deepest nesting of "not"/"!" and "(" accepted.  The parser and the evaluator recurse
// once per level, so without a bound a hostile filter ("not not ... x" 20,000 times, or
// 5,000 nested parentheses) overflows the stack; 256 is far beyond any real filter.
// Chains of "and"/"or" are n-ary nodes, not nested ones, so their length is not bounded.
constexpr int kMaxNesting = 256;

struct Token {
  enum class Kind { End, Ident, Number, Text, Date, Op, LParen, RParen } kind = Kind::End;
  std::string text;
  double number = 0;
};

class Parser {
 public:
  Parser(std::string_view text, const std::string& where) : s_(text), where_(where) { next(); }

  std::unique_ptr<ExprNode> parse() {
    auto e = parse_or();
    if (tok_.kind != Token::Kind::End) fail("unexpected '" + tok_.text + "'");
    return e;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError(where_ + ": " + what);
  }

  bool is_word(const char* w) const { return tok_.kind == Token::Kind::Ident && tok_.text == w; }

  void next() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
    tok_ = Token{};
    if (pos_ >= s_.size()) return;
    const char c = s_[pos_];
    auto starts = [&](std::string_view p) { return s_.substr(pos_, p.size()) == p; };
    if (c == '(' || c == ')') {
      tok_.kind = c == '(' ? Token::Kind::LParen : Token::Kind::RParen;
      tok_.text = std::string(1, c);
      ++pos_;
      return;
    }
    for (std::string_view op : {"==", "!=", "<=", ">=", "&&", "||", "<", ">", "!"}) {
      if (starts(op)) {
        tok_.kind = Token::Kind::Op;
        tok_.text = std::string(op);
        pos_ += op.size();
        return;
      }
    }
    if (c == '"' || c == '\'') {
      const std::size_t end = s_.find(c, pos_ + 1);
      if (end == std::string_view::npos) fail("unterminated text literal");
      tok_.kind = Token::Kind::Text;
      tok_.text = std::string(s_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end + 1;
      return;
    }
    if (c == '`') {
      const std::size_t end = s_.find('`', pos_ + 1);
      if (end == std::string_view::npos) fail("unterminated `column name`");
      tok_.kind = Token::Kind::Ident;
      tok_.text = std::string(s_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end + 1;
      return;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t end = pos_;
      while (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) || s_[end] == '_' || s_[end] == '.'))
        ++end;
      tok_.kind = Token::Kind::Ident;
      tok_.text = std::string(s_.substr(pos_, end - pos_));
      pos_ = end;
      return;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '+' || c == '.') {
      std::size_t end = pos_ + 1;
      while (end < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[end])) || s_[end] == '.' ||
                                 s_[end] == '-' || s_[end] == '+'))
        ++end;
      const std::string_view word = s_.substr(pos_, end - pos_);
      tok_.text = std::string(word);
      pos_ = end;
      // A date literal is exactly YYYY-MM-DD; anything else must be a number.
      if (word.size() == 10 && word[4] == '-' && word[7] == '-') {
        const auto day = parse_date(word, "%Y-%m-%d");
        if (!day) fail("invalid date '" + tok_.text + "' (dates are written YYYY-MM-DD)");
        tok_.kind = Token::Kind::Date;
        tok_.number = static_cast<double>(*day);
        return;
      }
      double v;
      if (!data::parse_number(word, v)) fail("cannot read '" + tok_.text + "' as a number or a date");
      tok_.kind = Token::Kind::Number;
      tok_.number = v;
      return;
    }
    fail(std::string("unexpected character '") + c + "'");
  }

  // One more level of "not" or "(" (see kMaxNesting); undone by the destructor.
  class Nest {
   public:
    explicit Nest(Parser& p) : p_(p) {
      if (++p_.depth_ > kMaxNesting)
        p_.fail("the filter nests 'not' / '(' more than " + std::to_string(kMaxNesting) +
                " levels deep; simplify it");
    }
    ~Nest() { --p_.depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Parser& p_;
  };

  // "a or b or c" is one Or node with three operands (Kleene's and/or are associative),
  // so long chains cost no recursion depth.
  std::unique_ptr<ExprNode> nary(NodeKind kind, std::vector<std::unique_ptr<ExprNode>> args) {
    if (args.size() == 1) return std::move(args.front());
    auto n = std::make_unique<ExprNode>();
    n->kind = kind;
    n->args = std::move(args);
    return n;
  }

  std::unique_ptr<ExprNode> parse_or() {
    std::vector<std::unique_ptr<ExprNode>> args;
    args.push_back(parse_and());
    while (is_word("or") || (tok_.kind == Token::Kind::Op && tok_.text == "||")) {
      next();
      args.push_back(parse_and());
    }
    return nary(NodeKind::Or, std::move(args));
  }

  std::unique_ptr<ExprNode> parse_and() {
    std::vector<std::unique_ptr<ExprNode>> args;
    args.push_back(parse_unary());
    while (is_word("and") || (tok_.kind == Token::Kind::Op && tok_.text == "&&")) {
      next();
      args.push_back(parse_unary());
    }
    return nary(NodeKind::And, std::move(args));
  }

  std::unique_ptr<ExprNode> parse_unary() {
    if (is_word("not") || (tok_.kind == Token::Kind::Op && tok_.text == "!")) {
      const Nest nest(*this);
      next();
      auto n = std::make_unique<ExprNode>();
      n->kind = NodeKind::Not;
      n->a = parse_unary();
      return n;
    }
    if (tok_.kind == Token::Kind::LParen) {
      const Nest nest(*this);
      next();
      auto e = parse_or();
      if (tok_.kind != Token::Kind::RParen) fail("missing ')'");
      next();
      return e;
    }
    if (is_word("missing") || is_word("present")) {
      const bool missing = tok_.text == "missing";
      next();
      if (tok_.kind != Token::Kind::LParen) fail(std::string(missing ? "missing" : "present") + " needs (column)");
      next();
      if (tok_.kind != Token::Kind::Ident) fail("missing()/present() take a column name");
      auto n = std::make_unique<ExprNode>();
      n->kind = missing ? NodeKind::Missing : NodeKind::Present;
      n->lhs = Operand{Operand::Kind::Column, tok_.text, 0};
      next();
      if (tok_.kind != Token::Kind::RParen) fail("missing ')'");
      next();
      return n;
    }
    auto n = std::make_unique<ExprNode>();
    n->kind = NodeKind::Compare;
    n->lhs = operand();
    if (tok_.kind != Token::Kind::Op || tok_.text == "!" || tok_.text == "&&" || tok_.text == "||")
      fail(tok_.kind == Token::Kind::End ? "incomplete comparison (expected ==, !=, <, <=, > or >=)"
                                         : "expected a comparison operator, found '" + tok_.text + "'");
    const std::string& op = tok_.text;
    n->op = op == "==" ? CmpOp::Eq : op == "!=" ? CmpOp::Ne : op == "<" ? CmpOp::Lt
          : op == "<=" ? CmpOp::Le : op == ">" ? CmpOp::Gt : CmpOp::Ge;
    next();
    n->rhs = operand();
    if (n->lhs.kind != Operand::Kind::Column && n->rhs.kind != Operand::Kind::Column)
      fail("a comparison needs a column on one side");
    return n;
  }

  Operand operand() {
    Operand o;
    switch (tok_.kind) {
      case Token::Kind::Ident:
        if (tok_.text == "and" || tok_.text == "or" || tok_.text == "not") fail("expected a column or a value, found '" + tok_.text + "'");
        o.kind = Operand::Kind::Column;
        o.text = tok_.text;
        break;
      case Token::Kind::Number: o.kind = Operand::Kind::Number; o.number = tok_.number; o.text = tok_.text; break;
      case Token::Kind::Date: o.kind = Operand::Kind::Date; o.number = tok_.number; o.text = tok_.text; break;
      case Token::Kind::Text: o.kind = Operand::Kind::Text; o.text = tok_.text; break;
      default: fail(tok_.kind == Token::Kind::End ? "expression ends too early" : "unexpected '" + tok_.text + "'");
    }
    next();
    return o;
  }

  std::string_view s_;
  const std::string& where_;
  std::size_t pos_ = 0;
  Token tok_;
  int depth_ = 0;  // current nesting of "not" / "("
};

Truth from_bool(bool b) { return b ? Truth::True : Truth::False; }

bool compare(double x, CmpOp op, double y) {
  switch (op) {
    case CmpOp::Eq: return x == y;
    case CmpOp::Ne: return x != y;
    case CmpOp::Lt: return x < y;
    case CmpOp::Le: return x <= y;
    case CmpOp::Gt: return x > y;
    case CmpOp::Ge: return x >= y;
  }
  return false;
}

CmpOp flip(CmpOp op) {
  switch (op) {
    case CmpOp::Lt: return CmpOp::Gt;
    case CmpOp::Le: return CmpOp::Ge;
    case CmpOp::Gt: return CmpOp::Lt;
    case CmpOp::Ge: return CmpOp::Le;
    default: return op;
  }
}

class Evaluator {
 public:
  Evaluator(const Table& t, const std::set<std::string>& dates, const std::string& where)
      : t_(t), dates_(dates), where_(where) {}

  std::vector<Truth> eval(const ExprNode& n) const {
    switch (n.kind) {
      case NodeKind::Or:
      case NodeKind::And: {
        // Folded left to right: the same truth values as the binary tree of the grammar.
        auto a = eval(*n.args.front());
        const bool is_or = n.kind == NodeKind::Or;
        const Truth dominant = is_or ? Truth::True : Truth::False;
        for (std::size_t k = 1; k < n.args.size(); ++k) {
          const auto b = eval(*n.args[k]);
          for (std::size_t i = 0; i < a.size(); ++i) {
            if (a[i] == dominant || b[i] == dominant) a[i] = dominant;
            else if (a[i] == Truth::Na || b[i] == Truth::Na) a[i] = Truth::Na;
            else a[i] = is_or ? Truth::False : Truth::True;
          }
        }
        return a;
      }
      case NodeKind::Not: {
        auto a = eval(*n.a);
        for (auto& v : a)
          if (v != Truth::Na) v = v == Truth::True ? Truth::False : Truth::True;
        return a;
      }
      case NodeKind::Missing:
      case NodeKind::Present: {
        const Column& c = column(n.lhs.text);
        std::vector<Truth> out(t_.nrows);
        for (std::size_t i = 0; i < t_.nrows; ++i) out[i] = from_bool(c.missing(i) == (n.kind == NodeKind::Missing));
        return out;
      }
      case NodeKind::Compare: return eval_compare(n);
    }
    return {};
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw InputError(where_ + ": " + what); }

  const Column& column(const std::string& name) const {
    const Column* c = t_.find(name);
    if (!c) fail("unknown column '" + name + "'");
    return *c;
  }

  std::string kind_of(const Column& c) const {
    return !c.numeric() ? "text" : dates_.count(c.name) ? "date" : "numeric";
  }

  std::vector<Truth> eval_compare(const ExprNode& n) const {
    Operand lhs = n.lhs, rhs = n.rhs;
    CmpOp op = n.op;
    if (lhs.kind != Operand::Kind::Column) {
      std::swap(lhs, rhs);
      op = flip(op);
    }
    const Column& c = column(lhs.text);
    const std::string kind = kind_of(c);
    std::vector<Truth> out(t_.nrows, Truth::Na);
    if (rhs.kind == Operand::Kind::Column) {
      const Column& d = column(rhs.text);
      if (kind != kind_of(d) || kind == "text")
        fail("cannot compare " + kind + " column '" + c.name + "' with " + kind_of(d) + " column '" + d.name + "'" +
             (kind == "text" ? " (text columns compare with \"text\" only)" : ""));
      for (std::size_t i = 0; i < t_.nrows; ++i)
        if (!c.missing(i) && !d.missing(i)) out[i] = from_bool(compare(c.values[i], op, d.values[i]));
      return out;
    }
    const bool ok = (kind == "numeric" && rhs.kind == Operand::Kind::Number) ||
                    (kind == "date" && rhs.kind == Operand::Kind::Date) ||
                    (kind == "text" && rhs.kind == Operand::Kind::Text);
    if (!ok) {
      const char* want = kind == "numeric" ? "a number" : kind == "date" ? "a date (YYYY-MM-DD)" : "\"text\"";
      fail(kind + " column '" + c.name + "' must be compared with " + want + ", not '" + rhs.text + "'");
    }
    if (kind == "text") {
      if (op != CmpOp::Eq && op != CmpOp::Ne) fail("text column '" + c.name + "' supports == and != only");
      std::int32_t code = -1;
      for (std::size_t k = 0; k < c.levels.size(); ++k)
        if (c.levels[k] == rhs.text) code = static_cast<std::int32_t>(k);
      for (std::size_t i = 0; i < t_.nrows; ++i)
        if (!c.missing(i)) out[i] = from_bool((c.codes[i] == code) == (op == CmpOp::Eq));
      return out;
    }
    for (std::size_t i = 0; i < t_.nrows; ++i)
      if (!c.missing(i)) out[i] = from_bool(compare(c.values[i], op, rhs.number));
    return out;
  }

  const Table& t_;
  const std::set<std::string>& dates_;
  const std::string& where_;
};

void collect(const ExprNode* n, std::vector<std::string>& out) {
  if (!n) return;
  if (n->lhs.kind == Operand::Kind::Column && !n->lhs.text.empty()) out.push_back(n->lhs.text);
  if (n->rhs.kind == Operand::Kind::Column && !n->rhs.text.empty()) out.push_back(n->rhs.text);
  collect(n->a.get(), out);
  for (const auto& arg : n->args) collect(arg.get(), out);
}

}  // namespace

FilterExpr::FilterExpr(std::string_view text, std::string where) : where_(std::move(where)) {
  // `where` quotes the filter: keep messages about a huge hostile filter readable.
  constexpr std::size_t kMaxWhere = 300;
  if (where_.size() > kMaxWhere) where_ = where_.substr(0, kMaxWhere) + "...'";
  root_ = Parser(text, where_).parse();
}
FilterExpr::~FilterExpr() = default;
FilterExpr::FilterExpr(FilterExpr&&) noexcept = default;
FilterExpr& FilterExpr::operator=(FilterExpr&&) noexcept = default;

std::vector<Truth> FilterExpr::evaluate(const Table& table, const std::set<std::string>& date_columns) const {
  return Evaluator(table, date_columns, where_).eval(*root_);
}

std::vector<std::string> FilterExpr::columns() const {
  std::vector<std::string> out;
  collect(root_.get(), out);
  return out;
}

}  // namespace survkit::study
