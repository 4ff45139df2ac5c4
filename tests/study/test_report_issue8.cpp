// Issue 8, the report a clinician reads without a second look: the matching-eligibility
// flow line (§3), matched.csv (§4), reference levels named in the notes, cut variables'
// references and term names, error and warning prefixes, time ticks of the KM figures
// and their `time_breaks` (§8), and the CI limits and named numbers of results.json (§1).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <unistd.h>

#include "study/analyses.hpp"
#include "study/study_support.hpp"
#include "support/temp_dir.hpp"
#include <survkit/propensity.hpp>
#include <survkit/render.hpp>
#include <survkit/study.hpp>

using namespace survkit;

namespace {

/// 40 patients, every x1 x2 pattern in both arms (no separation); x1 is missing for rows 5, 10, 15 and x2 for rows 10, 20, 25 (row 10
/// lacks both: counted under x1, the first matching covariate).
Table s_data() {
  std::string text = "t,d,arm,sex,x1,x2,sep\n";
  for (int i = 0; i < 40; ++i) {
    const bool treated = i % 2 == 1;
    const std::string x1 = (i == 5 || i == 10 || i == 15) ? "" : std::to_string((i * 5) % 7 > 3 ? 1 : 0);
    const std::string x2 = (i == 10 || i == 20 || i == 25) ? "" : std::to_string((i / 4) % 2);
    text += std::to_string(1 + (i * 7) % 23) + "," + (i % 3 ? "1" : "0") + "," + (treated ? "a" : "b") + "," +
            (i % 4 < 2 ? "m" : "f") + "," + x1 + "," + x2 + "," + (treated ? "1" : "0") + "\n";
  }
  CsvOptions o;
  o.source = "s.csv";
  return parse_csv(text, o);
}

std::string s_spec(const std::string& x1_reference = "> 0", const std::string& matching = "[\"x1\", \"x2\"]") {
  return "[data]\nfile = \"s.csv\"\n"
         "[[variable]]\nname = \"sex\"\nvalues = [\"m\", \"f\"]\nreference = \"f\"\n"
         "[[variable]]\nname = \"x1\"\nlabel = \"Nodes\"\ncuts = [0]\nlabels = [\"none\", \"some\"]\nreference = \"" +
         x1_reference +
         "\"\n"
         "[[variable]]\nname = \"x2\"\ncuts = [0]\n"
         "[[variable]]\nname = \"sep\"\nlabel = \"Sep\"\ncuts = [0]\nbaseline = false\n"
         "[group]\nfrom = \"arm\"\nvalues = [\"a\", \"b\"]\n"
         "[[endpoint]]\nid = \"os\"\ntime = \"t\"\nstatus = \"d\"\nunit = \"days\"\n"
         "[analysis]\nlandmarks = [10]\nmultivariable = [\"group\", \"sex\", \"x1\"]\n"
         "[matching]\ntreated = \"a\"\ncovariates = " +
         matching + "\n";
}

const StudyReport& s_report() {
  static const StudyReport r = run_study(parse_study_spec(s_spec(), "study.toml"), s_data());
  return r;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  for (std::string f; std::getline(in, f, ',');) out.push_back(f);
  return out;
}

}  // namespace

TEST(StudyIssue8, MatchingEligibilityFlowLinePerFirstMissingCovariate) {
  const StudyReport& r = s_report();
  ASSERT_EQ(r.n_analysed, 40u);
  ASSERT_EQ(r.matching_flow.size(), 2u);
  EXPECT_EQ(r.matching_flow[0].criterion, "Not eligible for matching: missing Nodes");
  EXPECT_EQ(r.matching_flow[0].excluded, 3u);  // rows 5, 10 (also lacks x2), 15
  EXPECT_EQ(r.matching_flow[0].remaining, 37u);
  EXPECT_EQ(r.matching_flow[1].criterion, "Not eligible for matching: missing x2");
  EXPECT_EQ(r.matching_flow[1].excluded, 2u);  // rows 20, 25
  EXPECT_EQ(r.matching_flow[1].remaining, 35u);
  const std::string html = render::render_html(r, render::RenderOptions{});
  EXPECT_NE(html.find("Not eligible for matching: missing Nodes"), std::string::npos);
  EXPECT_NE(html.find("<td>Eligible for matching</td><td></td><td>35</td>"), std::string::npos);
  const auto j = nlohmann::json::parse(render::render_json(r));
  EXPECT_EQ(j["flow"]["matching_steps"][1]["excluded"], 2);
  // Everyone eligible: no line.
  const StudyReport all = run_study(parse_study_spec(s_spec("> 0", "[\"sex\"]"), "study.toml"), s_data());
  EXPECT_TRUE(all.matching_flow.empty());
}

