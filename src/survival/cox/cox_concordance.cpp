#include "survival/cox/cox_concordance.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <unordered_map>

namespace survkit::cox {
namespace {

// Weighted counts by rank: a Fenwick tree for prefix sums plus the per-rank totals, so
// that the weight below, equal to and above a rank are each O(log m).
class RankWeights {
 public:
  explicit RankWeights(std::size_t m) : tree_(m + 1, 0.0), node_(m, 0.0) {}
  void add(std::size_t rank, double w) {
    node_[rank] += w;
    total_ += w;
    for (std::size_t i = rank + 1; i < tree_.size(); i += i & (~i + 1)) tree_[i] += w;
  }
  // {greater, less, equal} than rank: the order of R's walkup() sums.
  void split(std::size_t rank, double out[3]) const {
    double below = 0;
    for (std::size_t i = rank; i > 0; i -= i & (~i + 1)) below += tree_[i];
    out[2] = node_[rank];
    out[1] = below;
    out[0] = total_ - below - node_[rank];
  }

 private:
  std::vector<double> tree_;
  std::vector<double> node_;
  double total_ = 0;
};

}  // namespace

ConcordanceStats cox_concordance(const SurvData& surv, const std::vector<double>& lp,
                                 const std::vector<std::int32_t>& strata,
                                 const std::vector<std::int32_t>& cluster) {
  // Contract: rows in any order.  Sorted once by stratum, then DEcreasing time, censored
  // before events at equal times (concordance3.c's sort.stop), so that when an event is
  // reached the "tree" holds exactly the rows that outlived it.
  const std::size_t n = surv.size();
  struct Key {
    std::int32_t stratum;
    double time;
    std::uint8_t status;
    std::size_t row;
  };
  std::vector<Key> keys(n);
  for (std::size_t i = 0; i < n; ++i)
    keys[i] = {strata.empty() ? 0 : strata[i], surv.time[i], surv.status[i], i};
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    if (a.stratum != b.stratum) return a.stratum < b.stratum;
    if (a.time != b.time) return a.time > b.time;
    if (a.status != b.status) return a.status < b.status;
    return a.row < b.row;
  });
  std::vector<std::size_t> ord(n);
  for (std::size_t k = 0; k < n; ++k) ord[k] = keys[k].row;

  // influence[k][i], k = concordant, discordant, tied.x (before `reverse`): the pairs
  // that row i takes part in, as concordance3.c's imat.
  std::vector<double> infl[3] = {std::vector<double>(n, 0.0), std::vector<double>(n, 0.0),
                                 std::vector<double>(n, 0.0)};
  double count[3] = {0, 0, 0};
  double wsum[3];

  for (std::size_t s0 = 0; s0 < n;) {
    std::size_t s1 = s0 + 1;
    while (s1 < n && (strata.empty() || strata[ord[s1]] == strata[ord[s0]])) ++s1;

    // Ranks of lp within the stratum (exact equality = tie, as R's match(unique())).
    std::vector<double> values(s1 - s0);
    for (std::size_t k = s0; k < s1; ++k) values[k - s0] = lp[ord[k]];
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    std::vector<std::size_t> rank(s1 - s0);
    for (std::size_t k = s0; k < s1; ++k)
      rank[k - s0] = static_cast<std::size_t>(
          std::lower_bound(values.begin(), values.end(), lp[ord[k]]) - values.begin());

    RankWeights all(values.size());     // every row already passed (outlived the current)
    RankWeights deaths(values.size());  // the events already passed
    for (std::size_t k = s0; k < s1;) {
      const std::size_t i = ord[k];
      const double wi = surv.w(i);
      if (!surv.status[i]) {
        // Influence of later events on this row is added at the end; the events
        // already in `deaths` are not comparable with it, so subtract them now.
        deaths.split(rank[k - s0], wsum);
        infl[0][i] -= wsum[1];
        infl[1][i] -= wsum[0];
        infl[2][i] -= wsum[2];
        all.add(rank[k - s0], wi);
        ++k;
        continue;
      }
      std::size_t k1 = k;  // the tied events at this time: [k, k1)
      while (k1 < s1 && surv.time[ord[k1]] == surv.time[i]) ++k1;
      for (std::size_t j = k; j < k1; ++j) {  // pass 1: compare with those who outlived
        const std::size_t jj = ord[j];
        all.split(rank[j - s0], wsum);
        for (int c = 0; c < 3; ++c) {
          count[c] += surv.w(jj) * wsum[c];
          infl[c][jj] += wsum[c];
        }
        deaths.add(rank[j - s0], surv.w(jj));
      }
      for (std::size_t j = k; j < k1; ++j) {  // pass 2: enter the risk set
        const std::size_t jj = ord[j];
        deaths.split(rank[j - s0], wsum);
        infl[0][jj] -= wsum[1];
        infl[1][jj] -= wsum[0];
        infl[2][jj] -= wsum[2];
        all.add(rank[j - s0], surv.w(jj));
      }
      k = k1;
    }
    // Every later event with a smaller time (hence comparable) now sits in `deaths`.
    for (std::size_t k = s0; k < s1; ++k) {
      const std::size_t i = ord[k];
      deaths.split(rank[k - s0], wsum);
      infl[0][i] += wsum[1];
      infl[1][i] += wsum[0];
      infl[2][i] += wsum[2];
    }
    s0 = s1;
  }

  const double npair = count[0] + count[1] + count[2];
  const double somer = (count[0] - count[1]) / npair;
  // Infinitesimal-jackknife influence of each row on Somers' d, summed within clusters.
  std::vector<double> dfbeta(n);
  for (std::size_t i = 0; i < n; ++i)
    dfbeta[i] = surv.w(i) * ((infl[0][i] - infl[1][i]) / npair -
                             (somer / npair) * (infl[0][i] + infl[1][i] + infl[2][i]));
  double var_somer = 0;
  if (cluster.empty()) {
    for (double d : dfbeta) var_somer += d * d;
  } else {
    std::unordered_map<std::int32_t, double> sums;
    for (std::size_t i = 0; i < n; ++i) sums[cluster[i]] += dfbeta[i];
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

}  // namespace survkit::cox
