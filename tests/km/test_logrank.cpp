// Log-rank / G-rho: against R survival 3.5-3 survdiff (tests/reference/logrank/
// make_logrank_refs.R) and against tests derived by hand.
//
// Tolerances:
//  * n: exact.  observed / expected / variance / chisq: 1e-13 relative (floor 1e-12): the
//    kernel repeats survdiff2.c's arithmetic in the same order, so differences are a few
//    ulps (the solve of the (k-1) x (k-1) system may pivot differently from LAPACK).
//  * p: 1e-10 relative with an absolute floor of 1e-300: Boost's chi-square tail against R's
//    pchisq, both accurate to ~1e-14 relative for these arguments.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include <survkit/logrank.hpp>

#include "km/km_cases.hpp"
#include "support/km_refs.hpp"
#include "support/ref_csv.hpp"

namespace {

using namespace survkit;
using km_refs::rel_diff;

constexpr double kTol = 1e-13;
constexpr double kFloor = 1e-12;
constexpr double kTolP = 1e-10;

std::string ref_path(const std::string& file) {
  return survkit::test::ref_path("logrank/" + file);
}

struct Case {
  km_cases::Dataset data;
  LogrankOptions options;
};

Case make_case(const std::string& name) {
  using namespace km_cases;
  Case c;
  if (name == "lung_sex" || name == "lung_sex_rho1") {
    c.data = lung("sex", false);
    if (name == "lung_sex_rho1") c.options.rho = 1;
  } else if (name == "lung_ecog") {
    c.data = lung("ph.ecog", true);
  } else if (name == "lung_sex_strata_ecog" || name == "lung_sex_strata_ecog_rho1") {
    c.data = lung("sex", true, "ph.ecog");
    if (name == "lung_sex_strata_ecog_rho1") c.options.rho = 1;
  } else if (name == "veteran_celltype" || name == "veteran_celltype_rho0.5") {
    c.data = simple("veteran.csv", "time", "status", "celltype");
    if (name == "veteran_celltype_rho0.5") c.options.rho = 0.5;
  } else if (name == "veteran_trt") {
    c.data = simple("veteran.csv", "time", "status", "trt");
  } else if (name == "veteran_celltype_strata_trt") {
    c.data = simple("veteran.csv", "time", "status", "celltype", "trt");
  } else if (name == "ovarian_rx") {
    c.data = simple("ovarian.csv", "futime", "fustat", "rx");
  } else if (name == "ovarian_rx_strata_resid") {
    c.data = simple("ovarian.csv", "futime", "fustat", "rx", "resid.ds");
  } else if (name == "colon_death_rx" || name == "colon_death_rx_rho1") {
    c.data = simple("colon.csv", "time", "status", "rx");
    if (name == "colon_death_rx_rho1") c.options.rho = 1;
  } else {
    ADD_FAILURE() << "unknown case " << name;
  }
  return c;
}

LogrankResult run(const Case& c) {
  const Factor g = km_refs::make_factor(c.data.group);
  if (c.data.strata.empty()) return fit_logrank(c.data.surv, g, nullptr, c.options);
  const Factor s = km_refs::make_factor(c.data.strata);
  return fit_logrank(c.data.surv, g, &s, c.options);
}

struct MaxErr {
  std::map<std::string, double> worst;
  void check(const std::string& what, double got, double want, double tol, double floor,
             const std::string& where) {
    const double e = rel_diff(got, want, floor);
    worst[what] = std::max(worst[what], e);
    EXPECT_LE(e, tol) << where << " " << what << ": got " << got << " want " << want;
  }
  void print() const {
    for (const auto& [k, v] : worst) std::printf("  max rel err %-9s %.3g\n", k.c_str(), v);
  }
};

TEST(LogrankVersusR, AllCases) {
  const auto tests = survkit::test::read_ref_csv(ref_path("logrank_tests.csv"));
  const auto groups = survkit::test::read_ref_csv(ref_path("logrank_groups.csv"));
  const auto var = survkit::test::read_ref_csv(ref_path("logrank_var.csv"));
  MaxErr err;
  for (std::size_t t = 0; t < tests.rows.size(); ++t) {
    const std::string name = tests.str(t, "case");
    const LogrankResult res = run(make_case(name));
    EXPECT_TRUE(res.warnings.empty()) << name;
    err.check("chisq", res.test.stat, tests.num(t, "chisq"), kTol, kFloor, name);
    EXPECT_EQ(res.test.df, tests.num(t, "df")) << name;
    err.check("p", res.test.p, tests.num(t, "p"), kTolP, 1e-300, name);
    std::size_t k = 0;
    for (std::size_t r = 0; r < groups.rows.size(); ++r) {
      if (groups.str(r, "case") != name) continue;
      ASSERT_LT(k, res.groups.size()) << name;
      const auto& g = res.groups[k++];
      const std::string where = name + "/" + groups.str(r, "group");
      EXPECT_EQ(g.group, groups.str(r, "group")) << where;
      EXPECT_EQ(g.n, groups.num(r, "n")) << where;
      err.check("observed", g.observed, groups.num(r, "observed"), kTol, kFloor, where);
      err.check("expected", g.expected, groups.num(r, "expected"), kTol, kFloor, where);
    }
    EXPECT_EQ(k, res.groups.size()) << name;
    for (std::size_t r = 0; r < var.rows.size(); ++r) {
      if (var.str(r, "case") != name) continue;
      const auto i = static_cast<std::size_t>(var.num(r, "row"));
      const auto j = static_cast<std::size_t>(var.num(r, "col"));
      err.check("variance", res.variance.at(i * res.groups.size() + j), var.num(r, "value"),
                kTol, kFloor, name);
    }
  }
  err.print();
}

// ---- Hand-checked: group A = 1, 3, 4+; group B = 2, 3, 5 (+ = censored).
//  t=1: N=6 (3 A, 3 B), d=1   E_A += 3/6     V += 1*3*3*5 / (6^2 * 5) = 1/4
//  t=2: N=5 (2 A, 3 B), d=1   E_A += 2/5     V += 1*2*3*4 / (5^2 * 4) = 6/25
//  t=3: N=4 (2 A, 2 B), d=2   E_A += 2*2/4   V += 2*2*2*2 / (4^2 * 3) = 1/3
//  t=5: N=1 (0 A, 1 B), d=1   E_B += 1, no variance (a single subject)
SurvData hand_data(Factor& g) {
  SurvData d;
  d.time = {1, 3, 4, 2, 3, 5};
  d.status = {1, 1, 0, 1, 1, 1};
  g.levels = {"A", "B"};
  g.code = {0, 0, 0, 1, 1, 1};
  return d;
}

TEST(LogrankByHand, LogRank) {
  Factor g;
  const SurvData d = hand_data(g);
  const auto r = fit_logrank(d, g, nullptr, {});
  ASSERT_EQ(r.groups.size(), 2u);
  EXPECT_EQ(r.groups[0].observed, 2);
  EXPECT_EQ(r.groups[1].observed, 3);
  // 1e-15: sums of three fractions.
  EXPECT_NEAR(r.groups[0].expected, 19.0 / 10.0, 1e-15);
  EXPECT_NEAR(r.groups[1].expected, 31.0 / 10.0, 1e-15);
  const double v = 1.0 / 4 + 6.0 / 25 + 1.0 / 3;  // = 247/300
  EXPECT_NEAR(r.variance[0], v, 1e-15);
  EXPECT_NEAR(r.variance[1], -v, 1e-15);
  EXPECT_NEAR(r.variance[3], v, 1e-15);
  EXPECT_NEAR(r.test.stat, 3.0 / 247.0, 1e-15);  // (1/10)^2 / (247/300)
  EXPECT_EQ(r.test.df, 1);
}

TEST(LogrankByHand, PetoPetoRhoOne) {
  // Pooled left-continuous KM: 1 at t=1, 5/6 at t=2, 4/6 at t=3 (weights S(t-)^1).
  //  O_A = 1 + 4/6 = 5/3;  E_A = 1/2 + (5/6)(2/5) + (4/6)(1) = 3/2
  //  V = 1/4 + (5/6)^2 (6/25) + (4/6)^2 (1/3) = 61/108;  chisq = (1/6)^2 / V = 3/61
  Factor g;
  const SurvData d = hand_data(g);
  LogrankOptions o;
  o.rho = 1;
  const auto r = fit_logrank(d, g, nullptr, o);
  EXPECT_NEAR(r.groups[0].observed, 5.0 / 3.0, 1e-15);
  EXPECT_NEAR(r.groups[0].expected, 3.0 / 2.0, 1e-15);
  EXPECT_NEAR(r.variance[0], 61.0 / 108.0, 1e-15);
  EXPECT_NEAR(r.test.stat, 3.0 / 61.0, 1e-15);
}

TEST(LogrankByHand, StrataAddUp) {
  // Two copies of the hand data in two strata: O, E and V double, chisq doubles.
  Factor g;
  SurvData d = hand_data(g);
  SurvData d2 = d;
  Factor g2 = g, s;
  s.levels = {"s1", "s2"};
  s.code.assign(6, 0);
  for (std::size_t i = 0; i < 6; ++i) {
    d2.time.push_back(d.time[i] * 10);  // a different time scale: strata must not mix
    d2.status.push_back(d.status[i]);
    g2.code.push_back(g.code[i]);
    s.code.push_back(1);
  }
  const auto r = fit_logrank(d2, g2, &s, {});
  EXPECT_EQ(r.n_strata, 2u);
  EXPECT_NEAR(r.groups[0].expected, 2 * 19.0 / 10.0, 1e-14);
  EXPECT_NEAR(r.test.stat, 2 * 3.0 / 247.0, 1e-14);
}

TEST(LogrankBehaviour, UnsortedInputGivesTheSameAnswer) {
  const Case c = make_case("lung_sex_strata_ecog_rho1");
  const auto a = run(c);
  std::vector<std::size_t> perm(c.data.surv.size());
  std::iota(perm.begin(), perm.end(), 0);
  std::mt19937 rng(99);
  std::shuffle(perm.begin(), perm.end(), rng);
  Case s = c;
  for (std::size_t i = 0; i < perm.size(); ++i) {
    s.data.surv.time[i] = c.data.surv.time[perm[i]];
    s.data.surv.status[i] = c.data.surv.status[perm[i]];
    s.data.group[i] = c.data.group[perm[i]];
    s.data.strata[i] = c.data.strata[perm[i]];
  }
  const auto b = run(s);
  // The kernel works on tied blocks, so the order within a tie cannot change any sum.
  EXPECT_EQ(a.test.stat, b.test.stat);
  for (std::size_t k = 0; k < a.groups.size(); ++k) {
    EXPECT_EQ(a.groups[k].observed, b.groups[k].observed);
    EXPECT_EQ(a.groups[k].expected, b.groups[k].expected);
  }
}

TEST(LogrankBehaviour, Errors) {
  Factor g;
  SurvData d = hand_data(g);
  Factor one = g;
  one.code.assign(6, 0);  // level B empty: one group left
  EXPECT_THROW(fit_logrank(d, one, nullptr, {}), AnalysisError);
  SurvData none = d;
  none.status.assign(6, 0);
  EXPECT_THROW(fit_logrank(none, g, nullptr, {}), AnalysisError);
  SurvData negative = d;
  negative.weight = {1, -2, 1, 1, 1, 1};
  EXPECT_THROW(fit_logrank(negative, g, nullptr, {}), InputError);
  SurvData zero_events = d;
  zero_events.weight = {0, 0, 1, 0, 0, 0};  // the only positive weight is censored
  EXPECT_THROW(fit_logrank(zero_events, g, nullptr, {}), AnalysisError);
  Factor bad = g;
  bad.code[0] = 5;
  EXPECT_THROW(fit_logrank(d, bad, nullptr, {}), InputError);
}

// ---- Case weights (the weighted-count extension; see logrank.hpp) ----------------------
// Integer weights against R's survdiff on the rows repeated `weight` times
// (tests/reference/logrank/make_logrank_weighted_refs.R).  Same tolerances as above: the
// weighted sums are sums of small integers, exact in double, so the arithmetic is R's.
TEST(LogrankWeighted, IntegerWeightsEqualRepeatedRowsInR) {
  const auto ref = survkit::test::read_ref_csv(ref_path("logrank_weighted.csv"));
  MaxErr err;
  std::size_t cases = 0;
  for (const std::string name :
       {"lung_sex_w", "lung_sex_w_rho1", "lung_sex_strata_ecog_w", "veteran_celltype_w"}) {
    Case c = name == "lung_sex_w"               ? make_case("lung_sex")
             : name == "lung_sex_w_rho1"        ? make_case("lung_sex_rho1")
             : name == "lung_sex_strata_ecog_w" ? make_case("lung_sex_strata_ecog")
                                                : make_case("veteran_celltype");
    const std::size_t n = c.data.surv.size();
    c.data.surv.weight.resize(n);
    // R: w = i %% 4 for lung, 1 + i %% 3 for veteran (i 1-based).
    for (std::size_t i = 0; i < n; ++i)
      c.data.surv.weight[i] = name == "veteran_celltype_w" ? 1.0 + static_cast<double>((i + 1) % 3)
                                                           : static_cast<double>((i + 1) % 4);
    const LogrankResult res = run(c);
    std::size_t k = 0;
    for (std::size_t r = 0; r < ref.rows.size(); ++r) {
      if (ref.str(r, "case") != name) continue;
      ASSERT_LT(k, res.groups.size()) << name;
      EXPECT_EQ(res.groups[k].group, ref.str(r, "group")) << name;
      EXPECT_EQ(res.groups[k].n, ref.num(r, "n")) << name;  // a sum of integers: exact
      err.check("observed", res.groups[k].observed, ref.num(r, "observed"), kTol, kFloor, name);
      err.check("expected", res.groups[k].expected, ref.num(r, "expected"), kTol, kFloor, name);
      if (k == 0) {
        err.check("variance", res.variance[0], ref.num(r, "var11"), kTol, kFloor, name);
        err.check("chisq", res.test.stat, ref.num(r, "chisq"), kTol, kFloor, name);
        EXPECT_EQ(res.test.df, ref.num(r, "df")) << name;
        err.check("p", res.test.p, ref.num(r, "p"), kTolP, 1e-300, name);
      }
      ++k;
    }
    EXPECT_EQ(k, res.groups.size()) << name;
    ++cases;
  }
  EXPECT_EQ(cases, 4u);
  err.print();
}

// Hand-checked: the hand data with weights A = {1, 2, 1}, B = {1, 1, 3} (+ censored):
// group A = 1, 3(w2), 4+;  group B = 2, 3, 5(w3).
//  t=1: n=9 (A 4, B 5), d=1   E_A += 4/9    V += 1*4*5*8 / (9^2 * 8) = 20/81
//  t=2: n=8 (A 3, B 5), d=1   E_A += 3/8    V += 1*3*5*7 / (8^2 * 7) = 15/64
//  t=3: n=7 (A 3, B 4), d=3   E_A += 3*3/7  V += 3*3*4*4 / (7^2 * 6) = 24/49
//  t=5: n=3 (B 3),      d=3   E_B += 3      V += 0 (one group at risk)
TEST(LogrankWeighted, ByHand) {
  Factor g;
  SurvData d = hand_data(g);
  d.weight = {1, 2, 1, 1, 1, 3};
  const auto r = fit_logrank(d, g, nullptr, {});
  EXPECT_EQ(r.groups[0].n, 4);
  EXPECT_EQ(r.groups[1].n, 5);
  EXPECT_EQ(r.groups[0].observed, 3);
  EXPECT_EQ(r.groups[1].observed, 5);
  // 1e-15: sums of three fractions.
  EXPECT_NEAR(r.groups[0].expected, 4.0 / 9 + 3.0 / 8 + 9.0 / 7, 1e-15);
  const double v = 20.0 / 81 + 15.0 / 64 + 24.0 / 49;
  EXPECT_NEAR(r.variance[0], v, 1e-15);
  const double oe = 3 - (4.0 / 9 + 3.0 / 8 + 9.0 / 7);
  EXPECT_NEAR(r.test.stat, oe * oe / v, 1e-14);
  // Fractional weights: halving every weight halves O, E and the hypergeometric variance
  // only approximately (the (n - d) / (n - 1) factor changes): the extension is not
  // scale-invariant, which is why it is documented as having no R equivalent.
  SurvData half = d;
  for (auto& w : half.weight) w /= 2;
  const auto h = fit_logrank(half, g, nullptr, {});
  EXPECT_NEAR(h.groups[0].expected, r.groups[0].expected / 2, 1e-15);
  // t=1: n=4.5, d=.5: .5*2*2.5*4/(4.5^2*3.5); t=2: n=4, d=.5: .5*1.5*2.5*3.5/(16*3);
  // t=3: n=3.5, d=1.5: 1.5*1.5*2*2/(3.5^2*2.5)
  const double vh = 0.5 * 2 * 2.5 * 4 / (4.5 * 4.5 * 3.5) + 0.5 * 1.5 * 2.5 * 3.5 / (16 * 3.0) +
                    1.5 * 1.5 * 2 * 2 / (3.5 * 3.5 * 2.5);
  EXPECT_NEAR(h.variance[0], vh, 1e-15);
}

TEST(LogrankBehaviour, EmptyLevelIsDropped) {
  Factor g;
  const SurvData d = hand_data(g);
  Factor g3;
  g3.levels = {"A", "unused", "B"};
  g3.code = {0, 0, 0, 2, 2, 2};
  const auto a = fit_logrank(d, g, nullptr, {}), b = fit_logrank(d, g3, nullptr, {});
  ASSERT_EQ(b.groups.size(), 2u);
  EXPECT_EQ(b.groups[1].group, "B");
  EXPECT_EQ(a.test.stat, b.test.stat);
  EXPECT_EQ(b.test.df, 1);
}

TEST(LogrankBehaviour, LargeDataIdentities) {
  const std::size_t n = 2'000'000;
  SurvData d;
  d.time.resize(n);
  d.status.resize(n);
  Factor g;
  g.levels = {"a", "b", "c"};
  g.code.resize(n);
  std::mt19937_64 rng(11);
  std::exponential_distribution<double> ex(1.0);
  for (std::size_t i = 0; i < n; ++i) {
    d.time[i] = std::round(ex(rng) * 1000) / 10;
    d.status[i] = (rng() % 3) != 0;
    g.code[i] = static_cast<std::int32_t>(rng() % 3);
  }
  const auto r = fit_logrank(d, g, nullptr, {});
  // Sum of O = sum of E (= number of events) is an identity of the log-rank test.
  double o = 0, e = 0;
  for (const auto& grp : r.groups) {
    o += grp.observed;
    e += grp.expected;
  }
  EXPECT_NEAR(e / o, 1.0, 1e-9);
  EXPECT_GT(r.test.p, 1e-6);  // random groups: no real difference
}

}  // namespace
