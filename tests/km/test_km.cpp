// Kaplan-Meier: against R survival 3.5-3 (tests/reference/km/make_km_refs.R) and against
// curves derived by hand.
//
// Tolerances (relative, with the floors given below):
//  * counts (n.risk, n.event, n.censor, n, events): exact for unit and whole-number weights
//    (sums of small integers are exact in double); 1e-13 for fractional weights, whose sums
//    R accumulates in a different order.
//  * survival, SE, limits, median, rmean and its SE: 1e-13.  Both sides evaluate the same
//    formulas in double in (nearly) the same order; observed differences are at the 1e-15
//    level (a few ulps through products of up to ~200 factors).  The robust (fractional
//    weight) SE uses a closed form instead of R's per-observation recursion and agrees to
//    ~1e-15 too.  Largest difference seen: 6e-15 (a log-log limit); 1e-13 leaves room for
//    another libm's exp/log, nothing more.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <survkit/km.hpp>

#include "km/km_cases.hpp"
#include "support/km_refs.hpp"
#include "support/ref_csv.hpp"

namespace {

using namespace survkit;
using km_refs::rel_diff;

constexpr double kTolEstimate = 1e-13;
constexpr double kTolWeightedCount = 1e-13;
// Floor for relative differences: values below it are compared absolutely (std errors and
// limits near 0 at the end of a curve).
constexpr double kFloor = 1e-12;

const std::vector<double> kTimes = {-5, 0, 30, 100, 180.5, 365, 400, 730, 1000, 5000};

std::string ref_path(const std::string& file) {
  return survkit::test::ref_path("km/" + file);
}

struct Case {
  km_cases::Dataset data;
  bool grouped = true;  // false: group == nullptr ("all")
  KmOptions options;
  bool fractional_weights = false;
};

Case make_case(const std::string& name) {
  using namespace km_cases;
  Case c;
  auto& o = c.options;
  o.times = kTimes;
  if (name == "lung_all") {
    c.data = lung("", false);
    c.grouped = false;
  } else if (name == "lung_sex" || name == "lung_sex_loglog" || name == "lung_sex_plain" ||
             name == "lung_sex_ci90") {
    c.data = lung("sex", false);
    if (name == "lung_sex_loglog") o.conf_type = ConfType::LogLog;
    if (name == "lung_sex_plain") o.conf_type = ConfType::Plain;
    if (name == "lung_sex_ci90") o.conf_level = 0.9;
  } else if (name == "lung_ecog") {
    c.data = lung("ph.ecog", true);
  } else if (name == "lung_sex_wint") {
    c.data = lung("sex", false);
    c.data.surv.weight = seq_weights(c.data.surv.size(), 1, 3, 1);
  } else if (name == "lung_sex_wfrac" || name == "lung_sex_wfrac_plain") {
    c.data = lung("sex", false);
    c.data.surv.weight = seq_weights(c.data.surv.size(), 0.5, 7, 4);
    c.fractional_weights = true;
    if (name == "lung_sex_wfrac_plain") o.conf_type = ConfType::Plain;
  } else if (name == "veteran_celltype" || name == "veteran_celltype_loglog") {
    c.data = simple("veteran.csv", "time", "status", "celltype");
    if (name == "veteran_celltype_loglog") o.conf_type = ConfType::LogLog;
  } else if (name == "veteran_trt_plain") {
    c.data = simple("veteran.csv", "time", "status", "trt");
    o.conf_type = ConfType::Plain;
  } else if (name == "veteran_celltype_wfrac") {
    c.data = simple("veteran.csv", "time", "status", "celltype");
    c.data.surv.weight = seq_weights(c.data.surv.size(), 0.25, 5, 3);
    c.fractional_weights = true;
  } else if (name == "ovarian_rx") {
    c.data = simple("ovarian.csv", "futime", "fustat", "rx");
  } else if (name == "colon_death_rx") {
    c.data = simple("colon.csv", "time", "status", "rx");
  } else if (name == "tiny_halfway" || name.rfind("tiny_zero_", 0) == 0) {
    if (name == "tiny_halfway") {
      c.data.surv.time = {1, 2, 3, 4};
      c.data.surv.status = {1, 1, 1, 1};
    } else {
      c.data.surv.time = {1, 2, 2, 3, 4, 5};
      c.data.surv.status = {1, 1, 0, 1, 0, 1};
    }
    c.grouped = false;
    if (name == "tiny_zero_log-log") o.conf_type = ConfType::LogLog;
    if (name == "tiny_zero_plain") o.conf_type = ConfType::Plain;
  } else {
    ADD_FAILURE() << "unknown case " << name;
  }
  return c;
}

KmResult run(const Case& c) {
  if (!c.grouped) return fit_km(c.data.surv, nullptr, c.options);
  const Factor g = km_refs::make_factor(c.data.group);
  return fit_km(c.data.surv, &g, c.options);
}

const KmGroup* find_group(const KmResult& r, const std::string& name) {
  for (const auto& g : r.groups)
    if (g.group == name) return &g;
  return nullptr;
}

// Largest relative error seen per quantity, printed at the end of each test.
struct MaxErr {
  std::map<std::string, double> worst;
  void check(const std::string& what, double got, double want, double tol,
             const std::string& where) {
    const double e = rel_diff(got, want, kFloor);
    worst[what] = std::max(worst[what], e);
    EXPECT_LE(e, tol) << where << " " << what << ": got " << got << " want " << want;
  }
  void print() const {
    for (const auto& [k, v] : worst) std::printf("  max rel err %-10s %.3g\n", k.c_str(), v);
  }
};

std::vector<std::string> case_names(const survkit::test::RefCsv& csv) {
  std::vector<std::string> names;
  for (const auto& c : csv.strs("case"))
    if (std::find(names.begin(), names.end(), c) == names.end()) names.push_back(c);
  return names;
}

TEST(KmVersusR, EveryDistinctTime) {
  const auto ref = survkit::test::read_ref_csv(ref_path("km_curve.csv"));
  const auto table = survkit::test::read_ref_csv(ref_path("km_table.csv"));
  MaxErr err;
  for (const auto& name : case_names(ref)) {
    Case c = make_case(name);
    for (std::size_t r = 0; r < table.rows.size(); ++r)
      if (table.str(r, "case") == name) c.options.rmst_tau = table.num(r, "tau");
    const KmResult res = run(c);
    const double count_tol = c.fractional_weights ? kTolWeightedCount : 0.0;
    std::map<std::string, std::size_t> next_row;
    std::size_t n_ref_rows = 0;
    for (std::size_t r = 0; r < ref.rows.size(); ++r) {
      if (ref.str(r, "case") != name) continue;
      ++n_ref_rows;
      const std::string gname = ref.str(r, "group");
      const KmGroup* g = find_group(res, gname);
      ASSERT_NE(g, nullptr) << name << " group " << gname;
      const std::size_t i = next_row[gname]++;
      ASSERT_LT(i, g->curve.size()) << name << " group " << gname;
      const KmPoint& p = g->curve[i];
      const std::string where = name + "/" + gname + " t=" + ref.str(r, "time");
      EXPECT_EQ(p.time, ref.num(r, "time")) << where;
      err.check("n_risk", p.n_risk, ref.num(r, "n_risk"), count_tol, where);
      err.check("n_event", p.n_event, ref.num(r, "n_event"), count_tol, where);
      err.check("n_censor", p.n_censor, ref.num(r, "n_censor"), count_tol, where);
      err.check("surv", p.survival, ref.num(r, "surv"), kTolEstimate, where);
      err.check("std_err", p.std_err, ref.num(r, "std_err"), kTolEstimate, where);
      err.check("lower", p.lower, ref.num(r, "lower"), kTolEstimate, where);
      err.check("upper", p.upper, ref.num(r, "upper"), kTolEstimate, where);
    }
    // Same number of rows: no curve has rows R does not have.
    std::size_t n_rows = 0;
    for (const auto& g : res.groups) n_rows += g.curve.size();
    EXPECT_EQ(n_rows, n_ref_rows) << name;
  }
  err.print();
}

TEST(KmVersusR, MedianRmeanAndCounts) {
  const auto ref = survkit::test::read_ref_csv(ref_path("km_table.csv"));
  MaxErr err;
  for (const auto& name : case_names(ref)) {
    Case c = make_case(name);
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < ref.rows.size(); ++r)
      if (ref.str(r, "case") == name) rows.push_back(r);
    c.options.rmst_tau = ref.num(rows.front(), "tau");
    const KmResult res = run(c);
    ASSERT_EQ(res.groups.size(), rows.size()) << name;
    const double count_tol = c.fractional_weights ? kTolWeightedCount : 0.0;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::size_t r = rows[k];
      const KmGroup& g = res.groups[k];  // same order as R's strata
      const std::string where = name + "/" + ref.str(r, "group");
      EXPECT_EQ(g.group, ref.str(r, "group")) << where;
      EXPECT_EQ(g.n, ref.num(r, "n")) << where;
      err.check("n_start", g.n_start, ref.num(r, "n_start"), count_tol, where);
      err.check("events", g.events, ref.num(r, "events"), count_tol, where);
      EXPECT_EQ(g.robust_se, c.fractional_weights) << where;
      err.check("median", g.median.estimate, ref.num(r, "median"), kTolEstimate, where);
      err.check("med_lower", g.median.lower, ref.num(r, "median_lower"), kTolEstimate, where);
      err.check("med_upper", g.median.upper, ref.num(r, "median_upper"), kTolEstimate, where);
      EXPECT_EQ(g.rmst.tau, ref.num(r, "tau")) << where;
      err.check("rmean", g.rmst.estimate, ref.num(r, "rmean"), kTolEstimate, where);
      err.check("se_rmean", g.rmst.se, ref.num(r, "se_rmean"), kTolEstimate, where);
    }
  }
  err.print();
}

