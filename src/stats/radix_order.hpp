// Internal: stable sorting orders of doubles by radix sort, shared by every method that
// sorts once: the Cox time sort and the ranks of its linear predictor, the matching
// distance and the balance table's per-covariate sorts (O(n) passes instead of an
// O(n log n) comparison sort; at n = 1e6 a comparison sort costs ~0.1 s).  (The KM /
// log-rank sort, src/survival/common/time_order, is a separate in-place variant: it sorts
// by stratum, time and status inside its output arrays to keep peak memory low.)
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "stats/prefetch.hpp"

namespace survkit::stats {

/// Maps a double to an unsigned key with the same order (-0.0 and +0.0 share a key,
/// as they compare equal).  NaN is not allowed (callers validate their input).
inline std::uint64_t order_key(double x) {
  if (x == 0) x = 0.0;
  const auto bits = std::bit_cast<std::uint64_t>(x);
  return (bits >> 63) ? ~bits : bits | (std::uint64_t{1} << 63);
}

/// At most kMaxDistinct distinct 64-bit keys, each with an id (0, 1, ... in order of
/// first appearance), in a small open-addressing table that stays in cache: the
/// bookkeeping of a counting sort over few distinct keys (survival times in days or
/// rounded units, stratum codes), used by few_distinct_order and by the KM / log-rank
/// time sort.  Callers look a key up again instead of storing an id per row: the table
/// is in cache, a row array would not be.
class DistinctKeys {
 public:
  static constexpr std::size_t kMaxDistinct = 4096;
  static constexpr std::uint32_t kFull = 0xFFFFFFFFu;
  DistinctKeys() : slot_key_(kSlots), slot_id_(kSlots, kFull) {}
  /// The id of `k`, added if new; kFull when it is new and the table already holds
  /// kMaxDistinct keys.
  std::uint32_t add(std::uint64_t k) {
    const std::size_t h = slot(k);
    if (slot_id_[h] != kFull) return slot_id_[h];
    if (keys_.size() == kMaxDistinct) return kFull;
    slot_key_[h] = k;
    slot_id_[h] = static_cast<std::uint32_t>(keys_.size());
    keys_.push_back(k);
    return slot_id_[h];
  }
  /// The id of a key already added.
  std::uint32_t id(std::uint64_t k) const { return slot_id_[slot(k)]; }
  /// The keys by id.
  const std::vector<std::uint64_t>& keys() const { return keys_; }
  /// The ids in ascending order of their keys.
  std::vector<std::uint32_t> ids_by_key() const {
    std::vector<std::uint32_t> by_key(keys_.size());
    for (std::uint32_t d = 0; d < by_key.size(); ++d) by_key[d] = d;
    std::sort(by_key.begin(), by_key.end(), [&](std::uint32_t a, std::uint32_t b) { return keys_[a] < keys_[b]; });
    return by_key;
  }

 private:
  static constexpr std::size_t kSlots = 2 * kMaxDistinct;  // load <= 1/2
  std::size_t slot(std::uint64_t k) const {
    std::size_t h = static_cast<std::size_t>((k * 0x9E3779B97F4A7C15ull) >> (64 - std::bit_width(kSlots - 1)));
    while (slot_id_[h] != kFull && slot_key_[h] != k) h = (h + 1) & (kSlots - 1);
    return h;
  }
  std::vector<std::uint64_t> slot_key_;
  std::vector<std::uint32_t> slot_id_;
  std::vector<std::uint64_t> keys_;  // by id
};

/// The bookkeeping of a stable counting sort of the rows i < n by key(i), when the keys
/// take at most DistinctKeys::kMaxDistinct values: `table` receives the distinct keys,
/// `by_key` their ids in ascending key order, and `next[id]` the first output position of
/// key id (the caller places the rows in row order, advancing next[table.id(key(i))]).
/// Returns false as soon as a key beyond kMaxDistinct appears, which for continuous keys
/// happens within the first few thousand.
template <class Key>
bool counting_sort_plan(std::size_t n, Key&& key, DistinctKeys& table, std::vector<std::uint32_t>& next,
                        std::vector<std::uint32_t>& by_key) {
  next.clear();  // counts by id, then the output positions
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t id = table.add(key(i));
    if (id == DistinctKeys::kFull) return false;
    if (id == next.size()) next.push_back(0);
    ++next[id];
  }
  by_key = table.ids_by_key();
  std::uint32_t sum = 0;
  for (const std::uint32_t d : by_key) sum += std::exchange(next[d], sum);
  return true;
}

