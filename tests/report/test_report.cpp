// The report renderers (src/report/render, survkit/render.hpp) on hand-built reports:
// every format holds every table, figure and number; texts round-trip through CSV and Markdown; special
// characters are escaped; UTF-8 survives; the XLSX is a real workbook with numbers as
// numbers; results.json holds the doubles bit for bit; the report folder is written
// whole or not at all.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "report/report_fixture.hpp"
#include "support/ref_csv.hpp"
#include "survkit/io.hpp"
#include "survkit/render.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using namespace survkit;
using namespace survkit::render;
using report_test::sample_report;

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + needle.size())) ++n;
  return n;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

using test_support::TempDir;

// ---------------------------------------------------------------------------------- HTML

TEST(ReportHtml, HoldsEveryTableFigureFlowNumberMethodsAndWarnings) {
  const StudyReport r = sample_report();
  const std::string html = render_html(r, RenderOptions{});
  for (const auto& t : r.tables) {
    EXPECT_EQ(count(html, "<table class=\"report\" id=\"" + t.id + "\">"), 1u) << t.id;
    if (t.id != "escapes") {  // its escaped title is checked below
      EXPECT_NE(html.find("<caption>" + t.title + "</caption>"), std::string::npos) << t.id;
    }
  }
  for (const auto& f : r.figures) {
    EXPECT_EQ(count(html, "<figure id=\"" + f.id + "\">"), 1u) << f.id;
    EXPECT_NE(html.find("<strong>" + f.title + ".</strong> " + f.caption), std::string::npos) << f.id;
  }
  EXPECT_EQ(count(html, "<svg "), r.figures.size());  // one inline SVG per figure
  // Flow: the diagram and the count table.
  EXPECT_NE(html.find("Records read from patients.csv<br><b>n = 127</b>"), std::string::npos);
  EXPECT_NE(html.find("Analysed<br><b>n = 119</b>"), std::string::npos);
  for (const auto& s : r.flow) {
    EXPECT_NE(html.find("Excluded: " + s.criterion + "<br><b>n = " + std::to_string(s.excluded) + "</b>"),
              std::string::npos);
    EXPECT_NE(html.find("<td class=\"level\">" + s.criterion + "</td><td>" + std::to_string(s.excluded) + "</td><td>" +
                        std::to_string(s.remaining) + "</td>"),
              std::string::npos);
  }
  // Each table under its section's heading: the flow's under the diagram, the published
  // ones under "Published vs reproduced", the study's under "Tables".
  const auto section_of = [&](const std::string& id) {
    const std::size_t at = html.find("<table class=\"report\" id=\"" + id + "\">");
    const std::size_t open = html.rfind("<section id=\"", at);
    return html.substr(open + 13, html.find('"', open + 13) - open - 13);
  };
  for (const auto& t : r.tables) {
    const char* want = t.section == TableSection::Flow ? "flow" : t.section == TableSection::Main ? "tables" : "published";
    EXPECT_EQ(section_of(t.id), want) << t.id;
  }
  EXPECT_NE(html.find("<p class=\"summary\"><strong>1 of 2 published numbers reproduced (1 differ).</strong> "
                      "2 checks: 1 consistent, 1 inconsistent (survkit check-paper).</p>"),
            std::string::npos);
  // The contents list the study's tables, and the flow and the published section once.
  EXPECT_EQ(count(html, "<li><a href=\"#patient_flow\">"), 0u);
  EXPECT_EQ(count(html, "<li><a href=\"#published_vs_reproduced\">"), 0u);
  EXPECT_EQ(count(html, "<li><a href=\"#table1_os\">"), 1u);
  EXPECT_EQ(count(html, "<li><a href=\"#published\">Published vs reproduced</a></li>"), 1u);
  // Methods: one <p> per paragraph.
  EXPECT_NE(html.find("<p>Overall survival was estimated with the Kaplan\u2013Meier method"), std::string::npos);
  EXPECT_NE(html.find("<p>Patients were matched 1:1"), std::string::npos);
  EXPECT_NE(html.find("<li>matching: 2 treated units had no control within the caliper (&lt; 0.2 SD)</li>"),
            std::string::npos);
  EXPECT_NE(html.find("survkit 0.1.0"), std::string::npos);
  // Structure of the tables: header groups span their columns, level rows are indented,
  // heading rows marked, notes under the table.
  EXPECT_NE(html.find("<th class=\"group\" colspan=\"4\">Before PSM</th>"), std::string::npos);
  EXPECT_NE(html.find("<th class=\"group-empty\" colspan=\"1\"></th>"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"heading\"><td>Gender</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"level\">Male</td><td>62</td><td>50.3%</td>"), std::string::npos);
  // A level-0 row with no level rows under it is not a heading.
  EXPECT_NE(html.find("<tr><td>CEA &gt; 5 ng/ml</td>"), std::string::npos);
  EXPECT_NE(html.find("</table>\n<div class=\"table-notes\">\n<p class=\"table-note\">OS, overall survival;"),
            std::string::npos);
}

