// run_study: the report presents StudyResults (cell values are the results' numbers,
// cell texts their journal format), the published study's Table 5 counts, the report's
// shape and words, and a hand-checked study.  The numbers themselves are checked
// against direct core calls in test_analyses.cpp.
#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "study/analyses.hpp"
#include "study/derive.hpp"
#include "study/format.hpp"
#include "study/study_direct.hpp"
#include "study/study_support.hpp"
#include <survkit/cox.hpp>
#include <survkit/crosstab.hpp>
#include <survkit/frame.hpp>
#include <survkit/km.hpp>
#include <survkit/logrank.hpp>
#include <survkit/match.hpp>
#include <survkit/propensity.hpp>
#include <survkit/study.hpp>

using namespace survkit;
using namespace study_test;

namespace {

/// The level row `level` under heading `heading`.
const ReportRow& row(const ReportTable& t, const std::string& heading, const std::string& level) {
  std::string current;
  for (const auto& r : t.rows) {
    if (r.level == 0) current = r.cells[0].text;
    else if (current == heading && r.cells[0].text == level) return r;
  }
  throw std::runtime_error("no row " + heading + " / " + level + " in " + t.id);
}

std::size_t col(const ReportTable& t, const std::string& name, std::size_t nth = 0) {
  for (std::size_t k = 0; k < t.header.size(); ++k)
    if (t.header[k] == name && nth-- == 0) return k;
  throw std::runtime_error("no column " + name);
}

struct Crc {
  StudySpec spec;
  Table data;
  StudyReport report;
  study::StudyData derived;
};

const Crc& crc() {
  static const Crc c = [] {
    Crc x;
    x.spec = parse_study_spec(study_test::read_text(study_test::examples("crc-pm/study.toml")), "study.toml");
    x.data = study_test::read_csv(study_test::examples("crc-pm/patients.csv"));
    x.report = run_study(x.spec, x.data);
    x.derived = study::derive_study_data(x.spec, x.data);
    return x;
  }();
  return c;
}

}  // namespace

TEST(StudyReportCrc, FlowAndShape) {
  const StudyReport& r = crc().report;
  EXPECT_EQ(r.n_read, 127u);
  EXPECT_EQ(r.n_analysed, 119u);
  EXPECT_EQ(r.flow.size(), 6u);
  EXPECT_EQ(r.source, "patients.csv");
  std::vector<std::string> ids;
  for (const auto& t : r.tables) ids.push_back(t.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"patient_flow", "table1_os", "table2_pfs", "followup", "medians", "table3_os",
                                           "table4_pfs", "table5_balance", "matched_results"}));
  std::vector<std::string> figs;
  for (const auto& f : r.figures) figs.push_back(f.id);
  EXPECT_EQ(figs, (std::vector<std::string>{"figure1a_os_before_matching", "figure1b_os_after_matching",
                                            "figure1c_pfs_before_matching", "figure1d_pfs_after_matching",
                                            "love_plot", "figure2a_os_ph_pathology", "figure2b_os_ph_number",
                                            "figure2c_pfs_ph_group", "figure2d_pfs_ph_pathology",
                                            "figure2e_pfs_ph_distribution"}));
  for (const auto& t : r.tables)
    for (const auto& row : t.rows) EXPECT_EQ(row.cells.size(), t.header.size()) << t.id;
  EXPECT_NE(r.methods.find("Efron"), std::string::npos);
  EXPECT_NE(r.methods.find("nearest-neighbour"), std::string::npos);
  EXPECT_NE(r.methods.find("survkit " SURVKIT_VERSION), std::string::npos);
  EXPECT_EQ(r.software, "survkit " SURVKIT_VERSION);
}

