// `survkit init`: the drafted spec (survkit/draft_spec.hpp).  Small hand-made tables check
// each detection rule; the bundled examples check that a draft runs as it is, and the CLI
// test checks that init never replaces a file without --force.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/run_cli.hpp"
#include "study/draft_profile.hpp"
#include "survkit/draft_spec.hpp"
#include "survkit/io.hpp"
#include "survkit/study.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace survkit;

Table csv(const std::string& text) {
  CsvOptions o;
  o.source = "t.csv";
  return parse_csv(text, o);
}

Table csv_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  CsvOptions o;
  o.source = path;
  return parse_csv(ss.str(), o);
}

DraftedSpec draft(const Table& t, const std::string& group = "") {
  DraftOptions o;
  o.data_file = "t.csv";
  o.group = group;
  return draft_study_spec(t, o);
}

bool has(const std::string& text, const std::string& piece) { return text.find(piece) != std::string::npos; }

std::string role_of(const DraftedSpec& d, const std::string& column) {
  for (const auto& c : d.columns)
    if (c.name == column) return c.role;
  return "?";
}

// time/status pairs by name stem; two endpoints; the unit comes from the name.
const char* kTwoEndpoints =
    "id,arm,sex,age,os_days,os_status,rfs_days,rfs_status\n"
    "1,A,0,50,100,1,50,1\n2,B,1,61,200,0,200,0\n3,A,1,70,300,1,120,1\n4,B,0,44,400,0,400,0\n"
    "5,A,0,58,500,1,300,1\n6,B,1,66,600,1,600,1\n7,A,1,39,700,0,700,0\n8,B,0,72,800,1,90,1\n";

TEST(DraftSpec, PairsTimeAndStatusColumnsByTheirNameStem) {
  const DraftedSpec d = draft(csv(kTwoEndpoints));
  EXPECT_EQ(role_of(d, "os_days"), "time");
  EXPECT_EQ(role_of(d, "os_status"), "status");
  EXPECT_EQ(role_of(d, "rfs_days"), "time");
  EXPECT_TRUE(has(d.toml, "id = \"os\"\nname = \"Overall survival\""));
  EXPECT_TRUE(has(d.toml, "id = \"rfs\"\nname = \"Recurrence-free survival\""));
  EXPECT_TRUE(has(d.toml, "time_unit = \"days\"\n"));
  EXPECT_EQ(role_of(d, "id"), "identifier");
}

TEST(DraftSpec, TheGroupIsTheColumnNamedLikeAnExposure) {
  // sex is the first two-level column; arm is named like an exposure.
  const DraftedSpec d = draft(csv(kTwoEndpoints));
  EXPECT_EQ(d.group_column, "arm");
  EXPECT_TRUE(d.group_detected);
  EXPECT_EQ(draft(csv(kTwoEndpoints), "sex").group_column, "sex");
  try {
    draft(csv(kTwoEndpoints), "treatment");
    FAIL() << "an unknown --group column is an error";
  } catch (const InputError& e) {
    EXPECT_TRUE(has(e.what(), "'treatment' is not a column (columns: id, arm, sex")) << e.what();
  }
  EXPECT_THROW(draft(csv(kTwoEndpoints), "age"), InputError);  // 8 distinct numbers: not a group
}

TEST(DraftSpec, NumericColumnsAreCutAtTheirMedianWithPatientsOnBothSides) {
  const DraftedSpec d = draft(csv(kTwoEndpoints));
  // ages 39 44 50 58 61 66 70 72: median 59.5
  EXPECT_TRUE(has(d.toml, "name = \"age\"\nlabel = \"Age\"\ncuts = [59.5]")) << d.toml;
  // The median is the maximum (five 2s out of seven): the cut moves below it.
  Column c;
  c.kind = ColumnKind::Numeric;
  c.values = {1, 2, 2, 2, 2, 2, 2};
  EXPECT_EQ(study::draft::median_cut(c), 1.0);
}

TEST(DraftSpec, DatesAreDeclaredWithTheFormatThatFitsEveryValue) {
  const std::string text =
      "pid,group_arm,diagnosis_date,death_date,last_followup\n"
      "1,X,25/01/2010,03/04/2012,03/04/2012\n2,Y,13/02/2011,,01/06/2015\n3,X,01/03/2012,05/05/2013,05/05/2013\n"
      "4,Y,02/03/2012,,30/12/2016\n5,X,11/11/2013,14/02/2014,14/02/2014\n6,Y,09/09/2014,,31/12/2018\n";
  const DraftedSpec d = draft(csv(text));
  EXPECT_TRUE(has(d.toml, "format = \"%d/%m/%Y\"")) << d.toml;
  EXPECT_FALSE(has(d.toml, "CHECK: every value"));
  EXPECT_TRUE(has(d.toml, "start = \"diagnosis_date\"\nevent = \"death_date\""));
  EXPECT_TRUE(has(d.toml, "censor = \"last_followup\""));
  // Every day <= 12: day-first and month-first both fit; the choice is flagged.
  const std::string ambiguous =
      "pid,group_arm,diagnosis_date,death_date,last_followup\n"
      "1,X,05/01/2010,03/04/2012,03/04/2012\n2,Y,12/02/2011,,01/06/2015\n3,X,01/03/2012,05/05/2013,05/05/2013\n"
      "4,Y,02/03/2012,,10/12/2016\n";
  const DraftedSpec a = draft(csv(ambiguous));
  EXPECT_TRUE(has(a.toml, "CHECK: every value of diagnosis_date also reads as %m/%d/%Y")) << a.toml;
  EXPECT_TRUE(has(a.next_edits.front(), "Check the date format")) << a.next_edits.front();
}