TEST(ReportHtml, SelfContainedWithoutScriptsOrExternalResources) {
  const std::string html = render_html(sample_report(), RenderOptions{});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);  // the awkward cell is escaped, no JS of ours
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("url(http"), std::string::npos);
  EXPECT_EQ(html.find("<?xml"), std::string::npos);  // SVG prologs are dropped when inlined
  EXPECT_EQ(html.find("display: grid"), std::string::npos);
}

TEST(ReportHtml, InlineSvgIdsAreUniqueAndEveryReferenceResolves) {
  // cairo names glyphs and clips alike in every file; inlined side by side they must not
  // collide, or one figure would draw with another's glyphs.
  const std::string html = render_html(sample_report(), RenderOptions{});
  std::map<std::string, int> ids;
  const std::regex id_re("\\sid=\"([^\"]+)\"");
  for (std::sregex_iterator it(html.begin(), html.end(), id_re), end; it != end; ++it) ++ids[(*it)[1]];
  for (const auto& [id, n] : ids) EXPECT_EQ(n, 1) << "duplicate id " << id;
  const std::regex ref_re("(?:href=\"#|url\\(#)([^\")]+)");
  std::size_t refs = 0;
  for (std::sregex_iterator it(html.begin(), html.end(), ref_re), end; it != end; ++it, ++refs)
    EXPECT_EQ(ids.count((*it)[1]), 1u) << "dangling reference #" << (*it)[1];
  EXPECT_GT(refs, 50u);  // glyph uses of three figures, plus the contents links
}

TEST(ReportHtml, EscapesSpecialCharactersAndKeepsUtf8) {
  const std::string html = render_html(sample_report(), RenderOptions{});
  EXPECT_NE(html.find("<caption>Escapes: &lt;b&gt;not bold&lt;/b&gt; &amp; &quot;quotes&quot; | pipes</caption>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>A &amp; B &amp;amp;</td>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"level\">\u2264 60 years old</td>"), std::string::npos);
  EXPECT_NE(html.find("0.701\u20132.133"), std::string::npos);
  EXPECT_NE(html.find("<td>\u2264 5 \u2013 \u2265 2 \u00b5g</td>"), std::string::npos);
  EXPECT_NE(html.find("<td>line one<br>line two</td>"), std::string::npos);
  // "(N = 39)" is kept on one line; the header still wraps between words.
  EXPECT_NE(html.find("<th scope=\"col\">Group-LI (N&nbsp;=&nbsp;39)</th>"), std::string::npos);
}

TEST(ReportHtml, PngEmbeddingUsesBase64DataUris) {
  RenderOptions opt;
  opt.figure_embed = FigureEmbed::Png;
  opt.link_files = false;
  const StudyReport r = sample_report();
  const std::string html = render_html(r, opt);
  // "iVBORw0KGgo" is the base64 of the PNG signature.
  EXPECT_EQ(count(html, "src=\"data:image/png;base64,iVBORw0KGgo"), r.figures.size());
  EXPECT_EQ(count(html, "<svg "), 0u);
  EXPECT_EQ(html.find("href=\"tables/"), std::string::npos);
  EXPECT_EQ(html.find("href=\"figures/"), std::string::npos);
}

