// survkit public API: a two-way contingency table with Pearson's chi-square test and
// Fisher's exact test, numerically as R's
//   chisq.test(table(rows, cols), correct = FALSE)   and   fisher.test(table(rows, cols))$p.value
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "survkit/common.hpp"

namespace survkit {

/// Default bounds of Fisher's exact test (see fisher_exact): deterministic work units
/// and an estimate of the memory held by the network.  Calibrated so that the slowest
/// table found stops within 5 s and 256 MiB peak (Release build, see the README).
inline constexpr std::uint64_t kFisherMaxWork = 200'000'000;
inline constexpr std::uint64_t kFisherMaxBytes = 256ULL << 20;

struct CrosstabOptions {
  /// Compute Fisher's exact test (otherwise fisher_p is NA).
  bool fisher = true;
  /// Work bound of the exact r x c computation (see fisher_exact): beyond it Fisher's
  /// p-value is NA with a warning instead of a long computation.
  std::uint64_t fisher_max_work = kFisherMaxWork;
  /// Memory bound of the exact computation, in bytes (estimated, see fisher_exact).
  std::uint64_t fisher_max_bytes = kFisherMaxBytes;
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

/// Pearson's chi-square test of independence, chisq.test(x, correct = FALSE); with
/// `yates`, chisq.test(x, correct = TRUE): Yates' continuity correction, which R (and
/// so survkit) applies to 2 x 2 tables only (a larger table gives the Pearson test).
/// counts: r x c (r, c >= 2), non-negative, every row and column sum > 0
/// (otherwise AnalysisError).
TestResult chisq_test(const std::vector<std::vector<double>>& counts, bool yates = false);

/// Why the exact computation was abandoned.
enum class FisherGaveUp { No, Work, Memory };

/// Result of the exact test: `p` is NA when `completed` is false.
struct FisherExactResult {
  double p = NA;
  bool completed = false;
  std::uint64_t work = 0;  ///< steps used (for documentation of the work bound)
  FisherGaveUp gave_up = FisherGaveUp::No;  ///< the bound that stopped it (when !completed)
  std::uint64_t peak_bytes = 0;  ///< estimated peak memory of the network (r x c only)
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
/// p_obs.  The default bounds (2e8 units, 256 MiB estimated) were calibrated on 84 random
/// tables (2-10 x 3-10 and 500 x 2, 2 x 30; n 30-3000) plus the issue-12 tables: at most
/// ~15 ns of CPU per unit, so the slowest give up after ~3 s of CPU with at most ~180 MiB
/// resident (Release build, 2026-11).  Every one of those tables that R's default
/// fisher.test() finished was completed too.  The 4 x 3 table with n = 1858 (colon
/// extent x rx; R's FEXACT needs workspace = 2e8 and ~30 s) is beyond the default bound.
/// When a bound is exceeded the result has completed = false, p = NA and `gave_up` says
/// which bound (never a hang).
/// Bounded work and memory: `work` counts elementary steps (paths moved, margins
/// compared) deterministically, so the same table gives the same answer on every
/// machine; `max_bytes` bounds the estimated memory of the network (nodes and paths, and
/// the log-factorial table of n + 1 doubles).  A pre-screen gives up at once when the
/// first column alone has more entry vectors than the work bound allows (R's
/// `workspace` limit plays this role).  2 x 2 tables with a support beyond 1e6 values are
/// summed outwards from the mode by the pmf recurrence until the terms are negligible
/// (1e-17 relative).
FisherExactResult fisher_exact(const std::vector<std::vector<long>>& counts,
                               std::uint64_t max_work = kFisherMaxWork,
                               std::uint64_t max_bytes = kFisherMaxBytes);

/// fisher_exact(counts).p with the default work bound.
double fisher_exact_p(const std::vector<std::vector<long>>& counts);

}  // namespace survkit
