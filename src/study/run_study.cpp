// run_study: the analyses of a study spec on the derived data, as a StudyReport.
//
// Every number comes from the public estimators (fit_km, fit_logrank, fit_cox,
// fit_crosstab, fit_propensity, fit_match, fit_balance) called on the analysed rows, so
// that a table cell is the number `survkit km / logrank / cox / crosstab / match` prints
// for the same data.  Nothing is re-implemented here except the number at risk of the
// figures' risk tables (a count, see at_risk()).
#include <algorithm>
#include <cmath>
#include <fmt/core.h>
#include <limits>
#include <map>
#include <numeric>

#include "study/derive.hpp"
#include "study/format.hpp"
#include "survkit/balance.hpp"
#include "survkit/cox.hpp"
#include "survkit/crosstab.hpp"
#include "survkit/figure.hpp"
#include "survkit/km.hpp"
#include "survkit/logrank.hpp"
#include "survkit/match.hpp"
#include "survkit/propensity.hpp"
#include "survkit/study.hpp"

namespace survkit {

namespace {

using study::StudyData;
using study::StudyEndpoint;
using study::StudyVariable;

/// Rows (of the analysed data) where every listed variable is present.
std::vector<std::size_t> complete_rows(const std::vector<const StudyVariable*>& vars, std::size_t n,
                                       const std::vector<double>* weights = nullptr) {
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < n; ++i) {
    bool ok = !weights || (*weights)[i] > 0;
    for (const auto* v : vars) ok = ok && v->factor.code[i] >= 0;
    if (ok) rows.push_back(i);
  }
  return rows;
}

SurvData subset(const SurvData& s, const std::vector<std::size_t>& rows, const std::vector<double>* weights) {
  SurvData out;
  out.time.reserve(rows.size());
  out.status.reserve(rows.size());
  for (std::size_t r : rows) {
    out.time.push_back(s.time[r]);
    out.status.push_back(s.status[r]);
    if (weights) out.weight.push_back((*weights)[r]);
  }
  return out;
}

Factor subset(const Factor& f, const std::vector<std::size_t>& rows) {
  Factor out;
  out.levels = f.levels;
  out.code.reserve(rows.size());
  for (std::size_t r : rows) out.code.push_back(f.code[r]);
  return out;
}

/// Treatment-contrast dummies of the variables (one 0/1 column per non-reference level,
/// in level order), as build_frame / R's model.matrix code a factor.
struct Dummies {
  Eigen::MatrixXd x;
  std::vector<std::string> terms;
  std::vector<std::pair<std::size_t, std::size_t>> source;  // (variable index in list, level)
};

Dummies dummies(const std::vector<const StudyVariable*>& vars, const std::vector<std::size_t>& rows) {
  Dummies d;
  for (std::size_t v = 0; v < vars.size(); ++v)
    for (std::size_t l = 0; l < vars[v]->factor.levels.size(); ++l)
      if (l != vars[v]->reference) d.source.emplace_back(v, l);
  d.x.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(d.source.size()));
  for (std::size_t j = 0; j < d.source.size(); ++j) {
    const auto [v, l] = d.source[j];
    d.terms.push_back(vars[v]->spec->name + "=" + vars[v]->factor.levels[l]);
    for (std::size_t k = 0; k < rows.size(); ++k)
      d.x(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) =
          vars[v]->factor.code[rows[k]] == static_cast<std::int32_t>(l) ? 1.0 : 0.0;
  }
  return d;
}

/// A Cox model of `vars` on the complete rows.  Terms come back per (variable, level).
struct CoxFit {
  bool ok = false;
  std::string error;
  CoxResult result;
  std::map<std::pair<std::size_t, std::size_t>, const CoxTerm*> term;
  std::size_t n = 0;
};

struct Analyser {
  const StudySpec& spec;
  StudyData& d;
  StudyReport& rep;
  CoxOptions cox_options;

  std::string unit_of(const StudyEndpoint& e) const { return study::unit_name(e.spec->unit); }

  void warn(const std::string& context, const std::vector<std::string>& ws) {
    for (const auto& w : ws) rep.warnings.push_back(context + ": " + w);
  }

  CoxFit fit_cox_model(const std::vector<const StudyVariable*>& vars, const StudyEndpoint& e,
                       const std::string& context, const std::vector<double>* weights = nullptr,
                       const std::vector<std::int32_t>* cluster = nullptr) {
    CoxFit f;
    const auto rows = complete_rows(vars, d.table.nrows, weights);
    Dummies dm = dummies(vars, rows);
    CoxInput in;
    in.surv = subset(e.surv, rows, weights);
    in.x = std::move(dm.x);
    in.terms = dm.terms;
    if (cluster)
      for (std::size_t r : rows) in.cluster.push_back((*cluster)[r]);
    CoxOptions opt = cox_options;
    if (weights && !cluster) opt.robust = true;
    f.n = rows.size();
    try {
      f.result = fit_cox(std::move(in), opt);
      f.ok = true;
    } catch (const AnalysisError& err) {
      f.error = err.what();
      rep.warnings.push_back(context + ": " + f.error);
      return f;
    }
    warn(context, f.result.warnings);
    for (std::size_t j = 0; j < dm.source.size(); ++j) f.term[dm.source[j]] = &f.result.terms[j];
    return f;
  }

