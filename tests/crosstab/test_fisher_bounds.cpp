// Fisher's exact test is bounded (issue 12 section 1): hopeless tables give up through a
// deterministic work counter or the memory estimate (never a hang, never gigabytes), and
// tables within the bounds keep their exact p-value (checked against brute-force
// enumeration on many seeded random tables).  No test here reads a clock: the bounds are
// asserted through `work`, `peak_bytes` and `gave_up`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "support/reg_refs.hpp"
#include "survkit/crosstab.hpp"

namespace {

using survkit::FisherGaveUp;
using survkit::kFisherMaxBytes;
using survkit::kFisherMaxWork;
using Table = std::vector<std::vector<long>>;

// A random r x c table of n observations, uniform cells, no empty margin.
Table random_table(int r, int c, int n, std::uint64_t seed) {
  std::mt19937_64 g(seed);
  for (;;) {
    Table t(static_cast<std::size_t>(r), std::vector<long>(static_cast<std::size_t>(c), 0));
    for (int i = 0; i < n; ++i) ++t[g() % static_cast<unsigned>(r)][g() % static_cast<unsigned>(c)];
    bool ok = true;
    for (int i = 0; i < r; ++i) {
      long s = 0;
      for (int j = 0; j < c; ++j) s += t[i][j];
      ok = ok && s > 0;
    }
    for (int j = 0; j < c; ++j) {
      long s = 0;
      for (int i = 0; i < r; ++i) s += t[i][j];
      ok = ok && s > 0;
    }
    if (ok) return t;
  }
}

// The largest overshoot of one tick: the counter is checked after each step, and the
// largest step moves the open paths of one node plus 2 K margins.  The memory estimate is
// checked on every insertion, so it never exceeds its bound.
constexpr std::uint64_t kTickSlack = 10'000'000;

void expect_gave_up(const Table& t, const std::string& what) {
  SCOPED_TRACE(what);
  const survkit::FisherExactResult f = survkit::fisher_exact(t);
  EXPECT_FALSE(f.completed);
  EXPECT_TRUE(std::isnan(f.p));
  EXPECT_NE(f.gave_up, FisherGaveUp::No);
  EXPECT_LE(f.work, kFisherMaxWork + kTickSlack);
  EXPECT_LE(f.peak_bytes, kFisherMaxBytes);
  std::printf("[bounds] %-28s gave up (%s) after %llu units, ~%.0f MiB\n", what.c_str(),
              f.gave_up == FisherGaveUp::Work ? "work" : "memory", static_cast<unsigned long long>(f.work),
              static_cast<double>(f.peak_bytes) / (1 << 20));
}

}  // namespace

// The tables of issue 12, each of which ran for 14 s to minutes and up to 5.3 GB under
// the original bound (a 2e8-unit counter that did not count the network's node
// bookkeeping): on the original code `completed` was true (or the test hung).
TEST(FisherBounds, IssueTablesGiveUp) {
  expect_gave_up(random_table(10, 10, 2000, 1), "10 x 10, n = 2000");
  expect_gave_up(random_table(6, 6, 300, 2), "6 x 6, n = 300");
  expect_gave_up(random_table(2, 30, 3000, 3), "2 x 30, n = 3000");
  expect_gave_up(random_table(500, 2, 2000, 4), "500 x 2, n = 2000");
  // A cross-tabulation of two continuous columns: ~n distinct values each, all counts 0/1.
  Table cont(300, std::vector<long>(280, 0));
  std::mt19937_64 g(5);
  for (std::size_t i = 0; i < 300; ++i) cont[i][i % 280] = 1;
  for (int k = 0; k < 300; ++k) ++cont[g() % 300][g() % 280];
  expect_gave_up(cont, "300 x 280 sparse (continuous)");
}

// Generator: a random sample of table shapes and sizes, none of which may exceed the
// bounds, whether it completes or not.
TEST(FisherBounds, RandomShapesStayWithinBounds) {
  std::mt19937_64 g(2024);
  int completed = 0, gave_up = 0;
  for (int k = 0; k < 12; ++k) {
    const int r = 2 + static_cast<int>(g() % 9), c = 3 + static_cast<int>(g() % 9);
    const int n = 20 + static_cast<int>(g() % 1500);
    const Table t = random_table(r, c, n, g());
    const survkit::FisherExactResult f = survkit::fisher_exact(t);
    SCOPED_TRACE(std::to_string(r) + " x " + std::to_string(c) + ", n = " + std::to_string(n));
    EXPECT_LE(f.work, kFisherMaxWork + kTickSlack);
    EXPECT_LE(f.peak_bytes, kFisherMaxBytes);
    EXPECT_EQ(f.completed, !std::isnan(f.p));
    (f.completed ? completed : gave_up)++;
  }
  std::printf("[bounds] random shapes: %d completed, %d gave up\n", completed, gave_up);
}

