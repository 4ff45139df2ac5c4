// Test support for the data area: read a file into memory and a deliberately tiny,
// independent reader for the reference CSV files written by tests/reference/data/*.R
// (unquoted fields, ',' separator, a header).  It does not use survkit::parse_csv, so a
// parser bug cannot hide itself in the references.
#pragma once

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace survkit::test {

inline std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Rows of a simple reference CSV as maps column name -> field text.
inline std::vector<std::map<std::string, std::string>> read_reference_csv(const std::string& path) {
  std::istringstream in(read_text_file(path));
  auto split = [](const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : line) {
      if (c == ',') {
        out.push_back(cur);
        cur.clear();
      } else if (c != '\r') {
        cur += c;
      }
    }
    out.push_back(cur);
    return out;
  };
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto f = split(line);
    if (f.size() != header.size()) throw std::runtime_error("bad reference row in " + path + ": " + line);
    std::map<std::string, std::string> row;
    for (std::size_t j = 0; j < f.size(); ++j) row[header[j]] = f[j];
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace survkit::test
