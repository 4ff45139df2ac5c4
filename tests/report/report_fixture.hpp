// Test support for the report renderers: a hand-built StudyReport shaped like the published
// CRC-PM study's (a Table-1-like table with variable headings and level rows, a Cox table,
// a Table-5-like table with header groups, KM figures with risk tables, a Love plot, a
// patient flow with its table, a two-paragraph Methods text, warnings and a published
// section), plus a table of awkward characters for the escaping tests.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "survkit/report.hpp"

namespace report_test {

using namespace survkit;

inline ReportCell txt(std::string s) { return {std::move(s), NA}; }
inline ReportCell num(std::string s, double v) { return {std::move(s), v}; }

inline ReportRow row(int level, std::vector<ReportCell> cells) { return {level, std::move(cells)}; }

/// A heading row ("Gender") followed by nothing but empty cells.
inline ReportRow heading(std::string label, std::size_t ncol) {
  ReportRow r{0, {txt(std::move(label))}};
  r.cells.resize(ncol);
  return r;
}

inline ReportTable table1() {
  ReportTable t;
  t.id = "table1_os";
  t.title = "Table 1. Characteristics of 119 patients with CRC-PM and univariate analyses of predictive factors for OS";
  t.header = {"", "N", "3-year OS", "5-year OS", "HR", "95% CI", "P"};
  t.rows.push_back(heading("Gender", 7));
  t.rows.push_back(row(1, {txt("Male"), num("62", 62), num("50.3%", 0.50312345678901234), num("45.3%", 0.4528),
                           txt(""), txt(""), txt("")}));
  t.rows.push_back(row(1, {txt("Female"), num("57", 57), num("44.1%", 0.44087), num("39.7%", 0.39712),
                           num("1.223", 1.2231234567890123), txt("0.701\u20132.133"), num("0.479", 0.47912345)}));
  t.rows.push_back(heading("Age", 7));
  t.rows.push_back(row(1, {txt("\u2264 60 years old"), num("66", 66), num("51.2%", 0.5123), num("42.8%", 0.4281),
                           txt(""), txt(""), txt("")}));
  t.rows.push_back(row(1, {txt("> 60 years old"), num("53", 53), num("43.0%", 0.43), num("NA", NA),
                           num("1.861", 1.86140001), txt("1.067\u20133.245"), num("< 0.001", 0.000123456789)}));
  t.notes = {"OS, overall survival; HR, hazard ratio; CI, confidence interval.",
             "Rates are Kaplan\u2013Meier estimates; HR from univariate Cox models (Efron ties)."};
  return t;
}

inline ReportTable table3() {
  ReportTable t;
  t.id = "table3_os_multivariable";
  t.title = "Table 3. Multivariable Cox model for OS";
  t.header = {"Variable", "HR", "95% CI", "P"};
  t.rows.push_back(row(0, {txt("CEA > 5 ng/ml"), num("2.104", 2.10412345), txt("1.190\u20133.720"), num("0.011", 0.0108)}));
  t.rows.push_back(row(0, {txt("Chemotherapy alone"), num("3.304", 3.3041), txt("1.187\u20139.196"), num("0.022", 0.0221)}));
  return t;
}

inline ReportTable table5() {
  ReportTable t;
  t.id = "table5_matching";
  t.title = "Table 5. Characteristics of CRC-PM patients before and after PSM";
  t.header = {"", "Group-LI (N = 39)", "Group-Chem (N = 80)", "P", "SMD",
              "Group-LI (N = 24)", "Group-Chem (N = 24)", "P", "SMD"};
  t.header_groups = {{"", 1}, {"Before PSM", 4}, {"After PSM", 4}};
  t.rows.push_back(row(0, {txt("Gender"), txt(""), txt(""), num("0.295", 0.2951), num("0.212", 0.21234),
                           txt(""), txt(""), num("0.083", 0.0831), num("0.500", 0.5)}));
  t.rows.push_back(row(1, {txt("Male"), num("23", 23), num("39", 39), txt(""), txt(""), num("9", 9), num("15", 15),
                           txt(""), txt("")}));
  t.rows.push_back(row(1, {txt("Female"), num("16", 16), num("41", 41), txt(""), txt(""), num("15", 15), num("9", 9),
                           txt(""), txt("")}));
  t.rows.push_back(row(0, {txt("Distribution of PM"), txt(""), txt(""), num("< 0.001", 2.3e-7), num("1.076", 1.0763),
                           txt(""), txt(""), num("0.773", 0.7729), num("0.083", 0.0833)}));
  t.rows.push_back(row(1, {txt("Unilateral"), num("26", 26), num("15", 15), txt(""), txt(""), num("12", 12),
                           num("11", 11), txt(""), txt("")}));
  t.rows.push_back(row(1, {txt("Bilateral"), num("13", 13), num("65", 65), txt(""), txt(""), num("12", 12),
                           num("13", 13), txt(""), txt("")}));
  t.notes = {"P: chi-square test; Fisher's exact test where an expected count is below 5 (marked \u2020)."};
  return t;
}

/// Cells that need escaping in every format.
inline ReportTable awkward() {
  ReportTable t;
  t.id = "escapes";
  t.title = "Escapes: <b>not bold</b> & \"quotes\" | pipes";
  t.header = {"Label, with comma", "Value \"quoted\"", "Pipe | here"};
  t.rows.push_back(row(0, {txt("a|b"), txt("x, \"y\""), txt("<script>alert(1)</script>")}));
  t.rows.push_back(row(0, {txt("A & B &amp;"), txt("*not emphasis* _nor this_ `code` \\ [x]"), txt("line one\nline two")}));
  t.rows.push_back(row(0, {txt("\u2264 5 \u2013 \u2265 2 \u00b5g"), txt(" padded "), txt("")}));
  return t;
}

/// The published-vs-reproduced section's two tables (section Published), as the study
/// builds them: the comparison and the consistency checks with their notes.
inline std::vector<ReportTable> published_tables() {
  ReportTable cmp;
  cmp.id = "published_vs_reproduced";
  cmp.title = "Published vs reproduced";
  cmp.header = {"Row / column", "Published in", "Published", "Reproduced", "Difference", "Verdict"};
  cmp.rows.push_back(row(0, {txt("Table 1 (table1_os)"), txt(""), txt(""), txt(""), txt(""), txt("")}));
  cmp.rows.push_back(row(1, {txt("Gender / Male · N"), txt("Table 1"), num("62", 62), num("62", 62), num("0", 0),
                             txt("same as printed")}));
  cmp.rows.push_back(row(1, {txt("Gender / Female · HR"), txt("Table 1"), num("1.223", 1.223), num("1.301", 1.3012),
                             num("+0.078", 0.078), txt("differs")}));
  cmp.notes = {"1 of 2 published numbers reproduced (1 differ)."};
  cmp.section = TableSection::Published;
  ReportTable checks;
  checks.id = "published_consistency";
  checks.title = "Internal consistency of the published numbers";
  checks.header = {"Check / subject", "Published", "Recomputed", "Verdict", "Finding"};
  checks.rows.push_back(row(0, {txt("p-from-hr-ci"), txt(""), txt(""), txt(""), txt("")}));
  checks.rows.push_back(row(1, {txt("Table 1, Age / > 60 years old"), txt("HR 1.285; CI 0.739–2.236; P 0.373"),
                                num("P = 0.375", 0.375), txt("inconsistent"),
                                txt("the HR and CI as printed give P from 0.374 to 0.376")}));
  checks.notes = {"2 checks: 1 consistent, 1 inconsistent (survkit check-paper).", "Listed: the inconsistent ones."};
  checks.section = TableSection::Published;
  return {cmp, checks};
}

/// A curve of n patients, one event every `gap` months, a censored patient after every
/// third event, survivors censored at `end`.  With 95% limits of +-0.1, clipped to [0, 1].
inline KmCurve curve(std::string label, int n, double gap, double end) {
  KmCurve c;
  c.label = std::move(label);
  double s = 1;
  int at_risk = n, k = 0;
  const auto push = [&](double t) {
    c.time.push_back(t);
    c.survival.push_back(s);
    c.lower.push_back(std::max(0.0, s - 0.1));
    c.upper.push_back(std::min(1.0, s + 0.1));
  };
  for (double t = gap; t + gap < end && at_risk > 2; t += gap) {
    s *= (at_risk - 1.0) / at_risk;
    --at_risk;
    push(t);
    if (++k % 3 == 0) {
      push(t + gap / 2);
      c.censor_time.push_back(t + gap / 2);
      c.censor_survival.push_back(s);
      --at_risk;
    }
  }
  push(end);
  c.censor_time.push_back(end);
  c.censor_survival.push_back(s);
  return c;
}

inline KmPlot km_plot(const std::string& title, double scale) {
  KmPlot p;
  p.curves = {curve("Local therapy", 39, 4.0 * scale, 96), curve("Chemotherapy", 80, 1.3 * scale, 90)};
  p.options.title = title;
  p.options.x_label = "Time since PM diagnosis (months)";
  p.options.ci_bands = true;
  p.options.annotation = "Log-rank P < 0.001\nHR 3.304 (95% CI 1.187\u20139.196)";
  p.risk.ticks = km_plot_ticks(p);
  for (const auto& c : p.curves) {
    // Number at risk at each tick: everyone whose time is >= the tick, counted from the
    // curve's own jumps (1 + the later steps), which is all the figure needs.
    std::vector<double> n;
    for (double tick : p.risk.ticks) {
      const auto later = std::count_if(c.time.begin(), c.time.end(), [&](double t) { return t >= tick; });
      n.push_back(static_cast<double>(later));
    }
    p.risk.n_at_risk.push_back(n);
  }
  return p;
}

inline StudyReport sample_report() {
  StudyReport r;
  r.title = "Local therapy versus chemotherapy alone for pulmonary metastases of colorectal cancer";
  r.source = "patients.csv";
  r.n_read = 127;
  r.flow = {{"histology other than adenocarcinoma", 2, 125},
            {"unresectable extrapulmonary metastases", 3, 122},
            {"other malignancy", 2, 120},
            {"cardiopulmonary failure before CRC", 1, 119}};
  r.n_analysed = 119;
  r.tables = {table1(), table3(), table5(), awkward()};
  r.tables.insert(r.tables.begin(), flow_table(r));  // as run_study: the flow first
  r.published.values = 2;
  r.published.found = 2;
  r.published.reproduced = 1;
  r.published.differ = 1;
  r.published.summary = "1 of 2 published numbers reproduced (1 differ)";
  for (auto& t : published_tables()) r.tables.push_back(std::move(t));

  ReportFigure f1;
  f1.id = "figure1a_os_before_matching";
  f1.title = "Figure 1a. Overall survival before matching";
  f1.caption = "Kaplan\u2013Meier curves with 95% confidence bands; marks are censored patients.";
  f1.km = km_plot("Overall survival (all patients)", 1.0);
  ReportFigure f2;
  f2.id = "figure1b_os_after_matching";
  f2.title = "Figure 1b. Overall survival after matching";
  f2.caption = "The 24 matched pairs.";
  f2.km = km_plot("Overall survival (matched)", 1.5);
  ReportFigure love;
  love.id = "figure2_love_plot";
  love.title = "Figure 2. Covariate balance";
  love.caption = "Absolute standardized mean differences before and after matching.";
  love.kind = ReportFigure::Kind::Love;
  love.love.covariates = {"Gender: female", "Age > 60", "Distribution: bilateral", "CEA > 5 ng/ml", "DFI > 12 months"};
  love.love.smd_before = {0.212, -0.35, 1.0763, 0.41, NA};
  love.love.smd_after = {0.5, 0.0, 0.0833, -0.06, 0.02};
  r.figures = {f1, f2, love};

  r.methods =
      "Overall survival was estimated with the Kaplan\u2013Meier method and compared with the log-rank test; "
      "hazard ratios come from Cox models (Efron ties).\n\n"
      "Patients were matched 1:1 on the propensity score (nearest neighbour, caliper 0.2 SD of the logit) "
      "with survkit 0.1.0.";
  r.warnings = {"cox (PFS, multivariable): Loglik converged before variable 3; beta may be infinite",
                "matching: 2 treated units had no control within the caliper (< 0.2 SD)"};
  r.software = "survkit 0.1.0";
  return r;
}

}  // namespace report_test
