// Tests of fit_logistic against R's glm(family = binomial) (references made by
// tests/reference/logistic/make_logistic_refs.R) and against hand-derived answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "support/reg_refs.hpp"
#include "survkit/logistic.hpp"

namespace {

using survkit::LogisticInput;
using survkit::LogisticOptions;
using survkit::LogisticResult;
using survkit::test::RefCsv;
using survkit::test::read_ref_csv;
using survkit::test_reg::rel_err;

// Builds an input from a data file: `keep` selects rows, `y` gives the outcome,
// `columns` the covariates (name + how to compute it from a row).
struct Covariate {
  std::string term;
  std::function<double(const RefCsv&, std::size_t)> value;
};
Covariate numeric(const std::string& column) {
  return {column, [column](const RefCsv& f, std::size_t i) { return f.num(i, column); }};
}
Covariate dummy(const std::string& column, const std::string& level) {
  return {column + "=" + level,
          [column, level](const RefCsv& f, std::size_t i) { return f.str(i, column) == level ? 1.0 : 0.0; }};
}

LogisticInput make_input(const RefCsv& f, const std::function<bool(std::size_t)>& keep,
                         const std::function<bool(std::size_t)>& y,
                         const std::vector<Covariate>& covs,
                         const std::function<double(std::size_t)>& weight = nullptr) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < f.size(); ++i)
    if (keep(i)) rows.push_back(i);
  LogisticInput in;
  in.x.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(covs.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    in.y.push_back(y(rows[r]) ? 1 : 0);
    for (std::size_t j = 0; j < covs.size(); ++j)
      in.x(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(j)) = covs[j].value(f, rows[r]);
    if (weight) in.weight.push_back(weight(rows[r]));
  }
  for (const auto& c : covs) in.terms.push_back(c.term);
  return in;
}

// Tolerances, with their reasons.
struct Tolerances {
  // Coefficients, SEs, z, odds ratios and CIs: survkit runs the same IRLS iterations as
  // glm.fit with the same QR algorithm, so the only differences are rounding in the
  // order of floating-point sums (BLAS vs Eigen), amplified by the condition number of
  // X'WX (re74/re75 are in dollars, ~1e4): 1e-9 relative holds with a wide margin.
  double coef = 1e-9;
  // p-values: 1e-9 relative too, with an absolute floor of 1e-300 (they come from z
  // through the same normal tail function as R's pnorm).
  double p = 1e-9;
  // Fitted values are propensity scores, required to equal R's to 1e-8; we demand 1e-10.
  double fitted = 1e-10;
  // Deviances and AIC are sums of n terms: 1e-10 relative.
  double deviance = 1e-10;
};

struct Agreement {
  double coef = 0, p = 0, fitted = 0, deviance = 0;
};

