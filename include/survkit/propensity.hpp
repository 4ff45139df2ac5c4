// survkit public API: the propensity score of a binary treatment, as MatchIt 4.5.1's
// distance = "glm": glm(treat ~ covariates, family = binomial) fitted values (the score)
// and the linear predictor (its logit, MatchIt's link = "linear.logit").
//
// Reused by `survkit match` and by the study pipeline: the matching itself
// (fit_match) takes the chosen distance as a plain vector.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/logistic.hpp"

namespace survkit {

struct PropensityOptions {
  /// IRLS settings; the defaults are glm.control()'s, which MatchIt uses.
  LogisticOptions logistic;
  /// Complete separation (a coefficient with no finite estimate: some covariate
  /// predicts treatment perfectly) makes the score degenerate -- 0 or 1 for whole
  /// groups, no overlap to match on.  MatchIt only passes on glm's warning; survkit
  /// refuses (AnalysisError naming the terms) unless this is true, in which case the
  /// fit is returned with separation flagged.  Fitted values merely "numerically 0 or 1"
  /// without an infinite coefficient are always only a warning, as in R.
  bool allow_separation = false;
};

/// The data.
///  treat : length n, 1 = treated, 0 = control; both groups must occur.
///  x     : n x p covariates, dummy-coded, WITHOUT the intercept (ModelFrame::design.x).
///  terms : length p, column names of x (used in messages and in the model summary).
///  design: instead of x (then empty): an n x (p + 1) design with the intercept column
///          first (FrameSpec::intercept_column), read in place by the fit
///          (LogisticInput::design); it must outlive the call.
struct PropensityInput {
  std::vector<std::uint8_t> treat;
  Eigen::MatrixXd x;
  std::vector<std::string> terms;
  const Eigen::MatrixXd* design = nullptr;
};

struct PropensityResult {
  std::vector<double> score;              ///< length n: fitted probabilities (glm fitted values)
  std::vector<double> linear_predictor;   ///< length n: logit(score), computed as glm's eta
  /// The full fit (coefficients, convergence, ...).  Its `fitted` and `linear_predictor`
  /// are moved into `score` and `linear_predictor` above: empty here.
  LogisticResult model;
  /// The model's warnings, plus one per covariate term that is constant within the
  /// treated or within the control group.  Such a covariate is kept (MatchIt proceeds):
  /// its balance SMD is then NA (zero SD in the treated) or meaningless, so it is said.
  std::vector<std::string> warnings;
};

/// Throws InputError for inconsistent sizes or a treatment other than 0/1;
/// AnalysisError when there are no treated or no control units, or on complete
/// separation (unless options.allow_separation).  Non-convergence is reported, not thrown.
/// The input is taken by value: pass it with std::move to hand the covariate matrix to
/// the fit without a copy.
PropensityResult fit_propensity(PropensityInput input, const PropensityOptions& options = {});

}  // namespace survkit
