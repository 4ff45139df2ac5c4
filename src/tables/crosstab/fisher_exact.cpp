// Fisher's exact test for r x c tables (see the contract in survkit/crosstab.hpp).
//
// Notation.  For a table n_ij with row sums r_i, column sums c_j and total N,
//   P(table) = prod r_i! prod c_j! / (N! prod n_ij!) = exp(K0 + V),
//   K0 = sum lf(r_i) + sum lf(c_j) - lf(N),   V = -sum_ij lf(n_ij),   lf(k) = log k!.
// The p-value is the sum of P over tables with V <= V_obs + tol.
//
// The sum over all completions of a partial table has a closed form: for remaining row
// sums r_i and remaining columns c_j (both summing to R),
//   sum over completions of exp(V_rest) = R! / (prod r_i! prod c_j!),
// which is what lets whole nodes be added without enumeration.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <stdexcept>
#include <utility>

#include "survkit/crosstab.hpp"

namespace survkit {
namespace crosstab {
namespace {

// FEXACT's tolerance on the log scale ("the square root of the smallest relative
// spacing"), used by R for every table except 2 x 2.
constexpr double kFexactTol = 3.45254e-7;
// R's fisher.test for 2 x 2: d <= d_obs * (1 + 1e-7).
constexpr double kTwoByTwoRelErr = 1.0 + 1e-7;

class WorkExceeded : public std::runtime_error {
 public:
  WorkExceeded() : std::runtime_error("work bound exceeded") {}
};

class MemoryExceeded : public std::runtime_error {
 public:
  MemoryExceeded() : std::runtime_error("memory bound exceeded") {}
};

// Memory accounting of the network, in bytes, deliberately generous (so that the real
// peak stays below the bound): a node is a std::map entry (~64 bytes with its key and
// path-vector headers) plus its key's heap block; a path is 16 bytes, counted twice for
// the vector's growth slack.
constexpr std::uint64_t kNodeBytes = 96;
constexpr std::uint64_t kPathBytes = 32;
// Work units of one map search with a fresh key, beyond its length: a constant and a
// cost per level of the tree (calibrated on the tables of test_fisher_bounds.cpp and
// the issue-12 tables, see crosstab.hpp).
constexpr std::uint64_t kLeafUnits = 8;
constexpr std::uint64_t kLevelUnits = 4;

std::uint64_t node_bytes(std::size_t k) { return kNodeBytes + 16 + 4 * static_cast<std::uint64_t>(k); }

using Key = std::vector<int>;                    // sorted remaining row margins
using Paths = std::vector<std::pair<double, double>>;  // (past V, number of paths)

class Network {
 public:
  // Contract: table is K x C (K <= C), all margins > 0; columns are processed in the
  // given order.
  Network(const std::vector<std::vector<long>>& table, std::uint64_t max_work, std::uint64_t max_bytes)
      : max_work_(max_work), max_bytes_(max_bytes) {
    k_ = static_cast<int>(table.size());
    c_ = static_cast<int>(table[0].size());
    rows_.assign(static_cast<std::size_t>(k_), 0);
    cols_.assign(static_cast<std::size_t>(c_), 0);
    for (int i = 0; i < k_; ++i)
      for (int j = 0; j < c_; ++j) {
        rows_[static_cast<std::size_t>(i)] += static_cast<int>(table[i][j]);
        cols_[static_cast<std::size_t>(j)] += static_cast<int>(table[i][j]);
      }
    n_ = std::accumulate(rows_.begin(), rows_.end(), 0);
    fixed_bytes_ = 8 * (static_cast<std::uint64_t>(n_) + 1);
    lf_.resize(static_cast<std::size_t>(n_) + 1);
    for (int m = 0; m <= n_; ++m) lf_[static_cast<std::size_t>(m)] = std::lgamma(m + 1.0);
    double vobs = 0.0;
    for (const auto& row : table)
      for (long v : row) vobs -= lf(static_cast<int>(v));
    thr_ = vobs + kFexactTol;
    k0_ = -lf(n_);
    for (int r : rows_) k0_ += lf(r);
    for (int c : cols_) k0_ += lf(c);
  }