// ------------------------------------------------------------------------ CSV, Markdown

TEST(ReportCsv, RoundTripsEveryCellText) {
  for (const auto& t : sample_report().tables) {
    const std::string csv = render_table_csv(t);
    ASSERT_FALSE(csv.rfind("\xEF\xBB\xBF", 0) == 0) << "no byte-order mark";
    const auto grid = survkit::test::parse_csv_text(csv);
    ASSERT_EQ(grid.size(), t.rows.size() + 1) << t.id;
    EXPECT_EQ(grid[0], flat_header(t)) << t.id;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      ASSERT_EQ(grid[r + 1].size(), t.header.size()) << t.id << " row " << r;
      for (std::size_t c = 0; c < t.header.size(); ++c) EXPECT_EQ(grid[r + 1][c], t.rows[r].cells[c].text);
    }
  }
}

TEST(ReportCsv, QuotesCommasQuotesAndLineBreaks) {
  const std::string csv = render_table_csv(report_test::awkward());
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "\"Label, with comma\",\"Value \"\"quoted\"\"\",Pipe | here");
  EXPECT_NE(csv.find("a|b,\"x, \"\"y\"\"\",<script>alert(1)</script>\n"), std::string::npos);
  EXPECT_NE(csv.find(",\"line one\nline two\"\n"), std::string::npos);
  EXPECT_NE(csv.find("\u2264 5 \u2013 \u2265 2 \u00b5g,\" padded \",\n"), std::string::npos);
}

TEST(ReportCsv, HeaderGroupsAreFoldedIntoColumnNames) {
  const auto h = flat_header(report_test::table5());
  ASSERT_EQ(h.size(), 9u);
  EXPECT_EQ(h[0], "");
  EXPECT_EQ(h[1], "Before PSM: Group-LI (N = 39)");
  EXPECT_EQ(h[3], "Before PSM: P");
  EXPECT_EQ(h[8], "After PSM: SMD");
  EXPECT_EQ(flat_header(report_test::table1()), report_test::table1().header);
}

// Reads the pipe table of a Markdown file back: splits on unescaped pipes, undoes the
// backslash escapes and <br>, strips the level indentation.
std::vector<std::vector<std::string>> parse_md_table(const std::string& md) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(md);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '|') continue;
    std::vector<std::string> cells;
    std::string cell;
    for (std::size_t i = 1; i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        cell += line[++i];
      } else if (line[i] == '|') {
        cells.push_back(cell);
        cell.clear();
      } else {
        cell += line[i];
      }
    }
    for (auto& c : cells) {
      // Markdown trims the ASCII spaces around a cell (not the em spaces of the indent).
      const auto b = c.find_first_not_of(' ');
      c = b == std::string::npos ? std::string() : c.substr(b, c.find_last_not_of(' ') - b + 1);
      while (c.rfind("\u2003", 0) == 0) c.erase(0, 3);
      for (std::size_t p; (p = c.find("<br>")) != std::string::npos;) c.replace(p, 4, "\n");
    }
    rows.push_back(cells);
  }
  if (rows.size() >= 2) rows.erase(rows.begin() + 1);  // the alignment row
  return rows;
}

TEST(ReportMarkdown, RoundTripsEveryCellTextButPaddingSpaces) {
  for (const auto& t : sample_report().tables) {
    const std::string md = render_table_markdown(t);
    const auto grid = parse_md_table(md);
    ASSERT_EQ(grid.size(), t.rows.size() + 1) << t.id;
    EXPECT_EQ(grid[0], flat_header(t)) << t.id;
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      ASSERT_EQ(grid[r + 1].size(), t.header.size()) << t.id << " row " << r;
      for (std::size_t c = 0; c < t.header.size(); ++c) {
        std::string expect = t.rows[r].cells[c].text;
        if (expect == " padded ") expect = expect.substr(1, expect.size() - 2);  // Markdown trims cells
        EXPECT_EQ(grid[r + 1][c], expect) << t.id << " row " << r << " col " << c;
      }
    }
    for (const auto& note : t.notes) EXPECT_NE(md.find(note), std::string::npos);
  }
}

