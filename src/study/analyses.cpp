// analyse_study: every fit of a study, once (see analyses.hpp for the contract).
#include "study/analyses.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <memory>
#include <numeric>

#include "survkit/crosstab.hpp"

namespace survkit::study {

const CoxTerm* CoxModel::term(std::size_t var, std::size_t level) const {
  if (error) return nullptr;
  const auto it = term_of.find({var, level});
  return it == term_of.end() ? nullptr : &result.terms[it->second];
}

std::size_t CoxModel::ph_index(std::size_t var) const {
  if (!zph || var >= vars.size()) return zph ? zph->terms.size() : 0;
  std::size_t k = 0;
  while (k < zph->terms.size() && zph->terms[k].term != vars[var]->spec->name) ++k;
  return k;
}

const CoxZphTerm* CoxModel::ph_term(std::size_t var) const {
  const std::size_t k = ph_index(var);
  return zph && k < zph->terms.size() ? &zph->terms[k] : nullptr;
}

double landmark_survival(const KmGroup& g, double t) {
  double s = NA;
  for (const auto& at : g.at)
    if (at.time == t) s = at.survival;
  if (is_na(s) && !g.curve.empty() && g.curve.back().survival == 0.0 && t > g.curve.back().time) s = 0.0;
  return s;
}

namespace {

using VarList = std::vector<const StudyVariable*>;

/// Rows (of the analysed data) where every listed variable is present and, when
/// weighted, whose weight is > 0.
std::vector<std::size_t> complete_rows(const VarList& vars, std::size_t n, const std::vector<double>* weights = nullptr) {
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

Dummies dummies(const VarList& vars, const std::vector<std::size_t>& rows) {
  Dummies d;
  for (std::size_t v = 0; v < vars.size(); ++v)
    for (std::size_t l = 0; l < vars[v]->factor.levels.size(); ++l)
      if (l != vars[v]->reference) d.source.emplace_back(v, l);
  d.x.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(d.source.size()));
  for (std::size_t j = 0; j < d.source.size(); ++j) {
    const auto [v, l] = d.source[j];
    // Named as the report names them, "Nodes: > 3" (not "nodes=> 3").
    d.terms.push_back(vars[v]->spec->label + ": " + vars[v]->factor.levels[l]);
    for (std::size_t k = 0; k < rows.size(); ++k)
      d.x(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) =
          vars[v]->factor.code[rows[k]] == static_cast<std::int32_t>(l) ? 1.0 : 0.0;
  }
  return d;
}

class Analyser {
 public:
  Analyser(const StudySpec& spec, StudyResults& r) : spec_(spec), r_(r), d_(r.data) {
    cox_options_.ties = spec.ties;
    cox_options_.conf_level = spec.conf_level;
  }

  void run() {
    for (const auto& e : d_.endpoints) {
      EndpointResults er;
      er.endpoint = &e;
      for (const StudyVariable* v : all_variables()) er.univariate.push_back(univariate(e, *v));
      r_.endpoints.push_back(std::move(er));
    }
    for (const auto& v : d_.variables)
      if (v.spec->baseline) r_.baseline.push_back(&v);
    for (const auto* v : r_.baseline) r_.before.push_back(group_test(*v, nullptr, "Table 5 before matching"));
    if (spec_.matching.enabled) r_.matching = match_groups();
    for (auto& er : r_.endpoints) {
      const StudyEndpoint& e = *er.endpoint;
      const std::string unit = unit_name(e.spec->unit);
      er.followup = followup(e);
      er.all = compare_groups(e, nullptr, fmt::format("{} ({})", e.spec->name, unit));
      er.all.cox = er.univariate.back().cox;  // the group's univariate model: the same fit
      if (r_.matching)
        er.matched = compare_groups(e, &*r_.matching, fmt::format("{}, matched sample ({})", e.spec->name, unit));
    }
    for (auto& er : r_.endpoints) er.multivariable = multivariable(er);
    if (r_.matching)
      for (const auto* v : r_.baseline) {
        r_.after.push_back(group_test(*v, &r_.matching->weights, "Table 5 after matching"));
        r_.smd.push_back(level_smd(*v, r_.matching->weights));
      }
    group_sizes();
  }

