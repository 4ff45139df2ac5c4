// fit_balance(): MatchIt 4.5.1's summary.matchit() -> bal1var() for each covariate
// column, with its helpers wm(), wvar(), pooled_sd(), qqsum() and pair.dist().
// Sums are accumulated in long double, as R's sum(), mean() and cumsum() do, so that
// results agree with R to the last few bits.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <span>
#include <tuple>
#include <utility>

#include "stats/radix_order.hpp"
#include "stats/prefetch.hpp"
#include "stats/parallel.hpp"
#include "stats/distributions.hpp"
#include "survkit/balance.hpp"
#include "survkit/match.hpp"

namespace survkit {

namespace {

using LD = long double;
const double kSqrtEps = std::sqrt(std::numeric_limits<double>::epsilon());

// R's mean(): long double sum / n, then one correction pass.
double r_mean(std::span<const double> x) {
  const auto n = static_cast<LD>(x.size());
  LD s = 0;
  for (double v : x) s += v;
  s /= n;
  if (std::isfinite(static_cast<double>(s))) {
    LD t = 0;
    for (double v : x) t += v - s;
    s += t / n;
  }
  return static_cast<double>(s);
}

// Values and weights of one treatment group; `w` empty = every weight 1 (the unmatched
// data), without an n-long vector of ones.
struct Group {
  std::vector<double> x, w;
  double weight(std::size_t i) const { return w.empty() ? 1.0 : w[i]; }
  std::size_t nonzero_weights() const {
    if (w.empty()) return x.size();
    return static_cast<std::size_t>(std::count_if(w.begin(), w.end(), [](double a) { return a != 0; }));
  }
};

// MatchIt's wm(): sum(x * w) / sum(w).
double wm(const Group& g) {
  LD sxw = 0, sw = 0;
  for (std::size_t i = 0; i < g.x.size(); ++i) {
    sxw += g.x[i] * g.weight(i);
    sw += g.weight(i);
  }
  return static_cast<double>(sxw) / static_cast<double>(sw);
}

// MatchIt's wvar(): weights normalised to sum 1; p(1-p) for a 0/1 variable, else the
// weighted variance with the "reliability weights" correction 1 / (1 - sum w^2).
// `unit`: every weight 1 (g.w is then not read).  The normalised weight w / sum(w) is
// recomputed where it is used (the same division each time) instead of stored.
double wvar(const Group& g, bool binary, bool unit) {
  const auto w_in = [&](std::size_t i) { return unit ? 1.0 : g.weight(i); };
  const std::size_t n = g.x.size();
  const std::span<const double> x = g.x;
  LD sw_ld = 0;
  for (std::size_t i = 0; i < n; ++i) sw_ld += w_in(i);
  const auto sw = static_cast<double>(sw_ld);
  LD mx = 0;
  for (std::size_t i = 0; i < n; ++i) mx += (w_in(i) / sw) * x[i];
  const auto m = static_cast<double>(mx);
  if (binary) return m * (1 - m);
  LD ss = 0, sw2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double wi = w_in(i) / sw;
    ss += wi * ((x[i] - m) * (x[i] - m));
    sw2 += wi * wi;
  }
  return static_cast<double>(ss) / (1 - static_cast<double>(sw2));
}

// MatchIt's pooled_sd(contribution = "proportional") with unit weights: the fallback
// SMD denominator when the treated SD is 0 or not finite.
double pooled_sd(std::span<const double> x, std::span<const std::uint8_t> t, bool binary) {
  const std::size_t n = x.size();
  if (binary) {
    LD v = 0;
    for (int g = 0; g <= 1; ++g) {
      LD sx = 0, ng = 0;
      for (std::size_t i = 0; i < n; ++i)
        if (t[i] == g) {
          sx += x[i];
          ng += 1;
        }
      v += sx * (1 - sx / ng) / static_cast<LD>(n);
    }
    return std::sqrt(static_cast<double>(v));
  }
  double mean[2];
  for (int g = 0; g <= 1; ++g) {
    std::vector<double> xg;
    for (std::size_t i = 0; i < n; ++i)
      if (t[i] == g) xg.push_back(x[i]);
    mean[g] = r_mean(xg);
  }
  const double w = 1.0 / static_cast<double>(n);
  LD ss = 0, sw2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double c = x[i] - mean[t[i]];
    ss += w * (c * c);
    sw2 += w * w;
  }
  return std::sqrt(static_cast<double>(ss) / (1 - static_cast<double>(sw2)));
}

