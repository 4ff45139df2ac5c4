// derive_study_data: every step is a pass over the rows (O(n) per column), in the order
// a reader of the spec expects: rename, parse dates, derive, filter, then build the
// variables and endpoints on the analysed rows only (so an excluded patient's odd value
// never stops the study).
#include "study/derive.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/core.h>

#include "data/number.hpp"
#include "study/dates.hpp"
#include "study/expr.hpp"
#include "survkit/enum_names.hpp"
#include "survkit/format.hpp"

namespace survkit::study {

double days_per(TimeUnit unit) {
  switch (unit) {
    case TimeUnit::Days: return 1.0;
    case TimeUnit::Months: return kDaysPerMonth;
    case TimeUnit::Years: return kDaysPerYear;
  }
  return 1.0;
}

const char* unit_name(TimeUnit unit) { return to_name(unit).data(); }  // the table's names are literals

namespace {

class Deriver {
 public:
  Deriver(const StudySpec& spec, const Table& data) : spec_(spec), t_(data) {
    if (t_.row_lines.empty()) {
      t_.row_lines.resize(t_.nrows);
      for (std::size_t i = 0; i < t_.nrows; ++i) t_.row_lines[i] = i + 2;
    }
  }

  StudyData run() {
    StudyData out;
    out.n_read = t_.nrows;
    rename();
    for (const auto& c : t_.columns)  // date columns of SPSS/Stata/SAS/Excel files
      if (c.date) dates_.insert(c.name);
    parse_dates();
    derive();
    out.flow = filter();
    for (const auto& v : spec_.variables) out.variables.push_back(variable(v));
    out.group = variable(spec_.group);
    for (const auto& e : spec_.endpoints) out.endpoints.push_back(endpoint(e));
    out.table = std::move(t_);
    out.date_columns = dates_;
    return out;
  }

 private:
  [[noreturn]] void spec_fail(std::size_t line, const std::string& what) const {
    throw InputError(spec_.source_name + " line " + std::to_string(line) + ": " + what, spec_.source_name, line);
  }

  [[noreturn]] void data_fail(std::size_t row, const std::string& column, const std::string& what) const {
    const Column* c = t_.find(column);
    const std::string value = c ? c->text(row) : "";
    throw InputError(fmt::format("{} line {} (data row {}), column '{}': {}", t_.source, t_.line(row),
                                 t_.line(row) - 1, column, what),
                     t_.source, t_.line(row), column, value);
  }

  Column& column(const SpecName& name, const std::string& role) {
    for (auto& c : t_.columns)
      if (c.name == name.name) return c;
    std::vector<std::string_view> names;
    for (const auto& c : t_.columns) names.push_back(c.name);
    spec_fail(name.line, role + ": unknown column '" + name.name + "' (columns: " + join(names) + ")");
  }

  bool is_date(const std::string& name) const { return dates_.count(name) > 0; }

  void add_column(Column c, std::size_t line) {
    if (t_.find(c.name)) spec_fail(line, "column '" + c.name + "' already exists in the data");
    t_.columns.push_back(std::move(c));
  }

  void rename() {
    for (const auto& [from, to] : spec_.renames) {
      Column& c = column(from, "rename");
      if (t_.find(to)) spec_fail(from.line, "rename: column '" + to + "' already exists");
      c.name = to;
    }
  }

  // Date columns become numeric day numbers.  A value that does not match the declared
  // format (or names no real day) is an error naming the data row, column and value.
  // A date column of a typed file (Column::date) is a date already: its format is moot.
  void parse_dates() {
    for (const auto& d : spec_.dates) {
      Column& c = column(d.column, "[dates]");
      if (c.date) continue;
      Column out;
      out.name = c.name;
      out.kind = ColumnKind::Numeric;
      out.values.assign(t_.nrows, NA);
      for (std::size_t i = 0; i < t_.nrows; ++i) {
        if (c.missing(i)) continue;
        const std::string text = c.text(i);
        const auto day = parse_date(data::trim_spaces(text), d.format);
        if (!day) data_fail(i, c.name, "malformed date '" + text + "' (expected the format " + d.format + ")");
        out.values[i] = static_cast<double>(*day);
      }
      c = std::move(out);
      dates_.insert(c.name);
    }
  }

  const Column& date_column(const SpecName& n, const std::string& role) {
    const Column& c = column(n, role);
    if (!is_date(c.name)) spec_fail(n.line, role + ": column '" + n.name + "' is not a date column (list it in [dates])");
    return c;
  }