 private:
  const StudySpec& spec_;
  StudyResults& r_;
  const StudyData& d_;
  CoxOptions cox_options_;

  std::size_t n() const { return d_.table.nrows; }

  void warn(const std::string& context, const std::vector<std::string>& ws) {
    for (const auto& w : ws) r_.warnings.push_back(context + ": " + w);
  }

  VarList all_variables() const {
    VarList v;
    for (const auto& x : d_.variables) v.push_back(&x);
    v.push_back(&d_.group);
    return v;
  }

  const StudyVariable* variable_named(const std::string& name) const {
    if (name == "group") return &d_.group;
    for (const auto& v : d_.variables)
      if (v.spec->name == name) return &v;
    return nullptr;
  }

  CoxModel cox_model(const VarList& vars, const StudyEndpoint& e, const std::string& context,
                     const std::vector<double>* weights = nullptr, const std::vector<std::int32_t>* cluster = nullptr) {
    CoxModel m;
    m.vars = vars;
    const auto rows = complete_rows(vars, n(), weights);
    Dummies dm = dummies(vars, rows);
    CoxInput in;
    in.surv = subset(e.surv, rows, weights);
    in.x = std::move(dm.x);
    in.terms = dm.terms;
    if (cluster)
      for (std::size_t r : rows) in.cluster.push_back((*cluster)[r]);
    CoxOptions opt = cox_options_;
    if (weights && !cluster) opt.robust = true;
    m.n = rows.size();
    try {
      m.result = fit_cox(in, opt);
    } catch (const AnalysisError& err) {
      m.error = err.what();
      r_.warnings.push_back(context + ": " + *m.error);
      return m;
    }
    warn(context, m.result.warnings);
    for (std::size_t j = 0; j < dm.source.size(); ++j) m.term_of[dm.source[j]] = j;
    ph_test(m, in, dm, context);
    return m;
  }

  /// The proportional-hazards test of a fitted model: one term per variable (its dummies).
  void ph_test(CoxModel& m, const CoxInput& in, const Dummies& dm, const std::string& context) {
    std::vector<CoxZphTermSpec> terms;
    for (std::size_t v = 0; v < m.vars.size(); ++v) {
      CoxZphTermSpec t{m.vars[v]->spec->name, {}};
      for (std::size_t j = 0; j < dm.source.size(); ++j)
        if (dm.source[j].first == v) t.columns.push_back(j);
      if (!t.columns.empty()) terms.push_back(std::move(t));
    }
    CoxZphOptions zo;
    zo.transform = spec_.ph_transform;
    try {
      m.zph = fit_cox_zph(in, m.result, zo, terms);
      warn(context + ", proportional-hazards test", m.zph->warnings);
    } catch (const Error& err) {
      m.zph_error = err.what();
      r_.warnings.push_back(context + ": no proportional-hazards test (" + *m.zph_error + ")");
    }
  }

  LogrankFit logrank(const SurvData& s, const Factor& g, const std::string& context) {
    LogrankFit f;
    try {
      f.result = fit_logrank(s, g, nullptr, LogrankOptions{});
      warn(context, f.result->warnings);
    } catch (const AnalysisError& err) {
      f.error = err.what();
      r_.warnings.push_back(context + ": " + *f.error);
    }
    return f;
  }