TEST(StudyIssue8, MatchedCsvHoldsTheMatchedPatientsAndIsWritten) {
  const StudySpec spec = parse_study_spec(s_spec(), "study.toml");
  const Table data = s_data();
  const StudyReport& r = s_report();
  const auto res = study::analyse_study(spec, data);
  const study::MatchingResults& m = *res->matching;
  std::string matched_csv;
  for (const auto& a : r.attachments)
    if (a.name == "matched.csv") matched_csv = a.content;
  const auto ls = lines(matched_csv);
  ASSERT_FALSE(ls.empty());
  EXPECT_EQ(ls[0], "t,d,arm,sex,x1,x2,sep,ps,distance,subclass,weight");
  std::size_t matched = 0;
  for (std::size_t u = 0; u < m.rows.size(); ++u) {
    if (!(m.result.match.weights[u] > 0)) continue;
    ++matched;
    ASSERT_LT(matched, ls.size());
    const auto f = fields(ls[matched]);
    ASSERT_EQ(f.size(), 11u);
    const std::size_t row = m.rows[u];  // analysed row = data row here (no filter)
    EXPECT_EQ(f[0], data.columns[0].text(row));
    EXPECT_EQ(f[2], data.columns[2].text(row));
    EXPECT_EQ(std::stod(f[7]), m.result.ps.score[u]);  // shortest round-trip: exact
    EXPECT_EQ(std::stod(f[8]), m.result.distance[u]);
    EXPECT_EQ(f[9], std::to_string(m.result.match.subclass[u]));
    EXPECT_EQ(f[10], "1");
    EXPECT_NE(f[4], "NA");  // only eligible patients are matched
    EXPECT_NE(f[5], "NA");
  }
  EXPECT_EQ(ls.size(), matched + 1);
  EXPECT_EQ(matched, m.result.match.treated.matched + m.result.match.control.matched);

  // The report folder holds it.
  const test_support::TempDir tmp("survkit-matched");
  const auto files = render::write_report_dir(r, tmp / "out", render::RenderOptions{});
  EXPECT_NE(std::find(files.files.begin(), files.files.end(), "matched.csv"), files.files.end());
  EXPECT_EQ(study_test::read_text(tmp / "out/matched.csv"), matched_csv);
}

TEST(StudyIssue8, NotesNameAReferenceLevelThatIsNotListedFirst) {
  const StudyReport& r = s_report();
  const ReportTable& t1 = study_test::table(r, "table1_os");
  ASSERT_EQ(t1.id, "table1_os");
  EXPECT_EQ(t1.notes[0].find("first-listed reference"), std::string::npos) << t1.notes[0];
  EXPECT_NE(t1.notes[0].find("the reference level (blank row; the first listed except sex: f and Nodes: some)"),
            std::string::npos)
      << t1.notes[0];
  const ReportTable& t2 = study_test::table(r, "table2_os");
  ASSERT_EQ(t2.id, "table2_os");
  EXPECT_NE(t2.notes[0].find("except sex: f and Nodes: some"), std::string::npos) << t2.notes[0];
  // The reference rows are the blank ones: f (second) and "some" (second).
  for (const auto& row : t1.rows)
    if (row.level == 1 && (row.cells[0].text == "f" || row.cells[0].text == "some")) {
      EXPECT_TRUE(row.cells[t1.header.size() - 3].text.empty()) << row.cells[0].text;
    }
}

