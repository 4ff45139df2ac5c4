#include "survival/cox/cox_concordance.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <unordered_map>

#include "stats/parallel.hpp"
#include "stats/prefetch.hpp"
#include "stats/radix_order.hpp"

namespace survkit::cox {
namespace {

// Two sets of weighted counts by rank (T = 2: every row passed, and the events passed),
// each split into the weight below, equal to and above a rank.  Two levels instead of
// one Fenwick tree over all m ranks (whose lower levels miss the cache on every step at
// m ~ 1e6): the per-rank weights, plus a Fenwick tree over blocks of kBlock ranks, small
// enough to stay in cache.  The weight below a rank is the tree's prefix over whole
// blocks plus a short contiguous scan inside its own block.  The two sets are stored
// interleaved (rank r of set t at [kSets * r + t]): an event is looked up in one set and
// entered in the other at the same rank, so the second access finds the lines in cache.
//
// For fractional weights (sums of doubles, in the order kept since the first version);
// whole-number counts use CountTree below.
class RankWeights {
 public:
  using Count = double;
  static constexpr std::size_t kSets = 2;
  explicit RankWeights(std::size_t m) : node_(kSets * (m + kBlock), 0.0), tree_(kSets * (m / kBlock + 2), 0.0) {}
  void add(std::size_t set, std::size_t rank, double w) {
    node_[kSets * rank + set] += w;
    total_[set] += w;
    const std::size_t blocks = tree_.size() / kSets;
    for (std::size_t i = rank / kBlock + 1; i < blocks; i += i & (~i + 1)) tree_[kSets * i + set] += w;
  }
  double at(std::size_t set, std::size_t rank) const { return node_[kSets * rank + set]; }
  void prefetch(std::size_t rank) const { stats::prefetch_line(node_.data() + kSets * rank); }
  double total(std::size_t set) const { return total_[set]; }
  /// Once set `set` no longer changes: overwrites set `into` (which is then lost) with
  /// the weight of `set` at the ranks below each rank, at(into, r), so that a final
  /// lookup finds below and equal on the same cache line, with no new array.
  void fold_prefix(std::size_t set, std::size_t into) {
    double sum = 0;
    for (std::size_t r = 0; r < node_.size() / kSets; ++r) {
      const double here = node_[kSets * r + set];
      node_[kSets * r + into] = sum;
      sum += here;
    }
  }
  double total_count(std::size_t set) const { return total_[set]; }
  // The weight below and at rank in set `set`.
  void split_counts(std::size_t set, std::size_t rank, double& below_out, double& equal_out) const {
    const std::size_t block = rank / kBlock;
    double below = 0;
    for (std::size_t i = block; i > 0; i -= i & (~i + 1)) below += tree_[kSets * i + set];
    // Four partial sums: the scan is not one long dependency chain.
    double part[4] = {0, 0, 0, 0};
    const double* first = node_.data() + kSets * block * kBlock + set;
    const std::size_t len = rank - block * kBlock;
    std::size_t k = 0;
    for (; k + 4 <= len; k += 4)
      for (std::size_t q = 0; q < 4; ++q) part[q] += first[kSets * (k + q)];
    for (; k < len; ++k) part[0] += first[kSets * k];
    below += (part[0] + part[1]) + (part[2] + part[3]);
    below_out = below;
    equal_out = node_[kSets * rank + set];
  }

