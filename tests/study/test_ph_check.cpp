// The proportional-hazards check of the study report (issue 8 section 7): the "PH P"
// column of Tables 1-4 and the global test equal cox.zph in R (veteran study, reference
// by tests/reference/study_ph/make_study_ph_refs.R) and fit_cox_zph called directly
// through build_frame (the CRC example); the warning names exactly the variables with
// P < alpha; each gets a scaled-Schoenfeld-residual figure whose curve is
// cox_zph_smooth of the model's test.
#include <fmt/core.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "study/analyses.hpp"
#include "study/study_direct.hpp"
#include "study/study_support.hpp"
#include "support/ref_csv.hpp"
#include <survkit/cox.hpp>
#include <survkit/cox_zph.hpp>
#include <survkit/cox_zph_plot.hpp>
#include <survkit/format.hpp>
#include <survkit/frame.hpp>
#include <survkit/study.hpp>

using namespace survkit;
using namespace study_test;

namespace {

/// The heading row (level 0) of a variable.
const ReportRow& heading(const ReportTable& t, const std::string& label) {
  for (const auto& r : t.rows)
    if (r.level == 0 && r.cells[0].text == label) return r;
  throw std::runtime_error("no heading " + label + " in " + t.id);
}

std::size_t ph_col(const ReportTable& t) {
  const auto it = std::find(t.header.begin(), t.header.end(), "PH P");
  if (it == t.header.end()) throw std::runtime_error("no PH P column in " + t.id);
  return static_cast<std::size_t>(it - t.header.begin());
}

std::string veteran_spec(const std::string& transform) {
  return "[data]\nfile = \"veteran.csv\"\n"
         "[[variable]]\nname = \"karno\"\nlabel = \"Karnofsky score\"\ncuts = [60]\n"
         "[[variable]]\nname = \"celltype\"\nlabel = \"Cell type\"\n"
         "values = [\"squamous\", \"smallcell\", \"adeno\", \"large\"]\n"
         "[group]\nlabel = \"Treatment\"\nfrom = \"trt\"\nvalues = [\"1\", \"2\"]\nlabels = [\"Standard\", \"Test\"]\n"
         "[[endpoint]]\nid = \"os\"\nname = \"Overall survival\"\nshort = \"OS\"\ntime = \"time\"\nstatus = \"status\"\n"
         "time_unit = \"days\"\nunit = \"days\"\n"
         "[analysis]\nlandmarks = [180]\nmultivariable = [\"karno\", \"celltype\", \"group\"]\n" +
         (transform.empty() ? std::string() : "ph_transform = \"" + transform + "\"\n");
}

Table veteran_data() { return read_csv(std::string(SURVKIT_TEST_DATA_DIR) + "/veteran.csv"); }

/// R's p for (transform, model, term) from study_ph.csv.
double r_value(const test::RefCsv& ref, const std::string& tr, const std::string& model, const std::string& term,
               const std::string& column = "p") {
  for (std::size_t r = 0; r < ref.rows.size(); ++r)
    if (ref.str(r, "transform") == tr && ref.str(r, "model") == model && ref.str(r, "term") == term)
      return ref.num(r, column);
  throw std::runtime_error("no reference " + tr + "/" + model + "/" + term);
}

}  // namespace

// Tolerance 1e-8 relative: the contract of fit_cox_zph against R (see test_cox_zph.cpp);
// the study feeds it the same design R builds.
TEST(StudyPhCheck, VeteranPhColumnAndGlobalTestEqualR) {
  const test::RefCsv ref = test::read_ref_csv(test::ref_path("study_ph/study_ph.csv"));
  std::size_t checked = 0;
  for (const std::string tr : {"km", "identity"}) {
    SCOPED_TRACE(tr);
    const StudyReport r = run_study(parse_study_spec(veteran_spec(tr == "km" ? "" : tr), "study.toml"), veteran_data());
    const ReportTable& t1 = table(r, "table1_os");
    const ReportTable& t2 = table(r, "table2_os");
    const std::pair<const char*, const char*> vars[] = {
        {"karno", "Karnofsky score"}, {"celltype", "Cell type"}, {"group", "Treatment"}};
    for (const auto& [name, label] : vars) {
      const double uni = r_value(ref, tr, std::string("univariate_") + name, name);
      const double multi = r_value(ref, tr, "multivariable", name);
      const ReportCell& c1 = heading(t1, label).cells[ph_col(t1)];
      const ReportCell& c2 = heading(t2, label).cells[ph_col(t2)];
      EXPECT_NEAR(c1.value, uni, 1e-8 * uni) << name;
      EXPECT_NEAR(c2.value, multi, 1e-8 * multi) << name;
      EXPECT_EQ(c1.text, format_p(uni, ""));
      checked += 2;
    }
    // One P per variable, on its heading row only (the level rows stay empty).
    for (const auto* t : {&t1, &t2})
      for (const auto& row : t->rows)
        if (row.level == 1) EXPECT_TRUE(row.cells[ph_col(*t)].text.empty() && is_na(row.cells[ph_col(*t)].value));
    const double chisq = r_value(ref, tr, "multivariable", "GLOBAL", "chisq");
    const double p = r_value(ref, tr, "multivariable", "GLOBAL", "p");
    const std::string global =
        fmt::format("Global test of proportional hazards of the model: chi-square = {}, df = 5, P {}.",
                    format_fixed(chisq, 2, ""), p < 0.001 ? "< 0.001" : "= " + format_p(p, ""));
    EXPECT_NE(std::find(t2.notes.begin(), t2.notes.end(), global), t2.notes.end()) << global;
    const std::string scale = tr == "km" ? "Kaplan\u2013Meier scale" : "original scale";
    EXPECT_TRUE(std::any_of(t1.notes.begin(), t1.notes.end(), [&](const std::string& n) {
      return n.starts_with("PH P: ") && n.find(scale) != std::string::npos;
    }));
    EXPECT_NE(r.methods.find("Proportional hazards were checked with the scaled Schoenfeld residuals (Grambsch\u2013"
                             "Therneau test, time on the " + scale),
              std::string::npos)
        << r.methods;
  }
  EXPECT_EQ(checked, 12u);
}