// MatchIt's qqsum(standardize = TRUE) for a non-binary variable: weights normalised
// within each group, units in increasing x (stable), |cumulative weight difference|
// taken at the last unit of each run of equal x; returns {mean, max}.
// A variable in increasing x, ties in data order (R's order(x), stable), with its
// treatment gathered in the same order so that the scan below reads memory in sequence.
struct SortedVar {
  std::vector<std::uint64_t> keys;  // stats::order_key of x, in increasing order
  std::vector<std::uint32_t> ord;   // the order
  stats::RadixScratch scratch;
  std::vector<std::uint8_t> t;
  /// The matched weights in x order, gathered on first use by ecdf_stats (a variable
  /// is only ever summarised with one set of weights besides the unit ones).
  std::vector<double> w;
  bool ready = false;  // holds the current variable (the vectors are reused across rows)
};

// Working memory of one thread of fit_balance, reused from one row to the next: fresh
// n-long vectors for every row were faulted in (and cleared by the kernel) each time.
struct Scratch {
  Group g[2];
  SortedVar sorted;
  std::vector<double> dummy;
};

// Stable order of x (radix sort, O(n)): the same permutation as sorting (x, index)
// pairs.  On 1e6 units the comparison sort was the largest cost of the balance table.
// Computed once per variable, shared by the "all" and "matched" sections.
// The sort's buffers are the thread's own and are reused from one variable to the next.
// The sorted keys stand for the values: equal keys are equal values (-0.0 and +0.0
// share one), which is all the eCDF needs of them.
void sort_var(std::span<const double> x, std::span<const std::uint8_t> t, SortedVar& s) {
  s.keys.resize(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) s.keys[i] = stats::order_key(x[i]);
  stats::radix_order(s.keys, s.ord, &s.keys, s.scratch);  // keys now sorted in place
  const std::vector<std::uint32_t>& ord = s.ord;
  s.t.resize(x.size());
  for (std::size_t k = 0; k < x.size(); ++k) {
    stats::prefetch_gather(t.data(), ord.data(), k, x.size());
    s.t[k] = t[ord[k]];
  }
  s.w.clear();
  s.ready = true;
}

// `w`: length n in data order, or empty for all weights 1.  Returns R's mean() and the
// max of the |cumulative weight differences| at the runs' ends, without storing them:
// mean() takes two passes over those values (r_mean), so the scan that produces them
// runs twice, giving the same values in the same order each time.
std::pair<double, double> ecdf_stats(SortedVar& s, std::span<const double> w) {
  const std::vector<std::uint32_t>& ord = s.ord;
  const std::size_t n = ord.size();
  if (!w.empty() && s.w.size() != n) {
    s.w.resize(n);
    for (std::size_t k = 0; k < n; ++k) {
      stats::prefetch_gather(w.data(), ord.data(), k, n);
      s.w[k] = w[ord[k]];
    }
  }
  const auto weight = [&](std::size_t k) { return w.empty() ? 1.0 : s.w[k]; };
  LD sum[2] = {0, 0};
  for (std::size_t k = 0; k < n; ++k) sum[s.t[k]] += weight(k);
  const double total[2] = {static_cast<double>(sum[0]), static_cast<double>(sum[1])};
  const std::uint8_t first = s.t[0];  // MatchIt negates the group of the smallest x
  const std::uint64_t* x = s.keys.data();
  const std::uint8_t* t = s.t.data();
  // Calls at_run_end(|cum|) at the last unit of each run of equal x.  The running sum is
  // a local that stays in a register (a call that may write memory in the loop would
  // force a store and reload per unit), so the callback is inlined: a lambda.
  auto scan = [&](auto&& at_run_end) {
    LD cum = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const double wi = weight(k) / total[t[k]];
      cum += t[k] == first ? -wi : wi;
      if (k + 1 == n || x[k + 1] != x[k]) at_run_end(std::abs(static_cast<double>(cum)));
    }
  };
  // r_mean over the run ends, and their max.
  LD total_diff = 0;
  std::size_t runs = 0;
  double largest = 0;
  scan([&](double d) {
    total_diff += d;
    if (runs == 0 || largest < d) largest = d;  // std::max_element's rule, NaN included
    ++runs;
  });
  const auto count = static_cast<LD>(runs);
  LD mean = total_diff / count;
  if (std::isfinite(static_cast<double>(mean))) {
    LD correction = 0;
    scan([&](double d) { correction += d - mean; });
    mean += correction / count;
  }
  return {static_cast<double>(mean), largest};
}