// The counter is deterministic and the bound is sharp: the work a table used is exactly
// enough to complete it, one unit less is not.
TEST(FisherBounds, WorkCounterIsDeterministicAndSharp) {
  const Table t = {{16, 6, 20}, {76, 72, 64}, {40, 24, 22}};
  const survkit::FisherExactResult a = survkit::fisher_exact(t), b = survkit::fisher_exact(t);
  ASSERT_TRUE(a.completed);
  EXPECT_EQ(a.work, b.work);
  EXPECT_EQ(a.p, b.p);
  const survkit::FisherExactResult exact = survkit::fisher_exact(t, a.work);
  EXPECT_TRUE(exact.completed);
  EXPECT_EQ(exact.p, a.p);
  const survkit::FisherExactResult less = survkit::fisher_exact(t, a.work - 1);
  EXPECT_FALSE(less.completed);
  EXPECT_EQ(less.gave_up, FisherGaveUp::Work);
}

TEST(FisherBounds, MemoryBoundGivesUp) {
  const Table t = random_table(5, 6, 200, 7);
  const survkit::FisherExactResult f = survkit::fisher_exact(t, kFisherMaxWork, 64 << 10);
  EXPECT_FALSE(f.completed);
  EXPECT_EQ(f.gave_up, FisherGaveUp::Memory);
  EXPECT_LE(f.peak_bytes, 64u << 10);
  // Size pre-screen: the log-factorial table of a huge n alone would not fit.
  const survkit::FisherExactResult big = survkit::fisher_exact({{400'000'000, 1, 1}, {1, 400'000'000, 1}});
  EXPECT_FALSE(big.completed);
  EXPECT_EQ(big.gave_up, FisherGaveUp::Memory);
}

// Through fit_crosstab: the warning says which bound and how to get an answer.
TEST(FisherBounds, WarningSaysWhatToDo) {
  survkit::Factor a, b;
  for (int i = 0; i < 9; ++i) {
    a.levels.push_back("a" + std::to_string(i));
    b.levels.push_back("b" + std::to_string(i));
  }
  std::mt19937_64 g(11);
  for (int i = 0; i < 1500; ++i) {
    a.code.push_back(static_cast<std::int32_t>(g() % 9));
    b.code.push_back(static_cast<std::int32_t>(g() % 9));
  }
  const survkit::CrosstabResult r = survkit::fit_crosstab(a, b);
  EXPECT_TRUE(std::isnan(r.fisher_p));
  const auto it = std::find_if(r.warnings.begin(), r.warnings.end(),
                               [](const std::string& w) { return w.find("Fisher") != std::string::npos; });
  ASSERT_NE(it, r.warnings.end());
  EXPECT_NE(it->find("9 x 9 table (n = 1500)"), std::string::npos) << *it;
  EXPECT_NE(it->find("chi-square"), std::string::npos) << *it;
  EXPECT_NE(it->find("simulate.p.value"), std::string::npos) << *it;
  EXPECT_FALSE(std::isnan(r.chisq.p));
}

