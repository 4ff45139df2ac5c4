// survkit public API: Cox proportional hazards regression, numerically as R's
//   summary(coxph(Surv(time, status) ~ x1 + ... + xp [+ strata(s)] [+ cluster(id)],
//                 weights = w, ties = "efron" | "breslow"))
// from survival 3.5.
//
// The fit reproduces coxph.fit / coxfit6.c step by step: covariates centred and scaled
// as R does (columns whose values all lie in {-1, 0, 1} are left alone, R's `nocenter`),
// Newton-Raphson from beta = 0 with the same Cholesky (same singularity tolerance, so
// the same columns are declared aliased), the same step halving, the same convergence
// rule |1 - loglik_old / loglik_new| <= eps, and the same "coefficient may be infinite"
// check.  The robust (sandwich) variance, the robust score test and the concordance with
// its standard error follow coxph() and concordancefit().
//
// Not reproduced: R's `timefix` (aeqSurv), which merges event times that differ only by
// floating-point noise; callers with such times must round them first.
#pragma once

#include <Eigen/Dense>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/enums.hpp"
#include "survkit/surv_data.hpp"

namespace survkit {

/// Tuning of the fit; the defaults are R's coxph.control().
struct CoxOptions {
  Ties ties = Ties::Efron;
  /// Maximum number of Newton-Raphson iterations (iter.max).
  int max_iter = 20;
  /// Convergence when |1 - loglik_old / loglik_new| <= eps (coxph.control(eps)).
  double eps = 1e-9;
  /// Relative pivot tolerance of the Cholesky decomposition: a column whose pivot falls
  /// below toler_chol * (largest diagonal) is declared aliased (.Machine$double.eps^0.75).
  double toler_chol = std::pow(2.220446049250313e-16, 0.75);
  /// Threshold of the infinite-coefficient check (toler.inf = sqrt(eps)).
  double toler_inf = std::sqrt(1e-9);
  /// Level of the confidence intervals of the hazard ratios.
  double conf_level = 0.95;
  /// Force the robust (sandwich) variance even without a cluster (coxph(robust = TRUE)),
  /// each observation being its own cluster.  As in R the robust variance is also used,
  /// whatever this flag says, when `cluster` is given or when some weight is not an
  /// integer.
  bool robust = false;
};

/// The data of one fit.  Rows are in any order; the fit sorts once internally.
///  surv    : n outcomes (time >= 0, status 0/1, optional case weights > 0).
///  x       : n x p covariates, column j = term j, factors already dummy-coded (no
///            intercept: the baseline hazard absorbs it).
///  terms   : length p, the names of the columns of x.
///  strata  : empty, or length n integer codes >= 0 (strata(s)): separate baseline
///            hazards, common coefficients.
///  cluster : empty, or length n integer codes >= 0 (cluster(id)): rows sharing a code
///            are correlated; selects the robust variance.
struct CoxInput {
  SurvData surv;
  Eigen::MatrixXd x;
  std::vector<std::string> terms;
  std::vector<std::int32_t> strata;
  std::vector<std::int32_t> cluster;
};

/// One row of summary(coxph)'s coefficient and conf.int tables.
/// With a robust variance, z, p, lower and upper use robust_se (as summary.coxph does);
/// otherwise robust_se is NA and they use se.  An aliased term has every number NA.
struct CoxTerm {
  std::string term;
  double coef = NA;       ///< log hazard ratio
  double hr = NA;         ///< exp(coef)
  double se = NA;         ///< model-based se(coef), from the inverse information
  double robust_se = NA;  ///< sandwich se (NA without robust variance)
  double z = NA;          ///< coef / (robust_se if robust, else se)
  double p = NA;          ///< two-sided p-value, pchisq(z^2, 1, lower.tail = FALSE)
  double lower = NA;      ///< exp(coef - qnorm((1 + conf_level) / 2) * se_used)
  double upper = NA;      ///< exp(coef + qnorm((1 + conf_level) / 2) * se_used)
  double mean = NA;       ///< the centring value R used (fit$means): 0 for a {-1,0,1} column
  bool aliased = false;   ///< linearly dependent on earlier columns (R's NA coefficient)
};

struct CoxResult {
  std::size_t n = 0;        ///< observations used
  double events = 0;        ///< number of events, unweighted (R's nevent)
  Ties ties = Ties::Efron;
  bool converged = false;
  /// Newton-Raphson iterations (R's fit$iter; max_iter + 1 when it ran out).
  int iterations = 0;
  bool robust = false;      ///< the robust (sandwich) variance is in use
  /// Numerical trouble, in R's words: non-convergence, possibly infinite coefficients
  /// (naming the terms), aliased terms.
  std::vector<std::string> warnings;
  std::vector<CoxTerm> terms;  ///< in input order
  double loglik_null = NA;     ///< log partial likelihood at beta = 0
  double loglik_model = NA;    ///< at the estimate
  /// "Likelihood ratio test", df = number of non-aliased terms.
  TestResult likelihood_ratio;
  /// "Wald test": with the robust variance, the robust Wald test.
  TestResult wald;
  /// "Score (logrank) test": u(0)' I(0)^-1 u(0).
  TestResult score;
  /// "Robust" score test (only with the robust variance, NA otherwise).
  TestResult robust_score;
  /// Concordance of the linear predictor ("Concordance= x (se = y)" of summary.coxph),
  /// within strata, case-weighted.  The se is the infinitesimal-jackknife one, summed
  /// within clusters when there is a cluster.
  double concordance = NA;
  double concordance_se = NA;
  /// Variance of the coefficients actually used (robust if `robust`), p x p, with zero
  /// rows/columns for aliased terms (as R's fit$var).
  Eigen::MatrixXd var;
  /// Model-based variance, the inverse information (R's naive.var when robust).
  Eigen::MatrixXd naive_var;
};

/// Fits the model.  Throws InputError for inconsistent lengths, negative or non-finite
/// times, weights <= 0 (R: "Invalid weights, must be >0"), non-finite covariates or
/// negative codes; AnalysisError when there is no event.  Numerical trouble is
/// reported in the result, never thrown.
CoxResult fit_cox(const CoxInput& input, const CoxOptions& options = {});

/// The same fit, taking the input over: its covariate matrix becomes the fit's working
/// copy (sorted and centred in place), so peak memory holds X once instead of twice.
/// `input` is left valid but unspecified.  Prefer this overload for large data
/// (fit_cox(std::move(in), opt)).
CoxResult fit_cox(CoxInput&& input, const CoxOptions& options = {});

}  // namespace survkit
