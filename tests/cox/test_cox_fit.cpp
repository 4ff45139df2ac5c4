// fit_cox against summary(coxph(...)) from R survival 3.5-3 (reference CSVs written by
// tests/reference/cox/make_cox_refs.R), plus hand-checked and structural properties.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include <survkit/cox.hpp>

#include "cox/cox_designs.hpp"
#include "support/ref_csv.hpp"

namespace survkit {
namespace {

// Tolerances (relative unless stated):
//  * estimates, SEs, statistics, loglik: 1e-9.  The fit follows coxfit6.c step for step
//    (same centring, scaling, Cholesky, convergence rule), so the only differences are
//    summation order; observed agreement is ~1e-12 or better.
//  * p-values: 1e-8 relative with an absolute floor of 1e-15 (Boost vs R's pchisq;
//    a p-value inherits the statistic's relative error times |d log p / d log stat|,
//    which stays below ~50 here).
//  * the monotone model: its coefficient for x is a point on a flat ridge (R stops by
//    the loglik rule after 19 iterations at beta ~ 22, se ~ 1.6e4), where 19 Newton
//    steps amplify rounding differences by ~1e7; observed ~1e-9, tolerance 1e-6.
//  * counts, iterations, flags: exact.
constexpr double kEst = 1e-9;
constexpr double kP = 1e-8;
constexpr double kPFloor = 1e-15;
constexpr double kMonotone = 1e-6;

void expect_rel(double got, double want, double tol, const std::string& what) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": got " << got << ", R has NA";
    return;
  }
  if (std::isinf(want)) {
    EXPECT_EQ(got, want) << what;
    return;
  }
  EXPECT_LE(std::fabs(got - want), tol * std::fabs(want) + (tol == kP ? kPFloor : 0.0))
      << what << ": got " << got << ", R " << want << ", rel err "
      << std::fabs(got - want) / std::fabs(want);
}

class CoxVsR : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    models_ = new test::RefCsv(test::read_ref_csv(test::ref_path("cox/cox_models.csv")));
    terms_ = new test::RefCsv(test::read_ref_csv(test::ref_path("cox/cox_terms.csv")));
  }
  static void TearDownTestSuite() {
    delete models_;
    delete terms_;
  }
  static test::RefCsv* models_;
  static test::RefCsv* terms_;
};
test::RefCsv* CoxVsR::models_ = nullptr;
test::RefCsv* CoxVsR::terms_ = nullptr;