Agreement compare_with_r(const std::string& name, const LogisticResult& fit,
                         const Tolerances& tol = {}) {
  Agreement worst;
  const RefCsv coef = read_ref_csv(survkit::test::ref_path("logistic/" + name + "_coef.csv"));
  const RefCsv summ = read_ref_csv(survkit::test::ref_path("logistic/" + name + "_summary.csv"));
  const RefCsv fitted = read_ref_csv(survkit::test::ref_path("logistic/" + name + "_fitted.csv"));
  EXPECT_EQ(fit.terms.size(), coef.size()) << name;
  for (std::size_t j = 0; j < std::min(fit.terms.size(), coef.size()); ++j) {
    const auto& t = fit.terms[j];
    SCOPED_TRACE(name + " term " + t.term);
    const bool r_aliased = std::isnan(coef.num(j, "coef"));
    EXPECT_EQ(t.aliased, r_aliased);
    const std::pair<const char*, double> values[] = {
        {"coef", t.coef}, {"se", t.se}, {"z", t.z}, {"or", t.odds_ratio}, {"lower", t.lower}, {"upper", t.upper}};
    for (const auto& [col, mine] : values) {
      const double e = rel_err(mine, coef.num(j, col));
      EXPECT_LE(e, tol.coef) << col << ": survkit " << mine << " R " << coef.num(j, col);
      worst.coef = std::max(worst.coef, e);
    }
    const double ep = rel_err(t.p, coef.num(j, "p"), 1e-300);
    EXPECT_LE(ep, tol.p) << "p: survkit " << t.p << " R " << coef.num(j, "p");
    worst.p = std::max(worst.p, ep);
  }
  std::vector<std::string> r_warnings;
  for (std::size_t i = 0; i < summ.size(); ++i) {
    const std::string key = summ.str(i, "key");
    if (key == "warning") {
      r_warnings.push_back(summ.str(i, "value"));
      continue;
    }
    const double v = summ.num(i, "value");
    SCOPED_TRACE(name + " " + key);
    if (key == "null_deviance" || key == "residual_deviance" || key == "aic") {
      const double mine = key == "aic" ? fit.aic
                          : key == "null_deviance" ? fit.null_deviance : fit.residual_deviance;
      // A residual deviance near 0 (separation) is compared absolutely.
      const double e = rel_err(mine, v, 1.0);
      EXPECT_LE(e, tol.deviance) << "survkit " << mine << " R " << v;
      worst.deviance = std::max(worst.deviance, e);
    } else if (key == "df_null") {
      EXPECT_EQ(fit.df_null, static_cast<int>(v));
    } else if (key == "df_residual") {
      EXPECT_EQ(fit.df_residual, static_cast<int>(v));
    } else if (key == "iterations") {
      EXPECT_EQ(fit.iterations, static_cast<int>(v));
    } else if (key == "converged") {
      EXPECT_EQ(fit.converged, v == 1.0);
    } else if (key == "rank") {
      EXPECT_EQ(fit.rank, static_cast<int>(v));
    } else if (key == "n") {
      EXPECT_EQ(fit.n, static_cast<std::size_t>(v));
    }
  }
  for (const auto& w : r_warnings)
    EXPECT_NE(std::find(fit.warnings.begin(), fit.warnings.end(), w), fit.warnings.end())
        << name << ": R warned \"" << w << "\"";
  EXPECT_EQ(fit.fitted.size(), fitted.size());
  for (std::size_t i = 0; i < std::min(fit.fitted.size(), fitted.size()); ++i) {
    const double e = rel_err(fit.fitted[i], fitted.num(i, "fitted"));
    const double ee = rel_err(fit.linear_predictor[i], fitted.num(i, "eta"), 1e-3);
    EXPECT_LE(e, tol.fitted) << name << " fitted[" << i << "]";
    EXPECT_LE(ee, tol.fitted) << name << " eta[" << i << "]";
    worst.fitted = std::max({worst.fitted, e, ee});
  }
  std::printf("[agreement] %-18s coef/se/z/CI %.2e  p %.2e  fitted/eta %.2e  deviance/AIC %.2e\n",
              name.c_str(), worst.coef, worst.p, worst.fitted, worst.deviance);
  return worst;
}

RefCsv lalonde() { return read_ref_csv(survkit::test::data_path("lalonde.csv")); }

std::vector<Covariate> lalonde_full_covariates() {
  return {numeric("age"), numeric("educ"), dummy("race", "hispan"), dummy("race", "white"),
          numeric("married"), numeric("nodegree"), numeric("re74"), numeric("re75")};
}

TEST(LogisticVsR, LalondePropensityModel) {
  const RefCsv f = lalonde();
  const auto in = make_input(f, [](std::size_t) { return true; },
                             [&](std::size_t i) { return f.num(i, "treat") == 1.0; },
                             lalonde_full_covariates());
  const LogisticResult fit = survkit::fit_logistic(in, {});
  EXPECT_TRUE(fit.converged);
  EXPECT_FALSE(fit.separation);
  EXPECT_TRUE(fit.warnings.empty());
  EXPECT_EQ(fit.terms[0].term, "(Intercept)");
  EXPECT_EQ(fit.terms[3].term, "race=hispan");
  compare_with_r("lalonde", fit);
}

