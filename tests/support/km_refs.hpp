// Test support for the km area: a tiny CSV reader for tests/data and the R reference files
// (the project's real CSV parser lives elsewhere; the tests must not depend on it).
//  * Fields are comma separated; a field may be double-quoted ("" is a quote inside).
//  * An empty field or NA is a missing number (NaN).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <survkit/common.hpp>

namespace km_refs {

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  std::size_t col(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) throw std::runtime_error("csv: no column " + name);
    return static_cast<std::size_t>(it - header.begin());
  }
  const std::string& str(std::size_t row, const std::string& name) const {
    return rows.at(row).at(col(name));
  }
  double num(std::size_t row, const std::string& name) const;
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

inline double to_double(const std::string& s) {
  if (s.empty() || s == "NA") return std::numeric_limits<double>::quiet_NaN();
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) throw std::runtime_error("csv: not a number: " + s);
  return v;
}

inline double Csv::num(std::size_t row, const std::string& name) const {
  return to_double(str(row, name));
}

inline std::vector<std::string> split_line(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(field);
      field.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  out.push_back(field);
  return out;
}

inline Csv read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  Csv csv;
  std::string line;
  if (!std::getline(in, line)) throw std::runtime_error("empty file " + path);
  csv.header = split_line(line);
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") continue;
    csv.rows.push_back(split_line(line));
    if (csv.rows.back().size() != csv.header.size())
      throw std::runtime_error("csv: ragged row in " + path);
  }
  return csv;
}

/// A Factor with levels ordered as R's factor() orders them here: numerically when every
/// value is a number, else by byte order (the datasets' labels sort the same in R's locale).
inline survkit::Factor make_factor(const std::vector<std::string>& values) {
  bool numeric = true;
  for (const auto& v : values) {
    char* end = nullptr;
    std::strtod(v.c_str(), &end);
    if (v.empty() || end != v.c_str() + v.size()) numeric = false;
  }
  const std::set<std::string> distinct(values.begin(), values.end());
  std::vector<std::string> levels(distinct.begin(), distinct.end());
  if (numeric)
    std::sort(levels.begin(), levels.end(), [](const std::string& a, const std::string& b) {
      return std::strtod(a.c_str(), nullptr) < std::strtod(b.c_str(), nullptr);
    });
  std::map<std::string, std::int32_t> code_of;
  for (std::size_t i = 0; i < levels.size(); ++i) code_of[levels[i]] = static_cast<std::int32_t>(i);
  survkit::Factor f;
  f.levels = levels;
  for (const auto& v : values) f.code.push_back(code_of.at(v));
  return f;
}

/// Relative difference with an absolute floor: |a - b| / max(|b|, floor).  Two NaNs agree
/// (R's NA); a NaN against a number is infinitely wrong.
inline double rel_diff(double a, double b, double floor) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b) ? 0.0 : INFINITY;
  if (a == b) return 0.0;
  return std::fabs(a - b) / std::max(std::fabs(b), floor);
}

}  // namespace km_refs
