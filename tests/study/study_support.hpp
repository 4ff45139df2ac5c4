// Test support for the study area: reading the bundled examples.
#pragma once

#include <fstream>
#include <sstream>
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

inline std::string examples(const std::string& rel) { return std::string(SURVKIT_EXAMPLES_DIR) + "/" + rel; }

inline survkit::Table read_csv(const std::string& path) {
  survkit::CsvOptions o;
  o.source = path;
  return survkit::parse_csv(read_text(path), o);
}

}  // namespace study_test
