// The datasets copied from R (tests/data) against R's own reading of them
// (tests/reference/data/make_data_refs.R): dimensions, column types, missing counts
// (colSums(is.na(.))), distinct values, column sums, and complete-case counts
// (nrow(na.omit(.))) for several column sets of lung.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <sstream>
#include <string>

#include <survkit/frame.hpp>
#include <survkit/table.hpp>

#include "support/data_refs.hpp"
#include "support/ref_csv.hpp"

namespace {

survkit::Table load(const std::string& dataset) {
  survkit::CsvOptions o;
  o.source = dataset + ".csv";
  return survkit::parse_csv(survkit::test::read_text_file(std::string(SURVKIT_TEST_DATA_DIR) + "/" + dataset + ".csv"),
                            o);
}

std::vector<std::string> words(const std::string& s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

}  // namespace

TEST(Datasets, ColumnsMatchR) {
  const auto refs = survkit::test::read_reference_csv(std::string(SURVKIT_TEST_REF_DIR) + "/data/columns.csv");
  ASSERT_GT(refs.size(), 40u);
  std::string current;
  survkit::Table t;
  for (const auto& ref : refs) {
    if (ref.at("dataset") != current) {
      current = ref.at("dataset");
      t = load(current);
      EXPECT_EQ(t.nrows, std::stoul(ref.at("nrow"))) << current;
      EXPECT_EQ(t.columns.size(), std::stoul(ref.at("ncol"))) << current;
      EXPECT_TRUE(t.row_lines.empty()) << current;
    }
    const std::string& name = ref.at("column");
    SCOPED_TRACE(current + "$" + name);
    const survkit::Column* c = t.find(name);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->numeric(), ref.at("kind") == "numeric");
    std::size_t missing = 0;
    for (std::size_t r = 0; r < t.nrows; ++r) missing += c->missing(r);
    EXPECT_EQ(missing, std::stoul(ref.at("n_missing")));
    if (c->numeric()) {
      std::set<double> distinct;
      double sum = 0;
      for (double x : c->values)
        if (!std::isnan(x)) {
          distinct.insert(x);
          sum += x;
        }
      EXPECT_EQ(distinct.size(), std::stoul(ref.at("n_distinct")));
      // R's sum() accumulates in long double, ours in double: the two differ by at most
      // a few ulps per addition; 1e-13 relative covers 2000 additions with margin while
      // still catching any misread digit.
      const double r_sum = std::stod(ref.at("sum"));
      EXPECT_NEAR(sum, r_sum, 1e-13 * std::abs(r_sum));
    } else {
      EXPECT_EQ(c->levels.size(), std::stoul(ref.at("n_distinct")));
    }
  }
}

TEST(Datasets, VeteranCelltypeLevels) {
  const survkit::Table t = load("veteran");
  // levels(factor(veteran$celltype)) in R
  EXPECT_EQ(t.column("celltype").levels, (std::vector<std::string>{"adeno", "large", "smallcell", "squamous"}));
}

TEST(Datasets, LungCompleteCasesMatchR) {
  const survkit::Table t = load("lung");
  const auto refs =
      survkit::test::read_reference_csv(std::string(SURVKIT_TEST_REF_DIR) + "/data/complete_cases.csv");
  ASSERT_EQ(refs.size(), 4u);
  for (const auto& ref : refs) {
    const auto cols = words(ref.at("columns"));
    const auto missing = words(ref.at("n_missing_by_column"));
    SCOPED_TRACE(ref.at("columns"));
    ASSERT_GE(cols.size(), 2u);
    ASSERT_EQ(cols[0], "time");
    ASSERT_EQ(cols[1], "status");
    survkit::FrameSpec s;
    s.time = "time";
    s.event = "status";
    s.covariates.assign(cols.begin() + 2, cols.end());
    const survkit::ModelFrame f = survkit::build_frame(t, s);
    EXPECT_EQ(f.n, std::stoul(ref.at("n_complete")));
    EXPECT_EQ(f.dropped.n, t.nrows - f.n);
    ASSERT_EQ(f.dropped.by_column.size(), cols.size());
    for (std::size_t j = 0; j < cols.size(); ++j) {
      EXPECT_EQ(f.dropped.by_column[j].first, cols[j]);
      EXPECT_EQ(f.dropped.by_column[j].second, std::stoul(missing[j]));
    }
    if (cols.size() > 2) {  // the design is filled only when there are covariates
      EXPECT_EQ(f.design.x.rows(), static_cast<Eigen::Index>(f.n));
      EXPECT_EQ(f.design.x.cols(), static_cast<Eigen::Index>(cols.size() - 2));
    }
  }
}

TEST(Datasets, LungStatusIsOneTwo) {
  // R: sum(lung$status) = 393 over 228 rows coded 1/2, so 393 - 228 = 165 deaths.
  survkit::FrameSpec s;
  s.time = "time";
  s.event = "status";
  s.group = "sex";
  const survkit::ModelFrame f = survkit::build_frame(load("lung"), s);
  std::size_t events = 0;
  for (auto e : f.surv.status) events += e;
  EXPECT_EQ(events, 165u);
  EXPECT_EQ(f.group.levels, (std::vector<std::string>{"1", "2"}));
  // R: sum(lung$sex) = 318 over 228 rows coded 1/2, so 318 - 228 = 90 rows with sex = 2.
  std::size_t female = 0;
  for (auto c : f.group.code) female += c == 1;
  EXPECT_EQ(female, 90u);
}