TEST(KmVersusR, SummaryAtTimes) {
  const auto ref = survkit::test::read_ref_csv(ref_path("km_at.csv"));
  MaxErr err;
  for (const auto& name : case_names(ref)) {
    Case c = make_case(name);
    // Any order in, sorted out (summary.survfit sorts `times`).
    std::reverse(c.options.times.begin(), c.options.times.end());
    const KmResult res = run(c);
    const double count_tol = c.fractional_weights ? kTolWeightedCount : 0.0;
    std::map<std::string, std::size_t> next_row;
    std::size_t n_ref_rows = 0;
    for (std::size_t r = 0; r < ref.rows.size(); ++r) {
      if (ref.str(r, "case") != name) continue;
      ++n_ref_rows;
      const std::string gname = ref.str(r, "group");
      const KmGroup* g = find_group(res, gname);
      ASSERT_NE(g, nullptr) << name << " group " << gname;
      const std::size_t i = next_row[gname]++;
      ASSERT_LT(i, g->at.size()) << name << " group " << gname;
      const KmAt& a = g->at[i];
      const std::string where = name + "/" + gname + " t=" + ref.str(r, "time");
      EXPECT_EQ(a.time, ref.num(r, "time")) << where;
      err.check("n_risk", a.n_risk, ref.num(r, "n_risk"), count_tol, where);
      err.check("n_event", a.n_event, ref.num(r, "n_event"), count_tol, where);
      err.check("surv", a.survival, ref.num(r, "surv"), kTolEstimate, where);
      err.check("std_err", a.std_err, ref.num(r, "std_err"), kTolEstimate, where);
      err.check("lower", a.lower, ref.num(r, "lower"), kTolEstimate, where);
      err.check("upper", a.upper, ref.num(r, "upper"), kTolEstimate, where);
    }
    std::size_t n_rows = 0;
    for (const auto& g : res.groups) n_rows += g.at.size();
    EXPECT_EQ(n_rows, n_ref_rows) << name << ": times beyond the last time must be dropped";
  }
  err.print();
}

