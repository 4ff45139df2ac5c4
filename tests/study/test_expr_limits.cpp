// Hostile filters (issue 12 section 3): nesting is bounded (an InputError naming the spec
// line, never a stack overflow), long and/or chains cost no recursion depth, and the
// n-ary and/or nodes give the truth values of the binary grammar (checked against a
// reference evaluator on many seeded random expressions).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "study/expr.hpp"
#include <survkit/study.hpp>

using namespace survkit;
using study::Truth;

namespace {

// The same small valid spec as test_spec.cpp; a [[filter]] appended starts at line 14
// and its include = line is line 15.
const std::string kBase =
    "title = \"t\"\n[data]\nfile = \"d.csv\"\n[[variable]]\nname = \"age\"\ncuts = [60]\n"
    "[group]\nfrom = \"arm\"\nvalues = [\"a\", \"b\"]\n[[endpoint]]\nid = \"os\"\ntime = \"t\"\n"
    "status = \"d\"\n";

std::string spec_error(const std::string& filter) {
  try {
    parse_study_spec(kBase + "[[filter]]\ninclude = '" + filter + "'\n", "study.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

Table csv(const std::string& text) {
  CsvOptions o;
  o.source = "d.csv";
  return parse_csv(text, o);
}

std::vector<Truth> eval(const std::string& e, const Table& t) { return study::FilterExpr(e, "f").evaluate(t, {}); }

}  // namespace

// On the original code each of these died of a stack overflow (SIGSEGV) inside
// parse_unary / parse_or; now an InputError names the spec line and the limit.
TEST(ExprLimits, DeepNotAndParenthesesAreInputErrors) {
  const std::vector<std::string> hostile = {
      repeat("not ", 200000) + "age > 1",
      repeat("!", 200000) + "age > 1",
      repeat("(", 100000) + "age > 1" + repeat(")", 100000),
      repeat("(not ", 50000) + "age > 1" + repeat(")", 50000),
  };
  for (const auto& f : hostile) {
    const std::string e = spec_error(f);
    EXPECT_NE(e.find("study.toml line 15:"), std::string::npos) << e.substr(0, 200);
    EXPECT_NE(e.find("more than 256 levels"), std::string::npos) << e.substr(0, 200);
    EXPECT_LT(e.size(), 600u) << "the message quotes the whole hostile filter";
  }
}

// The bound is exactly 256 levels: 256 are accepted (and evaluate right), 257 are not.
TEST(ExprLimits, BoundaryIsExact) {
  const Table t = csv("x,y\n1,a\n3,b\n,c\n");
  for (int depth : {255, 256}) {
    const std::string nots = repeat("not ", static_cast<std::size_t>(depth)) + "x > 2";
    const std::vector<Truth> want = depth % 2 ? std::vector<Truth>{Truth::True, Truth::False, Truth::Na}
                                              : std::vector<Truth>{Truth::False, Truth::True, Truth::Na};
    EXPECT_EQ(eval(nots, t), want) << depth;
    const std::string parens = repeat("(", static_cast<std::size_t>(depth)) + "x > 2" +
                               repeat(")", static_cast<std::size_t>(depth));
    EXPECT_EQ(eval(parens, t), (std::vector<Truth>{Truth::False, Truth::True, Truth::Na})) << depth;
    EXPECT_EQ(spec_error(nots), "");
  }
  EXPECT_THROW(eval(repeat("not ", 257) + "x > 2", t), InputError);
  EXPECT_THROW(eval(repeat("(", 257) + "x > 2" + repeat(")", 257), t), InputError);
  // Depth is nesting, not count: 1,000 sibling parentheses are fine.
  std::string siblings = "(x > 2)";
  for (int i = 0; i < 999; ++i) siblings += " and (x > 2)";
  EXPECT_EQ(eval(siblings, t), (std::vector<Truth>{Truth::False, Truth::True, Truth::Na}));
}

// 100,000-term chains: the original binary tree was 100,000 levels deep, and its
// evaluation and destruction recursed once per level (stack overflow).
TEST(ExprLimits, LongAndOrChainsNeedNoDepth) {
  const Table t = csv("x\n1\n3\n\n5\n");
  std::string ors = "x == 5", ands = "x > 0";
  for (int i = 0; i < 100000; ++i) {
    ors += " or x == " + std::to_string(100 + i);
    ands += " and x < " + std::to_string(4 + i);
  }
  EXPECT_EQ(eval(ors, t), (std::vector<Truth>{Truth::False, Truth::False, Truth::Na, Truth::True}));
  EXPECT_EQ(eval(ands, t), (std::vector<Truth>{Truth::True, Truth::True, Truth::Na, Truth::False}));
  EXPECT_EQ(study::FilterExpr(ors, "f").columns().size(), 100001u);
}

// Generator: seeded random expressions (depth <= 12, mixed and/or/not/parentheses, NA
// rows) evaluated by survkit and by a reference binary-tree evaluator of the grammar
// (left-associative and/or, "and" binding tighter than "or", Kleene logic).  Exact
// agreement is required: the values are three-valued, there is nothing to round.
namespace {

struct Gen {
  std::mt19937_64 rng;
  const std::vector<std::vector<double>>& cols;  // a, b, c; NaN = missing

  // Returns the text and the truth values per row, built bottom-up as the grammar
  // associates (so the reference needs no parser).
  std::pair<std::string, std::vector<Truth>> expr(int depth) {
    std::uniform_int_distribution<int> pick(0, depth <= 0 ? 0 : 4);
    switch (pick(rng)) {
      case 0:
      case 1: return leaf();
      case 2: {  // not
        auto [s, v] = expr(depth - 1);
        for (auto& x : v)
          if (x != Truth::Na) x = x == Truth::True ? Truth::False : Truth::True;
        return {std::string(rng() % 2 ? "not " : "!") + "(" + s + ")", v};
      }
      default: {  // a parenthesised chain of 2..5 terms, all "and" or all "or"
        const bool is_or = rng() % 2;
        const int k = 2 + static_cast<int>(rng() % 4);
        auto [s, v] = expr(depth - 1);
        std::string text = "(" + s;
        for (int i = 1; i < k; ++i) {
          auto [s2, v2] = expr(depth - 1);
          text += std::string(is_or ? (rng() % 2 ? " or " : " || ") : (rng() % 2 ? " and " : " && ")) + s2;
          for (std::size_t r = 0; r < v.size(); ++r) v[r] = combine(is_or, v[r], v2[r]);
        }
        return {text + ")", v};
      }
    }
  }

  static Truth combine(bool is_or, Truth a, Truth b) {
    const Truth dom = is_or ? Truth::True : Truth::False;
    if (a == dom || b == dom) return dom;
    if (a == Truth::Na || b == Truth::Na) return Truth::Na;
    return is_or ? Truth::False : Truth::True;
  }

  std::pair<std::string, std::vector<Truth>> leaf() {
    const int c = static_cast<int>(rng() % 3);
    const int k = static_cast<int>(rng() % 5);
    const bool lt = rng() % 2;
    std::vector<Truth> v;
    for (double x : cols[static_cast<std::size_t>(c)])
      v.push_back(std::isnan(x) ? Truth::Na : ((lt ? x < k : x >= k) ? Truth::True : Truth::False));
    return {std::string(1, static_cast<char>('a' + c)) + (lt ? " < " : " >= ") + std::to_string(k), v};
  }
};

}  // namespace

TEST(ExprLimits, GeneratedExpressionsMatchReferenceLogic) {
  std::string text = "a,b,c\n";
  std::vector<std::vector<double>> cols(3);
  std::mt19937_64 data_rng(12);
  for (int r = 0; r < 40; ++r) {
    for (int c = 0; c < 3; ++c) {
      const bool missing = data_rng() % 6 == 0;
      const double v = static_cast<double>(data_rng() % 5);
      cols[static_cast<std::size_t>(c)].push_back(missing ? NAN : v);
      text += (c ? "," : "") + (missing ? std::string() : std::to_string(static_cast<int>(v)));
    }
    text += "\n";
  }
  const Table t = csv(text);
  for (std::uint64_t seed = 1; seed <= 500; ++seed) {
    Gen g{std::mt19937_64(seed), cols};
    const auto [s, want] = g.expr(12);
    ASSERT_EQ(eval(s, t), want) << "seed " << seed << ": " << s;
  }
}
