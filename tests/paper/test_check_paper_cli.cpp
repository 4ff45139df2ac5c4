// survkit check-paper end to end: text and JSON output on the bundled paper, exit codes.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/run_cli.hpp"

using cli_test::run_cli;

namespace {
const std::string kPublished = std::string(SURVKIT_EXAMPLES_DIR) + "/crc-pm/published.toml";
}

TEST(CheckPaperCli, JsonOnTheBundledPaper) {
  const auto r = run_cli({"check-paper", kPublished, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto& checks = j["checks"];
  std::size_t inconsistent = 0;
  bool ecog = false;
  for (const auto& c : checks) {
    inconsistent += c["verdict"] == "inconsistent";
    if (c["check"] == "p-from-counts" && c["subject"] == "Table 5, ECOG-PS (Before PSM)") {
      ecog = true;
      EXPECT_EQ(c["verdict"], "inconsistent");
      EXPECT_NEAR(c["value"].get<double>(), 0.106318899143421, 1e-10);  // R: chisq.test(correct = FALSE)
      EXPECT_EQ(c["inputs"].size(), 6u);  // four counts, the P and the stated test
    }
  }
  EXPECT_TRUE(ecog);
  EXPECT_EQ(j["summary"]["inconsistent"].get<std::size_t>(), inconsistent);
  EXPECT_EQ(j["summary"]["checks"].get<std::size_t>(), checks.size());
}

TEST(CheckPaperCli, TextListsTheFindings) {
  const auto r = run_cli({"check-paper", kPublished});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("[inconsistent] Table 5, ECOG-PS (Before PSM): P = 0.173 is reproduced by Yates-corrected"),
            std::string::npos);
  EXPECT_NE(r.out.find("impossible: a median of 34.5 means S(36) <= 50%, but the rate is 81.6%"), std::string::npos);
  EXPECT_NE(r.out.find("no count out of 119 gives 51.1%"), std::string::npos);
  EXPECT_NE(r.out.find("75.5% and 75.2%"), std::string::npos);
  // Consistent checks are listed with --all only.
  EXPECT_EQ(r.out.find("[consistent]"), std::string::npos);
  EXPECT_NE(run_cli({"check-paper", kPublished, "--all"}).out.find("[consistent]"), std::string::npos);
}

TEST(CheckPaperCli, MalformedFileIsAnInputError) {
  const std::string path = ::testing::TempDir() + "/bad_published.toml";
  std::ofstream(path) << "[[published]]\ntable = \"t\"\nrow = \"r\"\ncolumn = \"P\"\nvalue = 0.5\n";
  const auto r = run_cli({"check-paper", path});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("line 5"), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(run_cli({"check-paper", path + ".missing"}).exit_code, 4);
  std::remove(path.c_str());
}