TEST(LogisticVsR, LalondeIntegerWeights) {
  const RefCsv f = lalonde();
  const auto in = make_input(
      f, [](std::size_t) { return true; }, [&](std::size_t i) { return f.num(i, "treat") == 1.0; },
      {numeric("age"), numeric("educ"), dummy("race", "hispan"), dummy("race", "white"), numeric("re74")},
      [&](std::size_t i) {
        return 1.0 + (f.num(i, "re78") > 5000 ? 1.0 : 0.0) + 2.0 * f.num(i, "married");
      });
  const LogisticResult fit = survkit::fit_logistic(in, {});
  compare_with_r("lalonde_wint", fit);
}

TEST(LogisticVsR, LalondeNonIntegerAndZeroWeights) {
  const RefCsv f = lalonde();
  const auto in = make_input(
      f, [](std::size_t) { return true; }, [&](std::size_t i) { return f.num(i, "treat") == 1.0; },
      {numeric("age"), numeric("educ"), dummy("race", "hispan"), dummy("race", "white"), numeric("re74")},
      [&](std::size_t i) { return f.num(i, "age") < 18 ? 0.0 : f.num(i, "age") / 30.0; });
  const LogisticResult fit = survkit::fit_logistic(in, {});
  compare_with_r("lalonde_wreal", fit);
}

TEST(LogisticVsR, CollinearTermIsAliasedLikeR) {
  const RefCsv f = lalonde();
  Covariate ageeduc{"ageeduc", [](const RefCsv& g, std::size_t i) {
                      return g.num(i, "age") + g.num(i, "educ");
                    }};
  const auto in = make_input(f, [](std::size_t) { return true; },
                             [&](std::size_t i) { return f.num(i, "treat") == 1.0; },
                             {numeric("age"), numeric("educ"), ageeduc, numeric("married")});
  const LogisticResult fit = survkit::fit_logistic(in, {});
  ASSERT_EQ(fit.terms.size(), 5u);
  EXPECT_TRUE(fit.terms[3].aliased);  // the later of the dependent columns, as R
  EXPECT_FALSE(fit.terms[1].aliased);
  EXPECT_EQ(fit.rank, 4);
  compare_with_r("lalonde_alias", fit);
}

TEST(LogisticVsR, ColonTreatmentModel) {
  const RefCsv f = read_ref_csv(survkit::test::data_path("colon.csv"));
  const auto in = make_input(
      f, [&](std::size_t i) { return f.num(i, "etype") == 1.0 && !std::isnan(f.num(i, "nodes")); },
      [&](std::size_t i) { return f.str(i, "rx") != "Obs"; },
      {numeric("age"), numeric("sex"), numeric("nodes"), numeric("obstruct"), numeric("perfor"),
       numeric("adhere")});
  compare_with_r("colon", survkit::fit_logistic(in, {}));
}

TEST(LogisticVsR, LungDeathModel) {
  const RefCsv f = read_ref_csv(survkit::test::data_path("lung.csv"));
  const auto in = make_input(f, [&](std::size_t i) { return !std::isnan(f.num(i, "ph.ecog")); },
                             [&](std::size_t i) { return f.num(i, "status") == 2.0; },
                             {numeric("age"), numeric("sex"), numeric("ph.ecog")});
  compare_with_r("lung", survkit::fit_logistic(in, {}));
}

TEST(LogisticVsR, CompleteSeparation) {
  const RefCsv f = read_ref_csv(survkit::test::ref_path("logistic/separation_data.csv"));
  const auto in = make_input(f, [](std::size_t) { return true; },
                             [&](std::size_t i) { return f.num(i, "y") == 1.0; },
                             {numeric("x"), numeric("z")});
  const LogisticResult fit = survkit::fit_logistic(in, {});
  EXPECT_TRUE(fit.separation);
  EXPECT_TRUE(fit.terms[1].infinite);
  // R stops after 25 iterations on a likelihood without a maximum; the coefficients
  // are where its iterations stopped.  The same arithmetic reaches the same point, but
  // each step's rounding is amplified by working weights spanning ~1e-20 .. 1 (measured
  // agreement ~4e-7 on coef/SE, 1e-11 on p, 5e-9 on fitted): tolerances 1e-5 / 1e-7.
  Tolerances tol;
  tol.coef = 1e-5;
  tol.p = 1e-5;
  tol.fitted = 1e-7;
  tol.deviance = 1e-9;
  compare_with_r("separation", fit, tol);
}