TEST_F(CoxVsR, EveryReferenceModel) {
  auto designs = test::cox_reference_designs();
  ASSERT_EQ(designs.size(), models_->rows.size());
  double worst_est = 0, worst_p = 0, worst_monotone = 0;
  for (std::size_t r = 0; r < models_->rows.size(); ++r) {
    const std::string name = models_->str(r, "model");
    SCOPED_TRACE(name);
    const auto& [in, opt] = designs.at(name);
    const CoxResult fit = fit_cox(in, opt);
    const double est_tol = name == "monotone" ? kMonotone : kEst;
    auto m = [&](const char* col) { return models_->num(r, col); };
    auto track = [&](double got, double want, bool pval) {
      if (std::isfinite(want) && want != 0) {
        double& w = pval ? worst_p : worst_est;
        double& slot = name == "monotone" ? worst_monotone : w;
        slot = std::max(slot, std::fabs(got - want) / std::fabs(want));
      }
    };
    auto check = [&](double got, double want, double tol, const std::string& what) {
      expect_rel(got, want, tol, what);
      track(got, want, tol == kP);
    };

    EXPECT_EQ(fit.n, static_cast<std::size_t>(m("n")));
    EXPECT_EQ(fit.events, m("nevent"));
    EXPECT_EQ(fit.iterations, static_cast<int>(m("iter")));
    EXPECT_EQ(fit.converged, models_->str(r, "converged") == "TRUE");
    EXPECT_EQ(fit.robust, models_->str(r, "robust") == "TRUE");
    check(fit.loglik_null, m("loglik_null"), est_tol, "loglik null");
    check(fit.loglik_model, m("loglik_model"), est_tol, "loglik model");
    // The LR statistic is a difference of two logliks ~1e3 apart from 0: relative error
    // of the loglik times |loglik| / LR.
    check(fit.likelihood_ratio.stat, m("lr_stat"), est_tol * std::fabs(m("loglik_null")) / m("lr_stat"), "LR");
    EXPECT_EQ(fit.likelihood_ratio.df, m("lr_df"));
    check(fit.likelihood_ratio.p, m("lr_p"), std::max(kP, 50 * est_tol * std::fabs(m("loglik_null")) / m("lr_stat")), "LR p");
    check(fit.wald.stat, m("wald_stat"), est_tol, "Wald");
    check(fit.wald.p, m("wald_p"), kP, "Wald p");
    check(fit.score.stat, m("score_stat"), est_tol, "score");
    check(fit.score.p, m("score_p"), kP, "score p");
    check(fit.robust_score.stat, m("rscore_stat"), est_tol, "robust score");
    check(fit.robust_score.p, m("rscore_p"), kP, "robust score p");
    check(fit.concordance, m("concordance"), kEst, "concordance");
    check(fit.concordance_se, m("concordance_se"), kEst, "concordance se");

    // Warnings: the same ones as R (ours name the term as well).
    const std::string rwarn = models_->str(r, "warnings");
    auto has = [&](const std::string& s) {
      return std::any_of(fit.warnings.begin(), fit.warnings.end(),
                         [&](const std::string& w) { return w.find(s) != std::string::npos; });
    };
    EXPECT_EQ(has("did not converge"), rwarn.find("did not converge") != std::string::npos);
    EXPECT_EQ(has("may be infinite"), rwarn.find("may be infinite") != std::string::npos);

    std::size_t k = 0;
    for (std::size_t t = 0; t < terms_->rows.size(); ++t) {
      if (terms_->str(t, "model") != name) continue;
      ASSERT_LT(k, fit.terms.size());
      const CoxTerm& term = fit.terms[k++];
      SCOPED_TRACE(term.term);
      auto tv = [&](const char* col) { return terms_->num(t, col); };
      const bool aliased = terms_->str(t, "coef") == "NA";
      EXPECT_EQ(term.aliased, aliased);
      check(term.mean, tv("mean"), kEst, "mean");
      if (aliased) {
        EXPECT_TRUE(std::isnan(term.coef));
        continue;
      }
      check(term.coef, tv("coef"), est_tol, "coef");
      check(term.hr, tv("exp_coef"), est_tol, "exp(coef)");
      check(term.se, tv("se"), est_tol, "se");
      check(term.robust_se, tv("robust_se"), est_tol, "robust se");
      check(term.z, tv("z"), est_tol, "z");
      check(term.p, tv("p"), name == "monotone" ? kMonotone : kP, "p");
      check(term.lower, tv("lower"), est_tol, "lower");
      check(term.upper, tv("upper"), est_tol, "upper");
    }
    EXPECT_EQ(k, fit.terms.size());
  }
  // Printed so that the agreement actually measured is visible in the test log.
  std::printf("cox vs R: max relative error, estimates/statistics %.3g, p-values %.3g, monotone model %.3g\n",
              worst_est, worst_p, worst_monotone);
}

// ---- hand-checked fit quantities --------------------------------------------------------

TEST(CoxFitHand, ScoreTestAndLoglikNullOnTinyData) {
  // Data of test_cox_likelihood.cpp (book1.R style).  Breslow at beta = 0:
  //   U = 13/15, I = 158/225, so the score test is U^2 / I = (169/225) / (158/225) = 169/158;
  //   loglik(0) = -2 log 5 - log 3.
  CoxInput in;
  in.surv.time = {1, 1, 2, 3, 4};
  in.surv.status = {1, 1, 1, 0, 1};
  in.x.resize(5, 1);
  in.x << 1, 0, 1, 0, 0;
  in.terms = {"x"};
  CoxOptions opt;
  opt.ties = Ties::Breslow;
  const CoxResult fit = fit_cox(in, opt);
  EXPECT_NEAR(fit.score.stat, 169.0 / 158.0, 1e-14);
  EXPECT_NEAR(fit.loglik_null, -2 * std::log(5.0) - std::log(3.0), 1e-14);
  EXPECT_EQ(fit.events, 4);
  EXPECT_TRUE(fit.converged);
  // At the maximum the score is zero; the loglik cannot be below loglik(0).
  EXPECT_GE(fit.loglik_model, fit.loglik_null);
}

TEST(CoxFitHand, ConcordanceOfTinyData) {
  // x = (1, 0, 1, 0, 0) with beta > 0 (x = 1 dies earlier): lp is higher for A and C.
  // Comparable pairs (earlier time is an event; a tie in time is not a pair):
  //   A(1): with C, D, E -> lp A > D, E concordant (2), A vs C tied on lp (1)
  //   B(1): with C, D, E -> B < C discordant (1), B = D, B = E tied (2)
  //   C(2): with D, E     -> concordant (2)
  //   E(4): none.  concordant 4, discordant 1, tied 3:
  //   C = (4 + 3/2) / 8 = 11/16.
  CoxInput in;
  in.surv.time = {1, 1, 2, 3, 4};
  in.surv.status = {1, 1, 1, 0, 1};
  in.x.resize(5, 1);
  in.x << 1, 0, 1, 0, 0;
  in.terms = {"x"};
  const CoxResult fit = fit_cox(in, {});
  ASSERT_GT(fit.terms[0].coef, 0);
  EXPECT_NEAR(fit.concordance, 11.0 / 16.0, 1e-15);
}

