#include "stats/distributions.hpp"

#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace survkit::stats {

namespace bm = boost::math;
// Domain errors become NaN instead of exceptions: a NaN statistic must give a NaN
// p-value (reported as NA), not abort the analysis.
using Policy = bm::policies::policy<bm::policies::domain_error<bm::policies::ignore_error>,
                                    bm::policies::overflow_error<bm::policies::ignore_error>>;

double chisq_upper(double x, double df) {
  if (std::isnan(x) || std::isnan(df) || df <= 0) return std::numeric_limits<double>::quiet_NaN();
  if (x <= 0) return 1.0;
  if (std::isinf(x)) return 0.0;
  return bm::cdf(bm::complement(bm::chi_squared_distribution<double, Policy>(df), x));
}

double norm_upper(double z) {
  if (std::isnan(z)) return z;
  if (std::isinf(z)) return z > 0 ? 0.0 : 1.0;
  return bm::cdf(bm::complement(bm::normal_distribution<double, Policy>(0.0, 1.0), z));
}

double norm_two_sided_p(double z) { return 2.0 * norm_upper(std::fabs(z)); }

double norm_quantile(double p) {
  return bm::quantile(bm::normal_distribution<double, Policy>(0.0, 1.0), p);
}

double t_upper(double x, double df) {
  if (std::isnan(x) || std::isnan(df)) return std::numeric_limits<double>::quiet_NaN();
  return bm::cdf(bm::complement(bm::students_t_distribution<double, Policy>(df), x));
}

}  // namespace survkit::stats
