// Test support for the logistic and crosstab suites (area "reg"): a tiny CSV reader for
// the data files in tests/data and the R reference files in tests/reference/{logistic,
// crosstab}.  Deliberately independent of survkit's own CSV parser, so that the tests of
// the statistics do not depend on it.
#pragma once

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace survkit::test_reg {

/// A CSV file with a header; every cell kept as text (quotes removed).
struct CsvFile {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  std::size_t col(const std::string& name) const {
    for (std::size_t j = 0; j < header.size(); ++j)
      if (header[j] == name) return j;
    throw std::runtime_error("no column " + name);
  }
  const std::string& str(std::size_t row, const std::string& name) const {
    return rows.at(row).at(col(name));
  }
  /// The cell as a number; "NA", "" and "NaN" give NaN, "Inf"/"-Inf" infinities.
  double num(std::size_t row, const std::string& name) const {
    const std::string& s = str(row, name);
    if (s.empty() || s == "NA" || s == "NaN") return std::nan("");
    if (s == "Inf") return INFINITY;
    if (s == "-Inf") return -INFINITY;
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used != s.size()) throw std::runtime_error("not a number: " + s);
    return v;
  }
  std::size_t size() const { return rows.size(); }
};

/// Splits one line (RFC 4180 quoting, no embedded newlines).
inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cur += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        cur += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (ch != '\r') {
      cur += ch;
    }
  }
  out.push_back(cur);
  return out;
}

inline CsvFile read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  CsvFile f;
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error("empty file " + path);
  f.header = split_csv_line(line);
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") continue;
    f.rows.push_back(split_csv_line(line));
    if (f.rows.back().size() != f.header.size())
      throw std::runtime_error("wrong number of fields in " + path + ": " + line);
  }
  return f;
}

inline std::string data_path(const std::string& file) {
  return std::string(SURVKIT_TEST_DATA_DIR) + "/" + file;
}
inline std::string ref_path(const std::string& file) {
  return std::string(SURVKIT_TEST_REF_DIR) + "/" + file;
}

/// |a - b| / |b|, with an absolute floor: |a - b| / max(|b|, floor).  Both NaN (R's NA)
/// or equal infinities count as 0.
inline double rel_err(double a, double b, double floor = 0.0) {
  if (std::isnan(a) && std::isnan(b)) return 0.0;
  if (a == b) return 0.0;
  if (std::isinf(a) || std::isinf(b)) return a == b ? 0.0 : INFINITY;
  return std::abs(a - b) / std::max(std::abs(b), floor);
}

}  // namespace survkit::test_reg
