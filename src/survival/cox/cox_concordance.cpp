#include "survival/cox/cox_concordance.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <type_traits>
#include <unordered_map>

#include "stats/parallel.hpp"
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
// Count is double in general.  When every weight is a whole number and they sum below
// 2^32 (above all: no weights), it is std::uint32_t: the same sums, exact either way (a
// double holds every whole number below 2^53, so each value handed out is the same
// double), in half the memory, so that a block scan reads half the cache lines.
template <class Count>
class RankWeights {
 public:
  static constexpr std::size_t kSets = 2;
  explicit RankWeights(std::size_t m) : node_(kSets * (m + kBlock), Count{0}), tree_(kSets * (m / kBlock + 2), Count{0}) {}
  void add(std::size_t set, std::size_t rank, Count w) {
    node_[kSets * rank + set] += w;
    total_[set] += w;
    const std::size_t blocks = tree_.size() / kSets;
    for (std::size_t i = rank / kBlock + 1; i < blocks; i += i & (~i + 1)) tree_[kSets * i + set] += w;
  }
  double at(std::size_t set, std::size_t rank) const { return static_cast<double>(node_[kSets * rank + set]); }
  double total(std::size_t set) const { return static_cast<double>(total_[set]); }
  /// Once set `set` no longer changes: overwrites set `into` (which is then lost) with
  /// the weight of `set` at the ranks below each rank, at(into, r), so that a final
  /// lookup finds below and equal on the same cache line, with no new array.
  void fold_prefix(std::size_t set, std::size_t into) {
    Count sum = 0;
    for (std::size_t r = 0; r < node_.size() / kSets; ++r) {
      const Count here = node_[kSets * r + set];
      node_[kSets * r + into] = sum;
      sum += here;
    }
  }
  Count count_at(std::size_t set, std::size_t rank) const { return node_[kSets * rank + set]; }
  Count total_count(std::size_t set) const { return total_[set]; }
  /// Adds fixed per-rank weights to set `set` for fold_prefix and at() only (the block
  /// tree is not updated: no split() may follow).
  void absorb(std::size_t set, const std::vector<Count>& at, Count total) {
    for (std::size_t r = 0; r < at.size(); ++r) node_[kSets * r + set] += at[r];
    total_[set] += total;
  }
  // {greater, less, equal} than rank in set `set`: the order of R's walkup() sums.
  void split(std::size_t set, std::size_t rank, double out[3]) const {
    Count below, equal;
    split_counts(set, rank, below, equal);
    out[2] = static_cast<double>(equal);
    out[1] = static_cast<double>(below);
    out[0] = static_cast<double>(total_[set] - below - equal);
  }
  // The weight below and at rank in set `set`.
  void split_counts(std::size_t set, std::size_t rank, Count& below_out, Count& equal_out) const {
    const std::size_t block = rank / kBlock;
    Count below = 0;
    for (std::size_t i = block; i > 0; i -= i & (~i + 1)) below += tree_[kSets * i + set];
    // Four partial sums: the scan is not one long dependency chain.
    Count part[4] = {0, 0, 0, 0};
    const Count* first = node_.data() + kSets * block * kBlock + set;
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
  std::vector<Count> node_;
  std::vector<Count> tree_;  // 1-based Fenwick trees over block totals, interleaved
  Count total_[kSets] = {0, 0};
};

constexpr std::size_t kAll = 0, kDeaths = 1;  // the two sets of RankWeights

// The rows of an earlier stretch of the walk as fixed weights by rank (prefix sums): what
// they add to every lookup of a later stretch that is swept on its own (see sweep).
template <class Count>
struct Earlier {
  std::vector<Count> below[2], at[2];  // by set: weight at ranks < r, and at r
  Count total[2] = {0, 0};
};

// What one sweep reads: the stratum's rows in walk order and their ranks.
struct WalkView {
  const std::vector<double>& time;
  const std::vector<std::uint8_t>& status;
  const std::vector<std::uint32_t>& walk;
  const std::vector<std::uint32_t>& rank;  // by position in the stratum
  std::size_t s0;                          // first row of the stratum
};

// concordance3.c's walk over walk[q_begin, q_end): every row is compared with the rows
// passed before it -- those in `passed`, plus `earlier` when the stretch is swept on its
// own after an earlier one (then the sums are exact integers, so the split changes no
// value).  Adds the pair counts to count[] and each row's own counts to infl.
template <class Count, class Weight>
void sweep(const WalkView& v, std::size_t q_begin, std::size_t q_end, RankWeights<Count>& passed,
           const Earlier<Count>* earlier, Weight w, double count[3], std::vector<double>& infl) {
  auto wc = [&](std::size_t k) { return static_cast<Count>(w(k)); };
  double wsum[3];
  auto lookup = [&](std::size_t set, std::size_t r) {
    if (earlier == nullptr) {
      passed.split(set, r, wsum);
      return;
    }
    Count below, equal;
    passed.split_counts(set, r, below, equal);
    below += earlier->below[set][r];
    equal += earlier->at[set][r];
    const Count total = passed.total_count(set) + earlier->total[set];
    wsum[2] = static_cast<double>(equal);
    wsum[1] = static_cast<double>(below);
    wsum[0] = static_cast<double>(total - below - equal);
  };
  for (std::size_t q = q_begin; q < q_end;) {
    const std::size_t i = v.walk[q];
    if (!v.status[i]) {
      // Influence of later events on this row is added at the end; the events
      // already in `deaths` are not comparable with it, so subtract them now.
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

// The fixed weights by rank of the rows walk[0, cut), for the second stretch's sweep.
template <class Count, class Weight>
Earlier<Count> earlier_rows(const WalkView& v, std::size_t cut, std::size_t ranks, Weight w) {
  Earlier<Count> e;
  for (std::size_t t = 0; t < 2; ++t) e.at[t].assign(ranks, Count{0});
  for (std::size_t q = 0; q < cut; ++q) {
    const std::size_t i = v.walk[q];
    const auto wi = static_cast<Count>(w(i));
    e.at[kAll][v.rank[i - v.s0]] += wi;
    if (v.status[i]) e.at[kDeaths][v.rank[i - v.s0]] += wi;
  }
  for (std::size_t t = 0; t < 2; ++t) {
    e.below[t].resize(ranks);
    Count sum = 0;
    for (std::size_t r = 0; r < ranks; ++r) {
      e.below[t][r] = sum;
      sum += e.at[t][r];
    }
    e.total[t] = sum;
  }
  return e;
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
    RankWeights<Count> passed(distinct + 1);
    const std::size_t cut = walk_cut<Count>(view, m, total_weight);
    if (cut == 0) {
      sweep(view, 0, m, passed, static_cast<const Earlier<Count>*>(nullptr), w, count, infl);
    } else {
      RankWeights<Count> first_passed(distinct + 1);
      double first_count[3] = {0, 0, 0}, second_count[3] = {0, 0, 0};
      Earlier<Count> earlier;
      parallel::both(
          [&] { sweep(view, 0, cut, first_passed, static_cast<const Earlier<Count>*>(nullptr), w, first_count, infl); },
          [&] {
            earlier = earlier_rows<Count>(view, cut, distinct + 1, w);
            sweep(view, cut, m, passed, &earlier, w, second_count, infl);
          });
      for (int c = 0; c < 3; ++c) count[c] += first_count[c] + second_count[c];
      // The final lookups need every event: the first stretch's join the second's.
      passed.absorb(kDeaths, earlier.at[kDeaths], earlier.total[kDeaths]);
    }
    // Every later event with a smaller time (hence comparable) now sits in kDeaths, which
    // no longer changes: one prefix sum over the ranks answers every row in O(1).
    passed.fold_prefix(kDeaths, kAll);
    for (std::size_t k = s0; k < s1; ++k) {
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
