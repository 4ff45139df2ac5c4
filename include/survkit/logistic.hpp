// survkit public API: logistic regression, numerically as R's
//   glm(y ~ x1 + ... + xp, family = binomial, weights = w)
// followed by summary() and confint.default().
//
// The fit reproduces glm.fit's IRLS step by step (same starting values, working weights
// and responses, the same LINPACK-style pivoted QR with its rank tolerance, the same
// convergence rule and step halving), so that fitted probabilities equal R's to about
// 1e-10 relative: they are used as propensity scores, and matching depends on their ties.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "survkit/common.hpp"

namespace survkit {

/// Tuning of the IRLS fit; the defaults are R's glm.control().
struct LogisticOptions {
  /// Maximum number of IRLS iterations (glm.control(maxit)).
  int max_iter = 25;
  /// Convergence when |dev - dev_old| / (|dev| + 0.1) < epsilon (glm.control(epsilon)).
  /// The QR rank tolerance is min(1e-7, epsilon / 1000), as in glm.fit.
  double epsilon = 1e-8;
  /// Level of the Wald confidence intervals (confint.default).
  double conf_level = 0.95;
};

/// The data of one fit.
///  y      : length n, 0/1 outcome (for propensity scores: 1 = treated).
///  x      : n x p covariates WITHOUT the intercept; the fit adds "(Intercept)" first.
///  terms  : length p, the names of the columns of x.
///  weight : empty (all 1) or length n prior weights, finite and >= 0 (R's `weights=`).
///           Rows with weight 0 do not enter the fit but still get fitted values.
///  design : instead of x (then empty): the caller's n x (p + 1) design, intercept column
///           of ones first, then the p terms (a model frame built with
///           FrameSpec::intercept_column).  It is read in place, not copied, and must
///           outlive the call; at 1e6 x 10 that saves a new 88 MB matrix.
struct LogisticInput {
  std::vector<std::uint8_t> y;
  Eigen::MatrixXd x;
  std::vector<std::string> terms;
  std::vector<double> weight;
  const Eigen::MatrixXd* design = nullptr;
};

/// One row of summary(fit)$coefficients plus its odds ratio.
/// For an aliased term (linearly dependent on earlier columns, R's NA coefficient)
/// every number is NA and `aliased` is true.
struct LogisticTerm {
  std::string term;
  double coef = NA;        ///< log odds ratio (Estimate)
  double se = NA;          ///< Std. Error, dispersion 1 (summary.glm)
  double z = NA;           ///< coef / se
  double p = NA;           ///< two-sided normal p-value, 2 * pnorm(-|z|)
  double odds_ratio = NA;  ///< exp(coef)
  /// Wald interval coef -/+ qnorm((1 + conf_level) / 2) * se (confint.default),
  /// exponentiated: lower/upper are on the ODDS RATIO scale.
  double lower = NA;
  double upper = NA;
  bool aliased = false;
  /// Separation diagnosis: the coefficient seems to diverge to +/- infinity
  /// (see LogisticResult::separation).
  bool infinite = false;
  /// false when the numbers are numerical nonsense at double precision: SE 0 or not
  /// finite, a coefficient that overflows or underflows, an infinite odds ratio, or a
  /// per-unit odds ratio whose CI has zero width (covariate scale near the limits of
  /// double precision).  The numbers are kept; `reason` says what is wrong and a warning
  /// names the term.
  bool estimable = true;
  std::string reason;  ///< why not estimable ("" when estimable)
};

struct LogisticResult {
  std::size_t n = 0;              ///< observations (including zero-weight rows)
  std::vector<LogisticTerm> terms;  ///< "(Intercept)" first, then input.terms in order
  double null_deviance = NA;
  double residual_deviance = NA;
  double aic = NA;                ///< as glm: -2 loglik (binomial()$aic) + 2 * rank
  int df_null = 0;                ///< observations with weight > 0, minus 1
  int df_residual = 0;            ///< observations with weight > 0, minus rank
  int rank = 0;                   ///< numerical rank of the design (QR pivoting)
  int iterations = 0;             ///< IRLS iterations used (R's fit$iter)
  bool converged = false;
  bool boundary = false;          ///< step halving was needed (R: "algorithm stopped at boundary value")
  /// The data look (quasi-)separated: some fitted probability is within 10 * DBL_EPSILON
  /// of 0 or 1 (R's "fitted probabilities numerically 0 or 1 occurred"), or some term
  /// looks infinite (|coef| * range(x) > 10 with |z| < 0.1; flagged `infinite`: no finite
  /// maximum likelihood estimate exists, its coef/SE are where IRLS stopped).
  bool separation = false;
  /// R's warnings, verbatim where R has one, plus survkit's separation diagnosis.
  std::vector<std::string> warnings;
  std::vector<double> fitted;            ///< length n: fitted probabilities (propensity scores)
  std::vector<double> linear_predictor;  ///< length n: logit of `fitted`
};

/// Fits the model.  Throws InputError for inconsistent sizes, y not 0/1, non-finite x,
/// negative or non-finite weights; AnalysisError when no observation has positive weight.
/// Non-convergence, separation and aliasing are reported in the result, never thrown.
LogisticResult fit_logistic(const LogisticInput& input, const LogisticOptions& options = {});

/// The same fit, taking the input over: its covariates are released as soon as the
/// model's own design (the intercept column plus x) holds them, so that the iterations
/// run with one copy of X fewer in memory (80 MB at 1e6 x 10).  Results are identical.
LogisticResult fit_logistic(LogisticInput&& input, const LogisticOptions& options = {});

}  // namespace survkit
