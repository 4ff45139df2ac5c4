// What the report says: the Methods paragraph describes what was run, for every spec
// option that changes it, and missing data is shown (Missing rows, model N, matching
// eligibility) instead of silently dropped.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "study/study_support.hpp"
#include <survkit/study.hpp>

using namespace survkit;
using study_test::table;

namespace {

// 12 patients, 2 arms; sex missing for two of them (one per arm); x complete.
const std::string kCsv =
    "t,d,arm,sex,x,y\n"
    "1,1,a,m,1,0\n"
    "2,0,a,m,1,1\n"
    "3,1,a,f,0,1\n"
    "4,1,a,,1,0\n"
    "5,0,a,f,0,0\n"
    "6,1,a,m,1,1\n"
    "1,0,b,f,0,0\n"
    "2,1,b,f,0,1\n"
    "4,1,b,m,1,1\n"
    "5,1,b,,0,0\n"
    "6,1,b,f,1,0\n"
    "7,0,b,m,0,1\n";

Table data() {
  CsvOptions o;
  o.source = "h.csv";
  return parse_csv(kCsv, o);
}

std::string spec_text(const std::string& analysis, const std::string& matching = "") {
  return "[data]\nfile = \"h.csv\"\n"
         "[[variable]]\nname = \"sex\"\nvalues = [\"m\", \"f\"]\n"
         "[[variable]]\nname = \"x\"\ncuts = [0]\n"
         "[[variable]]\nname = \"y\"\ncuts = [0]\n"
         "[group]\nfrom = \"arm\"\nvalues = [\"a\", \"b\"]\n"
         "[[endpoint]]\nid = \"os\"\ntime = \"t\"\nstatus = \"d\"\nunit = \"days\"\n"
         "[analysis]\n" + analysis + (matching.empty() ? "" : "[matching]\n" + matching);
}

StudyReport run(const std::string& analysis, const std::string& matching = "") {
  return run_study(parse_study_spec(spec_text(analysis, matching), "study.toml"), data());
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

/// The rows under heading `heading`, as (first cell, second cell) texts.
std::vector<std::pair<std::string, std::string>> rows_under(const ReportTable& t, const std::string& heading) {
  std::vector<std::pair<std::string, std::string>> out;
  bool in = false;
  for (const auto& r : t.rows) {
    if (r.level == 0) in = r.cells[0].text == heading;
    else if (in) out.emplace_back(r.cells[0].text, r.cells[1].text);
  }
  return out;
}

const std::string kMatch = "treated = \"a\"\ncovariates = [\"x\", \"y\"]\n";

}  // namespace

TEST(MethodsAsRun, MultivariableListOrRuleAsConfigured) {
  // The [analysis] list: named, with "complete cases".
  const StudyReport list = run("multivariable = [\"group\", \"x\"]\n");
  EXPECT_TRUE(has(list.methods, "in a multivariable model including group and x (complete cases)")) << list.methods;
  EXPECT_FALSE(has(list.methods, "univariate P <"));
  // The P rule, with the threshold as written (not "0.500").
  const StudyReport rule = run("multivariable_p_below = 0.5\n");
  EXPECT_TRUE(has(rule.methods, "including every variable with a univariate P < 0.5 (complete cases)")) << rule.methods;
}

TEST(MethodsAsRun, PerEndpointListsAreNamedPerEndpoint) {
  // The bundled CRC-PM spec gives each endpoint its own list: the Methods name both.
  const StudySpec spec = parse_study_spec(study_test::read_text(study_test::examples("crc-pm/study.toml")), "s");
  const StudyReport r = run_study(spec, study_test::read_csv(study_test::examples("crc-pm/patients.csv")));
  EXPECT_TRUE(has(r.methods, "multivariable models including Treatment for PM, CEA")) << r.methods;
  EXPECT_TRUE(has(r.methods, " for OS and Treatment for PM")) << r.methods;
  EXPECT_TRUE(has(r.methods, " for PFS (complete cases)")) << r.methods;
  EXPECT_FALSE(has(r.methods, "univariate P <")) << r.methods;
}

TEST(MethodsAsRun, TiesAndTestRule) {
  EXPECT_TRUE(has(run("ties = \"breslow\"\n").methods, "(Breslow method for ties)"));
  EXPECT_TRUE(has(run("").methods, "(Efron method for ties)"));
  EXPECT_TRUE(has(run("table1_test = \"chisq\"\n").methods, "between groups with Pearson's chi-square test."));
  EXPECT_TRUE(has(run("table1_test = \"fisher\"\n").methods, "between groups with Fisher's exact test."));
  EXPECT_TRUE(has(run("").methods,
                  "Pearson's chi-square test, or Fisher's exact test when an expected count was below 5."));
}

TEST(MethodsAsRun, MatchingOnOffQuirksRatioReplacementCaliperScale) {
  const StudyReport off = run("");
  EXPECT_FALSE(has(off.methods, "propensity"));
  EXPECT_FALSE(has(off.methods, "MatchIt"));

  const StudyReport plain = run("", kMatch + "caliper = 2\n");
  EXPECT_TRUE(has(plain.methods, "matched 1:1 by greedy nearest-neighbour matching on the logit of the propensity score "
                                 "within a caliper of 2 standard deviations of the distance, without replacement, in "
                                 "largest order"))
      << plain.methods;
  EXPECT_TRUE(has(plain.methods, "follows the rules of MatchIt 4.5.4 and later (caliper enforced)")) << plain.methods;

  const StudyReport quirks = run("", kMatch + "caliper = 0.1\nmatchit_quirks = true\n");
  EXPECT_FALSE(has(quirks.methods, "within a caliper")) << quirks.methods;
  EXPECT_TRUE(has(quirks.methods, "following MatchIt 4.5.1's matching rules exactly (a caliper of 0.1 standard "
                                  "deviations of the distance was specified but, as in MatchIt 4.5.1, not enforced)"))
      << quirks.methods;
  EXPECT_TRUE(has(quirks.methods, "whose matching reproduces MatchIt 4.5.1")) << quirks.methods;

  const StudyReport ratio = run("", kMatch + "ratio = 2\nreplace = true\ncaliper = 1e-07\ncaliper_scale = \"distance\"\n");
  EXPECT_TRUE(has(ratio.methods, "matched 1:2")) << ratio.methods;
  EXPECT_TRUE(has(ratio.methods, "within a caliper of 1e-07 distance units, with replacement, in data order"))
      << ratio.methods;
}

TEST(MissingShown, UnivariateTableHasMissingRowsAndModelN) {
  const StudyReport r = run("");
  const ReportTable& t1 = table(r, "table1_os");
  // sex: 5 m, 5 f, 2 missing; its heading row gives the model's N (10 of 12).
  EXPECT_EQ(rows_under(t1, "sex"),
            (std::vector<std::pair<std::string, std::string>>{{"m", "5"}, {"f", "5"}, {"Missing", "2"}}));
  for (const auto& row : t1.rows)
    if (row.level == 0 && row.cells[0].text == "sex") EXPECT_EQ(row.cells[1].text, "10");
    else if (row.level == 0) EXPECT_EQ(row.cells[1].text, "") << row.cells[0].text;  // complete: no N
  bool noted = false;
  for (const auto& n : t1.notes) noted = noted || has(n, "Missing: patients without the characteristic");
  EXPECT_TRUE(noted);
}

TEST(MissingShown, BalanceTableHasMissingRowsPerGroup) {
  const StudyReport r = run("");
  const ReportTable& t = table(r, "table3_balance");
  // Missing sex: one patient in each arm.
  bool found = false;
  std::string current;
  for (const auto& row : t.rows) {
    if (row.level == 0) current = row.cells[0].text;
    if (current == "sex" && row.cells[0].text == "Missing") {
      found = true;
      EXPECT_EQ(row.cells[1].text, "1");
      EXPECT_EQ(row.cells[2].text, "1");
      EXPECT_EQ(row.cells[3].text, "");  // no P on the Missing row
    }
  }
  EXPECT_TRUE(found);
}

TEST(MissingShown, PatientsNotEligibleForMatchingAreCountedAndSaid) {
  const StudyReport r = run("", "treated = \"a\"\ncovariates = [\"sex\", \"x\"]\n");
  bool warned = false;
  for (const auto& w : r.warnings) warned = warned || has(w, "2 of 12 patients not eligible for matching (missing sex)");
  EXPECT_TRUE(warned);
  EXPECT_TRUE(has(r.methods, "2 patients with a missing matching covariate were not eligible for matching.")) << r.methods;
}

// The Results paragraph is drafted from the tables' numbers: every decimal number and
// percentage in it is printed, identically, in some table cell (so results.json holds
// it at full precision), and it names the follow-up, medians, log-rank P, the
// multivariable findings and the matched-sample HR with its paired P.
TEST(ResultsParagraph, EveryNumberIsATableNumber) {
  const StudySpec spec = parse_study_spec(study_test::read_text(study_test::examples("crc-pm/study.toml")), "s");
  const StudyReport r = run_study(spec, study_test::read_csv(study_test::examples("crc-pm/patients.csv")));
  ASSERT_FALSE(r.results.empty());
  std::string cells;
  for (const auto& t : r.tables) {
    if (t.section == TableSection::Published) continue;  // the paper's numbers are no results of this study
    for (const auto& row : t.rows)
      for (const auto& c : row.cells) cells += c.text + "\n";
  }
  const std::regex number(R"(\d+\.\d+%?)");
  std::size_t checked = 0;
  for (auto it = std::sregex_iterator(r.results.begin(), r.results.end(), number); it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(has(cells, it->str())) << it->str() << " is in no table cell";
    ++checked;
  }
  EXPECT_GT(checked, 20u);
  EXPECT_TRUE(has(r.results, "median follow-up of"));
  EXPECT_TRUE(has(r.results, "(log-rank P"));
  EXPECT_TRUE(has(r.results, "In the multivariable model for OS"));
  EXPECT_TRUE(has(r.results, "In the matched sample, the OS hazard ratio"));
  EXPECT_TRUE(has(r.results, "robust score P"));
}