  std::string landmark_label(std::size_t k, const StudyEndpoint& e) const {
    if (!spec.landmark_labels.empty()) return spec.landmark_labels[k] + " " + e.spec->short_name;
    const double t = spec.landmarks[k];
    const double years = t * study::days_per(e.spec->unit) / study::kDaysPerYear;
    if (e.spec->unit == TimeUnit::Months && std::fmod(t, 12.0) == 0)
      return fmt::format("{:.0f}-year {}", t / 12.0, e.spec->short_name);
    if (e.spec->unit == TimeUnit::Years) return fmt::format("{}-year {}", study::format_fixed(years, t == std::floor(t) ? 0 : 1), e.spec->short_name);
    return fmt::format("{}-{} {}", study::format_fixed(t, t == std::floor(t) ? 0 : 1),
                       e.spec->unit == TimeUnit::Days ? "day" : "month", e.spec->short_name);
  }

  std::vector<const StudyVariable*> all_variables() const {
    std::vector<const StudyVariable*> v;
    for (const auto& x : d.variables) v.push_back(&x);
    v.push_back(&d.group);
    return v;
  }

  const StudyVariable* variable_named(const std::string& name) const {
    if (name == "group") return &d.group;
    for (const auto& v : d.variables)
      if (v.spec->name == name) return &v;
    return nullptr;
  }

  // ---------------------------------------------------------------- Tables 1 and 2
  /// Univariate table of one endpoint; returns each variable's smallest level P (for the
  /// multivariable selection rule).
  std::map<std::string, double> univariate_table(const StudyEndpoint& e, int number) {
    std::map<std::string, double> min_p;
    ReportTable t;
    t.id = fmt::format("table{}_{}", number, e.spec->id);
    t.title = fmt::format("Table {}. Characteristics of {} patients and univariate analyses of predictive factors for {}",
                          number, d.table.nrows, e.spec->short_name);
    t.header = {"Characteristic", "N"};
    for (std::size_t k = 0; k < spec.landmarks.size(); ++k) t.header.push_back(landmark_label(k, e));
    t.header.insert(t.header.end(), {"HR", "95% CI", "P"});
    for (const StudyVariable* v : all_variables()) {
      const auto rows = complete_rows({v}, d.table.nrows);
      const SurvData s = subset(e.surv, rows, nullptr);
      const Factor f = subset(v->factor, rows);
      KmOptions ko;
      ko.times = spec.landmarks;
      ko.conf_level = spec.conf_level;
      const KmResult km = fit_km(s, &f, ko);
      const CoxFit cox = fit_cox_model({v}, e, fmt::format("{} univariate Cox, {}", e.spec->short_name, v->spec->label));
      ReportRow head;
      head.level = 0;
      head.cells.assign(t.header.size(), ReportCell{});
      head.cells[0] = study::text_cell(v->spec->label);
      t.rows.push_back(head);
      double pmin = NA;
      for (std::size_t l = 0; l < f.levels.size(); ++l) {
        ReportRow row;
        row.level = 1;
        row.cells.push_back(study::text_cell(f.levels[l]));
        const auto n = static_cast<double>(std::count(f.code.begin(), f.code.end(), static_cast<std::int32_t>(l)));
        row.cells.push_back(study::count_cell(n));
        const KmGroup* g = nullptr;
        for (const auto& kg : km.groups)
          if (kg.group == f.levels[l]) g = &kg;
        for (double lm : spec.landmarks) {
          ReportCell c;
          if (g) {
            for (const auto& at : g->at)
              if (at.time == lm) c = study::percent_cell(at.survival);
            // R drops a time beyond the curve's last time (summary(times =), extend =
            // FALSE).  When that last time is an event that took the curve to 0, the
            // estimate is nevertheless known (0 from then on): show it.
            if (is_na(c.value) && !g->curve.empty() && g->curve.back().survival == 0.0 &&
                lm > g->curve.back().time)
              c = study::percent_cell(0.0);
          }
          row.cells.push_back(c);
        }
        const auto it = cox.term.find({0, l});
        if (l == v->reference || it == cox.term.end()) {
          row.cells.insert(row.cells.end(), 3, ReportCell{});
        } else {
          const CoxTerm& ct = *it->second;
          row.cells.push_back(study::fixed_cell(ct.hr, 3));
          row.cells.push_back(study::ci_cell(ct.lower, ct.upper));
          row.cells.push_back(study::p_cell(ct.p));
          if (!is_na(ct.p) && (is_na(pmin) || ct.p < pmin)) pmin = ct.p;
        }
        t.rows.push_back(std::move(row));
      }
      min_p[v->spec->name] = pmin;
    }
    t.notes.push_back(fmt::format(
        "Rates: Kaplan\u2013Meier estimates at {} {} (blank: beyond the group's last follow-up time while its "
        "curve is above 0, as R's summary(survfit, times =) drops it). HR: hazard ratio against the first-listed reference level (blank row), "
        "univariate Cox model per variable ({} ties), {:.0f}% Wald CI, Wald P.",
        join_numbers(spec.landmarks), unit_of(e), ties_name(), spec.conf_level * 100));
    rep.tables.push_back(std::move(t));
    return min_p;
  }