  double p_value() {
    std::map<Key, Paths> nodes;
    Key root = rows_;
    std::sort(root.begin(), root.end());
    nodes[root] = {{0.0, 1.0}};
    cur_bytes_ = node_bytes(root.size()) + kPathBytes;
    // Columns 0 .. C-3 are added one at a time; the last two are summed in closed form.
    for (int j = 0; j + 2 < c_; ++j) {
      std::map<Key, Paths> next;
      next_bytes_ = 0;
      for (auto& [key, paths] : nodes) {
        Paths open = resolve(key, j, paths);
        if (open.empty()) continue;
        if (j == 0) prescreen(key, cols_[0]);
        Key x(static_cast<std::size_t>(k_), 0);
        expand(key, cols_[static_cast<std::size_t>(j)], 0, x, 0.0, open, next);
      }
      std::uint64_t bytes = 0;
      for (auto& [key, paths] : next) {
        merge(paths);
        bytes += node_bytes(key.size()) + kPathBytes * paths.size();
      }
      nodes = std::move(next);
      cur_bytes_ = bytes;
      next_bytes_ = 0;
    }
    for (auto& [key, paths] : nodes) {
      Paths open = resolve(key, c_ - 2, paths);
      for (const auto& [past, count] : open) {
        const double log_s = two_columns(key, thr_ - past);
        if (log_s > -std::numeric_limits<double>::infinity())
          p_ += count * std::exp(k0_ + past + log_s);
      }
    }
    return std::min(p_, 1.0);
  }

  std::uint64_t work() const { return work_; }
  std::uint64_t peak_bytes() const { return peak_bytes_; }

 private:
  double lf(int m) const { return lf_[static_cast<std::size_t>(m)]; }

  // The work counter: one unit is about one elementary step (a path moved, a margin
  // compared, a log-factorial added).  Deterministic, so the bound gives the same answer
  // on every machine.
  void tick(std::uint64_t units = 1) {
    work_ += units;
    if (work_ > max_work_) throw WorkExceeded();
  }

  // Memory held by the current and the next stage of the network (see kNodeBytes).
  void grow(std::uint64_t bytes) {
    next_bytes_ += bytes;
    const std::uint64_t total = fixed_bytes_ + cur_bytes_ + next_bytes_;
    if (total > max_bytes_) throw MemoryExceeded();  // (peak_bytes_: the largest accepted)
    peak_bytes_ = std::max(peak_bytes_, total);
  }

  // Remaining column totals when columns j.. are left.
  std::vector<int> remaining_cols(int j) const {
    return {cols_.begin() + j, cols_.end()};
  }

  // The pre-screen (R's fisher.test has its `workspace` limit for the same purpose):
  // expanding the root visits every column-0 entry vector x (sum_i x_i = s,
  // 0 <= x_i <= key_i), each costing at least 2 K + 1 units; when that count alone is
  // beyond the bound the table is hopeless and we give up before starting.  Counted by a
  // small dynamic programme in doubles (the count only needs to be compared).
  void prescreen(const Key& key, int s) {
    tick(key.size() * (static_cast<std::uint64_t>(s) + 1));
    std::vector<double> ways(static_cast<std::size_t>(s) + 1, 0.0), next(ways.size());
    ways[0] = 1.0;
    for (int r : key) {
      // next[t] = sum_{x = 0..min(r, t)} ways[t - x], by a running window sum.
      double window = 0.0;
      for (int t = 0; t <= s; ++t) {
        window += ways[static_cast<std::size_t>(t)];
        if (t - r - 1 >= 0) window -= ways[static_cast<std::size_t>(t - r - 1)];
        next[static_cast<std::size_t>(t)] = window;
      }
      std::swap(ways, next);
    }
    const double lower = ways[static_cast<std::size_t>(s)] * (2.0 * static_cast<double>(key.size()) + 1.0);
    if (static_cast<double>(work_) + lower > static_cast<double>(max_work_)) throw WorkExceeded();
  }

  // Adds the paths of `key` whose every completion counts, drops those of which none
  // counts, and returns the others.
  Paths resolve(const Key& key, int j, const Paths& paths) {
    const std::vector<int> cols = remaining_cols(j);
    tick(2 * (key.size() + cols.size()));  // the two bounds and the closed-form total
    const double fmax = max_future_bound(key, cols);
    const double fmin = min_future_bound(key, cols);
    double log_total = 0.0;  // log of the sum of exp(V_rest) over all completions
    int r = 0;
    for (int v : key) {
      log_total -= lf(v);
      r += v;
    }
    for (int c : cols) log_total -= lf(c);
    log_total += lf(r);
    Paths open;
    for (const auto& [past, count] : paths) {
      tick();
      if (past + fmax <= thr_) {
        p_ += count * std::exp(k0_ + past + log_total);
      } else if (past + fmin <= thr_) {
        open.emplace_back(past, count);
      }
    }
    return open;
  }

