// Test support for the data area: the reference CSV files written by
// tests/reference/data/*.R as rows of column name -> field text, read with the shared
// reader in support/ref_csv.hpp (which also provides read_text_file).  It does not use
// survkit::parse_csv, so a parser bug cannot hide itself in the references.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "support/ref_csv.hpp"

namespace survkit::test {

/// Rows of a simple reference CSV as maps column name -> field text.
inline std::vector<std::map<std::string, std::string>> read_reference_csv(const std::string& path) {
  const RefCsv csv = read_ref_csv(path);
  std::vector<std::map<std::string, std::string>> rows;
  for (const auto& f : csv.rows) {
    std::map<std::string, std::string> row;
    for (std::size_t j = 0; j < f.size(); ++j) row[csv.header[j]] = f[j];
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace survkit::test
