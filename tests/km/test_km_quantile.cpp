// km_quantiles against R's quantile(survfit(...), probs, conf.int = TRUE) (survival 3.5-3),
// with the reverse Kaplan-Meier follow-up of lung, veteran, ovarian and colon
// (tests/reference/km_quantile/make_km_quantile_refs.R), and hand-checked flat spots.
//
// Tolerance 1e-12 relative: a quantile is a time of the data (or the midpoint of two),
// chosen by comparisons with a sqrt(eps) tolerance on the same curve, so an agreeing
// choice gives the same number up to the rounding of one (a + b) / 2.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <survkit/km.hpp>

#include "km/km_cases.hpp"
#include "support/km_refs.hpp"
#include "support/ref_csv.hpp"

using namespace survkit;

namespace {

struct Case {
  km_cases::Dataset data;
  ConfType conf_type = ConfType::Log;
};

km_cases::Dataset reversed(km_cases::Dataset d) {
  for (auto& s : d.surv.status) s = 1 - s;
  return d;
}

std::map<std::string, Case> cases() {
  using km_cases::lung;
  using km_cases::simple;
  std::map<std::string, Case> c;
  c["lung_sex"] = {lung("sex", false)};
  c["lung_all_loglog"] = {lung("", false), ConfType::LogLog};
  c["veteran_celltype"] = {simple("veteran.csv", "time", "status", "celltype")};
  c["ovarian_rx"] = {simple("ovarian.csv", "futime", "fustat", "rx")};
  c["colon_death_rx"] = {simple("colon.csv", "time", "status", "rx")};
  c["lung_followup_all"] = {reversed(lung("", false))};
  c["lung_followup_sex"] = {reversed(lung("sex", false))};
  c["veteran_followup_trt"] = {reversed(simple("veteran.csv", "time", "status", "trt"))};
  km_cases::Dataset ov = reversed(simple("ovarian.csv", "futime", "fustat", "rx"));
  ov.group.assign(ov.group.size(), "all");
  c["ovarian_followup_all"] = {ov};
  c["colon_followup_rx"] = {reversed(simple("colon.csv", "time", "status", "rx"))};
  km_cases::Dataset flat;
  flat.surv.time = {1, 2, 3, 4};
  flat.surv.status = {1, 1, 1, 1};
  flat.group.assign(4, "all");
  c["tiny_flat"] = {flat};
  km_cases::Dataset end = flat;
  end.surv.status = {1, 1, 0, 0};
  c["tiny_end_half"] = {end};
  return c;
}

void expect_same(double got, double want, const std::string& what) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": got " << got << ", R NA";
    return;
  }
  EXPECT_NEAR(got, want, 1e-12 * std::max(1.0, std::fabs(want))) << what;
}

}  // namespace

TEST(KmQuantile, EqualsRQuantileSurvfit) {
  const auto ref = test::read_ref_csv(test::ref_path("km_quantile/km_quantile.csv"));
  const auto all = cases();
  std::map<std::string, KmResult> fits;
  std::size_t compared = 0;
  for (std::size_t r = 0; r < ref.size(); ++r) {
    const std::string name = ref.str(r, "case");
    const Case& c = all.at(name);
    if (!fits.count(name)) {
      KmOptions o;
      o.conf_type = c.conf_type;
      const Factor g = km_refs::make_factor(c.data.group);
      fits[name] = fit_km(c.data.surv, &g, o);
    }
    const KmGroup* group = nullptr;
    for (const auto& g : fits[name].groups)
      if (g.group == ref.str(r, "group")) group = &g;
    ASSERT_NE(group, nullptr) << name << " " << ref.str(r, "group");
    // One call with R's whole probability set (R's findq checks its smallest first); the
    // reference lists each curve's 7 probabilities in that order.
    const std::vector<double> probs = {0, 0.1, 0.25, 0.5, 0.75, 0.9, 1};
    ASSERT_EQ(ref.num(r, "prob"), probs[r % 7]) << name;
    const Estimate q = km_quantiles(*group, probs)[r % 7];
    const std::string what = name + " " + group->group + " p=" + ref.str(r, "prob");
    expect_same(q.estimate, ref.num(r, "quantile"), what + " quantile");
    expect_same(q.lower, ref.num(r, "lower"), what + " lower");
    expect_same(q.upper, ref.num(r, "upper"), what + " upper");
    compared += 3;
  }
  EXPECT_EQ(compared, 3u * 161u);  // every row of the reference
}

// By hand: deaths at 1, 2, 3, 4 (n = 4): S = 3/4, 1/2, 1/4, 0.  S = 1/2 exactly on
// [2, 3), so the median is the midpoint 5/2; S = 1/4 on [3, 4): the 0.75-quantile is
// 7/2; S reaches 0 at 4, the 0.9-quantile.  Censoring at 3 and 4 instead leaves the
// curve at 1/2 to its end at 4: the median is (2 + 4) / 2 = 3, and no 0.75-quantile.
TEST(KmQuantile, FlatSpotsByHand) {
  Factor g{{0, 0, 0, 0}, {"all"}};
  SurvData s;
  s.time = {1, 2, 3, 4};
  s.status = {1, 1, 1, 1};
  const KmGroup flat = fit_km(s, &g, KmOptions{}).groups[0];
  const auto q = km_quantiles(flat, {0.5, 0.75, 0.9, 0.0});
  EXPECT_EQ(q[0].estimate, 2.5);
  EXPECT_EQ(q[1].estimate, 3.5);
  EXPECT_EQ(q[2].estimate, 4.0);
  EXPECT_EQ(q[3].estimate, 0.0);
  EXPECT_EQ(q[0].estimate, flat.median.estimate);  // the same half-way rule as print.survfit
  s.status = {1, 1, 0, 0};
  const KmGroup end = fit_km(s, &g, KmOptions{}).groups[0];
  const auto e = km_quantiles(end, {0.5, 0.75});
  EXPECT_EQ(e[0].estimate, 3.0);
  EXPECT_TRUE(std::isnan(e[1].estimate));
  EXPECT_THROW(km_quantiles(end, {1.5}), InputError);
}
