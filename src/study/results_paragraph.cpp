#include "study/results_paragraph.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "study/format.hpp"
#include "study/wording.hpp"

namespace survkit::study {

namespace {

/// "34.5 months (95% CI 20.1–NR)", or "not reached".
std::string median_text(const Estimate& m, const std::string& unit, double level) {
  if (is_na(m.estimate)) return "not reached";
  return fmt::format("{} {} ({} CI {}\u2013{})", time_text(m.estimate), unit, wording::percent(level), time_text(m.lower),
                     time_text(m.upper));
}

std::string rates_text(const StudySpec& spec, const KmGroup& g, const std::string& unit) {
  std::vector<std::string> parts;
  for (double lm : spec.landmarks) {
    const double s = landmark_survival(g, lm);
    if (!is_na(s)) parts.push_back(fmt::format("{} at {} {}", percent_cell(s).text, format_fixed(lm, lm == std::floor(lm) ? 0 : 2), unit));
  }
  return wording::join(parts);
}

std::string hr_text(const CoxTerm& t, double level) {
  return fmt::format("HR {}, {} CI {}, {}", format_fixed(t.hr, 3), wording::percent(level), ci_cell(t.lower, t.upper).text,
                     p_clause(t.p));
}

/// Follow-up and the overall and per-group survival of one endpoint.
std::string endpoint_sentences(const StudySpec& spec, const EndpointResults& er, bool first) {
  const StudyEndpoint& e = *er.endpoint;
  const std::string unit = unit_name(e.spec->unit);
  const KmGroup& all = er.followup.overall.groups[0];
  std::string s;
  if (first) {
    s += fmt::format("Of the {} patients analysed, {} had an event for {}", count_cell(all.n_start).text,
                     count_cell(all.events).text, e.spec->short_name);
    const auto& fu = er.followup.quartiles[0];
    if (!is_na(fu[1].estimate))
      s += fmt::format(" during a median follow-up of {} {} (IQR {}\u2013{})", time_text(fu[1].estimate), unit,
                       time_text(fu[0].estimate), time_text(fu[2].estimate));
    s += ". ";
  } else {
    s += fmt::format("{} events occurred for {}. ", count_cell(all.events).text, e.spec->short_name);
  }
  const std::string rates = rates_text(spec, all, unit);
  s += fmt::format("The median {} was {}", e.spec->short_name, median_text(all.median, unit, spec.conf_level));
  if (!rates.empty()) s += ", with rates of " + rates;
  s += ". ";
  std::vector<std::string> groups;
  for (const auto& g : er.all.km.groups) {
    std::string gs = fmt::format("{} for {}", median_text(g.median, unit, spec.conf_level), g.group);
    const std::string gr = rates_text(spec, g, unit);
    if (!gr.empty()) gs += " (" + gr + ")";
    groups.push_back(gs);
  }
  s += fmt::format("By {}, the median {} was {}", spec.group.label, e.spec->short_name, wording::join(groups));
  if (er.all.logrank.result) s += fmt::format(" (log-rank {})", p_clause(er.all.logrank.p()));
  return s + ". ";
}

/// The variables of the multivariable model with P below alpha.
std::string multivariable_sentence(const StudySpec& spec, const EndpointResults& er) {
  const MultivariableResult& mv = er.multivariable;
  if (mv.vars.empty() || !mv.cox.ok()) return "";
  std::vector<std::string> found;
  for (std::size_t v = 0; v < mv.vars.size(); ++v)
    for (std::size_t l = 0; l < mv.vars[v]->factor.levels.size(); ++l)
      if (const CoxTerm* t = mv.cox.term(v, l); t && !is_na(t->p) && t->p < spec.alpha)
        found.push_back(fmt::format("{} ({} vs {}; {})", mv.vars[v]->spec->label, mv.vars[v]->factor.levels[l],
                                    mv.vars[v]->factor.levels[mv.vars[v]->reference], hr_text(*t, spec.conf_level)));
  if (found.empty())
    return fmt::format("In the multivariable model for {}, no variable had P < {}. ", er.endpoint->spec->short_name,
                       wording::number(spec.alpha));
  return fmt::format("In the multivariable model for {}, {} {} independently associated with {}: {}. ",
                     er.endpoint->spec->short_name, found.size(), found.size() == 1 ? "variable was" : "variables were",
                     er.endpoint->spec->short_name, wording::join(found));
}

std::string matching_sentences(const StudySpec& spec, const StudyResults& r) {
  const MatchingResults& m = *r.matching;
  const MatchCounts& t = m.result.match.treated;
  const MatchCounts& c = m.result.match.control;
  std::string s = fmt::format("Propensity score matching kept {} of {} {} patients and {} controls",
                              t.matched, t.all, r.data.group.factor.levels[m.treated_level], c.matched);
  double worst = NA;
  for (const auto& smd : r.smd)
    for (double x : smd.after)
      if (!is_na(x) && (is_na(worst) || std::fabs(x) > worst)) worst = std::fabs(x);
  if (!is_na(worst)) s += fmt::format("; the largest absolute standardized mean difference after matching was {}", format_fixed(worst, 3));
  s += ". ";
  const StudyVariable& g = r.data.group;
  for (const auto& er : r.endpoints) {
    const GroupComparison& mc = *er.matched;
    for (std::size_t l = 0; l < g.factor.levels.size(); ++l) {
      const CoxTerm* term = l == g.reference ? nullptr : mc.cox.term(0, l);
      if (!term) continue;
      s += fmt::format("In the matched sample, the {} hazard ratio of {} vs {} was {} ({} CI {}; robust score {}). ",
                       er.endpoint->spec->short_name, g.factor.levels[l], g.factor.levels[g.reference],
                       format_fixed(term->hr, 3), wording::percent(spec.conf_level),
                       ci_cell(term->lower, term->upper).text, p_clause(mc.cox.result.robust_score.p));
    }
  }
  return s;
}

}  // namespace

std::string results_paragraph(const StudySpec& spec, const StudyResults& r) {
  std::string s;
  for (std::size_t k = 0; k < r.endpoints.size(); ++k) s += endpoint_sentences(spec, r.endpoints[k], k == 0);
  std::string mv;
  for (const auto& er : r.endpoints) mv += multivariable_sentence(spec, er);
  if (!mv.empty()) s += "\n\n" + mv;
  if (r.matching) s += "\n\n" + matching_sentences(spec, r);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  // A paragraph break leaves no trailing space before it.
  for (std::size_t pos; (pos = s.find(" \n\n")) != std::string::npos;) s.erase(pos, 1);
  return s;
}

}  // namespace survkit::study