  static std::string join_numbers(const std::vector<double>& v) {
    std::string s;
    for (std::size_t k = 0; k < v.size(); ++k)
      s += (k == 0 ? "" : k + 1 == v.size() ? " and " : ", ") + study::format_fixed(v[k], v[k] == std::floor(v[k]) ? 0 : 2);
    return s;
  }

  std::string ties_name() const { return spec.ties == Ties::Efron ? "Efron" : "Breslow"; }

  // ---------------------------------------------------------------- medians
  void medians_rows(ReportTable& t, const StudyEndpoint& e, const std::vector<double>* weights,
                    const std::string& heading) {
    const auto rows = complete_rows({&d.group}, d.table.nrows, weights);
    const SurvData s = subset(e.surv, rows, weights);
    const Factor g = subset(d.group.factor, rows);
    KmOptions ko;
    ko.keep_curve = false;
    ko.conf_level = spec.conf_level;
    const KmResult km = fit_km(s, &g, ko);
    double p = NA;
    try {
      const LogrankResult lr = fit_logrank(s, g, nullptr, LogrankOptions{});
      warn(heading + " log-rank", lr.warnings);
      p = lr.test.p;
    } catch (const AnalysisError& err) {
      rep.warnings.push_back(heading + " log-rank: " + err.what());
    }
    ReportRow head;
    head.cells = {study::text_cell(heading), ReportCell{}, ReportCell{}, ReportCell{}, study::p_cell(p)};
    t.rows.push_back(head);
    for (const auto& kg : km.groups) {
      ReportRow r;
      r.level = 1;
      r.cells = {study::text_cell(kg.group), study::count_cell(kg.n_start), study::count_cell(kg.events),
                 study::median_cell(kg.median.estimate, kg.median.lower, kg.median.upper), ReportCell{}};
      t.rows.push_back(std::move(r));
    }
  }

  // ---------------------------------------------------------------- Tables 3 and 4
  void multivariable_table(const StudyEndpoint& e, int number, const std::map<std::string, double>& min_p) {
    std::vector<const StudyVariable*> vars;
    std::string rule;
    const std::vector<SpecName>& list =
        e.spec->has_multivariable ? e.spec->multivariable : spec.multivariable.covariates;
    if (!list.empty()) {
      for (const auto& c : list) vars.push_back(variable_named(c.name));
      rule = "covariates chosen in the study protocol";
    } else {
      for (const StudyVariable* v : all_variables()) {
        const double p = min_p.at(v->spec->name);
        if (!is_na(p) && p < spec.multivariable.p_below) vars.push_back(v);
      }
      rule = fmt::format("every variable with a univariate P < {} (any level)", study::format_fixed(spec.multivariable.p_below, 3));
    }
    ReportTable t;
    t.id = fmt::format("table{}_{}", number, e.spec->id);
    t.title = fmt::format("Table {}. Multivariable Cox regression for {}", number, e.spec->short_name);
    t.header = {"Characteristic", "HR", "95% CI", "P"};
    if (vars.empty()) {
      t.notes.push_back("No variable met the selection rule (" + rule + "); no multivariable model was fitted.");
      rep.tables.push_back(std::move(t));
      return;
    }
    const CoxFit cox = fit_cox_model(vars, e, e.spec->short_name + " multivariable Cox");
    for (std::size_t v = 0; v < vars.size(); ++v) {
      ReportRow head;
      head.cells.assign(4, ReportCell{});
      head.cells[0] = study::text_cell(vars[v]->spec->label);
      t.rows.push_back(head);
      for (std::size_t l = 0; l < vars[v]->factor.levels.size(); ++l) {
        ReportRow r;
        r.level = 1;
        r.cells.push_back(study::text_cell(vars[v]->factor.levels[l]));
        const auto it = cox.term.find({v, l});
        if (it == cox.term.end()) {
          r.cells.insert(r.cells.end(), 3, ReportCell{});
        } else {
          r.cells.push_back(study::fixed_cell(it->second->hr, 3));
          r.cells.push_back(study::ci_cell(it->second->lower, it->second->upper));
          r.cells.push_back(study::p_cell(it->second->p));
        }
        t.rows.push_back(std::move(r));
      }
    }
    t.notes.push_back(fmt::format("Cox proportional hazards model ({} ties) on the {} patients with complete data "
                                  "({} events); {}. HR against the reference level (blank row); Wald {:.0f}% CI and P.",
                                  ties_name(), cox.n, cox.ok ? cox.result.events : 0.0, rule, spec.conf_level * 100));
    if (cox.ok && !cox.result.converged) t.notes.push_back("The model did not converge: see the warnings.");
    rep.tables.push_back(std::move(t));
  }

