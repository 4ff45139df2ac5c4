// Cox fits at extreme covariate scales and with covariates constant within strata
// (issue 12 section 5): no silent nonsense.  A covariate multiplied by 10^k must give the
// same fit (z, p, likelihoods; coefficient / 10^k), and terms whose per-unit numbers
// cannot be represented are flagged `estimable = false` with a reason and a warning.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "support/reg_refs.hpp"
#include "survkit/cox.hpp"

namespace {

using namespace survkit;
using survkit::test_reg::rel_err;

// n rows; x1 continuous N(0, 1), x2 binary 0/1; hazard exp(0.5 x1 + 0.7 x2), uniform
// censoring; `strata` two strata when asked.
CoxInput simulate(std::uint64_t seed, std::size_t n = 150, bool strata = false) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  std::uniform_real_distribution<double> u(0.0, 1.0);
  CoxInput in;
  in.x.resize(static_cast<Eigen::Index>(n), 2);
  for (std::size_t i = 0; i < n; ++i) {
    const double x1 = z(g), x2 = u(g) < 0.4 ? 1.0 : 0.0;
    in.x(static_cast<Eigen::Index>(i), 0) = x1;
    in.x(static_cast<Eigen::Index>(i), 1) = x2;
    const double t = -std::log(u(g)) / std::exp(0.5 * x1 + 0.7 * x2);
    const double c = 3.0 * u(g);
    in.surv.time.push_back(std::min(t, c));
    in.surv.status.push_back(t <= c ? 1 : 0);
    if (strata) in.strata.push_back(static_cast<std::int32_t>(i % 2));
  }
  in.terms = {"x1", "x2"};
  return in;
}

bool has_warning(const CoxResult& r, const std::string& words) {
  for (const auto& w : r.warnings)
    if (w.find(words) != std::string::npos) return true;
  return false;
}

}  // namespace

// Generator: seeded data sets, x1 multiplied by 10^k for k from -300 to 300.
// Tolerance 1e-8 relative: x1 * 10^k rounds every value (2^-53 relative), so the fits
// differ at rounding level, amplified by the Newton iterations (measured <= ~1e-12).
// On the original code k = 300 overflowed the weighted mean (z = -Inf, HR 1 (1-1)) and
// k = -300 gave a finite 300-digit coefficient with HR Inf and no warning.
TEST(CoxExtremes, RescaledCovariateGivesTheSameFit) {
  double worst = 0;
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    const CoxInput base = simulate(seed, 150, seed % 2 == 0);
    const CoxResult ref = fit_cox(base);
    ASSERT_TRUE(ref.converged);
    for (const auto& t : ref.terms) EXPECT_TRUE(t.estimable) << t.term << ": " << t.reason;
    for (int k : {-300, -200, -100, -30, -17, -16, 16, 17, 30, 100, 200, 300}) {
      SCOPED_TRACE("seed " + std::to_string(seed) + ", x1 * 1e" + std::to_string(k));
      CoxInput in = base;
      const double f = std::pow(10.0, k);
      in.x.col(0) *= f;
      const CoxResult r = fit_cox(in);
      ASSERT_TRUE(r.converged);
      const CoxTerm &a = r.terms[0], &b = ref.terms[0];
      ASSERT_FALSE(a.aliased);
      const double errs[] = {rel_err(a.z, b.z), rel_err(a.p, b.p), rel_err(a.coef * f, b.coef),
                             rel_err(a.se * f, b.se), rel_err(r.loglik_model, ref.loglik_model),
                             rel_err(r.likelihood_ratio.stat, ref.likelihood_ratio.stat),
                             rel_err(r.wald.stat, ref.wald.stat), rel_err(r.score.stat, ref.score.stat),
                             rel_err(r.concordance, ref.concordance), rel_err(r.terms[1].coef, ref.terms[1].coef)};
      for (std::size_t q = 0; q < std::size(errs); ++q) {
        const double e = errs[q];
        EXPECT_LE(e, 1e-8) << "quantity " << q;
        worst = std::max(worst, e);
      }
      // The per-unit HR: representable and distinguishable from 1 only at moderate k.
      const bool representable = std::isfinite(a.hr) && a.lower < a.upper;
      EXPECT_EQ(a.estimable, representable) << a.reason;
      EXPECT_EQ(a.estimable, a.reason.empty());
      EXPECT_EQ(has_warning(r, "x1: not estimable"), !a.estimable);
      if (k <= -100) EXPECT_FALSE(a.estimable);  // HR per unit overflows
      if (k >= 17) EXPECT_FALSE(a.estimable);    // HR per unit rounds to 1 (1 - 1)
      if (std::abs(k) <= 16 - 1) EXPECT_TRUE(a.estimable);
      EXPECT_TRUE(r.terms[1].estimable);
    }
  }
  std::printf("[extremes] cox: worst relative difference over rescalings %.2e\n", worst);
}

// Ordinary magnitudes are fitted bit for bit as before: multiplying by a power of two
// inside [2^-64, 2^64] is exact, and so is the fit.
TEST(CoxExtremes, OrdinaryScalesUntouched) {
  const CoxInput base = simulate(42);
  const CoxResult ref = fit_cox(base);
  CoxInput in = base;
  in.x.col(0) *= 0x1p40;
  const CoxResult r = fit_cox(in);
  EXPECT_EQ(r.terms[0].z, ref.terms[0].z);
  EXPECT_EQ(r.terms[0].coef, std::ldexp(ref.terms[0].coef, -40));
  EXPECT_EQ(r.loglik_model, ref.loglik_model);
}

// --covariates sex --strata sex: the partial likelihood does not depend on the
// coefficient; R declares the term singular (NA).  The original code gave HR 1.502 with
// SE 3.85e6.  Also a covariate constant overall (0.1, not exactly representable).
TEST(CoxExtremes, ConstantWithinStrataIsAliased) {
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    CoxInput in = simulate(seed, 200, true);
    SCOPED_TRACE(seed);
    for (Eigen::Index i = 0; i < in.x.rows(); ++i) in.x(i, 1) = 1.0 + in.strata[static_cast<std::size_t>(i)];
    in.terms = {"x1", "sex"};
    const CoxResult r = fit_cox(in);
    EXPECT_FALSE(r.terms[0].aliased);
    EXPECT_TRUE(r.terms[1].aliased);
    EXPECT_TRUE(std::isnan(r.terms[1].coef));
    EXPECT_TRUE(has_warning(r, "variable 2 (sex) not defined because of singularities"));
    EXPECT_EQ(r.likelihood_ratio.df, 1.0);
    // The same fit as without the aliased column.
    CoxInput one = in;
    one.x = in.x.leftCols(1);
    one.terms = {"x1"};
    const CoxResult r1 = fit_cox(one);
    EXPECT_LE(rel_err(r.terms[0].coef, r1.terms[0].coef), 1e-12);
    EXPECT_LE(rel_err(r.loglik_model, r1.loglik_model), 1e-12);

    // Sex only, with strata(sex): nothing left to estimate.
    one.x = in.x.rightCols(1);
    one.terms = {"sex"};
    const CoxResult r2 = fit_cox(one);
    EXPECT_TRUE(r2.terms[0].aliased);
    EXPECT_EQ(r2.likelihood_ratio.df, 0.0);

    CoxInput flat = simulate(seed);
    flat.x.col(1).setConstant(0.1);
    const CoxResult r3 = fit_cox(flat);
    EXPECT_TRUE(r3.terms[1].aliased);
    EXPECT_FALSE(r3.terms[0].aliased);
  }
}
