// Shared test support: one tiny CSV reader for the data files in tests/data and the R
// reference files in tests/reference (and for CSV text the tests produce themselves).
// Deliberately independent of survkit's own CSV parser, so that a parser bug cannot hide
// itself in the references.
//  * Fields are comma separated; a field may be double-quoted ("" is a quote inside, and
//    a quoted field may hold commas and line breaks).  A '\r' outside quotes is dropped.
//  * The first record of a file is its header; blank lines are skipped.
//  * Numbers are parsed with std::strtod (full double precision); "NA" or an empty cell is
//    a quiet NaN, and "Inf" / "-Inf" / "NaN" read as R writes them.
#pragma once

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace survkit::test {

/// The whole file as bytes.
inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// RFC 4180 records of CSV text (quoted fields with doubled quotes and embedded line
/// breaks).  A line break ends a record; text after the last line break is a record too.
inline std::vector<std::vector<std::string>> parse_csv_text(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false, in_quotes = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_quotes) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        in_quotes = false;
      } else {
        field += c;
      }
    } else if (c == '"' && field.empty() && !quoted) {
      in_quotes = quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
      quoted = false;
    } else if (c == '\n') {
      rows.back().push_back(field);
      field.clear();
      quoted = false;
      rows.emplace_back();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || quoted) rows.back().push_back(field);
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

/// A cell as a number: "NA" or "" is a quiet NaN; anything else must parse whole.
inline double to_double(const std::string& s) {
  if (s.empty() || s == "NA") return std::numeric_limits<double>::quiet_NaN();
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) throw std::runtime_error("csv: not a number: " + s);
  return v;
}

/// A CSV file with a header; every cell kept as text (quotes removed).
struct RefCsv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  RefCsv() = default;
  explicit RefCsv(const std::string& path) {
    auto records = parse_csv_text(read_text_file(path));
    if (records.empty()) throw std::runtime_error("empty file " + path);
    header = std::move(records.front());
    for (std::size_t r = 1; r < records.size(); ++r) {
      if (records[r].size() == 1 && records[r][0].empty()) continue;  // blank line
      if (records[r].size() != header.size())
        throw std::runtime_error("csv: wrong number of fields in " + path + " record " + std::to_string(r + 1));
      rows.push_back(std::move(records[r]));
    }
  }

  std::size_t size() const { return rows.size(); }
  bool has(const std::string& name) const {
    for (const auto& h : header)
      if (h == name) return true;
    return false;
  }
  std::size_t col(const std::string& name) const {
    for (std::size_t j = 0; j < header.size(); ++j)
      if (header[j] == name) return j;
    throw std::runtime_error("csv: no column " + name);
  }
  const std::string& str(std::size_t row, const std::string& name) const { return rows.at(row).at(col(name)); }
  double num(std::size_t row, const std::string& name) const { return to_double(str(row, name)); }
  long integer(std::size_t row, const std::string& name) const { return std::lround(num(row, name)); }
  std::vector<double> nums(const std::string& name) const {
    std::vector<double> out;
    for (std::size_t r = 0; r < rows.size(); ++r) out.push_back(num(r, name));
    return out;
  }
  std::vector<std::string> strs(const std::string& name) const {
    std::vector<std::string> out;
    for (std::size_t r = 0; r < rows.size(); ++r) out.push_back(str(r, name));
    return out;
  }
};

inline RefCsv read_ref_csv(const std::string& path) { return RefCsv(path); }

/// A file in tests/data.
inline std::string data_path(const std::string& file) { return std::string(SURVKIT_TEST_DATA_DIR) + "/" + file; }
/// A file in tests/reference ("km/km_curve.csv").
inline std::string ref_path(const std::string& file) { return std::string(SURVKIT_TEST_REF_DIR) + "/" + file; }

}  // namespace survkit::test
