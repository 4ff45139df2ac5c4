// survkit public API: greedy nearest-neighbour matching on a distance, as MatchIt 4.5.1's
// matchit(method = "nearest") with a vector distance (propensity score or its logit).
//
// The distance is an input: the caller estimates it (fit_propensity) and passes either
// the fitted probabilities (MatchIt's distance = "glm") or the linear predictor
// (link = "linear.logit").  By default the matching is the method MatchIt documents
// (true nearest neighbours, an effective caliper); with MatchOptions::matchit_quirks
// the result is, pair for pair, MatchIt 4.5.1's match.matrix, subclass, weights and
// discarded, defects included.  Numbering conventions (subclass codes, weights) are
// MatchIt's in both modes and are documented on the fields below.
//
// run_matching() is the whole MatchIt workflow in one call -- propensity model,
// matching, balance and warnings -- and the one place it exists: `survkit match` and
// the study's [matching] block both call it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "survkit/balance.hpp"
#include "survkit/common.hpp"
#include "survkit/match_options.hpp"
#include "survkit/propensity.hpp"

namespace survkit {

/// The data to match.
///  treat    : length n; 1 = treated (focal, ATT), 0 = control.
///  distance : length n, finite.
///  exact    : empty, or length n stratum codes (>= 0): units match only within their
///             stratum.  Strata are processed in increasing code order, which matters
///             only for MatchOrder::random; to reproduce R, number the strata in the
///             order of R's levels of the exact factor (sorted labels).
struct MatchData {
  std::vector<std::uint8_t> treat;
  std::vector<double> distance;
  std::vector<std::int32_t> exact;
};

/// Sample sizes as MatchIt's summary(m)$nn.
struct MatchCounts {
  std::size_t all = 0;
  std::size_t matched = 0;     ///< weight > 0
  std::size_t unmatched = 0;   ///< weight == 0 and not discarded
  std::size_t discarded = 0;
  double matched_ess = 0.0;    ///< (sum w)^2 / sum w^2 over the group
};

struct MatchResult {
  static constexpr std::size_t no_match = std::numeric_limits<std::size_t>::max();

  /// 0-based rows of the treated units, in data order: the rows of match_matrix.
  std::vector<std::size_t> treated_rows;
  /// treated_rows.size() x ratio, row-major: match_matrix[t * ratio + j] is the 0-based
  /// row of the (j+1)-th control of treated unit t, or no_match.
  std::vector<std::size_t> match_matrix;
  std::size_t ratio = 1;
  /// Length n.  MatchIt's subclass as its integer codes (1-based), 0 = no subclass.
  /// A treated unit and its controls share a subclass.  MatchIt numbers subclasses by
  /// sorting the 1-based positions (in MatchData, not R's row names: mm2subclass labels
  /// by which(treat == 1)) of the matched treated units *as strings*
  /// ("1" < "10" < "100" < "2"); this is reproduced.  Empty when replace (MatchIt
  /// returns no subclass then).
  std::vector<std::int32_t> subclass;
  /// Length n.  Matched treated: 1.  Control: sum over the treated units it serves of
  /// 1 / (number of controls of that treated unit), then all control weights scaled so
  /// they sum to the number of matched controls.  Unmatched / discarded: 0.
  std::vector<double> weights;
  /// Length n, 1 = discarded by the common-support rule.
  std::vector<std::uint8_t> discarded;
  /// Caliper in distance units actually applied (NA when none).
  double caliper_width = NA;
  MatchCounts treated;
  MatchCounts control;
  /// MatchIt's warnings (not enough controls, ...), same wording.
  std::vector<std::string> warnings;
};

/// Greedy nearest-neighbour matching, O(n log n): one sort of the distance, then each
/// treated unit finds its nearest free control through "next free control" links.
/// Throws InputError on inconsistent lengths / non-finite distances and AnalysisError
/// when no treated or no control units (or no common exact stratum) exist.
MatchResult fit_match(const MatchData& data, const MatchOptions& options);

// ----------------------------------------------------------------- the pipeline

/// The units to match, one row per unit (complete cases; the caller drops the rest).
///  treat   : length n; 1 = treated (focal, ATT), 0 = control.
///  x/terms : the propensity model's design, dummy-coded, without the intercept
///            (as PropensityInput); moved into the score fit.  With `x_intercept`, x's
///            first column is the intercept (FrameSpec::intercept_column): the score fit
///            then reads x in place (PropensityInput::design) and x stays in the frame
///            until the balance is done, so balance covariates may view its columns
///            (BalanceCovariate::view; moving the frame keeps x's storage, and the views).
///  exact   : empty, or length n exact-matching stratum codes (as MatchData::exact).
///  balance : the covariates whose balance is reported (as BalanceData::covariates):
///            the caller chooses them and their names (often the model's variables;
///            the study reports every baseline variable).
struct MatchingFrame {
  std::vector<std::uint8_t> treat;
  Eigen::MatrixXd x;
  std::vector<std::string> terms;
  std::vector<std::int32_t> exact;
  std::vector<BalanceCovariate> balance;
  bool x_intercept = false;
};

/// How to match: the distance (Distance::Logit, the linear predictor -- survkit's
/// default, Austin 2011 -- or Distance::Ps, the score itself, MatchIt's default), and
/// the matching options of fit_match.
struct MatchingOptions {
  Distance distance = Distance::Logit;
  MatchOptions match;
};

struct MatchingResult {
  PropensityResult ps;           ///< the propensity model (score, linear predictor, fit)
  std::vector<double> distance;  ///< length n: what was matched on (ps.score or ps.linear_predictor)
  MatchResult match;
  BalanceResult balance;         ///< before and after matching (weights = match.weights)
  /// Everything the user should read, most important first, worded once for every
  /// caller: the caliper that MatchIt 4.5.1 does not enforce (matchit_quirks with a
  /// caliper), the propensity model's warnings ("propensity score model: ..."),
  /// fit_match's (MatchIt's wording), units discarded by the common-support rule, and
  /// treated units left unmatched.
  std::vector<std::string> warnings;
};

/// MatchIt's matchit(treat ~ terms, method = "nearest", distance = "glm") followed by
/// summary(): fit_propensity -> fit_match -> fit_balance, once each.  Throws
/// AnalysisError when the frame has no treated or no control unit, on complete
/// separation of the propensity model (naming the terms), and when fit_match cannot
/// match (see fit_match); InputError for inconsistent lengths.  A match in which
/// nobody was matched is returned (treated.matched == 0), not thrown: callers decide.
MatchingResult run_matching(MatchingFrame frame, const MatchingOptions& options);

}  // namespace survkit
