// read_xlsx: the sheet's XML is streamed out of the zip archive in blocks and parsed by
// pugixml one run of whole <row> elements at a time (cut after a "</row>" closing tag,
// which cannot occur inside an .xlsx sheet's text: '<' is always escaped there), so a
// million-row sheet never sits in memory as one DOM.  Cells are kept per column as a
// kind and a number; the column types are decided when the whole sheet is read.
#include <pugixml.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "data/levels.hpp"
#include "data/number.hpp"
#include "data/xlsx/workbook.hpp"
#include "data/xlsx/xlsx.hpp"
#include "data/xlsx/zip_entry.hpp"
#include "study/dates.hpp"
#include "survkit/common.hpp"

namespace survkit::data {

namespace {

enum Kind : std::uint8_t { kEmpty, kNumber, kDate, kText, kBool, kError };

struct CellColumn {
  std::vector<double> value;       // the number, the day, the boolean, or the text's index
  std::vector<std::uint8_t> kind;
  std::size_t rows = 0;            // 1 + the last data row holding a non-empty cell
};

std::string column_letters(std::size_t col) {
  std::string s;
  for (std::size_t c = col + 1; c > 0; c = (c - 1) / 26) s.insert(s.begin(), static_cast<char>('A' + (c - 1) % 26));
  return s;
}

std::string cell_name(std::size_t col, std::size_t row) { return column_letters(col) + std::to_string(row); }

// "AB12" -> column 27 (0-based), row 12 (1-based); false when malformed.
bool parse_ref(std::string_view ref, std::size_t& col, std::size_t& row) {
  std::size_t i = 0, c = 0, r = 0;
  while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') c = c * 26 + static_cast<std::size_t>(ref[i++] - 'A' + 1);
  const std::size_t letters = i;
  while (i < ref.size() && ref[i] >= '0' && ref[i] <= '9') r = r * 10 + static_cast<std::size_t>(ref[i++] - '0');
  if (letters == 0 || i == letters || i != ref.size() || r == 0 || c > 16384) return false;
  col = c - 1;
  row = r;
  return true;
}

// True when `n` is the element `want` or "prefix:want" (local_name without measuring the
// name first: the test made for every cell).  Only elements have names.
bool named(const pugi::xml_node& n, const char* want) {
  auto same = [](const char* a, const char* b) {
    while (*a != '\0' && *a == *b) ++a, ++b;
    return *a == *b;
  };
  const char* name = n.name();
  if (same(name, want)) return true;
  while (*name != '\0' && *name != ':') ++name;
  return *name == ':' && same(name + 1, want);
}

// The first `needle` in `text` (std::string::find), skipping ahead by Horspool's rule: a
// sheet's text is full of '<', on which find stops to compare each time.
std::size_t find_text(std::string_view text, std::string_view needle) {
  const auto at = std::search(text.begin(), text.end(),
                              std::boyer_moore_horspool_searcher(needle.begin(), needle.end()));
  return at == text.end() ? std::string::npos : static_cast<std::size_t>(at - text.begin());
}

class SheetReader {
 public:
  SheetReader(const xlsx::Workbook& wb, std::string where) : wb_(wb), where_(std::move(where)) {}

  void feed(std::string_view block) {
    pending_.append(block);
    process(false);
  }
  void finish() { process(true); }
  Table table(const std::string& path);

 private:
  [[noreturn]] void fail(std::size_t col, std::size_t row, const std::string& what) const {
    throw InputError(where_ + ", cell " + cell_name(col, row) + ": " + what, path_of_where(), row);
  }
  std::string path_of_where() const { return where_.substr(0, where_.rfind(", sheet ")); }

