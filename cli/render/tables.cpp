// Tables as CSV and Markdown files (tables/<id>.csv, tables/<id>.md).
#include <fmt/core.h>

#include <string>
#include <string_view>

#include "render/render.hpp"
#include "render/text_util.hpp"
#include "survkit/format.hpp"

namespace survkit::cli::render {

namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// A Markdown table cell: pipes and inline markup characters are backslash-escaped
// (CommonMark allows a backslash before any ASCII punctuation); '<' only where it could
// open an HTML tag or autolink, '&' only where it could start an entity, so that the
// common "< 0.001" stays readable in the raw file.
std::string md_cell(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const char next = i + 1 < s.size() ? s[i + 1] : '\0';
    switch (c) {
      case '|': case '\\': case '*': case '_': case '`': case '[': case ']':
        out += '\\';
        out += c;
        break;
      case '<':
        if (is_alnum(next) || next == '/' || next == '!' || next == '?') out += '\\';
        out += c;
        break;
      case '&':
        if (is_alnum(next) || next == '#') out += '\\';
        out += c;
        break;
      case '\r': break;
      case '\n': out += "<br>"; break;
      default: out += c;
    }
  }
  // Leading/trailing ASCII spaces are trimmed by Markdown; nothing to preserve there.
  return out;
}

}  // namespace

std::vector<std::string> flat_header(const ReportTable& table) {
  std::vector<std::string> out = table.header;
  std::size_t col = 0;
  for (const auto& [label, span] : table.header_groups) {
    for (std::size_t k = 0; k < span && col < out.size(); ++k, ++col)
      if (!label.empty()) out[col] = out[col].empty() ? label : label + ": " + out[col];
  }
  return out;
}

std::string render_table_csv(const ReportTable& table) {
  std::string out;
  const auto header = flat_header(table);
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (c) out += ',';
    out += csv_field(header[c]);
  }
  out += '\n';
  for (const auto& row : table.rows) {
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      if (c) out += ',';
      out += csv_field(row.cells[c].text);
    }
    out += '\n';
  }
  return out;
}

std::string render_table_markdown(const ReportTable& table) {
  std::string out = "**" + md_cell(table.title) + "**\n\n";
  const auto header = flat_header(table);
  out += "|";
  for (const auto& h : header) {
    out += ' ';
    out += md_cell(h);
    out += " |";
  }
  out += "\n|";
  // First column left-aligned (labels), the others centred, as in the journal tables.
  for (std::size_t c = 0; c < header.size(); ++c) out += c == 0 ? " :--- |" : " :---: |";
  out += "\n";
  for (const auto& row : table.rows) {
    out += "|";
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      out += " ";
      if (c == 0 && row.level > 0)
        for (int k = 0; k < row.level; ++k) out += "\u2003\u2003";
      out += md_cell(row.cells[c].text) + " |";
    }
    out += "\n";
  }
  if (!table.notes.empty()) {
    out += "\n";
    for (const auto& note : table.notes) out += md_cell(note) + "\n\n";
    out.pop_back();
  }
  return out;
}

}  // namespace survkit::cli::render