  // ---------------------------------------------------------------- Tables 1 and 2
  UnivariateResult univariate(const StudyEndpoint& e, const StudyVariable& v) {
    UnivariateResult u;
    u.var = &v;
    const auto rows = complete_rows({&v}, n());
    const Factor f = subset(v.factor, rows);
    KmOptions ko;
    ko.times = spec_.landmarks;
    ko.conf_level = spec_.conf_level;
    u.km = fit_km(subset(e.surv, rows, nullptr), &f, ko);
    u.cox = cox_model({&v}, e, fmt::format("{} univariate Cox, {}", e.spec->short_name, v.spec->label));
    u.n_missing = static_cast<double>(n() - rows.size());
    for (std::size_t l = 0; l < f.levels.size(); ++l) {
      u.n_level.push_back(static_cast<double>(std::count(f.code.begin(), f.code.end(), static_cast<std::int32_t>(l))));
      const KmGroup* g = nullptr;
      for (const auto& kg : u.km.groups)
        if (kg.group == f.levels[l]) g = &kg;
      std::vector<double> rates;
      for (double lm : spec_.landmarks) rates.push_back(g ? landmark_survival(*g, lm) : NA);
      u.landmark_survival.push_back(std::move(rates));
      if (const CoxTerm* t = u.cox.term(0, l); t && !is_na(t->p) && (is_na(u.min_p) || t->p < u.min_p)) u.min_p = t->p;
    }
    return u;
  }

  // ---------------------------------------------------------------- group comparisons
  GroupComparison compare_groups(const StudyEndpoint& e, const MatchingResults* m, const std::string& heading) {
    GroupComparison c;
    c.matched = m != nullptr;
    const std::vector<double>* w = m ? &m->weights : nullptr;
    const auto rows = complete_rows({&d_.group}, n(), w);
    c.surv = subset(e.surv, rows, w);
    c.group = subset(d_.group.factor, rows);
    KmOptions ko;
    ko.conf_level = spec_.conf_level;
    ko.times = spec_.landmarks;
    c.km = fit_km(c.surv, &c.group, ko);
    c.logrank = logrank(c.surv, c.group, heading + " log-rank");
    if (m && !m->subclass.empty()) {
      Factor pairs;
      for (std::size_t r : rows) pairs.code.push_back(m->subclass[r]);
      std::int32_t top = 0;
      for (auto code : pairs.code) top = std::max(top, code);
      for (std::int32_t k = 0; k <= top; ++k) pairs.levels.push_back(std::to_string(k));
      try {
        c.logrank_by_pair.result = fit_logrank(c.surv, c.group, &pairs, LogrankOptions{});
        warn(heading + " log-rank stratified on pairs", c.logrank_by_pair.result->warnings);
      } catch (const AnalysisError& err) {
        c.logrank_by_pair.error = err.what();
        r_.warnings.push_back(heading + " log-rank stratified on pairs: " + *c.logrank_by_pair.error);
      }
    }
    if (m) {
      // Weighted by the matching weights, robust SE clustered on the matched pairs (on
      // the patient when matching with replacement, which has no pairs).
      std::vector<std::int32_t> cluster = m->subclass;
      if (cluster.empty()) {
        cluster.resize(n());
        std::iota(cluster.begin(), cluster.end(), 0);
      }
      c.cox = cox_model({&d_.group}, e, heading + " weighted Cox", w, &cluster);
    }
    return c;
  }

  // ---------------------------------------------------------------- follow-up
  FollowUp followup(const StudyEndpoint& e) const {
    FollowUp f;
    KmOptions ko;
    ko.conf_level = spec_.conf_level;
    ko.times = spec_.landmarks;
    f.overall = fit_km(e.surv, nullptr, ko);
    SurvData reverse = e.surv;
    for (auto& s : reverse.status) s = s ? 0 : 1;
    const std::vector<double> probs = {0.25, 0.5, 0.75};
    f.quartiles.push_back(km_quantiles(fit_km(reverse, nullptr, KmOptions{}).groups[0], probs));
    for (const auto& g : fit_km(reverse, &d_.group.factor, KmOptions{}).groups)
      f.quartiles.push_back(km_quantiles(g, probs));
    return f;
  }

  // ---------------------------------------------------------------- Tables 3 and 4
  MultivariableResult multivariable(const EndpointResults& er) {
    MultivariableResult mv;
    const StudyEndpoint& e = *er.endpoint;
    const std::vector<SpecName>& list = e.spec->has_multivariable ? e.spec->multivariable : spec_.multivariable.covariates;
    mv.by_list = !list.empty();
    if (mv.by_list) {
      for (const auto& c : list) mv.vars.push_back(variable_named(c.name));
    } else {
      for (const auto& u : er.univariate)
        if (!is_na(u.min_p) && u.min_p < spec_.multivariable.p_below) mv.vars.push_back(u.var);
    }
    if (!mv.vars.empty()) mv.cox = cox_model(mv.vars, e, e.spec->short_name + " multivariable Cox");
    return mv;
  }

