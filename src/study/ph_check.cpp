#include "study/ph_check.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>

#include "study/format.hpp"
#include "study/wording.hpp"
#include "survkit/cox_zph_plot.hpp"

namespace survkit::study {

namespace {

using Model = PhFinding::Model;

/// A variable name as part of a file id ([a-z0-9_]).
std::string id_part(const std::string& name) {
  std::string s;
  for (unsigned char c : name) s += std::isalnum(c) && c < 128 ? static_cast<char>(std::tolower(c)) : '_';
  return s;
}

std::string model_name(Model m) {
  switch (m) {
    case Model::Univariate: return "univariate model";
    case Model::Multivariable: return "multivariable model";
    case Model::Matched: return "weighted Cox model of the matched sample";
  }
  return {};
}

/// Where the smooth would lie under proportional hazards: the coefficient of a
/// one-column variable; 1 for a factor with several columns (R collapses them to the
/// variable's linear predictor, whose coefficient is 1).
double reference_line(const CoxModel& m, std::size_t var, const CoxZphTerm& t) {
  if (t.df != 1) return 1.0;
  for (std::size_t l = 0; l < m.vars[var]->factor.levels.size(); ++l)
    if (const CoxTerm* ct = m.term(var, l); ct && !ct->aliased) return ct->coef;
  return NA;
}

/// At most this many residuals are drawn (every k-th in death order beyond it): a
/// figure of a large cohort stays a few hundred kilobytes; the smooth uses them all.
constexpr std::size_t kMaxPoints = 2000;

ReportFigure residual_figure(const StudySpec& spec, const StudyResults& r, const PhFinding& f, const std::string& name) {
  const CoxModel& m = *f.cox;
  const CoxZphResult& z = *m.zph;
  const std::size_t k = m.ph_index(f.var);
  const StudyVariable& v = *m.vars[f.var];
  const StudyEndpoint& e = *r.endpoints[f.endpoint].endpoint;
  const CoxZphSmooth s = cox_zph_smooth(z, k);
  ReportFigure fig;
  fig.kind = ReportFigure::Kind::Zph;
  fig.id = fmt::format("figure{}_{}_ph_{}", name, e.spec->id, id_part(v.spec->name));
  fig.title = fmt::format("Figure {}. Scaled Schoenfeld residuals of {}, {} ({})", name, v.spec->label,
                          e.spec->short_name, model_name(f.model));
  ZphPlot& p = fig.zph;
  const std::size_t stride = (s.x.size() + kMaxPoints - 1) / kMaxPoints;
  for (std::size_t i = 0; i < s.x.size(); i += std::max<std::size_t>(stride, 1)) {
    p.x.push_back(s.x[i]);
    p.y.push_back(s.y[i]);
  }
  if (s.ok) {
    p.fit_x = s.pred_x;
    p.fit = s.fit;
    p.lower = s.lower;
    p.upper = s.upper;
  }
  for (const CoxZphTick& t : cox_zph_time_axis(z)) {
    p.x_ticks.push_back(t.x);
    p.x_tick_labels.push_back(fmt::format("{}", t.time));
  }
  const std::string unit = unit_name(e.spec->unit);
  p.options.x_label = spec.ph_transform == ZphTransform::Identity
                          ? fmt::format("Time ({})", unit)
                          : fmt::format("Time ({}), on {}", unit, wording::ph_scale(spec.ph_transform));
  p.options.y_label = "Beta(t) for " + v.spec->label;
  p.options.reference = reference_line(m, f.var, z.terms[k]);
  fig.caption = fmt::format(
      "Scaled Schoenfeld residuals of {} (circles{}) in the {} of {}, against time on {}, with a natural-spline smooth "
      "(4 df, solid line) and \u00b12 standard errors (dashed), as R's plot(cox.zph){}. Under proportional hazards the "
      "smooth is flat; Grambsch\u2013Therneau test {}.{}",
      v.spec->label,
      stride > 1 ? fmt::format("; one in {} of the {} residuals shown, the smooth uses all", stride, s.x.size())
                 : std::string(),
      model_name(f.model), e.spec->name, wording::ph_scale(spec.ph_transform),
      is_na(p.options.reference) ? ""
      : z.terms[k].df == 1      ? fmt::format("; the dotted line is the model's coefficient ({})",
                                              format_fixed(p.options.reference, 3))
                                : "; the dotted line is 1, the coefficient of the variable's linear predictor",
      p_clause(f.p), s.ok ? "" : " The smooth is not drawn: " + s.warning + ".");
  return fig;
}

}  // namespace

std::vector<PhFinding> ph_findings(const StudySpec& spec, const StudyResults& r) {
  std::vector<PhFinding> out;
  auto check = [&](std::size_t e, Model kind, const CoxModel& m) {
    for (std::size_t v = 0; v < m.vars.size(); ++v)
      if (const CoxZphTerm* t = m.ph_term(v); t && !is_na(t->p) && t->p < spec.alpha)
        out.push_back({e, kind, &m, v, t->p});
  };
  for (std::size_t e = 0; e < r.endpoints.size(); ++e) {
    const EndpointResults& er = r.endpoints[e];
    for (const auto& u : er.univariate) check(e, Model::Univariate, u.cox);
    check(e, Model::Multivariable, er.multivariable.cox);
    if (er.matched) check(e, Model::Matched, er.matched->cox);
  }
  return out;
}

PhReport ph_report(const StudySpec& spec, const StudyResults& r, int figure_number) {
  const std::vector<PhFinding> all = ph_findings(spec, r);
  PhReport out;
  char letter = 'a';
  std::vector<bool> done(all.size(), false);
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (done[i]) continue;
    // Every model of this endpoint in which the same variable is flagged.
    const StudyVariable* var = all[i].cox->vars[all[i].var];
    std::vector<const PhFinding*> same;
    for (std::size_t j = i; j < all.size(); ++j)
      if (all[j].endpoint == all[i].endpoint && all[j].cox->vars[all[j].var] == var) {
        same.push_back(&all[j]);
        done[j] = true;
      }
    const PhFinding* shown = same.front();  // univariate < multivariable < matched in report order
    for (const PhFinding* f : same)
      if (f->model == Model::Multivariable) shown = f;
    const std::string name = fmt::format("{}{}", figure_number, letter++);
    out.figures.push_back(residual_figure(spec, r, *shown, name));
    std::vector<std::string> where;
    for (const PhFinding* f : same) where.push_back(p_clause(f->p) + " in the " + model_name(f->model));
    out.warnings.push_back(fmt::format(
        "{}: proportional hazards doubtful for {} (Grambsch\u2013Therneau test {}; Figure {}): its hazard ratio "
        "changes over time; {}.",
        r.endpoints[all[i].endpoint].endpoint->spec->short_name, var->spec->label, wording::join(where), name,
        wording::kPhRemedy));
  }
  return out;
}

}  // namespace survkit::study
