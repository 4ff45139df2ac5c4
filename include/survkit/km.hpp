// survkit public API: Kaplan-Meier curves, identical to R survival's survfit(Surv(t, d) ~ g),
// summary(fit, censored = TRUE), summary(fit, times = ...) and print(fit, rmean = tau).
//
// What "identical" means, rule by rule (R survival 3.5-3):
//  * One row per distinct time (events and censorings) of each curve; ties sort events
//    before censorings.  n_risk / n_event / n_censor are case-weighted sums, as R reports
//    them for a weighted fit.  A time point where the weighted number of events is 0
//    does not change the curve.
//  * Variance: Greenwood, sum d / (n (n - d)) on the weighted counts, when the weights
//    are absent or all whole numbers.  When any weight is fractional R switches to the
//    infinitesimal-jackknife (robust) variance of the curve (survfitKM: has.rwt => robust),
//    and so does survkit; KmGroup::robust_se says which one was used.
//  * Confidence limits: survfit_confint with conf.lower = "usual": log (default),
//    log-log, or plain, at level conf_level.  Limits that R reports as NA (log of 0,
//    log-log at survival 1 or 0) are NA here.
//  * Median and its limits: survmean's minmin rule, including the half-way rule when the
//    curve sits exactly at 0.5 over an interval.
//  * `times`: as summary(fit, times =, extend = FALSE): times are sorted, non-finite ones
//    dropped, times beyond the curve's last time dropped (R's default extend = FALSE);
//    a time before the first time gives survival 1.  R stops with an error when no time is
//    left for a curve; survkit returns an empty `at` for that curve instead.
//  * Restricted mean (rmean_tau): survmean's "rmean" and "se(rmean)" with upper limit tau
//    (print(fit, rmean = tau)).  As R, tau below the smallest time of all curves is an error.
//  * Groups: in Factor level order; levels with no observations are dropped, as
//    survfit drops unused factor levels (R's strata names only list non-empty curves).
//  * A curve without events is allowed (R: survival 1 throughout, median NA).
#pragma once

#include <string>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/enums.hpp"
#include "survkit/surv_data.hpp"

namespace survkit {

struct KmOptions {
  ConfType conf_type = ConfType::Log;
  double conf_level = 0.95;       ///< R's conf.int; in (0, 1)
  std::vector<double> times;      ///< summary(fit, times =) points, any order; empty = none
  double rmst_tau = NA;           ///< print(fit, rmean = tau); NA = not requested
  bool keep_curve = true;         ///< false: skip KmGroup::curve (large data; the summaries are still computed)
};

/// One row of summary(fit, censored = TRUE): one distinct time of one curve.
struct KmPoint {
  double time, n_risk, n_event, n_censor;
  double survival;
  double std_err;  ///< standard error of the survival (summary.survfit's std.err), NA when undefined
  double lower, upper;
};

/// One row of summary(fit, times =).
struct KmAt {
  double time, n_risk, n_event;  ///< n_event: events since the previous requested time (as R)
  double survival, std_err, lower, upper;
};

/// print(fit, rmean = tau): restricted mean survival time up to tau and its standard error.
struct KmRmst {
  double tau = NA, estimate = NA, se = NA;
};

struct KmGroup {
  std::string group;      ///< factor level ("all" for an ungrouped fit)
  double n = 0;           ///< number of records (R's "n"/"records", unweighted)
  double n_start = 0;     ///< (weighted) number at risk at the first time (R's "n.start")
  double events = 0;      ///< (weighted) number of events (R's "events")
  Estimate median;        ///< median survival with its confidence limits (print.survfit)
  KmRmst rmst;            ///< filled when KmOptions::rmst_tau is given
  bool robust_se = false; ///< true: infinitesimal-jackknife variance (fractional weights), else Greenwood
  std::vector<KmAt> at;   ///< one row per retained KmOptions::times point, sorted by time
  std::vector<KmPoint> curve;  ///< every distinct time (empty when keep_curve = false)
};

struct KmResult {
  std::vector<KmGroup> groups;
};

/// quantile(fit, probs, conf.int = TRUE) for one curve (R survival 3.5-3's findq and
/// doquant), from KmGroup::curve (so the fit must keep its curve):
///  * the p-quantile is where a horizontal line at p meets 1 - S (the first time S drops
///    to 1 - p or below, within tolerance sqrt(eps)); when S sits exactly at 1 - p over
///    an interval, the midpoint of that interval (the median's half-way rule); when the
///    curve ends exactly at 1 - p, the midpoint between that time and the last time;
///  * lower / upper: the same rule applied to the curve's upper / lower confidence
///    limits (1 - lower and 1 - upper of R's doquant);
///  * the search is R's approx(), which orders the points by value: for a confidence
///    limit that is not monotone in time, the time whose limit is the smallest value at
///    or above p (not the first such time);
///  * p = 0 gives 0 (R's start time); NA where the curve never reaches 1 - p, and every
///    quantile of the call NA when the curve never reaches the smallest of `probs`.
/// Probabilities outside [0, 1] throw InputError.  O(curve length) per probability.
std::vector<Estimate> km_quantiles(const KmGroup& group, const std::vector<double>& probs);

/// Kaplan-Meier curves, one per non-empty level of `group` (nullptr: one curve named "all").
/// Throws InputError for malformed input (lengths, non-finite or negative times, bad
/// codes, bad options).  O(n log n): one radix sort, then linear scans.
KmResult fit_km(const SurvData& data, const Factor* group, const KmOptions& options);

}  // namespace survkit
