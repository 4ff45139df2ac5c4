// The published-values file ([[published]], [[published_table]]): parsing, the checks
// of the bundled CRC-PM paper, and the study report's "Published vs reproduced".
#include <gtest/gtest.h>

#include <algorithm>

#include "study/published.hpp"
#include "study/study_support.hpp"
#include "survkit/paper_check.hpp"
#include "survkit/study.hpp"

using namespace survkit;
using study_test::examples;
using study_test::read_text;

namespace {

const PaperCheck* find(const PaperCheckReport& rep, PaperCheckKind kind, const std::string& subject_part,
                       const std::string& finding_part = "") {
  for (const auto& c : rep.checks)
    if (c.kind == kind && c.subject.find(subject_part) != std::string::npos &&
        c.finding.find(finding_part) != std::string::npos)
      return &c;
  return nullptr;
}

std::string bundled() { return read_text(examples("crc-pm/published.toml")); }

}  // namespace

TEST(PublishedFile, ValuesFormExpandsToCells) {
  const PublishedSet s = parse_published(R"(
[[published_table]]
table = "table5_balance"
source = "Table 5"
[[published_table.counts]]
columns = ["Before PSM / A", "Before PSM / B"]
n = [39, "80"]
p = "Before PSM / P"
test = "pearson"

[[published]]
table = "table5_balance"
row = "Gender / Male"
values = { "Before PSM / A" = "23", "Before PSM / B" = "39", "Before PSM / P" = "0.295" }
)",
                                         "pub.toml");
  ASSERT_EQ(s.values.size(), 3u);
  EXPECT_EQ(s.values[0].source, "Table 5");  // inherited from [[published_table]]
  ASSERT_EQ(s.counts.size(), 1u);
  EXPECT_EQ(s.counts[0].n[1].value, 80);
  EXPECT_EQ(s.counts[0].stated_test, "pearson");
}

