// survkit public API: a two-way contingency table with Pearson's chi-square test and
// Fisher's exact test, numerically as R's
//   chisq.test(table(rows, cols), correct = FALSE)   and   fisher.test(table(rows, cols))$p.value
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "survkit/common.hpp"

namespace survkit {

struct CrosstabOptions {
  /// Compute Fisher's exact test (otherwise fisher_p is NA).
  bool fisher = true;
  /// Work bound of the exact r x c computation (see fisher_exact): beyond it Fisher's
  /// p-value is NA with a warning instead of a long computation.  About 1e8 steps take
  /// a few seconds.
  std::uint64_t fisher_max_work = 200'000'000;
};

struct CrosstabResult {
  /// Levels that occur in the data, in factor level order.  Levels with no observation
  /// are dropped (R's table() would keep them as all-zero rows, for which chisq.test
  /// gives NaN and fisher.test an error; dropping them gives the test of the table
  /// that was actually observed).
  std::vector<std::string> rows, cols;
  std::vector<std::vector<double>> counts;  ///< rows x cols
  /// Pearson chi-square without continuity correction, df = (r - 1)(c - 1).
  TestResult chisq;
  /// Smallest expected count r_i c_j / n (Table-1 convention: prefer Fisher when < 5).
  double min_expected = NA;
  /// Two-sided Fisher exact p-value; NA when not requested or beyond the work bound.
  double fisher_p = NA;
  /// R's "Chi-squared approximation may be incorrect" (some expected count < 5), and
  /// the reason why fisher_p is NA when the exact computation was abandoned.
  std::vector<std::string> warnings;
};

/// Cross-tabulates two factors of equal length (every code must be a valid level index).
/// Throws InputError for unequal lengths or invalid codes, AnalysisError when fewer than
/// two row levels or two column levels occur.
CrosstabResult fit_crosstab(const Factor& rows, const Factor& cols,
                            const CrosstabOptions& options = {});

/// Pearson's chi-square test of independence, chisq.test(x, correct = FALSE).
/// counts: r x c (r, c >= 2), non-negative, every row and column sum > 0
/// (otherwise AnalysisError).
TestResult chisq_test(const std::vector<std::vector<double>>& counts);

/// Result of the exact test: `p` is NA when `completed` is false.
struct FisherExactResult {
  double p = NA;
  bool completed = false;
  std::uint64_t work = 0;  ///< steps used (for documentation of the work bound)
};

/// Two-sided Fisher exact test of an r x c table of counts (r, c >= 2, every row and
/// column sum > 0; otherwise AnalysisError), as R's fisher.test(x)$p.value:
///  * 2 x 2: R's conditional hypergeometric computation; tables whose probability is
///    <= p_obs * (1 + 1e-7) count as "as or more extreme".
///  * r x c: an exact network algorithm (Mehta & Patel's idea, as R's FEXACT): columns are
///    added one at a time; a node is the multiset of remaining row margins, carrying the
///    distinct log-probabilities of the partial tables leading to it.  Nodes whose
///    completions are all at most / all above the observed probability (by bounds on the
///    most and least probable completion) are summed in closed form or dropped; the last
///    two columns are summed with hypergeometric tail sums.  As FEXACT, tables whose log
///    probability is <= log p_obs + 3.45254e-7 count.
/// Limits: the work grows like the number of partial tables in the uncertain band around
/// p_obs.  Measured: 2 x c and r x 2 tables with n up to ~2000 and 3 x 3 tables with
/// n ~ 1800 take well under a second; a 4 x 3 table with n = 1858 needs ~4.5e8 steps
/// (~11 s; R's FEXACT takes ~30 s), beyond the default bound.  When `max_work` steps are
/// exceeded the result has completed = false and p = NA (never a hang).
FisherExactResult fisher_exact(const std::vector<std::vector<long>>& counts,
                               std::uint64_t max_work = 200'000'000);

/// fisher_exact(counts).p with the default work bound.
double fisher_exact_p(const std::vector<std::vector<long>>& counts);

}  // namespace survkit