  // ---------------------------------------------------------------- group tests
  struct GroupTest {
    double p = NA;
    bool fisher = false;
    std::vector<std::vector<double>> counts;  // level x group (all levels, zero rows kept)
  };

  GroupTest group_test(const StudyVariable& v, const std::vector<double>* weights, const std::string& context) {
    GroupTest gt;
    const std::size_t L = v.factor.levels.size(), G = d.group.factor.levels.size();
    gt.counts.assign(L, std::vector<double>(G, 0.0));
    const auto rows = complete_rows({&v, &d.group}, d.table.nrows, weights);
    for (std::size_t r : rows)
      gt.counts[static_cast<std::size_t>(v.factor.code[r])][static_cast<std::size_t>(d.group.factor.code[r])] +=
          weights ? (*weights)[r] : 1.0;
    bool whole = true;
    if (weights)
      for (std::size_t r : rows) whole = whole && (*weights)[r] == 1.0;
    if (!whole) {
      // Fractional matching weights: no exact test exists; Pearson chi-square of the
      // weighted table, as fit_balance's matched test.
      std::vector<std::vector<double>> kept;
      for (const auto& row : gt.counts)
        if (std::accumulate(row.begin(), row.end(), 0.0) > 0) kept.push_back(row);
      try {
        if (kept.size() >= 2) gt.p = chisq_test(kept).p;
      } catch (const AnalysisError&) {
      }
      return gt;
    }
    const Factor rf = subset(v.factor, rows), cf = subset(d.group.factor, rows);
    try {
      CrosstabOptions co;
      co.fisher = spec.table1_test != Table1Test::ChiSquare;
      const CrosstabResult ct = fit_crosstab(rf, cf, co);
      gt.fisher = spec.table1_test == Table1Test::Fisher ||
                  (spec.table1_test == Table1Test::Auto && ct.min_expected < 5);
      gt.p = gt.fisher ? ct.fisher_p : ct.chisq.p;
      for (const auto& w : ct.warnings)
        if (!(gt.fisher && w.find("Chi-squared approximation") != std::string::npos))
          rep.warnings.push_back(context + ", " + v.spec->label + ": " + w);
    } catch (const AnalysisError& err) {
      // One level only in this sample (e.g. after matching): no test.
      rep.warnings.push_back(context + ", " + v.spec->label + ": no test (" + err.what() + ")");
    }
    return gt;
  }

  // ---------------------------------------------------------------- matching
  struct Matching {
    bool done = false;
    std::vector<const StudyVariable*> covariates;
    std::vector<double> weights;          // length n analysed, 0 = not in the matched sample
    std::vector<std::int32_t> subclass;   // length n analysed (cluster codes), empty with replacement
    MatchResult match;
    PropensityResult ps;
    std::size_t treated_level = 0;
    std::vector<std::size_t> rows;        // the units (complete cases), analysed-row indices
    std::vector<double> distance;
  };

  Matching match_groups(const std::vector<GroupTest>& before, const std::vector<const StudyVariable*>& baseline) {
    Matching m;
    const MatchingSpec& ms = spec.matching;
    const VariableSpec& g = spec.group;
    for (std::size_t k = 0; k < g.labels.size(); ++k)
      if (g.labels[k] == ms.treated.name || g.values[k] == ms.treated.name) m.treated_level = k;
    if (!ms.covariates.empty()) {
      for (const auto& c : ms.covariates) m.covariates.push_back(variable_named(c.name));
    } else {
      for (std::size_t k = 0; k < baseline.size(); ++k)
        if (!is_na(before[k].p) && before[k].p < ms.differing_p_below) m.covariates.push_back(baseline[k]);
      if (m.covariates.empty())
        throw AnalysisError(fmt::format("{} line {}: [matching] covariates = \"differing\": no baseline variable "
                                        "differs between the groups at P < {}",
                                        spec.source_name, ms.line, ms.differing_p_below));
    }
    m.rows = complete_rows(m.covariates, d.table.nrows);
    std::vector<std::uint8_t> treat;
    for (std::size_t r : m.rows)
      treat.push_back(d.group.factor.code[r] == static_cast<std::int32_t>(m.treated_level) ? 1 : 0);
    Dummies dm = dummies(m.covariates, m.rows);
    PropensityInput pin{treat, std::move(dm.x), dm.terms};
    const std::string where = fmt::format("{} line {}: [matching]", spec.source_name, ms.line);
    try {
      m.ps = fit_propensity(std::move(pin));
    } catch (const AnalysisError& err) {
      throw AnalysisError(where + " propensity score model: " + err.what());
    }
    warn("propensity score model", m.ps.warnings);
    m.distance = ms.use_logit ? m.ps.linear_predictor : m.ps.score;
    MatchData md{treat, m.distance, {}};
    try {
      m.match = fit_match(md, ms.options);
    } catch (const AnalysisError& err) {
      throw AnalysisError(where + " matched no one: " + err.what());
    }
    warn("matching", m.match.warnings);
    if (m.match.treated.matched == 0)
      throw AnalysisError(fmt::format("{} matched no one ({} treated, {} controls{})", where, m.match.treated.all,
                                      m.match.control.all,
                                      is_na(ms.options.caliper) ? "" : "; is the caliper too narrow?"));
    if (m.match.treated.unmatched > 0)
      rep.warnings.push_back(fmt::format("matching: {} of {} treated patients left unmatched", m.match.treated.unmatched,
                                         m.match.treated.all));
    m.weights.assign(d.table.nrows, 0.0);
    if (!m.match.subclass.empty()) m.subclass.assign(d.table.nrows, 0);
    for (std::size_t k = 0; k < m.rows.size(); ++k) {
      m.weights[m.rows[k]] = m.match.weights[k];
      if (!m.match.subclass.empty()) m.subclass[m.rows[k]] = m.match.subclass[k];
    }
    m.done = true;
    return m;
  }

