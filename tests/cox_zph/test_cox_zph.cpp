// fit_cox_zph against cox.zph(coxph(...)) from R survival 3.5-3 (reference CSVs written
// by tests/reference/cox_zph/make_cox_zph_refs.R), plus a case checked by hand and
// structural properties.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>

#include <survkit/cox.hpp>
#include <survkit/cox_zph.hpp>
#include <survkit/cox_zph_plot.hpp>
#include <survkit/enum_names.hpp>

#include "cox/cox_designs.hpp"
#include "support/ref_csv.hpp"

namespace survkit {
namespace {

// Tolerances (relative):
//  * chisq and p: 1e-8 (the contract of issue 8).  The fitted coefficients agree with R's
//    to ~1e-12 (fit_cox is coxfit6.c step by step) and the zph kernel is zph1.c's
//    arithmetic in zph1.c's order; what remains is the linear predictor (summed by
//    survkit instead of R's matrix product), Eigen's LU instead of LAPACK's dgesv (the
//    statistic's relative error is about cond(I) * 1e-16, cond ~1e4-1e6 here) and Boost's
//    chi-square tail instead of R's pchisq (p inherits the statistic's error times
//    |d log p / d log chisq|, below ~50 here).  Observed: ~1e-11 or better.  The p-value
//    has an absolute floor of 1e-15 (a p of 1e-20 is 0 for every purpose).
//  * y and var (the plot part): 1e-8 relative with an absolute floor of 1e-10 (a scaled
//    residual is a difference of O(1) numbers, so one near 0 has no relative precision).
//  * x and time: 1e-12 (a Kaplan-Meier product, an average rank, a log).
//  * df: exact.
constexpr double kTol = 1e-8;
constexpr double kPFloor = 1e-15;
constexpr double kPlotFloor = 1e-10;
constexpr double kTimes = 1e-12;

double rel_err(double got, double want) {
  if (want == 0) return std::fabs(got);
  return std::fabs(got - want) / std::fabs(want);
}

void expect_close(double got, double want, double rel, double abs_floor, const std::string& what) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": got " << got << ", R has NA";
    return;
  }
  EXPECT_LE(std::fabs(got - want), rel * std::fabs(want) + abs_floor)
      << what << ": got " << got << ", R " << want << ", rel err " << rel_err(got, want);
}

using test::CoxDesignSpec;
using test::CoxTermSpec;
using test::factor_term;
using test::numeric_term;

// The zph terms of a design built by test::build_cox_input: a numeric term is one
// column, a factor term its consecutive dummy columns (named column + level).
std::vector<CoxZphTermSpec> terms_of(const CoxInput& in, const std::vector<CoxTermSpec>& specs) {
  std::vector<CoxZphTermSpec> out;
  std::size_t j = 0;
  for (const auto& t : specs) {
    CoxZphTermSpec s{t.column, {}};
    if (!t.factor) {
      s.columns.push_back(j++);
    } else {
      while (j < in.terms.size() && in.terms[j].rfind(t.column, 0) == 0 && in.terms[j] != t.column)
        s.columns.push_back(j++);
    }
    out.push_back(s);
  }
  EXPECT_EQ(j, in.terms.size());
  return out;
}

struct ZphCase {
  CoxInput input;
  CoxOptions options;
  std::vector<CoxZphTermSpec> terms;
  CoxResult fit;  // tiny_beta0: hand-made (beta = 0, no iteration)
};