  // An upper bound of max V_rest over completions.  Relaxing the column constraints,
  // each row is best spread evenly over the m remaining columns; likewise relaxing the
  // row constraints.  With two columns left the maximum is computed exactly.
  double max_future_bound(const Key& key, const std::vector<int>& cols) {
    if (cols.size() == 2) return max_two_columns(key, cols[0]);
    auto spread = [this](int total, int m) {
      const int q = total / m, rem = total % m;
      return -((m - rem) * lf(q) + rem * lf(q + 1));
    };
    double by_rows = 0.0, by_cols = 0.0;
    for (int v : key) by_rows += spread(v, static_cast<int>(cols.size()));
    for (int c : cols) by_cols += spread(c, k_);
    return std::min(by_rows, by_cols);
  }

  // A lower bound of min V_rest: sum_j lf(n_ij) <= lf(r_i) for every row, and the same
  // for columns.
  double min_future_bound(const Key& key, const std::vector<int>& cols) const {
    double by_rows = 0.0, by_cols = 0.0;
    for (int v : key) by_rows += lf(v);
    for (int c : cols) by_cols += lf(c);
    return -std::min(by_rows, by_cols);
  }

  // Exact max over x (sum x_i = s, 0 <= x_i <= r_i) of sum_i h_i(x_i),
  // h_i(x) = -lf(x) - lf(r_i - x).  Each h_i is concave, so the greedy exchange
  // (move one unit while it helps) from a proportional start reaches the maximum.
  double max_two_columns(const Key& r, int s) {
    int total = 0;
    for (int v : r) total += v;
    std::vector<int> x(r.size());
    int used = 0;
    for (std::size_t i = 0; i < r.size(); ++i) {
      x[i] = static_cast<int>(static_cast<long long>(r[i]) * s / total);
      used += x[i];
    }
    auto h = [&](std::size_t i, int v) { return -lf(v) - lf(r[i] - v); };
    auto gain_up = [&](std::size_t i) {
      return x[i] < r[i] ? h(i, x[i] + 1) - h(i, x[i]) : -std::numeric_limits<double>::infinity();
    };
    auto gain_down = [&](std::size_t i) {
      return x[i] > 0 ? h(i, x[i] - 1) - h(i, x[i]) : -std::numeric_limits<double>::infinity();
    };
    while (used < s) {
      tick(r.size());
      std::size_t best = 0;
      for (std::size_t i = 1; i < r.size(); ++i)
        if (gain_up(i) > gain_up(best)) best = i;
      ++x[best];
      ++used;
    }
    for (;;) {
      tick(2 * r.size());
      std::size_t up = 0, down = 0;
      for (std::size_t i = 1; i < r.size(); ++i) {
        if (gain_up(i) > gain_up(up)) up = i;
        if (gain_down(i) > gain_down(down)) down = i;
      }
      if (up == down || !(gain_up(up) + gain_down(down) > 1e-12)) break;
      ++x[up];
      --x[down];
    }
    double v = 0.0;
    for (std::size_t i = 0; i < r.size(); ++i) v += h(i, x[i]);
    return v;
  }

  // Enumerates the entries x of column j (sum = s, 0 <= x_i <= key_i) row by row and
  // files every open path under the child node.
  void expand(const Key& key, int s, std::size_t i, Key& x, double v, const Paths& open,
              std::map<Key, Paths>& next) {
    if (i + 1 == key.size()) {
      if (s > key[i]) return;
      x[i] = s;
      const double vv = v - lf(s);
      Key child(key.size());
      for (std::size_t t = 0; t < key.size(); ++t) child[t] = key[t] - x[t];
      std::sort(child.begin(), child.end());
      // The paths, and building + finding the child: an allocation, and a search of the
      // ordered map, whose tree walk (a cache miss per level once the map is large)
      // dominates the time of big networks.
      tick(open.size() + 2 * key.size() + kLeafUnits + kLevelUnits * std::bit_width(next.size()));
      auto [it, inserted] = next.try_emplace(std::move(child));
      grow((inserted ? node_bytes(key.size()) : 0) + kPathBytes * open.size());
      Paths& dst = it->second;
      for (const auto& [past, count] : open) dst.emplace_back(past + vv, count);
      return;
    }
    tick(key.size() - i);  // the partial sum below
    int rest = 0;
    for (std::size_t t = i + 1; t < key.size(); ++t) rest += key[t];
    const int lo = std::max(0, s - rest), hi = std::min(key[i], s);
    for (int xi = lo; xi <= hi; ++xi) {
      x[i] = xi;
      expand(key, s - xi, i + 1, x, v - lf(xi), open, next);
    }
  }