  // ---------------------------------------------------------------- Table 5 + love plot
  void balance_table(int number, Matching* m, const std::vector<const StudyVariable*>& baseline,
                     const std::vector<GroupTest>& before) {
    const auto& glev = d.group.factor.levels;
    const std::size_t G = glev.size();
    std::vector<GroupTest> after;
    if (m) for (const auto* v : baseline) after.push_back(group_test(*v, &m->weights, "Table 5 after matching"));

    // SMDs: fit_balance on the matching units, for the baseline variables complete there.
    std::map<std::string, std::pair<double, double>> smd;  // term -> (before, after)
    BalanceResult bal;
    if (m) {
      BalanceData bd;
      for (std::size_t r : m->rows)
        bd.treat.push_back(d.group.factor.code[r] == static_cast<std::int32_t>(m->treated_level) ? 1 : 0);
      bd.distance = m->distance;
      bd.weights = m->match.weights;
      bd.match = &m->match;
      for (const auto* v : baseline) {
        BalanceCovariate cov;
        cov.name = v->spec->name + ": ";
        cov.factor.levels = v->factor.levels;
        bool complete = true;
        for (std::size_t r : m->rows) {
          complete = complete && v->factor.code[r] >= 0;
          cov.factor.code.push_back(v->factor.code[r]);
        }
        if (complete) bd.covariates.push_back(std::move(cov));
        else rep.warnings.push_back("Table 5: " + v->spec->label + " has missing values; no SMD");
      }
      bal = fit_balance(bd, BalanceOptions{});
      for (std::size_t k = 0; k < bal.all.size(); ++k)
        smd[bal.all[k].term] = {bal.all[k].std_mean_diff, bal.matched[k].std_mean_diff};
    }

    ReportTable t;
    t.id = fmt::format("table{}_balance", number);
    t.title = fmt::format("Table {}. Characteristics of the patients before and after propensity score matching", number);
    t.header = {"Characteristic"};
    std::vector<double> n_before(G, 0), n_after(G, 0);
    for (std::size_t r = 0; r < d.table.nrows; ++r) {
      n_before[static_cast<std::size_t>(d.group.factor.code[r])] += 1;
      if (m) n_after[static_cast<std::size_t>(d.group.factor.code[r])] += m->weights[r];
    }
    auto group_headers = [&](const std::vector<double>& n) {
      for (std::size_t k = 0; k < G; ++k)
        t.header.push_back(fmt::format("{} (N = {})", glev[k], study::count_cell(n[k]).text));
      t.header.push_back("P");
      if (m) t.header.push_back("SMD");
    };
    group_headers(n_before);
    if (m) group_headers(n_after);
    t.header_groups = {{"", 1}, {m ? "Before PSM" : "All patients", G + 1 + (m ? 1 : 0)}};
    if (m) t.header_groups.emplace_back("After PSM", G + 2);
    bool any_fisher = false;
    for (std::size_t k = 0; k < baseline.size(); ++k) {
      const StudyVariable& v = *baseline[k];
      ReportRow head;
      head.cells.assign(t.header.size(), ReportCell{});
      head.cells[0] = study::text_cell(v.spec->label);
      t.rows.push_back(head);
      for (std::size_t l = 0; l < v.factor.levels.size(); ++l) {
        ReportRow r;
        r.level = 1;
        r.cells.push_back(study::text_cell(v.factor.levels[l]));
        auto section = [&](const GroupTest& gt) {
          for (std::size_t gi = 0; gi < G; ++gi) r.cells.push_back(study::count_cell(gt.counts[l][gi]));
          any_fisher = any_fisher || (gt.fisher && l == 0);
          r.cells.push_back(l == 0 ? study::p_cell(gt.p, gt.fisher ? "\u2020" : "") : ReportCell{});
        };
        const std::string term = v.spec->name + ": " + v.factor.levels[l];
        section(before[k]);
        if (m) {
          r.cells.push_back(smd.count(term) ? study::fixed_cell(smd[term].first, 3) : ReportCell{});
          section(after[k]);
          r.cells.push_back(smd.count(term) ? study::fixed_cell(smd[term].second, 3) : ReportCell{});
        }
        t.rows.push_back(std::move(r));
      }
    }
    std::string test = spec.table1_test == Table1Test::ChiSquare ? "Pearson's chi-square test"
                       : spec.table1_test == Table1Test::Fisher ? "Fisher's exact test"
                                                                : "Pearson's chi-square test (without continuity correction)";
    t.notes.push_back("P: " + test + (any_fisher ? "; \u2020 Fisher's exact test, used because an expected count is below 5." : "."));
    if (m) {
      t.notes.push_back("SMD: standardized mean difference of each level indicator (treated minus control, divided by "
                        "the SD of the treated group before matching), as MatchIt's summary().");
      bool weighted = false;
      for (double w : m->weights) weighted = weighted || (w > 0 && w != 1.0);
      if (weighted)
        t.notes.push_back("After matching, counts are sums of the matching weights and P is the chi-square test of the "
                          "weighted table.");
    }
    rep.tables.push_back(std::move(t));

    if (m) {
      ReportFigure f;
      f.id = "love_plot";
      f.title = "Covariate balance before and after matching (Love plot)";
      f.caption = "Absolute standardized mean differences of the baseline variables before and after propensity score "
                  "matching; the dashed line marks 0.1.";
      f.kind = ReportFigure::Kind::Love;
      f.love.covariates.push_back("Propensity score (distance)");
      f.love.smd_before.push_back(bal.all.empty() ? NA : bal.all[0].std_mean_diff);
      f.love.smd_after.push_back(bal.matched.empty() ? NA : bal.matched[0].std_mean_diff);
      for (const auto* v : baseline)
        for (std::size_t l = 0; l < v->factor.levels.size(); ++l) {
          if (v->factor.levels.size() == 2 && l == v->reference) continue;  // a binary variable: one row
          const std::string term = v->spec->name + ": " + v->factor.levels[l];
          if (!smd.count(term)) continue;
          f.love.covariates.push_back(v->spec->label + ": " + v->factor.levels[l]);
          f.love.smd_before.push_back(smd[term].first);
          f.love.smd_after.push_back(smd[term].second);
        }
      rep.figures.push_back(std::move(f));
    }
  }