// The cases of make_cox_zph_refs.R.
std::map<std::string, ZphCase> zph_cases() {
  std::map<std::string, ZphCase> m;
  CoxOptions efron, breslow;
  breslow.ties = Ties::Breslow;
  auto add = [&](const std::string& name, const CoxDesignSpec& s, const CoxOptions& o) {
    ZphCase c;
    c.input = test::build_cox_input(s);
    c.options = o;
    c.terms = terms_of(c.input, s.terms);
    c.fit = fit_cox(c.input, o);
    m[name] = std::move(c);
  };
  const auto lung = test::lung_design;
  const auto lung_ecog = lung({numeric_term("age"), numeric_term("sex"), factor_term("ph.ecog")});
  add("lung_efron", lung_ecog, efron);
  add("lung_breslow", lung_ecog, breslow);
  {
    auto s = lung({numeric_term("age"), numeric_term("sex"), numeric_term("ph.karno")});
    s.strata = "inst";
    add("lung_strata_inst", s, efron);
  }
  {
    // old = age > 70 and sex = 1: constant (0) in the stratum sex = 2.
    auto s = lung({numeric_term("age"), numeric_term("sex")});
    s.strata = "sex";
    ZphCase c;
    c.input = test::build_cox_input(s);
    for (Eigen::Index i = 0; i < c.input.x.rows(); ++i)
      c.input.x(i, 1) = (c.input.x(i, 0) > 70 && c.input.x(i, 1) == 1) ? 1.0 : 0.0;
    c.input.terms[1] = "old";
    c.options = efron;
    c.terms = {{"age", {0}}, {"old", {1}}};
    c.fit = fit_cox(c.input, efron);
    m["lung_strata_sex_constant"] = std::move(c);
    auto f = lung({numeric_term("age"), factor_term("ph.ecog")});
    f.strata = "sex";
    add("lung_strata_sex_factor_breslow", f, breslow);
  }
  {
    ZphCase c;
    c.input = test::build_cox_input(lung({numeric_term("age"), numeric_term("sex")}));
    const Eigen::VectorXd age2 = 2.0 * c.input.x.col(0);
    c.input = test::with_column(c.input, "age2", age2);
    c.options = efron;
    c.terms = {{"age", {0}}, {"sex", {1}}, {"age2", {2}}};
    c.fit = fit_cox(c.input, efron);
    EXPECT_TRUE(c.fit.terms[2].aliased);
    m["lung_collinear"] = std::move(c);
  }
  {
    auto s = lung_ecog;
    s.weight = [](std::size_t row) { return 1.0 + static_cast<double>(row % 3); };
    add("lung_weighted", s, efron);
  }
  {
    auto s = lung({numeric_term("age"), numeric_term("sex"), numeric_term("ph.karno")});
    s.weight = [](std::size_t row) { return 0.5 + static_cast<double>(row % 4) / 3.0; };
    add("lung_weighted_frac_breslow", s, breslow);
  }
  {
    CoxDesignSpec s;
    s.dataset = "colon.csv";
    s.time = "time";
    s.status = "status";
    s.subset = [](const test::RefCsv& csv, std::size_t r) { return csv.num(r, "etype") == 2; };
    s.terms = {factor_term("rx"), numeric_term("sex"), numeric_term("age"), numeric_term("nodes")};
    add("colon_death", s, efron);
    s.terms = {factor_term("rx"), numeric_term("age")};
    s.strata = "sex";
    s.weight = [](std::size_t row) { return 1.0 + static_cast<double>(row % 3); };
    add("colon_death_weighted_strata", s, efron);
  }
  {
    CoxDesignSpec s;
    s.dataset = "veteran.csv";
    s.time = "time";
    s.status = "status";
    s.terms = {factor_term("celltype"), numeric_term("karno"), numeric_term("trt")};
    add("veteran", s, efron);
    s.terms = {numeric_term("karno"), numeric_term("age")};
    add("veteran_breslow", s, breslow);
  }
  {
    CoxDesignSpec s;
    s.dataset = "ovarian.csv";
    s.time = "futime";
    s.status = "fustat";
    s.terms = {numeric_term("age"), numeric_term("rx"), numeric_term("ecog.ps")};
    add("ovarian", s, efron);
  }
  {
    // 4 deaths at times 1..4, x = 1, 0, 1, 0, at beta = 0 (R: init = 0, iter.max = 0).
    ZphCase c;
    c.input.surv.time = {1, 2, 3, 4};
    c.input.surv.status = {1, 1, 1, 1};
    c.input.x.resize(4, 1);
    c.input.x.col(0) << 1, 0, 1, 0;
    c.input.terms = {"x"};
    c.options = efron;
    CoxTerm t;
    t.term = "x";
    t.coef = 0;
    t.mean = 0;
    c.fit.terms = {t};
    c.fit.ties = Ties::Efron;
    m["tiny_beta0"] = std::move(c);
  }
  return m;
}

