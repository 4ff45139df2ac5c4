// Test support for the km area: factors built the way the R reference scripts build them
// and the comparison helper.  CSV reading lives in support/ref_csv.hpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <survkit/common.hpp>

namespace km_refs {

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