TEST(ReportMarkdown, EscapesPipesAndMarkupAndIndentsLevels) {
  const std::string md = render_table_markdown(report_test::awkward());
  EXPECT_EQ(md.rfind("**Escapes: \\<b>not bold\\</b> & \"quotes\" \\| pipes**\n\n", 0), 0u);
  EXPECT_NE(md.find("| a\\|b | x, \"y\" | \\<script>alert(1)\\</script> |"), std::string::npos);
  EXPECT_NE(md.find("| A & B \\&amp; | \\*not emphasis\\* \\_nor this\\_ \\`code\\` \\\\ \\[x\\] | line one<br>line two |"),
            std::string::npos);
  const std::string t1 = render_table_markdown(report_test::table1());
  EXPECT_NE(t1.find("| Gender |"), std::string::npos);
  EXPECT_NE(t1.find("| \u2003\u2003\u2264 60 years old | 66 | 51.2% |"), std::string::npos);
  EXPECT_NE(t1.find("| < 0.001 |"), std::string::npos);  // '<' before a space stays readable
  EXPECT_NE(t1.find("| :--- | :---: |"), std::string::npos);
}

// -------------------------------------------------------------------------------- JSON

TEST(ReportJson, HoldsEveryNumberBitForBit) {
  const StudyReport r = sample_report();
  const auto j = nlohmann::json::parse(render_json(r));
  EXPECT_EQ(j["format"], "survkit-study-report");
  EXPECT_EQ(j["software"], r.software);
  EXPECT_EQ(j["flow"]["n_read"], 127);
  EXPECT_EQ(j["flow"]["n_analysed"], 119);
  ASSERT_EQ(j["flow"]["steps"].size(), r.flow.size());
  for (std::size_t i = 0; i < r.flow.size(); ++i) {
    EXPECT_EQ(j["flow"]["steps"][i]["criterion"], r.flow[i].criterion);
    EXPECT_EQ(j["flow"]["steps"][i]["excluded"], r.flow[i].excluded);
    EXPECT_EQ(j["flow"]["steps"][i]["remaining"], r.flow[i].remaining);
  }
  // The study's tables under "tables", the published ones under "published"; the flow's
  // table is not repeated (its counts are "flow").
  std::vector<const ReportTable*> study_tables;
  std::vector<const nlohmann::json*> json_tables;
  for (const auto& t : r.tables)
    if (t.section == TableSection::Main) study_tables.push_back(&t);
  for (const auto& t : r.tables)
    if (t.section == TableSection::Published) study_tables.push_back(&t);
  for (const auto& jt : j["tables"]) json_tables.push_back(&jt);
  for (const auto& jt : j["published"]["tables"]) json_tables.push_back(&jt);
  ASSERT_EQ(json_tables.size(), study_tables.size());
  ASSERT_EQ(json_tables.size(), r.tables.size() - 1);
  std::size_t numbers = 0;
  for (std::size_t t = 0; t < study_tables.size(); ++t) {
    const auto& jt = *json_tables[t];
    const auto& rt = *study_tables[t];
    EXPECT_EQ(jt["id"], rt.id);
    EXPECT_EQ(jt["title"], rt.title);
    EXPECT_EQ(jt["header"].get<std::vector<std::string>>(), rt.header);
    EXPECT_EQ(jt["header_groups"].size(), rt.header_groups.size());
    EXPECT_EQ(jt["notes"].get<std::vector<std::string>>(), rt.notes);
    EXPECT_EQ(jt["files"]["csv"], "tables/" + rt.id + ".csv");
    ASSERT_EQ(jt["rows"].size(), rt.rows.size());
    for (std::size_t i = 0; i < rt.rows.size(); ++i) {
      EXPECT_EQ(jt["rows"][i]["level"], rt.rows[i].level);
      for (std::size_t c = 0; c < rt.rows[i].cells.size(); ++c) {
        const auto& jc = jt["rows"][i]["cells"][c];
        const auto& rc = rt.rows[i].cells[c];
        EXPECT_EQ(jc["text"], rc.text);
        if (is_na(rc.value)) {
          EXPECT_TRUE(jc["value"].is_null());
        } else {
          EXPECT_EQ(jc["value"].get<double>(), rc.value);  // exact: shortest round-trip output
          ++numbers;
        }
      }
    }
  }
  EXPECT_GT(numbers, 40u);
  // Figures: curves and risk tables exactly, NA in the Love plot as null.
  ASSERT_EQ(j["figures"].size(), 3u);
  const auto& km = j["figures"][0]["km"];
  EXPECT_EQ(j["figures"][0]["kind"], "km");
  EXPECT_EQ(km["curves"][1]["time"].get<std::vector<double>>(), r.figures[0].km.curves[1].time);
  EXPECT_EQ(km["curves"][1]["survival"].get<std::vector<double>>(), r.figures[0].km.curves[1].survival);
  EXPECT_EQ(km["curves"][0]["censor_time"].get<std::vector<double>>(), r.figures[0].km.curves[0].censor_time);
  EXPECT_EQ(km["risk_table"]["ticks"].get<std::vector<double>>(), r.figures[0].km.risk.ticks);
  EXPECT_EQ(km["risk_table"]["n_at_risk"][0].get<std::vector<double>>(), r.figures[0].km.risk.n_at_risk[0]);
  const auto& love = j["figures"][2]["love"];
  EXPECT_EQ(j["figures"][2]["kind"], "love");
  EXPECT_EQ(love["smd_before"][2].get<double>(), 1.0763);
  EXPECT_TRUE(love["smd_before"][4].is_null());
  EXPECT_EQ(j["methods"], r.methods);
  EXPECT_EQ(j["warnings"].get<std::vector<std::string>>(), r.warnings);
}

