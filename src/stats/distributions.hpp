// Internal: the few distribution functions every method needs, on Boost.Math.
// Upper tails are computed directly (complement), never as 1 - cdf, so that tiny
// p-values keep their relative accuracy, as R's pchisq(lower.tail = FALSE) does.
#pragma once

namespace survkit::stats {

/// P(X > x) for X ~ chi-square(df); df > 0.  x <= 0 gives 1; NaN in gives NaN.
double chisq_upper(double x, double df);

/// Two-sided normal p-value 2 * P(Z > |z|), as R's 2 * pnorm(-abs(z)).
double norm_two_sided_p(double z);

/// Standard normal quantile, as R's qnorm(p); 0 < p < 1.
double norm_quantile(double p);

/// Standard normal upper tail P(Z > z).
double norm_upper(double z);

/// P(X > x) for X ~ t(df): used by crosstab/others if needed.
double t_upper(double x, double df);

}  // namespace survkit::stats