TEST(LogisticVsR, QuasiSeparation) {
  const RefCsv f = read_ref_csv(survkit::test::ref_path("logistic/quasi_separation_data.csv"));
  const auto in = make_input(f, [](std::size_t) { return true; },
                             [&](std::size_t i) { return f.num(i, "y") == 1.0; },
                             {numeric("g"), numeric("x")});
  const LogisticResult fit = survkit::fit_logistic(in, {});
  EXPECT_TRUE(fit.separation);
  EXPECT_TRUE(fit.terms[1].infinite);   // g: all g = 1 have y = 1
  EXPECT_FALSE(fit.terms[2].infinite);  // x: finite
  EXPECT_FALSE(fit.terms[0].infinite);
  Tolerances tol;
  tol.coef = 1e-4;  // the g coefficient diverges; see CompleteSeparation
  tol.p = 1e-4;
  tol.fitted = 1e-4;
  compare_with_r("quasi_separation", fit, tol);
}

// ---- Hand-checked cases -------------------------------------------------------------

// One binary covariate: the MLE reproduces the 2 x 2 table.  Group 0: 1 of 4 events,
// group 1: 3 of 4.  Intercept = logit(1/4) = log(1/3); slope = log odds ratio
// = log((3/1) / (1/3)) = log 9; SE(slope) = sqrt(1/1 + 1/3 + 1/3 + 1/1) = sqrt(8/3);
// SE(intercept) = sqrt(1/1 + 1/3).
TEST(LogisticHand, TwoByTwoTable) {
  LogisticInput in;
  in.y = {1, 0, 0, 0, 1, 1, 1, 0};
  in.x.resize(8, 1);
  in.x << 0, 0, 0, 0, 1, 1, 1, 1;
  in.terms = {"g"};
  const LogisticResult fit = survkit::fit_logistic(in, {});
  ASSERT_TRUE(fit.converged);
  // IRLS stops when the relative deviance change is < 1e-8; after that Newton step the
  // coefficients are within ~1e-10 of the MLE (quadratic convergence): 1e-8 is safe.
  EXPECT_NEAR(fit.terms[0].coef, std::log(1.0 / 3.0), 1e-8);
  EXPECT_NEAR(fit.terms[1].coef, std::log(9.0), 1e-8);
  // The SEs are those of the last IRLS step's QR, whose weights come from the previous
  // iterate (as R's summary.glm), so they differ from the exact MLE SEs by O(1e-6):
  // compare with the hand values at 1e-5 and with R's exact output at 1e-12.
  EXPECT_NEAR(fit.terms[1].se, std::sqrt(8.0 / 3.0), 1e-5);
  EXPECT_NEAR(fit.terms[0].se, std::sqrt(4.0 / 3.0), 1e-5);
  EXPECT_NEAR(fit.terms[1].se, 1.6329917553096702, 1e-12);  // R 4.x summary(glm(...))
  EXPECT_NEAR(fit.terms[0].se, 1.1546995438011911, 1e-12);
  EXPECT_NEAR(fit.terms[1].odds_ratio, 9.0, 1e-7);
  // Null deviance: p = 1/2 for all 8: 16 log 2.  Residual: -2 * 2 * (log(1/4) + 3 log(3/4)).
  EXPECT_NEAR(fit.null_deviance, 16.0 * std::log(2.0), 1e-12);
  EXPECT_NEAR(fit.residual_deviance, -4.0 * (std::log(0.25) + 3.0 * std::log(0.75)), 1e-9);
  EXPECT_NEAR(fit.aic, fit.residual_deviance + 4.0, 1e-12);  // unit weights: dev + 2 rank
  EXPECT_EQ(fit.df_null, 7);
  EXPECT_EQ(fit.df_residual, 6);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(fit.fitted[static_cast<std::size_t>(i)], 1.0 / 4.0, 1e-9);
  for (int i = 4; i < 8; ++i) EXPECT_NEAR(fit.fitted[static_cast<std::size_t>(i)], 3.0 / 4.0, 1e-9);
  // Wald CI on the OR scale: exp(log 9 -/+ 1.959964 sqrt(8/3)).
  const double q = 1.959963984540054;
  EXPECT_NEAR(fit.terms[1].lower, std::exp(std::log(9.0) - q * std::sqrt(8.0 / 3.0)), 1e-5);
  EXPECT_NEAR(fit.terms[1].upper / std::exp(std::log(9.0) + q * std::sqrt(8.0 / 3.0)), 1.0, 1e-5);
}