// Karnofsky score and cell type fail the test (univariate P 3.2e-4 and 0.031,
// multivariable 1.5e-4 and 0.0015); treatment does not (0.060 and 0.85).
TEST(StudyPhCheck, WarningAndFigureForEachFlaggedVariable) {
  const StudySpec spec = parse_study_spec(veteran_spec(""), "study.toml");
  const Table data = veteran_data();
  const StudyReport r = run_study(spec, data);
  std::vector<std::string> ph;
  for (const auto& w : r.warnings)
    if (w.find("proportional hazards doubtful") != std::string::npos) ph.push_back(w);
  ASSERT_EQ(ph.size(), 2u);
  EXPECT_EQ(ph[0],
            "OS: proportional hazards doubtful for Karnofsky score (Grambsch\u2013Therneau test P < 0.001 in the "
            "univariate model and P < 0.001 in the multivariable model; Figure 2a): its hazard ratio changes over "
            "time; consider stratifying the model on it or adding its interaction with time (a time-varying "
            "coefficient).");
  EXPECT_NE(ph[1].find("for Cell type (Grambsch\u2013Therneau test P = 0.031 in the univariate model and P = 0.001 "
                       "in the multivariable model; Figure 2b)"),
            std::string::npos)
      << ph[1];
  for (const auto& w : ph) EXPECT_EQ(w.find("Treatment"), std::string::npos);

  std::vector<const ReportFigure*> figs;
  for (const auto& f : r.figures)
    if (f.kind == ReportFigure::Kind::Zph) figs.push_back(&f);
  ASSERT_EQ(figs.size(), 2u);
  EXPECT_EQ(figs[0]->id, "figure2a_os_ph_karno");
  EXPECT_EQ(figs[0]->title, "Figure 2a. Scaled Schoenfeld residuals of Karnofsky score, OS (multivariable model)");
  EXPECT_EQ(figs[1]->id, "figure2b_os_ph_celltype");

  // The figure's curve is cox_zph_smooth of the multivariable model's test, fitted
  // directly through build_frame (as `survkit cox` does).
  const study::StudyData d = study::derive_study_data(spec, data);
  const ModelFrame fr = build_frame(as_table(d, 0), cox_frame(d, {"karno", "celltype", "group"}));
  const CoxInput in{fr.surv, fr.design.x, fr.design.terms, {}, {}};
  const CoxResult fit = fit_cox(in, CoxOptions{});
  const CoxZphResult z = fit_cox_zph(in, fit, CoxZphOptions{}, zph_terms_by_column(fr.design.term_column));
  ASSERT_EQ(z.terms[0].term, "karno");
  const CoxZphSmooth s = cox_zph_smooth(z, 0);
  const ZphPlot& p = figs[0]->zph;
  ASSERT_EQ(p.fit.size(), 40u);
  ASSERT_EQ(p.x.size(), s.x.size());
  for (std::size_t k = 0; k < 40; ++k) {
    EXPECT_NEAR(p.fit_x[k], s.pred_x[k], 1e-12);
    EXPECT_NEAR(p.fit[k], s.fit[k], 1e-9 * (s.upper[k] - s.lower[k]));
    EXPECT_NEAR(p.upper[k], s.upper[k], 1e-9 * (s.upper[k] - s.lower[k]));
  }
  EXPECT_NEAR(p.options.reference, fit.terms[0].coef, 1e-9);  // karno: one column, its coefficient
  EXPECT_EQ(figs[1]->zph.options.reference, 1.0);               // cell type: 3 columns, the linear predictor
  EXPECT_EQ(p.options.y_label, "Beta(t) for Karnofsky score");
  EXPECT_EQ(p.options.x_label, "Time (days), on the Kaplan\u2013Meier scale");
  EXPECT_EQ(p.x_ticks.size(), cox_zph_time_axis(z).size());
  EXPECT_NE(figs[0]->caption.find("natural-spline smooth (4 df"), std::string::npos);
  // The figures render (layout accepted) in every format.
  EXPECT_FALSE(render_zph_plot(p, FigureFormat::Png).empty());
}

