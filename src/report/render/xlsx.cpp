// tables.xlsx: every table in one workbook (libxlsxwriter), one sheet per table of the
// report's one table list, in its order: the patient flow, the study's tables, the
// published comparison.
//
// A cell with a value is stored as an Excel number, so a reader can compute with it,
// under a number format that makes Excel display exactly the journal text ("0.479",
// "50.3%", "< 0.001").  Layout per sheet: the title (bold) in A1, a blank row, the
// optional header-group row (merged cells), the header row, the body (booktabs rules:
// medium rule above the header, thin below it, medium below the body), then the notes.
#include <fmt/core.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <tuple>

#include "report/render/text_util.hpp"
#include "survkit/io.hpp"
#include "survkit/render.hpp"

namespace survkit::render {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Splits a plain number rendering ("-1,234.50", "45.3%") into its parts; false when the
// text is anything else ("< 0.001", "0.701-2.133", "NA").
struct PlainNumber {
  std::string digits;  // without thousands separators and without '%'
  int decimals = 0;
  bool thousands = false, percent = false;
};
bool parse_plain_number(const std::string& text, PlainNumber& out) {
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') out.digits += text[i++];
  const std::size_t int_start = i;
  int group = 0;  // digits since the last thousands separator
  while (i < text.size() && (is_digit(text[i]) || text[i] == ',')) {
    if (text[i] == ',') {
      // A separator needs 1-3 digits before it (first group) or exactly 3 (later groups).
      if (group == 0 || group > 3 || (out.thousands && group != 3)) return false;
      out.thousands = true;
      group = 0;
    } else {
      out.digits += text[i];
      ++group;
    }
    ++i;
  }
  if (i == int_start || group == 0 || (out.thousands && group != 3)) return false;
  if (i < text.size() && text[i] == '.') {
    out.digits += text[i++];
    while (i < text.size() && is_digit(text[i])) {
      out.digits += text[i++];
      ++out.decimals;
    }
    if (out.decimals == 0) return false;
  }
  if (i < text.size() && text[i] == '%') {
    out.percent = true;
    ++i;
  }
  return i == text.size();
}

// Excel's literal-text format, the same in the positive, negative and zero sections so
// that Excel never prepends a minus sign.  Inside quotes a quote is written as "\"".
std::string literal_format(const std::string& text) {
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\\\"\"") : std::string(1, c);
  quoted += "\"";
  return quoted + ";" + quoted + ";" + quoted;
}

// Excel allows 255 characters in a number format.
constexpr std::size_t kMaxFormat = 255;

struct FormatKey {
  std::string num_format = {};
  bool bold = false;
  int indent = 0;
  bool center = false;
  int top = 0, bottom = 0;  // LXW_BORDER_* values
  bool italic = false;
  auto tie() const { return std::tie(num_format, bold, indent, center, top, bottom, italic); }
  bool operator<(const FormatKey& o) const { return tie() < o.tie(); }
};

class Workbook {
 public:
  explicit Workbook(const std::string& path) : path_(path) {
    lxw_workbook_options opt{};
    opt.constant_memory = 0;
    opt.tmpdir = nullptr;
    wb_ = workbook_new_opt(path.c_str(), &opt);
    if (wb_ == nullptr) throw IoError(fmt::format("cannot create '{}'", path));
  }
  Workbook(const Workbook&) = delete;
  Workbook& operator=(const Workbook&) = delete;
  ~Workbook() {
    // Not closed (an exception unwound us): close to free the memory; the partial file is
    // the caller's staging folder's business.
    if (wb_ != nullptr) workbook_close(wb_);
  }
  lxw_workbook* get() const { return wb_; }
  lxw_format* format(const FormatKey& key) {
    auto it = formats_.find(key);
    if (it != formats_.end()) return it->second;
    lxw_format* f = workbook_add_format(wb_);
    if (!key.num_format.empty()) format_set_num_format(f, key.num_format.c_str());
    if (key.bold) format_set_bold(f);
    if (key.italic) format_set_italic(f);
    if (key.indent > 0) format_set_indent(f, static_cast<uint8_t>(key.indent));
    if (key.center) format_set_align(f, LXW_ALIGN_CENTER);
    if (key.top) format_set_top(f, static_cast<uint8_t>(key.top));
    if (key.bottom) format_set_bottom(f, static_cast<uint8_t>(key.bottom));
    formats_.emplace(key, f);
    return f;
  }
  void close() {
    const lxw_error err = workbook_close(wb_);
    wb_ = nullptr;
    if (err != LXW_NO_ERROR) throw IoError(fmt::format("cannot write '{}': {}", path_, lxw_strerror(err)));
  }

 private:
  std::string path_;
  lxw_workbook* wb_ = nullptr;
  std::map<FormatKey, lxw_format*> formats_;  // owned by the workbook
};

void check(lxw_error err, const std::string& what) {
  if (err != LXW_NO_ERROR) throw IoError(fmt::format("cannot write tables.xlsx ({}): {}", what, lxw_strerror(err)));
}

std::size_t display_width(const std::string& s) {
  std::size_t cps = 0;
  for (unsigned char c : s) cps += (c & 0xC0) != 0x80;
  return cps;
}

