// Internal (matching): the stable ascending order of a vector of doubles by radix sort,
// for the nearest-neighbour kernel (its one sort of the distance).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace survkit::matching {

/// The units in increasing value, ties in input order (R's order(x) / sort.list(x),
/// both stable): value k of the order is x[order[k]].
/// Contract: x has length n < 2^32 and no NaN (-0.0 and +0.0 tie, as for operator<).
/// Cost: O(n): stats::radix_order (src/stats/radix_order.hpp) on the order-preserving
/// integer keys of x.  The permutation is the one std::stable_sort gives with <.
std::vector<std::uint32_t> radix_order(std::span<const double> x);

}  // namespace survkit::matching
