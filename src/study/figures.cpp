#include "study/figures.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <limits>

#include "study/format.hpp"
#include "study/wording.hpp"

namespace survkit::study {

namespace {

/// Number at risk at each tick: the (weighted) number of rows with time >= tick, per
/// curve.  One sort per group, then a binary search per tick.
std::vector<std::vector<double>> at_risk(const SurvData& s, const Factor& g, const std::vector<KmCurve>& curves,
                                         const std::vector<double>& ticks) {
  std::vector<std::vector<double>> out;
  for (const auto& curve : curves) {
    std::vector<std::pair<double, double>> tw;
    const auto code =
        static_cast<std::int32_t>(std::find(g.levels.begin(), g.levels.end(), curve.label) - g.levels.begin());
    for (std::size_t i = 0; i < s.size(); ++i)
      if (g.code[i] == code) tw.emplace_back(s.time[i], s.w(i));
    std::sort(tw.begin(), tw.end());
    std::vector<double> suffix(tw.size() + 1, 0.0);
    for (std::size_t i = tw.size(); i-- > 0;) suffix[i] = suffix[i + 1] + tw[i].second;
    std::vector<double> row;
    for (double t : ticks) {
      const auto it = std::lower_bound(tw.begin(), tw.end(), std::make_pair(t, -std::numeric_limits<double>::infinity()));
      row.push_back(suffix[static_cast<std::size_t>(it - tw.begin())]);
    }
    out.push_back(std::move(row));
  }
  return out;
}

KmCurve plot_curve(const KmGroup& kg) {
  KmCurve c;
  c.label = kg.group;
  for (const auto& p : kg.curve) {
    c.time.push_back(p.time);
    c.survival.push_back(p.survival);
    c.lower.push_back(p.lower);
    c.upper.push_back(p.upper);
    if (p.n_censor > 0) {
      c.censor_time.push_back(p.time);
      c.censor_survival.push_back(p.survival);
    }
  }
  return c;
}

/// "Log-rank P = 0.012" and one "HR 2.345 (95% CI 1.2–4.5)" line per non-reference
/// group level.
std::string annotation(const StudySpec& spec, const StudyVariable& group, const GroupComparison& c) {
  std::string note;
  // After matching, the paired test of the matched-sample table (the robust score test).
  const double p = c.matched ? (c.cox.ok() ? c.cox.result.robust_score.p : NA) : c.logrank.p();
  if (!is_na(p))
    note = (c.matched ? "Robust score " : "Log-rank ") + p_clause(p);
  const auto& levels = group.factor.levels;
  for (std::size_t l = 0; l < levels.size(); ++l) {
    const CoxTerm* t = l == group.reference ? nullptr : c.cox.term(0, l);
    if (!t) continue;
    note += fmt::format("\nHR{} {} ({} CI {})", levels.size() > 2 ? " " + levels[l] : "", format_fixed(t->hr, 3),
                        wording::percent(spec.conf_level), ci_cell(t->lower, t->upper, 3).text);
  }
  return note;
}

}  // namespace

ReportFigure km_figure(const StudySpec& spec, const StudyResults& r, std::size_t endpoint, bool matched, char letter) {
  const EndpointResults& er = r.endpoints[endpoint];
  const StudyEndpoint& e = *er.endpoint;
  const GroupComparison& c = matched ? *er.matched : er.all;
  const StudyVariable& group = r.data.group;
  ReportFigure f;
  f.kind = ReportFigure::Kind::Km;
  const std::string when = matched ? "after" : "before";
  f.id = fmt::format("figure1{}_{}_{}_matching", letter, e.spec->id, when);
  f.title = fmt::format("Figure 1{}. {} {} matching", letter, e.spec->name, when);
  if (!spec.matching.enabled) {
    f.id = fmt::format("figure1{}_{}", letter, e.spec->id);
    f.title = fmt::format("Figure 1{}. {}", letter, e.spec->name);
  }
  for (const auto& kg : c.km.groups) f.km.curves.push_back(plot_curve(kg));
  KmPlotOptions& o = f.km.options;
  o.x_label = fmt::format("Time ({})", unit_name(e.spec->unit));
  o.y_label = e.spec->name + " probability";
  o.ci_bands = spec.ci_bands;
  o.time_unit = e.spec->unit;       // ticks at 6/12/24 months, 1/2/5 years, ...
  o.x_tick_step = spec.time_breaks;  // or the spec's step
  f.km.risk.ticks = km_plot_ticks(f.km);
  f.km.risk.n_at_risk = at_risk(c.surv, c.group, f.km.curves, f.km.risk.ticks);
  o.annotation = annotation(spec, group, c);
  f.caption = fmt::format("{} estimates of {} by {}{}, with {} confidence bands; tick marks are "
                          "censored patients. HR: {} against {}{}.",
                          wording::kKaplanMeier, e.spec->name, spec.group.label, matched ? " in the matched sample" : "",
                          wording::percent(spec.conf_level),
                          matched ? "Cox model weighted by the matching weights with robust SE clustered on matched pairs"
                                  : "univariate Cox model",
                          group.factor.levels[group.reference],
                          matched ? "; P: robust score test of that model, which respects the pairs" : "");
  return f;
}

ReportFigure love_figure(const StudyResults& r) {
  const BalanceResult& bal = r.matching->result.balance;
  ReportFigure f;
  f.id = "love_plot";
  f.title = "Covariate balance before and after matching (Love plot)";
  f.caption = "Absolute standardized mean differences of the baseline variables before and after propensity score "
              "matching; the dashed line marks 0.1.";
  f.kind = ReportFigure::Kind::Love;
  f.love.covariates.push_back("Propensity score (distance)");
  f.love.smd_before.push_back(bal.all.empty() ? NA : bal.all[0].std_mean_diff);
  f.love.smd_after.push_back(bal.matched.empty() ? NA : bal.matched[0].std_mean_diff);
  for (std::size_t k = 0; k < r.baseline.size(); ++k) {
    const StudyVariable& v = *r.baseline[k];
    for (std::size_t l = 0; l < v.factor.levels.size(); ++l) {
      if (v.factor.levels.size() == 2 && l == v.reference) continue;  // a binary variable: one row
      if (is_na(r.smd[k].before[l]) && is_na(r.smd[k].after[l])) continue;  // level absent
      f.love.covariates.push_back(v.spec->label + ": " + v.factor.levels[l]);
      f.love.smd_before.push_back(r.smd[k].before[l]);
      f.love.smd_after.push_back(r.smd[k].after[l]);
    }
  }
  return f;
}

}  // namespace survkit::study
