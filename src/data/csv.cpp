// parse_csv: delimited text -> Table, in one pass over the text (plus, rarely, a partial
// second pass; see ColumnBuilder).
//
// Type inference follows R's read.csv: a column is numeric when every non-missing cell is
// a number (Inf included), whether or not it was quoted; otherwise categorical.  Missing
// cells: empty, NA, NaN, "." -- quoted or not (R's na.strings also applies to quoted
// cells).  Unlike read.csv, an empty cell is missing in a text column as well, and text
// levels are ordered by bytes (R's sort() in the C locale), not by the user's locale.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "data/csv_tokenizer.hpp"
#include "data/number.hpp"
#include "survkit/table.hpp"

namespace survkit {

namespace {

using data::Field;

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
// A cell of a column that turned categorical after rows of numbers: its text is
// re-read by the catch-up pass.
constexpr std::int32_t kPending = -2;

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

// Accumulates one column.  Starts numeric (unless forced categorical); at the first
// non-number it turns categorical: earlier missing cells become -1, earlier numbers
// kPending, and the catch-up pass re-reads only those rows' text (the numbers alone
// cannot give back the original spelling, e.g. "1.50").
class ColumnBuilder {
 public:
  explicit ColumnBuilder(bool categorical) : categorical_(categorical) {}

  void reserve(std::size_t n) {
    if (categorical_) codes_.reserve(n);
    else values_.reserve(n);
  }

  void add(const Field& f) {
    // Unquoted text is already trimmed; quoted content is trimmed only to recognise
    // numbers and missing spellings (R reads " 3" as 3), its text stays verbatim.
    const std::string_view t = f.quoted ? data::trim_spaces(f.text) : f.text;
    if (!categorical_) {
      if (data::is_missing_token(t)) {
        values_.push_back(kMissing);
        return;
      }
      double v;
      if (data::parse_number(t, v)) {
        values_.push_back(v);
        return;
      }
      become_categorical();
    }
    codes_.push_back(data::is_missing_token(t) ? -1 : intern(f.text));
  }

  /// Rows [0, pending_rows()) may hold kPending codes awaiting their text.
  std::size_t pending_rows() const { return pending_rows_; }

  void resolve(std::size_t row, const Field& f) {
    if (codes_[row] == kPending) codes_[row] = intern(f.text);
  }

  Column finish(std::string name) {
    Column c;
    c.name = std::move(name);
    if (!categorical_) {
      c.kind = ColumnKind::Numeric;
      c.values = std::move(values_);
      return c;
    }
    c.kind = ColumnKind::Categorical;
    std::vector<std::string> levels(dictionary_.size());
    for (auto& [text, code] : dictionary_) levels[static_cast<std::size_t>(code)] = text;
    dictionary_.clear();

    // Level order: by value when every level is a number (a forced factor column),
    // otherwise by bytes; ties in value ("2" and "2.0") fall back to bytes.
    std::vector<double> num(levels.size());
    bool all_numbers = true;
    for (std::size_t i = 0; i < levels.size() && all_numbers; ++i)
      all_numbers = data::parse_number(data::trim_spaces(levels[i]), num[i]);
    std::vector<std::int32_t> order(levels.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) {
      if (all_numbers && num[a] != num[b]) return num[a] < num[b];
      return levels[a] < levels[b];
    });
    std::vector<std::int32_t> new_code(levels.size());
    c.levels.reserve(levels.size());
    for (std::size_t k = 0; k < order.size(); ++k) {
      new_code[static_cast<std::size_t>(order[k])] = static_cast<std::int32_t>(k);
      c.levels.push_back(std::move(levels[static_cast<std::size_t>(order[k])]));
    }
    for (auto& code : codes_)
      if (code >= 0) code = new_code[static_cast<std::size_t>(code)];
    c.codes = std::move(codes_);
    return c;
  }

 private:
  std::int32_t intern(std::string_view s) {
    auto it = dictionary_.find(s);
    if (it != dictionary_.end()) return it->second;
    const auto code = static_cast<std::int32_t>(dictionary_.size());
    dictionary_.emplace(std::string(s), code);
    return code;
  }