// -------------------------------------------------------------------------------- XLSX

TEST(ReportXlsx, NumberFormatsShowWhatTheTextShows) {
  // Hand-checked: each format applied to the value prints exactly the text.
  EXPECT_EQ(excel_number_format("0.479", 0.47912345), "0.000");
  EXPECT_EQ(excel_number_format("1.000", 0.99996), "0.000");
  EXPECT_EQ(excel_number_format("62", 62), "0");
  EXPECT_EQ(excel_number_format("-0.35", -0.3512), "0.00");
  EXPECT_EQ(excel_number_format("50.3%", 0.50312), "0.0%");       // a proportion
  EXPECT_EQ(excel_number_format("50.3%", 50.312), "0.0\"%\"");    // already a percentage
  EXPECT_EQ(excel_number_format("1,234.5", 1234.5), "#,##0.0");
  EXPECT_EQ(excel_number_format("< 0.001", 0.000123), "\"< 0.001\";\"< 0.001\";\"< 0.001\"");
  EXPECT_EQ(excel_number_format("say \"hi\"", 1), "\"say \"\\\"\"hi\"\\\"\"\";\"say \"\\\"\"hi\"\\\"\"\";\"say \"\\\"\"hi\"\\\"\"\"");
  // Text that does not round from the value: shown literally, never a wrong number.
  EXPECT_EQ(excel_number_format("0.500", 0.7), "\"0.500\";\"0.500\";\"0.500\"");
  EXPECT_EQ(excel_number_format("1,23", 123), "\"1,23\";\"1,23\";\"1,23\"");
  EXPECT_EQ(excel_number_format("", 1), "");
  EXPECT_EQ(excel_number_format("NA", NA), "");
  EXPECT_EQ(excel_number_format(std::string(300, 'x'), 1), "");  // too long for Excel: write text
}

TEST(ReportXlsx, SheetNamesAreValidUniqueAndShort) {
  StudyReport r;
  for (const char* id : {"table1_os", "a_very_long_table_identifier_that_goes_on_and_on",
                         "a_very_long_table_identifier_that_goes_on_and_on_too", "TABLE1_OS", "bad:name?"}) {
    ReportTable t;
    t.id = id;
    r.tables.push_back(t);
  }
  const auto names = xlsx_sheet_names(r);
  ASSERT_EQ(names.size(), 5u);
  EXPECT_EQ(names[0], "table1_os");
  EXPECT_EQ(names[1], "a_very_long_table_identifier_th");  // 31 characters
  EXPECT_EQ(names[2], "a_very_long_table_identifier__2");  // 29 + "_2"
  EXPECT_EQ(names[3], "TABLE1_OS_2");  // Excel compares sheet names case-insensitively
  EXPECT_EQ(names[4], "bad_name_");
  for (const auto& n : names) EXPECT_LE(n.size(), 31u);
}