  void derive() {
    for (const auto& d : spec_.derived) {
      const std::string role = "[[derive]] '" + d.name + "'";
      Column out;
      out.name = d.name;
      out.kind = ColumnKind::Numeric;
      out.values.assign(t_.nrows, NA);
      switch (d.kind) {
        case DeriveSpec::Kind::Interval: {
          const Column& a = date_column(d.from, role);
          const Column& b = date_column(d.to, role);
          // Whole days first, then one division: months are exactly days / 30.4375.
          for (std::size_t i = 0; i < t_.nrows; ++i)
            if (!a.missing(i) && !b.missing(i)) {
              const double days = b.values[i] - a.values[i];
              out.values[i] = d.unit == TimeUnit::Days ? days : days / days_per(d.unit);
            }
          break;
        }
        case DeriveSpec::Kind::Scale: {
          const Column& a = column(d.from, role);
          if (!a.numeric() || is_date(a.name))
            spec_fail(d.from.line, role + ": column '" + a.name + "' is not numeric");
          for (std::size_t i = 0; i < t_.nrows; ++i)
            if (!a.missing(i)) out.values[i] = a.values[i] * d.multiply_by / d.divide_by;
          break;
        }
        case DeriveSpec::Kind::Earliest:
        case DeriveSpec::Kind::Latest: {
          const bool earliest = d.kind == DeriveSpec::Kind::Earliest;
          for (const auto& n : d.dates) {
            const Column& a = date_column(n, role);
            for (std::size_t i = 0; i < t_.nrows; ++i) {
              if (a.missing(i)) continue;
              double& v = out.values[i];
              if (is_na(v) || (earliest ? a.values[i] < v : a.values[i] > v)) v = a.values[i];
            }
          }
          dates_.insert(d.name);
          break;
        }
      }
      add_column(std::move(out), d.line);
    }
  }

  void keep_rows(const std::vector<bool>& keep) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < keep.size(); ++i)
      if (keep[i]) rows.push_back(i);
    for (auto& c : t_.columns) {
      if (c.numeric()) {
        std::vector<double> v(rows.size());
        for (std::size_t k = 0; k < rows.size(); ++k) v[k] = c.values[rows[k]];
        c.values = std::move(v);
      } else {
        std::vector<std::int32_t> v(rows.size());
        for (std::size_t k = 0; k < rows.size(); ++k) v[k] = c.codes[rows[k]];
        c.codes = std::move(v);
      }
    }
    std::vector<std::size_t> lines(rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k) lines[k] = t_.row_lines[rows[k]];
    t_.row_lines = std::move(lines);
    t_.nrows = rows.size();
  }

  std::vector<FlowStep> filter() {
    std::vector<FlowStep> flow;
    for (const auto& f : spec_.filters) {
      const FilterExpr expr(f.expression,
                            spec_.source_name + " line " + std::to_string(f.line) + ": filter '" + f.expression + "'");
      const std::vector<Truth> truth = expr.evaluate(t_, dates_);
      std::vector<bool> keep(t_.nrows);
      std::size_t kept = 0;
      for (std::size_t i = 0; i < t_.nrows; ++i) {
        keep[i] = f.exclude ? truth[i] != Truth::True : truth[i] == Truth::True;
        kept += keep[i];
      }
      if (kept == 0)
        throw AnalysisError(fmt::format("{} line {}: filter '{}' ({}) excludes every one of the {} remaining rows",
                                        spec_.source_name, f.line, f.expression, f.label, t_.nrows));
      flow.push_back({f.label, t_.nrows - kept, kept});
      keep_rows(keep);
    }
    return flow;
  }

  StudyVariable variable(const VariableSpec& v) {
    StudyVariable out;
    out.spec = &v;
    const std::string role = v.name == "group" ? "[group]" : "variable '" + v.name + "'";
    const Column& c = column(v.from, role);
    out.factor.levels = v.labels;
    out.factor.code.assign(t_.nrows, -1);
    if (!v.cuts.empty()) {
      if (!c.numeric() || is_date(c.name))
        spec_fail(v.line, role + ": cut points need a numeric column, but '" + c.name + "' is " +
                              (is_date(c.name) ? "a date column" : "a text column (e.g. '" + first_value(c) + "')"));
      for (std::size_t i = 0; i < t_.nrows; ++i) {
        if (c.missing(i)) continue;
        // x <= cuts[k] goes to level k: the first cut point not below x.
        const auto it = std::lower_bound(v.cuts.begin(), v.cuts.end(), c.values[i]);
        out.factor.code[i] = static_cast<std::int32_t>(it - v.cuts.begin());
      }
    } else {
      for (std::size_t i = 0; i < t_.nrows; ++i) {
        if (c.missing(i)) continue;
        std::string value = c.text(i);
        // A labelled column (SPSS/Stata/SAS value labels) is matched by label, or else by code.
        if (!c.level_codes.empty() && std::find(v.values.begin(), v.values.end(), value) == v.values.end() &&
            v.recode.empty())
          value = c.level_codes[static_cast<std::size_t>(c.codes[i])];
        for (const auto& [from, to] : v.recode)
          if (value == from) {
            value = to;
            break;
          }
        const auto it = std::find(v.values.begin(), v.values.end(), value);
        if (it == v.values.end())
          data_fail(i, c.name, "value '" + value + "' is not a level of " + role + " (spec line " +
                                   std::to_string(v.line) + "; levels: " + join(v.values) + ")");
        out.factor.code[i] = static_cast<std::int32_t>(it - v.values.begin());
      }
    }
    out.reference = 0;
    if (!v.reference.empty()) {
      for (std::size_t k = 0; k < v.labels.size(); ++k)
        if (v.labels[k] == v.reference.name || (k < v.values.size() && v.values[k] == v.reference.name))
          out.reference = k;
    }
    return out;
  }