TEST(DraftSpec, PatientsMissingTheGroupOrTheEndpointAreCountedInTheFlow) {
  std::string text = kTwoEndpoints;
  text += "9,,1,55,900,1,900,1\n10,A,0,60,,1,100,1\n";
  const Table t = csv(text);
  const DraftedSpec d = draft(t);
  EXPECT_TRUE(has(d.toml, "exclude = 'missing(arm)'"));
  EXPECT_TRUE(has(d.toml, "exclude = 'missing(os_days)'"));
  const StudyReport r = run_study(parse_study_spec(d.toml, "draft.toml"), t);
  EXPECT_EQ(r.n_read, 10u);
  EXPECT_EQ(r.n_analysed, 8u);
  ASSERT_EQ(r.flow.size(), 2u);
  EXPECT_EQ(r.flow[0].excluded, 1u);
  EXPECT_EQ(r.flow[1].excluded, 1u);
}

TEST(DraftSpec, NoEndpointIsAClearError) {
  try {
    draft(csv("a,b\n1,x\n2,y\n"));
    FAIL();
  } catch (const InputError& e) {
    EXPECT_TRUE(has(e.what(), "t.csv: no endpoint found")) << e.what();
  }
}

// The drafts of the bundled studies run as they are.
TEST(DraftSpec, TheDraftOfTheColonStudyRuns) {
  const Table t = csv_file(SURVKIT_EXAMPLES_DIR "/colon/patients.csv");
  const DraftedSpec d = draft(t);
  EXPECT_EQ(d.group_column, "rx");
  EXPECT_EQ(d.next_edits.size(), 3u);
  const StudyReport r = run_study(parse_study_spec(d.toml, "colon-draft.toml"), t);
  EXPECT_EQ(r.n_analysed, t.nrows);
  EXPECT_FALSE(r.tables.empty());
  EXPECT_FALSE(r.figures.empty());
  // Without [matching] the characteristics table says what it is (it used to claim
  // "before and after propensity score matching").
  bool found = false;
  for (const auto& tab : r.tables)
    if (tab.id.ends_with("_balance")) {
      found = true;
      EXPECT_TRUE(tab.title.ends_with("Characteristics of the patients by Rx")) << tab.title;
    }
  EXPECT_TRUE(found);
}

TEST(DraftSpec, TheDraftOfTheCrcPmStudyRunsFromTheDates) {
  const Table t = csv_file(SURVKIT_EXAMPLES_DIR "/crc-pm/patients.csv");
  const DraftedSpec d = draft(t);
  EXPECT_EQ(d.group_column, "treatment");
  EXPECT_TRUE(has(d.toml, "start = \"pm_diagnosis_date\"\nevent = \"death_date\"")) << d.toml;
  EXPECT_TRUE(has(d.toml, "event = [\"progression_date\", \"death_date\"]"));
  EXPECT_TRUE(has(d.toml, "interval = [\"birth_date\", \"pm_diagnosis_date\"]"));
  const StudyReport r = run_study(parse_study_spec(d.toml, "crc-draft.toml"), t);
  EXPECT_GT(r.n_analysed, 100u);
  EXPECT_FALSE(r.tables.empty());
}

// An SPSS file (written by haven, tests/data/formats/make_formats.R): typed dates need no
// [dates] declaration, variable labels become display labels, and the draft runs.
TEST(DraftSpec, TheDraftOfAnSpssFileRuns) {
  const Table t = load_data(SURVKIT_TEST_DATA_DIR "/formats/patients.sav", LoadOptions{});
  const DraftedSpec d = draft(t);
  EXPECT_FALSE(has(d.toml, "[dates]")) << d.toml;
  EXPECT_TRUE(has(d.toml, "date (typed in the file)"));
  // os_months / os_status pair: the columns form is active, the dates form commented.
  EXPECT_EQ(role_of(d, "os_months"), "time");
  EXPECT_TRUE(has(d.toml, "time_unit = \"months\""));
  for (const auto& c : t.columns)
    if (!c.label.empty() && role_of(d, c.name) == "categorical") {
      EXPECT_TRUE(has(d.toml, "label = \"" + c.label + "\"")) << c.name;
    }
  const StudyReport r = run_study(parse_study_spec(d.toml, "sav-draft.toml"), t);
  EXPECT_GT(r.n_analysed, 100u);
  EXPECT_FALSE(r.tables.empty());
}

// init writes the spec and prints the next edits; it never replaces a file unless --force.
TEST(DraftSpecCli, InitNeverOverwritesWithoutForce) {
  namespace fs = std::filesystem;
  const test_support::TempDir tmp("survkit-init");
  const fs::path& dir = tmp.path;
  const std::string spec = (dir / "study.toml").string();
  const std::string data = SURVKIT_EXAMPLES_DIR "/colon/patients.csv";
  const auto first = cli_test::run_program(SURVKIT_BINARY, {"init", data, "--out", spec});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_TRUE(has(first.out, "Next, edit the spec:\n    1. ")) << first.out;
  const auto again = cli_test::run_program(SURVKIT_BINARY, {"init", data, "--out", spec});
  EXPECT_EQ(again.exit_code, 4);
  EXPECT_TRUE(has(again.err, "already exists")) << again.err;
  EXPECT_TRUE(again.out.empty());
  const auto forced = cli_test::run_program(SURVKIT_BINARY, {"init", data, "--out", spec, "--force", "--group", "sex"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  // The drafted spec names the data relative to its own folder and runs as it is.
  const auto study = cli_test::run_program(SURVKIT_BINARY, {"study", spec, "--out", (dir / "report").string()});
  EXPECT_EQ(study.exit_code, 0) << study.err;
}

}  // namespace