// MatchIt's pair.dist() with a match matrix: mean |x_treated - x_control| over the
// matched pairs (column-major, as R's matrix), divided by `sd` unless tiny.
double pair_dist(std::span<const double> x, const MatchResult& m, double sd) {
  std::vector<double> d;
  for (std::size_t j = 0; j < m.ratio; ++j)
    for (std::size_t t = 0; t < m.treated_rows.size(); ++t) {
      const std::size_t c = m.match_matrix[t * m.ratio + j];
      if (c != MatchResult::no_match) d.push_back(std::abs(x[m.treated_rows[t]] - x[c]));
    }
  if (d.empty()) return NA;
  double mp = r_mean(d);
  if (!is_na(sd) && std::abs(mp) > 1e-8) mp /= sd;
  return mp;
}

// MatchIt's bal1var() for one column; `w` empty = the unmatched data.
// `scratch.sorted`: cache of sort_var(x, t), filled on first use (binary variables never
// need it); the caller clears its `ready` flag for each new variable.
BalanceRow bal1var(std::string term, std::span<const double> x, std::span<const std::uint8_t> t,
                   std::span<const double> w_in, const MatchResult* match, Scratch& scratch) {
  const std::size_t n = x.size();
  const bool matched = !w_in.empty();
  const bool binary = std::all_of(x.begin(), x.end(), [](double v) { return v == 0 || v == 1; });
  Group* g = scratch.g;
  for (int k = 0; k < 2; ++k) {
    g[k].x.clear();
    g[k].w.clear();
  }
  const auto n1 = static_cast<std::size_t>(std::count(t.begin(), t.end(), std::uint8_t{1}));
  g[1].x.reserve(n1);
  g[0].x.reserve(n - n1);
  if (matched) {
    g[1].w.reserve(n1);
    // A control with weight 0 adds exactly 0 to every weighted sum below (x is finite),
    // so it is left out: after 1:1 matching on 1e6 rows most controls are unmatched.
    // The treated are all kept, since the treated SD is taken in the full sample.
    for (std::size_t i = 0; i < n; ++i) {
      if (t[i] == 0 && w_in[i] == 0.0) continue;
      g[t[i]].x.push_back(x[i]);
      g[t[i]].w.push_back(w_in[i]);
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) g[t[i]].x.push_back(x[i]);
  }
  const bool too_small = g[1].nonzero_weights() < 2 && g[0].nonzero_weights() < 2;

  BalanceRow row;
  row.term = std::move(term);
  row.mean_treated = wm(g[1]);
  row.mean_control = wm(g[0]);
  const double mdiff = row.mean_treated - row.mean_control;
  if (std::abs(mdiff) > kSqrtEps) {
    if (!too_small) {
      // The SD of the treated units in the full sample (s.weights = 1), in both sections.
      double sd = std::sqrt(wvar(g[1], binary, true));
      if (!std::isfinite(sd) || sd < kSqrtEps) sd = pooled_sd(x, t, binary);
      row.std_mean_diff = mdiff / sd;
      if (matched && match != nullptr) row.std_pair_dist = pair_dist(x, *match, sd);
    }
  } else {
    row.std_mean_diff = mdiff;
    if (matched && match != nullptr) row.std_pair_dist = pair_dist(x, *match, NA);
  }
  if (binary) {
    row.ecdf_mean = row.ecdf_max = std::abs(mdiff);
  } else if (!too_small) {
    row.var_ratio = wvar(g[1], false, false) / wvar(g[0], false, false);
    if (!scratch.sorted.ready) sort_var(x, t, scratch.sorted);
    std::tie(row.ecdf_mean, row.ecdf_max) = ecdf_stats(scratch.sorted, w_in);
  }
  return row;
}