// The tables present StudyResults: each cell's value is the result's number, its text
// that number in the journal's format.  (The numbers themselves are checked against
// direct core calls in test_analyses.cpp.)
TEST(StudyReportCrc, UnivariateTablesPresentTheResults) {
  const Crc& c = crc();
  const auto results = study::analyse_study(c.spec, c.data);
  for (std::size_t e = 0; e < 2; ++e) {
    const ReportTable& t = table(c.report, e == 0 ? "table1_os" : "table2_pfs");
    for (const auto& u : results->endpoints[e].univariate) {
      for (std::size_t l = 0; l < u.var->factor.levels.size(); ++l) {
        const ReportRow& rr = row(t, u.var->spec->label, u.var->factor.levels[l]);
        EXPECT_EQ(rr.cells[1].value, u.n_level[l]);
        for (std::size_t k = 0; k < 2; ++k) {
          const double s = u.landmark_survival[l][k];
          if (is_na(s)) EXPECT_TRUE(is_na(rr.cells[2 + k].value) && rr.cells[2 + k].text.empty());
          else EXPECT_EQ(rr.cells[2 + k].value, 100 * s);
        }
        const CoxTerm* term = u.cox.term(0, l);
        if (l == u.var->reference || !term) {
          EXPECT_TRUE(rr.cells[4].text.empty());
          continue;
        }
        EXPECT_EQ(rr.cells[4].value, term->hr);
        EXPECT_EQ(rr.cells[4].text, study::format_fixed(term->hr, 3));
        EXPECT_EQ(rr.cells[5].text, study::format_fixed(term->lower, 3) + "\u2013" + study::format_fixed(term->upper, 3));
        EXPECT_EQ(rr.cells[6].value, term->p);
      }
    }
  }
}

TEST(StudyReportCrc, MultivariableTablesPresentTheResults) {
  const Crc& c = crc();
  const auto results = study::analyse_study(c.spec, c.data);
  for (std::size_t e = 0; e < 2; ++e) {
    const study::MultivariableResult& mv = results->endpoints[e].multivariable;
    const ReportTable& t = table(c.report, e == 0 ? "table3_os" : "table4_pfs");
    std::size_t checked = 0;
    for (std::size_t v = 0; v < mv.vars.size(); ++v)
      for (std::size_t l = 0; l < mv.vars[v]->factor.levels.size(); ++l) {
        const CoxTerm* term = mv.cox.term(v, l);
        if (!term) continue;
        const ReportRow& rr = row(t, mv.vars[v]->spec->label, mv.vars[v]->factor.levels[l]);
        EXPECT_EQ(rr.cells[1].value, term->hr) << term->term;
        EXPECT_EQ(rr.cells[3].value, term->p) << term->term;
        ++checked;
      }
    EXPECT_EQ(checked, e == 0 ? 9u : 14u);
    EXPECT_NE(t.notes[0].find(fmt::format("on the {} patients with complete data ({} events)", mv.cox.n,
                                          mv.cox.result.events)),
              std::string::npos)
        << t.notes[0];
  }
  // check_cohort.R (R survival 3.5-3) printed for the OS model: group 4.315 (1.659-11.222).
  const ReportRow& g = row(table(c.report, "table3_os"), "Treatment for PM", "Chemotherapy");
  EXPECT_EQ(g.cells[1].text, "4.315");
  EXPECT_EQ(g.cells[2].text, "1.659\u201311.222");
}

TEST(StudyReportCrc, MediansTablePresentsTheGroupComparisons) {
  const Crc& c = crc();
  const auto results = study::analyse_study(c.spec, c.data);
  const ReportTable& t = table(c.report, "medians");
  for (std::size_t e = 0; e < 2; ++e) {
    for (const bool matched : {false, true}) {
      const study::GroupComparison& gc = matched ? *results->endpoints[e].matched : results->endpoints[e].all;
      const std::string heading = c.spec.endpoints[e].name + (matched ? ", matched sample" : "") + " (months)";
      std::size_t k = 0;
      while (t.rows[k].cells[0].text != heading) ++k;
      EXPECT_EQ(t.rows[k].cells[4].value, gc.logrank.p());
      for (std::size_t g = 0; g < 2; ++g) {
        EXPECT_EQ(t.rows[k + 1 + g].cells[1].value, gc.km.groups[g].n_start);
        EXPECT_EQ(t.rows[k + 1 + g].cells[2].value, gc.km.groups[g].events);
        // A median not reached (Group-LI's OS) is NA in both; otherwise equal.
        const double median = gc.km.groups[g].median.estimate;
        if (is_na(median)) EXPECT_TRUE(is_na(t.rows[k + 1 + g].cells[3].value));
        else EXPECT_EQ(t.rows[k + 1 + g].cells[3].value, median);
      }
    }
  }
  // check_cohort.R: median OS not reached vs 13.1 months, PFS 46.4 vs 8.5 (R:
  // quantile(survfit(Surv(pfs_months, pfs_event) ~ group, data = d), 0.5)$quantile gives
  // 46.42299794661191 and 8.50924024640657).
  EXPECT_EQ(row(t, "Overall survival (months)", "Local therapy").cells[3].text, "NR");
  EXPECT_EQ(row(t, "Overall survival (months)", "Chemotherapy").cells[3].text.substr(0, 5), "13.1 ");
  EXPECT_EQ(row(t, "Progression-free survival (months)", "Local therapy").cells[3].text.substr(0, 5), "46.4 ");
  EXPECT_EQ(row(t, "Progression-free survival (months)", "Chemotherapy").cells[3].text.substr(0, 4), "8.5 ");
}