// ---- Hand-checked curves (book1.R style): every number is a product / sum of fractions.

SurvData tiny() {
  // times 1, 2, 2+, 3, 4+, 5 (+ = censored)
  SurvData d;
  d.time = {1, 2, 2, 3, 4, 5};
  d.status = {1, 1, 0, 1, 0, 1};
  return d;
}

TEST(KmByHand, ProductLimitAndGreenwood) {
  KmOptions o;
  o.conf_type = ConfType::Plain;
  const auto r = fit_km(tiny(), nullptr, o);
  ASSERT_EQ(r.groups.size(), 1u);
  const auto& c = r.groups[0].curve;
  ASSERT_EQ(c.size(), 5u);  // distinct times 1, 2, 3, 4, 5
  const double s1 = 5.0 / 6.0, s2 = s1 * 4.0 / 5.0, s3 = s2 * 2.0 / 3.0;
  const double g1 = 1.0 / (6 * 5), g2 = g1 + 1.0 / (5 * 4), g3 = g2 + 1.0 / (3 * 2);
  EXPECT_EQ(c[0].n_risk, 6);
  EXPECT_EQ(c[1].n_risk, 5);
  EXPECT_EQ(c[1].n_event, 1);
  EXPECT_EQ(c[1].n_censor, 1);
  EXPECT_EQ(c[2].n_risk, 3);
  EXPECT_EQ(c[3].n_censor, 1);
  EXPECT_EQ(c[4].n_risk, 1);
  // 1e-15: a couple of roundings in products of fractions.
  EXPECT_NEAR(c[0].survival, s1, 1e-15);
  EXPECT_NEAR(c[1].survival, s2, 1e-15);
  EXPECT_NEAR(c[2].survival, s3, 1e-15);
  EXPECT_NEAR(c[3].survival, s3, 1e-15);  // censoring leaves S unchanged
  EXPECT_EQ(c[4].survival, 0.0);
  EXPECT_NEAR(c[0].std_err, s1 * std::sqrt(g1), 1e-15);
  EXPECT_NEAR(c[1].std_err, s2 * std::sqrt(g2), 1e-15);
  EXPECT_NEAR(c[2].std_err, s3 * std::sqrt(g3), 1e-15);
  // Plain limits: S -+ 1.959964 * se(S), clipped at 0 and 1.
  const double z = 1.959963984540054;
  EXPECT_NEAR(c[2].lower, s3 - z * s3 * std::sqrt(g3), 1e-14);
  EXPECT_NEAR(c[2].upper, s3 + z * s3 * std::sqrt(g3), 1e-14);
  EXPECT_EQ(c[0].upper, 1.0);
  // At S = 0 the Greenwood term d / (n (n - d)) is infinite: R reports NaN SE and limits.
  EXPECT_TRUE(std::isnan(c[4].std_err));
  EXPECT_TRUE(std::isnan(c[4].lower));
}

