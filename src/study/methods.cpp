#include "study/methods.hpp"

#include <fmt/core.h>

#include "study/format.hpp"
#include "survkit/enum_names.hpp"
#include "study/wording.hpp"

namespace survkit::study {

namespace {

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

/// What went into one endpoint's multivariable model, as configured.
std::string multivariable_rule(const StudySpec& spec, const MultivariableResult& mv) {
  if (!mv.by_list)
    return fmt::format("every variable with a univariate P < {}", wording::number(spec.multivariable.p_below));
  std::vector<std::string> names;
  for (const auto* v : mv.vars) names.push_back(v->spec->label);
  return wording::join(names);
}

std::string cox_models(const StudySpec& spec, const StudyResults& r) {
  std::string s = fmt::format("Hazard ratios with {} confidence intervals were estimated with Cox proportional hazards "
                              "models ({} method for ties), univariately for each variable and in ",
                              wording::percent(spec.conf_level), wording::ties(spec.ties));
  // One sentence when every endpoint's model holds the same variables, else one per endpoint.
  bool same = true;
  for (const auto& er : r.endpoints)
    same = same && er.multivariable.by_list == r.endpoints[0].multivariable.by_list &&
           multivariable_rule(spec, er.multivariable) == multivariable_rule(spec, r.endpoints[0].multivariable);
  if (same) {
    s += "a multivariable model including " + multivariable_rule(spec, r.endpoints[0].multivariable);
  } else {
    std::vector<std::string> per;
    for (const auto& er : r.endpoints)
      per.push_back(multivariable_rule(spec, er.multivariable) + " for " + er.endpoint->spec->short_name);
    s += "multivariable models including " + wording::join(per);
  }
  s += " (complete cases). " + wording::ph_methods(spec.ph_transform, spec.alpha);
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
                     wording::number(spec.matching.differing_p_below));
  s += fmt::format(", and patients were matched 1:{} by greedy nearest-neighbour matching on the {}", o.ratio,
                   spec.matching.use_logit ? "logit of the propensity score" : "propensity score");
  const std::string width = fmt::format("{} {}", wording::number(o.caliper),
                                        o.std_caliper ? "standard deviations of the distance" : "distance units");
  if (!is_na(o.caliper) && !o.matchit_quirks) s += " within a caliper of " + width;
  s += fmt::format(", {} replacement, in {} order", o.replace ? "with" : "without",
                   o.replace ? std::string_view("data") : to_name(o.order));
  if (o.matchit_quirks) {
    s += ", following MatchIt 4.5.1's matching rules exactly";
    if (!is_na(o.caliper)) s += " (a caliper of " + width + " was specified but, as in MatchIt 4.5.1, not enforced)";
  }
  const MatchCounts& t = m.result.match.treated;
  s += fmt::format(" ({} of {} {} patients matched). ", t.matched, t.all, treated);
  if (m.rows.size() < d.table.nrows)
    s += fmt::format("{} patients with a missing matching covariate were not eligible for matching. ",
                     d.table.nrows - m.rows.size());
  return s + "Balance was assessed with standardized mean differences. In the matched sample, survival was compared with " +
         std::string(wording::kKaplanMeier) +
         " curves, the log-rank test and a Cox model weighted by the matching weights with robust standard errors "
         "clustered on matched pairs.";
}

std::string software(const StudySpec& spec) {
  std::string s = fmt::format("Analyses were performed with survkit {}, whose estimates are numerically identical to R "
                              "survival 3.5",
                              SURVKIT_VERSION);
  if (spec.matching.enabled)
    s += spec.matching.options.matchit_quirks
             ? " and whose matching reproduces MatchIt 4.5.1 (including its unenforced caliper)"
             : " and whose matching follows the rules of MatchIt 4.5.4 and later (caliper enforced)";
  return s + ".";
}

}  // namespace

std::string methods_paragraph(const StudySpec& spec, const StudyResults& r) {
  std::string s = data_and_survival(spec, r.data) + cox_models(spec, r);
  if (r.matching) s += "\n\n" + matching(spec, r.data, *r.matching);
  s += fmt::format("\n\nAll tests were two-sided and P < {} was considered statistically significant. ",
                   wording::number(spec.alpha));
  return s + software(spec);
}

}  // namespace survkit::study