  void become_categorical() {
    categorical_ = true;
    codes_.reserve(values_.capacity());
    codes_.resize(values_.size());
    for (std::size_t r = 0; r < values_.size(); ++r) {
      if (std::isnan(values_[r])) {
        codes_[r] = -1;
      } else {
        codes_[r] = kPending;
        pending_rows_ = r + 1;
      }
    }
    std::vector<double>().swap(values_);
  }

  bool categorical_;
  std::vector<double> values_;
  std::vector<std::int32_t> codes_;
  std::unordered_map<std::string, std::int32_t, StringHash, std::equal_to<>> dictionary_;
  std::size_t pending_rows_ = 0;
};

// The separator that occurs most often outside quotes on the header line; ties and a
// header without any of them (a single column) give ','.
char detect_separator(std::string_view text) {
  // The header is the first line that is not blank.
  for (;;) {
    std::size_t i = 0;
    while (i < text.size() && data::is_blank_char(text[i])) ++i;
    if (i == text.size() || (text[i] != '\n' && text[i] != '\r')) break;
    text.remove_prefix(i + 1);
  }
  std::size_t comma = 0, semicolon = 0, tab = 0;
  bool in_quotes = false;
  for (char c : text) {
    if (c == '"') in_quotes = !in_quotes;
    else if (in_quotes) continue;
    else if (c == '\n' || c == '\r') break;
    else if (c == ',') ++comma;
    else if (c == ';') ++semicolon;
    else if (c == '\t') ++tab;
  }
  if (semicolon > comma && semicolon >= tab) return ';';
  if (tab > comma && tab > semicolon) return '\t';
  return ',';
}

[[noreturn]] void ragged(const std::string& source, std::size_t line, std::size_t expected,
                         const std::string& found) {
  throw InputError(source + " line " + std::to_string(line) + ": expected " +
                       std::to_string(expected) + " fields but found " + found + " (a ragged row)",
                   source, line);
}

// Drives the tokenizer over data records.  Blank lines: ignored at the end of the input;
// in the middle they are a ragged row, except in a single-column file where they are a
// missing value.  on_field(column, field) for every field, on_row(row, first_line,
// inner_breaks) after each row.  Stops after max_rows rows.
template <class OnField, class OnRow>
std::size_t scan_rows(data::CsvTokenizer& tok, std::size_t ncol, const std::string& source,
                      std::size_t max_rows, OnField&& on_field, OnRow&& on_row) {
  std::size_t row = 0;
  std::size_t blank_lines = 0, first_blank = 0;
  while (row < max_rows && !tok.at_end()) {
    const std::size_t line = tok.line();
    if (tok.skip_blank_line()) {
      if (blank_lines++ == 0) first_blank = line;
      continue;
    }
    if (blank_lines > 0) {
      if (ncol != 1) ragged(source, first_blank, ncol, "an empty line");
      for (std::size_t k = 0; k < blank_lines && row < max_rows; ++k, ++row) {
        on_field(std::size_t{0}, Field{});
        on_row(row, first_blank + k, std::size_t{0});
      }
      blank_lines = 0;
      if (row == max_rows) break;
    }
    const std::size_t nf = tok.read_record(on_field);
    if (nf != ncol) ragged(source, tok.record_line(), ncol, std::to_string(nf));
    on_row(row, tok.record_line(), tok.record_inner_breaks());
    ++row;
  }
  return row;
}

}  // namespace

std::string Column::text(std::size_t row) const {
  if (missing(row)) return "";
  if (numeric()) return data::format_number(values[row]);
  return levels[static_cast<std::size_t>(codes[row])];
}