TEST(KmByHand, MedianRmeanAndTimes) {
  KmOptions o;
  o.rmst_tau = 10;
  o.times = {2.5, 0.5, 7};  // 7 is beyond the last time (5): dropped, as R's extend = FALSE
  const auto r = fit_km(tiny(), nullptr, o);
  const auto& g = r.groups[0];
  EXPECT_EQ(g.n, 6);
  EXPECT_EQ(g.events, 4);
  EXPECT_EQ(g.median.estimate, 3.0);  // S(2) = 2/3 > 0.5, S(3) = 4/9 < 0.5
  // Area: 1 * 1 + 1 * 5/6 + 1 * 2/3 + 2 * 4/9 = 61/18.
  EXPECT_NEAR(g.rmst.estimate, 61.0 / 18.0, 1e-14);
  // Var: sum over event times of (area beyond t)^2 d / (n (n - d)); the last (n = d) adds 0.
  const double var = (43.0 / 18) * (43.0 / 18) / 30 + (14.0 / 9) * (14.0 / 9) / 20 +
                     (8.0 / 9) * (8.0 / 9) / 6;
  EXPECT_NEAR(g.rmst.se, std::sqrt(var), 1e-14);
  ASSERT_EQ(g.at.size(), 2u);
  EXPECT_EQ(g.at[0].time, 0.5);
  EXPECT_EQ(g.at[0].survival, 1.0);
  EXPECT_EQ(g.at[0].n_risk, 6);
  EXPECT_EQ(g.at[0].n_event, 0);
  EXPECT_EQ(g.at[1].time, 2.5);
  EXPECT_NEAR(g.at[1].survival, 2.0 / 3.0, 1e-15);
  EXPECT_EQ(g.at[1].n_risk, 3);   // at risk at the first time >= 2.5
  EXPECT_EQ(g.at[1].n_event, 2);  // events in (0.5, 2.5]
}

