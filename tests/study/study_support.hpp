// Test support for the study area: reading the bundled examples, finding a report table.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include <survkit/study.hpp>
#include <survkit/table.hpp>

namespace study_test {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The report's table with this id (throws when there is none).
inline const survkit::ReportTable& table(const survkit::StudyReport& r, const std::string& id) {
  for (const auto& t : r.tables)
    if (t.id == id) return t;
  throw std::runtime_error("no table " + id);
}

inline std::string examples(const std::string& rel) { return std::string(SURVKIT_EXAMPLES_DIR) + "/" + rel; }

inline survkit::Table read_csv(const std::string& path) {
  survkit::CsvOptions o;
  o.source = path;
  return survkit::parse_csv(read_text(path), o);
}

}  // namespace study_test
