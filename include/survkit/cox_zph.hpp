// survkit public API: the test of proportional hazards of a Cox model, numerically as R's
//   cox.zph(coxph(...), transform = "km" | "rank" | "identity" | "log")
// from survival 3.5-3 (terms = TRUE, singledf = FALSE, global = TRUE: the defaults).
//
// R's contract, rule by rule (R/cox.zph.R and src/zph1.c):
//  * The test is the exact score test of Grambsch & Therneau (1994) for adding
//    beta_j * g(t) to every coefficient, evaluated at the fitted coefficients: one pass
//    over the data sorted by stratum then time (ties: Efron or Breslow, as the fit) gives
//    U2 = sum over deaths of w g(t) (x - xbar(t)) and the 2p x 2p information matrix of
//    (beta, beta * g(t)).  With U = (0, U2), the test of a term is U' I^-1 U restricted to
//    the p coefficients plus the term's own p_k time-interaction columns (df = p_k, the
//    number of coefficients of the term); the global test uses all 2p (df = p).
//  * g(t) = transform(t) minus its unweighted mean over the event rows:
//      km       1 - S(t-), the left-continuous Kaplan-Meier of all rows, UNWEIGHTED and
//               UNSTRATIFIED (R calls survfitKM without weights or strata);
//      rank     rank(time) over all rows, ties at the average rank;
//      identity time;   log  log(time).
//  * Terms (R's fit$assign): a factor's dummy columns form one term, named after the
//    variable.  survkit's CoxInput has no such grouping, so it is passed separately
//    (`terms`, see zph_terms_by_column); empty = one term per column.
//  * Aliased coefficients (NA in R) are dropped with their columns; a term left with no
//    column is dropped.  Case weights enter U and I as in the fit; cluster() is ignored.
//  * The scaled Schoenfeld residuals `y` (for plot(cox.zph)) follow R: per stratum the
//    Schoenfeld residuals times the inverse of the average information (the information
//    divided by the number of events of the strata where the covariate varies), plus the
//    coefficient; a multi-column term is collapsed to its linear predictor X_k beta_k,
//    whose coefficient is 1.  Rows = deaths in sorted order (stratum, time, input order).
//
// Not reproduced: singledf = TRUE, terms = FALSE (pass one term per column instead),
// user-function transforms, penalised (frailty / pspline) terms, counting-process
// (start, stop] data (R's zph2.c), tt() terms.
//
// Throws InputError when the input and the fit do not match (lengths, number of terms),
// when `terms` does not partition the columns, or for the log transform of a time <= 0.
// AnalysisError when every coefficient is aliased.  When R's solve() would stop on a
// computationally singular matrix (reciprocal condition < machine epsilon), the statistic
// is NA and the result carries a warning instead.
//
// Cost: one sort (the fit's radix sort) and one O(n p^2) pass; O(p^3) per term for the
// tests; the residuals O(d p^2) for d deaths.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/enums.hpp"
#include "survkit/cox.hpp"

namespace survkit {

struct CoxZphOptions {
  ZphTransform transform = ZphTransform::KM;
};

/// One model term: its name (R's row name: the variable) and the columns of
/// CoxInput::x that belong to it (0-based).
struct CoxZphTermSpec {
  std::string name;
  std::vector<std::size_t> columns;
};

/// The terms of a design whose column j came from variable term_column[j] (as
/// survkit::Design::term_column): columns sharing a variable form one term, named after
/// it, in order of first appearance (R's assign).
std::vector<CoxZphTermSpec> zph_terms_by_column(const std::vector<std::string>& term_column);

/// One row of cox.zph's table.
struct CoxZphTerm {
  std::string term;
  double chisq = NA;
  double df = NA;  ///< number of non-aliased columns of the term
  double p = NA;   ///< pchisq(chisq, df, lower.tail = FALSE)
};

struct CoxZphResult {
  ZphTransform transform = ZphTransform::KM;
  std::vector<CoxZphTerm> terms;  ///< one per (non-empty) term, in order
  TestResult global;              ///< "GLOBAL": stat = chisq, df = number of coefficients
  /// R's x: the transformed time g(t) (before centring) of every death, sorted
  /// (stratum, time, input order).
  std::vector<double> x;
  /// R's time: the event times, same order.
  std::vector<double> time;
  /// R's strata: the stratum code (CoxInput::strata) of every death; empty unstratified.
  std::vector<std::int32_t> strata;
  /// R's y: scaled Schoenfeld residuals, deaths x terms (columns as `terms`); NA where a
  /// term does not vary within the death's stratum.
  Eigen::MatrixXd y;
  /// R's var: the inverse of the (collapsed) average information, terms x terms.
  Eigen::MatrixXd var;
  std::vector<std::string> warnings;
};

/// The test for the model `fit` = fit_cox(input, opt): `input` must be the data the
/// model was fitted to (the fit's ties are used).  `terms` empty = one term per column,
/// named input.terms[j].
CoxZphResult fit_cox_zph(const CoxInput& input, const CoxResult& fit, const CoxZphOptions& options = {},
                         const std::vector<CoxZphTermSpec>& terms = {});

}  // namespace survkit