  void process(bool final);
  void parse_rows(std::size_t end);
  void read_row(const pugi::xml_node& row);
  struct CellAttributes {
    const char* ref = nullptr;  // r="B7"
    const char* type = "n";     // t="s", "inlineStr", ...
    std::size_t style = 0;      // s="3"
  };
  void read_cell(const pugi::xml_node& c, const CellAttributes& at, std::size_t col, std::size_t row);
  void store(std::size_t col, std::size_t row, Kind kind, double value, const std::string* header_text);
  void read_merges(std::string_view tail);
  std::size_t intern_text(std::string_view text);
  const std::string& text_at(double index) const {
    const auto k = static_cast<std::size_t>(index);
    return k < wb_.shared.size() ? wb_.shared[k] : texts_[k - wb_.shared.size()];
  }
  std::string cell_text(const CellColumn& c, std::size_t i) const;
  Column finish_column(CellColumn& cells, std::size_t col, std::size_t nrows) const;
  double serial_to_days(double serial) const {
    const double day = std::floor(serial);
    if (wb_.date1904) return day - 24107.0;        // 1904-01-01 is day 0
    return day < 61 ? day - 25568.0 : day - 25569.0;  // Excel's phantom 1900-02-29 is serial 60
  }

  const xlsx::Workbook& wb_;
  std::string where_;
  std::string pending_;
  int phase_ = 0;  // 0 before <sheetData>, 1 in it, 2 after it
  std::string prefix_;
  std::size_t last_row_ = 0;
  std::vector<CellColumn> cols_;
  std::vector<std::string> header_;
  // Inline and formula strings (index shared.size() + k).  A text seen recently is not
  // stored again: a direct-mapped cache of kRecent slots, by hash, holds where recent
  // texts are (index + 1; 0 = empty).  A column of a few categories then costs one copy
  // of each; a column of distinct texts (identifiers, notes) one hash per cell and no
  // table that grows with it.  A text can still be stored twice (its slot was taken by
  // another): the levels are made from the texts, not from the indices.
  static constexpr std::size_t kRecent = 4096;
  std::vector<std::string> texts_;
  std::vector<std::size_t> recent_ = std::vector<std::size_t>(kRecent, 0);
  std::vector<std::array<std::size_t, 4>> merges_;  // first col, first row, last col, last row
};

void SheetReader::process(bool final) {
  if (phase_ == 0) {
    const auto at = pending_.find("sheetData");
    if (at == std::string::npos || at == 0) {
      if (final) throw InputError(where_ + ": the sheet has no <sheetData> (a damaged workbook)", path_of_where());
      return;
    }
    const auto open = pending_.rfind('<', at);
    const auto gt = pending_.find('>', at);
    if (gt == std::string::npos) {
      if (final) throw InputError(where_ + ": the sheet's XML ends inside <sheetData>", path_of_where());
      return;
    }
    prefix_ = pending_.substr(open + 1, at - open - 1);  // "" or "x:"
    phase_ = pending_[gt - 1] == '/' ? 2 : 1;
    pending_.erase(0, gt + 1);
  }
  if (phase_ == 1) {
    const std::string close = "</" + prefix_ + "sheetData>";
    const auto end = find_text(pending_, close);
    if (end != std::string::npos) {
      parse_rows(end);
      pending_.erase(0, close.size());
      phase_ = 2;
    } else {
      const std::string row_close = "</" + prefix_ + "row>";
      const auto cut = pending_.rfind(row_close);
      if (cut != std::string::npos) parse_rows(cut + row_close.size());
      if (final) throw InputError(where_ + ": the sheet's XML ends inside its rows (a damaged workbook)", path_of_where());
      return;
    }
  }
  if (phase_ == 2 && final) read_merges(pending_);
  else if (phase_ == 2 && pending_.size() > (std::size_t{64} << 20))
    throw InputError(where_ + ": more than 64 MB of XML after the cells (a damaged workbook?)", path_of_where());
}

// Parses pending_[0, end) (whole <row> elements) and drops it.
void SheetReader::parse_rows(std::size_t end) {
  pugi::xml_document doc;
  const unsigned flags = pugi::parse_minimal | pugi::parse_escapes | pugi::parse_cdata | pugi::parse_fragment |
                         pugi::parse_embed_pcdata;
  const pugi::xml_parse_result ok = doc.load_buffer_inplace(pending_.data(), end, flags, pugi::encoding_utf8);
  if (!ok)
    throw InputError(where_ + ", after row " + std::to_string(last_row_) + ": the sheet's XML is damaged (" +
                         ok.description() + ")",
                     path_of_where(), last_row_);
  for (pugi::xml_node row = doc.first_child(); row; row = row.next_sibling())
    if (named(row, "row")) read_row(row);
  pending_.erase(0, end);
}

void SheetReader::read_row(const pugi::xml_node& row) {
  std::size_t r = last_row_ + 1;
  if (const pugi::xml_attribute a = row.attribute("r")) r = a.as_ullong();
  if (r <= last_row_ || r > 1048576)
    throw InputError(where_ + ": row " + std::to_string(r) + " comes after row " + std::to_string(last_row_) +
                         " (rows out of order: a damaged workbook)",
                     path_of_where(), r);
  last_row_ = r;
  std::size_t col = 0;
  for (pugi::xml_node c = row.first_child(); c; c = c.next_sibling()) {
    if (!named(c, "c")) continue;
    // The cell's attributes in one pass: r (the first one), t and s (the last ones).
    CellAttributes at;
    for (pugi::xml_attribute a = c.first_attribute(); a; a = a.next_attribute()) {
      const char* name = a.name();
      if (name[0] == '\0' || name[1] != '\0') continue;
      if (name[0] == 'r' && at.ref == nullptr) at.ref = a.value();
      else if (name[0] == 't') at.type = a.value();
      else if (name[0] == 's') at.style = a.as_ullong();
    }
    std::size_t cc = col, cr = r;
    if (at.ref != nullptr && (!parse_ref(at.ref, cc, cr) || cr != r))
      throw InputError(where_ + ", row " + std::to_string(r) + ": malformed cell reference '" + at.ref + "'",
                       path_of_where(), r);
    read_cell(c, at, cc, r);
    col = cc + 1;
  }
}

void SheetReader::read_cell(const pugi::xml_node& c, const CellAttributes& at, std::size_t col, std::size_t row) {
  const std::string_view type = at.type;
  const std::size_t style = at.style;
  const char* v = "";
  pugi::xml_node inline_string;
  for (pugi::xml_node k = c.first_child(); k; k = k.next_sibling()) {
    if (named(k, "v")) v = k.text().get();
    else if (named(k, "is")) inline_string = k;
  }
  const std::string_view vt = data::trim_spaces(v);
  if (type == "s") {
    double index;
    if (!parse_number(vt, index) || index < 0 || index >= static_cast<double>(wb_.shared.size()) ||
        index != std::floor(index))
      fail(col, row, "shared string index '" + std::string(vt) + "' does not exist (a damaged workbook)");
    store(col, row, kText, index, &wb_.shared[static_cast<std::size_t>(index)]);
  } else if (type == "inlineStr" || type == "str") {
    // The usual inline string is one <t>: its text is taken where it lies.
    const pugi::xml_node t = inline_string.first_child();
    const std::size_t k = type == "str" ? intern_text(v)
                          : t && !t.next_sibling() && named(t, "t")
                              ? intern_text(t.text().get())
                              : intern_text(xlsx::string_item(inline_string));
    store(col, row, kText, static_cast<double>(wb_.shared.size() + k), &texts_[k]);
  } else if (type == "b") {
    store(col, row, kBool, vt == "1" || vt == "true" ? 1.0 : 0.0, nullptr);
  } else if (type == "e") {
    store(col, row, kError, 0.0, nullptr);
  } else if (type == "d") {  // an ISO 8601 date cell
    const auto day = vt.size() >= 10 ? study::parse_date(vt.substr(0, 10), "%Y-%m-%d") : std::nullopt;
    if (!day) fail(col, row, "malformed date '" + std::string(vt) + "'");
    store(col, row, kDate, static_cast<double>(*day), nullptr);
  } else {
    if (vt.empty()) return;  // a styled but empty cell
    double x;
    if (!parse_number(vt, x)) fail(col, row, "'" + std::string(vt) + "' is not a number");
    const bool date = style < wb_.date_style.size() && wb_.date_style[style] != 0;
    store(col, row, date ? kDate : kNumber, date ? serial_to_days(x) : x, nullptr);
  }
}

void SheetReader::store(std::size_t col, std::size_t row, Kind kind, double value, const std::string* text) {
  if (row == 1) {
    if (header_.size() <= col) header_.resize(col + 1);
    if (kind == kText) header_[col] = std::string(data::trim_spaces(*text));
    else if (kind == kNumber) header_[col] = format_number(value);
    else if (kind == kBool) header_[col] = value != 0 ? "TRUE" : "FALSE";
    else if (kind == kDate) header_[col] = study::format_iso_date(static_cast<std::int64_t>(value));
    return;
  }
  if (cols_.size() <= col) cols_.resize(col + 1);
  CellColumn& c = cols_[col];
  const std::size_t i = row - 2;
  if (c.kind.size() < i) {
    c.kind.resize(i, kEmpty);
    c.value.resize(i, 0.0);
  }
  c.kind.push_back(kind);
  c.value.push_back(value);
  if (kind != kError) c.rows = i + 1;
}

std::size_t SheetReader::intern_text(std::string_view text) {
  std::size_t& slot = recent_[std::hash<std::string_view>{}(text) & (kRecent - 1)];
  if (slot != 0 && texts_[slot - 1] == text) return slot - 1;
  texts_.emplace_back(text);
  slot = texts_.size();
  return slot - 1;
}

void SheetReader::read_merges(std::string_view tail) {
  const std::string open = "<" + prefix_ + "mergeCells", close = "</" + prefix_ + "mergeCells>";
  const auto a = tail.find(open);
  const auto b = tail.find(close);
  if (a == std::string_view::npos || b == std::string_view::npos || b < a) return;
  std::string text(tail.substr(a, b + close.size() - a));
  pugi::xml_document doc;
  if (!doc.load_buffer_inplace(text.data(), text.size(), pugi::parse_minimal | pugi::parse_fragment))
    throw InputError(where_ + ": the merged cells' XML is damaged", path_of_where());
  for (pugi::xml_node m = doc.first_child().first_child(); m; m = m.next_sibling()) {
    const std::string_view ref = m.attribute("ref").value();
    const auto colon = ref.find(':');
    std::size_t c0, r0, c1, r1;
    if (colon == std::string_view::npos || !parse_ref(ref.substr(0, colon), c0, r0) ||
        !parse_ref(ref.substr(colon + 1), c1, r1))
      continue;
    merges_.push_back({c0, r0, c1, r1});
  }
}

std::string SheetReader::cell_text(const CellColumn& c, std::size_t i) const {
  const double v = c.value[i];
  switch (c.kind[i]) {
    case kText: return text_at(v);
    case kNumber: return format_number(v);
    case kDate: return study::format_iso_date(static_cast<std::int64_t>(v));
    case kBool: return v != 0 ? "TRUE" : "FALSE";
    default: return "";
  }
}

// The CSV rules on the cells of one column: numeric when every non-missing cell is a
// number (a number stored as text included), a date column when every one is a number
// formatted as a date, otherwise categorical (numbers, dates and booleans as text).
Column SheetReader::finish_column(CellColumn& cells, std::size_t col, std::size_t nrows) const {
  cells.kind.resize(nrows, kEmpty);
  cells.value.resize(nrows, 0.0);
  std::size_t numbers = 0, dates = 0, words = 0, first_number = 0, first_date = 0;
  for (std::size_t i = 0; i < nrows; ++i) {
    const auto kind = cells.kind[i];
    double x;
    if (kind == kNumber || (kind == kText && parse_number(trim_spaces(text_at(cells.value[i])), x))) {
      if (numbers++ == 0) first_number = i;
    } else if (kind == kDate) {
      if (dates++ == 0) first_date = i;
    } else if (kind == kBool || (kind == kText && !is_missing_token(trim_spaces(text_at(cells.value[i]))))) {
      ++words;
    }
  }
  Column c;
  if (words == 0) {
    if (dates > 0 && numbers > 0)
      fail(col, first_number + 2,
           "a plain number in a column of dates (cell " + cell_name(col, first_date + 2) +
               " is a date): format the cell as a date, or clear it");
    c.kind = ColumnKind::Numeric;
    c.date = dates > 0;
    c.values.assign(nrows, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < nrows; ++i) {
      const auto kind = cells.kind[i];
      if (kind == kNumber || kind == kDate) c.values[i] = cells.value[i];
      else if (kind == kText) parse_number(trim_spaces(text_at(cells.value[i])), c.values[i]);
    }
    return c;
  }
  c.kind = ColumnKind::Categorical;
  LevelDictionary dict;
  c.codes.assign(nrows, -1);
  // A text cell is coded once per stored text (shared or pooled), not once per cell.
  constexpr std::int32_t kUnseen = -2;
  std::vector<std::int32_t> code_of_text(wb_.shared.size() + texts_.size(), kUnseen);
  for (std::size_t i = 0; i < nrows; ++i) {
    if (cells.kind[i] == kEmpty || cells.kind[i] == kError) continue;
    if (cells.kind[i] == kText) {
      std::int32_t& code = code_of_text[static_cast<std::size_t>(cells.value[i])];
      if (code == kUnseen) {
        const std::string& text = text_at(cells.value[i]);
        code = is_missing_token(trim_spaces(text)) ? -1 : dict.intern(text);
      }
      c.codes[i] = code;
      continue;
    }
    const std::string text = cell_text(cells, i);
    if (!is_missing_token(trim_spaces(text))) c.codes[i] = dict.intern(text);
  }
  c.levels = dict.take_levels();
  order_levels(c.levels, c.codes);
  return c;
}

Table SheetReader::table(const std::string& path) {
  std::size_t nrows = 0;
  for (const auto& c : cols_) nrows = std::max(nrows, c.rows);
  const std::size_t ncols = std::max(header_.size(), cols_.size());
  header_.resize(ncols);
  cols_.resize(ncols);
  // A header merged across columns names the first; the others get NAME_2, NAME_3, ...
  std::vector<std::string> names = header_;
  for (const auto& m : merges_)
    if (m[1] == 1 && m[0] < ncols && !header_[m[0]].empty())
      for (std::size_t j = m[0] + 1; j <= m[2] && j < ncols; ++j)
        if (header_[j].empty()) names[j] = header_[m[0]] + "_" + std::to_string(j - m[0] + 1);
  Table t;
  t.source = where_;
  t.nrows = nrows;
  std::unordered_set<std::string> seen;
  for (std::size_t j = 0; j < ncols; ++j) {
    CellColumn& cells = cols_[j];
    if (names[j].empty()) {
      if (cells.rows == 0) continue;  // a wholly blank column
      std::size_t first = 0;
      while (cells.kind[first] == kEmpty || cells.kind[first] == kError) ++first;
      fail(j, 1, "column " + column_letters(j) + " has values (the first in cell " + cell_name(j, first + 2) +
                     ") but no name in the header row (row 1)");
    }
    if (!seen.insert(names[j]).second) fail(j, 1, "the header names column '" + names[j] + "' twice");
    Column c = finish_column(cells, j, nrows);
    c.name = names[j];
    t.columns.push_back(std::move(c));
    std::vector<double>().swap(cells.value);
    std::vector<std::uint8_t>().swap(cells.kind);
  }
  if (t.columns.empty())
    throw InputError(where_ + ": the sheet is empty (expected the column names in row 1)", path);
  return t;
}

}  // namespace

Table read_xlsx(const std::string& path, const std::string& sheet) {
  const xlsx::ZipArchive zip(path);
  const xlsx::Workbook wb = xlsx::open_workbook(zip, path, sheet);
  SheetReader reader(wb, path + ", sheet " + wb.sheet_name);
  zip.stream(wb.sheet_part, std::size_t{4} << 20, [&](std::string_view block) { reader.feed(block); });
  reader.finish();
  return reader.table(path);
}

}  // namespace survkit::data
