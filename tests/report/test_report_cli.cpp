// `survkit study` and `survkit demo` end to end: they run the built binary.
//  * demo writes the whole report folder and says where it is;
//  * study on examples/crc-pm/study.toml (data found next to the spec, run from another
//    folder) gives the same results.json as the demo (the demo embeds those two files);
//  * every number in a table cell of results.json is the number its text shows;
//  * bad input: the usual exit codes, a message, and no report folder or staging left.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli/run_cli.hpp"
#include "survkit/render.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using cli_test::run_cli;

const std::string kExample = std::string(SURVKIT_TEST_DATA_DIR) + "/../../examples/crc-pm";

using test_support::TempDir;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(StudyCli, DemoWritesTheWholeReportAndSaysWhere) {
  TempDir tmp;
  const fs::path out = tmp.path / "demo";
  const auto r = run_cli({"demo", "--out", out.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("Report written to " + (out / "report.html").string() + "\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("Patients: 127 read from patients.csv, 119 analysed"), std::string::npos) << r.out;
  const auto j = nlohmann::json::parse(slurp(out / "results.json"));
  EXPECT_EQ(j["flow"]["n_read"], 127);
  EXPECT_EQ(j["flow"]["n_analysed"], 119);
  // Every file results.json names exists, plus the page and the workbook.
  std::size_t files = 0;
  for (const auto& t : j["tables"]) {
    for (const auto& [kind, rel] : t["files"].items()) {
      EXPECT_TRUE(fs::exists(out / rel.get<std::string>())) << rel;
      ++files;
    }
    EXPECT_NE(r.out.find(t["title"].get<std::string>()), std::string::npos);
  }
  for (const auto& f : j["figures"])
    for (const auto& [kind, rel] : f["files"].items()) {
      EXPECT_TRUE(fs::exists(out / rel.get<std::string>())) << rel;
      ++files;
    }
  EXPECT_GE(j["tables"].size(), 5u);   // Tables 1-5 of the published study (and the medians)
  EXPECT_GE(j["figures"].size(), 5u);  // Figure 1a-d and the Love plot
  EXPECT_EQ(files, 2 * j["tables"].size() + 3 * j["figures"].size());
  EXPECT_TRUE(fs::exists(out / "report.html"));
  // The data and the R script that reproduce it, and how to run the script.
  EXPECT_TRUE(fs::exists(out / "analysis_data.csv"));
  EXPECT_TRUE(fs::exists(out / "reproduce.R"));
  EXPECT_NE(r.out.find("Rscript " + (out / "reproduce.R").string()), std::string::npos) << r.out;
  EXPECT_EQ(slurp(out / "tables.xlsx").substr(0, 2), "PK");
  EXPECT_EQ(tmp.entries(), std::vector<std::string>{"demo"});

  // Table cells: where a cell has a value, its text is that value as printed (P as
  // "< 0.001", rates as percentages, HR with 3 decimals), or starts with it ("13.1
  // (9.8-36.0)": a median with its CI).  excel_number_format makes exactly this check: a
  // text that disagrees with its number gets a literal format.
  const std::regex leading_number("^-?[0-9][0-9,]*(\\.[0-9]+)?%?");
  std::size_t numbers = 0;
  for (const auto& t : j["tables"])
    for (const auto& row : t["rows"])
      for (const auto& cell : row["cells"]) {
        if (cell["value"].is_null()) continue;
        const std::string text = cell["text"];
        const std::string format = survkit::render::excel_number_format(text, cell["value"].get<double>());
        const bool literal = !format.empty() && format.front() == '"';
        if (literal && text.rfind("< ", 0) == 0) {
          EXPECT_LT(cell["value"].get<double>(), std::stod(text.substr(2))) << t["id"] << ": " << text;
        } else if (literal) {
          std::smatch m;
          ASSERT_TRUE(std::regex_search(text, m, leading_number)) << t["id"] << ": '" << text << "'";
          const std::string lead = survkit::render::excel_number_format(m[0], cell["value"].get<double>());
          EXPECT_NE(lead.front(), '"') << t["id"] << ": '" << text << "' does not show " << cell["value"];
        }
        ++numbers;
      }
  EXPECT_GT(numbers, 100u);
}

TEST(StudyCli, StudyFindsItsDataNextToTheSpecAndMatchesTheDemo) {
  TempDir tmp;
  const auto demo = run_cli({"demo", "--out", (tmp.path / "demo").string()});
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  const auto study = run_cli({"study", kExample + "/study.toml", "--out", (tmp.path / "study").string()});
  ASSERT_EQ(study.exit_code, 0) << study.err;
  // Same analysis, same numbers: the demo embeds exactly examples/crc-pm.
  auto a = nlohmann::json::parse(slurp(tmp.path / "demo/results.json"));
  auto b = nlohmann::json::parse(slurp(tmp.path / "study/results.json"));
  EXPECT_EQ(a["tables"], b["tables"]);
  EXPECT_EQ(a["figures"], b["figures"]);
  EXPECT_EQ(a["flow"], b["flow"]);
  // The published values: the study reads published.toml next to its spec, the demo its embedded copy.
  ASSERT_TRUE(b.contains("published"));
  EXPECT_EQ(a["published"]["tables"], b["published"]["tables"]);
  EXPECT_EQ(a["published"]["consistency"]["checks"], b["published"]["consistency"]["checks"]);
  EXPECT_EQ(slurp(tmp.path / "demo/tables/table1_os.csv"), slurp(tmp.path / "study/tables/table1_os.csv"));
}

TEST(StudyCli, BadInputWritesNothing) {
  TempDir tmp;
  const std::string spec_text = slurp(kExample + "/study.toml");
  ASSERT_FALSE(spec_text.empty());
  const auto write_spec = [&](const std::string& name, std::string text) {
    // Absolute data path, so the spec can live in the temporary folder.
    const auto p = text.find("file = \"patients.csv\"");
    if (p != std::string::npos) text.replace(p, 21, "file = \"" + kExample + "/patients.csv\"");
    const auto q = text.find("published_file = \"published.toml\"");
    if (q != std::string::npos) text.replace(q, 33, "published_file = \"" + kExample + "/published.toml\"");
    std::ofstream(tmp.path / name) << text;
    return (tmp.path / name).string();
  };
  const auto expect_nothing_written = [&](const std::vector<std::string>& files) {
    std::vector<std::string> expected = files;
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(tmp.entries(), expected);
  };

  // A spec that names an unknown column: input error (3) naming the spec line.
  std::string unknown = spec_text;
  const auto col = unknown.find("pm_diagnosis_date");
  ASSERT_NE(col, std::string::npos);
  unknown.replace(col, 17, "pm_diagnosis_dat");
  const std::string unknown_spec = write_spec("unknown.toml", unknown);
  auto r = run_cli({"study", unknown_spec, "--out", (tmp.path / "out").string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("pm_diagnosis_dat"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line"), std::string::npos) << r.err;
  expect_nothing_written({"unknown.toml"});

  // A data file that does not exist: I/O error (4).
  const std::string missing_spec = write_spec("missing.toml", [&] {
    std::string t = spec_text;
    t.replace(t.find("file = \"patients.csv\""), 21, "file = \"no-such-file.csv\"");
    return t;
  }());
  r = run_cli({"study", missing_spec, "--out", (tmp.path / "out").string()});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("no-such-file.csv"), std::string::npos) << r.err;
  expect_nothing_written({"missing.toml", "unknown.toml"});

  // --out naming a folder that is not a survkit report: refused (4), folder untouched.
  fs::create_directory(tmp.path / "mine");
  std::ofstream(tmp.path / "mine" / "notes.txt") << "keep me";
  r = run_cli({"demo", "--out", (tmp.path / "mine").string()});
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("is not a survkit report"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(tmp.path / "mine" / "notes.txt"), "keep me");
  expect_nothing_written({"mine", "missing.toml", "unknown.toml"});

  // No spec argument: usage error (2).
  r = run_cli({"study"});
  EXPECT_EQ(r.exit_code, 2);
}

}  // namespace
