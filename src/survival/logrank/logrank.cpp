// fit_logrank: validation, the single sort, survdiff_stratum() per stratum, and the
// chi-square as survdiff computes it.
#include <Eigen/Dense>
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "stats/distributions.hpp"
#include "stats/prefetch.hpp"
#include "survival/common/time_order.hpp"
#include "survival/common/validate.hpp"
#include "survival/logrank/survdiff.hpp"
#include "survkit/logrank.hpp"

namespace survkit {

LogrankResult fit_logrank(const SurvData& data, const Factor& group, const Factor* strata,
                          const LogrankOptions& options) {
  survival::validate_surv_data(data);
  const std::size_t n = data.size();
  survival::validate_factor(group, n, "group");
  if (strata) survival::validate_factor(*strata, n, "strata");
  if (!std::isfinite(options.rho))
    throw InputError("logrank: rho must be finite", {}, 0, "rho", std::to_string(options.rho));

  // Groups = the non-empty levels, renumbered 0..k-1 in level order (survdiff's strata()).
  // n per level is the sum of the case weights (the count when unweighted).  A level is
  // a group when it has observations, even of weight 0 (as survdiff on the rows).
  std::vector<double> level_n(group.levels.size(), 0.0);
  std::vector<bool> level_seen(group.levels.size(), false);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<std::size_t>(group.code[i]);
    level_n[c] += data.w(i);
    level_seen[c] = true;
  }
  std::vector<std::int32_t> remap(group.levels.size(), -1);
  LogrankResult result;
  for (std::size_t l = 0; l < group.levels.size(); ++l)
    if (level_seen[l]) {
      remap[l] = static_cast<std::int32_t>(result.groups.size());
      result.groups.push_back({group.levels[l], level_n[l], 0.0, 0.0});
    }
  const std::size_t k = result.groups.size();
  if (k < 2) throw AnalysisError("logrank: the group variable has fewer than 2 non-empty levels");
  double events = 0;
  for (std::size_t i = 0; i < n; ++i) events += data.status[i] * data.w(i);
  if (!(events > 0)) throw AnalysisError("logrank: no events (with positive weight)");

  const std::size_t n_blocks = strata ? strata->levels.size() : 1;
  const auto order = survival::sort_by_time(
      data.time, data.status,
      strata ? std::span<const std::int32_t>(strata->code) : std::span<const std::int32_t>(),
      n_blocks);
  // Group codes renumbered and put in sorted order: the only gather through the permutation.
  std::vector<std::int32_t> code(n);
  for (std::size_t i = 0; i < n; ++i) {
    stats::prefetch_gather(group.code.data(), order.index.data(), i, n);
    code[i] = remap[static_cast<std::size_t>(group.code[order.index[i]])];
  }
  const std::vector<double> weight =
      data.weighted() ? survival::gather(data.weight, order.index) : std::vector<double>();

  // survdiff keeps observed / expected per stratum and sums them per group afterwards
  // (apply(, 1, sum), long double); the variance is accumulated across strata directly.
  std::vector<long double> obs_total(k, 0), exp_total(k, 0);
  std::vector<double> stratum_obs(k), stratum_exp(k), kaplan;
  result.variance.assign(k * k, 0.0);
  result.n_strata = 0;
  for (std::size_t b = 0; b < n_blocks; ++b) {
    const std::size_t begin = order.block_start[b], end = order.block_start[b + 1];
    if (begin == end) continue;
    ++result.n_strata;
    std::fill(stratum_obs.begin(), stratum_obs.end(), 0.0);
    std::fill(stratum_exp.begin(), stratum_exp.end(), 0.0);
    const std::size_t m = end - begin;
    logrank::survdiff_stratum(std::span(order.time).subspan(begin, m),
                              std::span(order.event).subspan(begin, m),
                              std::span(code).subspan(begin, m),
                              weight.empty() ? std::span<const double>() : std::span<const double>(weight).subspan(begin, m),
                              options.rho, k, stratum_obs,
                              stratum_exp, result.variance, kaplan);
    for (std::size_t g = 0; g < k; ++g) {
      obs_total[g] += stratum_obs[g];
      exp_total[g] += stratum_exp[g];
    }
  }
  for (std::size_t g = 0; g < k; ++g) {
    result.groups[g].observed = static_cast<double>(obs_total[g]);
    result.groups[g].expected = static_cast<double>(exp_total[g]);
  }

  // Chi-square on the groups with expected > 0, dropping the first of them (V has rank
  // k - 1): chisq = d' V^-1 d, solved by LU as R's solve() does.
  std::vector<std::size_t> used;
  for (std::size_t g = 0; g < k; ++g)
    if (result.groups[g].expected > 0) used.push_back(g);
  const double df = static_cast<double>(used.size()) - 1;
  double chisq = 0;
  if (used.size() >= 2) {
    const auto q = static_cast<Eigen::Index>(used.size() - 1);
    Eigen::MatrixXd vv(q, q);
    Eigen::VectorXd d(q);
    for (Eigen::Index a = 0; a < q; ++a) {
      const std::size_t ga = used[static_cast<std::size_t>(a) + 1];
      d(a) = result.groups[ga].observed - result.groups[ga].expected;
      for (Eigen::Index c = 0; c < q; ++c)
        vv(a, c) = result.variance[ga * k + used[static_cast<std::size_t>(c) + 1]];
    }
    const Eigen::PartialPivLU<Eigen::MatrixXd> lu(vv);
    // R's solve() refuses a system whose reciprocal condition number is below eps.
    if (!(lu.rcond() >= DBL_EPSILON)) {
      chisq = NA;
      result.warnings.push_back(
          "logrank: the variance matrix is singular (R's solve() stops here); chisq is NA");
    } else {
      chisq = lu.solve(d).dot(d);
    }
  }
  result.test.stat = chisq;
  result.test.df = df;
  // pchisq(0, df = 0, lower.tail = FALSE) is 1 in R (a point mass at 0).
  result.test.p = df > 0 ? stats::chisq_upper(chisq, df) : (is_na(chisq) ? NA : 1.0);
  return result;
}

}  // namespace survkit
