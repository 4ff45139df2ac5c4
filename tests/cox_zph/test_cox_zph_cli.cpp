// survkit cox --zph end to end: the JSON "zph" block against cox.zph from R survival
// 3.5-3 (tests/reference/cox_zph/zph_table.csv), factor names and the text table.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/run_cli.hpp"
#include "support/ref_csv.hpp"

namespace {

using Json = nlohmann::json;

// 1e-8 relative, as test_cox_zph.cpp (the JSON numbers are written with 17 digits); the
// p-value with an absolute floor of 1e-15.
constexpr double kTol = 1e-8;

void check_against_r(const std::string& ref_case, const std::vector<std::string>& args) {
  const auto table = survkit::test::read_ref_csv(survkit::test::ref_path("cox_zph/zph_table.csv"));
  for (const std::string tr : {"km", "rank", "identity", "log"}) {
    SCOPED_TRACE(ref_case + " " + tr);
    std::vector<std::string> a = args;
    for (const char* s : {"--zph", "--zph-transform"}) a.emplace_back(s);
    a.push_back(tr);
    a.emplace_back("--json");
    const cli_test::CliRun run = cli_test::run_cli(a);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const Json z = Json::parse(run.out)["zph"];
    EXPECT_EQ(z["transform"], tr);
    std::size_t rows = 0;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      if (table.str(r, "case") != ref_case || table.str(r, "transform") != tr) continue;
      const std::string term = table.str(r, "term");
      Json got = z["global"];
      if (term != "GLOBAL") {
        ASSERT_LT(rows, z["terms"].size());
        got = z["terms"][rows];
        EXPECT_EQ(got["term"], term);
      }
      ++rows;
      EXPECT_EQ(got["df"].get<double>(), table.num(r, "df")) << term;
      const double chisq = table.num(r, "chisq"), p = table.num(r, "p");
      EXPECT_LE(std::fabs(got["chisq"].get<double>() - chisq), kTol * chisq) << term;
      EXPECT_LE(std::fabs(got["p"].get<double>() - p), kTol * p + 1e-15) << term;
    }
    EXPECT_EQ(rows, z["terms"].size() + 1);
  }
}

TEST(CoxZphCli, VeteranFactorTermAgainstR) {
  check_against_r("veteran", {"cox", std::string(SURVKIT_TEST_DATA_DIR) + "/veteran.csv", "--time", "time",
                              "--event", "status", "--covariates", "celltype,karno,trt"});
}

TEST(CoxZphCli, LungNumericAsFactorAgainstR) {
  check_against_r("lung_efron", {"cox", std::string(SURVKIT_TEST_DATA_DIR) + "/lung.csv", "--time", "time",
                                 "--event", "status", "--covariates", "age,sex,ph.ecog", "--factor", "ph.ecog"});
}

TEST(CoxZphCli, TextTableAndNoBlockWithoutFlag) {
  const std::vector<std::string> base = {"cox", std::string(SURVKIT_TEST_DATA_DIR) + "/veteran.csv", "--time",
                                         "time", "--event", "status", "--covariates", "celltype,karno,trt"};
  std::vector<std::string> a = base;
  a.emplace_back("--zph");
  const cli_test::CliRun text = cli_test::run_cli(a);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Test of proportional hazards"), std::string::npos);
  EXPECT_NE(text.out.find("GLOBAL"), std::string::npos);
  a = base;
  a.emplace_back("--json");
  const cli_test::CliRun plain = cli_test::run_cli(a);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_FALSE(Json::parse(plain.out).contains("zph"));
}

}  // namespace