  // ---------------------------------------------------------------- Table 5 tests
  GroupTest group_test(const StudyVariable& v, const std::vector<double>* weights, const std::string& context) {
    GroupTest gt;
    const std::size_t L = v.factor.levels.size(), G = d_.group.factor.levels.size();
    gt.counts.assign(L, std::vector<double>(G, 0.0));
    gt.missing.assign(G, 0.0);
    for (std::size_t r = 0; r < n(); ++r)
      if (v.factor.code[r] < 0 && (!weights || (*weights)[r] > 0))
        gt.missing[static_cast<std::size_t>(d_.group.factor.code[r])] += weights ? (*weights)[r] : 1.0;
    const auto rows = complete_rows({&v, &d_.group}, n(), weights);
    for (std::size_t r : rows)
      gt.counts[static_cast<std::size_t>(v.factor.code[r])][static_cast<std::size_t>(d_.group.factor.code[r])] +=
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
    const Factor rf = subset(v.factor, rows), cf = subset(d_.group.factor, rows);
    try {
      // Fisher's exact test only where it is reported: always under "fisher", under
      // "auto" only when an expected count is below 5 (it can cost seconds on large
      // tables; it is bounded, see fisher_exact).
      CrosstabOptions co;
      co.fisher = spec_.table1_test == Table1Test::Fisher;
      CrosstabResult ct = fit_crosstab(rf, cf, co);
      gt.fisher = spec_.table1_test == Table1Test::Fisher || (spec_.table1_test == Table1Test::Auto && ct.min_expected < 5);
      if (gt.fisher && !co.fisher) {
        co.fisher = true;
        ct = fit_crosstab(rf, cf, co);
      }
      gt.p = gt.fisher ? ct.fisher_p : ct.chisq.p;
      for (const auto& w : ct.warnings)
        if (!(gt.fisher && w.find("Chi-squared approximation") != std::string::npos))
          r_.warnings.push_back(context + ", " + v.spec->label + ": " + w);
    } catch (const AnalysisError& err) {
      // One level only in this sample (e.g. after matching): no test.
      r_.warnings.push_back(context + ", " + v.spec->label + ": no test (" + err.what() + ")");
    }
    return gt;
  }

  /// SMDs of each level of `v` (fit_balance, MatchIt's formula) on the patients who have
  /// it: all of them before matching, weighted by `weights` after.
  LevelSmd level_smd(const StudyVariable& v, const std::vector<double>& weights) const {
    const auto rows = complete_rows({&v}, n());
    const auto treated = static_cast<std::int32_t>(r_.matching->treated_level);
    BalanceData bd;
    BalanceCovariate cov;
    cov.name = v.spec->name;
    cov.factor.levels = v.factor.levels;
    for (std::size_t r : rows) {
      bd.treat.push_back(d_.group.factor.code[r] == treated ? 1 : 0);
      bd.weights.push_back(weights[r]);
      cov.factor.code.push_back(v.factor.code[r]);
    }
    bd.covariates.push_back(std::move(cov));
    BalanceOptions bo;
    bo.chisq = false;
    const BalanceResult bal = fit_balance(bd, bo);
    LevelSmd out;
    out.before.assign(v.factor.levels.size(), NA);
    out.after.assign(v.factor.levels.size(), NA);
    for (std::size_t k = 0; k < bal.all.size(); ++k)
      for (std::size_t l = 0; l < v.factor.levels.size(); ++l)
        if (bal.all[k].term == v.spec->name + v.factor.levels[l]) {
          out.before[l] = bal.all[k].std_mean_diff;
          out.after[l] = bal.matched[k].std_mean_diff;
        }
    return out;
  }

