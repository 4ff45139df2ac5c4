// Every command and the study on every data format (issue 9 §1): the same analysis of
// tests/data/formats/patients.csv and of the same cohort saved as SPSS (.sav, .zsav),
// Stata (.dta), SAS (.xpt, .sas7bdat) and Excel (.xlsx by openpyxl and by LibreOffice)
// must give identical JSON -- byte for byte once the data file's own name is replaced
// by a placeholder.  Then the bad inputs through the binary: exit 3 (bad content) or 4
// (unreadable), a message naming the file, never a crash.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/run_cli.hpp"
#include "support/temp_dir.hpp"

namespace {

using cli_test::CliRun;
using cli_test::run_cli;
using cli_test::show;

const std::string kDir = std::string(SURVKIT_TEST_DATA_DIR) + "/formats/";
const std::vector<std::string> kFormats = {"patients.sav",           "patients.zsav",    "patients.dta",
                                           "patients.xpt",           "patients.sas7bdat", "patients_openpyxl.xlsx",
                                           "patients_libreoffice.xlsx"};
constexpr int kInput = 3, kIo = 4;

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
  return s;
}

// The command's stdout with `data` in front of `args`; the file name replaced by DATA.
std::string run_on(const std::string& data, std::vector<std::string> args) {
  args.insert(args.begin() + 1, kDir + data);
  const CliRun r = run_cli(args);
  EXPECT_EQ(r.exit_code, 0) << data << ": " << show(args) << "\n" << r.err;
  return replace_all(r.out, kDir + data, "DATA");
}

const std::vector<std::vector<std::string>>& analyses() {
  static const std::vector<std::vector<std::string>> a = {
      {"km", "--time", "os_months", "--event", "os_status", "--group", "treatment", "--json"},
      {"logrank", "--time", "os_months", "--event", "os_status", "--group", "sex", "--json"},
      {"cox", "--time", "os_months", "--event", "os_status", "--covariates", "sex,cea_ng_ml,ecog,treatment",
       "--json"},
      {"logistic", "--outcome", "liver_metastasis=yes", "--covariates", "sex,pm_count,cea_ng_ml", "--json"},
      {"crosstab", "--rows", "treatment", "--cols", "liver_metastasis", "--json"},
      {"match", "--treat", "treatment=local+chemo", "--covariates", "sex,pm_count,ecog", "--json"},
  };
  return a;
}

TEST(Formats, EveryCommandGivesTheCsvJson) {
  std::size_t identical = 0;
  for (const auto& args : analyses()) {
    const std::string csv = run_on("patients.csv", args);
    ASSERT_FALSE(csv.empty()) << show(args);
    for (const auto& file : kFormats) {
      const std::string out = run_on(file, args);
      EXPECT_EQ(out, csv) << file << ": " << show(args);
      identical += out == csv;
    }
  }
  EXPECT_EQ(identical, analyses().size() * kFormats.size());
  std::printf("[formats] %zu of %zu command runs identical to the CSV's JSON\n", identical,
              analyses().size() * kFormats.size());
}

// The demo study (examples/crc-pm/study.toml) on each format: its report.json.
std::string study_json(const std::string& data, const std::string& sheet) {
  namespace fs = std::filesystem;
  std::ifstream in(std::string(SURVKIT_SOURCE_DIR) + "/examples/crc-pm/study.toml");
  std::stringstream spec;
  spec << in.rdbuf();
  std::string text = replace_all(spec.str(), "file = \"patients.csv\"",
                                 "file = \"" + kDir + data + "\"" + (sheet.empty() ? "" : "\nsheet = \"" + sheet + "\""));
  // The spec's published values are named relative to its folder.
  text = replace_all(text, "published_file = \"published.toml\"",
                     "published_file = \"" + std::string(SURVKIT_SOURCE_DIR) + "/examples/crc-pm/published.toml\"");
  const test_support::TempDir tmp("survkit-formats");
  const fs::path& dir = tmp.path;
  std::ofstream(dir / "study.toml") << text;
  const CliRun r = run_cli({"study", (dir / "study.toml").string(), "--out", (dir / "report").string()});
  EXPECT_EQ(r.exit_code, 0) << data << "\n" << r.err;
  std::ifstream json(dir / "report" / "results.json");
  std::stringstream s;
  s << json.rdbuf();
  json.close();
  // The spec's own path (the published values' source) names the format's folder.
  return replace_all(replace_all(s.str(), kDir + data, "DATA"), dir.string(), "DIR");
}