TEST(KmByHand, HalfwayMedian) {
  // 4 deaths at 1, 2, 3, 4: S = 3/4, 1/2, 1/4, 0.  S is exactly 1/2 on [2, 3): the median
  // is the midpoint 2.5 (survmean's minmin rule).
  SurvData d;
  d.time = {4, 3, 2, 1};
  d.status = {1, 1, 1, 1};
  const auto r = fit_km(d, nullptr, {});
  EXPECT_EQ(r.groups[0].median.estimate, 2.5);
}

TEST(KmByHand, CaseWeightsActAsReplication) {
  // Whole-number weights give the same curve as replicated rows (Greenwood on weighted counts).
  SurvData w = tiny();
  w.weight = {2, 1, 3, 1, 1, 2};
  SurvData rep;
  for (std::size_t i = 0; i < w.size(); ++i)
    for (int k = 0; k < static_cast<int>(w.weight[i]); ++k) {
      rep.time.push_back(w.time[i]);
      rep.status.push_back(w.status[i]);
    }
  const auto a = fit_km(w, nullptr, {}), b = fit_km(rep, nullptr, {});
  ASSERT_EQ(a.groups[0].curve.size(), b.groups[0].curve.size());
  for (std::size_t i = 0; i < a.groups[0].curve.size(); ++i) {
    const auto &p = a.groups[0].curve[i], &q = b.groups[0].curve[i];
    EXPECT_EQ(p.n_risk, q.n_risk);
    EXPECT_EQ(p.n_event, q.n_event);
    EXPECT_DOUBLE_EQ(p.survival, q.survival);
    if (!std::isnan(q.std_err)) {
      EXPECT_DOUBLE_EQ(p.std_err, q.std_err);
    }
  }
  // n = records (6), events = weighted (2 + 1 + 1 + 2).
  EXPECT_EQ(a.groups[0].n, 6);
  EXPECT_EQ(a.groups[0].events, 6);
  // S(1) = (10 - 2) / 10, 10 = total weight; S(2) = S(1) * (8 - 1) / 8 (the 2 of time 1 have left).
  EXPECT_NEAR(a.groups[0].curve[0].survival, 8.0 / 10.0, 1e-15);
  EXPECT_NEAR(a.groups[0].curve[1].survival, 8.0 / 10.0 * 7.0 / 8.0, 1e-15);
  EXPECT_EQ(a.groups[0].curve[1].n_risk, 8);
}