// Table 5 before PSM: the published study's counts (exact by construction of the cohort), and the
// P of fit_crosstab (chi-square, or Fisher when an expected count is below 5).
TEST(StudyReportCrc, Table5BeforeMatchingEqualsTheSeed) {
  const Crc& c = crc();
  const ReportTable& t = table(c.report, "table5_balance");
  struct Seed {
    const char* heading;
    const char* level;
    int li, chem;
  };
  const Seed seed[] = {
      {"Gender", "Male", 23, 39}, {"Gender", "Female", 16, 41},
      {"Age", "\u2264 60 years old", 27, 39}, {"Age", "> 60 years old", 12, 41},
      {"ECOG-PS", "0\u20131", 35, 62}, {"ECOG-PS", "\u2265 2", 4, 18},
      {"Pathology", "Low grade", 7, 5}, {"Pathology", "Intermediate grade", 29, 65}, {"Pathology", "High grade", 3, 10},
      {"Diagnosis of PM", "Synchronous", 10, 15}, {"Diagnosis of PM", "Metachronous", 29, 65},
      {"Distribution of PM", "Unilateral", 26, 15}, {"Distribution of PM", "Bilateral", 13, 65},
      {"Number of PM", "\u2264 5", 25, 62}, {"Number of PM", "> 5", 14, 18},
      {"Sizes of PM", "\u2264 2 cm", 27, 61}, {"Sizes of PM", "> 2 cm", 12, 19},
      {"DFI", "\u2264 12 months", 18, 40}, {"DFI", "> 12 months", 21, 40},
      {"Liver metastasis", "No", 32, 60}, {"Liver metastasis", "Yes", 7, 20},
      {"Extrapulmonary metastasis", "No", 32, 41}, {"Extrapulmonary metastasis", "Yes", 7, 39},
      {"CEA", "\u2264 5 ng/ml", 26, 29}, {"CEA", "> 5 ng/ml", 13, 51},
      {"CA19-9", "\u2264 35 U/ml", 33, 41}, {"CA19-9", "> 35 U/ml", 6, 39},
  };
  for (const auto& s : seed) {
    const ReportRow& r = row(t, s.heading, s.level);
    EXPECT_EQ(r.cells[1].value, s.li) << s.heading << " " << s.level;
    EXPECT_EQ(r.cells[2].value, s.chem) << s.heading << " " << s.level;
  }
  EXPECT_EQ(t.header[1], "Local therapy (N = 39)");
  EXPECT_EQ(t.header[2], "Chemotherapy (N = 80)");
  // P against fit_crosstab, with the test the report says it used.
  for (const auto& v : c.derived.variables) {
    if (!v.spec->baseline) continue;
    const CrosstabResult ct = fit_crosstab(v.factor, c.derived.group.factor);
    const bool fisher = ct.min_expected < 5;
    const ReportCell& p = row(t, v.spec->label, v.factor.levels[0]).cells[3];
    EXPECT_EQ(p.value, fisher ? ct.fisher_p : ct.chisq.p) << v.spec->label;
    EXPECT_EQ(p.text.find("\u2020") != std::string::npos, fisher) << v.spec->label;
  }
}