class CoxZphVsR : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    cases_ = new std::map<std::string, ZphCase>(zph_cases());
    table_ = new test::RefCsv(test::read_ref_csv(test::ref_path("cox_zph/zph_table.csv")));
    points_ = new test::RefCsv(test::read_ref_csv(test::ref_path("cox_zph/zph_points.csv")));
    y_ = new test::RefCsv(test::read_ref_csv(test::ref_path("cox_zph/zph_y.csv")));
    var_ = new test::RefCsv(test::read_ref_csv(test::ref_path("cox_zph/zph_var.csv")));
  }
  static void TearDownTestSuite() {
    delete cases_;
    delete table_;
    delete points_;
    delete y_;
    delete var_;
  }
  static CoxZphResult run(const std::string& name, ZphTransform tr) {
    const ZphCase& c = cases_->at(name);
    CoxZphOptions o;
    o.transform = tr;
    return fit_cox_zph(c.input, c.fit, o, c.terms);
  }
  static std::map<std::string, ZphCase>* cases_;
  static test::RefCsv *table_, *points_, *y_, *var_;
};
std::map<std::string, ZphCase>* CoxZphVsR::cases_ = nullptr;
test::RefCsv* CoxZphVsR::table_ = nullptr;
test::RefCsv* CoxZphVsR::points_ = nullptr;
test::RefCsv* CoxZphVsR::y_ = nullptr;
test::RefCsv* CoxZphVsR::var_ = nullptr;

TEST_F(CoxZphVsR, TableEveryCaseEveryTransform) {
  double worst_chisq = 0, worst_p = 0;
  std::size_t values = 0;
  std::map<std::string, CoxZphResult> done;
  for (std::size_t r = 0; r < table_->rows.size(); ++r) {
    const std::string name = table_->str(r, "case"), tr = table_->str(r, "transform");
    const std::string term = table_->str(r, "term");
    SCOPED_TRACE(name + " " + tr + " " + term);
    const std::string key = name + "/" + tr;
    if (!done.count(key)) done[key] = run(name, *from_name<ZphTransform>(tr));
    const CoxZphResult& z = done[key];
    EXPECT_TRUE(z.warnings.empty());
    const TestResult* row = nullptr;
    TestResult as_test;
    if (term == "GLOBAL") {
      row = &z.global;
    } else {
      auto it = std::find_if(z.terms.begin(), z.terms.end(), [&](const CoxZphTerm& t) { return t.term == term; });
      ASSERT_NE(it, z.terms.end());
      as_test = {it->chisq, it->df, it->p};
      row = &as_test;
    }
    const double chisq = table_->num(r, "chisq"), p = table_->num(r, "p");
    EXPECT_EQ(row->df, table_->num(r, "df"));
    expect_close(row->stat, chisq, kTol, 0, "chisq");
    expect_close(row->p, p, kTol, kPFloor, "p");
    worst_chisq = std::max(worst_chisq, rel_err(row->stat, chisq));
    if (p > kPFloor) worst_p = std::max(worst_p, rel_err(row->p, p));
    values += 3;
  }
  // Every term of every case is in R's table and vice versa (same count).
  std::size_t ours = 0;
  for (const auto& [k, z] : done) ours += z.terms.size() + 1;
  EXPECT_EQ(ours, table_->rows.size());
  std::printf("[ cox.zph  ] %zu values (chisq, df, p) on %zu tables; max rel err chisq %.2e, p %.2e\n",
              values, done.size(), worst_chisq, worst_p);
}