// Intercept only: coef = logit(2/3) = log 2, SE = 1 / sqrt(n p (1 - p)) = sqrt(3/2) for
// n = 3.  With case weights (2, 1, 0 on y = 1, 0, 1) the third row drops out and the
// fit is that of the data {1, 1, 0}: the same numbers.
TEST(LogisticHand, InterceptOnlyAndWeights) {
  LogisticInput in;
  in.y = {1, 1, 0};
  in.x.resize(3, 0);
  const LogisticResult fit = survkit::fit_logistic(in, {});
  EXPECT_NEAR(fit.terms[0].coef, std::log(2.0), 1e-10);
  EXPECT_NEAR(fit.terms[0].se, std::sqrt(3.0 / 2.0), 1e-5);  // previous-iterate weights, see above

  LogisticInput w;
  w.y = {1, 0, 1};
  w.x.resize(3, 0);
  w.weight = {2.0, 1.0, 0.0};
  const LogisticResult fw = survkit::fit_logistic(w, {});
  EXPECT_NEAR(fw.terms[0].coef, std::log(2.0), 1e-10);
  EXPECT_NEAR(fw.terms[0].se, std::sqrt(3.0 / 2.0), 1e-5);
  EXPECT_EQ(fw.df_null, 1);  // two observations with positive weight
  EXPECT_NEAR(fw.fitted[2], 2.0 / 3.0, 1e-10);  // zero-weight rows still get a fitted value
  // AIC with integer weights: -2 [log dbinom(2, 2, 2/3) + log dbinom(0, 1, 2/3)] + 2.
  EXPECT_NEAR(fw.aic, -2.0 * (2.0 * std::log(2.0 / 3.0) + std::log(1.0 / 3.0)) + 2.0, 1e-10);
}

TEST(LogisticErrors, BadInputIsRejected) {
  LogisticInput in;
  in.y = {1, 0, 2};
  in.x.resize(3, 0);
  EXPECT_THROW(survkit::fit_logistic(in, {}), survkit::InputError);
  in.y = {1, 0, 1};
  in.weight = {1.0, -1.0, 1.0};
  EXPECT_THROW(survkit::fit_logistic(in, {}), survkit::InputError);
  in.weight = {0.0, 0.0, 0.0};
  EXPECT_THROW(survkit::fit_logistic(in, {}), survkit::AnalysisError);
  in.weight.clear();
  in.x.resize(2, 1);
  in.terms = {"a"};
  EXPECT_THROW(survkit::fit_logistic(in, {}), survkit::InputError);
}

// All y equal: R converges towards -inf and warns; survkit must not crash and must say so.
TEST(LogisticSeparation, ConstantOutcomeDoesNotCrash) {
  LogisticInput in;
  in.y = {0, 0, 0, 0};
  in.x.resize(4, 1);
  in.x << 1, 2, 3, 4;
  in.terms = {"x"};
  const LogisticResult fit = survkit::fit_logistic(in, {});
  EXPECT_TRUE(fit.separation);
  EXPECT_TRUE(fit.terms[0].infinite);  // R: intercept -23.6, SE 97320
  for (double p : fit.fitted) EXPECT_LT(p, 1e-8);
}

}  // namespace

