// Internal (stats): guarding regression fits against numbers that double precision
// cannot carry, shared by Cox (src/survival/cox) and logistic (src/regression/logistic).
#pragma once

#include <Eigen/Dense>
#include <string>

namespace survkit::stats {

/// Binary exponent e of a column whose largest |value| lies outside [2^-64, 2^64] (0
/// otherwise): such a column is fitted as x * 2^-e, an exact rescaling, and the results
/// are mapped back (coef * 2^-e).  Without it a column around 1e300 overflows sums of its
/// values and a column around 1e-300 its centring arithmetic; columns of ordinary
/// magnitude are left untouched, bit for bit.
int extreme_exponent(const Eigen::Ref<const Eigen::VectorXd>& col);

/// Why a fitted term's numbers are nonsense at double precision ("" when they are not):
/// an overflowing or underflowing coefficient (`coef_work` is the coefficient on the
/// working scale), a standard error that is 0 or not finite, an infinite ratio per unit
/// (`ratio_name`: "hazard ratio", "odds ratio"), or limits that cannot be told apart.
std::string not_estimable_reason(double coef, double coef_work, double se, double ratio, double lower, double upper,
                                 const char* ratio_name);

}  // namespace survkit::stats