// The matching: the same propensity model and fit_match as `survkit match` (logit
// distance, default options + the spec's caliper) on the "differing" covariates, which
// for this cohort are the published study's five: age, distribution, extrapulmonary, CEA, CA19-9.
TEST(StudyReportCrc, MatchingEqualsDirectPropensityAndMatch) {
  const Crc& c = crc();
  const std::vector<std::string> covs = {"age", "distribution", "extrapulmonary", "cea", "ca199"};
  Table tab = as_table(c.derived, 0);
  FrameSpec fs;
  fs.outcome = "group=Local therapy";
  fs.covariates = covs;
  for (const auto& v : covs) fs.factors.push_back({v, var(c.derived, v).factor.levels[0]});
  fs.require_events = false;
  fs.require_two_groups = false;
  const ModelFrame fr = build_frame(tab, fs);
  const PropensityResult ps = fit_propensity(PropensityInput{fr.outcome, fr.design.x, fr.design.terms});
  MatchOptions mo;
  mo.caliper = 0.4;  // the spec's caliper (examples/crc-pm/study.toml)
  const MatchResult m = fit_match(MatchData{fr.outcome, ps.linear_predictor, {}}, mo);
  const ReportTable& t = table(c.report, "table5_balance");
  EXPECT_EQ(t.header[5], fmt::format("Local therapy (N = {})", m.treated.matched));
  EXPECT_EQ(t.header[6], fmt::format("Chemotherapy (N = {})", m.control.matched));
  EXPECT_NE(c.report.methods.find("Age, Distribution of PM, Extrapulmonary metastasis, CEA and CA19-9"),
            std::string::npos)
      << c.report.methods;
  // Matched-sample Cox of Figure 1b: weights and cluster = subclass (robust SE).
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < fr.n; ++i)
    if (m.weights[i] > 0) rows.push_back(i);
  CoxInput in;
  in.x.resize(static_cast<Eigen::Index>(rows.size()), 1);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::size_t i = rows[k];
    in.surv.time.push_back(c.derived.endpoints[0].surv.time[i]);
    in.surv.status.push_back(c.derived.endpoints[0].surv.status[i]);
    in.surv.weight.push_back(m.weights[i]);
    in.cluster.push_back(m.subclass[i]);
    in.x(static_cast<Eigen::Index>(k), 0) = fr.outcome[i] ? 0.0 : 1.0;
  }
  in.terms = {"chemo"};
  const CoxResult cox = fit_cox(in, CoxOptions{});
  EXPECT_TRUE(cox.robust);
  const std::string& note = c.report.figures[1].km.options.annotation;
  EXPECT_NE(note.find("HR " + study::format_fixed(cox.terms[0].hr, 3) + " (95% CI " +
                      study::format_fixed(cox.terms[0].lower, 3) + "\u2013" +
                      study::format_fixed(cox.terms[0].upper, 3) + ")"),
            std::string::npos)
      << note;
}

TEST(StudyReportCrc, KmFiguresCarryCurvesMarksAndRiskTable) {
  const Crc& c = crc();
  const ReportFigure& f = c.report.figures[0];
  ASSERT_EQ(f.kind, ReportFigure::Kind::Km);
  ASSERT_EQ(f.km.curves.size(), 2u);
  const KmResult km = fit_km(c.derived.endpoints[0].surv, &c.derived.group.factor, KmOptions{});
  for (std::size_t g = 0; g < 2; ++g) {
    const KmCurve& cv = f.km.curves[g];
    EXPECT_EQ(cv.time.size(), km.groups[g].curve.size());
    std::size_t marks = 0;
    for (const auto& p : km.groups[g].curve) marks += p.n_censor > 0;
    EXPECT_EQ(cv.censor_time.size(), marks);
    EXPECT_EQ(cv.lower.size(), cv.time.size());
  }
  EXPECT_EQ(f.km.risk.ticks, km_plot_ticks(f.km));
  EXPECT_EQ(f.km.risk.ticks.front(), 0.0);
  EXPECT_EQ(f.km.risk.n_at_risk[0][0], 39.0);
  EXPECT_EQ(f.km.risk.n_at_risk[1][0], 80.0);
  // n at risk at each tick = number with time >= tick (summary(fit, times =)$n.risk).
  for (std::size_t k = 1; k < f.km.risk.ticks.size(); ++k) {
    double n = 0;
    for (std::size_t i = 0; i < c.derived.table.nrows; ++i)
      n += c.derived.group.factor.code[i] == 1 && c.derived.endpoints[0].surv.time[i] >= f.km.risk.ticks[k];
    EXPECT_EQ(f.km.risk.n_at_risk[1][k], n);
  }
  EXPECT_EQ(f.km.options.x_label, "Time (months)");
  EXPECT_NE(f.km.options.annotation.find("Log-rank P"), std::string::npos);
  const ReportFigure& love = c.report.figures[4];
  EXPECT_EQ(love.kind, ReportFigure::Kind::Love);
  EXPECT_EQ(love.love.covariates.size(), love.love.smd_before.size());
  EXPECT_GE(love.love.covariates.size(), 14u);  // distance + 12 binary + 3 pathology levels
  // Rendering must accept what the report built.
  EXPECT_FALSE(render_km_plot(f.km, FigureFormat::Svg).empty());
  EXPECT_FALSE(render_love_plot(love.love, FigureFormat::Svg).empty());
}