// Runs a command and returns its standard output.
std::string capture(const std::string& cmd) {
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  if (!p) return {};
  std::string out;
  char buf[4096];
  std::size_t got;
  while ((got = fread(buf, 1, sizeof buf, p.get())) > 0) out.append(buf, got);
  return out;
}

TEST(ReportXlsx, IsAWorkbookWithOneSheetPerTableAndNumbersAsNumbers) {
  if (std::system("command -v unzip >/dev/null 2>&1") != 0) GTEST_SKIP() << "unzip is not installed";
  TempDir tmp;
  const StudyReport r = sample_report();
  const std::string path = (tmp.path / "tables.xlsx").string();
  write_xlsx(r, path);
  const std::string bytes = slurp(path);
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(0, 2), "PK");
  const std::string listing = capture("unzip -l '" + path + "'");
  for (std::size_t i = 1; i <= r.tables.size(); ++i)
    EXPECT_NE(listing.find("xl/worksheets/sheet" + std::to_string(i) + ".xml"), std::string::npos) << i;
  EXPECT_EQ(listing.find("xl/worksheets/sheet" + std::to_string(r.tables.size() + 1) + ".xml"), std::string::npos);
  const std::string workbook = capture("unzip -p '" + path + "' xl/workbook.xml");
  for (const auto& name : xlsx_sheet_names(r)) EXPECT_NE(workbook.find("name=\"" + name + "\""), std::string::npos);

  // One sheet per table of every section, in report order: the flow first, the
  // published ones last.
  const auto sheet = [&](const std::string& id) {
    std::size_t i = 0;
    while (i < r.tables.size() && r.tables[i].id != id) ++i;
    return capture("unzip -p '" + path + "' xl/worksheets/sheet" + std::to_string(i + 1) + ".xml");
  };
  ASSERT_EQ(r.tables.front().id, "patient_flow");
  ASSERT_EQ(r.tables.back().id, "published_consistency");
  // Number cells have no type attribute (t="s" marks a shared string).
  const std::regex num_cell("<c r=\"([A-Z]+[0-9]+)\"(?: s=\"[0-9]+\")?><v>([-0-9.E+]+)</v></c>");
  const auto numbers_of = [&](const std::string& xml) {
    std::map<std::string, double> out;
    for (std::sregex_iterator it(xml.begin(), xml.end(), num_cell), end; it != end; ++it)
      out[(*it)[1]] = std::stod((*it)[2]);
    return out;
  };
  // The flow's counts and the published comparison's values are numbers too (layout:
  // title row 1, blank row 2, header row 3, body from row 4).
  auto flow = numbers_of(sheet("patient_flow"));
  EXPECT_EQ(flow["C4"], 127);  // records read
  EXPECT_EQ(flow["B5"], 2);    // the first exclusion
  EXPECT_EQ(flow["C9"], 119);  // analysed
  auto published = numbers_of(sheet("published_vs_reproduced"));
  EXPECT_EQ(published["C6"], 1.223);
  EXPECT_EQ(published["D6"], 1.3012);
  EXPECT_EQ(numbers_of(sheet("published_consistency"))["C5"], 0.375);
  // Table 1: the female HR is a number cell with the full value (libxlsxwriter writes 16
  // significant digits, "%.16G", hence the 1e-15 relative tolerance) and the "< 0.001" P
  // is a number cell too.
  const std::string sheet1 = sheet("table1_os");
  auto values = numbers_of(sheet1);
  // Layout: title row 1, blank row 2, header row 3, body from row 4 (Gender heading,
  // Male, Female, Age heading, <= 60, > 60).
  ASSERT_EQ(values.count("E6"), 1u) << sheet1;
  EXPECT_NEAR(values["E6"], 1.2231234567890123, 1.2231234567890123 * 1e-15);
  EXPECT_NEAR(values["G9"], 0.000123456789, 0.000123456789 * 1e-15);
  EXPECT_EQ(values["B5"], 62);
  EXPECT_NEAR(values["C5"], 0.50312345678901234, 1e-15);
  EXPECT_EQ(values.count("D9"), 0u);  // NA: written as the text "NA"
  // The number formats that make them display as the text.
  const std::string styles = capture("unzip -p '" + path + "' xl/styles.xml");
  EXPECT_NE(styles.find("formatCode=\"0.0%\""), std::string::npos);
  EXPECT_NE(styles.find("formatCode=\"0.000\""), std::string::npos);
  EXPECT_NE(styles.find("formatCode=\"&quot;&lt; 0.001&quot;;"), std::string::npos);
  EXPECT_NE(styles.find("<alignment horizontal=\"left\" indent=\"1\"/>"), std::string::npos);
  // Texts are UTF-8 shared strings; Table 5 merges its header groups.
  const std::string strings = capture("unzip -p '" + path + "' xl/sharedStrings.xml");
  EXPECT_NE(strings.find("\u2264 60 years old"), std::string::npos);
  EXPECT_NE(strings.find("0.701\u20132.133"), std::string::npos);
  EXPECT_NE(strings.find("&lt;script&gt;"), std::string::npos);
  const std::string sheet3 = sheet(report_test::table5().id);
  EXPECT_NE(sheet3.find("<mergeCell ref=\"B3:E3\"/>"), std::string::npos);
  EXPECT_NE(sheet3.find("<mergeCell ref=\"F3:I3\"/>"), std::string::npos);
}