TEST(Formats, TheStudyGivesTheCsvReport) {
  const std::string csv = study_json("patients.csv", "");
  ASSERT_GT(csv.size(), 1000u);
  std::size_t identical = 0;
  for (const auto& file : kFormats) {
    const std::string out = study_json(file, file == "patients_openpyxl.xlsx" ? "Data" : "");
    // EXPECT_TRUE, not EXPECT_EQ: gtest's line diff of two large reports is quadratic in memory.
    EXPECT_TRUE(out == csv) << file << ": results.json differs from the CSV's (first difference at byte "
                            << std::distance(out.begin(), std::mismatch(out.begin(), out.end(), csv.begin(), csv.end()).first)
                            << ")";
    identical += out == csv;
  }
  std::printf("[formats] %zu of %zu study reports identical to the CSV's\n", identical, kFormats.size());
}

// Value labels: a level is named by its label or by its code, with the same result.
TEST(Formats, LabelledColumnsTakeTheCodeOrTheLabel) {
  const std::vector<std::string> cox = {"cox", "--time", "os_months", "--event", "os_status", "--covariates",
                                        "grade,sex", "--json", "--factor"};
  auto with = [&](std::vector<std::string> args, const std::string& last) {
    args.push_back(last);
    return args;
  };
  const std::string by_label = run_on("patients.sav", with(cox, "grade:ref=high"));
  EXPECT_EQ(run_on("patients.sav", with(cox, "grade:ref=3")), by_label);
  // Levels in code order (1 = low, 2 = intermediate), the reference (high) moved first.
  EXPECT_LT(by_label.find("grade=low"), by_label.find("grade=intermediate")) << by_label;
  EXPECT_EQ(run_on("patients.dta", with(cox, "grade:ref=3")), by_label);
  const std::vector<std::string> km = {"km", "--time", "os_months", "--group", "sex", "--json", "--event"};
  EXPECT_EQ(run_on("patients.sav", with(km, "os_status=dead")), run_on("patients.sav", with(km, "os_status=1")));
  EXPECT_EQ(run_on("patients.sav", with(km, "os_status")), run_on("patients.csv", with(km, "os_status")));
}

TEST(Formats, SheetOptionAndBadInputExitCodes) {
  const std::vector<std::string> crosstab = {"crosstab", "--rows", "sex", "--cols", "treatment", "--json"};
  std::vector<std::string> on_data = crosstab;
  on_data.insert(on_data.end(), {"--sheet", "Data"});
  EXPECT_EQ(run_on("patients_openpyxl.xlsx", on_data), run_on("patients_openpyxl.xlsx", crosstab));
  // Sheet "Other" has columns x and y (one row: an analysis error, not a missing column).
  CliRun r = run_cli({"crosstab", kDir + "patients_openpyxl.xlsx", "--sheet", "Other", "--rows", "x", "--cols", "y"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err.find("no column"), std::string::npos) << r.err;
  r = run_cli({"km", kDir + "patients_openpyxl.xlsx", "--sheet", "Missing", "--time", "os_months", "--event",
               "os_status"});
  EXPECT_EQ(r.exit_code, kInput);
  EXPECT_NE(r.err.find("no sheet named 'Missing'"), std::string::npos) << r.err;
  r = run_cli({"km", kDir + "mixed_dates.xlsx", "--time", "id", "--event", "id"});
  EXPECT_EQ(r.exit_code, kInput);
  EXPECT_NE(r.err.find("mixed_dates.xlsx, sheet Data, cell B3"), std::string::npos) << r.err;
  r = run_cli({"km", kDir + "no_such.sav", "--time", "t", "--event", "e"});
  EXPECT_EQ(r.exit_code, kIo) << r.err;
  EXPECT_NE(r.err.find("no_such.sav"), std::string::npos) << r.err;
  // A workbook given a CSV name.
  const test_support::TempDir tmp("survkit-workbook");
  const std::string misnamed = tmp / "workbook.csv";
  std::filesystem::copy_file(kDir + "patients_openpyxl.xlsx", misnamed,
                             std::filesystem::copy_options::overwrite_existing);
  r = run_cli({"km", misnamed, "--time", "os_months", "--event", "os_status"});
  EXPECT_EQ(r.exit_code, kInput);
  EXPECT_NE(r.err.find("zip archive"), std::string::npos) << r.err;
}

}  // namespace
