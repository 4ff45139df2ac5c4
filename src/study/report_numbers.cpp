#include "study/report_numbers.hpp"

#include <cmath>

#include "study/derive.hpp"

namespace survkit::study {

namespace {

struct Numbers {
  std::vector<ReportNumber> out;
  void add(std::string name, double value) { out.push_back(ReportNumber{std::move(name), value}); }
};

/// The spec's settings that the Methods, notes and headers print.
void spec_settings(Numbers& n, const StudySpec& spec, const StudyResults& r) {
  n.add("spec.conf_level", spec.conf_level);
  n.add("spec.alpha", spec.alpha);
  for (std::size_t k = 0; k < spec.landmarks.size(); ++k) n.add("spec.landmarks." + std::to_string(k), spec.landmarks[k]);
  if (!is_na(spec.multivariable.p_below)) n.add("spec.multivariable_p_below", spec.multivariable.p_below);
  if (!is_na(spec.time_breaks)) n.add("spec.time_breaks", spec.time_breaks);
  // The Methods states the unit conventions ("months (days / 30.4375)").
  for (const auto& e : r.data.endpoints)
    if (e.spec->unit != TimeUnit::Days) {
      n.add("convention.days_per_" + std::string(e.spec->unit == TimeUnit::Months ? "month" : "year"),
            days_per(e.spec->unit));
      break;
    }
  if (spec.matching.enabled) {
    const MatchOptions& o = spec.matching.options;
    n.add("spec.matching.ratio", o.ratio);
    if (!is_na(o.caliper)) n.add("spec.matching.caliper", o.caliper);
    if (spec.matching.covariates.empty()) n.add("spec.matching.p_below", spec.matching.differing_p_below);
  }
}

}  // namespace

std::vector<ReportNumber> report_numbers(const StudySpec& spec, const StudyResults& r) {
  Numbers n;
  spec_settings(n, spec, r);
  const auto& levels = r.data.group.factor.levels;
  // The group sizes in Table 5's column headers.
  for (std::size_t g = 0; g < levels.size(); ++g) n.add("group.n_before." + levels[g], r.n_group_before[g]);
  for (std::size_t g = 0; g < r.n_group_after.size() && g < levels.size(); ++g)
    n.add("group.n_after." + levels[g], r.n_group_after[g]);
  // The multivariable tables' notes (N, events) and the Results (terms with P < alpha).
  for (const auto& er : r.endpoints) {
    const std::string id = er.endpoint->spec->id + ".multivariable.";
    const MultivariableResult& mv = er.multivariable;
    if (mv.vars.empty()) continue;
    n.add(id + "n", static_cast<double>(mv.cox.n));
    if (mv.cox.zph) {  // the global test of proportional hazards in the table's note
      n.add(id + "ph_global.chisq", mv.cox.zph->global.stat);
      n.add(id + "ph_global.df", mv.cox.zph->global.df);
      n.add(id + "ph_global.p", mv.cox.zph->global.p);
    }
    if (!mv.cox.ok()) continue;
    n.add(id + "events", mv.cox.result.events);
    double significant = 0;
    for (const auto& t : mv.cox.result.terms) significant += !is_na(t.p) && t.p < spec.alpha;
    n.add(id + "terms_below_alpha", significant);
  }
  if (r.matching) {
    const MatchingResults& m = *r.matching;
    const MatchCounts& t = m.result.match.treated;
    const MatchCounts& c = m.result.match.control;
    n.add("matching.treated.all", static_cast<double>(t.all));
    n.add("matching.treated.matched", static_cast<double>(t.matched));
    n.add("matching.treated.unmatched", static_cast<double>(t.unmatched));
    n.add("matching.control.all", static_cast<double>(c.all));
    n.add("matching.control.matched", static_cast<double>(c.matched));
    n.add("matching.not_eligible", static_cast<double>(m.not_eligible(r.data.table.nrows)));
    double worst = NA;
    for (const auto& smd : r.smd)
      for (double x : smd.after)
        if (!is_na(x) && (is_na(worst) || std::fabs(x) > worst)) worst = std::fabs(x);
    n.add("matching.largest_abs_smd_after", worst);
  }
  return n.out;
}

std::vector<FlowStep> matching_flow(const StudyResults& r) {
  std::vector<FlowStep> out;
  if (!r.matching) return out;
  const MatchingResults& m = *r.matching;
  const std::size_t n = r.data.table.nrows;
  std::vector<std::size_t> first_missing(m.covariates.size(), 0);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t k = 0; k < m.covariates.size(); ++k)
      if (m.covariates[k]->factor.code[i] < 0) {
        ++first_missing[k];
        break;
      }
  std::size_t remaining = n;
  for (std::size_t k = 0; k < m.covariates.size(); ++k) {
    if (first_missing[k] == 0) continue;
    remaining -= first_missing[k];
    out.push_back(FlowStep{"Not eligible for matching: missing " + m.covariates[k]->spec->label, first_missing[k],
                           remaining});
  }
  return out;
}

}  // namespace survkit::study
