#include "survival/km/time_order.hpp"

#include <array>
#include <bit>
#include <utility>

namespace survkit::km {

namespace {

// For doubles >= 0 the IEEE-754 bit pattern, read as an unsigned integer, is ordered
// like the values (the sign bit is 0 and the exponent sits above the mantissa).  The sign
// bit is therefore free: shifting left by one makes room for a tie-breaker bit that puts
// events (0) before censorings (1) at equal times.  `+ 0.0` turns -0.0 into +0.0.
std::uint64_t sort_key(double t, bool event) {
  const auto bits = std::bit_cast<std::uint64_t>(t + 0.0);
  return (bits << 1) | (event ? 0u : 1u);
}
double key_time(std::uint64_t key) { return std::bit_cast<double>(key >> 1); }
std::uint8_t key_event(std::uint64_t key) { return (key & 1u) ? 0 : 1; }

// The record that moves through the passes: the block travels with the key so that the
// final (block) pass reads memory sequentially like the others.
struct Item {
  std::uint64_t key;
  std::uint32_t index;
  std::uint32_t block;
};

// 11-bit digits: 6 passes cover 64 bits and the 2048-bucket histograms and write cursors
// stay in L1 cache, which matters more than the pass count at 10^7 rows.
constexpr int kDigitBits = 11;
constexpr int kPasses = (64 + kDigitBits - 1) / kDigitBits;
constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;

}  // namespace

TimeOrder sort_by_time(std::span<const double> time, std::span<const std::uint8_t> status,
                       std::span<const std::int32_t> block, std::size_t n_blocks) {
  const std::size_t n = time.size();
  std::vector<Item> a(n), b(n);
  // One read pass fills every digit's histogram.
  std::vector<std::array<std::size_t, kBuckets>> count(kPasses);
  for (auto& c : count) c.fill(0);
  std::vector<std::size_t> block_count(n_blocks + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t key = sort_key(time[i], status[i] != 0);
    const auto blk = block.empty() ? 0u : static_cast<std::uint32_t>(block[i]);
    a[i] = {key, static_cast<std::uint32_t>(i), blk};
    for (int p = 0; p < kPasses; ++p) ++count[p][(key >> (p * kDigitBits)) & (kBuckets - 1)];
    ++block_count[blk + 1];
  }

  for (int p = 0; p < kPasses; ++p) {
    auto& c = count[p];
    const int shift = p * kDigitBits;
    // A digit shared by every key leaves the order unchanged: skip the scatter.
    if (n == 0 || c[(a[0].key >> shift) & (kBuckets - 1)] == n) continue;
    std::size_t sum = 0;
    for (auto& x : c) sum += std::exchange(x, sum);
    for (std::size_t i = 0; i < n; ++i) b[c[(a[i].key >> shift) & (kBuckets - 1)]++] = a[i];
    a.swap(b);
  }

  // Stable counting pass on the block (most significant): time order kept within a block.
  TimeOrder out;
  for (std::size_t k = 0; k < n_blocks; ++k) block_count[k + 1] += block_count[k];
  out.block_start = block_count;
  out.index.resize(n);
  out.time.resize(n);
  out.event.resize(n);
  const bool one_block = block.empty() || n_blocks <= 1;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t pos = one_block ? i : block_count[a[i].block]++;
    out.index[pos] = a[i].index;
    out.time[pos] = key_time(a[i].key);  // the key holds the time exactly
    out.event[pos] = key_event(a[i].key);
  }
  return out;
}

}  // namespace survkit::km
