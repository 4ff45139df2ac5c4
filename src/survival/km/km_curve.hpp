// Internal: the Kaplan-Meier kernel for one curve and the summaries R derives from it.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "survkit/km.hpp"

namespace survkit::km {

/// One curve as R's survfit object holds it: one row per distinct time.
///  std_err : survfit's $std.err, i.e. the SE of log S (Greenwood, logse = true) or the
///            SE of S itself (robust variance, logse = false), exactly as R stores it.
struct CurveTable {
  bool logse = true;
  std::vector<double> time, n_risk, n_event, n_censor, surv, std_err, lower, upper;
  std::size_t size() const { return time.size(); }
};

/// Fills `out` for one curve of m >= 1 observations.
/// Contract:
///  time, event : length m, sorted by time ascending, events (1) before censorings (0) at
///                tied times (sort_by_time); times finite >= 0;
///  weight      : empty (all 1) or length m, in the same order, finite >= 0;
///  robust      : true = infinitesimal-jackknife variance (R's choice for fractional weights);
///  z           : the normal quantile of the confidence level.
/// One forward pass groups the tied times, one backward pass forms the (weighted)
/// numbers at risk as R's survfitkm does (summing from the last time back), one forward
/// pass forms the product-limit estimate and its variance.  O(m), contiguous memory only.
void km_table(std::span<const double> time, std::span<const std::uint8_t> event,
              std::span<const double> weight, bool robust, ConfType conf_type, double z,
              CurveTable& out);

/// survfit_confint (conf.lower = "usual") for one point: surv p, R's std.err `se`
/// (of log S when logse, else of S), normal quantile z.  NA where R gives NA/NaN.
void conf_limits(double p, double se, bool logse, ConfType type, double z, double& lower,
                 double& upper);

/// survmean's minmin(y, x): the first x where y < 0.5 (within sqrt(eps)), with the
/// half-way rule when y is 0.5 on an interval.  NA when y never falls to 0.5.
double minmin(std::span<const double> y, std::span<const double> x);

/// survmean's restricted mean up to tau (start.time = start) and its standard error.
KmRmst restricted_mean(const CurveTable& c, double tau, double start);

/// summary(fit, times = sorted_times, extend = FALSE) for one curve; `sorted_times`
/// ascending, finite.  start = survfit0's start.time (min(0, all times)).
std::vector<KmAt> summary_at(const CurveTable& c, std::span<const double> sorted_times,
                             double start);

}  // namespace survkit::km