 private:
  static constexpr std::size_t kBlock = 32;
  std::vector<double> node_;
  std::vector<double> tree_;  // 1-based Fenwick trees over block totals, interleaved
  double total_[kSets] = {0, 0};
};

// RankWeights' interface for whole-number counts (32-bit, exact), as a tree of
// fan-out 16: level 0 holds the count at each rank, level l + 1 the sums of 16 nodes of
// level l.  The 16 siblings of a set lie together on one 64-byte line, with the other
// set's siblings on the next line.  The weight below a rank is, on each level, the sum
// of the siblings left of the rank's node: one line per level, summed under a mask with
// no branch.  Adding touches one counter per level.  About six levels for 10^6 ranks,
// only the first of which misses the cache, against a Fenwick chain of ~15 dependent
// loads plus a block scan.  Unsigned sums are exact whatever their order, so every value
// handed out is the exact count, whichever structure or order sums it.
class CountTree {
 public:
  using Count = std::uint32_t;
  static constexpr std::size_t kSets = 2;
  explicit CountTree(std::size_t m) {
    std::size_t nodes = std::max<std::size_t>(m, 1);
    do {
      const std::size_t groups = (nodes + kFan - 1) / kFan;
      level_.emplace_back(groups * kSets * kFan);
      nodes = groups;
    } while (nodes > 1);
    ranks_ = m;
  }
  void add(std::size_t set, std::size_t rank, Count w) {
    total_[set] += w;
    for (auto& lv : level_) {
      lv[slot(set, rank)] += w;
      rank /= kFan;
    }
  }
  double at(std::size_t set, std::size_t rank) const { return static_cast<double>(count_at(set, rank)); }
  // The lines of both sets at this rank's level-0 group, and its level-1 group.
  void prefetch(std::size_t rank) const {
    stats::prefetch_line(level_[0].data() + slot(0, rank));
    stats::prefetch_line(level_[0].data() + slot(1, rank));
    if (level_.size() > 1) {
      stats::prefetch_line(level_[1].data() + slot(0, rank / kFan));
      stats::prefetch_line(level_[1].data() + slot(1, rank / kFan));
    }
  }
  double total(std::size_t set) const { return static_cast<double>(total_[set]); }
  Count count_at(std::size_t set, std::size_t rank) const { return level_[0][slot(set, rank)]; }
  Count total_count(std::size_t set) const { return total_[set]; }
  void fold_prefix(std::size_t set, std::size_t into) {
    Count sum = 0;
    auto& lv = level_[0];
    for (std::size_t r = 0; r < ranks_; ++r) {
      const Count here = lv[slot(set, r)];
      lv[slot(into, r)] = sum;
      sum += here;
    }
  }
  /// Level 0 only (for seed_rows): sum_levels() must follow before any split_counts().
  void add_rank(std::size_t set, std::size_t rank, Count w) {
    level_[0][slot(set, rank)] += w;
    total_[set] += w;
  }
  /// Each upper level from the one below, in one sequential pass per level.
  void sum_levels() {
    for (std::size_t l = 1; l < level_.size(); ++l) {
      const auto& below = level_[l - 1];
      auto& here = level_[l];
      std::fill(here.begin(), here.end(), Count{0});
      const std::size_t nodes = below.size() / kSets;
      for (std::size_t set = 0; set < kSets; ++set)
        for (std::size_t node = 0; node < nodes; ++node) here[slot(set, node / kFan)] += below[slot(set, node)];
    }
  }
  void split_counts(std::size_t set, std::size_t rank, Count& below_out, Count& equal_out) const {
    equal_out = count_at(set, rank);
    Count below = 0;
    for (const auto& lv : level_) {
      const Count* group = lv.data() + slot(set, rank - rank % kFan);
      const std::size_t left = rank % kFan;
      const Count* mask = kMask[left].data();
      Count part = 0;
      for (std::size_t k = 0; k < kFan; ++k) part += group[k] & mask[k];
      below += part;
      rank /= kFan;
    }
    below_out = below;
  }

 private:
  static constexpr std::size_t kFan = 16;
  // kMask[left][k]: all ones for the siblings k < left, whose counts lie below the rank.
  static constexpr auto kMask = [] {
    std::array<std::array<Count, kFan>, kFan> m{};
    for (std::size_t left = 0; left < kFan; ++left)
      for (std::size_t k = 0; k < left; ++k) m[left][k] = ~Count{0};
    return m;
  }();
  static std::size_t slot(std::size_t set, std::size_t node) {
    return (node / kFan * kSets + set) * kFan + node % kFan;
  }
  // A level's counters, starting on a 64-byte boundary so that each group of 16
  // siblings is one cache line (malloc aligns to 16 bytes only).
  class Level {
   public:
    Level(const Level&) = delete;  // first_ points into store_: moved, never copied
    Level(Level&&) noexcept = default;
    explicit Level(std::size_t n) : store_(n + kFan, Count{0}) {
      const auto address = reinterpret_cast<std::uintptr_t>(store_.data());
      first_ = store_.data() + ((kLine - address % kLine) % kLine) / sizeof(Count);
      size_ = n;
    }
    Count& operator[](std::size_t i) { return first_[i]; }
    const Count& operator[](std::size_t i) const { return first_[i]; }
    Count* data() { return first_; }
    const Count* data() const { return first_; }
    std::size_t size() const { return size_; }
    Count* begin() { return first_; }
    Count* end() { return first_ + size_; }

