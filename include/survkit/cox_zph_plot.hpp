// survkit public API: the curve of R's plot(cox.zph(fit)) -- survival 3.5-3,
// R/plot.cox.zph.R with its defaults (resid = TRUE, se = TRUE, df = 4, nsmo = 40) -- as
// numbers, for a figure of the scaled Schoenfeld residuals of one term against
// transformed time.
//
// R's contract, rule by rule:
//  * the smooth is a least-squares regression of the term's scaled residuals (rows of
//    CoxZphResult::y that are not NA) on a natural cubic spline basis of the transformed
//    time x: ns(c(pred.x, x), df = 4, intercept = TRUE), i.e. boundary knots at the range
//    of x and 2 interior knots at the 1/3 and 2/3 quantiles (type 7) of c(pred.x, x),
//    where pred.x is `nsmo` equally spaced points over the range of x (the knots therefore
//    depend on pred.x too);
//  * the fit is evaluated at pred.x; the band is fit +- 2 sqrt(var[k, k] * s), with
//    s = diag(P (X'X)^-1 P') (P the basis at pred.x, X at the kept rows) and var
//    CoxZphResult::var;
//  * R stops drawing a term ("spline fit is singular, variable k skipped") when the
//    basis at the kept rows has rank < df (R's qr, tolerance 1e-7): then `ok` is false and
//    `warning` says why.
// The fitted values and the band do not depend on the choice of basis for that spline
// space (they are projections), so survkit uses a truncated-power basis on x rescaled to
// [0, 1] instead of R's constrained B-splines.
//
// The time axis (R's xaxisval / xaxislab for the km and rank transforms): 8 equally
// spaced points over the transformed axis (the even ones of 17), mapped back to time by
// linear interpolation (approx) between the distinct (x, time) pairs, rounded to 2
// significant digits, and mapped forward again.  survkit uses the same rule for the log
// transform (R draws a logarithmic axis there); identity has no such axis (plain time).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "survkit/cox_zph.hpp"

namespace survkit {

struct CoxZphSmoothOptions {
  int df = 4;     ///< degrees of freedom of the natural spline (R: df), >= 2
  int nsmo = 40;  ///< points at which the smooth is evaluated (R: nsmo), >= 2
};

struct CoxZphSmooth {
  std::string term;              ///< the term's name (R: the y label "Beta(t) for <term>")
  std::vector<double> x, y;      ///< the plotted residuals: transformed time, scaled residual (NA rows dropped)
  std::vector<double> time;      ///< the event time of each plotted residual
  bool ok = false;               ///< false: R skips the curve (singular spline fit); `warning` says so
  std::string warning;
  std::vector<double> pred_x;    ///< nsmo points over the range of all x (transformed scale)
  std::vector<double> fit;       ///< the smooth at pred_x
  std::vector<double> lower, upper;  ///< fit -/+ 2 standard errors
};

/// The smooth of term `term` (index into z.terms) of a cox.zph result.  Throws
/// InputError for a term out of range, options out of range, or fewer than 2 distinct
/// transformed times.
CoxZphSmooth cox_zph_smooth(const CoxZphResult& z, std::size_t term, const CoxZphSmoothOptions& options = {});

/// One tick of the time axis: its position on the transformed scale and the time it
/// stands for.
struct CoxZphTick {
  double x = 0;
  double time = 0;
};

/// R's time-axis ticks for the km and rank transforms (and, in survkit, log); empty for
/// identity.  Ticks R's approx() leaves NA (outside the data) are dropped.
std::vector<CoxZphTick> cox_zph_time_axis(const CoxZphResult& z);

}  // namespace survkit