  // Merges paths with the same past value (up to rounding of the sums of log
  // factorials taken in different orders), adding their counts.
  void merge(Paths& paths) {
    tick(paths.size() * (1 + std::bit_width(paths.size())));  // the sort
    std::sort(paths.begin(), paths.end());
    Paths out;
    for (const auto& pc : paths) {
      if (!out.empty() && pc.first - out.back().first <= 1e-12 * (1.0 + std::abs(pc.first)))
        out.back().second += pc.second;
      else
        out.push_back(pc);
    }
    paths = std::move(out);
  }

  // log of the sum over completions with V_rest <= t of exp(V_rest), two columns left
  // (the first with total cols_[C-2]); -inf when none counts.
  double two_columns(const Key& key, double t) {
    const int s = cols_[static_cast<std::size_t>(c_ - 2)];
    return two_columns_rows(key, 0, s, t, 0.0);
  }

  // Rows 0..i-1 fixed with partial value v; sum over the remaining rows.
  double two_columns_rows(const Key& key, std::size_t i, int s, double t, double v) {
    if (i + 2 == key.size()) return v + two_rows(key[i], key[i + 1], s, t - v);
    tick(key.size() - i);
    int rest = 0;
    for (std::size_t q = i + 1; q < key.size(); ++q) rest += key[q];
    const int lo = std::max(0, s - rest), hi = std::min(key[i], s);
    double acc = -std::numeric_limits<double>::infinity();
    for (int xi = lo; xi <= hi; ++xi) {
      tick();
      const double h = -lf(xi) - lf(key[i] - xi);
      acc = log_add(acc, two_columns_rows(key, i + 1, s - xi, t, v + h));
    }
    return acc;
  }

  static double log_add(double a, double b) {
    if (a == -std::numeric_limits<double>::infinity()) return b;
    if (b == -std::numeric_limits<double>::infinity()) return a;
    const double m = std::max(a, b);
    return m + std::log(std::exp(a - m) + std::exp(b - m));
  }

  // A 2 x 2 remainder: rows ra, rb, first column total s.  x = entry (a, first column),
  // g(x) = -lf(x) - lf(ra - x) - lf(s - x) - lf(rb - s + x), a hypergeometric log
  // density up to a constant, hence unimodal.  Returns log sum of exp(g) over
  // {x : g(x) <= t}: two tails found by bisection and summed with the pmf recurrence
  // from their inner end outwards until the terms are negligible.
  double two_rows(int ra, int rb, int s, double t) {
    const double ninf = -std::numeric_limits<double>::infinity();
    const int lo = std::max(0, s - rb), hi = std::min(ra, s);
    if (lo > hi) return ninf;
    auto g = [&](int x) { return -lf(x) - lf(ra - x) - lf(s - x) - lf(rb - s + x); };
    int mode = static_cast<int>(static_cast<long long>(ra + 1) * (s + 1) / (ra + rb + 2));
    mode = std::clamp(mode, lo, hi);
    tick(4);
    if (g(mode) <= t) {  // every x counts: the closed-form total
      return lf(ra + rb) - lf(s) - lf(ra + rb - s) - lf(ra) - lf(rb);
    }
    double acc = ninf;
    // Left tail: the largest a in [lo, mode) with g(a) <= t (g is nondecreasing there).
    if (lo < mode && g(lo) <= t) {
      int a = lo, b = mode;  // g(a) <= t < g(b)
      while (b - a > 1) {
        const int m = a + (b - a) / 2;
        (g(m) <= t ? a : b) = m;
        tick();
      }
      double sum = 1.0, term = 1.0;
      for (int x = a; x > lo; --x) {  // term(x-1) / term(x)
        term *= static_cast<double>(x) * (rb - s + x) /
                (static_cast<double>(ra - x + 1) * (s - x + 1));
        sum += term;
        tick();
        if (term < 1e-17 * sum) break;
      }
      acc = log_add(acc, g(a) + std::log(sum));
    }
    // Right tail: the smallest b in (mode, hi] with g(b) <= t.
    if (mode < hi && g(hi) <= t) {
      int a = mode, b = hi;  // g(a) > t >= g(b)
      while (b - a > 1) {
        const int m = a + (b - a) / 2;
        (g(m) <= t ? b : a) = m;
        tick();
      }
      double sum = 1.0, term = 1.0;
      for (int x = b; x < hi; ++x) {  // term(x+1) / term(x)
        term *= static_cast<double>(ra - x) * (s - x) /
                (static_cast<double>(x + 1) * (rb - s + x + 1));
        sum += term;
        tick();
        if (term < 1e-17 * sum) break;
      }
      acc = log_add(acc, g(b) + std::log(sum));
    }
    return acc;
  }