/// The stable ascending order of `keys` when they take at most DistinctKeys::kMaxDistinct
/// distinct values: a counting sort over the ranks of the distinct keys (counting_sort_plan).
/// One hashing pass and one scatter pass, instead of up to six radix passes.  Returns
/// false (order untouched) otherwise.
inline bool few_distinct_order(const std::vector<std::uint64_t>& keys, std::vector<std::uint32_t>& order) {
  const std::size_t n = keys.size();
  DistinctKeys table;
  std::vector<std::uint32_t> next, by_key;
  if (!counting_sort_plan(n, [&](std::size_t i) { return keys[i]; }, table, next, by_key)) return false;
  order.resize(n);
  for (std::size_t i = 0; i < n; ++i) order[next[table.id(keys[i])]++] = static_cast<std::uint32_t>(i);
  return true;
}

/// Working memory of radix_order, kept by a caller that sorts again and again (the
/// balance table sorts every covariate): at 1e6 keys its ~30 MB of fresh buffers per sort
/// cost more in page faults than the sort itself.
struct RadixScratch {
  /// The records the passes move: a key's upper 32 bits in the upper half, its index in
  /// the lower.  Once the passes are done, `next` becomes the whole keys in order (the
  /// same 8 bytes a row), so a sort holds three n-long 8-byte arrays, not four.
  std::vector<std::uint64_t> cur, next;
  std::vector<std::pair<std::uint64_t, std::uint32_t>> run;
  /// false: the records are freed as soon as they are done with (a single sort's lower
  /// peak memory), not kept for a next call.
  bool keep = true;
};

