// Distribution functions against R 4.2 values (printed with sprintf("%.17g")).
// Tolerance 1e-14 relative: Boost and R's nmath agree to a few ulps in these ranges.
#include <gtest/gtest.h>

#include <cmath>

#include "stats/distributions.hpp"

using namespace survkit::stats;

TEST(Distributions, ChisqUpperMatchesR) {
  // pchisq(3.84, 1, lower.tail = FALSE)
  EXPECT_NEAR(chisq_upper(3.84, 1), 0.050043521248705224, 1e-14 * 0.05);
  // pchisq(200, 2, lower.tail = FALSE) = exp(-100): far tail keeps relative accuracy
  EXPECT_NEAR(chisq_upper(200, 2) / std::exp(-100.0), 1.0, 1e-13);
  EXPECT_EQ(chisq_upper(0, 3), 1.0);
}

TEST(Distributions, NormalMatchesR) {
  // qnorm(0.975)
  EXPECT_NEAR(norm_quantile(0.975), 1.9599639845400536, 1e-14);
  // 2 * pnorm(-1.959963984540054) = 0.05
  EXPECT_NEAR(norm_two_sided_p(-1.959963984540054), 0.05, 1e-14);
  // pnorm(-10): relative accuracy in the far tail
  EXPECT_NEAR(norm_upper(10) / 7.6198530241605269e-24, 1.0, 1e-12);
}
