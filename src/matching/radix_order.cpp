#include "matching/radix_order.hpp"

#include "stats/radix_order.hpp"

namespace survkit::matching {

RadixOrder radix_order(std::span<const double> x) {
  const std::size_t n = x.size();
  std::vector<std::uint64_t> keys(n);
  for (std::size_t i = 0; i < n; ++i) keys[i] = stats::order_key(x[i]);
  RadixOrder out;
  out.index = stats::radix_order(keys, &keys);  // keys now sorted in place
  // The key holds the value exactly: no gather through the permutation.
  out.value.resize(n);
  for (std::size_t k = 0; k < n; ++k) out.value[k] = stats::key_value(keys[k]);
  return out;
}

}  // namespace survkit::matching
