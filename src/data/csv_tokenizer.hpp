// survkit::data: the record tokenizer behind parse_csv (RFC 4180 with a few leniencies).
//
// Contract:
//  * input : the whole text (BOM already removed), any line ending LF / CRLF / CR.
//  * a field is either unquoted (surrounding spaces and, unless the separator is a tab,
//    tabs removed) or quoted: "..." with "" standing for one quote; the content is kept
//    verbatim and may hold separators and line breaks.  Spaces around the quotes are
//    ignored; any other text after a closing quote is an error.
//  * a quote inside an unquoted field is an ordinary character (as R's read.csv).
//  * line numbers are 1-based file lines; line breaks inside quoted fields count.
// The tokenizer never allocates per field: unquoted and escape-free quoted fields are
// views into the input; a quoted field with "" escapes is unescaped into one reused buffer.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "data/number.hpp"
#include "data/utf8.hpp"
#include "survkit/common.hpp"

namespace survkit::data {

struct Field {
  std::string_view text;  ///< trimmed (unquoted) or verbatim content (quoted); valid until the next field
  bool quoted = false;
};

class CsvTokenizer {
 public:
  /// `names` (may be null while reading the header) names columns in error messages.
  /// `first_line` is the file line on which `text` starts (a later part of a file).
  CsvTokenizer(std::string_view text, char sep, const std::string& source,
               const std::vector<std::string>* names = nullptr, std::size_t first_line = 1)
      : p_(text.data()), end_(text.data() + text.size()), sep_(sep), source_(source),
        names_(names), line_(first_line), record_line_(first_line) {
    stop_[static_cast<unsigned char>(sep)] = true;
    stop_['\n'] = true;
    stop_['\r'] = true;
  }

  void set_names(const std::vector<std::string>* names) { names_ = names; }
  bool at_end() const { return p_ == end_; }
  /// 1-based line of the cursor.
  std::size_t line() const { return line_; }
  /// Bytes left to read (for a row-count estimate).
  std::size_t remaining() const { return static_cast<std::size_t>(end_ - p_); }
  /// Line breaks inside quoted fields of the last record read.
  std::size_t record_inner_breaks() const { return inner_breaks_; }

  /// If the current line holds nothing but spaces (and tabs, unless tab is the
  /// separator), consumes it with its line break and returns true.
  bool skip_blank_line() {
    const char* q = p_;
    while (q != end_ && *q != sep_ && is_blank_char(*q)) ++q;
    if (q != end_ && *q != '\n' && *q != '\r') return false;
    p_ = q;
    end_line();
    return true;
  }

  /// Reads one record (the cursor must not be at the end), calling
  /// on_field(index, const Field&) for each field, and consumes its line break.
  /// Returns the number of fields.
  template <class OnField>
  std::size_t read_record(OnField&& on_field) {
    return read_record(on_field, [](std::size_t, double) { return false; });
  }

  /// As above, with a fast path for numeric cells: a cell that is exactly a plain
  /// decimal (detail::scan_plain_decimal, nothing else up to the separator or line end)
  /// is offered as on_number(index, value) in the same pass that finds its end; when
  /// on_number returns false (the column does not take numbers), the cell is read again
  /// as text and goes to on_field.  Either way the column sees the value parse_number
  /// would give for that text, since parse_number tries the same fast path first.
  template <class OnField, class OnNumber>
  std::size_t read_record(OnField&& on_field, OnNumber&& on_number) {
    inner_breaks_ = 0;
    record_line_ = line_;
    std::size_t index = 0;
    for (;;) {
      if (p_ != end_ && (static_cast<unsigned>(*p_ - '0') < 10 || *p_ == '-')) {
        double v;
        const char* stop = detail::scan_plain_decimal(p_, end_, v);
        if (stop != nullptr && (stop == end_ || stop_[static_cast<unsigned char>(*stop)]) &&
            on_number(index, v)) {
          p_ = stop;
          ++index;
          if (p_ != end_ && *p_ == sep_) {
            ++p_;
            continue;
          }
          end_line();
          return index;
        }
      }
      while (p_ != end_ && *p_ != sep_ && is_blank_char(*p_)) ++p_;
      if (p_ != end_ && *p_ == '"') {
        const Field f = read_quoted(index);
        check_utf8(index, f.text);
        on_field(index, f);
      } else {
        const char* start = p_;
        while (p_ != end_ && !stop_[static_cast<unsigned char>(*p_)]) ++p_;
        const char* stop = p_;
        while (stop != start && is_blank_char(stop[-1]) && stop[-1] != sep_) --stop;
        const Field f{std::string_view(start, static_cast<std::size_t>(stop - start)), false};
        check_utf8(index, f.text);
        on_field(index, f);
      }
      ++index;
      if (p_ != end_ && *p_ == sep_) {
        ++p_;
        continue;
      }
      end_line();
      return index;
    }
  }

  /// True after an "unterminated quote" error: the text ended inside a quoted field.
  bool ended_in_quote() const { return ended_in_quote_; }

  /// 1-based line on which the last record started.
  std::size_t record_line() const { return record_line_; }