TEST_F(CoxZphVsR, PlotPartXTimeYVar) {
  double worst_x = 0, worst_y = 0, worst_v = 0;
  std::map<std::string, std::array<CoxZphResult, 4>> done;
  auto get = [&](const std::string& name) -> const std::array<CoxZphResult, 4>& {
    if (!done.count(name))
      done[name] = {run(name, ZphTransform::KM), run(name, ZphTransform::Rank),
                    run(name, ZphTransform::Identity), run(name, ZphTransform::Log)};
    return done[name];
  };
  for (std::size_t r = 0; r < points_->rows.size(); ++r) {
    const std::string name = points_->str(r, "case");
    const auto& z = get(name);
    const auto i = static_cast<std::size_t>(points_->num(r, "i"));
    SCOPED_TRACE(name + " death " + std::to_string(i));
    ASSERT_LT(i, z[0].time.size());
    expect_close(z[0].time[i], points_->num(r, "time"), kTimes, 0, "time");
    const char* cols[] = {"x_km", "x_rank", "x_identity", "x_log"};
    for (int t = 0; t < 4; ++t) {
      expect_close(z[t].x[i], points_->num(r, cols[t]), kTimes, kTimes, cols[t]);
      worst_x = std::max(worst_x, rel_err(z[t].x[i], points_->num(r, cols[t])));
    }
    const std::string st = points_->str(r, "strata");
    if (st.empty()) {
      EXPECT_TRUE(z[0].strata.empty());
    } else {
      ASSERT_LT(i, z[0].strata.size());
      EXPECT_EQ(st.substr(st.find('=') + 1), std::to_string(z[0].strata[i]));
    }
  }
  for (const auto& [name, c] : *cases_) {
    std::size_t deaths = 0;
    for (std::size_t r = 0; r < points_->rows.size(); ++r) deaths += points_->str(r, "case") == name;
    EXPECT_EQ(get(name)[0].time.size(), deaths) << name;
  }
  for (std::size_t r = 0; r < y_->rows.size(); ++r) {
    const std::string name = y_->str(r, "case"), term = y_->str(r, "term");
    const auto& z = get(name)[0];
    const auto i = static_cast<Eigen::Index>(y_->num(r, "i"));
    SCOPED_TRACE(name + " " + term + " death " + std::to_string(i));
    auto it = std::find_if(z.terms.begin(), z.terms.end(), [&](const CoxZphTerm& t) { return t.term == term; });
    ASSERT_NE(it, z.terms.end());
    const auto col = static_cast<Eigen::Index>(it - z.terms.begin());
    ASSERT_LT(i, z.y.rows());
    const double want = y_->num(r, "y");
    expect_close(z.y(i, col), want, kTol, kPlotFloor, "y");
    if (std::isfinite(want)) worst_y = std::max(worst_y, std::fabs(z.y(i, col) - want) / std::max(std::fabs(want), 1.0));
    // The residuals do not depend on the transform.
    EXPECT_TRUE(z.y(i, col) == get(name)[2].y(i, col) || (std::isnan(want) && std::isnan(get(name)[2].y(i, col))));
  }
  for (std::size_t r = 0; r < var_->rows.size(); ++r) {
    const std::string name = var_->str(r, "case");
    const auto& z = get(name)[0];
    const auto i = static_cast<Eigen::Index>(var_->num(r, "i")), j = static_cast<Eigen::Index>(var_->num(r, "j"));
    SCOPED_TRACE(name + " var");
    ASSERT_LT(std::max(i, j), z.var.rows());
    const double want = var_->num(r, "value");
    expect_close(z.var(i, j), want, kTol, kPlotFloor, "var");
    worst_v = std::max(worst_v, rel_err(z.var(i, j), want));
  }
  std::printf("[ cox.zph  ] plot part: max rel err x %.2e, y %.2e (rel. to max(|y|,1)), var %.2e\n", worst_x,
              worst_y, worst_v);
}

// By hand (see make_cox_zph_refs.R): 4 deaths at t = 1..4, x = 1, 0, 1, 0, beta = 0,
// identity transform, g = t - 2.5 = -1.5, -0.5, 0.5, 1.5.  Risk-set means xbar = 1/2,
// 1/3, 1/2, 0, variances V = 1/4, 2/9, 1/4, 0, residuals x - xbar = 1/2, -1/3, 1/2, 0:
//   U2 = sum g (x - xbar) = -1/3,  I11 = sum V = 13/18,  I12 = sum g V = -13/36,
//   I22 = sum g^2 V = 49/72,  chisq = U2^2 / (I22 - I12^2 / I11) = (1/9) / (1/2) = 2/9.
TEST_F(CoxZphVsR, TinyCaseByHand) {
  const CoxZphResult z = run("tiny_beta0", ZphTransform::Identity);
  ASSERT_EQ(z.terms.size(), 1u);
  EXPECT_NEAR(z.terms[0].chisq, 2.0 / 9.0, 1e-15);
  EXPECT_EQ(z.terms[0].df, 1);
  EXPECT_NEAR(z.global.stat, 2.0 / 9.0, 1e-15);
  EXPECT_EQ(z.x, (std::vector<double>{1, 2, 3, 4}));
  // Scaled residuals: (x - xbar) / (I11 / 4 events) + beta.
  const double v = 13.0 / 18.0 / 4.0;
  const double want[] = {0.5 / v, -1.0 / 3.0 / v, 0.5 / v, 0.0};
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(z.y(i, 0), want[i], 1e-14) << i;
  // km: 1 - S(t-) with S = 3/4, 2/4, 1/4, 0 at the four times.
  const CoxZphResult k = run("tiny_beta0", ZphTransform::KM);
  EXPECT_EQ(k.x, (std::vector<double>{0, 0.25, 0.5, 0.75}));
}

