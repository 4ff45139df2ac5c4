// Internal (survival: km, logrank): the one sort every survival kernel starts from.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "stats/prefetch.hpp"

namespace survkit::survival {

/// Observations ordered by (block, time ascending, events before censorings at tied
/// times), as R's survival code orders them (order(strata, time, -status)).
///  index       : length n, a permutation of 0..n-1.
///  time, event : length n, the times and event flags (0/1) in that order, so that the
///                kernels scan contiguous memory instead of gathering through `index`.
///  block_start : length n_blocks + 1; block b occupies [block_start[b], block_start[b+1]).
struct TimeOrder {
  std::vector<std::uint32_t> index;
  std::vector<double> time;
  std::vector<std::uint8_t> event;
  std::vector<std::size_t> block_start;
};

/// values[index[i]] for every i: one gather pass (weights, group codes).
template <class T>
std::vector<T> gather(const std::vector<T>& values, const std::vector<std::uint32_t>& index) {
  std::vector<T> out(index.size());
  for (std::size_t i = 0; i < index.size(); ++i) {
    stats::prefetch_gather(values.data(), index.data(), i, index.size());
    out[i] = values[index[i]];
  }
  return out;
}

/// Contract:
///  time   : length n, finite and >= 0 (checked by the callers);
///  status : length n, 0 = censored, anything else = event;
///  block  : empty (one block) or length n with codes in [0, n_blocks);
///  n < 2^32 (indices are 32-bit to halve the memory traffic of the sort).
/// Cost: one stable counting pass for the blocks, then per block either a counting sort
/// (at most 4096 distinct signed times, e.g. days: one hashing pass and one scatter) or
/// a least-significant-digit radix sort on the bits of the times (11-bit digits, passes
/// whose digit is constant are skipped): O(n), no comparison sort except for blocks of
/// < 2048 rows.
/// Memory: the sort runs in the output arrays (the signed time carries the event flag)
/// with a scratch of the largest block's indices (counting sort, 4 bytes a row) or of
/// half of its records (radix sort, 6 bytes a row), never both; the peak is 18 bytes
/// per row, 13 once the function returns.
TimeOrder sort_by_time(std::span<const double> time, std::span<const std::uint8_t> status,
                       std::span<const std::int32_t> block, std::size_t n_blocks);

}  // namespace survkit::survival
