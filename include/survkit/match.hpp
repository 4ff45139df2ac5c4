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
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/enums.hpp"

namespace survkit {

/// What the user chose.  Defaults are MatchIt's defaults, except matchit_quirks (off:
/// survkit matches as MatchIt documents, not as MatchIt 4.5.1's kernel computes).
struct MatchOptions {
  /// Controls per treated unit (1:K matching), filled in rounds: every treated unit
  /// gets its 1st control, then its 2nd, and so on.
  std::size_t ratio = 1;
  /// With replacement a control can be reused without limit; MatchIt then always
  /// matches in data order (reuse.max >= n1 forces m.order = "data").
  bool replace = false;
  MatchOrder order = MatchOrder::largest;
  /// Caliper width; NA = no caliper.  In standard deviations of the distance of the
  /// non-discarded units (R's sd(): n - 1 denominator, both groups together) when
  /// std_caliper, else in distance units.  A match needs |d_t - d_c| <= width.
  double caliper = NA;
  bool std_caliper = true;
  MatchDiscard discard = MatchDiscard::none;
  /// Reproduce MatchIt 4.5.1 exactly, including two defects of its C++ kernel
  /// (nn_matchC_vec), verified against R output:
  ///  1. it calls the C function abs(int) on distance differences, so |d_t - d_c| is
  ///     truncated to an integer before (a) choosing between the nearest free control
  ///     below and above d_t (ties go below) and (b) the caliper test.  On the
  ///     propensity-score scale every difference is < 1: MatchIt 4.5.1 takes the nearest
  ///     free control *below* d_t whenever there is one, and a caliper never excludes
  ///     anything; on the logit scale only differences >= 1 count.
  ///  2. from the 2nd control on (ratio > 1), "skip controls already matched to this
  ///     treated unit" compares 0-based with 1-based indices: it skips the unit that
  ///     follows each earlier match in data order, and can reuse the earlier match itself
  ///     when replace = true.
  /// false (default) = the documented method: true nearest neighbours by |d_t - d_c|,
  /// an effective caliper and distinct controls per treated unit.
  ///
  /// Tie rule (both modes, deterministic): all units are sorted once by distance with a
  /// stable sort (equal distances keep data order).  A treated unit compares the nearest
  /// free control on each side of its position in that order: the last free control
  /// sorted before it ("below") and the first free control sorted after it ("above");
  /// controls with a distance equal to the treated unit's are placed by data order.
  /// When the two are equally far (|d_t - d_c| equal as doubles), the one below (the
  /// smaller distance) is taken.  Consequently, among several controls with the same
  /// distance below d_t the last in data order wins, above d_t the first in data order.
  /// A caliper is checked on that nearest control of each side only (|d_t - d_c| <=
  /// width); treated units whose nearest free control is too far stay unmatched.
  bool matchit_quirks = false;
  /// Seed of R's set.seed() (Mersenne-Twister, sample.kind "Rejection"); used only by
  /// MatchOrder::random.
  std::int32_t seed = 1;
};

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

}  // namespace survkit
