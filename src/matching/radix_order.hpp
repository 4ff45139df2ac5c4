// Internal (matching): the stable ascending order of a vector of doubles by radix sort,
// shared by the nearest-neighbour kernel (sort of the distance) and the balance table
// (one sort per covariate).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace survkit::matching {

/// The units in increasing value, ties in input order (R's order(x) / sort.list(x),
/// both stable).
///  index : length n, the permutation: value k of the order is x[index[k]].
///  value : length n, x in that order (-0.0 comes back as +0.0, which compares equal).
struct RadixOrder {
  std::vector<std::uint32_t> index;
  std::vector<double> value;
};

/// Contract: x has length n < 2^32 and no NaN (-0.0 and +0.0 tie, as for operator<).
/// Cost: O(n): stats::radix_order (src/stats/radix_order.hpp) on the order-preserving
/// integer keys of x, sorted in place.  The permutation is the one std::stable_sort
/// gives with <.
RadixOrder radix_order(std::span<const double> x);

}  // namespace survkit::matching