// ---- Exactness within the bounds ---------------------------------------------------
// Brute force: every table with the observed margins, P(table) = prod r! prod c! /
// (n! prod n_ij!), summed over those with log P <= log P_obs + 3.45254e-7 (FEXACT's
// tolerance, as survkit and R).  Tolerance of the comparison: 1e-9 relative (floor
// 1e-300): both sides are exact sums of the same terms in different orders and with
// different groupings of equal log-probabilities (survkit merges paths within 1e-12).
namespace {

double brute_force_p(const Table& t) {
  const std::size_t r = t.size(), c = t[0].size();
  std::vector<long> rs(r, 0), cs(c, 0);
  long n = 0;
  for (std::size_t i = 0; i < r; ++i)
    for (std::size_t j = 0; j < c; ++j) {
      rs[i] += t[i][j];
      cs[j] += t[i][j];
      n += t[i][j];
    }
  auto lf = [](long k) { return std::lgamma(static_cast<double>(k) + 1.0); };
  double k0 = -lf(n);
  for (long v : rs) k0 += lf(v);
  for (long v : cs) k0 += lf(v);
  double vobs = 0;
  for (const auto& row : t)
    for (long v : row) vobs -= lf(v);
  const double thr = vobs + 3.45254e-7;
  double p = 0;
  std::vector<long> rrem = rs, crem = cs;
  // Fill cells row-major; the last column and last row are determined.
  std::function<void(std::size_t, std::size_t, double)> fill = [&](std::size_t i, std::size_t j, double v) {
    if (i + 1 == r) {  // last row: the remaining column totals
      double vv = v;
      for (std::size_t q = 0; q < c; ++q) vv -= lf(crem[q]);
      if (vv <= thr) p += std::exp(k0 + vv);
      return;
    }
    if (j + 1 == c) {  // last cell of the row
      const long x = rrem[i];
      if (x > crem[j]) return;
      crem[j] -= x;
      rrem[i] = 0;
      fill(i + 1, 0, v - lf(x));
      rrem[i] = x;
      crem[j] += x;
      return;
    }
    for (long x = 0; x <= std::min(rrem[i], crem[j]); ++x) {
      rrem[i] -= x;
      crem[j] -= x;
      fill(i, j + 1, v - lf(x));
      rrem[i] += x;
      crem[j] += x;
    }
  };
  fill(0, 0, 0.0);
  return std::min(p, 1.0);
}

}  // namespace

TEST(FisherBounds, GeneratedSmallTablesMatchBruteForce) {
  std::mt19937_64 g(99);
  double worst = 0;
  for (int k = 0; k < 200; ++k) {
    const int r = 2 + static_cast<int>(g() % 2), c = 3 + static_cast<int>(g() % 2);
    const int n = 4 + static_cast<int>(g() % (r * c > 9 ? 12 : 20));
    const Table t = random_table(r, c, n, g());
    const survkit::FisherExactResult f = survkit::fisher_exact(t);
    ASSERT_TRUE(f.completed);
    const double want = brute_force_p(t);
    const double e = survkit::test_reg::rel_err(f.p, want, 1e-300);
    EXPECT_LE(e, 1e-9) << k << ": survkit " << f.p << " brute force " << want;
    worst = std::max(worst, e);
  }
  std::printf("[bounds] small tables vs brute force: worst relative error %.2e\n", worst);
}

// 2 x 2 tables with a support beyond 1e6 values are summed from the mode outwards
// instead of term by term.  Reference: R's formula term by term (as two_by_two does for
// smaller supports), computed here.  Tolerance 1e-10 relative: the recurrence multiplies
// up to ~1e4 ratios (rounding ~1e-12) and drops terms below 1e-17 of the sum.
TEST(FisherBounds, HugeTwoByTwoUsesTheRecurrence) {
  auto r_formula = [](long a, long b, long c, long d) {
    const long m = a + c, n = b + d, k = a + b;
    const long lo = std::max(0L, k - n), hi = std::min(k, m);
    auto lchoose = [](double x, double y) { return std::lgamma(x + 1) - std::lgamma(y + 1) - std::lgamma(x - y + 1); };
    std::vector<double> dv;
    for (long s = lo; s <= hi; ++s) dv.push_back(lchoose(double(m), double(s)) + lchoose(double(n), double(k - s)));
    const double mx = *std::max_element(dv.begin(), dv.end());
    double total = 0;
    for (double& v : dv) total += (v = std::exp(v - mx));
    const double dobs = dv[static_cast<std::size_t>(a - lo)] * (1 + 1e-7);
    double p = 0;
    for (double v : dv)
      if (v <= dobs) p += v / total;
    return p;
  };
  for (const auto& t : std::vector<Table>{{{600'000, 600'500}, {600'200, 600'000}},
                                          {{1'000'000, 1'003'000}, {1'000'000, 1'000'000}},
                                          {{1'500'000, 1'500'000}, {1'500'000, 1'500'000}}}) {
    const survkit::FisherExactResult f = survkit::fisher_exact(t);
    ASSERT_TRUE(f.completed);
    EXPECT_LT(f.work, 100'000u);  // O(sd) terms, not the ~1e6 of the support
    const double want = r_formula(t[0][0], t[0][1], t[1][0], t[1][1]);
    EXPECT_LE(survkit::test_reg::rel_err(f.p, want, 1e-300), 1e-10) << f.p << " vs " << want;
  }
}
