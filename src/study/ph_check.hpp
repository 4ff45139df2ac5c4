// Internal (study): the proportional-hazards check of the report's Cox models -- which
// variables fail the Grambsch–Therneau test (cox.zph, computed once by analyse_study and
// kept in each CoxModel::zph), the warning naming them with the usual remedies, and a
// scaled-Schoenfeld-residual figure (R's plot(cox.zph)) for each.  Pure functions of the
// spec and the results.
//
// The rule: a variable is flagged in a model when its cox.zph P < the spec's alpha
// (default 0.05).  Models checked: every univariate model (Tables 1–2), the
// multivariable model (Tables 3–4) and, with matching, the weighted Cox model of the
// matched sample.  One warning and one figure per flagged (endpoint, variable): the
// figure shows the residuals of the multivariable model when the variable is flagged
// there, else of its univariate model, else of the matched-sample model; beyond 2000
// deaths every k-th residual is drawn (the caption says so), the smooth uses all.
#pragma once

#include <string>
#include <vector>

#include "study/analyses.hpp"
#include "survkit/report.hpp"

namespace survkit::study {

/// One variable failing the test in one model.
struct PhFinding {
  enum class Model { Univariate, Multivariable, Matched };
  std::size_t endpoint = 0;
  Model model = Model::Univariate;
  const CoxModel* cox = nullptr;
  std::size_t var = 0;  ///< index in cox->vars
  double p = NA;
};

/// Every (endpoint, model, variable) with a cox.zph P below spec.alpha, in report order
/// (endpoints, then univariate, multivariable, matched; variables in model order).
std::vector<PhFinding> ph_findings(const StudySpec& spec, const StudyResults& r);

struct PhReport {
  std::vector<std::string> warnings;   ///< one per flagged (endpoint, variable)
  std::vector<ReportFigure> figures;   ///< the same, "Figure <number>a", "b", ...
};

/// The warnings and figures of the flagged variables.
PhReport ph_report(const StudySpec& spec, const StudyResults& r, int figure_number);

}  // namespace survkit::study