namespace {

// Hand-checked: arm a: 1 (event), 2 (censored), 3 (event); arm b: 1 (censored),
// 2 (event), 4 (event).  Times in days.
const std::string kHand =
    "t,d,arm,sex,x1,x2\n"
    "1,1,a,m,1,0\n"
    "2,0,a,m,1,0\n"
    "3,1,a,f,0,1\n"
    "1,0,b,f,0,0\n"
    "2,1,b,f,0,0\n"
    "4,1,b,m,1,1\n"
    "5,1,b,f,1,1\n";

std::string hand_spec(const std::string& extra) {
  return "[data]\nfile = \"h.csv\"\n"
         "[[variable]]\nname = \"sex\"\nvalues = [\"m\", \"f\"]\n"
         "[[variable]]\nname = \"x1\"\ncuts = [0]\nbaseline = false\n"
         "[[variable]]\nname = \"x2\"\ncuts = [0]\nbaseline = false\n"
         "[group]\nfrom = \"arm\"\nvalues = [\"a\", \"b\"]\n"
         "[[endpoint]]\nid = \"os\"\ntime = \"t\"\nstatus = \"d\"\nunit = \"days\"\n"
         "[analysis]\nlandmarks = [2.5, 3.5]\nmultivariable = [\"group\"]\n" +
         extra;
}

Table hand_data(std::size_t rows = 6) {
  std::string text = kHand;
  std::size_t cut = 0;
  for (std::size_t k = 0; k <= rows; ++k) cut = text.find('\n', cut) + 1;
  CsvOptions o;
  o.source = "h.csv";
  return parse_csv(text.substr(0, cut), o);
}

}  // namespace

TEST(StudyReportHand, RatesMediansLogrankAndFisherByHand) {
  const StudyReport r = run_study(parse_study_spec(hand_spec(""), "study.toml"), hand_data());
  const ReportTable& t1 = table(r, "table1_os");
  EXPECT_EQ(t1.header[2], "2.5-day OS");
  // a: S(2.5) = 1 - 1/3; the curve reaches 0 at its last time 3, so S(3.5) = 0.
  EXPECT_NEAR(row(t1, "group", "a").cells[2].value, 100.0 * 2.0 / 3.0, 1e-12);
  EXPECT_EQ(row(t1, "group", "a").cells[2].text, "66.7%");
  EXPECT_EQ(row(t1, "group", "a").cells[3].value, 0.0);
  // b: censored at 1, then 1 death of 2 at risk at 2: S = 1/2 until 4.
  EXPECT_EQ(row(t1, "group", "b").cells[2].value, 50.0);
  EXPECT_EQ(row(t1, "group", "b").cells[3].value, 50.0);
  const ReportTable& med = table(r, "medians");
  // a: S = 2/3 on [1, 3), 0 from 3: median 3.  b: S = 1/2 exactly on [2, 4): the
  // half-way rule gives (2 + 4) / 2 = 3.
  EXPECT_EQ(row(med, "OS (days)", "a").cells[3].value, 3.0);
  EXPECT_EQ(row(med, "OS (days)", "b").cells[3].value, 3.0);
  // Log-rank: O_a - E_a = 2 - (1/2 + 1/2 + 1/2) = 1/2, V = 1/4 + 1/4 + 1/4 = 3/4,
  // chisq = (1/2)^2 / (3/4) = 1/3, P = P(chi2_1 > 1/3) = erfc(sqrt(1/6)).
  EXPECT_NEAR(med.rows[0].cells[4].value, std::erfc(std::sqrt(1.0 / 6.0)), 1e-14);
  // Table 2 (no matching): sex m/f by arm = [[2, 1], [1, 2]]: every table of these
  // margins is at most as likely as the observed one (probabilities 1, 9, 9, 1 / 20),
  // so Fisher's P = 1; chosen because the expected counts are 1.5 < 5.
  const ReportTable& t5 = table(r, "table3_balance");
  EXPECT_EQ(row(t5, "sex", "m").cells[1].value, 2.0);
  EXPECT_EQ(row(t5, "sex", "m").cells[2].value, 1.0);
  EXPECT_EQ(row(t5, "sex", "m").cells[3].value, 1.0);
  EXPECT_EQ(row(t5, "sex", "m").cells[3].text, "1.000\u2020");
  EXPECT_TRUE(r.figures.size() == 1 && r.figures[0].id == "figure1a_os");
}

