#include "survival/cox/cox_concordance.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <unordered_map>

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
  // {greater, less, equal} than rank in set `set`: the order of R's walkup() sums.
  void split(std::size_t set, std::size_t rank, double out[3]) const {
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
    const Count equal = node_[kSets * rank + set];
    out[2] = static_cast<double>(equal);
    out[1] = static_cast<double>(below);
    out[0] = static_cast<double>(total_[set] - below - equal);
  }

 private:
  static constexpr std::size_t kBlock = 32;
  std::vector<Count> node_;
  std::vector<Count> tree_;  // 1-based Fenwick trees over block totals, interleaved
  Count total_[kSets] = {0, 0};
};

// Whether every weight is a whole number, with a total below 2^32 (see RankWeights).
bool whole_weights(const std::vector<double>& weight, std::size_t n) {
  if (weight.empty()) return n < (std::size_t{1} << 32);
  double total = 0;
  for (double w : weight) {
    if (!(w >= 0 && w == std::floor(w))) return false;
    total += w;
  }
  return total < 4294967296.0;
}

template <class Count>
ConcordanceStats concordance_impl(const std::vector<double>& time, const std::vector<std::uint8_t>& status,
                                  const std::vector<double>& weight, const std::vector<std::uint8_t>& stratum_end,
                                  const std::vector<double>& lp, const std::vector<std::int32_t>& cluster) {
  const std::size_t n = time.size();
  auto w = [&](std::size_t k) { return weight.empty() ? 1.0 : weight[k]; };
  auto wc = [&](std::size_t k) { return static_cast<Count>(w(k)); };

  // influence (k, c), c = concordant, discordant, tied.x (before `reverse`): the pairs
  // that sorted row k takes part in, as concordance3.c's imat.
  // Stored row by row (infl[3 k + c]): a row's three counts sit together in memory.
  std::vector<double> infl(3 * n, 0.0);
  double count[3] = {0, 0, 0};
  double wsum[3];
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
    // already passed.
    constexpr std::size_t kAll = 0, kDeaths = 1;
    RankWeights<Count> passed(distinct + 1);
    for (std::size_t q = 0; q < m;) {
      const std::size_t i = walk[q];
      if (!status[i]) {
        // Influence of later events on this row is added at the end; the events
        // already in `deaths` are not comparable with it, so subtract them now.
        passed.split(kDeaths, rank[i - s0], wsum);
        infl[3 * i + 0] -= wsum[1];
        infl[3 * i + 1] -= wsum[0];
        infl[3 * i + 2] -= wsum[2];
        passed.add(kAll, rank[i - s0], wc(i));
        ++q;
        continue;
      }
      std::size_t q1 = q;  // the tied events at this time: walk[q, q1)
      while (q1 < m && time[walk[q1]] == time[i]) ++q1;
      for (std::size_t j = q; j < q1; ++j) {  // pass 1: compare with those who outlived
        const std::size_t jj = walk[j];
        passed.split(kAll, rank[jj - s0], wsum);
        for (int c = 0; c < 3; ++c) {
          count[c] += w(jj) * wsum[c];
          infl[3 * jj + c] += wsum[c];
        }
        passed.add(kDeaths, rank[jj - s0], wc(jj));
      }
      for (std::size_t j = q; j < q1; ++j) {  // pass 2: enter the risk set
        const std::size_t jj = walk[j];
        passed.split(kDeaths, rank[jj - s0], wsum);
        infl[3 * jj + 0] -= wsum[1];
        infl[3 * jj + 1] -= wsum[0];
        infl[3 * jj + 2] -= wsum[2];
        passed.add(kAll, rank[jj - s0], wc(jj));
      }
      q = q1;
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
  if (whole_weights(weight, time.size()))
    return concordance_impl<std::uint32_t>(time, status, weight, stratum_end, lp, cluster);
  return concordance_impl<double>(time, status, weight, stratum_end, lp, cluster);
}

}  // namespace survkit::cox