  std::string first_value(const Column& c) const {
    for (std::size_t i = 0; i < t_.nrows; ++i)
      if (!c.missing(i)) return c.text(i);
    return "";
  }

  StudyEndpoint endpoint(const EndpointSpec& e) {
    StudyEndpoint out;
    out.spec = &e;
    const std::string role = "endpoint '" + e.id + "'";
    out.surv.time.assign(t_.nrows, 0.0);
    out.surv.status.assign(t_.nrows, 0);
    if (!e.start.empty()) {
      const Column& start = date_column(e.start, role);
      const Column& censor = date_column(e.censor, role);
      std::vector<const Column*> events;
      for (const auto& n : e.events) events.push_back(&date_column(n, role));
      const double end = spec_.study_end;
      for (std::size_t i = 0; i < t_.nrows; ++i) {
        if (start.missing(i)) data_fail(i, start.name, role + ": the start date is missing");
        double event = NA;
        for (const Column* c : events)
          if (!c->missing(i) && (is_na(event) || c->values[i] < event)) event = c->values[i];
        double stop;
        // An event after the study end is not an event of the study: administrative
        // censoring at the study end.
        if (!is_na(event) && (is_na(end) || event <= end)) {
          stop = event;
          out.surv.status[i] = 1;
        } else {
          stop = censor.missing(i) ? NA : censor.values[i];
          if (!is_na(end) && (is_na(stop) || stop > end) && !is_na(event)) stop = end;
          if (is_na(stop)) data_fail(i, censor.name, role + ": no event and no censoring date");
          if (!is_na(end) && stop > end) stop = end;
        }
        const double days = stop - start.values[i];
        if (days < 0)
          data_fail(i, out.surv.status[i] ? events.front()->name : censor.name,
                    fmt::format("{}: the end date lies {} days before the start date ({})", role, -days, start.name));
        out.surv.time[i] = e.unit == TimeUnit::Days ? days : days / days_per(e.unit);
      }
    } else {
      const Column& time = column(e.time, role);
      const Column& status = column(e.event, role);
      if (!time.numeric() || is_date(time.name)) spec_fail(e.time.line, role + ": time column '" + time.name + "' is not numeric");
      if (!status.numeric() && status.level_codes.empty())
        spec_fail(e.event.line, role + ": status column '" + status.name + "' must hold 0/1");
      // A labelled status column (0 = "Censored", 1 = "Dead") is read by its codes.
      std::vector<double> code_value;
      for (const auto& code : status.level_codes) {
        double x = NA;
        if (!data::parse_number(code, x)) x = NA;
        code_value.push_back(x);
      }
      auto status_of = [&](std::size_t i) {
        if (status.numeric()) return status.values[i];
        return status.codes[i] < 0 ? NA : code_value[static_cast<std::size_t>(status.codes[i])];
      };
      for (std::size_t i = 0; i < t_.nrows; ++i) {
        if (time.missing(i)) data_fail(i, time.name, role + ": missing time");
        if (time.values[i] < 0 || !std::isfinite(time.values[i])) data_fail(i, time.name, role + ": negative time");
        const double st = status_of(i);
        if (is_na(st) || (st != 0 && st != 1))
          data_fail(i, status.name, role + ": status must be 0 (censored) or 1 (event)");
        out.surv.status[i] = static_cast<std::uint8_t>(st);
        out.surv.time[i] = e.time_unit == e.unit ? time.values[i]
                                                 : time.values[i] * days_per(e.time_unit) / days_per(e.unit);
      }
    }
    std::size_t events = 0;
    for (auto s : out.surv.status) events += s;
    if (events == 0)
      throw AnalysisError(fmt::format("{} line {}: endpoint '{}' has no events among the {} analysed rows",
                                      spec_.source_name, e.line, e.id, t_.nrows));
    return out;
  }

  const StudySpec& spec_;
  Table t_;
  std::set<std::string> dates_;
};

}  // namespace

StudyData derive_study_data(const StudySpec& spec, const Table& data) { return Deriver(spec, data).run(); }

}  // namespace survkit::study
