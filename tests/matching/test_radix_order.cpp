// radix_order() against its definition: the permutation of std::stable_sort with <
// (R's order(x)), and the sorted keys in that order.  A permutation: compared exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "matching/radix_order.hpp"
#include "stats/radix_order.hpp"

namespace {

using survkit::matching::radix_order;

void expect_stable_order(const std::vector<double>& x) {
  std::vector<std::uint32_t> ord(x.size());
  std::iota(ord.begin(), ord.end(), 0u);
  std::stable_sort(ord.begin(), ord.end(), [&](std::uint32_t a, std::uint32_t b) { return x[a] < x[b]; });
  ASSERT_EQ(radix_order(x), ord);
}

TEST(RadixOrder, HandChecked) {
  // -0.0 and 0.0 tie (data order kept); negatives before positives.
  const std::vector<double> x{2.5, -0.0, -3.0, 0.0, 2.5, -1e-300, 1e300};
  const auto o = radix_order(x);
  EXPECT_EQ(o, (std::vector<std::uint32_t>{2, 5, 1, 3, 0, 4, 6}));
  std::vector<double> in_order;
  for (const auto i : o) in_order.push_back(x[i]);
  EXPECT_EQ(in_order, (std::vector<double>{-3.0, -1e-300, 0.0, 0.0, 2.5, 2.5, 1e300}));
  EXPECT_TRUE(radix_order(std::vector<double>{}).empty());
}

TEST(RadixOrder, MatchesStableSort) {
  std::mt19937_64 rng(42);
  std::normal_distribution<double> z;
  std::vector<double> normal(100001), ties(50000), binary(3000);
  for (auto& v : normal) v = z(rng);
  for (auto& v : ties) v = std::round(z(rng) * 4) / 4;  // heavy ties, both signs, zeros
  for (auto& v : binary) v = static_cast<double>(rng() % 2);  // most digits constant
  expect_stable_order(normal);
  expect_stable_order(ties);
  expect_stable_order(binary);
  expect_stable_order({std::numeric_limits<double>::lowest(), std::numeric_limits<double>::max(),
                       -std::numeric_limits<double>::denorm_min(), std::numeric_limits<double>::denorm_min(),
                       -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()});
}

}  // namespace

// stats::radix_order with one RadixScratch reused across calls (the balance table sorts
// every covariate with its thread's scratch): stale records and keys from a previous,
// longer or shorter, sort must not leak into the next one.
TEST(RadixOrder, ReusedScratchMatchesFreshSorts) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> z;
  survkit::stats::RadixScratch scratch;
  std::vector<std::uint32_t> order;
  for (const std::size_t n : {50000u, 1000u, 120000u, 0u, 3u, 70000u}) {
    std::vector<double> x(n);
    for (auto& v : x) v = n % 2 == 0 ? z(rng) : std::round(z(rng) * 4) / 4;  // continuous, or few values
    std::vector<std::uint64_t> keys(n);
    for (std::size_t i = 0; i < n; ++i) keys[i] = survkit::stats::order_key(x[i]);
    std::vector<std::uint32_t> ord(n);
    std::iota(ord.begin(), ord.end(), 0u);
    std::stable_sort(ord.begin(), ord.end(), [&](std::uint32_t a, std::uint32_t b) { return x[a] < x[b]; });
    survkit::stats::radix_order(keys, order, &keys, scratch);
    ASSERT_EQ(order, ord) << n;
    for (std::size_t k = 0; k < n; ++k) ASSERT_EQ(keys[k], survkit::stats::order_key(x[ord[k]])) << k;
  }
}
