// survkit public API: the options of nearest-neighbour matching (MatchOptions; its
// enums are in survkit/enums.hpp), in a light header of their own so that the study spec (survkit/study.hpp)
// can hold them without pulling in the matching pipeline (survkit/match.hpp, which
// reaches Eigen through the propensity model).
#pragma once

#include <cstddef>
#include <cstdint>

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

}  // namespace survkit
