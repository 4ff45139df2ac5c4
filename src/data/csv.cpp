// parse_csv: delimited text -> Table, in one pass over the text (plus, rarely, a partial
// second pass; see ColumnBuilder).
//
// Type inference follows R's read.csv: a column is numeric when every non-missing cell is
// a number (Inf included), whether or not it was quoted; otherwise categorical.  Missing
// cells: empty, NA, NaN, "." -- quoted or not (R's na.strings also applies to quoted
// cells).  Unlike read.csv, an empty cell is missing in a text column as well, and text
// levels are ordered by bytes (R's sort() in the C locale), not by the user's locale.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <exception>
#include <functional>
#include <thread>
#include <limits>
#include <numeric>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "data/csv_tokenizer.hpp"
#include "data/levels.hpp"
#include "data/number.hpp"
#include "survkit/format.hpp"
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

  /// A cell already read as a plain decimal (the tokenizer's fast path); false when the
  /// column is categorical, which then wants the cell's text through add().
  bool add_number(double v) {
    if (categorical_) return false;
    values_.push_back(v);
    return true;
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

  bool categorical() const { return categorical_; }

  /// Turns categorical now (another part of the input found text in this column).
  void make_categorical() {
    if (!categorical_) become_categorical();
  }

  /// Appends the rows of `other` (a later part of the same column, of the same kind,
  /// with no pending rows left).  The result is allocated once at its final size.
  void append(ColumnBuilder&& other) {
    if (!categorical_) {
      // The first part reserved room for the whole input: then no new block is needed
      // (a free-then-allocate pattern would leave freed blocks resident in the heap).
      if (values_.capacity() < values_.size() + other.values_.size()) {
        std::vector<double> all;
        all.reserve(values_.size() + other.values_.size());
        all.insert(all.end(), values_.begin(), values_.end());
        values_.swap(all);
      }
      values_.insert(values_.end(), other.values_.begin(), other.values_.end());
      std::vector<double>().swap(other.values_);
      return;
    }
    std::vector<std::int32_t> remap(other.dictionary_.size());
    for (const auto& [text, code] : other.dictionary_) remap[static_cast<std::size_t>(code)] = intern(text);
    if (codes_.capacity() < codes_.size() + other.codes_.size()) {
      std::vector<std::int32_t> all;
      all.reserve(codes_.size() + other.codes_.size());
      all.insert(all.end(), codes_.begin(), codes_.end());
      codes_.swap(all);
    }
    for (std::int32_t c : other.codes_) codes_.push_back(c < 0 ? c : remap[static_cast<std::size_t>(c)]);
    std::vector<std::int32_t>().swap(other.codes_);
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
    data::order_levels(levels, codes_);
    c.levels = std::move(levels);
    c.codes = std::move(codes_);
    return c;
  }

 private:
  // A direct-mapped cache of recent texts in front of the dictionary: a categorical
  // column holds few distinct texts, and hashing every cell for the dictionary was about
  // 15% of reading a 1e7-row file with a group column.  Codes are the dictionary's (in
  // order of first appearance); the cache only answers repeated lookups.
  std::int32_t intern(std::string_view s) {
    Recent& slot = recent_[recent_slot(s)];
    if (slot.code >= 0 && slot.text == s) return slot.code;
    std::int32_t code;
    if (auto it = dictionary_.find(s); it != dictionary_.end()) {
      code = it->second;
    } else {
      code = static_cast<std::int32_t>(dictionary_.size());
      dictionary_.emplace(std::string(s), code);
    }
    slot.text.assign(s);
    slot.code = code;
    return code;
  }
  static std::size_t recent_slot(std::string_view s) {
    if (s.empty()) return 0;
    return (s.size() * 7 + static_cast<unsigned char>(s.front()) * 3 + static_cast<unsigned char>(s.back())) %
           kRecentSlots;
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
  struct Recent {
    std::string text;
    std::int32_t code = -1;
  };
  static constexpr std::size_t kRecentSlots = 16;
  std::array<Recent, kRecentSlots> recent_;
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
template <class OnField, class OnRow, class OnNumber>
std::size_t scan_rows(data::CsvTokenizer& tok, std::size_t ncol, const std::string& source,
                      std::size_t max_rows, OnField&& on_field, OnRow&& on_row, OnNumber&& on_number) {
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
    const std::size_t nf = tok.read_record(on_field, on_number);
    if (nf != ncol) ragged(source, tok.record_line(), ncol, std::to_string(nf));
    on_row(row, tok.record_line(), tok.record_inner_breaks());
    ++row;
  }
  return row;
}


// What every part of the data needs to know.
struct PartContext {
  const std::string& source;
  char sep;
  const std::vector<std::string>& names;
  const std::function<void(std::size_t, std::size_t)>& release;
};

// A run of whole records of the data, parsed on its own (possibly on its own thread).
struct Part {
  std::string_view text;
  std::size_t offset = 0;      // of text within the whole input, for CsvOptions::release
  std::size_t reserve_bytes = 0;  // the columns are reserved for this many bytes of records
  std::size_t first_line = 0;  // file line of the first record
  std::vector<ColumnBuilder> builders;
  std::size_t nrows = 0;
  // File line of each row; empty while every row r starts on line first_line + r.
  std::vector<std::size_t> row_lines;
  std::size_t end_line = 0;  // the line of the cursor after the last record
  std::exception_ptr error;
  bool ended_in_quote = false;  // the error is a quote still open at the end of the text
};

// Bytes between two calls of CsvOptions::release.
constexpr std::size_t kReleaseBytes = std::size_t{8} << 20;

void parse_part(Part& part, const PartContext& ctx) {
  data::CsvTokenizer tok(part.text, ctx.sep, ctx.source, &ctx.names, part.first_line);
  try {
    const std::size_t ncol = ctx.names.size();
    const std::size_t bytes = part.text.size();
    std::size_t released = 0;
    // Extra fields of a ragged row are ignored here; scan_rows reports the row.
    auto on_field = [&](std::size_t j, const Field& f) {
      if (j < ncol) part.builders[j].add(f);
    };
    auto on_number = [&](std::size_t j, double v) { return j < ncol && part.builders[j].add_number(v); };
    auto on_row = [&](std::size_t row, std::size_t line, std::size_t /*inner_breaks*/) {
      if (part.row_lines.empty() && line != part.first_line + row) {
        // First row that does not start on the next line (a record spanning lines, or
        // blank lines before the header): from here on every row's line is recorded.
        part.row_lines.reserve(row + 1);
        for (std::size_t r = 0; r < row; ++r) part.row_lines.push_back(part.first_line + r);
        part.row_lines.push_back(line);
      } else if (!part.row_lines.empty()) {
        part.row_lines.push_back(line);
      }
      // After a sample of rows, reserve every column for the whole part once, so that
      // the column vectors do not grow by doubling (peak memory ~ final size).
      const std::size_t used = bytes - tok.remaining();
      if (row + 1 == 1024) {
        const double per_row = static_cast<double>(used) / 1024.0;
        const auto estimate =
            static_cast<std::size_t>(static_cast<double>(part.reserve_bytes) / per_row * 1.05) + 16;
        for (auto& b : part.builders) b.reserve(estimate);
        if (!part.row_lines.empty()) part.row_lines.reserve(estimate);
      }
      // Tell the caller which text is done with, so that it can drop it from memory.
      if (ctx.release && used - released >= kReleaseBytes) {
        ctx.release(part.offset + released, used - released);
        released = used;
      }
    };
    part.nrows = scan_rows(tok, ncol, ctx.source, std::numeric_limits<std::size_t>::max(), on_field, on_row,
                           on_number);
    part.end_line = tok.line();
    if (ctx.release && bytes > released) ctx.release(part.offset + released, bytes - released);
  } catch (...) {
    part.error = std::current_exception();
    part.ended_in_quote = tok.ended_in_quote();
  }
}

// Catch-up pass for columns that turned categorical after rows of numbers: re-read their
// cells in the rows that held numbers.  At most one partial pass for all such columns.
void catch_up(Part& part, const PartContext& ctx) {
  std::size_t rows = 0;
  for (const auto& b : part.builders) rows = std::max(rows, b.pending_rows());
  if (rows == 0) return;
  const std::size_t ncol = ctx.names.size();
  data::CsvTokenizer again(part.text, ctx.sep, ctx.source, &ctx.names, part.first_line);
  std::size_t current_row = 0;
  scan_rows(
      again, ncol, ctx.source, rows,
      [&](std::size_t j, const Field& f) {
        if (j < ncol && current_row < part.builders[j].pending_rows()) part.builders[j].resolve(current_row, f);
      },
      [&](std::size_t row, std::size_t, std::size_t) { current_row = row + 1; },
      [](std::size_t, double) { return false; });  // every cell as text
}

// True when [begin, end) holds only blanks (spaces, tabs, a CR).
bool blank_text(const char* begin, const char* end) {
  for (; begin != end; ++begin)
    if (!data::is_blank_char(*begin) && *begin != '\r') return false;
  return true;
}

// Where to cut the data records in two for two threads, or 0 to use one thread: at least
// 4 MB, two cores, a line break whose neighbouring lines are not blank (blank lines are
// errors or missing values depending on where they sit; the single-threaded scan
// decides).  The cut may fall inside a quoted field (which may hold line breaks): then
// the first part ends in an unterminated quote and parse_csv starts again on one thread.
// Otherwise the first part ended exactly at the cut on a record boundary, the very state
// in which one pass would reach it, so the second part's parse is the one pass's.  (Not
// pre-scanned for quotes: reading the whole text up front would map all of it at once.)
std::size_t parallel_split(std::string_view data) {
  constexpr std::size_t kMinBytes = std::size_t{4} << 20;
  if (data.size() < kMinBytes || std::thread::hardware_concurrency() < 2) return 0;
  const char* begin = data.data();
  const char* end = begin + data.size();
  const char* cut = begin + data.size() / 2;
  for (int attempt = 0; attempt < 64; ++attempt) {
    const auto* nl = static_cast<const char*>(std::memchr(cut, '\n', static_cast<std::size_t>(end - cut)));
    if (nl == nullptr || nl + 1 == end) return 0;
    const char* prev_start = nl;
    while (prev_start != begin && prev_start[-1] != '\n') --prev_start;
    const auto* next_nl = static_cast<const char*>(std::memchr(nl + 1, '\n', static_cast<std::size_t>(end - nl - 1)));
    const char* next_end = next_nl == nullptr ? end : next_nl;
    // A lone CR is a line break too (an old Mac file): leave such cuts alone; CRLF is fine.
    bool lone_cr = false;
    for (const char* q = prev_start; q != next_end && !lone_cr; ++q)
      lone_cr = *q == '\r' && (q + 1 == end || q[1] != '\n');
    if (!lone_cr && !blank_text(prev_start, nl) && !blank_text(nl + 1, next_end))
      return static_cast<std::size_t>(nl + 1 - begin);
    cut = nl + 1;
  }
  return 0;
}

// The header's column names, each non-empty and named once (the tokenizer is then past
// the header).
std::vector<std::string> read_header(data::CsvTokenizer& tok, const std::string& source) {
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
  return names;
}

// The columns CsvOptions::factor_columns forces to be categorical.
std::vector<bool> forced_columns(const std::vector<std::string>& names, const CsvOptions& options) {
  const std::string& source = options.source;
  std::vector<bool> forced(names.size(), false);
  for (const auto& f : options.factor_columns) {
    auto it = std::find(names.begin(), names.end(), f);
    if (it == names.end())
      throw InputError(source + ": cannot treat '" + f + "' as a factor: there is no such column; the columns are: " +
                           join(names),
                       source, 0, f);
    forced[static_cast<std::size_t>(it - names.begin())] = true;
  }
  return forced;
}

// The data records (from `data_offset` of the text, starting on `first_line`) parsed
// into parts: one, or two parsed by two threads when that is safe (parallel_split).
// Rethrows the first error in file order.
std::vector<Part> parse_records(std::string_view text, std::size_t data_offset, std::size_t first_line,
                                const std::vector<bool>& forced, const PartContext& context) {
  const std::size_t ncol = forced.size();
  const std::string_view data = text.substr(data_offset);
  const std::size_t split = ncol > 1 ? parallel_split(data) : 0;
  std::vector<Part> parts(split == 0 ? 1 : 2);
  parts[0].text = split == 0 ? data : data.substr(0, split);
  parts[0].offset = data_offset;
  parts[0].first_line = first_line;
  // The first part reserves for all the records: the second is appended in place.
  parts[0].reserve_bytes = data.size();
  if (split != 0) {
    parts[1].text = data.substr(split);
    parts[1].offset = data_offset + split;
    parts[1].reserve_bytes = parts[1].text.size();
  }
  for (auto& part : parts) {
    part.builders.reserve(ncol);
    for (std::size_t j = 0; j < ncol; ++j) part.builders.emplace_back(forced[j]);
  }
  if (parts.size() == 1) {
    parse_part(parts[0], context);
  } else {
    // The second part's first line is known only when the first part is done (counting
    // the first part's line breaks up front would read, hence map, all its text at once):
    // it is parsed with provisional line numbers from 1, shifted afterwards.
    parts[1].first_line = 1;
    std::thread second([&] { parse_part(parts[1], context); });
    parse_part(parts[0], context);
    second.join();
    auto fresh = [&](Part& part) {
      part.builders.clear();
      for (std::size_t j = 0; j < ncol; ++j) part.builders.emplace_back(forced[j]);
      part.error = nullptr;
      part.nrows = 0;
      part.row_lines.clear();
    };
    if (parts[0].ended_in_quote) {
      // The cut fell inside a quoted field: one thread, from the start.
      parts.resize(1);
      parts[0].text = data;
      fresh(parts[0]);
      parse_part(parts[0], context);
    } else {
      const std::size_t shift = parts[0].end_line - 1;
      parts[1].first_line += shift;
      for (auto& line : parts[1].row_lines) line += shift;
      if (parts[1].error && !parts[0].error) {
        // Its message holds a provisional line: parse it again, now with the right lines
        // (errors only, so the second pass costs nothing on good input).
        fresh(parts[1]);
        parse_part(parts[1], context);
      }
    }
  }
  for (auto& part : parts)  // the first error in file order
    if (part.error) std::rethrow_exception(part.error);
  return parts;
}

// The parts' columns joined into the table (names are moved into it).
Table assemble_table(std::vector<Part>& parts, std::vector<std::string>& names, const PartContext& context) {
  const std::size_t ncol = names.size();
  // A column is categorical when any part found a non-number in it: the parts that saw
  // only numbers turn categorical too and re-read their text (catch-up pass).
  for (std::size_t j = 0; j < ncol; ++j) {
    bool categorical = false;
    for (auto& part : parts) categorical = categorical || part.builders[j].categorical();
    if (categorical)
      for (auto& part : parts) part.builders[j].make_categorical();
  }
  for (auto& part : parts) catch_up(part, context);

  Table table;
  table.source = context.source;
  for (const auto& part : parts) table.nrows += part.nrows;
  // Line of each row: recorded only when some row does not start on line row + 2.
  bool regular = true;
  {
    std::size_t row = 0;
    for (const auto& part : parts) {
      regular = regular && part.row_lines.empty() && part.first_line == row + 2;
      row += part.nrows;
    }
  }
  if (!regular) {
    table.row_lines.reserve(table.nrows);
    for (const auto& part : parts) {
      if (part.row_lines.empty())
        for (std::size_t r = 0; r < part.nrows; ++r) table.row_lines.push_back(part.first_line + r);
      else
        table.row_lines.insert(table.row_lines.end(), part.row_lines.begin(), part.row_lines.end());
    }
  }

  // Concatenate the parts column by column (one column of extra memory at a time).
  table.columns.reserve(ncol);
  for (std::size_t j = 0; j < ncol; ++j) {
    ColumnBuilder& first = parts[0].builders[j];
    for (std::size_t k = 1; k < parts.size(); ++k) first.append(std::move(parts[k].builders[j]));
    table.columns.push_back(first.finish(std::move(names[j])));
  }
  // Give back a reservation estimate that overshot by more than a quarter (shrinking
  // copies the column, so a small overshoot is cheaper to keep).
  for (auto& c : table.columns) {
    if (c.values.capacity() > c.values.size() + c.values.size() / 4) c.values.shrink_to_fit();
    if (c.codes.capacity() > c.codes.size() + c.codes.size() / 4) c.codes.shrink_to_fit();
  }
  return table;
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
                       "'; the columns are: " + join(names),
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
  std::vector<std::string> names = read_header(tok, source);
  tok.set_names(&names);
  const std::vector<bool> forced = forced_columns(names, options);
  const PartContext context{source, sep, names, options.release};
  std::vector<Part> parts = parse_records(text, text.size() - tok.remaining(), tok.line(), forced, context);
  return assemble_table(parts, names, context);
}

}  // namespace survkit
