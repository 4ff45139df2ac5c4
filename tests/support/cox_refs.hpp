// Test support for the cox area: a tiny CSV reader for tests/data and the reference
// CSV files written by tests/reference/cox/make_cox_refs.R.  Handles a header line,
// double-quoted fields (with "" escapes) and NA / empty cells.  No dependency on the
// production CSV parser on purpose: the tests must not share its bugs.
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

struct CoxCsv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  std::size_t col(const std::string& name) const {
    for (std::size_t j = 0; j < header.size(); ++j)
      if (header[j] == name) return j;
    throw std::runtime_error("no column " + name);
  }
  const std::string& cell(std::size_t row, const std::string& name) const { return rows[row][col(name)]; }
  /// NA (or empty) -> quiet NaN; "Inf"/"-Inf" as R writes them.
  double num(std::size_t row, const std::string& name) const { return to_double(cell(row, name)); }

  static double to_double(const std::string& s) {
    if (s.empty() || s == "NA") return std::numeric_limits<double>::quiet_NaN();
    if (s == "Inf") return std::numeric_limits<double>::infinity();
    if (s == "-Inf") return -std::numeric_limits<double>::infinity();
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0') throw std::runtime_error("not a number: " + s);
    return v;
  }
};

inline std::vector<std::string> cox_split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

inline CoxCsv read_cox_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  CoxCsv csv;
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error("empty file " + path);
  csv.header = cox_split_csv_line(line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    csv.rows.push_back(cox_split_csv_line(line));
    if (csv.rows.back().size() != csv.header.size())
      throw std::runtime_error("ragged row in " + path + ": " + line);
  }
  return csv;
}

}  // namespace survkit::test
