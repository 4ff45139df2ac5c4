// Balance tables: MatchIt 4.5.1 summary(m) (sum.all, sum.matched) and chisq.test(correct
// = FALSE) on the treatment x level tables, for the configurations make_match_refs.R
// lists in balance_configs.  Matching is redone by fit_match from R's distance (its
// agreement is checked in test_match.cpp); then every number is compared.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "support/match_refs.hpp"
#include "support/ref_csv.hpp"
#include "survkit/balance.hpp"
#include "survkit/match.hpp"

namespace survkit {
namespace {

using test::match_ref_path;
using test::RefCsv;

struct Loaded {
  BalanceData data;
  std::vector<double> ps, lin;
  std::vector<std::int32_t> race;
};

Loaded load(const std::string& ds) {
  RefCsv u(match_ref_path("units_" + ds + ".csv"));
  const std::set<std::string> factors = ds == "lalonde" ? std::set<std::string>{"race"}
                                                        : std::set<std::string>{"differ", "extent"};
  Loaded l;
  for (std::size_t i = 0; i < u.size(); ++i) {
    l.data.treat.push_back(static_cast<std::uint8_t>(u.integer(i, "treat")));
    l.ps.push_back(u.num(i, "ps"));
    l.lin.push_back(u.num(i, "lin"));
  }
  for (const auto& col : u.header) {
    if (col == "row" || col == "treat" || col == "ps" || col == "lin") continue;
    BalanceCovariate cov;
    cov.name = col;
    if (factors.count(col)) {
      std::set<std::string> lv;
      for (std::size_t i = 0; i < u.size(); ++i) lv.insert(u.str(i, col));
      cov.factor.levels.assign(lv.begin(), lv.end());  // R's factor(): sorted levels
      for (std::size_t i = 0; i < u.size(); ++i)
        cov.factor.code.push_back(static_cast<std::int32_t>(
            std::find(cov.factor.levels.begin(), cov.factor.levels.end(), u.str(i, col)) -
            cov.factor.levels.begin()));
      if (col == "race") l.race = cov.factor.code;
    } else {
      for (std::size_t i = 0; i < u.size(); ++i) cov.values.push_back(u.num(i, col));
    }
    l.data.covariates.push_back(std::move(cov));
  }
  return l;
}

// Relative error with an absolute floor: balance statistics near 0 (a mean difference
// of 1e-17, an eCDF gap) are compared absolutely.
double rel_err(double got, double ref, double floor) {
  if (std::isnan(ref) || std::isnan(got)) return std::isnan(ref) == std::isnan(got) ? 0.0 : INFINITY;
  const double d = std::abs(got - ref);
  return std::abs(ref) < floor ? d / floor : d / std::abs(ref);
}

TEST(BalanceVsMatchIt, SummaryTables) {
  RefCsv cfg(match_ref_path("configs.csv"));
  RefCsv bal(match_ref_path("balance.csv"));
  RefCsv chi(match_ref_path("chisq.csv"));
  std::map<std::string, Loaded> sets{{"lalonde", load("lalonde")}, {"colon", load("colon")}};

  std::set<long> ids;
  for (std::size_t i = 0; i < bal.size(); ++i) ids.insert(bal.integer(i, "config"));
  ASSERT_GE(ids.size(), 5u);
  double max_rel = 0, max_rel_p = 0;
  std::size_t compared = 0;
  for (long id : ids) {
    const std::size_t c = static_cast<std::size_t>(id - 1);
    ASSERT_EQ(cfg.integer(c, "config"), id);
    Loaded& l = sets.at(cfg.str(c, "dataset"));
    MatchData md{l.data.treat, cfg.str(c, "link") == "ps" ? l.ps : l.lin, {}};
    if (cfg.str(c, "exact") == "race") md.exact = l.race;
    MatchOptions opt;
    opt.matchit_quirks = true;  // the references are MatchIt 4.5.1's matches
    opt.ratio = static_cast<std::size_t>(cfg.integer(c, "ratio"));
    opt.replace = cfg.str(c, "replace") == "TRUE";
    opt.order = cfg.str(c, "m_order") == "largest"    ? MatchOrder::largest
                : cfg.str(c, "m_order") == "smallest" ? MatchOrder::smallest
                : cfg.str(c, "m_order") == "data"     ? MatchOrder::data
                                                      : MatchOrder::random;
    opt.caliper = cfg.num(c, "caliper");
    opt.seed = static_cast<std::int32_t>(cfg.integer(c, "seed"));
    ASSERT_EQ(cfg.str(c, "discard"), "none");
    const MatchResult m = fit_match(md, opt);

    BalanceData bd = l.data;
    bd.distance = md.distance;
    bd.weights = m.weights;
    bd.match = &m;
    const BalanceResult res = fit_balance(bd, BalanceOptions{});

    std::map<std::string, const BalanceRow*> rows;
    for (const auto& r : res.all) rows["all/" + r.term] = &r;
    for (const auto& r : res.matched) rows["matched/" + r.term] = &r;
    std::size_t n_ref = 0;
    for (std::size_t i = 0; i < bal.size(); ++i) {
      if (bal.integer(i, "config") != id) continue;
      ++n_ref;
      const std::string key = bal.str(i, "section") + "/" + bal.str(i, "term");
      ASSERT_TRUE(rows.count(key)) << "config " << id << ": no row " << key;
      const BalanceRow& r = *rows[key];
      const std::pair<const char*, double> cols[] = {
          {"mean_treated", r.mean_treated}, {"mean_control", r.mean_control}, {"std_mean_diff", r.std_mean_diff},
          {"var_ratio", r.var_ratio},       {"ecdf_mean", r.ecdf_mean},       {"ecdf_max", r.ecdf_max},
          {"std_pair_dist", r.std_pair_dist}};
      for (const auto& [col, got] : cols) {
        // 1e-8 relative (floor 1e-12): same formulas and summation order as MatchIt,
        // long double sums like R's, so agreement is ~1e-14; 1e-8 leaves room for the
        // few summations whose order differs (pair distances, pooled means).
        const double e = rel_err(got, bal.num(i, col), 1e-12);
        EXPECT_LE(e, 1e-8) << "config " << id << " " << key << " " << col << ": " << got << " vs "
                           << bal.str(i, col);
        max_rel = std::max(max_rel, e);
        ++compared;
      }
    }
    EXPECT_EQ(n_ref, res.all.size() + res.matched.size()) << "config " << id;

    for (std::size_t i = 0; i < chi.size(); ++i) {
      if (chi.integer(i, "config") != id) continue;
      const auto it = std::find_if(res.categorical.begin(), res.categorical.end(),
                                   [&](const CategoricalBalance& cb) { return cb.variable == chi.str(i, "variable"); });
      ASSERT_NE(it, res.categorical.end());
      const TestResult& tr = chi.str(i, "section") == "all" ? it->all : it->matched;
      // Statistic 1e-10 relative; p-value 1e-6 relative with a 1e-300 floor (Boost's
      // chi-square tail vs R's pchisq agree to ~1e-13 here, far inside the 1e-4 target).
      EXPECT_LE(rel_err(tr.stat, chi.num(i, "stat"), 1e-12), 1e-10) << "config " << id;
      EXPECT_EQ(tr.df, chi.num(i, "df"));
      const double ep = rel_err(tr.p, chi.num(i, "p"), 1e-300);
      EXPECT_LE(ep, 1e-6) << "config " << id << " p " << tr.p << " vs " << chi.str(i, "p");
      max_rel_p = std::max(max_rel_p, ep);
    }
  }
  std::printf("[ balance ] %zu numbers in %zu configurations: max rel. error %.3g; chi-square p max rel. %.3g\n",
              compared, ids.size(), max_rel, max_rel_p);
}

// Hand-checked: treated x = {1, 2, 3}, controls x = {2, 4} (rows 3, 4), unit weights.
//  means 2 and 3; treated SD = 1 (var = ((1)^2 + 0 + 1)/2 = 1) -> SMD = (2 - 3)/1 = -1.
//  Var. Ratio = 1 / var(2, 4) = 1/2.
//  eCDF: sorted x 1(t) 2(t) 2(c) 3(t) 4(c); F_t - F_c after each distinct value:
//  x=1: 1/3; x=2: 2/3 - 1/2 = 1/6; x=3: 1 - 1/2 = 1/2; x=4: 0 -> mean (1/3+1/6+1/2+0)/4 = 1/4,
//  max 1/2.
TEST(BalanceHand, TinyNumeric) {
  BalanceData d;
  d.treat = {1, 1, 1, 0, 0};
  BalanceCovariate x;
  x.name = "x";
  x.values = {1, 2, 3, 2, 4};
  d.covariates.push_back(x);
  const auto r = fit_balance(d, BalanceOptions{}).all.at(0);
  EXPECT_NEAR(r.mean_treated, 2.0, 1e-15);
  EXPECT_NEAR(r.mean_control, 3.0, 1e-15);
  EXPECT_NEAR(r.std_mean_diff, -1.0, 1e-15);
  EXPECT_NEAR(r.var_ratio, 1.0 / 2.0, 1e-15);
  EXPECT_NEAR(r.ecdf_mean, 1.0 / 4.0, 1e-15);
  EXPECT_NEAR(r.ecdf_max, 1.0 / 2.0, 1e-15);
  EXPECT_TRUE(is_na(r.std_pair_dist));
}

// Hand-checked factor: treated levels {a, a, b}, controls {b, b, b, a}.
//  Row "fa": p_t = 2/3, p_c = 1/4, SMD = (2/3 - 1/4) / sqrt(2/3 * 1/3); eCDF = |diff|.
//  Table rows t (3), c (4), columns a (3), b (4), N = 7: O = [[2, 1], [1, 3]],
//  E = [[9/7, 12/7], [12/7, 16/7]].
TEST(BalanceHand, TinyFactor) {
  BalanceData d;
  d.treat = {1, 1, 1, 0, 0, 0, 0};
  BalanceCovariate f;
  f.name = "f";
  f.factor.levels = {"a", "b"};
  f.factor.code = {0, 0, 1, 1, 1, 1, 0};
  d.covariates.push_back(f);
  const auto res = fit_balance(d, BalanceOptions{});
  ASSERT_EQ(res.all.size(), 2u);
  EXPECT_EQ(res.all[0].term, "fa");
  const double diff = 2.0 / 3.0 - 1.0 / 4.0;
  EXPECT_NEAR(res.all[0].std_mean_diff, diff / std::sqrt(2.0 / 9.0), 1e-14);
  EXPECT_NEAR(res.all[0].ecdf_max, diff, 1e-15);
  EXPECT_TRUE(is_na(res.all[0].var_ratio));
  // X2 = sum (O - E)^2 / E with every |O - E| = 5/7:
  //  (25/49) * (7/9 + 7/12 + 7/12 + 7/16) = (25/7) * (1/9 + 1/6 + 1/16) = (25/7) * (49/144).
  EXPECT_NEAR(res.categorical.at(0).all.stat, 25.0 / 7.0 * 49.0 / 144.0, 1e-14);
  EXPECT_EQ(res.categorical.at(0).all.df, 1.0);
}

}  // namespace
}  // namespace survkit
