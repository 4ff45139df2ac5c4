// Internal (study): every analysis a study spec asks for, fitted exactly once, as core
// result types.  This is the study's `coxph()`; tables.*, figures.* and methods.* are its
// `print.coxph()`: pure functions of the spec and these results.
//
// Contract:
//  * each number comes from a public estimator (fit_km, fit_logrank, fit_cox,
//    fit_crosstab, chisq_test, run_matching) called on the analysed rows, so a table
//    cell is the number `survkit km / logrank / cox / crosstab / match` prints for the
//    same data;
//  * each fit happens once: the group's KM curve, log-rank test and Cox model of an
//    endpoint are shared by the univariate table, the medians table and the figures;
//  * no strings are formatted here.  The only text is what the estimators report
//    (warnings, error messages), kept with the result it belongs to, and the study's
//    warnings list, in the order the analyses ran;
//  * numerical trouble is recorded (CoxModel::error, LogrankFit::error, warnings), never
//    thrown.  Bad specs or data throw, as documented on run_study().
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "study/derive.hpp"
#include "survkit/cox.hpp"
#include "survkit/cox_zph.hpp"
#include "survkit/km.hpp"
#include "survkit/logrank.hpp"
#include "survkit/match.hpp"

namespace survkit::study {

/// A Cox model of some study variables, fitted on the rows where all of them are
/// present (and, when weighted, whose weight is > 0).
struct CoxModel {
  std::vector<const StudyVariable*> vars;
  std::size_t n = 0;                  ///< rows used
  std::optional<std::string> error;   ///< the AnalysisError that stopped the fit, if any
  CoxResult result;                   ///< valid when !error
  /// (index in `vars`, level) -> index in result.terms, for every non-reference level.
  std::map<std::pair<std::size_t, std::size_t>, std::size_t> term_of;
  /// The test of proportional hazards of this model (fit_cox_zph, the spec's transform):
  /// one term per variable, named after the variable (spec name), df = its number of
  /// non-aliased dummies.  Empty when the fit failed or the test could not be computed
  /// (then zph_error says why).
  std::optional<CoxZphResult> zph;
  std::optional<std::string> zph_error;

