// Test support for the matching area: a tiny reader for the reference CSV files that
// tests/reference/matching/make_match_refs.R writes (header line, comma separated,
// no quoting, "NA" for missing).  Deliberately independent of survkit's own CSV parser.
#pragma once

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace survkit::test {

class RefTable {
 public:
  explicit RefTable(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open reference file " + path);
    std::string line;
    std::getline(in, line);
    header_ = split(line);
    for (std::size_t j = 0; j < header_.size(); ++j) column_[header_[j]] = j;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) continue;
      rows_.push_back(split(line));
      if (rows_.back().size() != header_.size())
        throw std::runtime_error("wrong number of fields in " + path + ": " + line);
    }
  }
  std::size_t size() const { return rows_.size(); }
  bool has(const std::string& col) const { return column_.count(col) > 0; }
  const std::string& str(std::size_t row, const std::string& col) const {
    return rows_.at(row).at(column_.at(col));
  }
  /// The field as a double; "NA" is a quiet NaN.
  double num(std::size_t row, const std::string& col) const {
    const std::string& s = str(row, col);
    if (s == "NA") return std::numeric_limits<double>::quiet_NaN();
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0') throw std::runtime_error("not a number: " + s);
    return v;
  }
  long integer(std::size_t row, const std::string& col) const { return std::lround(num(row, col)); }
  const std::vector<std::string>& header() const { return header_; }

 private:
  static std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::string field;
    std::istringstream ss(line);
    while (std::getline(ss, field, ',')) out.push_back(field);
    if (!line.empty() && line.back() == ',') out.emplace_back();
    return out;
  }
  std::vector<std::string> header_;
  std::map<std::string, std::size_t> column_;
  std::vector<std::vector<std::string>> rows_;
};

inline std::string match_ref_path(const std::string& file) {
  return std::string(SURVKIT_TEST_REF_DIR) + "/matching/" + file;
}

}  // namespace survkit::test