// The classic violation (Grambsch & Therneau): Karnofsky score in the veteran trial.
TEST_F(CoxZphVsR, VeteranKarnoViolatesPH) {
  const CoxZphResult z = run("veteran", ZphTransform::KM);
  auto it = std::find_if(z.terms.begin(), z.terms.end(), [](const CoxZphTerm& t) { return t.term == "karno"; });
  ASSERT_NE(it, z.terms.end());
  EXPECT_LT(it->p, 0.05);
  EXPECT_LT(z.global.p, 0.05);
  ASSERT_EQ(z.terms.size(), 3u);
  EXPECT_EQ(z.terms[0].term, "celltype");
  EXPECT_EQ(z.terms[0].df, 3);  // one row for the factor, df = its 3 dummies
}

// The curves of R's plot(cox.zph(fit)) (df = 4, nsmo = 40), captured from survival's
// own plot.cox.zph: every term of every case under every transform.  Tolerance: 1e-8
// relative with an absolute floor of 1e-10 times the band's half-width scale (the
// inputs y and var agree with R to ~1e-10, see PlotPartXTimeYVar; the spline fit is a
// well-conditioned least-squares projection on a basis rescaled to [0, 1], and a fit near
// 0 has no relative precision).  pred.x: 1e-12 (R's seq over the range of x; for the log
// transform lines() receives exp(pred.x)).
TEST_F(CoxZphVsR, SmoothAgreesWithPlotCoxZph) {
  const test::RefCsv sm = test::read_ref_csv(test::ref_path("cox_zph/zph_smooth.csv"));
  std::map<std::string, CoxZphResult> done;
  std::map<std::string, CoxZphSmooth> curves;
  double worst = 0;
  std::size_t values = 0;
  for (std::size_t r = 0; r < sm.rows.size(); ++r) {
    const std::string name = sm.str(r, "case"), tr = sm.str(r, "transform"), term = sm.str(r, "term");
    SCOPED_TRACE(name + " " + tr + " " + term);
    const std::string key = name + "/" + tr;
    if (!done.count(key)) done[key] = run(name, *from_name<ZphTransform>(tr));
    const CoxZphResult& z = done[key];
    if (!curves.count(key + "/" + term)) {
      auto it = std::find_if(z.terms.begin(), z.terms.end(), [&](const CoxZphTerm& t) { return t.term == term; });
      ASSERT_NE(it, z.terms.end());
      curves[key + "/" + term] = cox_zph_smooth(z, static_cast<std::size_t>(it - z.terms.begin()));
    }
    const CoxZphSmooth& c = curves[key + "/" + term];
    ASSERT_TRUE(c.ok) << c.warning;
    const auto k = static_cast<std::size_t>(sm.num(r, "k"));
    ASSERT_EQ(c.pred_x.size(), 40u);
    const double x = tr == "log" ? std::exp(c.pred_x[k]) : c.pred_x[k];
    expect_close(x, sm.num(r, "x"), kTimes, kTimes, "pred.x");
    const double scale = c.upper[k] - c.lower[k];
    expect_close(c.fit[k], sm.num(r, "fit"), kTol, kPlotFloor * scale, "fit");
    expect_close(c.upper[k], sm.num(r, "upper"), kTol, kPlotFloor * scale, "upper");
    expect_close(c.lower[k], sm.num(r, "lower"), kTol, kPlotFloor * scale, "lower");
    for (const char* col : {"fit", "upper", "lower"}) {
      const double want = sm.num(r, col);
      const double got = std::string(col) == "fit" ? c.fit[k] : std::string(col) == "upper" ? c.upper[k] : c.lower[k];
      worst = std::max(worst, std::fabs(got - want) / std::max(std::fabs(want), scale));
    }
    values += 4;
  }
  // Every term R drew, and no more: R drew every term of every table here.
  std::size_t terms = 0;
  for (const auto& [k, z] : done) terms += z.terms.size();
  EXPECT_EQ(curves.size(), terms);
  std::printf("[ zph plot ] %zu values on %zu curves; max err / max(|R|, band width) %.2e\n", values, curves.size(),
              worst);
}