TEST(ReportXlsx, UnwritablePathIsAnIoError) {
  EXPECT_THROW(write_xlsx(sample_report(), "/nonexistent-folder/tables.xlsx"), survkit::IoError);
}

// ----------------------------------------------------------------------- report folder

// The study's analysis_data.csv and reproduce.R go into the folder with the rest.
TEST(ReportDir, WritesTheAttachments) {
  TempDir tmp;
  StudyReport r = sample_report();
  r.attachments = {{"analysis_data.csv", "line,group\n2,A\n"}, {"reproduce.R", "library(survival)\n"}};
  const auto files = write_report_dir(r, (tmp.path / "out").string(), RenderOptions{});
  for (const auto& a : r.attachments) {
    EXPECT_NE(std::find(files.files.begin(), files.files.end(), a.name), files.files.end()) << a.name;
    EXPECT_EQ(slurp(tmp.path / "out" / a.name), a.content);
  }
}

TEST(ReportDir, WritesEveryFile) {
  TempDir tmp;
  const StudyReport r = sample_report();
  const auto files = write_report_dir(r, (tmp.path / "out").string(), RenderOptions{});
  EXPECT_EQ(files.tables, r.tables.size());
  EXPECT_EQ(files.figures, r.figures.size());
  std::set<std::string> expected{"report.html", "report.docx", "tables.docx", "results.json", "tables.xlsx"};
  for (const auto& t : r.tables) {
    expected.insert("tables/" + t.id + ".csv");
    expected.insert("tables/" + t.id + ".md");
  }
  for (const auto& f : r.figures)
    for (const char* ext : {".svg", ".png", ".pdf"}) expected.insert("figures/" + f.id + ext);
  EXPECT_EQ(std::set<std::string>(files.files.begin(), files.files.end()), expected);
  std::set<std::string> on_disk;
  for (const auto& e : fs::recursive_directory_iterator(tmp.path / "out"))
    if (e.is_regular_file()) on_disk.insert(fs::relative(e.path(), tmp.path / "out").string());
  EXPECT_EQ(on_disk, expected);
  EXPECT_EQ(tmp.entries(), std::vector<std::string>{"out"});  // no staging folder left
  // Each file is what its renderer gives.
  EXPECT_EQ(slurp(tmp.path / "out/tables/table1_os.csv"), render_table_csv(report_test::table1()));
  EXPECT_EQ(slurp(tmp.path / "out/tables/patient_flow.csv"), render_table_csv(r.tables.front()));
  EXPECT_EQ(slurp(tmp.path / "out/tables/published_consistency.csv"), render_table_csv(r.tables.back()));
  EXPECT_EQ(slurp(tmp.path / "out/results.json"), render_json(r));
  EXPECT_EQ(slurp(tmp.path / "out/report.docx"), render_docx(r));  // deterministic: same bytes
  EXPECT_EQ(slurp(tmp.path / "out/tables.docx"), render_tables_docx(r));
  const std::string png = slurp(tmp.path / "out/figures/figure1a_os_before_matching.png");
  EXPECT_EQ(png.substr(1, 3), "PNG");
  EXPECT_EQ(slurp(tmp.path / "out/figures/figure2_love_plot.pdf").substr(0, 5), "%PDF-");
  const std::string svg = slurp(tmp.path / "out/figures/figure1b_os_after_matching.svg");
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  // The page inlines the same SVG that was written as a file (ids prefixed).
  const std::string html = slurp(tmp.path / "out/report.html");
  EXPECT_NE(html.find("viewBox"), std::string::npos);
}