  int k_ = 0, c_ = 0, n_ = 0;
  std::vector<int> rows_, cols_;
  std::vector<double> lf_;
  double thr_ = 0.0, k0_ = 0.0, p_ = 0.0;
  std::uint64_t work_ = 0, max_work_ = 0;
  std::uint64_t fixed_bytes_ = 0, cur_bytes_ = 0, next_bytes_ = 0, peak_bytes_ = 0, max_bytes_ = 0;
};

// R's fisher.test for a 2 x 2 table: the hypergeometric density of n11 over its
// support, normalised after subtracting the maximum log density.
// Supports up to this size are summed as R does, term by term from a stored vector
// (8 MB); larger ones (every margin in the millions) by the pmf recurrence outwards from
// the mode, stopping where the terms are negligible: O(sd) time, O(1) memory.
constexpr long kTwoByTwoStored = 1'000'000;

double two_by_two_large(long m, long n, long k, long x, long lo, long hi, std::uint64_t& work,
                        std::uint64_t max_work) {
  auto lchoose = [](double a, double b) {
    return std::lgamma(a + 1.0) - std::lgamma(b + 1.0) - std::lgamma(a - b + 1.0);
  };
  auto logd = [&](long s) { return lchoose(double(m), double(s)) + lchoose(double(n), double(k - s)); };
  // The mode of the hypergeometric density, and its log density as the maximum.
  long mode = static_cast<long>((static_cast<double>(k) + 1) * (static_cast<double>(m) + 1) /
                                (static_cast<double>(m) + static_cast<double>(n) + 2));
  mode = std::clamp(mode, lo, hi);
  double mx = logd(mode);
  for (long s : {mode - 1, mode + 1})
    if (s >= lo && s <= hi) mx = std::max(mx, logd(s));
  const double dobs = std::exp(logd(x) - mx) * kTwoByTwoRelErr;
  // Terms relative to the maximum, walking down from the mode on each side.
  double total = 0.0, p = 0.0;
  auto walk = [&](long from, int dir) {
    double v = std::exp(logd(from) - mx);
    for (long s = from; s >= lo && s <= hi; s += dir) {
      if (s != from) {
        const double r = dir > 0 ? static_cast<double>(m - s + 1) * static_cast<double>(k - s + 1) /
                                       (static_cast<double>(s) * static_cast<double>(n - k + s))
                                 : static_cast<double>(s + 1) * static_cast<double>(n - k + s + 1) /
                                       (static_cast<double>(m - s) * static_cast<double>(k - s));
        v *= r;
      }
      if (++work > max_work) throw WorkExceeded();
      total += v;
      if (v <= dobs) p += v;
      if (v < 1e-300 || (s != from && v < 1e-17 * total && v < 1e-17 * (p + dobs))) break;
    }
  };
  walk(mode, +1);
  if (mode > lo) walk(mode - 1, -1);
  return p / total;
}

double two_by_two(const std::vector<std::vector<long>>& t, std::uint64_t& work, std::uint64_t max_work) {
  const long m = t[0][0] + t[1][0];  // first column total
  const long n = t[0][1] + t[1][1];  // second column total
  const long k = t[0][0] + t[0][1];  // first row total
  const long x = t[0][0];
  const long lo = std::max(0L, k - n), hi = std::min(k, m);
  work = static_cast<std::uint64_t>(hi - lo + 1);
  if (hi - lo + 1 > kTwoByTwoStored) {
    work = 0;
    return two_by_two_large(m, n, k, x, lo, hi, work, max_work);
  }
  auto lchoose = [](double a, double b) {
    return std::lgamma(a + 1.0) - std::lgamma(b + 1.0) - std::lgamma(a - b + 1.0);
  };
  std::vector<double> d;
  for (long s = lo; s <= hi; ++s)
    d.push_back(lchoose(double(m), double(s)) + lchoose(double(n), double(k - s)));
  const double mx = *std::max_element(d.begin(), d.end());
  double total = 0.0;
  for (double& v : d) total += (v = std::exp(v - mx));
  const double dobs = d[static_cast<std::size_t>(x - lo)] * kTwoByTwoRelErr;
  double p = 0.0;
  for (double v : d)
    if (v <= dobs) p += v / total;
  return p;
}

}  // namespace
}  // namespace crosstab

FisherExactResult fisher_exact(const std::vector<std::vector<long>>& counts,
                               std::uint64_t max_work, std::uint64_t max_bytes) {
  const std::size_t r = counts.size();
  const std::size_t c = r == 0 ? 0 : counts[0].size();
  if (r < 2 || c < 2) throw AnalysisError("fisher_exact: the table needs at least 2 rows and 2 columns");
  std::vector<long> rs(r, 0), cs(c, 0);
  for (std::size_t i = 0; i < r; ++i) {
    if (counts[i].size() != c) throw InputError("fisher_exact: rows of different lengths");
    for (std::size_t j = 0; j < c; ++j) {
      if (counts[i][j] < 0) throw InputError("fisher_exact: negative count");
      rs[i] += counts[i][j];
      cs[j] += counts[i][j];
    }
  }
  for (long v : rs)
    if (v == 0) throw AnalysisError("fisher_exact: a row of the table is empty");
  for (long v : cs)
    if (v == 0) throw AnalysisError("fisher_exact: a column of the table is empty");
  FisherExactResult out;
  if (r == 2 && c == 2) {
    try {
      out.p = crosstab::two_by_two(counts, out.work, max_work);
      out.completed = true;
    } catch (const crosstab::WorkExceeded&) {
      out.gave_up = FisherGaveUp::Work;
    }
    return out;
  }
  // Pre-screen on size: the network indexes log factorials 0..n (8 (n + 1) bytes) with
  // int margins.
  long total = 0;
  for (long v : rs) total += v;
  if (total > std::numeric_limits<int>::max() / 2 ||
      8 * (static_cast<std::uint64_t>(total) + 1) > max_bytes / 2) {
    out.gave_up = FisherGaveUp::Memory;
    return out;
  }
  // Orient so that the node keys (remaining margins of the short side) are short, and
  // order the long side by increasing total so that the biggest columns are the last
  // two, which are summed in closed form.
  std::vector<std::vector<long>> t;
  if (r <= c) {
    t = counts;
  } else {
    t.assign(c, std::vector<long>(r));
    for (std::size_t i = 0; i < r; ++i)
      for (std::size_t j = 0; j < c; ++j) t[j][i] = counts[i][j];
  }
  const std::size_t nc = t[0].size();
  std::vector<std::size_t> order(nc);
  std::iota(order.begin(), order.end(), 0);
  std::vector<long> ctot(nc, 0);
  for (const auto& row : t)
    for (std::size_t j = 0; j < nc; ++j) ctot[j] += row[j];
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return ctot[a] < ctot[b]; });
  for (auto& row : t) {
    std::vector<long> sorted(nc);
    for (std::size_t j = 0; j < nc; ++j) sorted[j] = row[order[j]];
    row = std::move(sorted);
  }
  crosstab::Network net(t, max_work, max_bytes);
  try {
    out.p = net.p_value();
    out.completed = true;
  } catch (const crosstab::WorkExceeded&) {
    out.p = NA;
    out.completed = false;
    out.gave_up = FisherGaveUp::Work;
  } catch (const crosstab::MemoryExceeded&) {
    out.p = NA;
    out.completed = false;
    out.gave_up = FisherGaveUp::Memory;
  }
  out.work = net.work();
  out.peak_bytes = net.peak_bytes();
  return out;
}

double fisher_exact_p(const std::vector<std::vector<long>>& counts) {
  return fisher_exact(counts).p;
}

}  // namespace survkit
