#include "stats/estimability.hpp"

#include <cfloat>
#include <cmath>

namespace survkit::stats {

int extreme_exponent(const Eigen::Ref<const Eigen::VectorXd>& col) {
  const double maxabs = col.size() ? col.cwiseAbs().maxCoeff() : 0.0;
  if (maxabs == 0 || (maxabs <= 0x1p64 && maxabs >= 0x1p-64)) return 0;
  return std::ilogb(maxabs);
}

std::string not_estimable_reason(double coef, double coef_work, double se, double ratio, double lower, double upper,
                                 const char* ratio_name) {
  if (!std::isfinite(coef))
    return "its coefficient overflows (the covariate's values are too small for double precision; rescale it)";
  if ((coef == 0 && coef_work != 0) || (coef != 0 && std::fabs(coef) < DBL_MIN))
    return "its coefficient underflows (the covariate's values are too large for double precision; rescale it)";
  if (!std::isfinite(se)) return "its standard error is not finite";
  if (!(se > 0)) return "its standard error is 0";
  if (!std::isfinite(ratio))
    return std::string("its ") + ratio_name + " per unit is infinite (exp(coef) overflows; rescale the covariate)";
  if (!(lower < upper))
    return std::string("its ") + ratio_name +
           " per unit and confidence interval are indistinguishable at double precision (rescale the covariate; "
           "or the case weights are so large that the standard error is negligible)";
  return "";
}

}  // namespace survkit::stats