  // ---------------------------------------------------------------- matching
  VarList matching_covariates(MatchingResults& m) const {
    const MatchingSpec& ms = spec_.matching;
    VarList vars;
    if (!ms.covariates.empty()) {
      for (const auto& c : ms.covariates) vars.push_back(variable_named(c.name));
      return vars;
    }
    m.by_difference = true;
    for (std::size_t k = 0; k < r_.baseline.size(); ++k)
      if (!is_na(r_.before[k].p) && r_.before[k].p < ms.differing_p_below) vars.push_back(r_.baseline[k]);
    if (vars.empty())
      throw AnalysisError(fmt::format("{} line {}: [matching] covariates = \"differing\": no baseline variable "
                                      "differs between the groups at P < {}",
                                      spec_.source_name, ms.line, ms.differing_p_below));
    return vars;
  }

  MatchingResults match_groups() {
    MatchingResults m;
    const MatchingSpec& ms = spec_.matching;
    const VariableSpec& g = spec_.group;
    for (std::size_t k = 0; k < g.labels.size(); ++k)
      if (g.labels[k] == ms.treated.name || g.values[k] == ms.treated.name) m.treated_level = k;
    m.covariates = matching_covariates(m);
    m.rows = complete_rows(m.covariates, n());
    MatchingFrame frame;
    for (std::size_t r : m.rows)
      frame.treat.push_back(d_.group.factor.code[r] == static_cast<std::int32_t>(m.treated_level) ? 1 : 0);
    Dummies dm = dummies(m.covariates, m.rows);
    frame.x = std::move(dm.x);
    frame.terms = std::move(dm.terms);
    for (const auto* v : m.covariates)
      if (std::any_of(v->factor.code.begin(), v->factor.code.end(), [](std::int32_t c) { return c < 0; }))
        m.missing_covariates.push_back(v);
    if (m.rows.size() < n()) {
      std::vector<std::string> names;
      for (const auto* v : m.missing_covariates) names.push_back(v->spec->label);
      std::string list;
      for (std::size_t k = 0; k < names.size(); ++k) list += (k ? ", " : "") + names[k];
      r_.warnings.push_back(fmt::format("matching: {} of {} patients not eligible for matching (missing {})",
                                        n() - m.rows.size(), n(), list));
    }
    MatchingOptions mo;
    mo.distance = ms.use_logit ? Distance::Logit : Distance::Ps;
    mo.match = ms.options;
    try {
      m.result = run_matching(std::move(frame), mo);
    } catch (const AnalysisError& err) {
      throw AnalysisError(fmt::format("{} line {}: [matching] {}", spec_.source_name, ms.line, err.what()));
    }
    warn("matching", m.result.warnings);
    const MatchResult& mr = m.result.match;
    m.weights.assign(n(), 0.0);
    if (!mr.subclass.empty()) m.subclass.assign(n(), 0);
    for (std::size_t k = 0; k < m.rows.size(); ++k) {
      m.weights[m.rows[k]] = mr.weights[k];
      if (!mr.subclass.empty()) m.subclass[m.rows[k]] = mr.subclass[k];
    }
    for (double w : m.weights) m.weighted = m.weighted || (w > 0 && w != 1.0);
    return m;
  }

  void group_sizes() {
    const std::size_t G = d_.group.factor.levels.size();
    r_.n_group_before.assign(G, 0.0);
    if (r_.matching) r_.n_group_after.assign(G, 0.0);
    for (std::size_t r = 0; r < n(); ++r) {
      const auto g = static_cast<std::size_t>(d_.group.factor.code[r]);
      r_.n_group_before[g] += 1;
      if (r_.matching) r_.n_group_after[g] += r_.matching->weights[r];
    }
  }
};

/// The group must have two levels among the analysed patients, and no patient without
/// a group.
void check_group(const StudySpec& spec, const Table& data, const StudyData& d) {
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
}

}  // namespace

std::unique_ptr<const StudyResults> analyse_study(const StudySpec& spec, const Table& data) {
  auto r = std::make_unique<StudyResults>();
  r->data = derive_study_data(spec, data);
  check_group(spec, data, r->data);
  Analyser(spec, *r).run();
  return r;
}

}  // namespace survkit::study
