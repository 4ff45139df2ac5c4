// Tests of the crosstab area against R's chisq.test(correct = FALSE) / fisher.test
// (references made by tests/reference/crosstab/make_crosstab_refs.R) and against
// hand-derived hypergeometric probabilities.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/reg_refs.hpp"
#include "survkit/crosstab.hpp"

namespace {

using survkit::Factor;
using survkit::test::RefCsv;
using survkit::test::read_ref_csv;
using survkit::test_reg::rel_err;

// A factor from a column; levels in numeric order for numeric text, otherwise in the
// order given by `levels` (R's factor levels) or sorted.
Factor factor_of(const RefCsv& f, const std::string& column, const std::vector<std::size_t>& rows,
                 std::vector<std::string> levels = {}) {
  Factor out;
  if (levels.empty()) {
    std::map<double, std::string> numeric;
    std::map<std::string, int> text;
    bool all_numeric = true;
    for (std::size_t i : rows) {
      const std::string& s = f.str(i, column);
      try {
        std::size_t used = 0;
        const double v = std::stod(s, &used);
        if (used != s.size()) throw std::invalid_argument(s);
        numeric[v] = s;
      } catch (const std::exception&) {
        all_numeric = false;
      }
      text[s] = 0;
    }
    if (all_numeric)
      for (const auto& kv : numeric) levels.push_back(kv.second);
    else
      for (const auto& kv : text) levels.push_back(kv.first);
  }
  out.levels = levels;
  for (std::size_t i : rows) {
    const auto it = std::find(levels.begin(), levels.end(), f.str(i, column));
    out.code.push_back(static_cast<std::int32_t>(it - levels.begin()));
  }
  return out;
}

struct TableSpec {
  std::string file, row, col;
  std::function<bool(const RefCsv&, std::size_t)> keep;
  std::vector<std::string> row_levels;
  std::vector<std::string> col_levels;  // R's factor level order where not sorted
};

std::map<std::string, TableSpec> specs() {
  auto both = [](std::string a, std::string b) {
    return [a, b](const RefCsv& f, std::size_t i) { return f.str(i, a) != "NA" && f.str(i, a) != "" &&
                                                            f.str(i, b) != "NA" && f.str(i, b) != ""; };
  };
  auto etype1 = [both](std::string a, std::string b) {
    return [a, b, both](const RefCsv& f, std::size_t i) { return f.str(i, "etype") == "1" && both(a, b)(f, i); };
  };
  const std::vector<std::string> rx = {"Obs", "Lev", "Lev+5FU"};
  const std::vector<std::string> inst = {"1", "3", "11", "12", "13", "16", "22"};
  return {
      {"lung_sex_ecog", {"lung.csv", "sex", "ph.ecog", both("sex", "ph.ecog"), {}}},
      {"colon_rx_sex", {"colon.csv", "rx", "sex", both("rx", "sex"), rx}},
      {"colon_rx_differ", {"colon.csv", "rx", "differ", both("rx", "differ"), rx}},
      {"colon1_rx_differ", {"colon.csv", "rx", "differ", etype1("rx", "differ"), rx}},
      {"colon1_extent_rx", {"colon.csv", "extent", "rx", etype1("extent", "rx"), {}, rx}},
      {"colon_extent_rx", {"colon.csv", "extent", "rx", both("extent", "rx"), {}, rx}},
      {"veteran_cell_trt", {"veteran.csv", "celltype", "trt", both("celltype", "trt"), {}}},
      {"lalonde_race_treat", {"lalonde.csv", "race", "treat", both("race", "treat"), {}}},
      {"lalonde_race_married", {"lalonde.csv", "race", "married", both("race", "married"), {}}},
      {"lalonde_married_treat", {"lalonde.csv", "married", "treat", both("married", "treat"), {}}},
      {"lung_inst_sex",
       {"lung.csv", "inst", "sex",
        [inst](const RefCsv& f, std::size_t i) {
          return std::find(inst.begin(), inst.end(), f.str(i, "inst")) != inst.end();
        },
        inst}},
  };
}

// Tolerances, with their reasons:
//  * counts and df: exact.
//  * chi-square statistic: a sum of r*c terms computed as R does: 1e-12 relative.
//  * chi-square p-value: Boost's upper incomplete gamma vs R's pgamma: 1e-9 relative with
//    an absolute floor of 1e-300.
//  * Fisher p-value: for 2 x 2 the same formula as R (1e-12).  For r x c, R's FEXACT sums
//    in a different order and groups its "past" path lengths in a hash table with its own
//    tolerance; both are exact algorithms, so agreement is at rounding level (measured
//    <= 4e-11, 8.5e-10 on the 4 x 3 n = 1858 table whose sums have ~1e8 terms): 1e-8
//    relative (the target is 1e-4), floor 1e-300.
constexpr double kStatTol = 1e-12;
constexpr double kChisqPTol = 1e-9;
constexpr double kFisherTol = 1e-8;

TEST(CrosstabVsR, RealTables) {
  const RefCsv refs = read_ref_csv(survkit::test::ref_path("crosstab/crosstab_refs.csv"));
  const auto all = specs();
  std::map<std::string, RefCsv> data;
  double worst_stat = 0, worst_p = 0, worst_fisher = 0;
  for (std::size_t k = 0; k < refs.size(); ++k) {
    const std::string name = refs.str(k, "name");
    SCOPED_TRACE(name);
    ASSERT_TRUE(all.count(name)) << "no spec for " << name;
    const TableSpec& spec = all.at(name);
    if (!data.count(spec.file)) data[spec.file] = read_ref_csv(survkit::test::data_path(spec.file));
    const RefCsv& f = data.at(spec.file);
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < f.size(); ++i)
      if (spec.keep(f, i)) rows.push_back(i);
    const Factor r = factor_of(f, spec.row, rows, spec.row_levels);
    const Factor c = factor_of(f, spec.col, rows, spec.col_levels);
    const auto t0 = std::chrono::steady_clock::now();
    survkit::CrosstabOptions options;
    // colon_extent_rx is beyond the default bound; a smaller bound gets there sooner.
    if (name == "colon_extent_rx") options.fisher_max_work = 20'000'000;
    const survkit::CrosstabResult res = survkit::fit_crosstab(r, c, options);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::istringstream counts(refs.str(k, "counts"));
    ASSERT_EQ(res.rows.size(), static_cast<std::size_t>(refs.num(k, "nrow")));
    ASSERT_EQ(res.cols.size(), static_cast<std::size_t>(refs.num(k, "ncol")));
    for (const auto& row : res.counts)
      for (double v : row) {
        double expected = -1;
        counts >> expected;
        EXPECT_EQ(v, expected);
      }
    const double es = rel_err(res.chisq.stat, refs.num(k, "stat"));
    const double ep = rel_err(res.chisq.p, refs.num(k, "p"), 1e-300);
    double ef = rel_err(res.fisher_p, refs.num(k, "fisher_p"), 1e-300);
    EXPECT_LE(es, kStatTol);
    EXPECT_EQ(res.chisq.df, refs.num(k, "df"));
    EXPECT_LE(ep, kChisqPTol);
    if (name == "colon_extent_rx") {
      // 4 x 3 with n = 1858 needs ~4.5e8 steps (R: 31 s): beyond the work bound, so
      // survkit must say so (the full computation is checked in CrosstabSlow).
      EXPECT_TRUE(std::isnan(res.fisher_p));
      EXPECT_FALSE(res.warnings.empty());
      ef = 0.0;
    } else {
      EXPECT_LE(ef, kFisherTol) << "survkit " << res.fisher_p << " R " << refs.num(k, "fisher_p");
    }
    EXPECT_LE(rel_err(res.min_expected, refs.num(k, "min_expected")), kStatTol);
    EXPECT_EQ(res.min_expected < 5.0,
              std::find(res.warnings.begin(), res.warnings.end(),
                        "Chi-squared approximation may be incorrect") != res.warnings.end());
    worst_stat = std::max(worst_stat, es);
    worst_p = std::max(worst_p, ep);
    worst_fisher = std::max(worst_fisher, ef);
    std::printf("[agreement] %-22s %zux%zu chisq %.2e p %.2e fisher %.2e (survkit %.3fs, R %ss)\n",
                name.c_str(), res.rows.size(), res.cols.size(), es, ep, ef, secs,
                refs.str(k, "fisher_seconds").c_str());
  }
  std::printf("[agreement] worst: chisq %.2e  p %.2e  fisher %.2e\n", worst_stat, worst_p, worst_fisher);
}

