#include "matching/radix_order.hpp"

#include "stats/radix_order.hpp"

namespace survkit::matching {

std::vector<std::uint32_t> radix_order(std::span<const double> x) {
  std::vector<std::uint64_t> keys(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) keys[i] = stats::order_key(x[i]);
  return stats::radix_order(keys);
}

}  // namespace survkit::matching