   private:
    static constexpr std::size_t kLine = 64;
    std::vector<Count> store_;
    Count* first_ = nullptr;
    std::size_t size_ = 0;
  };
  std::vector<Level> level_;
  std::size_t ranks_ = 0;
  Count total_[kSets] = {0, 0};
};

// The counting structure of a sweep: the tree above for whole-number counts, the
// Fenwick tree of doubles otherwise (whose sums keep their established order).
template <class Count>
using Passed = std::conditional_t<std::is_same_v<Count, std::uint32_t>, CountTree, RankWeights>;

constexpr std::size_t kAll = 0, kDeaths = 1;  // the two sets of either structure

// What one sweep reads: the stratum's rows in walk order and their ranks.
struct WalkView {
  const std::vector<double>& time;
  const std::vector<std::uint8_t>& status;
  const std::vector<std::uint32_t>& walk;
  const std::vector<std::uint32_t>& rank;  // by position in the stratum
  std::size_t s0;                          // first row of the stratum
};

// concordance3.c's walk over walk[q_begin, q_end): every row is compared with the rows
// passed before it, those in `passed`.  Adds the pair counts to count[] and each row's
// own counts to infl.
template <class Count, class Weight>
void sweep(const WalkView& v, std::size_t q_begin, std::size_t q_end, Passed<Count>& passed, Weight w,
           double count[3], std::vector<double>& infl) {
  auto wc = [&](std::size_t k) { return static_cast<Count>(w(k)); };
  double wsum[3];
  // {greater, less, equal} than rank r in set `set`: the order of R's walkup() sums.
  auto lookup = [&](std::size_t set, std::size_t r) {
    Count below, equal;
    passed.split_counts(set, r, below, equal);
    wsum[2] = static_cast<double>(equal);
    wsum[1] = static_cast<double>(below);
    wsum[0] = static_cast<double>(passed.total_count(set) - below - equal);
  };
  // The rank-indexed lines are the only random accesses (everything else is read in
  // sequence): they are requested kAhead rows early, so that their cache misses overlap.
  constexpr std::size_t kAhead = stats::kPrefetchAhead;
  auto ahead = [&](std::size_t q) {
    if (q + kAhead < q_end) passed.prefetch(v.rank[v.walk[q + kAhead] - v.s0]);
  };
  for (std::size_t q = q_begin; q < q_end;) {
    const std::size_t i = v.walk[q];
    if (!v.status[i]) {
      // Influence of later events on this row is added at the end; the events
      // already in `deaths` are not comparable with it, so subtract them now.
      ahead(q);
      lookup(kDeaths, v.rank[i - v.s0]);
      infl[3 * i + 0] -= wsum[1];
      infl[3 * i + 1] -= wsum[0];
      infl[3 * i + 2] -= wsum[2];
      passed.add(kAll, v.rank[i - v.s0], wc(i));
      ++q;
      continue;
    }
    std::size_t q1 = q;  // the tied events at this time: walk[q, q1)
    while (q1 < q_end && v.time[v.walk[q1]] == v.time[i]) ++q1;
    for (std::size_t j = q; j < q1; ++j) {  // pass 1: compare with those who outlived
      const std::size_t jj = v.walk[j];
      ahead(j);
      lookup(kAll, v.rank[jj - v.s0]);
      for (int c = 0; c < 3; ++c) {
        count[c] += w(jj) * wsum[c];
        infl[3 * jj + c] += wsum[c];
      }
      passed.add(kDeaths, v.rank[jj - v.s0], wc(jj));
    }
    for (std::size_t j = q; j < q1; ++j) {  // pass 2: enter the risk set
      const std::size_t jj = v.walk[j];
      lookup(kDeaths, v.rank[jj - v.s0]);
      infl[3 * jj + 0] -= wsum[1];
      infl[3 * jj + 1] -= wsum[0];
      infl[3 * jj + 2] -= wsum[2];
      passed.add(kAll, v.rank[jj - v.s0], wc(jj));
    }
    q = q1;
  }
}

// Where to cut a stratum's walk in two stretches swept at the same time, or 0 for one
// sweep: only with integer counts whose every sum is exact in a double (total weight
// below 2^26, so that even the pair counts stay below 2^53) -- then the two partial
// sums add up to exactly the one-sweep values -- and only on long strata, at a time
// boundary near the middle (tied times stay in one stretch).
template <class Count>
std::size_t walk_cut(const WalkView& v, std::size_t m, double total_weight) {
  constexpr std::size_t kMinRows = std::size_t{1} << 16;
  if (!std::is_same_v<Count, std::uint32_t> || m < kMinRows || !(total_weight < 67108864.0)) return 0;
  std::size_t cut = m / 2;
  while (cut < m && v.time[v.walk[cut]] == v.time[v.walk[cut - 1]]) ++cut;
  return cut < m ? cut : 0;
}

// Enters the rows walk[0, cut) into `tree` at once, as the first stretch's sweep enters
// them one by one: the second stretch, swept at the same time, starts from there.
template <class Weight>
void seed_rows(const WalkView& v, std::size_t cut, CountTree& tree, Weight w) {
  for (std::size_t q = 0; q < cut; ++q) {
    const std::size_t i = v.walk[q];
    const auto wi = static_cast<CountTree::Count>(w(i));
    tree.add_rank(kAll, v.rank[i - v.s0], wi);
    if (v.status[i]) tree.add_rank(kDeaths, v.rank[i - v.s0], wi);
  }
  tree.sum_levels();
}

// Whether every weight is a whole number (none: all 1).
bool whole_weights(const std::vector<double>& weight) {
  return std::all_of(weight.begin(), weight.end(), [](double w) { return w >= 0 && w == std::floor(w); });
}

template <class Count>
ConcordanceStats concordance_impl(const std::vector<double>& time, const std::vector<std::uint8_t>& status,
                                  const std::vector<double>& weight, const std::vector<std::uint8_t>& stratum_end,
                                  const std::vector<double>& lp, const std::vector<std::int32_t>& cluster,
                                  double total_weight) {
  const std::size_t n = time.size();
  auto w = [&](std::size_t k) { return weight.empty() ? 1.0 : weight[k]; };

  // influence (k, c), c = concordant, discordant, tied.x (before `reverse`): the pairs
  // that sorted row k takes part in, as concordance3.c's imat.
  // Stored row by row (infl[3 k + c]): a row's three counts sit together in memory.
  std::vector<double> infl(3 * n, 0.0);
  double count[3] = {0, 0, 0};
  std::vector<std::uint32_t> rank;  // of lp within the stratum, by position in the stratum
  std::vector<std::uint32_t> walk;  // positions in concordance3.c's processing order
  std::vector<std::uint64_t> keys;

  for (std::size_t s0 = 0; s0 < n;) {
    std::size_t s1 = s0;
    while (!stratum_end[s1]) ++s1;
    ++s1;  // the stratum is [s0, s1)
    const std::size_t m = s1 - s0;

    // Ranks of lp within the stratum (exact equality = tie, as R's match(unique())).
    keys.resize(m);
    for (std::size_t k = 0; k < m; ++k) keys[k] = stats::order_key(lp[s0 + k]);
    // Equal keys <=> equal doubles (order_key maps -0 and +0 together), so ties are read
    // off the sorted keys, in sequence, instead of gathering lp in sorted order.
    const std::vector<std::uint32_t> by_lp = stats::radix_order(keys, &keys);  // keys now sorted
    rank.resize(m);
    std::uint32_t distinct = 0;
    for (std::size_t r = 0; r < m; ++r) {
      if (r > 0 && keys[r] != keys[r - 1]) ++distinct;
      rank[by_lp[r]] = distinct;
    }
    // Decreasing time; at one time the censored rows, then the events, each in input
    // order (concordance3.c's sort: time descending, status ascending).
    walk.clear();
    for (std::size_t g1 = s1; g1 > s0;) {
      std::size_t g0 = g1 - 1;
      while (g0 > s0 && time[g0 - 1] == time[g1 - 1]) --g0;
      for (std::size_t k = g0; k < g1; ++k)
        if (!status[k]) walk.push_back(static_cast<std::uint32_t>(k));
      for (std::size_t k = g0; k < g1; ++k)
        if (status[k]) walk.push_back(static_cast<std::uint32_t>(k));
      g1 = g0;
    }

    // Set kAll: every row already passed (outlived the current); kDeaths: the events
    // already passed.  One sweep, or two stretches at the same time (walk_cut).
    const WalkView view{time, status, walk, rank, s0};
    Passed<Count> passed(distinct + 1);
    const std::size_t cut = walk_cut<Count>(view, m, total_weight);
    if (cut == 0) {
      sweep<Count>(view, 0, m, passed, w, count, infl);
    } else if constexpr (std::is_same_v<Count, std::uint32_t>) {
      // The second stretch starts from the first stretch's rows, entered at once; then
      // `passed` ends holding every row, as after one sweep.
      Passed<Count> first_passed(distinct + 1);
      double first_count[3] = {0, 0, 0}, second_count[3] = {0, 0, 0};
      parallel::both([&] { sweep<Count>(view, 0, cut, first_passed, w, first_count, infl); },
                     [&] {
                       seed_rows(view, cut, passed, w);
                       sweep<Count>(view, cut, m, passed, w, second_count, infl);
                     });
      for (int c = 0; c < 3; ++c) count[c] += first_count[c] + second_count[c];
    }
    // Every later event with a smaller time (hence comparable) now sits in kDeaths, which
    // no longer changes: one prefix sum over the ranks answers every row in O(1).
    passed.fold_prefix(kDeaths, kAll);
    for (std::size_t k = s0; k < s1; ++k) {
      if (k + stats::kPrefetchAhead < s1) passed.prefetch(rank[k + stats::kPrefetchAhead - s0]);
      const std::size_t r = rank[k - s0];
      const double below = passed.at(kAll, r), equal = passed.at(kDeaths, r);
      infl[3 * k + 0] += below;
      infl[3 * k + 1] += passed.total(kDeaths) - below - equal;
      infl[3 * k + 2] += equal;
    }
    s0 = s1;
  }

  const double npair = count[0] + count[1] + count[2];
  const double somer = (count[0] - count[1]) / npair;
  // Infinitesimal-jackknife influence of each row on Somers' d, summed within clusters.
  auto dfbeta = [&](std::size_t i) {
    const double* c = &infl[3 * i];
    return w(i) * ((c[0] - c[1]) / npair - (somer / npair) * (c[0] + c[1] + c[2]));
  };
  double var_somer = 0;
  if (cluster.empty()) {
    for (std::size_t i = 0; i < n; ++i) {
      const double d = dfbeta(i);
      var_somer += d * d;
    }
  } else {
    std::unordered_map<std::int32_t, double> sums;
    for (std::size_t i = 0; i < n; ++i) sums[cluster[i]] += dfbeta(i);
    for (const auto& [id, d] : sums) var_somer += d * d;
  }

  ConcordanceStats out;
  // reverse = TRUE: a higher linear predictor should mean a SHORTER time.
  out.concordant = count[1];
  out.discordant = count[0];
  out.tied_x = count[2];
  out.concordance = 1 - (somer + 1) / 2;
  out.se = std::sqrt(var_somer / 4);
  return out;
}

}  // namespace

ConcordanceStats cox_concordance(const std::vector<double>& time, const std::vector<std::uint8_t>& status,
                                 const std::vector<double>& weight,
                                 const std::vector<std::uint8_t>& stratum_end, const std::vector<double>& lp,
                                 const std::vector<std::int32_t>& cluster) {
  // The total weight decides the counting type (below 2^32 for 32-bit counts) and whether
  // a stratum's walk may be cut (walk_cut).
  double total_weight = 0;
  for (std::size_t k = 0; k < time.size(); ++k) total_weight += weight.empty() ? 1.0 : weight[k];
  if (whole_weights(weight) && total_weight < 4294967296.0)
    return concordance_impl<std::uint32_t>(time, status, weight, stratum_end, lp, cluster, total_weight);
  return concordance_impl<double>(time, status, weight, stratum_end, lp, cluster, total_weight);
}

}  // namespace survkit::cox
