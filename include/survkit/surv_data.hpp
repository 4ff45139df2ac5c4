// survkit public API: right-censored survival data, the input of km, logrank and cox.
#pragma once

#include <cstdint>
#include <vector>

namespace survkit {

/// Right-censored survival outcomes, in any order (every method sorts internally, once).
///  time   : length n, finite, >= 0.
///  status : length n, 1 = event, 0 = censored.
///  weight : empty (all weights 1) or length n, finite, >= 0 (case weights, as R's
///           `weights=`; MatchIt matching weights are of this kind).
struct SurvData {
  std::vector<double> time;
  std::vector<std::uint8_t> status;
  std::vector<double> weight;

  std::size_t size() const { return time.size(); }
  bool weighted() const { return !weight.empty(); }
  double w(std::size_t i) const { return weight.empty() ? 1.0 : weight[i]; }
};

}  // namespace survkit