TEST(PublishedFile, ErrorsNameTheLine) {
  auto message = [](const std::string& text) {
    try {
      parse_published(text, "pub.toml");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  // A number written as a TOML number would lose its printed precision.
  EXPECT_NE(message("[[published]]\ntable = \"t\"\nrow = \"r\"\ncolumn = \"HR\"\nvalue = 1.50\n").find("pub.toml line 5"),
            std::string::npos);
  EXPECT_NE(message("[[published]]\ntable = \"t\"\nrow = \"r\"\ncolum = \"HR\"\nvalue = \"1\"\n").find("unknown key 'colum'"),
            std::string::npos);
  EXPECT_NE(message("[[published]]\ntable = \"t\"\ncolumn = \"HR\"\nvalue = \"1\"\n").find("needs its 'row'"),
            std::string::npos);
  EXPECT_NE(message("[[published_table]]\ntable = \"t\"\n[[published_table.counts]]\ncolumns = [\"a\"]\ntest = \"chi\"\n")
                .find("'test' must be"),
            std::string::npos);
  EXPECT_NE(message("[[published]]\nvalue = \"1\"\nvalues = { a = \"1\" }\n").find("either 'value'"), std::string::npos);
  EXPECT_NE(message("bogus = 1\n").find("unknown key 'bogus'"), std::string::npos);
}

// The findings the issue asks check-paper to make on the CRC-PM paper.
TEST(PublishedFile, BundledPaperFindings) {
  const PaperCheckReport rep = check_paper(parse_published(bundled(), "published.toml"));
  // ECOG-PS before matching: 0.173 is Yates, the paper states Pearson.
  const PaperCheck* ecog = find(rep, PaperCheckKind::PFromCounts, "ECOG-PS (Before PSM)");
  ASSERT_NE(ecog, nullptr);
  EXPECT_EQ(ecog->verdict, Verdict::Inconsistent);
  EXPECT_NE(ecog->finding.find("Yates-corrected"), std::string::npos) << ecog->finding;
  // Pathology (before) and Gender after matching: Pearson, as stated.
  const PaperCheck* pathology = find(rep, PaperCheckKind::PFromCounts, "Pathology (Before PSM)");
  ASSERT_NE(pathology, nullptr);
  EXPECT_EQ(pathology->verdict, Verdict::Consistent);
  const PaperCheck* gender = find(rep, PaperCheckKind::PFromCounts, "Gender (After PSM)");
  ASSERT_NE(gender, nullptr);
  EXPECT_EQ(gender->verdict, Verdict::Consistent);
  // Local therapy: median 34.5 months with a 3-year OS of 81.6%.
  const PaperCheck* local = find(rep, PaperCheckKind::Survival, "os of Local therapy", "median of 34.5");
  ASSERT_NE(local, nullptr);
  EXPECT_EQ(local->verdict, Verdict::Inconsistent);
  // The abstract's 3-year PFS 75.2% vs Table 2's 75.5%.
  const PaperCheck* pfs = find(rep, PaperCheckKind::SameQuantity, "pfs 36-month rate of Local therapy");
  ASSERT_NE(pfs, nullptr);
  EXPECT_EQ(pfs->verdict, Verdict::Inconsistent);
  EXPECT_NE(pfs->finding.find("75.2%"), std::string::npos);
  EXPECT_NE(pfs->finding.find("75.5%"), std::string::npos);
  const PaperCheck* pfs_chem = find(rep, PaperCheckKind::SameQuantity, "pfs 36-month rate of Chemotherapy");
  ASSERT_NE(pfs_chem, nullptr);
  EXPECT_EQ(pfs_chem->verdict, Verdict::Inconsistent);
  // Rectal 51.1% and colon 50.9% of 119: no count gives either, and they make 102%;
  // Table 1's 66 patients are 55.5%, and 51.1% is the rectum's 3-year OS.
  const PaperCheck* rectum = find(rep, PaperCheckKind::PercentOfN, "Location / Rectum");
  ASSERT_NE(rectum, nullptr);
  EXPECT_EQ(rectum->verdict, Verdict::Inconsistent);
  EXPECT_NE(rectum->finding.find("no count out of 119"), std::string::npos) << rectum->finding;
  EXPECT_NE(rectum->finding.find("66/119 = 55.5%"), std::string::npos) << rectum->finding;
  EXPECT_NE(rectum->finding.find("3-year OS"), std::string::npos) << rectum->finding;
  const PaperCheck* colon = find(rep, PaperCheckKind::PercentOfN, "Location / Colon");
  ASSERT_NE(colon, nullptr);
  EXPECT_EQ(colon->verdict, Verdict::Inconsistent);
  const PaperCheck* sum = find(rep, PaperCheckKind::PercentSum, "Location");
  ASSERT_NE(sum, nullptr);
  EXPECT_EQ(sum->verdict, Verdict::Inconsistent);
  EXPECT_NEAR(sum->value, 102.0, 1e-9);
  // The Results' chemotherapy regimens: 43 + 33 + 5 = 81 of 80 patients.
  const PaperCheck* regimens = find(rep, PaperCheckKind::CountSum, "Chemotherapy, Group-Chem");
  ASSERT_NE(regimens, nullptr);
  EXPECT_EQ(regimens->verdict, Verdict::Inconsistent);
  // The misprint "50..3%" is reported, not guessed.
  EXPECT_NE(find(rep, PaperCheckKind::Readable, "Gender / Male"), nullptr);
  EXPECT_EQ(rep.consistent + rep.inconsistent + rep.cannot_check, rep.checks.size());
}

TEST(PublishedReport, CellsAreFoundByTableRowAndColumnIds) {
  ReportTable t;
  t.id = "table5_balance";
  t.header = {"Characteristic", "Local therapy (N = 39)", "Chemotherapy (N = 80)", "P",
              "Local therapy (N = 23)", "Chemotherapy (N = 23)", "P"};
  t.header_groups = {{"", 1}, {"Before PSM", 3}, {"After PSM", 3}};
  ReportRow head;
  head.cells = {ReportCell{"ECOG-PS"}};
  t.rows.push_back(head);
  ReportRow level;
  level.level = 1;
  level.cells = {ReportCell{"0\u20131"}, ReportCell{"35", 35}, ReportCell{"62", 62}, ReportCell{"0.106", 0.1063},
                 ReportCell{"20", 20}, ReportCell{"19", 19}, ReportCell{"0.5", 0.5}};
  t.rows.push_back(level);
  PublishedValue v;
  v.table = "table5_balance";
  v.row = "ECOG-PS / 0-1";
  v.column = "After PSM / Chemotherapy";
  // find_cell points into the tables it is given: they must outlive the pointer.
  const std::vector<ReportTable> tables{t};
  const ReportCell* cell = study::find_cell(tables, v);
  ASSERT_NE(cell, nullptr);
  EXPECT_EQ(cell->value, 19);
  v.column = "Before PSM / P";
  cell = study::find_cell(tables, v);
  ASSERT_NE(cell, nullptr);
  EXPECT_EQ(study::reproduced_text(parse_printed("0.17"), *cell), "0.11");
  v.column = "SMD";
  EXPECT_EQ(study::find_cell(tables, v), nullptr);
}

TEST(PublishedReport, ReproducedAtThePublishedPrecision) {
  EXPECT_EQ(study::reproduced_text(parse_printed("81.6%"), ReportCell{"74.23%", 74.234}), "74.2%");
  EXPECT_EQ(study::reproduced_text(parse_printed("< 0.001"), ReportCell{"", 0.0002}), "< 0.001");
  EXPECT_EQ(study::reproduced_text(parse_printed("< 0.001"), ReportCell{"", 0.0123}), "0.012");
  EXPECT_EQ(study::reproduced_text(parse_printed("0.62\u20132.336"), ReportCell{"", NA, 0.6049, 2.1}), "0.60\u20132.100");
  EXPECT_EQ(study::reproduced_text(parse_printed("34.5 (21.1\u201347.9)"), ReportCell{"", 30.04, 20.0, NA}),
            "30.0 (20.0\u2013NR)");
}

// The demo study with the bundled published values: the section is there, every
// published cell of a report table is found, and the summary counts add up.
TEST(PublishedReport, DemoStudyComparesThePaper) {
  StudySpec spec = parse_study_spec(read_text(examples("crc-pm/study.toml")), "study.toml");
  ASSERT_EQ(spec.published_file.name, "published.toml");
  spec.published = parse_published(bundled(), "published.toml");
  const StudyReport rep = run_study(spec, study_test::read_csv(examples("crc-pm/patients.csv")));
  const PublishedSection& p = rep.published;
  // Its two tables close the report's table list.
  ASSERT_GE(rep.tables.size(), 2u);
  const ReportTable& comparison = rep.tables[rep.tables.size() - 2];
  EXPECT_EQ(comparison.id, "published_vs_reproduced");
  EXPECT_EQ(comparison.section, TableSection::Published);
  EXPECT_EQ(rep.tables.back().id, "published_consistency");
  EXPECT_EQ(rep.tables.back().section, TableSection::Published);
  EXPECT_GT(p.values, 300u);
  EXPECT_LE(p.reproduced, p.found);
  // Every cell addressed to a table of the report exists, except the Results' medians by
  // characteristic and the liver 3-year OS of the text, which have no report cell.
  std::size_t no_cell = 0;
  for (const auto& row : comparison.rows)
    if (row.level == 1 && row.cells.back().text == "no such cell in this report") ++no_cell;
  EXPECT_EQ(no_cell, p.values - p.found);
  EXPECT_EQ(no_cell, 7u);  // 5 medians by characteristic, 2 liver 3-year rates of the text
  EXPECT_NE(p.summary.find(" of " + std::to_string(p.values) + " published numbers reproduced"), std::string::npos);
}