// ---- Hand-checked cases -------------------------------------------------------------
// For fixed margins the probability of a table is prod r_i! prod c_j! / (n! prod n_ij!).

double choose(int n, int k) {
  double r = 1;
  for (int i = 1; i <= k; ++i) r = r * (n - k + i) / i;
  return r;
}

// 2 x 2 [[3, 1], [1, 3]]: margins 4, 4 / 4, 4; n11 ~ hypergeometric with
// P(n11 = x) = C(4, x) C(4, 4 - x) / C(8, 4): 1, 16, 36, 16, 1 over 70.
// Tables as or less likely than x = 3 (16/70): x = 0, 1, 3, 4 -> 34/70.
TEST(CrosstabHand, FisherTwoByTwo) {
  EXPECT_NEAR(survkit::fisher_exact_p({{3, 1}, {1, 3}}), 34.0 / 70.0, 1e-14);
  // x = 4: only x = 0 and 4 are as extreme: 2/70.
  EXPECT_NEAR(survkit::fisher_exact_p({{4, 0}, {0, 4}}), 2.0 / 70.0, 1e-14);
  // The most likely table: p = 1.
  EXPECT_NEAR(survkit::fisher_exact_p({{2, 2}, {2, 2}}), 1.0, 1e-14);
  // Unequal margins [[1, 4], [3, 2]]: rows 5, 5, first column 4; P(n11 = x) =
  // C(4, x) C(6, 5 - x) / C(10, 5) = 6, 60, 120, 60, 6 over 252 for x = 0..4 (x <= 4).
  // x = 1 (60/252): as extreme are x = 0, 1, 3, 4 -> 132/252.
  EXPECT_NEAR(survkit::fisher_exact_p({{1, 4}, {3, 2}}), 132.0 / 252.0, 1e-14);
  EXPECT_NEAR(choose(4, 1) * choose(6, 4) / choose(10, 5), 60.0 / 252.0, 1e-15);
}

