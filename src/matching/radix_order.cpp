#include "matching/radix_order.hpp"

#include <array>
#include <bit>
#include <utility>

namespace survkit::matching {

namespace {

// The bits of a double as an unsigned integer ordered like the values: flip every bit
// of a negative number, only the sign bit of a positive one.  `+ 0.0` maps -0.0 to +0.0
// so that the two zeros tie, as they do for operator<.
std::uint64_t order_key(double v) {
  const auto u = std::bit_cast<std::uint64_t>(v + 0.0);
  return (u >> 63) != 0 ? ~u : u | (std::uint64_t{1} << 63);
}
double key_value(std::uint64_t key) {
  return std::bit_cast<double>((key >> 63) != 0 ? key ^ (std::uint64_t{1} << 63) : ~key);
}

// 11-bit digits: the 2048-bucket histograms and write cursors stay in L1 cache.
constexpr int kBits = 11;
constexpr int kPasses = (64 + kBits - 1) / kBits;
constexpr std::size_t kBuckets = std::size_t{1} << kBits;

}  // namespace

RadixOrder radix_order(std::span<const double> x) {
  const std::size_t n = x.size();
  std::vector<std::uint64_t> key(n), key2(n);
  RadixOrder out;
  out.index.resize(n);
  std::vector<std::uint32_t> idx2(n);
  // One read pass fills every digit's histogram.
  std::vector<std::array<std::uint32_t, kBuckets>> count(kPasses);
  for (auto& c : count) c.fill(0);
  for (std::size_t i = 0; i < n; ++i) {
    key[i] = order_key(x[i]);
    out.index[i] = static_cast<std::uint32_t>(i);
    for (int p = 0; p < kPasses; ++p) ++count[p][(key[i] >> (p * kBits)) & (kBuckets - 1)];
  }
  for (int p = 0; p < kPasses; ++p) {
    auto& c = count[p];
    const int shift = p * kBits;
    // A digit shared by every key leaves the order unchanged: skip the scatter.
    if (n == 0 || c[(key[0] >> shift) & (kBuckets - 1)] == n) continue;
    std::uint32_t sum = 0;
    for (auto& v : c) sum += std::exchange(v, sum);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t to = c[(key[i] >> shift) & (kBuckets - 1)]++;
      key2[to] = key[i];
      idx2[to] = out.index[i];
    }
    key.swap(key2);
    out.index.swap(idx2);
  }
  key2 = {};
  idx2 = {};
  // The key holds the value exactly: no gather through the permutation.
  out.value.resize(n);
  for (std::size_t k = 0; k < n; ++k) out.value[k] = key_value(key[k]);
  return out;
}

}  // namespace survkit::matching