  bool ok() const { return !error; }
  /// The term of level `level` of vars[var], or nullptr (reference level, failed fit).
  const CoxTerm* term(std::size_t var, std::size_t level) const;
  /// The proportional-hazards test of vars[var] (its row of cox.zph's table), or nullptr
  /// (no test, or every coefficient of the variable aliased).
  const CoxZphTerm* ph_term(std::size_t var) const;
  /// The index of vars[var] in zph->terms (zph->terms.size() when absent).
  std::size_t ph_index(std::size_t var) const;
};

/// A log-rank test, or why there is none.
struct LogrankFit {
  std::optional<LogrankResult> result;
  std::optional<std::string> error;
  double p() const { return result ? result->test.p : NA; }
};

/// One variable of a univariate table (Tables 1 and 2): its KM curves by level, the
/// landmark rates, and its univariate Cox model, on the rows where it is present.
struct UnivariateResult {
  const StudyVariable* var = nullptr;
  std::vector<double> n_level;  ///< patients per level (rows where the variable is present)
  double n_missing = 0;         ///< analysed patients without the variable (not in its KM or Cox model)
  KmResult km;                  ///< by level, with summaries at the landmarks
  /// [level][landmark]: the KM estimate at each landmark; NA when R's summary(times =)
  /// drops the time (beyond the level's last time), except that a curve that ended at
  /// 0 with an event is known to stay 0 (then 0).  NA too for a level with no patient.
  std::vector<std::vector<double>> landmark_survival;
  CoxModel cox;
  double min_p = NA;  ///< the smallest Wald P over its levels (the multivariable P rule)
};

/// The exposure groups compared on one endpoint, in all patients or in the matched
/// sample (weighted by the matching weights): the rows used, their KM curves, the
/// log-rank test and the Cox model of the group (after matching: weighted, with robust
/// SE clustered on the matched pairs).
struct GroupComparison {
  bool matched = false;
  SurvData surv;  ///< the rows used (with weights after matching)
  Factor group;
  KmResult km;    ///< full curves (medians, figures), with the landmark rates in `at`
  LogrankFit logrank;
  CoxModel cox;
  /// After matching, the tests that respect the pairs: the robust score test of `cox`
  /// (cox.result.robust_score: R's coxph(..., weights, cluster = subclass) "Robust"
  /// test, the default, since it comes from the model that gives the HR and its CI),
  /// and the log-rank test stratified on the matched pairs (R: survdiff(... +
  /// strata(subclass)); none when matching with replacement, which has no pairs).
  LogrankFit logrank_by_pair;
};

/// Follow-up and the overall curve of one endpoint: all patients, then each group.
struct FollowUp {
  KmResult overall;  ///< one curve ("all"), with the landmark rates in `at`
  /// Reverse Kaplan-Meier (censoring as the event): median follow-up and its quartiles,
  /// quantile(survfit(Surv(time, 1 - status) ~ 1), c(.25, .5, .75)).  [0] all patients,
  /// then one per group level present, in level order.
  std::vector<std::vector<Estimate>> quartiles;
};

struct MultivariableResult {
  bool by_list = true;  ///< the spec's list; false = the univariate P rule
  std::vector<const StudyVariable*> vars;  ///< empty: nothing met the rule, no model
  CoxModel cox;
};

struct EndpointResults {
  const StudyEndpoint* endpoint = nullptr;
  std::vector<UnivariateResult> univariate;  ///< the variables in spec order, then the group
  GroupComparison all;
  std::optional<GroupComparison> matched;
  FollowUp followup;
  MultivariableResult multivariable;
};

/// A baseline variable against the group (Table 5): counts and the test, on the
/// patients who have the variable (all analysed patients, or the matched sample).
struct GroupTest {
  std::vector<std::vector<double>> counts;  ///< [level][group]; weighted counts after matching
  std::vector<double> missing;              ///< [group]: patients without the variable (weighted after matching)
  double p = NA;
  bool fisher = false;  ///< P is Fisher's exact test (else Pearson's chi-square)
};

/// Standardized mean differences of each level indicator of a baseline variable, as
/// MatchIt's summary() computes them (denominator: the SD in the treated group before
/// matching), on the same patients as its GroupTest counts: every analysed patient who
/// has the variable before matching, the matched ones (weighted) after.
struct LevelSmd {
  std::vector<double> before, after;  ///< per level; NA for a level absent from the data
};

struct MatchingResults {
  std::vector<const StudyVariable*> covariates;  ///< the propensity model's variables
  bool by_difference = false;   ///< chosen by the "differing" rule (else the spec's list)
  std::size_t treated_level = 0;
  std::vector<std::size_t> rows;  ///< the units (complete cases), analysed-row indices
  /// Matching covariates some analysed patients lack: those patients are not eligible.
  std::vector<const StudyVariable*> missing_covariates;
  MatchingResult result;          ///< score, match, and the balance of the distance
  std::vector<double> weights;         ///< length n analysed; 0 = not in the matched sample
  std::vector<std::int32_t> subclass;  ///< length n analysed (pair codes); empty with replacement
  bool weighted = false;               ///< some matched patient has a weight other than 1

  std::size_t not_eligible(std::size_t n_analysed) const { return n_analysed - rows.size(); }
};

struct StudyResults {
  StudyResults() = default;
  StudyResults(const StudyResults&) = delete;
  StudyResults& operator=(const StudyResults&) = delete;

  StudyData data;
  std::vector<const StudyVariable*> baseline;  ///< the baseline variables (Table 5), spec order
  std::vector<EndpointResults> endpoints;      ///< spec order
  std::vector<GroupTest> before;               ///< per baseline variable, all patients
  std::optional<MatchingResults> matching;
  std::vector<GroupTest> after;                ///< per baseline variable, matched sample
  std::vector<LevelSmd> smd;                   ///< per baseline variable (with matching)
  std::vector<double> n_group_before, n_group_after;  ///< patients (summed weights) per group
  /// Every warning of the analyses, with its context, in the order they ran.
  std::vector<std::string> warnings;
};

/// The KM estimate of a curve at time `t`: R's summary(times =) value, NA beyond the
/// curve's last time (extend = FALSE) except that a curve that ended at 0 with an
/// event is known to stay 0.
double landmark_survival(const KmGroup& g, double t);

/// Derives the analysed data set and fits everything the spec asks for, once.
/// Throws as run_study() documents.  The results point into themselves (variables,
/// endpoints) and into `spec`, which must outlive them: they are handed out behind a
/// pointer, never copied.
std::unique_ptr<const StudyResults> analyse_study(const StudySpec& spec, const Table& data);

}  // namespace survkit::study
