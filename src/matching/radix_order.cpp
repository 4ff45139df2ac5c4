#include "matching/radix_order.hpp"

namespace survkit::matching {

void radix_order(std::span<const double> x, RadixOrder& out, stats::RadixScratch& scratch) {
  const std::size_t n = x.size();
  std::vector<std::uint64_t>& keys = out.keys;
  keys.resize(n);
  for (std::size_t i = 0; i < n; ++i) keys[i] = stats::order_key(x[i]);
  stats::radix_order(keys, out.index, &keys, scratch);  // keys now sorted in place
  // The key holds the value exactly: no gather through the permutation.
  out.value.resize(n);
  for (std::size_t k = 0; k < n; ++k) out.value[k] = stats::key_value(keys[k]);
}

RadixOrder radix_order(std::span<const double> x) {
  RadixOrder out;
  stats::RadixScratch scratch;
  scratch.keep = false;
  radix_order(x, out, scratch);
  std::vector<std::uint64_t>().swap(out.keys);
  return out;
}

}  // namespace survkit::matching
