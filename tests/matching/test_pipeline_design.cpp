// run_matching with the design read in place (MatchingFrame::x_intercept, the balance
// covariates viewing the design's columns, as `survkit match` runs it) against the
// same frame handed over without the intercept (x moved into the score fit, balance
// covariates owning copies, as the study runs it): the two must agree exactly, to the
// last bit of every score, weight and balance statistic.
#include <gtest/gtest.h>

#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "support/ref_csv.hpp"
#include "survkit/frame.hpp"
#include "survkit/match.hpp"
#include "survkit/table.hpp"

namespace survkit {
namespace {

std::string slurp(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  EXPECT_NE(f, nullptr) << path;
  std::string s;
  char buf[65536];
  for (std::size_t k; f != nullptr && (k = std::fread(buf, 1, sizeof buf, f)) > 0;) s.append(buf, k);
  if (f != nullptr) std::fclose(f);
  return s;
}

// lalonde's propensity model with a factor (race) among numeric covariates.
MatchingFrame lalonde_frame(bool intercept) {
  CsvOptions o;
  o.source = "lalonde.csv";
  const Table t = parse_csv(slurp(test::data_path("lalonde.csv")), o);
  FrameSpec spec;
  spec.outcome = "treat";
  spec.covariates = {"age", "educ", "race", "married", "nodegree", "re74", "re75"};
  spec.require_events = false;
  spec.require_two_groups = false;
  spec.intercept_column = intercept;
  ModelFrame fr = build_frame(t, spec);
  MatchingFrame mf;
  mf.treat = fr.outcome;
  mf.x = std::move(fr.design.x);
  mf.x_intercept = intercept;
  mf.terms = fr.design.terms;
  for (const auto& name : spec.covariates) {
    BalanceCovariate cov;
    cov.name = name;
    const Column& col = t.column(name);
    if (!col.numeric()) {
      cov.factor.levels = col.levels;
      cov.factor.code = col.codes;
    } else if (intercept) {
      std::size_t k = 0;
      while (fr.design.terms[k] != name) ++k;
      cov.view = std::span<const double>(mf.x.col(fr.design.column(k)).data(), fr.n);
    } else {
      cov.values = col.values;
    }
    mf.balance.push_back(std::move(cov));
  }
  return mf;
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

void expect_same_rows(const std::vector<BalanceRow>& a, const std::vector<BalanceRow>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    EXPECT_EQ(a[k].term, b[k].term);
    const std::vector<double> x{a[k].mean_treated, a[k].mean_control, a[k].std_mean_diff, a[k].var_ratio,
                                a[k].ecdf_mean,    a[k].ecdf_max,     a[k].std_pair_dist};
    const std::vector<double> y{b[k].mean_treated, b[k].mean_control, b[k].std_mean_diff, b[k].var_ratio,
                                b[k].ecdf_mean,    b[k].ecdf_max,     b[k].std_pair_dist};
    EXPECT_TRUE(same_bits(x, y)) << a[k].term;
  }
}

TEST(MatchingPipeline, DesignReadInPlaceGivesTheSameResult) {
  MatchingOptions opt;
  opt.match.caliper = 0.2;
  const MatchingResult plain = run_matching(lalonde_frame(false), opt);
  MatchingFrame in_place = lalonde_frame(true);
  const Eigen::MatrixXd design = in_place.x;
  const MatchingResult viewed = run_matching(std::move(in_place), opt);
  EXPECT_EQ(design.cols(), static_cast<Eigen::Index>(plain.ps.model.terms.size()));
  EXPECT_TRUE(same_bits(plain.ps.score, viewed.ps.score));
  EXPECT_TRUE(same_bits(plain.distance, viewed.distance));
  EXPECT_TRUE(same_bits(plain.match.weights, viewed.match.weights));
  EXPECT_EQ(plain.match.subclass, viewed.match.subclass);
  EXPECT_EQ(plain.match.match_matrix, viewed.match.match_matrix);
  expect_same_rows(plain.balance.all, viewed.balance.all);
  expect_same_rows(plain.balance.matched, viewed.balance.matched);
  EXPECT_EQ(plain.warnings, viewed.warnings);
  // Not vacuous: lalonde's caliper match leaves treated units unmatched.
  EXPECT_GT(plain.match.treated.unmatched, 0u);
}

}  // namespace
}  // namespace survkit
