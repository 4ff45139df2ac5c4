// Internal: the greedy nearest-neighbour kernel of one matching problem (the whole
// sample, or one exact stratum), equal to MatchIt 4.5.1's nn_matchC_vec().
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace survkit::matching {

/// One matching problem.  All spans index the same n_s units of the stratum.
///  treat     : length n_s, 1 = treated, 0 = control.
///  distance  : length n_s < 2^32, finite; any order (sorted inside, once, by radix_order).
///  discarded : length n_s, 1 = excluded (a discarded treated unit gets no control, a
///              discarded control is never used).
///  order     : length n1_s = number of treated units; a permutation of 0..n1_s-1 giving
///              the order in which the treated units (numbered 0.. in data order) pick.
struct NnProblem {
  std::span<const std::uint8_t> treat;
  std::span<const double> distance;
  std::span<const std::uint8_t> discarded;
  std::span<const std::size_t> order;
  std::size_t ratio = 1;
  bool replace = false;
  double caliper = 0.0;  ///< in distance units; used only when use_caliper
  bool use_caliper = false;
  /// MatchIt 4.5.1's kernel quirks (see MatchOptions::matchit_quirks): |distance
  /// differences| truncated to integers, and the off-by-one "already in this row" test.
  bool matchit_quirks = false;
};

/// Returns the n1_s x ratio match matrix (row-major; rows = treated units in data
/// order) holding 0-based unit indices of the stratum, or `none`.
inline constexpr std::size_t kNone = static_cast<std::size_t>(-1);
std::vector<std::size_t> nn_match(const NnProblem& problem);

}  // namespace survkit::matching
