// Cross-tabulation with chisq.test(correct = FALSE) and fisher.test (see crosstab.hpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "stats/distributions.hpp"
#include "survkit/crosstab.hpp"

namespace survkit {

TestResult chisq_test(const std::vector<std::vector<double>>& counts, bool yates) {
  // Contract: counts is r x c, r, c >= 2, non-negative, no empty row or column.
  const std::size_t r = counts.size();
  const std::size_t c = r == 0 ? 0 : counts[0].size();
  if (r < 2 || c < 2) throw AnalysisError("chisq_test: the table needs at least 2 rows and 2 columns");
  std::vector<double> rs(r, 0.0), cs(c, 0.0);
  double n = 0.0;
  for (std::size_t i = 0; i < r; ++i) {
    if (counts[i].size() != c) throw InputError("chisq_test: rows of different lengths");
    for (std::size_t j = 0; j < c; ++j) {
      if (!(counts[i][j] >= 0.0)) throw InputError("chisq_test: counts must be >= 0");
      rs[i] += counts[i][j];
      cs[j] += counts[i][j];
      n += counts[i][j];
    }
  }
  if (std::find(rs.begin(), rs.end(), 0.0) != rs.end() ||
      std::find(cs.begin(), cs.end(), 0.0) != cs.end())
    throw AnalysisError("chisq_test: a row or column of the table is empty");
  // E = outer(sr, sc) / n; STATISTIC = sum((x - E)^2 / E), as R.  Yates (2 x 2 only,
  // as chisq.test(correct = TRUE)): |x - E| is reduced by min(0.5, min |x - E|).
  double correction = 0.0;
  if (yates && r == 2 && c == 2) {
    correction = 0.5;
    for (std::size_t i = 0; i < r; ++i)
      for (std::size_t j = 0; j < c; ++j) correction = std::min(correction, std::fabs(counts[i][j] - rs[i] * cs[j] / n));
  }
  TestResult out;
  out.stat = 0.0;
  for (std::size_t i = 0; i < r; ++i)
    for (std::size_t j = 0; j < c; ++j) {
      const double e = rs[i] * cs[j] / n;
      const double d = std::fabs(counts[i][j] - e) - correction;
      out.stat += d * d / e;
    }
  out.df = static_cast<double>((r - 1) * (c - 1));
  out.p = stats::chisq_upper(out.stat, out.df);
  return out;
}

CrosstabResult fit_crosstab(const Factor& rows, const Factor& cols, const CrosstabOptions& options) {
  if (rows.size() != cols.size())
    throw InputError("crosstab: the two factors have different lengths (" +
                     std::to_string(rows.size()) + " and " + std::to_string(cols.size()) + ")");
  const std::size_t nr = rows.levels.size(), nc = cols.levels.size();
  std::vector<std::vector<long>> full(nr, std::vector<long>(nc, 0));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto a = rows.code[i], b = cols.code[i];
    if (a < 0 || static_cast<std::size_t>(a) >= nr || b < 0 || static_cast<std::size_t>(b) >= nc)
      throw InputError("crosstab: invalid factor code at observation " + std::to_string(i + 1));
    ++full[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)];
  }
  // Keep the levels that occur (see CrosstabResult::rows).
  std::vector<std::size_t> keep_r, keep_c;
  for (std::size_t i = 0; i < nr; ++i) {
    long s = 0;
    for (std::size_t j = 0; j < nc; ++j) s += full[i][j];
    if (s > 0) keep_r.push_back(i);
  }
  for (std::size_t j = 0; j < nc; ++j) {
    long s = 0;
    for (std::size_t i = 0; i < nr; ++i) s += full[i][j];
    if (s > 0) keep_c.push_back(j);
  }
  if (keep_r.size() < 2 || keep_c.size() < 2)
    throw AnalysisError("crosstab: the table needs at least 2 row levels and 2 column levels with data");

  CrosstabResult res;
  std::vector<std::vector<long>> table;
  for (std::size_t i : keep_r) {
    res.rows.push_back(rows.levels[i]);
    std::vector<long> row;
    std::vector<double> drow;
    for (std::size_t j : keep_c) {
      row.push_back(full[i][j]);
      drow.push_back(static_cast<double>(full[i][j]));
    }
    table.push_back(std::move(row));
    res.counts.push_back(std::move(drow));
  }
  for (std::size_t j : keep_c) res.cols.push_back(cols.levels[j]);

  res.chisq = chisq_test(res.counts);
  double n = 0.0;
  std::vector<double> rs(res.rows.size(), 0.0), cs(res.cols.size(), 0.0);
  for (std::size_t i = 0; i < rs.size(); ++i)
    for (std::size_t j = 0; j < cs.size(); ++j) {
      rs[i] += res.counts[i][j];
      cs[j] += res.counts[i][j];
      n += res.counts[i][j];
    }
  res.min_expected = *std::min_element(rs.begin(), rs.end()) *
                     *std::min_element(cs.begin(), cs.end()) / n;
  if (res.min_expected < 5.0) res.warnings.emplace_back("Chi-squared approximation may be incorrect");

  if (options.fisher) {
    const FisherExactResult f = fisher_exact(table, options.fisher_max_work, options.fisher_max_bytes);
    res.fisher_p = f.p;
    if (!f.completed) {
      const std::string bound =
          f.gave_up == FisherGaveUp::Memory
              ? "more than " + std::to_string(options.fisher_max_bytes >> 20) + " MiB of memory"
              : "more than " + std::to_string(options.fisher_max_work) + " steps";
      res.warnings.push_back("Fisher's exact test not computed: the exact algorithm would need " + bound +
                             " for this " + std::to_string(res.rows.size()) + " x " +
                             std::to_string(res.cols.size()) + " table (n = " + std::to_string(static_cast<long>(n)) +
                             "); use the chi-square test, or a Monte Carlo P "
                             "(R: fisher.test(x, simulate.p.value = TRUE, B = 1e5))");
    }
  }
  return res;
}

}  // namespace survkit