// The CRC example: every PH P of Tables 1-4 is fit_cox_zph of the same model fitted
// directly (build_frame), one test per variable; the global test in the note of Tables 3-4.
TEST(StudyPhCheck, CrcPhColumnEqualsDirectCoxZph) {
  const StudySpec spec = parse_study_spec(read_text(examples("crc-pm/study.toml")), "study.toml");
  const Table data = read_csv(examples("crc-pm/patients.csv"));
  const StudyReport r = run_study(spec, data);
  const auto res = study::analyse_study(spec, data);
  const study::StudyData& d = res->data;
  auto direct = [&](std::size_t e, const std::vector<std::string>& vars) {
    const ModelFrame fr = build_frame(as_table(d, e), cox_frame(d, vars));
    const CoxInput in{fr.surv, fr.design.x, fr.design.terms, {}, {}};
    return fit_cox_zph(in, fit_cox(in, CoxOptions{}), CoxZphOptions{}, zph_terms_by_column(fr.design.term_column));
  };
  std::size_t checked = 0;
  for (std::size_t e = 0; e < 2; ++e) {
    const ReportTable& t = table(r, e == 0 ? "table1_os" : "table2_pfs");
    for (const auto& u : res->endpoints[e].univariate) {
      const CoxZphResult z = direct(e, {u.var->spec->name});
      ASSERT_EQ(z.terms.size(), 1u);
      EXPECT_NEAR(heading(t, u.var->spec->label).cells[ph_col(t)].value, z.terms[0].p, 1e-10 * z.terms[0].p)
          << u.var->spec->label;
      ++checked;
    }
    const study::MultivariableResult& mv = res->endpoints[e].multivariable;
    std::vector<std::string> names;
    for (const auto* v : mv.vars) names.push_back(v->spec->name);
    const CoxZphResult z = direct(e, names);
    const ReportTable& t3 = table(r, e == 0 ? "table3_os" : "table4_pfs");
    ASSERT_EQ(z.terms.size(), mv.vars.size());
    for (std::size_t v = 0; v < mv.vars.size(); ++v) {
      EXPECT_EQ(z.terms[v].term, mv.vars[v]->spec->name);
      EXPECT_NEAR(heading(t3, mv.vars[v]->spec->label).cells[ph_col(t3)].value, z.terms[v].p, 1e-10 * z.terms[v].p);
      ++checked;
    }
    EXPECT_NE(std::find_if(t3.notes.begin(), t3.notes.end(),
                           [&](const std::string& n) {
                             return n.find(fmt::format("chi-square = {}, df = {}", format_fixed(z.global.stat, 2, ""),
                                                       z.global.df)) != std::string::npos;
                           }),
              t3.notes.end());
  }
  EXPECT_GE(checked, 30u);
  // The matched-sample model's test is in the matched table's note.
  const ReportTable& m = table(r, "matched_results");
  EXPECT_NE(m.notes.back().find("Proportional hazards of the weighted Cox model"), std::string::npos);
}

// A large cohort (veteran 30 times over: 3840 deaths): every second residual is drawn,
// the smooth is the same as from all of them (it is computed before thinning).
TEST(StudyPhCheck, LargeCohortDrawsEveryKthResidual) {
  const std::string text = read_text(std::string(SURVKIT_TEST_DATA_DIR) + "/veteran.csv");
  const std::size_t body = text.find('\n') + 1;
  std::string big = text.substr(0, body);
  for (int k = 0; k < 30; ++k) big += text.substr(body);
  CsvOptions o;
  o.source = "veteran.csv";
  const Table data = parse_csv(big, o);
  const StudySpec spec = parse_study_spec(veteran_spec(""), "study.toml");
  const StudyReport r = run_study(spec, data);
  const ReportFigure* f = nullptr;
  for (const auto& x : r.figures)
    if (x.id == "figure2a_os_ph_karno") f = &x;
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->zph.x.size(), 1920u);
  EXPECT_NE(f->caption.find("one in 2 of the 3840 residuals shown, the smooth uses all"), std::string::npos)
      << f->caption;
}

TEST(StudyPhCheck, SpecTransformIsValidated) {
  try {
    parse_study_spec(veteran_spec("sqrt"), "study.toml");
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("ph_transform"), std::string::npos) << e.what();
  }
  EXPECT_EQ(parse_study_spec(veteran_spec("rank"), "study.toml").ph_transform, ZphTransform::Rank);
  EXPECT_EQ(parse_study_spec(veteran_spec(""), "study.toml").ph_transform, ZphTransform::KM);
}