namespace {

// The caller's design with the intercept first (LogisticInput::design), as a model frame
// built with FrameSpec::intercept_column gives it.
Eigen::MatrixXd with_intercept(const Eigen::MatrixXd& x) {
  Eigen::MatrixXd d(x.rows(), x.cols() + 1);
  d.col(0).setOnes();
  d.rightCols(x.cols()) = x;
  return d;
}

void expect_same_fit(const LogisticResult& a, const LogisticResult& b) {
  ASSERT_EQ(a.terms.size(), b.terms.size());
  for (std::size_t j = 0; j < a.terms.size(); ++j) {
    EXPECT_EQ(a.terms[j].term, b.terms[j].term);
    EXPECT_EQ(a.terms[j].coef, b.terms[j].coef) << a.terms[j].term;
    EXPECT_EQ(a.terms[j].se, b.terms[j].se) << a.terms[j].term;
  }
  EXPECT_EQ(a.fitted, b.fitted);
  EXPECT_EQ(a.linear_predictor, b.linear_predictor);
  EXPECT_EQ(a.residual_deviance, b.residual_deviance);
  EXPECT_EQ(a.iterations, b.iterations);
}

}  // namespace

// The design read in place gives the very same fit, bit for bit, as x with the intercept
// added by the fit; the caller's design is left as it was.
TEST(LogisticDesign, InPlaceDesignGivesTheSameFit) {
  const RefCsv f = lalonde();
  auto in = make_input(f, [](std::size_t) { return true; }, [&](std::size_t i) { return f.num(i, "treat") == 1.0; },
                       lalonde_full_covariates());
  const LogisticResult plain = survkit::fit_logistic(in, {});
  const Eigen::MatrixXd design = with_intercept(in.x);
  const Eigen::MatrixXd before = design;
  LogisticInput by_design = in;
  by_design.x = Eigen::MatrixXd();
  by_design.design = &design;
  expect_same_fit(plain, survkit::fit_logistic(by_design, {}));
  expect_same_fit(plain, survkit::fit_logistic(std::move(by_design), {}));
  EXPECT_EQ(design, before);

  // A covariate at an extreme scale is rescaled for the iterations (issue 12): on a copy,
  // never on the caller's design.
  in.x.col(2) *= 1e30;
  const LogisticResult scaled = survkit::fit_logistic(in, {});
  Eigen::MatrixXd big = with_intercept(in.x);
  const Eigen::MatrixXd big_before = big;
  LogisticInput big_in = in;
  big_in.x = Eigen::MatrixXd();
  big_in.design = &big;
  expect_same_fit(scaled, survkit::fit_logistic(big_in, {}));
  EXPECT_EQ(big, big_before);
}

TEST(LogisticDesign, MalformedDesignIsRejected) {
  LogisticInput in;
  in.y = {1, 0, 1, 0};
  in.terms = {"a"};
  Eigen::MatrixXd d(4, 2);
  d << 1, 0.5, 1, 1.5, 1, 2.5, 1, 0.25;
  in.design = &d;
  EXPECT_NO_THROW(survkit::fit_logistic(in, {}));
  Eigen::MatrixXd no_intercept = d;
  no_intercept(2, 0) = 0.0;
  in.design = &no_intercept;
  EXPECT_THROW(survkit::fit_logistic(in, {}), survkit::InputError);  // first column not all 1
  in.design = &d;
  in.terms = {"a", "b"};
  EXPECT_THROW(survkit::fit_logistic(in, {}), survkit::InputError);  // terms + 1 != columns
  in.terms = {"a"};
  in.x = d.rightCols(1);
  EXPECT_THROW(survkit::fit_logistic(in, {}), survkit::InputError);  // both x and design
  in.x = Eigen::MatrixXd();
  Eigen::MatrixXd missing = d;
  missing(1, 1) = std::nan("");
  in.design = &missing;
  EXPECT_THROW(survkit::fit_logistic(in, {}), survkit::InputError);  // not finite
}
