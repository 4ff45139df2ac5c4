// Internal (study): the filter language of [[filter]] and of nothing else.
//
//   expr    := or
//   or      := and { ("or" | "||") and }
//   and     := unary { ("and" | "&&") unary }
//   unary   := ("not" | "!") unary | "(" expr ")" | call | compare
//   call    := ("missing" | "present") "(" column ")"
//   compare := operand ("==" | "!=" | "<" | "<=" | ">" | ">=") operand
//   operand := column | number | "text" | 'text' | YYYY-MM-DD (a date)
// A column is an identifier ([A-Za-z_][A-Za-z0-9_.]*) or a name in backticks.
// Types are checked against the data: a numeric column compares with numbers, a date
// column with dates (or another date column), a text column with text (== and != only).
// Logic is three-valued, as R's: a comparison involving a missing value is NA;
// "and"/"or" follow Kleene's rules (false and NA = false, true or NA = true).
#pragma once

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "survkit/table.hpp"

namespace survkit::study {

/// Truth values of a filter per row.
enum class Truth : std::uint8_t { False = 0, True = 1, Na = 2 };

struct ExprNode;

/// A parsed filter.  `where` prefixes every message ("study.toml line 12: filter 'x'").
class FilterExpr {
 public:
  /// Throws InputError (prefixed by `where`) on a syntax error.
  FilterExpr(std::string_view text, std::string where);
  ~FilterExpr();
  FilterExpr(FilterExpr&&) noexcept;
  FilterExpr& operator=(FilterExpr&&) noexcept;

  /// Evaluates on every row of `table`.  `date_columns`: names of the numeric columns
  /// that hold day numbers.  Throws InputError for an unknown column or a type mismatch.
  std::vector<Truth> evaluate(const Table& table, const std::set<std::string>& date_columns) const;

  /// The columns the expression names.
  std::vector<std::string> columns() const;

 private:
  std::unique_ptr<ExprNode> root_;
  std::string where_;
};

}  // namespace survkit::study