// R's time axis of plot.cox.zph (km and rank): positions and labels.
TEST_F(CoxZphVsR, TimeAxisAgreesWithPlotCoxZph) {
  const test::RefCsv ax = test::read_ref_csv(test::ref_path("cox_zph/zph_axis.csv"));
  std::map<std::string, std::vector<CoxZphTick>> done;
  std::size_t n = 0;
  for (std::size_t r = 0; r < ax.rows.size(); ++r) {
    const std::string name = ax.str(r, "case"), tr = ax.str(r, "transform");
    SCOPED_TRACE(name + " " + tr);
    const std::string key = name + "/" + tr;
    if (!done.count(key)) done[key] = cox_zph_time_axis(run(name, *from_name<ZphTransform>(tr)));
    const auto k = static_cast<std::size_t>(ax.num(r, "k"));
    ASSERT_EQ(done[key].size(), 8u);
    expect_close(done[key][k].x, ax.num(r, "x"), kTimes, kTimes, "tick position");
    EXPECT_DOUBLE_EQ(done[key][k].time, std::stod(ax.str(r, "label")));
    ++n;
  }
  EXPECT_EQ(n, done.size() * 8);
  EXPECT_TRUE(cox_zph_time_axis(run("veteran", ZphTransform::Identity)).empty());
}

TEST_F(CoxZphVsR, SmoothInputChecksAndSingularFit) {
  const CoxZphResult z = run("veteran", ZphTransform::KM);
  EXPECT_THROW(cox_zph_smooth(z, 3), InputError);
  CoxZphSmoothOptions o;
  o.df = 1;
  EXPECT_THROW(cox_zph_smooth(z, 0, o), InputError);
  // Three deaths cannot carry a 4-df spline: R skips the term with a warning.
  CoxZphResult small = z;
  small.x.resize(3);
  small.time.resize(3);
  small.y.conservativeResize(3, small.y.cols());
  const CoxZphSmooth s = cox_zph_smooth(small, 1);
  EXPECT_FALSE(s.ok);
  EXPECT_NE(s.warning.find("singular"), std::string::npos);
  EXPECT_TRUE(s.fit.empty());
}

TEST(CoxZph, GroupingHelpersAndInputChecks) {
  const auto g = zph_terms_by_column({"age", "celltype", "celltype", "karno", "celltype"});
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0].name, "age");
  EXPECT_EQ(g[1].name, "celltype");
  EXPECT_EQ(g[1].columns, (std::vector<std::size_t>{1, 2, 4}));
  EXPECT_EQ(g[2].columns, (std::vector<std::size_t>{3}));
  EXPECT_EQ(from_name<ZphTransform>("rank"), ZphTransform::Rank);
  EXPECT_EQ(to_name(ZphTransform::Log), "log");
  EXPECT_FALSE(from_name<ZphTransform>("sqrt").has_value());

  CoxInput in;
  in.surv.time = {0, 2, 3, 4, 5, 6};
  in.surv.status = {1, 1, 0, 1, 1, 0};
  in.x.resize(6, 2);
  in.x.col(0) << 1, 0, 1, 0, 1, 1;
  in.x.col(1) << 0.3, -1.2, 0.8, 2.0, -0.4, 0.1;
  in.terms = {"a", "b"};
  const CoxResult fit = fit_cox(in);
  // Default terms: one per column, named as the columns; same numbers as explicit ones.
  const CoxZphResult d = fit_cox_zph(in, fit);
  ASSERT_EQ(d.terms.size(), 2u);
  EXPECT_EQ(d.terms[1].term, "b");
  const CoxZphResult e = fit_cox_zph(in, fit, {}, {{"b", {1}}, {"a", {0}}});
  EXPECT_EQ(e.terms[0].term, "b");
  EXPECT_EQ(e.terms[0].chisq, d.terms[1].chisq);
  EXPECT_EQ(e.global.stat, d.global.stat);
  // (The residuals go through an LU of the permuted matrix: equal up to rounding.)
  for (Eigen::Index i = 0; i < d.y.rows(); ++i) EXPECT_NEAR(e.y(i, 0), d.y(i, 1), 1e-12 * (1 + std::fabs(d.y(i, 1))));
  // Terms must partition the columns.
  EXPECT_THROW(fit_cox_zph(in, fit, {}, {{"a", {0}}}), InputError);
  EXPECT_THROW(fit_cox_zph(in, fit, {}, {{"a", {0, 1}}, {"b", {1}}}), InputError);
  // log of a zero time.
  CoxZphOptions lg;
  lg.transform = ZphTransform::Log;
  EXPECT_THROW(fit_cox_zph(in, fit, lg), InputError);
  // A fit of other data.
  CoxResult other = fit;
  other.terms.pop_back();
  EXPECT_THROW(fit_cox_zph(in, other), InputError);
}

}  // namespace
}  // namespace survkit