// 2 x 3 [[2, 0, 0], [0, 1, 1]]: rows 2, 2; columns 2, 1, 1; n = 4.  The tables with
// these margins are given by the first row (a, b, c), a + b + c = 2, with
// P = 2! 2! 2! 1! 1! / (4! prod n_ij!) = 8 / (24 prod n_ij!):
//   (2,0,0)/(0,1,1): 8/24 * 1/2 = 1/6      (0,1,1)/(2,0,0): 1/6
//   (1,1,0)/(1,0,1): 8/24 = 1/3            (1,0,1)/(1,1,0): 1/3
// (sum = 1).  Observed (2,0,0) has P = 1/6, so p = 1/6 + 1/6 = 1/3.
TEST(CrosstabHand, FisherTwoByThree) {
  EXPECT_NEAR(survkit::fisher_exact_p({{2, 0, 0}, {0, 1, 1}}), 1.0 / 3.0, 1e-14);
  EXPECT_NEAR(survkit::fisher_exact_p({{1, 1, 0}, {1, 0, 1}}), 1.0, 1e-14);
  // Transposed (3 x 2) gives the same.
  EXPECT_NEAR(survkit::fisher_exact_p({{2, 0}, {0, 1}, {0, 1}}), 1.0 / 3.0, 1e-14);
}

// 3 x 3 with all margins 1 (n = 3): the 6 permutation matrices, each P = 1/6: p = 1.
// 3 x 3 [[2,0,0],[0,2,0],[0,0,2]] (margins 2): tables = 3 x 3 with margins 2 — P of the
// diagonal table = 2!^6 / (6! 2!^3) = 8/720 = 1/90; the least likely tables are the
// three-times "doubled permutation" matrices, 6 of them, each 1/90, so p = 6/90 = 1/15.
TEST(CrosstabHand, FisherThreeByThree) {
  EXPECT_NEAR(survkit::fisher_exact_p({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}), 1.0, 1e-14);
  EXPECT_NEAR(survkit::fisher_exact_p({{2, 0, 0}, {0, 2, 0}, {0, 0, 2}}), 1.0 / 15.0, 1e-14);
}