  // ---------------------------------------------------------------- figures
  /// Number at risk at each tick: the (weighted) number of rows with time >= tick, per
  /// group level present.  One sort per group, then a binary search per tick.
  static std::vector<std::vector<double>> at_risk(const SurvData& s, const Factor& g,
                                                  const std::vector<std::string>& curves,
                                                  const std::vector<double>& ticks) {
    std::vector<std::vector<double>> out;
    for (const auto& label : curves) {
      std::vector<std::pair<double, double>> tw;
      const auto code = static_cast<std::int32_t>(std::find(g.levels.begin(), g.levels.end(), label) - g.levels.begin());
      for (std::size_t i = 0; i < s.size(); ++i)
        if (g.code[i] == code) tw.emplace_back(s.time[i], s.w(i));
      std::sort(tw.begin(), tw.end());
      std::vector<double> suffix(tw.size() + 1, 0.0);
      for (std::size_t i = tw.size(); i-- > 0;) suffix[i] = suffix[i + 1] + tw[i].second;
      std::vector<double> row;
      for (double t : ticks) {
        const auto it = std::lower_bound(tw.begin(), tw.end(), std::make_pair(t, -std::numeric_limits<double>::infinity()));
        row.push_back(suffix[static_cast<std::size_t>(it - tw.begin())]);
      }
      out.push_back(std::move(row));
    }
    return out;
  }

