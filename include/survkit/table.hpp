// survkit public API: a cohort as read from a delimited text file.
//
// The core parses text that the caller has already read into memory: it never opens
// files itself (the CLI does).  `CsvOptions::source` is only the name used in messages.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "survkit/common.hpp"

namespace survkit {

struct CsvOptions {
  /// Name of the input (usually the file path), used in every error message.
  std::string source = "<input>";
  /// Field separator; 0 = detect from the header line among ',', ';' and '\t'.
  char separator = 0;
  /// Columns forced to be categorical even when every value parses as a number.
  std::vector<std::string> factor_columns;
  /// Optional: called with byte ranges [offset, offset + length) of the text that the
  /// parser is done with, in order within each half of the input, so that a caller that
  /// mapped a file can drop those pages (peak memory then holds the parsed columns, not
  /// the text).  The parser may still re-read released text (a column that turns
  /// categorical late is read again), so it must stay readable: a file-backed mapping
  /// released with madvise(MADV_DONTNEED) qualifies.  May be called from two threads at
  /// once (large inputs are parsed in two halves).
  std::function<void(std::size_t offset, std::size_t length)> release;
};

enum class ColumnKind { Numeric, Categorical };

/// One column of a Table.
///  Numeric     : `values` has nrows entries, NaN marks a missing value; codes/levels empty.
///  Categorical : `codes` has nrows entries, -1 marks a missing value, otherwise an index
///                into `levels`; `values` empty.  `levels` are the distinct non-missing
///                values, sorted by value when every one of them parses as a number,
///                otherwise by byte order (so the default reference level is levels[0]).
struct Column {
  std::string name;
  ColumnKind kind = ColumnKind::Numeric;
  std::vector<double> values;
  std::vector<std::int32_t> codes;
  std::vector<std::string> levels;
  /// Metadata that typed files carry (SPSS, Stata, SAS, Excel; never set by parse_csv):
  ///  label       : the variable label ("" = none); the study's default display name.
  ///  date        : Numeric only: `values` are calendar days since 1970-01-01 (a date or
  ///                datetime column of the file); the study uses it as a date without
  ///                a [dates] format.
  ///  level_codes : Categorical from value labels: the coded value of each level, in
  ///                level order ("1", "2"), while `levels` holds the labels.  Indicators
  ///                (event, outcome) and numeric roles read the codes; --factor
  ///                COL:ref= and COL=VALUE accept the code or the label.
  std::string label;
  bool date = false;
  std::vector<std::string> level_codes;

  bool numeric() const { return kind == ColumnKind::Numeric; }
  bool missing(std::size_t row) const {
    return numeric() ? values[row] != values[row] : codes[row] < 0;
  }
  /// The value of `row` as text (numbers in shortest round-trip form; "" if missing).
  std::string text(std::size_t row) const;
};

/// A parsed delimited file.  Rows are 0-based here; messages and user-facing row numbers
/// are 1-based data rows (the first line after the header is row 1) or file lines.
struct Table {
  std::string source;
  std::vector<Column> columns;
  std::size_t nrows = 0;
  /// File line (1-based; the header is line 1) on which each row starts.  Empty when
  /// every record occupies exactly one line, in which case line(row) == row + 2.
  std::vector<std::size_t> row_lines;

  /// nullptr when there is no such column.
  const Column* find(std::string_view name) const;
  /// Throws InputError naming the file and listing the available columns.
  const Column& column(std::string_view name) const;
  /// 1-based file line on which `row` (0-based) starts.
  std::size_t line(std::size_t row) const {
    return row_lines.empty() ? row + 2 : row_lines[row];
  }
};

/// Parses delimited text (UTF-8, optional BOM, LF or CRLF, RFC 4180 quoting) with a
/// header row.  Missing values: an empty cell, NA, NaN or ".".  A column is numeric
/// when every non-missing value parses as a number (and it is not in factor_columns),
/// otherwise categorical.
/// Throws InputError for: empty input, no header, duplicate or empty column names,
/// a row with the wrong number of fields (naming its line), an unterminated quote.
/// Inputs of 4 MB or more without any quote character are parsed in two halves on two
/// threads (cut at a line break); the result is the same as with one thread.
Table parse_csv(std::string_view text, const CsvOptions& options);

}  // namespace survkit