TEST(KmBehaviour, ZeroWeightRowsKeepTheirTime) {
  // As R (checked with survfit(..., weights = c(1, 0, 1, 1))): a zero-weight event still
  // makes a row, with weighted n.event 0, and leaves the curve unchanged.
  SurvData d;
  d.time = {1, 2, 3, 4};
  d.status = {1, 1, 0, 1};
  d.weight = {1, 0, 1, 1};
  const auto r = fit_km(d, nullptr, {});
  const auto& c = r.groups[0].curve;
  ASSERT_EQ(c.size(), 4u);
  EXPECT_EQ(c[1].n_risk, 2);
  EXPECT_EQ(c[1].n_event, 0);
  EXPECT_NEAR(c[1].survival, 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(c[1].std_err, 2.0 / 3.0 * std::sqrt(1.0 / (3 * 2)), 1e-15);
  EXPECT_EQ(c[3].survival, 0.0);
  EXPECT_EQ(r.groups[0].n, 4);
  EXPECT_FALSE(r.groups[0].robust_se);  // whole-number weights: Greenwood
}

TEST(KmBehaviour, UnsortedInputGivesTheSameAnswer) {
  Case c = make_case("lung_sex_wint");
  c.options.rmst_tau = 365;
  const KmResult a = run(c);
  std::vector<std::size_t> perm(c.data.surv.size());
  std::iota(perm.begin(), perm.end(), 0);
  std::mt19937 rng(20240611);
  std::shuffle(perm.begin(), perm.end(), rng);
  Case s = c;
  for (std::size_t i = 0; i < perm.size(); ++i) {
    s.data.surv.time[i] = c.data.surv.time[perm[i]];
    s.data.surv.status[i] = c.data.surv.status[perm[i]];
    s.data.surv.weight[i] = c.data.surv.weight[perm[i]];
    s.data.group[i] = c.data.group[perm[i]];
  }
  const KmResult b = run(s);
  ASSERT_EQ(a.groups.size(), b.groups.size());
  for (std::size_t k = 0; k < a.groups.size(); ++k) {
    const auto &ga = a.groups[k], &gb = b.groups[k];
    ASSERT_EQ(ga.curve.size(), gb.curve.size());
    // Whole-number weights: every sum is exact, so the results are identical.
    for (std::size_t i = 0; i < ga.curve.size(); ++i) {
      EXPECT_EQ(ga.curve[i].time, gb.curve[i].time);
      EXPECT_EQ(ga.curve[i].n_risk, gb.curve[i].n_risk);
      EXPECT_EQ(ga.curve[i].survival, gb.curve[i].survival);
      EXPECT_EQ(ga.curve[i].std_err, gb.curve[i].std_err);
    }
    EXPECT_EQ(ga.median.estimate, gb.median.estimate);
    EXPECT_EQ(ga.rmst.estimate, gb.rmst.estimate);
  }
}

TEST(KmBehaviour, EmptyLevelsAreDroppedAndNoEventsIsAllowed) {
  SurvData d;
  d.time = {1, 2, 3};
  d.status = {0, 0, 0};
  Factor g;
  g.levels = {"a", "empty", "b"};
  g.code = {0, 2, 0};
  const auto r = fit_km(d, &g, {});
  ASSERT_EQ(r.groups.size(), 2u);  // survfit drops unused factor levels
  EXPECT_EQ(r.groups[0].group, "a");
  EXPECT_EQ(r.groups[1].group, "b");
  for (const auto& p : r.groups[0].curve) EXPECT_EQ(p.survival, 1.0);
  EXPECT_TRUE(is_na(r.groups[0].median.estimate));
  EXPECT_EQ(r.groups[0].events, 0);
}

TEST(KmBehaviour, BadInputThrows) {
  SurvData d = tiny();
  KmOptions o;
  o.rmst_tau = 0.5;  // before the first time: print.survfit stops
  EXPECT_THROW(fit_km(d, nullptr, o), InputError);
  o = {};
  o.conf_level = 1;
  EXPECT_THROW(fit_km(d, nullptr, o), InputError);
  SurvData bad = tiny();
  bad.time[2] = -1;
  EXPECT_THROW(fit_km(bad, nullptr, {}), InputError);
  bad = tiny();
  bad.time[2] = NA;
  EXPECT_THROW(fit_km(bad, nullptr, {}), InputError);
  bad = tiny();
  bad.weight = {1, 1};
  EXPECT_THROW(fit_km(bad, nullptr, {}), InputError);
  Factor g;
  g.levels = {"x"};
  g.code = {0, 0, 0, 0, 0, 1};
  EXPECT_THROW(fit_km(tiny(), &g, {}), InputError);
  EXPECT_THROW(fit_km(SurvData{}, nullptr, {}), AnalysisError);
}

TEST(KmBehaviour, LargeDataCounts) {
  // 2 million rows, 3 groups, continuous times: the counts must add up exactly.  (Speed
  // is measured by bench/run.sh, not by a test.)
  const std::size_t n = 2'000'000;
  SurvData d;
  d.time.resize(n);
  d.status.resize(n);
  Factor g;
  g.levels = {"a", "b", "c"};
  g.code.resize(n);
  std::mt19937_64 rng(7);
  std::exponential_distribution<double> ex(1.0);
  std::size_t events = 0;
  for (std::size_t i = 0; i < n; ++i) {
    d.time[i] = std::round(ex(rng) * 1000) / 10;
    d.status[i] = (rng() % 3) != 0;
    events += d.status[i];
    g.code[i] = static_cast<std::int32_t>(rng() % 3);
  }
  KmOptions o;
  o.rmst_tau = 100;
  const auto r = fit_km(d, &g, o);
  double total_events = 0, total_n = 0;
  for (const auto& grp : r.groups) {
    total_events += grp.events;
    total_n += grp.n;
    EXPECT_EQ(grp.curve.front().n_risk, grp.n);
  }
  EXPECT_EQ(total_events, static_cast<double>(events));
  EXPECT_EQ(total_n, static_cast<double>(n));
}

}  // namespace