  void km_figure(const StudyEndpoint& e, const Matching* m, char letter) {
    const std::vector<double>* w = m ? &m->weights : nullptr;
    const auto rows = complete_rows({&d.group}, d.table.nrows, w);
    const SurvData s = subset(e.surv, rows, w);
    const Factor g = subset(d.group.factor, rows);
    KmOptions ko;
    ko.conf_level = spec.conf_level;
    const KmResult km = fit_km(s, &g, ko);
    ReportFigure f;
    f.kind = ReportFigure::Kind::Km;
    const std::string when = m ? "after" : "before";
    f.id = fmt::format("figure1{}_{}_{}_matching", letter, e.spec->id, when);
    f.title = fmt::format("Figure 1{}. {} {} matching", letter, e.spec->name, when);
    if (!spec.matching.enabled) {
      f.id = fmt::format("figure1{}_{}", letter, e.spec->id);
      f.title = fmt::format("Figure 1{}. {}", letter, e.spec->name);
    }
    std::vector<std::string> labels;
    for (const auto& kg : km.groups) {
      KmCurve c;
      c.label = kg.group;
      for (const auto& p : kg.curve) {
        c.time.push_back(p.time);
        c.survival.push_back(p.survival);
        c.lower.push_back(p.lower);
        c.upper.push_back(p.upper);
        if (p.n_censor > 0) {
          c.censor_time.push_back(p.time);
          c.censor_survival.push_back(p.survival);
        }
      }
      labels.push_back(kg.group);
      f.km.curves.push_back(std::move(c));
    }
    KmPlotOptions& o = f.km.options;
    o.x_label = fmt::format("Time ({})", unit_of(e));
    o.y_label = e.spec->name + " probability";
    o.ci_bands = spec.ci_bands;
    f.km.risk.ticks = km_plot_ticks(f.km);
    f.km.risk.n_at_risk = at_risk(s, g, labels, f.km.risk.ticks);
    // Annotation: log-rank P and the HR(s) of the group against its reference.
    std::string note;
    try {
      const LogrankResult lr = fit_logrank(s, g, nullptr, LogrankOptions{});
      note = "Log-rank P " + (lr.test.p < 0.001 ? std::string("< 0.001") : "= " + study::format_fixed(lr.test.p, 3));
    } catch (const AnalysisError& err) {
      rep.warnings.push_back(f.title + ": " + err.what());
    }
    const std::vector<std::int32_t>* cluster = nullptr;
    std::vector<std::int32_t> own;
    if (m) {
      if (!m->subclass.empty()) cluster = &m->subclass;
      else {
        own.resize(d.table.nrows);
        std::iota(own.begin(), own.end(), 0);
        cluster = &own;
      }
    }
    const CoxFit cox = fit_cox_model({&d.group}, e, f.title + " Cox", w, cluster);
    const auto& levels = d.group.factor.levels;
    for (std::size_t l = 0; l < levels.size(); ++l) {
      const auto it = cox.term.find({0, l});
      if (l == d.group.reference || it == cox.term.end()) continue;
      const CoxTerm& ct = *it->second;
      note += fmt::format("\nHR{} {} ({:.0f}% CI {})", levels.size() > 2 ? " " + levels[l] : "",
                          study::format_fixed(ct.hr, 3), spec.conf_level * 100, study::ci_cell(ct.lower, ct.upper, 3).text);
    }
    o.annotation = note;
    f.caption = fmt::format("Kaplan\u2013Meier estimates of {} by {}{}, with {:.0f}% confidence bands; tick marks are "
                            "censored patients. HR: {} against {}{}.",
                            e.spec->name, spec.group.label, m ? " in the matched sample" : "", spec.conf_level * 100,
                            m ? "Cox model weighted by the matching weights with robust SE clustered on matched pairs"
                              : "univariate Cox model",
                            levels[d.group.reference],
                            m ? "; log-rank test on the matched sample" : "");
    rep.figures.push_back(std::move(f));
  }

  // ---------------------------------------------------------------- methods
  std::string methods(const Matching* m) const {
    std::string s;
    s += fmt::format("{} patients were analysed ({} records read", d.table.nrows, d.n_read);
    for (const auto& f : d.flow) s += fmt::format("; {} excluded: {}", f.excluded, f.criterion);
    s += "). ";
    std::vector<std::string> eps;
    for (const auto& e : d.endpoints) eps.push_back(e.spec->name + " (" + e.spec->short_name + ")");
    s += "Endpoints were " + join(eps) + ", measured in " + study::unit_name(d.endpoints[0].spec->unit);
    if (d.endpoints[0].spec->unit == TimeUnit::Months) s += " (days / 30.4375)";
    if (!spec.study_end_text.empty())
      s += "; follow-up was censored administratively at " + spec.study_end_text;
    s += ". ";
    s += "Survival was estimated with the Kaplan\u2013Meier method (Greenwood variance, log-transformed confidence "
         "intervals) and compared between groups with the log-rank test";
    if (!spec.landmarks.empty()) s += "; landmark survival rates are reported at " + join_numbers(spec.landmarks) + " " + unit_of(d.endpoints[0]);
    s += ". ";
    s += fmt::format("Hazard ratios with {:.0f}% confidence intervals were estimated with Cox proportional hazards "
                     "models ({} method for ties), univariately for each variable and in a multivariable model ",
                     spec.conf_level * 100, ties_name());
    if (!spec.multivariable.covariates.empty()) {
      std::vector<std::string> names;
      for (const auto& c : spec.multivariable.covariates) names.push_back(label_of(c.name));
      s += "including " + join(names) + ".";
    } else {
      s += fmt::format("including every variable with a univariate P < {}.", study::format_fixed(spec.multivariable.p_below, 3));
    }
    s += " Categorical characteristics were compared between groups with ";
    s += spec.table1_test == Table1Test::ChiSquare ? "Pearson's chi-square test."
         : spec.table1_test == Table1Test::Fisher ? "Fisher's exact test."
                                                  : "Pearson's chi-square test, or Fisher's exact test when an expected count was below 5.";
    if (m) {
      const MatchOptions& o = spec.matching.options;
      std::vector<std::string> names;
      for (const auto* v : m->covariates) names.push_back(v->spec->label);
      s += "\n\n";
      s += fmt::format("To reduce confounding by indication, the propensity of receiving {} was estimated by logistic "
                       "regression on {}",
                       d.group.factor.levels[m->treated_level], join(names));
      if (spec.matching.covariates.empty())
        s += fmt::format(" (the baseline variables that differed between the groups at P < {})",
                         study::format_fixed(spec.matching.differing_p_below, 3));
      s += fmt::format(", and patients were matched 1:{} by greedy nearest-neighbour matching on the {}", o.ratio,
                       spec.matching.use_logit ? "logit of the propensity score" : "propensity score");
      if (!is_na(o.caliper))
        s += fmt::format(" within a caliper of {} {}", study::format_fixed(o.caliper, 2),
                         o.std_caliper ? "standard deviations of the distance" : "distance units");
      const char* order = o.order == MatchOrder::largest ? "largest" : o.order == MatchOrder::smallest ? "smallest"
                          : o.order == MatchOrder::data ? "data" : "random";
      s += fmt::format(", {} replacement, in {} order", o.replace ? "with" : "without", order);
      s += fmt::format(" ({} of {} {} patients matched). ", m->match.treated.matched, m->match.treated.all,
                       d.group.factor.levels[m->treated_level]);
      s += "Balance was assessed with standardized mean differences. In the matched sample, survival was compared with "
           "Kaplan\u2013Meier curves, the log-rank test and a Cox model weighted by the matching weights with robust "
           "standard errors clustered on matched pairs.";
    }
    s += fmt::format("\n\nAll tests were two-sided and P < {} was considered statistically significant. Analyses were "
                     "performed with survkit {} (numerically identical to R survival 3.5 / MatchIt 4.5).",
                     study::format_fixed(spec.alpha, 2), SURVKIT_VERSION);
    return s;
  }

