#include "survival/common/time_order.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <utility>

#include "stats/radix_order.hpp"

namespace survkit::survival {

namespace {

// The sort works on the output arrays themselves: `time` holds each observation as a
// signed double, +t for an event and -t for a censoring (times are >= 0, so the sign
// bit is free), and `index` travels with it.  Rotating the IEEE-754 bits left by one
// gives an unsigned integer ordered by (t ascending, events before censorings): for
// t >= 0 the bit pattern is ordered like the value, and the sign lands in bit 0 as the
// tie-breaker.  At the end the sign becomes `event` and |t| the time, so no key array
// exists besides the output, and at tied keys the original order is kept (stable), as
// R's order(strata, time, -status).
double signed_time(double t, bool event) {
  t += 0.0;  // -0.0 -> +0.0, so that a zero event time keeps a clear sign bit
  return event ? t : -t;
}
std::uint64_t sort_key(double signed_t) { return std::rotl(std::bit_cast<std::uint64_t>(signed_t), 1); }

// 11-bit digits: 6 passes cover 64 bits and the 2048-bucket histograms and write cursors
// stay in L1 cache, which matters more than the pass count at 10^7 rows.
constexpr int kDigitBits = 11;
constexpr int kPasses = (64 + kDigitBits - 1) / kDigitBits;
constexpr std::size_t kBuckets = std::size_t{1} << kDigitBits;
using Histograms = std::array<std::array<std::size_t, kBuckets>, kPasses>;

// Below this size a comparison sort beats clearing and scanning 6 x 2048 counters
// (many small strata).
constexpr std::size_t kSmall = kBuckets;

// A run of (signed time, index) records in two parallel arrays.
struct Run {
  double* key;
  std::uint32_t* index;
};

// Stable sort of m records of `a` by sort_key; `b` is scratch of m records.  Returns
// true when the sorted records ended in `b` (an odd number of scatter passes), false
// when they are in `a`.  LSD radix: one read pass for all histograms, then one scatter
// per digit that is not shared by every key.
bool radix_sort(Run a, Run b, std::size_t m, Histograms& count) {
  for (auto& c : count) c.fill(0);
  for (std::size_t i = 0; i < m; ++i) {
    const std::uint64_t key = sort_key(a.key[i]);
    for (int p = 0; p < kPasses; ++p) ++count[p][(key >> (p * kDigitBits)) & (kBuckets - 1)];
  }
  bool in_b = false;
  for (int p = 0; p < kPasses; ++p) {
    auto& c = count[p];
    const int shift = p * kDigitBits;
    // A digit shared by every key leaves the order unchanged: skip the scatter.
    if (m == 0 || c[(sort_key(a.key[0]) >> shift) & (kBuckets - 1)] == m) continue;
    std::size_t sum = 0;
    for (auto& x : c) sum += std::exchange(x, sum);
    for (std::size_t i = 0; i < m; ++i) {
      const std::size_t to = c[(sort_key(a.key[i]) >> shift) & (kBuckets - 1)]++;
      b.key[to] = a.key[i];
      b.index[to] = a.index[i];
    }
    std::swap(a, b);
    in_b = !in_b;
  }
  return in_b;
}

void copy_run(Run from, Run to, std::size_t m) {
  std::copy(from.key, from.key + m, to.key);
  std::copy(from.index, from.index + m, to.index);
}

// Stable sort of the m records of `r` with scratch `t` of only ceil(m / 2) records:
// the second half is radix-sorted in place (scratch as partner), the first half is
// radix-sorted into the scratch, and the two are merged forwards into `r`.  The merge
// writes position i + j - h1 while the second half is read at j >= i + j - h1, so it
// never overwrites an unread record.  This halves the scratch of a plain radix sort:
// the scratch is the only memory besides the outputs.
void sort_run(Run r, Run t, std::size_t m, Histograms& count) {
  if (m < kSmall) {
    // Within a block the index grows with the position (block-stable fill), so sorting
    // (key, index) pairs gives the stable order.  The key holds the signed time exactly.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> p(m);
    for (std::size_t i = 0; i < m; ++i) p[i] = {sort_key(r.key[i]), r.index[i]};
    std::sort(p.begin(), p.end());
    for (std::size_t i = 0; i < m; ++i) {
      r.key[i] = std::bit_cast<double>(std::rotr(p[i].first, 1));
      r.index[i] = p[i].second;
    }
    return;
  }
  const std::size_t h1 = m / 2, h2 = m - h1;
  const Run second{r.key + h1, r.index + h1};
  if (radix_sort(second, t, h2, count)) copy_run(t, second, h2);
  if (!radix_sort(r, t, h1, count)) copy_run(r, t, h1);
  std::size_t i = 0, j = h1, o = 0;
  while (i < h1 && j < m) {
    // <= : at equal keys the first half (earlier rows) goes first -- stability.
    if (sort_key(t.key[i]) <= sort_key(r.key[j])) {
      r.key[o] = t.key[i];
      r.index[o++] = t.index[i++];
    } else {
      r.key[o] = r.key[j];
      r.index[o++] = r.index[j++];
    }
  }
  // Leftovers of the second half are already in place.
  copy_run({t.key + i, t.index + i}, {r.key + o, r.index + o}, h1 - i);
}

// Stable sort of the m records of `r` when their keys take at most
// stats::DistinctKeys::kMaxDistinct values (times in days or rounded units, where the
// event flag at most doubles them): a counting sort, one hashing pass and one scatter of
// the indices into `scratch` (4 bytes a record, below the radix sort's 6), after which
// the keys are written out as runs.  Returns false, with `r` untouched, as soon as a key
// beyond that number appears (continuous times: within the first few thousand).
bool few_distinct_sort(Run r, std::size_t m, std::vector<std::uint32_t>& scratch) {
  stats::DistinctKeys table;
  std::vector<std::uint32_t> next, by_key;
  if (!stats::counting_sort_plan(m, [&](std::size_t i) { return sort_key(r.key[i]); }, table, next, by_key))
    return false;
  scratch.resize(m);
  // The indices of one key stay in their order (within a block they grow): stable.
  for (std::size_t i = 0; i < m; ++i) scratch[next[table.id(sort_key(r.key[i]))]++] = r.index[i];
  std::uint32_t begin = 0;
  for (const std::uint32_t d : by_key) {  // next[d] is now the end of key d's run
    std::fill(r.key + begin, r.key + next[d], std::bit_cast<double>(std::rotr(table.keys()[d], 1)));
    begin = next[d];
  }
  std::copy(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(m), r.index);
  return true;
}

}  // namespace

TimeOrder sort_by_time(std::span<const double> time, std::span<const std::uint8_t> status,
                       std::span<const std::int32_t> block, std::size_t n_blocks) {
  const std::size_t n = time.size();
  const bool one_block = block.empty() || n_blocks <= 1;
  TimeOrder out;
  // Blocks first, by a stable counting pass straight from the input into the outputs;
  // each block is then sorted on its own.
  out.block_start.assign(n_blocks + 1, 0);
  if (one_block) {
    std::fill(out.block_start.begin() + 1, out.block_start.end(), n);  // all in block 0
  } else {
    for (std::size_t i = 0; i < n; ++i) ++out.block_start[static_cast<std::size_t>(block[i]) + 1];
    for (std::size_t k = 0; k < n_blocks; ++k) out.block_start[k + 1] += out.block_start[k];
  }
  out.time.resize(n);
  out.index.resize(n);
  {
    std::vector<std::size_t> cursor(out.block_start.begin(), out.block_start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t to = one_block ? i : cursor[static_cast<std::size_t>(block[i])]++;
      out.time[to] = signed_time(time[i], status[i] != 0);
      out.index[to] = static_cast<std::uint32_t>(i);
    }
  }

  {
    std::size_t largest = 0;
    for (std::size_t k = 0; k < n_blocks; ++k)
      largest = std::max(largest, out.block_start[k + 1] - out.block_start[k]);
    // Few distinct times: counting sorts.  Otherwise (or from the first block with many
    // distinct times on) the radix sort, whose scratch replaces the counting sort's.
    std::vector<std::uint32_t> counting_scratch;
    std::vector<double> scratch_key;
    std::vector<std::uint32_t> scratch_index;
    Histograms count;
    bool counting = true;
    for (std::size_t k = 0; k < n_blocks; ++k) {
      const std::size_t begin = out.block_start[k], m = out.block_start[k + 1] - begin;
      const Run run{out.time.data() + begin, out.index.data() + begin};
      if (m >= kSmall) {  // (shorter blocks: sort_run's comparison sort, no scratch)
        if (counting && few_distinct_sort(run, m, counting_scratch)) continue;
        if (counting) {
          counting = false;
          std::vector<std::uint32_t>().swap(counting_scratch);
        }
        if (scratch_key.empty()) {
          scratch_key.resize((largest + 1) / 2);
          scratch_index.resize((largest + 1) / 2);
        }
      }
      sort_run(run, {scratch_key.data(), scratch_index.data()}, m, count);
    }
  }  // scratch freed before the event flags are allocated

  out.event.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    out.event[i] = std::signbit(out.time[i]) ? 0 : 1;
    out.time[i] = std::abs(out.time[i]);
  }
  return out;
}

}  // namespace survkit::survival