// ---- structure ---------------------------------------------------------------------------

TEST(CoxFitStructure, PermutedRowsGiveTheSameFit) {
  auto designs = test::cox_reference_designs();
  for (const std::string name : {"colon_cluster", "lung_strata_inst", "lung_weighted_frac"}) {
    SCOPED_TRACE(name);
    const auto& [in, opt] = designs.at(name);
    const std::size_t n = in.surv.size();
    CoxInput perm = in;
    std::size_t step = 7919;  // a prime, coprime with every n used here
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t k = (i * step + 3) % n;
      perm.surv.time[i] = in.surv.time[k];
      perm.surv.status[i] = in.surv.status[k];
      if (in.surv.weighted()) perm.surv.weight[i] = in.surv.weight[k];
      if (!in.strata.empty()) perm.strata[i] = in.strata[k];
      if (!in.cluster.empty()) perm.cluster[i] = in.cluster[k];
      perm.x.row(static_cast<Eigen::Index>(i)) = in.x.row(static_cast<Eigen::Index>(k));
    }
    const CoxResult a = fit_cox(in, opt), b = fit_cox(perm, opt);
    EXPECT_EQ(a.iterations, b.iterations);
    // Only the summation order of tied rows changes.
    EXPECT_NEAR(a.loglik_model, b.loglik_model, 1e-12 * std::fabs(a.loglik_model));
    for (std::size_t j = 0; j < a.terms.size(); ++j) {
      EXPECT_NEAR(a.terms[j].coef, b.terms[j].coef, 1e-10 * std::fabs(a.terms[j].coef));
      EXPECT_NEAR(a.terms[j].se, b.terms[j].se, 1e-10 * a.terms[j].se);
      if (a.robust) {
        EXPECT_NEAR(a.terms[j].robust_se, b.terms[j].robust_se, 1e-10 * a.terms[j].robust_se);
      }
    }
    EXPECT_NEAR(a.concordance, b.concordance, 1e-14);
    EXPECT_NEAR(a.concordance_se, b.concordance_se, 1e-12);
  }
}

TEST(CoxFitStructure, CollinearColumnIsAliasedAndTheRestFits) {
  auto designs = test::cox_reference_designs();
  const auto& [in, opt] = designs.at("lung_collinear");
  const CoxResult fit = fit_cox(in, opt);
  ASSERT_EQ(fit.terms.size(), 3u);
  EXPECT_FALSE(fit.terms[0].aliased);
  EXPECT_FALSE(fit.terms[1].aliased);
  EXPECT_TRUE(fit.terms[2].aliased);
  EXPECT_TRUE(std::isnan(fit.terms[2].coef));
  EXPECT_EQ(fit.likelihood_ratio.df, 2);
  EXPECT_EQ(fit.var(2, 2), 0.0);
  EXPECT_TRUE(std::any_of(fit.warnings.begin(), fit.warnings.end(),
                          [](const std::string& w) { return w.find("age2") != std::string::npos; }));
}

TEST(CoxFitStructure, MonotoneLikelihoodWarnsAndNamesTheTerm) {
  auto designs = test::cox_reference_designs();
  const auto& [in, opt] = designs.at("monotone");
  const CoxResult fit = fit_cox(in, opt);
  ASSERT_EQ(fit.warnings.size(), 1u);
  EXPECT_NE(fit.warnings[0].find("variable 1 (x)"), std::string::npos) << fit.warnings[0];
  EXPECT_TRUE(fit.converged);  // R: converged by the loglik rule, with the warning
}

TEST(CoxFitStructure, InputErrors) {
  CoxInput in;
  in.surv.time = {1, 2, 3};
  in.surv.status = {0, 0, 0};
  in.x = Eigen::MatrixXd::Ones(3, 1);
  in.x(1, 0) = 2;
  in.terms = {"x"};
  EXPECT_THROW(fit_cox(in), AnalysisError);  // no events
  in.surv.status = {1, 0, 1};
  in.surv.weight = {1, 0, 1};
  EXPECT_THROW(fit_cox(in), InputError);  // R: "Invalid weights, must be >0"
  in.surv.weight.clear();
  in.terms = {"x", "y"};
  EXPECT_THROW(fit_cox(in), InputError);
}

}  // namespace
}  // namespace survkit