void write_sheet(Workbook& book, const ReportTable& t, const std::string& sheet_name) {
  lxw_worksheet* ws = workbook_add_worksheet(book.get(), sheet_name.c_str());
  if (ws == nullptr) throw IoError(fmt::format("cannot add sheet '{}' to tables.xlsx", sheet_name));
  const auto ncol = static_cast<lxw_col_t>(t.header.size());
  std::vector<std::size_t> width(t.header.size(), 6);

  lxw_row_t row = 0;
  check(worksheet_write_string(ws, row, 0, t.title.c_str(), book.format({.bold = true})), t.id);
  row += 2;

  const bool groups = !t.header_groups.empty();
  if (groups) {
    lxw_col_t col = 0;
    for (const auto& [label, span] : t.header_groups) {
      if (span == 0) continue;
      const auto last = static_cast<lxw_col_t>(col + span - 1);
      lxw_format* f = book.format({.bold = true, .center = true, .top = LXW_BORDER_MEDIUM,
                                   .bottom = label.empty() ? 0 : LXW_BORDER_THIN});
      if (span > 1)
        check(worksheet_merge_range(ws, row, col, row, last, label.c_str(), f), t.id);
      else
        check(worksheet_write_string(ws, row, col, label.c_str(), f), t.id);
      col = static_cast<lxw_col_t>(last + 1);
    }
    ++row;
  }
  for (lxw_col_t c = 0; c < ncol; ++c) {
    lxw_format* f = book.format({.bold = true, .center = c > 0, .top = groups ? 0 : LXW_BORDER_MEDIUM,
                                 .bottom = LXW_BORDER_THIN});
    check(worksheet_write_string(ws, row, c, t.header[c].c_str(), f), t.id);
    width[c] = std::max(width[c], display_width(t.header[c]));
  }
  ++row;

  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const ReportRow& rr = t.rows[r];
    const bool last_row = r + 1 == t.rows.size();
    const bool heading = is_heading_row(t, r);
    for (std::size_t c = 0; c < rr.cells.size() && c < t.header.size(); ++c) {
      const ReportCell& cell = rr.cells[c];
      FormatKey key;
      key.bold = heading && c == 0;
      key.indent = c == 0 ? rr.level : 0;
      key.center = c > 0;
      key.bottom = last_row ? LXW_BORDER_MEDIUM : 0;
      const auto col = static_cast<lxw_col_t>(c);
      const std::string num_format = is_na(cell.value) ? std::string() : excel_number_format(cell.text, cell.value);
      if (!num_format.empty()) {
        key.num_format = num_format;
        check(worksheet_write_number(ws, row, col, cell.value, book.format(key)), t.id);
      } else {
        check(worksheet_write_string(ws, row, col, cell.text.c_str(), book.format(key)), t.id);
      }
      width[c] = std::max(width[c], display_width(cell.text) + (c == 0 ? 3 * static_cast<std::size_t>(rr.level) : 0));
    }
    ++row;
  }
  ++row;
  for (const auto& note : t.notes) {
    check(worksheet_write_string(ws, row, 0, note.c_str(), book.format({.italic = true})), t.id);
    ++row;
  }
  // Column widths in characters; the notes overflow to the right and need none.
  for (lxw_col_t c = 0; c < ncol; ++c)
    check(worksheet_set_column(ws, c, c, static_cast<double>(std::min<std::size_t>(width[c], 60)) + 2, nullptr), t.id);
}

}  // namespace

std::string excel_number_format(const std::string& text, double value) {
  if (text.empty() || !std::isfinite(value)) return {};
  PlainNumber n;
  if (parse_plain_number(text, n)) {
    std::string base = n.thousands ? "#,##0" : "0";
    if (n.decimals > 0) {
      base += '.';
      base.append(static_cast<std::size_t>(n.decimals), '0');
    }
    const auto shows = [&](double x) { return fmt::format("{:.{}f}", x, n.decimals) == n.digits; };
    if (!n.percent && shows(value)) return base;
    if (n.percent && shows(value * 100)) return base + "%";          // value is a proportion
    if (n.percent && shows(value)) return base + "\"%\"";            // value is already in percent
  }
  const std::string literal = literal_format(text);
  return literal.size() <= kMaxFormat ? literal : std::string();
}

std::vector<std::string> xlsx_sheet_names(const StudyReport& report) {
  std::vector<std::string> names;
  std::set<std::string> taken;  // lowercase: Excel compares sheet names case-insensitively
  const auto lower = [](std::string s) {
    for (auto& c : s)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
  };
  // Cuts to at most `max` characters without splitting a UTF-8 sequence.
  const auto cut = [](const std::string& s, std::size_t max) {
    std::size_t chars = 0, i = 0;
    for (; i < s.size(); ++i) {
      if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
        if (chars == max) break;
        ++chars;
      }
    }
    return s.substr(0, i);
  };
  for (const auto& t : report.tables) {
    std::string base;
    for (char c : t.id) base += std::string("[]:*?/\\'").find(c) == std::string::npos ? c : '_';
    if (base.empty()) base = "table";
    std::string name = cut(base, 31);
    for (int k = 2; taken.count(lower(name)) != 0; ++k) {
      std::string suffix = std::to_string(k);
      suffix.insert(suffix.begin(), '_');
      name = cut(base, 31 - suffix.size()) + suffix;
    }
    taken.insert(lower(name));
    names.push_back(name);
  }
  return names;
}

void write_xlsx(const StudyReport& report, const std::string& path) {
  Workbook book(path);
  const auto names = xlsx_sheet_names(report);
  for (std::size_t i = 0; i < report.tables.size(); ++i) write_sheet(book, report.tables[i], names[i]);
  if (report.tables.empty()) {
    // A workbook needs one sheet; say why it is empty instead of failing.
    lxw_worksheet* ws = workbook_add_worksheet(book.get(), "report");
    if (ws == nullptr) throw IoError("cannot add a sheet to tables.xlsx");
    check(worksheet_write_string(ws, 0, 0, "The report has no tables.", nullptr), "report");
  }
  book.close();
}

}  // namespace survkit::render
