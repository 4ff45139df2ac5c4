#include "study/tables.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "study/format.hpp"
#include "study/wording.hpp"

namespace survkit::study {

namespace {

std::string unit_of(const StudyEndpoint& e) { return unit_name(e.spec->unit); }

/// The column label of landmark k: the spec's label, or "3-year OS" / "18-month OS".
std::string landmark_label(const StudySpec& spec, std::size_t k, const StudyEndpoint& e) {
  if (!spec.landmark_labels.empty()) return spec.landmark_labels[k] + " " + e.spec->short_name;
  const double t = spec.landmarks[k];
  const double years = t * days_per(e.spec->unit) / kDaysPerYear;
  if (e.spec->unit == TimeUnit::Months && std::fmod(t, 12.0) == 0)
    return fmt::format("{:.0f}-year {}", t / 12.0, e.spec->short_name);
  if (e.spec->unit == TimeUnit::Years)
    return fmt::format("{}-year {}", format_fixed(years, t == std::floor(t) ? 0 : 1), e.spec->short_name);
  return fmt::format("{}-{} {}", format_fixed(t, t == std::floor(t) ? 0 : 1),
                     e.spec->unit == TimeUnit::Days ? "day" : "month", e.spec->short_name);
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
  t.header.insert(t.header.end(), {"HR", "95% CI", "P"});
  bool any_missing = false;
  for (const UnivariateResult& u : er.univariate) {
    ReportRow head = heading_row(u.var->spec->label, t.header.size());
    if (u.n_missing > 0) head.cells[1] = count_cell(u.cox.n);  // the model's N, below the analysed N
    t.rows.push_back(std::move(head));
    for (std::size_t l = 0; l < u.var->factor.levels.size(); ++l) {
      ReportRow row;
      row.level = 1;
      row.cells.push_back(text_cell(u.var->factor.levels[l]));
      row.cells.push_back(count_cell(u.n_level[l]));
      for (double s : u.landmark_survival[l]) row.cells.push_back(percent_cell(s));
      add_hr_cells(row, l == u.var->reference ? nullptr : u.cox.term(0, l));
      t.rows.push_back(std::move(row));
    }
    if (u.n_missing > 0) {
      any_missing = true;
      t.rows.push_back(missing_row(u.n_missing, t.header.size()));
    }
  }
  t.notes.push_back(fmt::format(
      "Rates: {} estimates at {} {} (blank: beyond the group's last follow-up time while its "
      "curve is above 0, as R's summary(survfit, times =) drops it). HR: hazard ratio against the first-listed reference "
      "level (blank row), univariate Cox model per variable ({} ties), {} Wald CI, Wald P.",
      wording::kKaplanMeier, wording::join_numbers(spec.landmarks), unit_of(e), wording::ties(spec.ties),
      wording::percent(spec.conf_level)));
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
  t.header = {"Characteristic", "HR", "95% CI", "P"};
  if (mv.vars.empty()) {
    t.notes.push_back("No variable met the selection rule (" + rule + "); no multivariable model was fitted.");
    return t;
  }
  for (std::size_t v = 0; v < mv.vars.size(); ++v) {
    t.rows.push_back(heading_row(mv.vars[v]->spec->label, 4));
    for (std::size_t l = 0; l < mv.vars[v]->factor.levels.size(); ++l) {
      ReportRow row;
      row.level = 1;
      row.cells.push_back(text_cell(mv.vars[v]->factor.levels[l]));
      add_hr_cells(row, mv.cox.term(v, l));
      t.rows.push_back(std::move(row));
    }
  }
  t.notes.push_back(fmt::format("Cox proportional hazards model ({} ties) on the {} patients with complete data "
                                "({} events); {}. HR against the reference level (blank row); Wald {} CI and P.",
                                wording::ties(spec.ties), mv.cox.n, mv.cox.ok() ? mv.cox.result.events : 0.0, rule,
                                wording::percent(spec.conf_level)));
  if (mv.cox.ok() && !mv.cox.result.converged) t.notes.push_back("The model did not converge: see the warnings.");
  return t;
}

ReportTable balance_table(const StudySpec& spec, const StudyResults& r, int number) {
  const MatchingResults* m = r.matching ? &*r.matching : nullptr;
  const auto& glev = r.data.group.factor.levels;
  const std::size_t G = glev.size();
  ReportTable t;
  t.id = fmt::format("table{}_balance", number);
  t.title = fmt::format("Table {}. Characteristics of the patients before and after propensity score matching", number);
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