TEST(StudyIssue8, CutReferenceByLabelOrExpressionAndAHelpfulError) {
  for (const std::string ref : {"> 0", ">0", "some"}) {
    const StudySpec spec = parse_study_spec(s_spec(ref), "study.toml");
    EXPECT_EQ(spec.variables[1].reference.name, "some") << ref;
  }
  EXPECT_EQ(parse_study_spec(s_spec("<=0"), "study.toml").variables[1].reference.name, "none");
  try {
    parse_study_spec(s_spec("big"), "study.toml");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("reference 'big' is not a level; give one of its cut expressions \"<= 0\", \"> 0\" or its "
                        "labels \"none\", \"some\""),
              std::string::npos)
        << what;
  }
}

TEST(StudyIssue8, SeparationErrorNamesTheTermByItsLabelsWithOnePrefix) {
  try {
    run_study(parse_study_spec(s_spec("> 0", "[\"sep\"]"), "study.toml"), s_data());
    FAIL() << "expected an AnalysisError";
  } catch (const AnalysisError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("[matching] propensity score model: perfect separation"), std::string::npos) << what;
    EXPECT_NE(what.find("predicted exactly by Sep: > 0 "), std::string::npos) << what;
    EXPECT_EQ(what.find("sep=> 0"), std::string::npos) << what;
    EXPECT_EQ(what.find("propensity score model", what.find("propensity score model") + 1), std::string::npos) << what;
  }
}

TEST(StudyIssue8, PropensityWarningsLeaveTheirPrefixToRunMatching) {
  // run_matching words the model's warnings "propensity score model: ..."; a warning
  // that already starts so would read "propensity score model: propensity score model ...".
  PropensityInput in;
  in.treat = {1, 0, 1, 0, 1, 0, 1, 1, 0, 0};
  in.x.resize(10, 1);
  for (Eigen::Index i = 0; i < 10; ++i) in.x(i, 0) = static_cast<double>((i * 3) % 7);
  in.terms = {"x"};
  PropensityOptions o;
  o.logistic.max_iter = 1;
  const PropensityResult r = fit_propensity(in, o);
  ASSERT_FALSE(r.model.converged);
  bool said = false;
  for (const auto& w : r.warnings) {
    EXPECT_NE(w.rfind("propensity score model", 0), 0u) << w;
    said = said || w == "did not converge in 1 iterations";
  }
  EXPECT_TRUE(said);
}

TEST(StudyIssue8, KmTicksAtTheUnitsNaturalStepsOrTheSpecsTimeBreaks) {
  const std::string toml = study_test::read_text(study_test::examples("crc-pm/study.toml"));
  const Table data = study_test::read_csv(study_test::examples("crc-pm/patients.csv"));
  const StudyReport r = run_study(parse_study_spec(toml, "study.toml"), data);
  for (const auto& f : r.figures) {
    if (f.kind != ReportFigure::Kind::Km) continue;
    const auto& ticks = f.km.risk.ticks;
    ASSERT_GE(ticks.size(), 4u);
    const double step = ticks[1] - ticks[0];
    EXPECT_TRUE(step == 6 || step == 12 || step == 24) << f.id << ": step " << step;
    double last = 0;
    for (const auto& c : f.km.curves) last = std::max(last, c.time.back());
    EXPECT_GE(ticks.back(), last) << f.id;  // the axis ends on a tick past the data
    EXPECT_LT(ticks.back() - step, last) << f.id;
  }
  std::string with_breaks = toml;
  with_breaks.replace(with_breaks.find("ci_bands = true"), 15, "ci_bands = true\ntime_breaks = 18");
  const StudyReport b = run_study(parse_study_spec(with_breaks, "study.toml"), data);
  EXPECT_EQ(b.figures[0].km.risk.ticks[1], 18.0);
  EXPECT_EQ(b.figures[0].km.risk.ticks[2], 36.0);
  EXPECT_EQ(b.figures[0].km.risk.n_at_risk[0].size(), b.figures[0].km.risk.ticks.size());
  try {
    with_breaks.replace(with_breaks.find("time_breaks = 18"), 16, "time_breaks = -1");
    parse_study_spec(with_breaks, "study.toml");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("time_breaks"), std::string::npos) << e.what();
  }
}