  std::string label_of(const std::string& name) const {
    const StudyVariable* v = variable_named(name);
    return v ? v->spec->label : name;
  }

  static std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (std::size_t k = 0; k < v.size(); ++k) s += (k == 0 ? "" : k + 1 == v.size() ? " and " : ", ") + v[k];
    return s;
  }
};

}  // namespace

StudyReport run_study(const StudySpec& spec, const Table& data) {
  StudyData d = study::derive_study_data(spec, data);
  StudyReport rep;
  rep.title = spec.title;
  rep.source = spec.data_file;
  rep.n_read = d.n_read;
  rep.flow = d.flow;
  rep.n_analysed = d.table.nrows;
  rep.software = std::string("survkit ") + SURVKIT_VERSION;

  std::size_t groups_present = 0;
  for (std::size_t l = 0; l < d.group.factor.levels.size(); ++l)
    groups_present += std::count(d.group.factor.code.begin(), d.group.factor.code.end(), static_cast<std::int32_t>(l)) > 0;
  if (groups_present < 2)
    throw AnalysisError(fmt::format("{} line {}: [group] has fewer than two levels among the analysed patients",
                                    spec.source_name, spec.group.line));
  for (std::size_t r = 0; r < d.table.nrows; ++r)
    if (d.group.factor.code[r] < 0)
      throw InputError(fmt::format("{} line {}: the group column '{}' is missing", data.source, d.table.line(r),
                                   spec.group.from.name),
                       data.source, d.table.line(r), spec.group.from.name);

  Analyser a{spec, d, rep, {}};
  a.cox_options.ties = spec.ties;
  a.cox_options.conf_level = spec.conf_level;

  const int E = static_cast<int>(d.endpoints.size());
  std::vector<std::map<std::string, double>> min_p;
  for (int k = 0; k < E; ++k) min_p.push_back(a.univariate_table(d.endpoints[k], k + 1));

  std::vector<const StudyVariable*> baseline;
  for (const auto& v : d.variables)
    if (v.spec->baseline) baseline.push_back(&v);
  std::vector<Analyser::GroupTest> before;
  for (const auto* v : baseline) before.push_back(a.group_test(*v, nullptr, "Table 5 before matching"));
  Analyser::Matching m;
  if (spec.matching.enabled) m = a.match_groups(before, baseline);

  ReportTable med;
  med.id = "medians";
  med.title = "Median survival by " + spec.group.label;
  med.header = {"Endpoint / group", "N", "Events", "Median (95% CI)", "Log-rank P"};
  for (const auto& e : d.endpoints) {
    a.medians_rows(med, e, nullptr, fmt::format("{} ({})", e.spec->name, a.unit_of(e)));
    if (m.done) a.medians_rows(med, e, &m.weights, fmt::format("{}, matched sample ({})", e.spec->name, a.unit_of(e)));
  }
  med.notes.push_back(fmt::format("Kaplan\u2013Meier median with its {:.0f}% CI (log transform); NR: not reached.",
                                  spec.conf_level * 100));
  rep.tables.push_back(std::move(med));

  for (int k = 0; k < E; ++k) a.multivariable_table(d.endpoints[k], E + k + 1, min_p[k]);
  a.balance_table(2 * E + 1, m.done ? &m : nullptr, baseline, before);

  // Figure 1: each endpoint before (and after) matching.
  char letter = 'a';
  for (const auto& e : d.endpoints) {
    a.km_figure(e, nullptr, letter++);
    if (m.done) a.km_figure(e, &m, letter++);
  }
  // The love plot was appended by balance_table before the KM figures: move it last.
  std::stable_partition(rep.figures.begin(), rep.figures.end(),
                        [](const ReportFigure& f) { return f.kind == ReportFigure::Kind::Km; });
  rep.methods = a.methods(m.done ? &m : nullptr);
  return rep;
}

}  // namespace survkit
