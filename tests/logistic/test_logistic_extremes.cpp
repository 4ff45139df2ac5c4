// Logistic fits at extreme covariate scales (issue 12 section 5): a covariate multiplied
// by 10^k gives the same fit (z, p, deviance; coefficient / 10^k), and terms whose
// per-unit odds ratio cannot be represented are flagged `estimable = false`.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "support/reg_refs.hpp"
#include "survkit/logistic.hpp"

namespace {

using namespace survkit;
using survkit::test_reg::rel_err;

LogisticInput simulate(std::uint64_t seed, std::size_t n = 300) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  std::uniform_real_distribution<double> u(0.0, 1.0);
  LogisticInput in;
  in.x.resize(static_cast<Eigen::Index>(n), 2);
  for (std::size_t i = 0; i < n; ++i) {
    const double x1 = z(g), x2 = u(g) < 0.5 ? 1.0 : 0.0;
    in.x(static_cast<Eigen::Index>(i), 0) = x1;
    in.x(static_cast<Eigen::Index>(i), 1) = x2;
    const double eta = -0.3 + 0.8 * x1 + 0.5 * x2;
    in.y.push_back(u(g) < 1.0 / (1.0 + std::exp(-eta)) ? 1 : 0);
  }
  in.terms = {"x1", "x2"};
  return in;
}

bool has_warning(const LogisticResult& r, const std::string& words) {
  for (const auto& w : r.warnings)
    if (w.find(words) != std::string::npos) return true;
  return false;
}

}  // namespace

// Generator over seeds and k in [-300, 300].  Tolerance 1e-8 relative: x1 * 10^k rounds
// every value (2^-53 relative), amplified by the IRLS iterations (measured ~1e-13).  On
// the original code k = 300 dropped the term silently (coef 0, SE 0, OR 1 (1-1), the
// residual deviance of the model without it).
TEST(LogisticExtremes, RescaledCovariateGivesTheSameFit) {
  double worst = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const LogisticInput base = simulate(seed);
    const LogisticResult ref = fit_logistic(base);
    ASSERT_TRUE(ref.converged);
    for (const auto& t : ref.terms) EXPECT_TRUE(t.estimable) << t.term << ": " << t.reason;
    for (int k : {-300, -200, -100, -30, -17, -16, 16, 17, 30, 100, 200, 300}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", x1 * 1e" + std::to_string(k));
      LogisticInput in = base;
      const double f = std::pow(10.0, k);
      in.x.col(0) *= f;
      const LogisticResult r = fit_logistic(in);
      ASSERT_TRUE(r.converged);
      EXPECT_EQ(r.rank, 3);
      const LogisticTerm &a = r.terms[1], &b = ref.terms[1];
      ASSERT_FALSE(a.aliased);
      const double errs[] = {rel_err(a.z, b.z), rel_err(a.p, b.p), rel_err(a.coef * f, b.coef),
                             rel_err(a.se * f, b.se), rel_err(r.residual_deviance, ref.residual_deviance),
                             rel_err(r.terms[0].coef, ref.terms[0].coef), rel_err(r.terms[2].coef, ref.terms[2].coef)};
      for (double e : errs) {
        EXPECT_LE(e, 1e-8);
        worst = std::max(worst, e);
      }
      const bool representable = std::isfinite(a.odds_ratio) && a.lower < a.upper;
      EXPECT_EQ(a.estimable, representable) << a.reason;
      EXPECT_EQ(has_warning(r, "x1: not estimable"), !a.estimable);
      if (k <= -100) EXPECT_FALSE(a.estimable);  // OR per unit overflows
      if (k >= 17) EXPECT_FALSE(a.estimable);    // OR per unit rounds to 1 (1 - 1)
      if (std::abs(k) <= 15) EXPECT_TRUE(a.estimable);
      EXPECT_TRUE(r.terms[0].estimable);
      EXPECT_TRUE(r.terms[2].estimable);
    }
  }
  std::printf("[extremes] logistic: worst relative difference over rescalings %.2e\n", worst);
}

TEST(LogisticExtremes, OrdinaryScalesUntouched) {
  const LogisticInput base = simulate(42);
  const LogisticResult ref = fit_logistic(base);
  LogisticInput in = base;
  in.x.col(0) *= 0x1p40;
  const LogisticResult r = fit_logistic(in);
  EXPECT_EQ(r.terms[1].z, ref.terms[1].z);
  EXPECT_EQ(r.terms[1].coef, std::ldexp(ref.terms[1].coef, -40));
  EXPECT_EQ(r.residual_deviance, ref.residual_deviance);
}
