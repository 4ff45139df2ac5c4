#include "study/methods.hpp"

#include <fmt/core.h>

#include "study/format.hpp"
#include "survkit/enum_names.hpp"
#include "study/wording.hpp"

namespace survkit::study {

namespace {

std::string label_of(const StudyData& d, const std::string& name) {
  if (name == "group") return d.group.spec->label;
  for (const auto& v : d.variables)
    if (v.spec->name == name) return v.spec->label;
  return name;
}

/// Patients, flow, endpoints and survival methods.
std::string data_and_survival(const StudySpec& spec, const StudyData& d) {
  std::string s = fmt::format("{} patients were analysed ({} records read", d.table.nrows, d.n_read);
  for (const auto& f : d.flow) s += fmt::format("; {} excluded: {}", f.excluded, f.criterion);
  s += "). ";
  std::vector<std::string> eps;
  for (const auto& e : d.endpoints) eps.push_back(e.spec->name + " (" + e.spec->short_name + ")");
  const TimeUnit unit = d.endpoints[0].spec->unit;
  s += "Endpoints were " + wording::join(eps) + ", measured in " + unit_name(unit);
  if (unit == TimeUnit::Months) s += " (days / 30.4375)";
  if (!spec.study_end_text.empty()) s += "; follow-up was censored administratively at " + spec.study_end_text;
  s += ". ";
  s += "Survival was estimated with the " + std::string(wording::kKaplanMeier) +
       " method (Greenwood variance, log-transformed confidence intervals) and compared between groups with the "
       "log-rank test";
  if (!spec.landmarks.empty())
    s += "; landmark survival rates are reported at " + wording::join_numbers(spec.landmarks) + " " + unit_name(unit);
  return s + ". ";
}

std::string cox_models(const StudySpec& spec, const StudyData& d) {
  std::string s = fmt::format("Hazard ratios with {} confidence intervals were estimated with Cox proportional hazards "
                              "models ({} method for ties), univariately for each variable and in a multivariable model ",
                              wording::percent(spec.conf_level), wording::ties(spec.ties));
  if (!spec.multivariable.covariates.empty()) {
    std::vector<std::string> names;
    for (const auto& c : spec.multivariable.covariates) names.push_back(label_of(d, c.name));
    s += "including " + wording::join(names) + ".";
  } else {
    s += fmt::format("including every variable with a univariate P < {}.", format_fixed(spec.multivariable.p_below, 3));
  }
  return s + " Categorical characteristics were compared between groups with " +
         wording::group_test_methods(spec.table1_test);
}

std::string matching(const StudySpec& spec, const StudyData& d, const MatchingResults& m) {
  const MatchOptions& o = spec.matching.options;
  std::vector<std::string> names;
  for (const auto* v : m.covariates) names.push_back(v->spec->label);
  const std::string& treated = d.group.factor.levels[m.treated_level];
  std::string s = fmt::format("To reduce confounding by indication, the propensity of receiving {} was estimated by "
                              "logistic regression on {}",
                              treated, wording::join(names));
  if (m.by_difference)
    s += fmt::format(" (the baseline variables that differed between the groups at P < {})",
                     format_fixed(spec.matching.differing_p_below, 3));
  s += fmt::format(", and patients were matched 1:{} by greedy nearest-neighbour matching on the {}", o.ratio,
                   spec.matching.use_logit ? "logit of the propensity score" : "propensity score");
  if (!is_na(o.caliper))
    s += fmt::format(" within a caliper of {} {}", format_fixed(o.caliper, 2),
                     o.std_caliper ? "standard deviations of the distance" : "distance units");
  s += fmt::format(", {} replacement, in {} order", o.replace ? "with" : "without", to_name(o.order));
  const MatchCounts& t = m.result.match.treated;
  s += fmt::format(" ({} of {} {} patients matched). ", t.matched, t.all, treated);
  return s + "Balance was assessed with standardized mean differences. In the matched sample, survival was compared with " +
         std::string(wording::kKaplanMeier) +
         " curves, the log-rank test and a Cox model weighted by the matching weights with robust standard errors "
         "clustered on matched pairs.";
}

}  // namespace

std::string methods_paragraph(const StudySpec& spec, const StudyResults& r) {
  std::string s = data_and_survival(spec, r.data) + cox_models(spec, r.data);
  if (r.matching) s += "\n\n" + matching(spec, r.data, *r.matching);
  s += fmt::format("\n\nAll tests were two-sided and P < {} was considered statistically significant. Analyses were "
                   "performed with survkit {} (numerically identical to R survival 3.5 / MatchIt 4.5).",
                   format_fixed(spec.alpha, 2), SURVKIT_VERSION);
  return s;
}

}  // namespace survkit::study
