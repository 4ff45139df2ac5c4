#include "study/tables.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "study/format.hpp"
#include "study/wording.hpp"

namespace survkit::study {

namespace {

std::string unit_of(const StudyEndpoint& e) { return unit_name(e.spec->unit); }

/// Landmark k as a time: the spec's label, or "3-year" / "18-month" (in the unit of
/// the first endpoint when `e` is null).
std::string landmark_time(const StudySpec& spec, std::size_t k, TimeUnit unit) {
  if (!spec.landmark_labels.empty()) return spec.landmark_labels[k];
  const double t = spec.landmarks[k];
  const double years = t * days_per(unit) / kDaysPerYear;
  if (unit == TimeUnit::Months && std::fmod(t, 12.0) == 0) return fmt::format("{:.0f}-year", t / 12.0);
  if (unit == TimeUnit::Years) return fmt::format("{}-year", format_fixed(years, t == std::floor(t) ? 0 : 1));
  return fmt::format("{}-{}", format_fixed(t, t == std::floor(t) ? 0 : 1), unit == TimeUnit::Days ? "day" : "month");
}

/// The column label of landmark k: "3-year OS".
std::string landmark_label(const StudySpec& spec, std::size_t k, const StudyEndpoint& e) {
  return landmark_time(spec, k, e.spec->unit) + " " + e.spec->short_name;
}

/// The KM estimates of a curve at the landmarks (summary(times =); a curve that ended
/// at 0 with an event stays 0).
std::vector<ReportCell> landmark_cells(const StudySpec& spec, const KmGroup& g) {
  std::vector<ReportCell> cells;
  for (double lm : spec.landmarks) cells.push_back(percent_cell(landmark_survival(g, lm)));
  return cells;
}

/// "36.1 (IQR 20.3–60.2)": a median follow-up and its quartiles.
ReportCell followup_cell(const std::vector<Estimate>& q) {
  if (is_na(q[1].estimate)) return ReportCell{"NR", NA};
  return ReportCell{time_text(q[1].estimate) + " (IQR " + time_text(q[0].estimate) + "\u2013" + time_text(q[2].estimate) + ")",
                    q[1].estimate, q[0].estimate, q[2].estimate};
}

/// Which level each HR is against: "the reference level (blank row; the first listed)",
/// naming the variables whose reference is not their first level ("...; the first
/// listed except PgR: Positive").
std::string reference_clause(const std::vector<const StudyVariable*>& vars) {
  std::vector<std::string> other;
  for (const StudyVariable* v : vars)
    if (v->reference != 0) other.push_back(v->spec->label + ": " + v->factor.levels[v->reference]);
  std::string s = "the reference level (blank row; the first listed";
  if (!other.empty()) s += " except " + wording::join(other);
  return s + ")";
}

/// A variable's heading row: its label, the other cells empty.
ReportRow heading_row(const std::string& label, std::size_t columns) {
  ReportRow head;
  head.cells.assign(columns, ReportCell{});
  head.cells[0] = text_cell(label);
  return head;
}

/// HR, CI and P of a Cox term (three empty cells without one: the reference level).
void add_hr_cells(ReportRow& row, const CoxTerm* t) {
  if (!t) {
    row.cells.insert(row.cells.end(), 3, ReportCell{});
    return;
  }
  row.cells.push_back(fixed_cell(t->hr, 3));
  row.cells.push_back(ci_cell(t->lower, t->upper));
  row.cells.push_back(p_cell(t->p));
}

/// The proportional-hazards P of vars[var] of a model (empty without a test).
ReportCell ph_cell(const CoxModel& m, std::size_t var) {
  const CoxZphTerm* t = m.ph_term(var);
  return t ? p_cell(t->p) : ReportCell{};
}

/// "Missing" under a variable: its N in the second column, the rest empty.
ReportRow missing_row(double n, std::size_t columns) {
  ReportRow row;
  row.level = 1;
  row.cells.assign(columns, ReportCell{});
  row.cells[0] = text_cell("Missing");
  row.cells[1] = count_cell(n);
  return row;
}

void add_median_rows(ReportTable& t, const GroupComparison& c, const std::string& heading) {
  ReportRow head;
  head.cells = {text_cell(heading), ReportCell{}, ReportCell{}, ReportCell{}, p_cell(c.logrank.p())};
  t.rows.push_back(head);
  for (const auto& kg : c.km.groups) {
    ReportRow r;
    r.level = 1;
    r.cells = {text_cell(kg.group), count_cell(kg.n_start), count_cell(kg.events),
               median_cell(kg.median.estimate, kg.median.lower, kg.median.upper), ReportCell{}};
    t.rows.push_back(std::move(r));
  }
}

}  // namespace

ReportTable univariate_table(const StudySpec& spec, const StudyResults& r, std::size_t endpoint, int number) {
  const EndpointResults& er = r.endpoints[endpoint];
  const StudyEndpoint& e = *er.endpoint;
  ReportTable t;
  t.id = fmt::format("table{}_{}", number, e.spec->id);
  t.title = fmt::format("Table {}. Characteristics of {} patients and univariate analyses of predictive factors for {}",
                        number, r.data.table.nrows, e.spec->short_name);
  t.header = {"Characteristic", "N"};
  for (std::size_t k = 0; k < spec.landmarks.size(); ++k) t.header.push_back(landmark_label(spec, k, e));
  t.header.insert(t.header.end(), {"HR", "95% CI", "P", "PH P"});
  bool any_missing = false;
  std::vector<const StudyVariable*> vars;
  for (const UnivariateResult& u : er.univariate) {
    vars.push_back(u.var);
    ReportRow head = heading_row(u.var->spec->label, t.header.size());
    if (u.n_missing > 0) head.cells[1] = count_cell(u.cox.n);  // the model's N, below the analysed N
    head.cells.back() = ph_cell(u.cox, 0);
    t.rows.push_back(std::move(head));
    for (std::size_t l = 0; l < u.var->factor.levels.size(); ++l) {
      ReportRow row;
      row.level = 1;
      row.cells.push_back(text_cell(u.var->factor.levels[l]));
      row.cells.push_back(count_cell(u.n_level[l]));
      for (double s : u.landmark_survival[l]) row.cells.push_back(percent_cell(s));
      add_hr_cells(row, l == u.var->reference ? nullptr : u.cox.term(0, l));
      row.cells.emplace_back();  // PH P: on the variable's row
      t.rows.push_back(std::move(row));
    }
    if (u.n_missing > 0) {
      any_missing = true;
      t.rows.push_back(missing_row(u.n_missing, t.header.size()));
    }
  }
  t.notes.push_back(fmt::format(
      "Rates: {} estimates at {} {} (blank: beyond the group's last follow-up time while its "
      "curve is above 0, as R's summary(survfit, times =) drops it). HR: hazard ratio against {}, univariate Cox "
      "model per variable ({} ties), {} Wald CI, Wald P.",
      wording::kKaplanMeier, wording::join_numbers(spec.landmarks), unit_of(e), reference_clause(vars),
      wording::ties(spec.ties),
      wording::percent(spec.conf_level)));
  t.notes.push_back(wording::ph_column_note(spec.ph_transform, spec.alpha, false));
  if (any_missing)
    t.notes.push_back("Missing: patients without the characteristic; they are left out of its rates and its Cox model, "
                      "whose N is given on the characteristic's row.");
  return t;
}

ReportTable medians_table(const StudySpec& spec, const StudyResults& r) {
  ReportTable t;
  t.id = "medians";
  t.title = "Median survival by " + spec.group.label;
  t.header = {"Endpoint / group", "N", "Events", "Median (95% CI)", "Log-rank P"};
  for (const auto& er : r.endpoints) {
    const StudyEndpoint& e = *er.endpoint;
    add_median_rows(t, er.all, fmt::format("{} ({})", e.spec->name, unit_of(e)));
    if (er.matched) add_median_rows(t, *er.matched, fmt::format("{}, matched sample ({})", e.spec->name, unit_of(e)));
  }
  t.notes.push_back(fmt::format("{} median with its {} CI (log transform); NR: not reached.", wording::kKaplanMeier,
                                wording::percent(spec.conf_level)));
  return t;
}

ReportTable followup_table(const StudySpec& spec, const StudyResults& r) {
  ReportTable t;
  t.id = "followup";
  t.title = "Follow-up and survival of all patients and by " + spec.group.label;
  t.header = {"Endpoint / group", "N", "Events", "Median (95% CI)"};
  const TimeUnit unit = r.endpoints[0].endpoint->spec->unit;
  for (std::size_t k = 0; k < spec.landmarks.size(); ++k) t.header.push_back(landmark_time(spec, k, unit) + " rate");
  t.header.push_back("Median follow-up (IQR)");
  for (const auto& er : r.endpoints) {
    const StudyEndpoint& e = *er.endpoint;
    t.rows.push_back(heading_row(fmt::format("{} ({})", e.spec->name, unit_of(e)), t.header.size()));
    auto add = [&](const std::string& label, const KmGroup& g, const std::vector<Estimate>& fu) {
      ReportRow row;
      row.level = 1;
      row.cells = {text_cell(label), count_cell(g.n_start), count_cell(g.events),
                   median_cell(g.median.estimate, g.median.lower, g.median.upper)};
      for (auto& c : landmark_cells(spec, g)) row.cells.push_back(std::move(c));
      row.cells.push_back(followup_cell(fu));
      t.rows.push_back(std::move(row));
    };
    add("All patients", er.followup.overall.groups[0], er.followup.quartiles[0]);
    const auto& groups = er.all.km.groups;
    for (std::size_t g = 0; g < groups.size(); ++g) add(groups[g].group, groups[g], er.followup.quartiles[g + 1]);
  }
  t.notes.push_back(fmt::format("{} estimates with {} CI (log transform); NR: not reached. Follow-up: reverse {} "
                                "estimate (censoring as the event), median and interquartile range, as R's "
                                "quantile(survfit(Surv(time, 1 - status) ~ 1)).",
                                wording::kKaplanMeier, wording::percent(spec.conf_level), wording::kKaplanMeier));
  return t;
}

ReportTable matched_table(const StudySpec& spec, const StudyResults& r) {
  ReportTable t;
  t.id = "matched_results";
  t.title = "Survival in the propensity-score-matched sample";
  t.header = {"Endpoint / group", "N", "Events", "Median (95% CI)"};
  const TimeUnit unit = r.endpoints[0].endpoint->spec->unit;
  for (std::size_t k = 0; k < spec.landmarks.size(); ++k) t.header.push_back(landmark_time(spec, k, unit) + " rate");
  t.header.insert(t.header.end(), {"HR (95% CI)", "P", "Robust score P", "Stratified log-rank P", "Log-rank P"});
  const StudyVariable& group = r.data.group;
  for (const auto& er : r.endpoints) {
    const GroupComparison& c = *er.matched;
    const StudyEndpoint& e = *er.endpoint;
    ReportRow head = heading_row(fmt::format("{} ({})", e.spec->name, unit_of(e)), t.header.size());
    const std::size_t tests = t.header.size() - 3;
    head.cells[tests] = p_cell(c.cox.ok() ? c.cox.result.robust_score.p : NA);
    head.cells[tests + 1] = p_cell(c.logrank_by_pair.p());
    head.cells[tests + 2] = p_cell(c.logrank.p());
    t.rows.push_back(std::move(head));
    for (const auto& g : c.km.groups) {
      ReportRow row;
      row.level = 1;
      row.cells = {text_cell(g.group), count_cell(g.n_start), count_cell(g.events),
                   median_cell(g.median.estimate, g.median.lower, g.median.upper)};
      for (auto& cell : landmark_cells(spec, g)) row.cells.push_back(std::move(cell));
      std::size_t level = 0;
      while (level < group.factor.levels.size() && group.factor.levels[level] != g.group) ++level;
      const CoxTerm* term = level == group.reference ? nullptr : c.cox.term(0, level);
      if (term) {
        row.cells.push_back(ReportCell{fixed_cell(term->hr, 3).text + " (" + ci_cell(term->lower, term->upper).text + ")",
                                       term->hr, term->lower, term->upper});
        row.cells.push_back(p_cell(term->p));
      } else {
        row.cells.insert(row.cells.end(), 2, ReportCell{});
      }
      row.cells.insert(row.cells.end(), 3, ReportCell{});
      t.rows.push_back(std::move(row));
    }
  }
  t.notes.push_back(fmt::format(
      "N and events: sums of the matching weights. HR: Cox model weighted by the matching weights with robust SE "
      "clustered on matched pairs, against {}; {} CI and Wald P from the robust SE. Robust score P: the score test of "
      "that model (R: coxph(..., cluster = subclass)), the test of the paired design reported in the figures and the "
      "Results; stratified log-rank P: the log-rank test stratified on the matched pairs (R: survdiff(... + "
      "strata(subclass))); log-rank P ignores the pairs.",
      group.factor.levels[group.reference], wording::percent(spec.conf_level)));
  std::vector<std::string> ph;
  for (const auto& er : r.endpoints)
    if (const CoxZphTerm* z = er.matched->cox.ph_term(0))
      ph.push_back(er.endpoint->spec->short_name + " " + p_clause(z->p));
  if (!ph.empty())
    t.notes.push_back("Proportional hazards of the weighted Cox model (" + wording::ph_test_short(spec.ph_transform) +
                      "): " + wording::join(ph) + ".");
  return t;
}

ReportTable multivariable_table(const StudySpec& spec, const StudyResults& r, std::size_t endpoint, int number) {
  const EndpointResults& er = r.endpoints[endpoint];
  const MultivariableResult& mv = er.multivariable;
  const std::string rule =
      mv.by_list ? "covariates chosen in the study protocol"
                 : fmt::format("every variable with a univariate P < {} (any level)",
                               format_fixed(spec.multivariable.p_below, 3));
  ReportTable t;
  t.id = fmt::format("table{}_{}", number, er.endpoint->spec->id);
  t.title = fmt::format("Table {}. Multivariable Cox regression for {}", number, er.endpoint->spec->short_name);
  t.header = {"Characteristic", "HR", "95% CI", "P", "PH P"};
  if (mv.vars.empty()) {
    t.notes.push_back("No variable met the selection rule (" + rule + "); no multivariable model was fitted.");
    return t;
  }
  for (std::size_t v = 0; v < mv.vars.size(); ++v) {
    ReportRow head = heading_row(mv.vars[v]->spec->label, t.header.size());
    head.cells.back() = ph_cell(mv.cox, v);
    t.rows.push_back(std::move(head));
    for (std::size_t l = 0; l < mv.vars[v]->factor.levels.size(); ++l) {
      ReportRow row;
      row.level = 1;
      row.cells.push_back(text_cell(mv.vars[v]->factor.levels[l]));
      add_hr_cells(row, mv.cox.term(v, l));
      row.cells.emplace_back();
      t.rows.push_back(std::move(row));
    }
  }
  t.notes.push_back(fmt::format("Cox proportional hazards model ({} ties) on the {} patients with complete data "
                                "({} events); {}. HR against {}; Wald {} CI and P.",
                                wording::ties(spec.ties), mv.cox.n, mv.cox.ok() ? mv.cox.result.events : 0.0, rule,
                                reference_clause(mv.vars),
                                wording::percent(spec.conf_level)));
  t.notes.push_back(wording::ph_column_note(spec.ph_transform, spec.alpha, true));
  if (mv.cox.zph) t.notes.push_back(wording::ph_global_note(mv.cox.zph->global));
  if (mv.cox.ok() && !mv.cox.result.converged) t.notes.push_back("The model did not converge: see the warnings.");
  return t;
}

ReportTable balance_table(const StudySpec& spec, const StudyResults& r, int number) {
  const MatchingResults* m = r.matching ? &*r.matching : nullptr;
  const auto& glev = r.data.group.factor.levels;
  const std::size_t G = glev.size();
  ReportTable t;
  t.id = fmt::format("table{}_balance", number);
  t.title = m ? fmt::format("Table {}. Characteristics of the patients before and after propensity score matching", number)
              : fmt::format("Table {}. Characteristics of the patients by {}", number, spec.group.label);
  t.header = {"Characteristic"};
  auto group_headers = [&](const std::vector<double>& n) {
    for (std::size_t k = 0; k < G; ++k) t.header.push_back(fmt::format("{} (N = {})", glev[k], count_cell(n[k]).text));
    t.header.push_back("P");
    if (m) t.header.push_back("SMD");
  };
  group_headers(r.n_group_before);
  if (m) group_headers(r.n_group_after);
  t.header_groups = {{"", 1}, {m ? "Before PSM" : "All patients", G + 1 + (m ? 1 : 0)}};
  if (m) t.header_groups.emplace_back("After PSM", G + 2);
  bool any_fisher = false, any_missing = false;
  for (std::size_t k = 0; k < r.baseline.size(); ++k) {
    const StudyVariable& v = *r.baseline[k];
    t.rows.push_back(heading_row(v.spec->label, t.header.size()));
    for (std::size_t l = 0; l < v.factor.levels.size(); ++l) {
      ReportRow row;
      row.level = 1;
      row.cells.push_back(text_cell(v.factor.levels[l]));
      auto section = [&](const GroupTest& gt) {
        for (std::size_t gi = 0; gi < G; ++gi) row.cells.push_back(count_cell(gt.counts[l][gi]));
        any_fisher = any_fisher || (gt.fisher && l == 0);
        row.cells.push_back(l == 0 ? p_cell(gt.p, gt.fisher ? "\u2020" : "") : ReportCell{});
      };
      section(r.before[k]);
      if (m) {
        row.cells.push_back(fixed_cell(r.smd[k].before[l], 3));
        section(r.after[k]);
        row.cells.push_back(fixed_cell(r.smd[k].after[l], 3));
      }
      t.rows.push_back(std::move(row));
    }
    const bool missing_before = std::any_of(r.before[k].missing.begin(), r.before[k].missing.end(), [](double x) { return x > 0; });
    if (missing_before) {
      any_missing = true;
      ReportRow row;
      row.level = 1;
      row.cells.push_back(text_cell("Missing"));
      auto section = [&](const GroupTest& gt) {
        for (std::size_t gi = 0; gi < G; ++gi) row.cells.push_back(count_cell(gt.missing[gi]));
        row.cells.push_back(ReportCell{});
      };
      section(r.before[k]);
      if (m) {
        row.cells.push_back(ReportCell{});
        section(r.after[k]);
        row.cells.push_back(ReportCell{});
      }
      t.rows.push_back(std::move(row));
    }
  }
  t.notes.push_back(wording::group_test_note(spec.table1_test, any_fisher));
  if (any_missing)
    t.notes.push_back(std::string("Missing: patients without the characteristic; counts, P") + (m ? " and SMD" : "") +
                      " use the patients who have it.");
  if (m) {
    t.notes.push_back("SMD: standardized mean difference of each level indicator (treated minus control, divided by "
                      "the SD of the treated group before matching), as MatchIt's summary().");
    if (m->weighted)
      t.notes.push_back("After matching, counts are sums of the matching weights and P is the chi-square test of the "
                        "weighted table.");
  }
  return t;
}

}  // namespace survkit::study

namespace survkit {

ReportTable flow_table(const StudyReport& r) {
  const auto count = [](std::size_t n) { return ReportCell{std::to_string(n), static_cast<double>(n)}; };
  const auto step_row = [&](const FlowStep& step) {
    return ReportRow{1, {{step.criterion}, count(step.excluded), count(step.remaining)}};
  };
  ReportTable t;
  t.id = "patient_flow";
  t.title = "Patient flow: records excluded by each criterion, in the order applied";
  t.header = {"Step", "Excluded", "Remaining"};
  t.section = TableSection::Flow;
  t.rows.push_back({0, {{"Records read"}, {""}, count(r.n_read)}});
  for (const auto& step : r.flow) t.rows.push_back(step_row(step));
  t.rows.push_back({0, {{"Analysed"}, {""}, count(r.n_analysed)}});
  for (const auto& step : r.matching_flow) t.rows.push_back(step_row(step));
  if (!r.matching_flow.empty())
    t.rows.push_back({0, {{"Eligible for matching"}, {""}, count(r.matching_flow.back().remaining)}});
  return t;
}

}  // namespace survkit
