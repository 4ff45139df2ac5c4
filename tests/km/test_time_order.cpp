// sort_by_time() against the definition: a stable sort of the rows by (block, time,
// events before censorings), i.e. R's order(strata, time, -status).  The oracle is
// std::stable_sort, so every field must match exactly (no tolerance: a permutation).
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "survival/common/time_order.hpp"

namespace {

using survkit::survival::sort_by_time;

struct Case {
  std::vector<double> time;
  std::vector<std::uint8_t> status;
  std::vector<std::int32_t> block;
  std::size_t n_blocks = 1;
};

void expect_matches_oracle(const Case& c) {
  const std::size_t n = c.time.size();
  std::vector<std::uint32_t> ord(n);
  std::iota(ord.begin(), ord.end(), 0u);
  std::stable_sort(ord.begin(), ord.end(), [&](std::uint32_t a, std::uint32_t b) {
    const std::int32_t ba = c.block.empty() ? 0 : c.block[a], bb = c.block.empty() ? 0 : c.block[b];
    if (ba != bb) return ba < bb;
    if (c.time[a] != c.time[b]) return c.time[a] < c.time[b];
    return (c.status[a] != 0) > (c.status[b] != 0);
  });
  const auto o = sort_by_time(c.time, c.status, c.block, c.n_blocks);
  ASSERT_EQ(o.index.size(), n);
  ASSERT_EQ(o.block_start.size(), c.n_blocks + 1);
  EXPECT_EQ(o.block_start.front(), 0u);
  EXPECT_EQ(o.block_start.back(), n);
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_EQ(o.index[i], ord[i]) << "position " << i;
    // Compared as values: a -0.0 input time comes back as +0.0, which is equal.
    ASSERT_EQ(o.time[i], c.time[ord[i]]);
    ASSERT_FALSE(std::signbit(o.time[i]));
    ASSERT_EQ(o.event[i], c.status[ord[i]] != 0 ? 1 : 0);
  }
  for (std::size_t b = 0; b < c.n_blocks; ++b)
    for (std::size_t i = o.block_start[b]; i < o.block_start[b + 1]; ++i)
      if (!c.block.empty()) ASSERT_EQ(c.block[o.index[i]], static_cast<std::int32_t>(b));
}

Case random_case(std::size_t n, std::size_t n_blocks, int distinct_times, unsigned seed) {
  std::mt19937_64 rng(seed);
  Case c;
  c.n_blocks = n_blocks;
  for (std::size_t i = 0; i < n; ++i) {
    // Integer days (many ties) or continuous times; a few zeros, including -0.0.
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    double t = distinct_times > 0 ? std::floor(u * distinct_times) : u * 1e3;
    if (i % 97 == 0) t = (i % 2) ? 0.0 : -0.0;
    c.time.push_back(t);
    c.status.push_back(static_cast<std::uint8_t>(rng() % 3 == 0 ? 0 : (rng() % 2 ? 1 : 2)));
    if (n_blocks > 1) c.block.push_back(static_cast<std::int32_t>(rng() % n_blocks));
  }
  return c;
}

TEST(TimeOrder, HandCheckedTiesAndBlocks) {
  // Block 1: times 2(c), 1(e), 2(e); block 0: 3(e), 1(c), 1(e).
  Case c{{2, 3, 1, 1, 2, 1}, {0, 1, 0, 1, 1, 1}, {1, 0, 0, 1, 1, 0}, 2};
  const auto o = sort_by_time(c.time, c.status, c.block, c.n_blocks);
  // Block 0 = rows 1, 2, 5 -> (1 e: row 5), (1 c: row 2), (3 e: row 1);
  // block 1 = rows 0, 3, 4 -> (1 e: row 3), (2 e: row 4), (2 c: row 0).
  EXPECT_EQ(o.index, (std::vector<std::uint32_t>{5, 2, 1, 3, 4, 0}));
  EXPECT_EQ(o.time, (std::vector<double>{1, 1, 3, 1, 2, 2}));
  EXPECT_EQ(o.event, (std::vector<std::uint8_t>{1, 0, 1, 1, 1, 0}));
  EXPECT_EQ(o.block_start, (std::vector<std::size_t>{0, 3, 6}));
}

TEST(TimeOrder, MatchesStableSortOneBlock) {
  // Sizes around the small-run threshold (2048) and odd sizes exercise both the
  // comparison path and the half-scratch radix + merge path.
  for (std::size_t n : {0u, 1u, 2u, 7u, 2047u, 2048u, 4095u, 4097u, 50001u}) {
    expect_matches_oracle(random_case(n, 1, 30, 11 + static_cast<unsigned>(n)));
    expect_matches_oracle(random_case(n, 1, 0, 12 + static_cast<unsigned>(n)));
  }
}

TEST(TimeOrder, MatchesStableSortManyBlocks) {
  expect_matches_oracle(random_case(30001, 3, 200, 5));
  expect_matches_oracle(random_case(30001, 5, 0, 6));
  expect_matches_oracle(random_case(20000, 997, 50, 7));  // many small blocks
  expect_matches_oracle(random_case(500, 997, 50, 8));    // more blocks than rows: empty ones
}

TEST(TimeOrder, CountingSortLimitAndMixedBlocks) {
  // Up to 4096 distinct signed times a block is counting-sorted; 2100 days with both
  // event flags pass that limit late in the block, where the radix sort must take over
  // an untouched block.
  expect_matches_oracle(random_case(60000, 1, 2000, 21));
  expect_matches_oracle(random_case(60000, 1, 2100, 22));
  // Blocks of days and blocks of continuous times, in both orders: the counting sort for
  // the first, then the radix sort from the first continuous block on.
  for (unsigned order = 0; order < 2; ++order) {
    Case days = random_case(9000, 1, 40, 23), cont = random_case(9000, 1, 0, 24);
    Case c;
    c.n_blocks = 4;
    for (std::size_t i = 0; i < 9000; ++i)
      for (std::int32_t b = 0; b < 4; ++b) {
        const bool continuous = (b % 2 == 1) != (order == 1);
        c.time.push_back(continuous ? cont.time[i] : days.time[i]);
        c.status.push_back(continuous ? cont.status[i] : days.status[i]);
        c.block.push_back(b);
      }
    expect_matches_oracle(c);
  }
}

TEST(TimeOrder, NoBlockCodesMeansOneBlock) {
  auto c = random_case(5000, 1, 10, 9);
  const auto o = sort_by_time(c.time, c.status, {}, 1);
  EXPECT_EQ(o.block_start, (std::vector<std::size_t>{0, 5000}));
  expect_matches_oracle(c);
}

}  // namespace