TEST(StudyReportHand, MatchingThatMatchesNoOneIsAnError) {
  // x1/x2 patterns: treated (a) 10, 10, 01; controls (b) 00, 00, 11, 11: no pattern is
  // shared and the groups are not separable (XOR), so every distance differs between
  // the groups; a caliper of 1e-9 SD then admits no pair.
  const std::string spec = hand_spec("[matching]\ntreated = \"a\"\ncovariates = [\"x1\", \"x2\"]\ncaliper = 1e-9\n");
  try {
    run_study(parse_study_spec(spec, "study.toml"), hand_data(7));
    FAIL() << "expected an AnalysisError";
  } catch (const AnalysisError& e) {
    EXPECT_NE(std::string(e.what()).find("study.toml line 25: [matching] match: no treated unit was matched"),
              std::string::npos)
        << e.what();
  }
}

TEST(StudyReportHand, BreslowTiesAndChisqOptionReachTheEstimators) {
  const StudyReport r = run_study(
      parse_study_spec(hand_spec("").replace(hand_spec("").find("[analysis]\n"), 11,
                                             "[analysis]\nties = \"breslow\"\ntable1_test = \"chisq\"\n"),
                       "study.toml"),
      hand_data());
  const study::StudyData d =
      study::derive_study_data(parse_study_spec(hand_spec(""), "study.toml"), hand_data());
  CoxInput in;
  in.surv = d.endpoints[0].surv;
  in.x.resize(6, 1);
  for (Eigen::Index i = 0; i < 6; ++i) in.x(i, 0) = d.group.factor.code[static_cast<std::size_t>(i)] == 1;
  in.terms = {"b"};
  CoxOptions o;
  o.ties = Ties::Breslow;
  const CoxResult cox = fit_cox(in, o);
  EXPECT_EQ(row(table(r, "table2_os"), "group", "b").cells[1].value, cox.terms[0].hr);
  const ReportCell& p = row(table(r, "table3_balance"), "sex", "m").cells[3];
  EXPECT_EQ(p.value, chisq_test({{2, 1}, {1, 2}}).p);
  EXPECT_EQ(p.text.find("\u2020"), std::string::npos);
  EXPECT_NE(r.methods.find("Breslow"), std::string::npos);
}

// The colon example runs end to end; its numbers agree with R (survival::colon).
TEST(StudyColonExample, RunsAndAgreesWithR) {
  const StudySpec spec =
      parse_study_spec(study_test::read_text(study_test::examples("colon/study.toml")), "colon/study.toml");
  const StudyReport r = run_study(spec, study_test::read_csv(study_test::examples("colon/patients.csv")));
  EXPECT_EQ(r.n_read, 929u);
  EXPECT_EQ(r.n_analysed, 619u);  // 315 Obs + 304 Lev+5FU (R: table(colon$rx) / 2)
  EXPECT_EQ(r.flow[0].excluded, 310u);
  // R: d <- subset(colon, etype == 2 & rx != "Lev"); d$rx <- droplevels(d$rx)
  //    print(summary(coxph(Surv(time, status) ~ rx, data = d))$conf.int, digits = 10)
  //    rxLev+5FU  0.6887965428  ...  0.5457296104  0.8693694979
  // Times in years (days / 365.25) leave the ranks, hence the Cox fit, unchanged; the
  // tolerance is the 10 printed digits.
  const ReportRow& g = row(table(r, "table1_os"), "Treatment", "Levamisole + 5-FU");
  EXPECT_NEAR(g.cells[4].value, 0.6887965428, 1e-9);
  EXPECT_EQ(g.cells[5].text, "0.546\u20130.869");
  // 4 KM figures and the Love plot, then one residual figure per variable failing the
  // proportional-hazards test.
  ASSERT_GE(r.figures.size(), 5u);
  for (std::size_t k = 5; k < r.figures.size(); ++k) EXPECT_EQ(r.figures[k].kind, ReportFigure::Kind::Zph);
}