const Column* Table::find(std::string_view name) const {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

const Column& Table::column(std::string_view name) const {
  if (const Column* c = find(name)) return *c;
  std::vector<std::string> names;
  for (const auto& c : columns) names.push_back(c.name);
  throw InputError(source + ": no column named '" + std::string(name) +
                       "'; the columns are: " + join_names(names),
                   source, 0, std::string(name));
}

Table parse_csv(std::string_view text, const CsvOptions& options) {
  const std::string& source = options.source;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const char sep = options.separator != 0 ? options.separator : detect_separator(text);

  data::CsvTokenizer tok(text, sep, source);
  // Blank lines before the header are skipped (as read.csv); the header line number is
  // then > 1 and Table::row_lines records the real lines.
  while (!tok.at_end() && tok.skip_blank_line()) {}
  if (tok.at_end())
    throw InputError(source + ": the input is empty (expected a header line naming the columns)",
                     source);

  std::vector<std::string> names;
  tok.read_record([&](std::size_t, const Field& f) { names.emplace_back(f.text); });
  const std::size_t header_line = tok.record_line();
  {
    std::unordered_set<std::string_view> seen;
    for (std::size_t j = 0; j < names.size(); ++j) {
      if (names[j].empty())
        throw InputError(source + " line " + std::to_string(header_line) + ": column " +
                             std::to_string(j + 1) + " of the header has no name",
                         source, header_line);
      if (!seen.insert(names[j]).second)
        throw InputError(source + " line " + std::to_string(header_line) +
                             ": the header names column '" + names[j] + "' twice",
                         source, header_line, names[j]);
    }
  }
  tok.set_names(&names);

  std::vector<bool> forced(names.size(), false);
  for (const auto& f : options.factor_columns) {
    auto it = std::find(names.begin(), names.end(), f);
    if (it == names.end())
      throw InputError(source + ": cannot treat '" + f + "' as a factor: there is no such column; the columns are: " +
                           join_names(names),
                       source, 0, f);
    forced[static_cast<std::size_t>(it - names.begin())] = true;
  }

  const std::size_t ncol = names.size();
  std::vector<ColumnBuilder> builders;
  builders.reserve(ncol);
  for (std::size_t j = 0; j < ncol; ++j) builders.emplace_back(forced[j]);

  Table table;
  table.source = source;
  const std::size_t data_bytes = tok.remaining();
  // Extra fields of a ragged row are ignored here; scan_rows reports the row.
  auto on_field = [&](std::size_t j, const Field& f) {
    if (j < ncol) builders[j].add(f);
  };
  auto on_row = [&](std::size_t row, std::size_t line, std::size_t /*inner_breaks*/) {
    if (table.row_lines.empty() && line != row + 2) {
      // First row that does not start on line row + 2 (a record spanning lines, or
      // blank lines before the header): from here on every row's line is recorded.
      table.row_lines.reserve(row + 1);
      for (std::size_t r = 0; r < row; ++r) table.row_lines.push_back(r + 2);
      table.row_lines.push_back(line);
    } else if (!table.row_lines.empty()) {
      table.row_lines.push_back(line);
    }
    // After a sample of rows, reserve every column for the whole input once, so that
    // the column vectors do not grow by doubling (peak memory ~ final size).
    if (row + 1 == 1024) {
      const std::size_t used = data_bytes - tok.remaining();
      const double per_row = static_cast<double>(used) / 1024.0;
      const auto estimate = static_cast<std::size_t>(static_cast<double>(data_bytes) / per_row * 1.05) + 16;
      for (auto& b : builders) b.reserve(estimate);
      if (!table.row_lines.empty()) table.row_lines.reserve(estimate);
    }
  };
  table.nrows = scan_rows(tok, ncol, source, std::numeric_limits<std::size_t>::max(), on_field, on_row);

  // Catch-up pass for columns that turned categorical late: re-read their cells in the
  // rows that held numbers.  Needs at most one partial pass for all such columns.
  std::size_t catch_up = 0;
  for (const auto& b : builders) catch_up = std::max(catch_up, b.pending_rows());
  if (catch_up > 0) {
    data::CsvTokenizer again(text, sep, source, &names);
    while (!again.at_end() && again.skip_blank_line()) {}
    again.read_record([](std::size_t, const Field&) {});  // header
    std::size_t current_row = 0;
    scan_rows(
        again, ncol, source, catch_up,
        [&](std::size_t j, const Field& f) {
          if (j < ncol && current_row < builders[j].pending_rows()) builders[j].resolve(current_row, f);
        },
        [&](std::size_t row, std::size_t, std::size_t) { current_row = row + 1; });
  }

  table.columns.reserve(ncol);
  for (std::size_t j = 0; j < ncol; ++j) table.columns.push_back(builders[j].finish(std::move(names[j])));
  // Give back a reservation estimate that overshot by more than a quarter (shrinking
  // copies the column, so a small overshoot is cheaper to keep).
  for (auto& c : table.columns) {
    if (c.values.capacity() > c.values.size() + c.values.size() / 4) c.values.shrink_to_fit();
    if (c.codes.capacity() > c.codes.size() + c.codes.size() / 4) c.codes.shrink_to_fit();
  }
  return table;
}

}  // namespace survkit
