// survkit public API: the G-rho family of k-sample tests, identical to R survival's
// survdiff(Surv(t, d) ~ g + strata(s), rho = rho) (survival 3.5-3).
//
//  * rho = 0 is the log-rank test, rho = 1 the Peto & Peto modification of the Gehan-
//    Wilcoxon test.  Each death time is weighted by S(t-)^rho, S the left-continuous
//    Kaplan-Meier of the pooled stratum (all groups).
//  * Observed / expected are summed over strata; the variance is the hypergeometric
//    one, summed over strata.  chisq = (O-E)' V^-1 (O-E) after dropping the groups with
//    expected 0 and the first remaining group; df = (number of groups with expected > 0) - 1,
//    and chisq = 0 when fewer than two groups have expected > 0 (as survdiff).
//  * Groups: the non-empty levels of `group`, in level order (survdiff groups by strata(),
//    which drops unused levels).
//  * Case weights (SurvData::weight, e.g. matching weights): R's survdiff (3.5-3) has no
//    weights argument.  survkit uses the weighted-count extension: at each death time
//    the deaths d and numbers at risk n (per group and pooled) are sums of case weights,
//    in O, E, the hypergeometric variance d (n_g / n)(1 - n_g / n)(n - d) / (n - 1) and
//    the rho-weight's KM.  For integer weights this is exactly survdiff on the data with
//    each row repeated `weight` times (tested against R that way).  For fractional
//    weights (1:K matching, replacement) it is the natural extension with no R
//    equivalent; a death time whose total weight at risk is <= 1 adds no variance.
//    (A weighted Cox score test is a different statistic: its variance lacks the
//    (n - d) / (n - 1) factor at tied deaths.)  LogrankGroup::n is then the weight sum.
//  * Not reproduced: survdiff's timefix (aeqSurv), which merges times that differ by
//    rounding error only; times are compared exactly.
#pragma once

#include <string>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/surv_data.hpp"

namespace survkit {

struct LogrankOptions {
  double rho = 0;  ///< survdiff's rho: weight S(t-)^rho; 0 = log-rank, 1 = Peto-Peto
};

struct LogrankGroup {
  std::string group;
  double n = 0;         ///< number of observations (sum of case weights when weighted)
  double observed = 0;  ///< (rho-weighted) observed events, summed over strata
  double expected = 0;  ///< (rho-weighted) expected events, summed over strata
};

struct LogrankResult {
  std::vector<LogrankGroup> groups;
  /// Variance-covariance of O - E, k x k row-major (k = groups.size()), summed over strata
  /// (survdiff's `var`).
  std::vector<double> variance;
  std::size_t n_strata = 1;  ///< number of non-empty strata
  TestResult test;           ///< chisq, df, p = pchisq(chisq, df, lower.tail = FALSE)
  /// Numerical trouble, e.g. a singular variance matrix (R's solve() would stop; survkit
  /// returns chisq = NA and says why here).
  std::vector<std::string> warnings;
};

/// Log-rank / G-rho test of `group`, optionally stratified (strata == nullptr: one stratum).
/// Throws AnalysisError when fewer than 2 groups have observations or when there are no
/// events of positive weight; InputError for malformed input (e.g. negative weights).
/// Cost O(n): one radix sort, then one backward scan per stratum.
LogrankResult fit_logrank(const SurvData& data, const Factor& group, const Factor* strata,
                          const LogrankOptions& options);

}  // namespace survkit