TEST(StudyIssue8, ResultsJsonCarriesCiLimitsAndTheTextsNumbers) {
  const StudyReport& r = s_report();
  const auto j = nlohmann::json::parse(render::render_json(r));
  std::size_t limits = 0;
  std::vector<const ReportTable*> tables;  // the study's tables: results.json's "tables"
  for (const auto& t : r.tables)
    if (t.section == TableSection::Main) tables.push_back(&t);
  ASSERT_EQ(j["tables"].size(), tables.size());
  for (std::size_t t = 0; t < tables.size(); ++t)
    for (std::size_t i = 0; i < tables[t]->rows.size(); ++i)
      for (std::size_t c = 0; c < tables[t]->rows[i].cells.size(); ++c) {
        const ReportCell& cell = tables[t]->rows[i].cells[c];
        const auto& jc = j["tables"][t]["rows"][i]["cells"][c];
        // Each limit on its own: a median's upper limit may be NR (NA) under a finite lower.
        for (const auto& [key, x] : {std::pair<const char*, double>{"lower", cell.lower}, {"upper", cell.upper}}) {
          if (is_na(x)) {
            EXPECT_TRUE(jc[key].is_null());
          } else {
            EXPECT_EQ(jc[key].get<double>(), x);  // exact: shortest round-trip output
            ++limits;
          }
        }
      }
  EXPECT_GT(limits, 5u);
  std::map<std::string, double> named;
  for (const auto& n : j["numbers"]) named[n["name"].get<std::string>()] = n["value"].is_null() ? NA : n["value"].get<double>();
  EXPECT_EQ(named.at("matching.not_eligible"), 5.0);
  EXPECT_EQ(named.at("spec.conf_level"), 0.95);
  EXPECT_EQ(named.at("group.n_before.a"), 20.0);
  EXPECT_EQ(named.count("os.multivariable.events"), 1u);
}

TEST(StudyIssue8, LongMapsAsTablesOfTheirOwnAsTheDocsShow) {
  // The form examples/crc-pm/study.toml and the README document for maps too long for
  // one line (an inline table may not span lines in TOML).
  std::string spec = s_spec();
  const std::string file = "file = \"s.csv\"\n", sex = "values = [\"m\", \"f\"]\nreference = \"f\"\n";
  spec.insert(spec.find(file) + file.size(), "[data.rename]\ngender = \"sex\"\n\"arm \" = \"arm\"\n");
  spec.insert(spec.find(sex) + sex.size(), "[variable.recode]\nM = \"m\"\nF = \"f\"\n");
  const StudySpec s = parse_study_spec(spec, "study.toml");
  std::vector<std::pair<std::string, std::string>> renames;
  for (const auto& [from, to] : s.renames) renames.emplace_back(from.name, to);
  std::sort(renames.begin(), renames.end());
  EXPECT_EQ(renames, (std::vector<std::pair<std::string, std::string>>{{"arm ", "arm"}, {"gender", "sex"}}));
  auto recode = s.variables[0].recode;
  std::sort(recode.begin(), recode.end());
  EXPECT_EQ(recode, (std::vector<std::pair<std::string, std::string>>{{"F", "f"}, {"M", "m"}}));
  EXPECT_EQ(s.variables[0].reference.name, "f");
  // And the one-line inline table broken over lines is the TOML error users meet.
  EXPECT_THROW(parse_study_spec(spec + "[dates]\nformats = { a = \"%Y-%m-%d\",\n b = \"%Y-%m-%d\" }\n", "study.toml"),
               InputError);
}
