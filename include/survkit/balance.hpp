// survkit public API: covariate balance before and after matching, as MatchIt 4.5.1's
// summary(m) ("Summary of Balance for All Data" / "... for Matched Data") for the ATT,
// plus a Pearson chi-square test of treatment x level for each categorical covariate.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "survkit/common.hpp"

namespace survkit {

struct MatchResult;  // survkit/match.hpp

/// One covariate: numeric (`values`) or categorical (`factor`, when it has levels).
/// A categorical covariate gives one 0/1 row per level, the reference level included,
/// named name + level (MatchIt's "racehispan").
struct BalanceCovariate {
  std::string name;
  std::vector<double> values;  ///< length n when numeric, else empty
  Factor factor;               ///< used when factor.levels is non-empty
  /// Instead of `values` (then empty): n numbers the caller keeps, e.g. a column of the
  /// model's design (MatchingFrame::x), which must outlive the call: no copy of them.
  std::span<const double> view;
  bool categorical() const { return !factor.levels.empty(); }
  /// The numbers of a numeric covariate: `values`, or `view`.
  std::span<const double> numbers() const { return values.empty() ? view : std::span<const double>(values); }
};

/// Inputs.
///  treat    : length n, 1 = treated, 0 = control.
///  distance : empty, or length n: first balance row, named "distance", as MatchIt.
///  weights  : empty = balance of the unmatched data only; else length n matching
///             weights (MatchResult::weights) for the "matched" section.
///  match    : optional (non-owning) matching result whose match matrix gives the
///             "Std. Pair Dist." column; nullptr leaves that column NA.
struct BalanceData {
  std::vector<std::uint8_t> treat;
  std::vector<double> distance;
  std::vector<BalanceCovariate> covariates;
  std::vector<double> weights;
  const MatchResult* match = nullptr;
};

struct BalanceOptions {
  bool pair_distance = true;  ///< compute Std. Pair Dist. when `match` is given
  bool chisq = true;          ///< chi-square test per categorical covariate
};

/// One row of MatchIt's balance table.  Std. Mean Diff. divides by the SD of the
/// treated units in the full (unweighted) sample, in both sections; a 0/1 variable uses
/// sqrt(p(1-p)).  When |mean difference| <= sqrt(machine epsilon) MatchIt reports the
/// raw difference instead.  Var. Ratio is NA for 0/1 variables (eCDF Mean = eCDF Max =
/// |mean difference| for them).
struct BalanceRow {
  std::string term;
  double mean_treated = NA;
  double mean_control = NA;
  double std_mean_diff = NA;
  double var_ratio = NA;
  double ecdf_mean = NA;
  double ecdf_max = NA;
  double std_pair_dist = NA;  ///< matched section only
};

/// Pearson chi-square (no continuity correction) of the treatment x level table, with
/// counts weighted by the matching weights for `matched`; levels with zero total weight
/// are left out (df = levels kept - 1).
struct CategoricalBalance {
  std::string variable;
  TestResult all;
  TestResult matched;  ///< NA when no weights were given
};

struct BalanceResult {
  std::vector<BalanceRow> all;
  std::vector<BalanceRow> matched;  ///< empty when no weights were given
  std::vector<CategoricalBalance> categorical;
};

BalanceResult fit_balance(const BalanceData& data, const BalanceOptions& options);

}  // namespace survkit