// Pearson chi-square of the 2 x L weighted table, as chisq.test(correct = FALSE).
TestResult pearson(const Factor& f, std::span<const std::uint8_t> t, std::span<const double> w) {
  const std::size_t L = f.levels.size();
  std::vector<LD> cell(2 * L, 0);
  for (std::size_t i = 0; i < t.size(); ++i) cell[t[i] * L + static_cast<std::size_t>(f.code[i])] += w.empty() ? 1.0 : w[i];
  std::vector<std::size_t> keep;
  for (std::size_t l = 0; l < L; ++l)
    if (cell[l] + cell[L + l] > 0) keep.push_back(l);
  TestResult res;
  if (keep.size() < 2) return res;
  LD row[2] = {0, 0}, total = 0;
  for (int g = 0; g <= 1; ++g)
    for (auto l : keep) row[g] += cell[g * L + l];
  total = row[0] + row[1];
  LD stat = 0;
  for (int g = 0; g <= 1; ++g)
    for (auto l : keep) {
      const LD e = row[g] * (cell[l] + cell[L + l]) / total;
      stat += (cell[g * L + l] - e) * (cell[g * L + l] - e) / e;
    }
  res.stat = static_cast<double>(stat);
  res.df = static_cast<double>(keep.size() - 1);
  res.p = stats::chisq_upper(res.stat, res.df);
  return res;
}

// One row of the balance table: a numeric column, the distance, or one level of a
// categorical covariate (its 0/1 dummy is made inside the task, one at a time).
struct BalanceTerm {
  std::string name;
  std::span<const double> values;       // numeric column or distance
  const Factor* factor = nullptr;       // else: the dummy of level `level` of this factor
  std::int32_t level = 0;
};

}  // namespace

BalanceResult fit_balance(const BalanceData& data, const BalanceOptions& options) {
  const std::size_t n = data.treat.size();
  if (!data.distance.empty() && data.distance.size() != n) throw InputError("balance: distance length differs from treat");
  if (!data.weights.empty() && data.weights.size() != n) throw InputError("balance: weights length differs from treat");
  std::size_t n1 = 0;
  for (auto v : data.treat) {
    if (v > 1) throw InputError("balance: treatment must be 0/1");
    n1 += v;
  }
  if (n1 == 0 || n1 == n) throw AnalysisError("balance: both treated and control units are needed");
  const bool matched = !data.weights.empty();
  const MatchResult* match = options.pair_distance ? data.match : nullptr;

  // The rows, in the table's order, fixed before any work starts.
  std::vector<BalanceTerm> terms;
  if (!data.distance.empty()) terms.push_back({"distance", data.distance});
  for (const auto& cov : data.covariates) {
    if (!cov.categorical()) {
      if (cov.numbers().size() != n) throw InputError("balance: covariate " + cov.name + " has the wrong length");
      terms.push_back({cov.name, cov.numbers()});
      continue;
    }
    if (cov.factor.code.size() != n) throw InputError("balance: covariate " + cov.name + " has the wrong length");
    // MatchIt's get.covs.matrix(): droplevels(), then one column per level.
    std::vector<bool> present(cov.factor.levels.size(), false);
    for (auto c : cov.factor.code)
      if (c >= 0 && static_cast<std::size_t>(c) < present.size()) present[static_cast<std::size_t>(c)] = true;
    for (std::size_t l = 0; l < cov.factor.levels.size(); ++l)
      if (present[l]) terms.push_back({cov.name + cov.factor.levels[l], {}, &cov.factor, static_cast<std::int32_t>(l)});
  }

  // Each row is one task (its own sort, its own sums): rows are independent, and each
  // lands in its own slot, so the table is the same whatever the number of threads.
  BalanceResult res;
  res.all.resize(terms.size());
  if (matched) res.matched.resize(terms.size());
  std::vector<Scratch> scratch(parallel::thread_count(terms.size()));
  parallel::for_each_task(terms.size(), [&](std::size_t k, unsigned worker) {
    const BalanceTerm& term = terms[k];
    Scratch& mine = scratch[worker];
    std::span<const double> x = term.values;
    if (term.factor != nullptr) {
      mine.dummy.resize(n);
      for (std::size_t i = 0; i < n; ++i) mine.dummy[i] = term.factor->code[i] == term.level;
      x = mine.dummy;
    }
    mine.sorted.ready = false;
    res.all[k] = bal1var(term.name, x, data.treat, {}, nullptr, mine);
    if (matched) res.matched[k] = bal1var(term.name, x, data.treat, data.weights, match, mine);
  });

  if (options.chisq)
    for (const auto& cov : data.covariates) {
      if (!cov.categorical()) continue;
      CategoricalBalance cb;
      cb.variable = cov.name;
      cb.all = pearson(cov.factor, data.treat, {});
      if (matched) cb.matched = pearson(cov.factor, data.treat, data.weights);
      res.categorical.push_back(cb);
    }
  return res;
}

}  // namespace survkit
