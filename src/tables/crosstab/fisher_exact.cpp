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

using Key = std::vector<int>;                    // sorted remaining row margins
using Paths = std::vector<std::pair<double, double>>;  // (past V, number of paths)

class Network {
 public:
  // Contract: table is K x C (K <= C), all margins > 0; columns are processed in the
  // given order.
  Network(const std::vector<std::vector<long>>& table, std::uint64_t max_work)
      : max_work_(max_work) {
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
    // Columns 0 .. C-3 are added one at a time; the last two are summed in closed form.
    for (int j = 0; j + 2 < c_; ++j) {
      std::map<Key, Paths> next;
      for (auto& [key, paths] : nodes) {
        Paths open = resolve(key, j, paths);
        if (open.empty()) continue;
        Key x(static_cast<std::size_t>(k_), 0);
        expand(key, cols_[static_cast<std::size_t>(j)], 0, x, 0.0, open, next);
      }
      for (auto& [key, paths] : next) merge(paths);
      nodes = std::move(next);
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

 private:
  double lf(int m) const { return lf_[static_cast<std::size_t>(m)]; }

  void tick(std::uint64_t units = 1) {
    work_ += units;
    if (work_ > max_work_) throw WorkExceeded();
  }

  // Remaining column totals when columns j.. are left.
  std::vector<int> remaining_cols(int j) const {
    return {cols_.begin() + j, cols_.end()};
  }

  // Adds the paths of `key` whose every completion counts, drops those of which none
  // counts, and returns the others.
  Paths resolve(const Key& key, int j, const Paths& paths) {
    const std::vector<int> cols = remaining_cols(j);
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
  double max_future_bound(const Key& key, const std::vector<int>& cols) const {
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
  double max_two_columns(const Key& r, int s) const {
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
      std::size_t best = 0;
      for (std::size_t i = 1; i < r.size(); ++i)
        if (gain_up(i) > gain_up(best)) best = i;
      ++x[best];
      ++used;
    }
    for (;;) {
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
      tick(open.size());
      Paths& dst = next[child];
      for (const auto& [past, count] : open) dst.emplace_back(past + vv, count);
      return;
    }
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
  static void merge(Paths& paths) {
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
};

// R's fisher.test for a 2 x 2 table: the hypergeometric density of n11 over its
// support, normalised after subtracting the maximum log density.
double two_by_two(const std::vector<std::vector<long>>& t) {
  const long m = t[0][0] + t[1][0];  // first column total
  const long n = t[0][1] + t[1][1];  // second column total
  const long k = t[0][0] + t[0][1];  // first row total
  const long x = t[0][0];
  const long lo = std::max(0L, k - n), hi = std::min(k, m);
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
                               std::uint64_t max_work) {
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
    out.p = crosstab::two_by_two(counts);
    out.completed = true;
    out.work = 1;
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
  crosstab::Network net(t, max_work);
  try {
    out.p = net.p_value();
    out.completed = true;
  } catch (const crosstab::WorkExceeded&) {
    out.p = NA;
    out.completed = false;
  }
  out.work = net.work();
  return out;
}

double fisher_exact_p(const std::vector<std::vector<long>>& counts) {
  return fisher_exact(counts).p;
}

}  // namespace survkit