TEST(ReportDir, ReplacesAPreviousReportButNeverAnUnrelatedFolder) {
  TempDir tmp;
  const fs::path out = tmp.path / "out";
  StudyReport r = sample_report();
  write_report_dir(r, out.string(), RenderOptions{});
  r.title = "Second run";
  std::erase_if(r.tables, [](const ReportTable& t) { return t.id == "escapes"; });
  write_report_dir(r, out.string() + "/", RenderOptions{});  // trailing slash is the same folder
  EXPECT_NE(slurp(out / "report.html").find("<h1>Second run</h1>"), std::string::npos);
  EXPECT_FALSE(fs::exists(out / "tables/escapes.csv"));  // nothing stale from the first run
  EXPECT_EQ(tmp.entries(), std::vector<std::string>{"out"});

  const fs::path mine = tmp.path / "mine";
  fs::create_directory(mine);
  std::ofstream(mine / "thesis.docx") << "precious";
  EXPECT_THROW(write_report_dir(r, mine.string(), RenderOptions{}), survkit::IoError);
  EXPECT_EQ(slurp(mine / "thesis.docx"), "precious");
  std::ofstream(tmp.path / "afile") << "x";
  EXPECT_THROW(write_report_dir(r, (tmp.path / "afile").string(), RenderOptions{}), survkit::IoError);
  EXPECT_THROW(write_report_dir(r, ".", RenderOptions{}), survkit::IoError);
  EXPECT_EQ(tmp.entries(), (std::vector<std::string>{"afile", "mine", "out"}));
}

TEST(ReportDir, AFailingRenderLeavesNoFolderAndNoStagingBehind) {
  TempDir tmp;
  StudyReport bad = sample_report();
  // Unsorted times: render_km_plot rejects the last figure, after the tables and the
  // first figures were already written to the staging folder.
  std::swap(bad.figures[1].km.curves[0].time[0], bad.figures[1].km.curves[0].time[3]);
  EXPECT_THROW(write_report_dir(bad, (tmp.path / "out").string(), RenderOptions{}), survkit::InputError);
  EXPECT_TRUE(tmp.entries().empty());

  // With a previous report in place, the failure leaves it untouched.
  const StudyReport good = sample_report();
  write_report_dir(good, (tmp.path / "out").string(), RenderOptions{});
  const std::string before = slurp(tmp.path / "out/report.html");
  EXPECT_THROW(write_report_dir(bad, (tmp.path / "out").string(), RenderOptions{}), survkit::InputError);
  EXPECT_EQ(slurp(tmp.path / "out/report.html"), before);
  EXPECT_EQ(tmp.entries(), std::vector<std::string>{"out"});

  // A bad id (a path) is refused before anything is written.
  StudyReport evil = sample_report();
  evil.tables[0].id = "../escape";
  EXPECT_THROW(write_report_dir(evil, (tmp.path / "out2").string(), RenderOptions{}), std::logic_error);
  EXPECT_EQ(tmp.entries(), std::vector<std::string>{"out"});
}

}  // namespace
