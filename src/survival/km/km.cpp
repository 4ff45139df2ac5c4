// fit_km: validation, the single sort, and one km_table() per curve.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "stats/distributions.hpp"
#include "survival/common/time_order.hpp"
#include "survival/common/validate.hpp"
#include "survival/km/km_curve.hpp"
#include "survkit/km.hpp"

namespace survkit {

KmResult fit_km(const SurvData& data, const Factor* group, const KmOptions& options) {
  survival::validate_surv_data(data);
  const std::size_t n = data.size();
  if (group) survival::validate_factor(*group, n, "group");
  if (!(options.conf_level > 0 && options.conf_level < 1))
    throw InputError("km: conf_level must be in (0, 1)", {}, 0, "conf_level",
                     std::to_string(options.conf_level));
  if (!is_na(options.rmst_tau) && !std::isfinite(options.rmst_tau))
    throw InputError("km: rmst_tau must be finite", {}, 0, "rmst_tau",
                     std::to_string(options.rmst_tau));
  if (n == 0) throw AnalysisError("km: no observations");

  // survfitKM: any fractional case weight switches R to the robust (IJ) variance.
  bool robust = false;
  for (const double w : data.weight)
    if (w != std::floor(w)) {
      robust = true;
      break;
    }
  const double z = stats::norm_quantile(1 - (1 - options.conf_level) / 2);

  // survfit's start.time: min(0, times) (0 for valid data, whose times are >= 0).
  const double min_time = *std::min_element(data.time.begin(), data.time.end());
  const double start = std::min(0.0, min_time);
  // print.survfit stops when the rmean limit lies before the smallest time of all curves.
  if (!is_na(options.rmst_tau) && options.rmst_tau < min_time)
    throw InputError("km: rmst_tau is smaller than the smallest survival time", {}, 0,
                     "rmst_tau", std::to_string(options.rmst_tau));

  // summary(fit, times =): sorted, non-finite times dropped (findrow).
  std::vector<double> times;
  for (const double t : options.times)
    if (std::isfinite(t)) times.push_back(t);
  std::sort(times.begin(), times.end());

  const std::size_t n_blocks = group ? group->levels.size() : 1;
  const auto order = survival::sort_by_time(
      data.time, data.status,
      group ? std::span<const std::int32_t>(group->code) : std::span<const std::int32_t>(),
      n_blocks);

  // Weights in sorted order: the only gather through the permutation.
  const std::vector<double> weight =
      data.weighted() ? survival::gather(data.weight, order.index) : std::vector<double>();

  KmResult result;
  km::CurveTable table;
  for (std::size_t b = 0; b < n_blocks; ++b) {
    const std::size_t begin = order.block_start[b], end = order.block_start[b + 1];
    if (begin == end) continue;  // survfit drops empty factor levels
    const std::size_t m = end - begin;
    km::km_table(std::span(order.time).subspan(begin, m), std::span(order.event).subspan(begin, m),
                 weight.empty() ? std::span<const double>() : std::span(weight).subspan(begin, m),
                 robust, options.conf_type, z, table);

    KmGroup g;
    g.group = group ? group->levels[b] : std::string("all");
    g.n = static_cast<double>(end - begin);
    g.n_start = table.n_risk.front();
    long double events = 0;  // R's sum() accumulates in long double
    for (const double d : table.n_event) events += d;
    g.events = static_cast<double>(events);
    g.robust_se = robust;
    g.median.estimate = km::minmin(table.surv, table.time);
    g.median.lower = km::minmin(table.lower, table.time);
    g.median.upper = km::minmin(table.upper, table.time);
    if (!is_na(options.rmst_tau)) g.rmst = km::restricted_mean(table, options.rmst_tau, start);
    g.at = km::summary_at(table, times, start);
    if (options.keep_curve) {
      g.curve.resize(table.size());
      for (std::size_t r = 0; r < table.size(); ++r) {
        KmPoint& p = g.curve[r];
        p.time = table.time[r];
        p.n_risk = table.n_risk[r];
        p.n_event = table.n_event[r];
        p.n_censor = table.n_censor[r];
        p.survival = table.surv[r];
        // summary.survfit reports the SE of S: R's std.err * surv when it is on the log scale.
        p.std_err = table.logse ? table.std_err[r] * table.surv[r] : table.std_err[r];
        p.lower = table.lower[r];
        p.upper = table.upper[r];
      }
    }
    result.groups.push_back(std::move(g));
  }
  return result;
}

}  // namespace survkit