/// The stable ascending order of `keys` (length n < 2^32) into `order`: order[k] is the
/// index of the k-th smallest key; equal keys keep their index order (as R's order()).
/// Few distinct keys: a counting sort (few_distinct_order).  Otherwise 11-bit digits of
/// the upper 32 bits, three passes at most (a digit that is the same for every key is
/// skipped), then a stable sort of the short runs that share those bits.
/// When `sorted` is non-null it receives the keys in that order (sorted->at(k) ==
/// keys[order[k]]), read from the sort's own records rather than gathered afterwards;
/// `sorted` may be &keys (sorts the keys in place, no second array).  `order` and
/// `*sorted` keep their capacity, and `scratch` holds the rest, for the next call.
inline void radix_order(const std::vector<std::uint64_t>& keys, std::vector<std::uint32_t>& order,
                        std::vector<std::uint64_t>* sorted, RadixScratch& scratch) {
  if (few_distinct_order(keys, order)) {
    if (sorted != nullptr) {
      std::vector<std::uint64_t>& out = scratch.next;
      out.resize(keys.size());
      for (std::size_t k = 0; k < order.size(); ++k) {
        prefetch_gather(keys.data(), order.data(), k, order.size());
        out[k] = keys[order[k]];
      }
      sorted->swap(out);
      if (!scratch.keep) std::vector<std::uint64_t>().swap(out);
    }
    return;
  }
  // Many distinct keys (e.g. a continuous linear predictor): LSD radix passes over the
  // upper 32 bits only (sign, exponent and 20 mantissa bits of a double), on 8-byte
  // (bits, index) records, then the few rows that share those bits are put in order by
  // their whole key.  Three passes over 8-byte records instead of six over 16-byte ones.
  constexpr int kBits = 11, kPasses = 3;
  constexpr std::size_t kBuckets = std::size_t{1} << kBits;
  const std::size_t n = keys.size();
  std::vector<std::array<std::uint32_t, kBuckets>> count(kPasses);
  for (auto& c : count) c.fill(0);
  for (std::uint64_t k : keys)
    for (int d = 0; d < kPasses; ++d) ++count[d][((k >> 32) >> (d * kBits)) & (kBuckets - 1)];

  // (upper bits, index) records move together, so that every pass reads in sequence.
  std::vector<std::uint64_t>& cur = scratch.cur;
  std::vector<std::uint64_t>& next = scratch.next;
  cur.resize(n);
  for (std::size_t i = 0; i < n; ++i) cur[i] = (keys[i] & 0xFFFFFFFF00000000u) | i;
  for (int d = 0; d < kPasses; ++d) {
    auto& c = count[d];
    if (n == 0 || c[((keys[0] >> 32) >> (d * kBits)) & (kBuckets - 1)] == n) continue;  // one bucket
    std::uint32_t sum = 0;
    for (auto& x : c) {
      const std::uint32_t here = x;
      x = sum;
      sum += here;
    }
    next.resize(n);
    for (const std::uint64_t r : cur) next[c[((r >> 32) >> (d * kBits)) & (kBuckets - 1)]++] = r;
    cur.swap(next);
  }
  order.resize(n);
  std::vector<std::uint64_t>& full = next;  // the whole keys in the order so far
  full.resize(n);
  for (std::size_t k = 0; k < n; ++k) {
    if (k + kPrefetchAhead < n) prefetch_line(keys.data() + static_cast<std::uint32_t>(cur[k + kPrefetchAhead]));
    order[k] = static_cast<std::uint32_t>(cur[k]);
    full[k] = keys[order[k]];
  }
  if (!scratch.keep) std::vector<std::uint64_t>().swap(cur);
  // Runs sharing the upper bits, already in index order (the passes are stable): a
  // stable sort by the whole key finishes each.  Insertion sort for short runs (the
  // usual case: runs of 1 or 2); a run of many near-equal keys takes stable_sort, so the
  // whole stays O(n log n) at worst.
  auto& run = scratch.run;
  for (std::size_t k0 = 0; k0 < n;) {
    std::size_t k1 = k0 + 1;
    while (k1 < n && (full[k1] >> 32) == (full[k0] >> 32)) ++k1;
    if (k1 - k0 <= 32) {
      for (std::size_t k = k0 + 1; k < k1; ++k) {
        const std::uint64_t key = full[k];
        const std::uint32_t index = order[k];
        std::size_t j = k;
        for (; j > k0 && full[j - 1] > key; --j) {
          full[j] = full[j - 1];
          order[j] = order[j - 1];
        }
        full[j] = key;
        order[j] = index;
      }
    } else {
      run.clear();
      for (std::size_t k = k0; k < k1; ++k) run.emplace_back(full[k], order[k]);
      std::stable_sort(run.begin(), run.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
      for (std::size_t k = k0; k < k1; ++k) std::tie(full[k], order[k]) = run[k - k0];
    }
    k0 = k1;
  }
  if (sorted != nullptr) sorted->swap(full);
  if (!scratch.keep) std::vector<std::uint64_t>().swap(full);
}

/// As above, for a single sort: the order is returned, the working memory freed.
inline std::vector<std::uint32_t> radix_order(const std::vector<std::uint64_t>& keys,
                                              std::vector<std::uint64_t>* sorted = nullptr) {
  RadixScratch scratch;
  scratch.keep = false;
  std::vector<std::uint32_t> order;
  radix_order(keys, order, sorted, scratch);
  return order;
}

}  // namespace survkit::stats
