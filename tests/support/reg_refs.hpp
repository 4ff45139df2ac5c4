// Test support for the logistic and crosstab suites (area "reg"): the comparison helper
// the suites share.  CSV reading lives in support/ref_csv.hpp.
#pragma once

#include <algorithm>
#include <cmath>

#include "support/ref_csv.hpp"

namespace survkit::test_reg {

/// |a - b| / |b|, with an absolute floor: |a - b| / max(|b|, floor).  Both NaN (R's NA)
/// or equal infinities count as 0.
inline double rel_err(double a, double b, double floor = 0.0) {
  if (std::isnan(a) && std::isnan(b)) return 0.0;
  if (a == b) return 0.0;
  if (std::isinf(a) || std::isinf(b)) return a == b ? 0.0 : INFINITY;
  return std::abs(a - b) / std::max(std::abs(b), floor);
}

}  // namespace survkit::test_reg