// chisq.test(matrix(c(10, 20, 30, 40), 2), correct = FALSE): E = (12, 18, 28, 42);
// X2 = 4/12 + 4/18 + 4/28 + 4/42 = 50/63, df = 1.
TEST(CrosstabHand, ChisqTwoByTwo) {
  const survkit::TestResult t = survkit::chisq_test({{10, 30}, {20, 40}});
  EXPECT_NEAR(t.stat, 4.0 / 12 + 4.0 / 18 + 4.0 / 28 + 4.0 / 42, 1e-14);
  EXPECT_NEAR(t.stat, 50.0 / 63.0, 1e-14);
  EXPECT_EQ(t.df, 1.0);
  EXPECT_NEAR(t.p, std::erfc(std::sqrt(t.stat / 2.0)), 1e-14);  // chi2(1) tail = 2 Phi(-sqrt x)
}

TEST(CrosstabFactors, EmptyLevelsDroppedAndErrors) {
  Factor a{{0, 0, 2, 2, 0, 2}, {"x", "unused", "y"}};
  Factor b{{0, 1, 0, 1, 1, 1}, {"u", "v"}};
  const auto res = survkit::fit_crosstab(a, b, {});
  ASSERT_EQ(res.rows.size(), 2u);
  EXPECT_EQ(res.rows[1], "y");
  EXPECT_EQ(res.counts[0][0], 1.0);
  EXPECT_EQ(res.counts[0][1], 2.0);
  EXPECT_EQ(res.counts[1][0], 1.0);
  EXPECT_EQ(res.counts[1][1], 2.0);
  EXPECT_NEAR(res.fisher_p, 1.0, 1e-14);
  EXPECT_NEAR(res.chisq.stat, 0.0, 1e-14);
  EXPECT_NEAR(res.min_expected, 3.0 * 2.0 / 6.0, 1e-15);  // rows 3, 3; columns 2, 4

  Factor one{{0, 0, 0}, {"only", "never"}};
  Factor two{{0, 1, 1}, {"u", "v"}};
  EXPECT_THROW(survkit::fit_crosstab(one, two, {}), survkit::AnalysisError);
  Factor shorter{{0, 1}, {"u", "v"}};
  EXPECT_THROW(survkit::fit_crosstab(two, shorter, {}), survkit::InputError);
  EXPECT_THROW(survkit::fisher_exact_p({{1, 2}}), survkit::AnalysisError);
  EXPECT_THROW(survkit::chisq_test({{1, 0}, {2, 0}}), survkit::AnalysisError);
}

// colon extent x rx (4 x 3, n = 1858) with a large enough work bound: ~12 s here.
TEST(CrosstabSlow, ColonExtentRxWithLargerWorkBound) {
  const std::vector<std::vector<long>> t = {{16, 6, 20}, {76, 72, 64}, {498, 518, 502}, {40, 24, 22}};
  const survkit::FisherExactResult f = survkit::fisher_exact(t, 2'000'000'000ULL);
  ASSERT_TRUE(f.completed);
  const double r_value = 0.015617061836614526;  // fisher.test(..., workspace = 2e8), R 4.x
  EXPECT_LE(rel_err(f.p, r_value), kFisherTol);  // measured 8.5e-10
  std::printf("[agreement] colon_extent_rx fisher %.2e (work %llu)\n", rel_err(f.p, r_value),
              static_cast<unsigned long long>(f.work));
}

// The work bound turns an expensive exact computation into NA + a warning.
TEST(CrosstabFactors, WorkBoundGivesNaNotAHang) {
  const std::vector<std::vector<long>> big = {{16, 6, 20}, {76, 72, 64}, {498, 518, 502}, {40, 24, 22}};
  const survkit::FisherExactResult f = survkit::fisher_exact(big, 1000);
  EXPECT_FALSE(f.completed);
  EXPECT_TRUE(std::isnan(f.p));
}

}  // namespace
