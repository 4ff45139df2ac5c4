#include "output.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace survkit::cli {

namespace {
// Display width of UTF-8 text: code points, not bytes ("≤ 60" is 4 wide, 6 bytes).
std::size_t display_width(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}
}  // namespace

std::string percent_label(double level) {
  const double pct = level * 100;
  std::string s;
  for (int digits = 2; digits <= 17; ++digits) {
    s = fmt::format("{:.{}g}", pct, digits);
    // 1e-13 relative: 0.9 * 100 (90.00000000000001) prints "90", while 0.999999999999
    // does not round to "100" (1e-12 relative away).
    if (std::fabs(std::stod(s) - pct) <= 1e-13 * std::fabs(pct) && (s != "100" || level == 1)) break;
  }
  return s + "%";
}

std::string p_clause(double p) {
  const std::string s = format_p(p);
  return s[0] == '<' ? "p " + s : "p = " + s;
}

Json json_dropped(const DroppedRows& dropped) {
  Json by = Json::object();
  for (const auto& [column, count] : dropped.by_column) by[column] = count;
  return Json{{"n", dropped.n}, {"by_column", by}};
}

std::string dropped_note(const DroppedRows& dropped) {
  if (dropped.n == 0) return {};
  std::string parts;
  for (const auto& [column, count] : dropped.by_column) {
    if (count == 0) continue;
    if (!parts.empty()) parts += ", ";
    parts += fmt::format("{}: {}", column, count);
  }
  return fmt::format("{} row{} dropped for missing values ({})", dropped.n,
                     dropped.n == 1 ? "" : "s", parts);
}

std::string TextTable::render(int indent) const {
  const std::size_t ncol = header_.size();
  std::vector<std::size_t> width(ncol, 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (std::size_t j = 0; j < ncol && j < row.size(); ++j)
      width[j] = std::max(width[j], display_width(row[j]));
  };
  measure(header_);
  for (const auto& r : rows_) measure(r);
  std::string out;
  auto emit = [&](const std::vector<std::string>& row) {
    out.append(static_cast<std::size_t>(indent), ' ');
    for (std::size_t j = 0; j < ncol; ++j) {
      const std::string& cell = j < row.size() ? row[j] : std::string();
      const std::size_t pad = width[j] - std::min(width[j], display_width(cell));
      if (j > 0) out += "  ";
      if (j == 0) {
        out += cell;
        if (ncol > 1) out.append(pad, ' ');
      } else {
        out.append(pad, ' ');
        out += cell;
      }
    }
    out += '\n';
  };
  emit(header_);
  for (const auto& r : rows_) emit(r);
  return out;
}

}  // namespace survkit::cli