 private:
  // Consumes one line break (LF, CRLF or a lone CR) if there is one.
  void end_line() {
    if (p_ == end_) return;
    if (*p_ == '\r') {
      ++p_;
      if (p_ != end_ && *p_ == '\n') ++p_;
    } else {
      ++p_;  // '\n'
    }
    ++line_;
  }

  Field read_quoted(std::size_t index) {
    const std::size_t open_line = line_;
    const char* open = p_;
    ++p_;  // opening quote
    const char* start = p_;
    bool escaped = false;
    for (;;) {
      if (p_ == end_) unterminated(index, open_line, open);
      const char c = *p_;
      if (c == '"') {
        if (p_ + 1 != end_ && p_[1] == '"') {
          escaped = true;
          p_ += 2;
          continue;
        }
        break;
      }
      if (c == '\n' || (c == '\r' && (p_ + 1 == end_ || p_[1] != '\n'))) {
        ++line_;
        ++inner_breaks_;
      }
      ++p_;
    }
    std::string_view content(start, static_cast<std::size_t>(p_ - start));
    ++p_;  // closing quote
    while (p_ != end_ && *p_ != sep_ && is_blank_char(*p_)) ++p_;
    if (p_ != end_ && *p_ != sep_ && *p_ != '\n' && *p_ != '\r') after_quote(index, content);
    if (!escaped) return Field{content, true};
    scratch_.clear();
    for (std::size_t i = 0; i < content.size(); ++i) {
      scratch_.push_back(content[i]);
      if (content[i] == '"') ++i;  // "" -> "
    }
    return Field{scratch_, true};
  }

  // Every text cell (and header name) must be UTF-8: a Latin-1 or Windows-1252 file
  // (an SPSS or Excel export) is refused at the first bad byte, naming the line, the
  // column and the character position, instead of carrying bytes no JSON, HTML or xlsx
  // writer can hold.  Plain ASCII (nearly every cell) costs one pass over the bytes.
  void check_utf8(std::size_t index, std::string_view text) const {
    if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) return;
    const std::size_t bad = first_invalid_utf8(text);
    if (bad == text.size()) return;
    // The cursor is past the field: its line is the cursor's, less the line breaks
    // after the bad byte (a quoted field may span lines).
    std::size_t line = line_, character = 1;
    for (std::size_t i = bad + 1; i < text.size(); ++i)
      if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) --line;
    for (std::size_t i = 0; i < bad; ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++character;
    std::string shown;  // the value (its first 60 bytes), every invalid byte and control character as \xHH
    for (std::string_view rest = text.substr(0, 60); !rest.empty();) {
      const std::size_t ok = first_invalid_utf8(rest);
      for (char c : rest.substr(0, ok))
        shown += static_cast<unsigned char>(c) < 0x20 ? fmt::format("\\x{:02X}", static_cast<unsigned char>(c))
                                                      : std::string(1, c);
      if (ok == rest.size()) break;
      shown += fmt::format("\\x{:02X}", static_cast<unsigned char>(rest[ok]));
      rest.remove_prefix(ok + 1);
    }
    const std::string col = column_name(index);
    throw InputError(
        fmt::format("{} line {}, column '{}': the text '{}' is not valid UTF-8 (byte 0x{:02X} at character {}); "
                    "survkit reads UTF-8 only: save the file as UTF-8 (Excel: Save As \"CSV UTF-8\"; SPSS: "
                    "Unicode mode; or iconv -f latin1 -t utf-8)",
                    source_, line, col, shown, static_cast<unsigned char>(text[bad]), character),
        source_, line, col, shown);
  }

  std::string column_name(std::size_t index) const {
    if (names_ && index < names_->size()) return (*names_)[index];
    return "field " + std::to_string(index + 1) + (names_ ? "" : " of the header");
  }

  [[noreturn]] void unterminated(std::size_t index, std::size_t open_line, const char* open) {
    ended_in_quote_ = true;
    std::string preview(open, static_cast<std::size_t>(std::min<std::ptrdiff_t>(end_ - open, 30)));
    for (char& c : preview)
      if (c == '\n' || c == '\r') c = ' ';
    const std::string col = column_name(index);
    throw InputError(source_ + " line " + std::to_string(open_line) + ", column '" + col +
                         "': unterminated quote: the quoted field starting with " + preview +
                         " never closes",
                     source_, open_line, col, preview);
  }

  [[noreturn]] void after_quote(std::size_t index, std::string_view content) const {
    const std::string col = column_name(index);
    const char* stop = p_;
    while (stop != end_ && *stop != sep_ && *stop != '\n' && *stop != '\r') ++stop;
    std::string value = "\"" + std::string(content) + "\"" + std::string(p_, stop);
    throw InputError(source_ + " line " + std::to_string(line_) + ", column '" + col +
                         "': unexpected text after a closing quote in " + value +
                         " (write a quote inside a quoted field as \"\")",
                     source_, line_, col, value);
  }

  const char* p_;
  const char* end_;
  char sep_;
  const std::string& source_;
  const std::vector<std::string>* names_;
  std::array<bool, 256> stop_{};
  std::size_t line_ = 1;
  std::size_t record_line_ = 1;
  std::size_t inner_breaks_ = 0;
  std::string scratch_;
  bool ended_in_quote_ = false;
};

}  // namespace survkit::data
