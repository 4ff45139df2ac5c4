// `survkit init`: a commented study spec drafted from the data (survkit/draft_spec.hpp).
#include "survkit/draft_spec.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "data/number.hpp"
#include "study/dates.hpp"
#include "study/draft_profile.hpp"
#include "survkit/common.hpp"

namespace survkit {
namespace {

using study::draft::ColumnsEndpoint;
using study::draft::DatesEndpoint;
using study::draft::Endpoints;
using study::draft::Kind;
using study::draft::Profile;

// A TOML basic string.
std::string q(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') out += {'\\', c};
    else if (u < 0x20 || u == 0x7f) out += fmt::format("\\u{:04X}", u);
    else out += c;
  }
  return out + "\"";
}

std::string list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + q(items[i]);
  return out + "]";
}

// A column name as a filter expression operand.
std::string operand(const std::string& name) {
  const bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
                     std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
  const bool keyword = name == "and" || name == "or" || name == "not" || name == "missing" || name == "present";
  return plain && !keyword ? name : "`" + name + "`";
}

// "pm_max_diameter_mm" -> "Pm max diameter mm".
std::string display(std::string_view name) {
  std::string out(name);
  std::replace(out.begin(), out.end(), '_', ' ');
  std::replace(out.begin(), out.end(), '.', ' ');
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

// The display name: the file's variable label (SPSS, Stata, SAS), else the column name.
std::string label_of(const Column& c) { return c.label.empty() ? display(c.name) : c.label; }

std::string endpoint_name(const std::string& id) {
  if (id == "os") return "Overall survival";
  if (id == "pfs") return "Progression-free survival";
  if (id == "rfs") return "Recurrence-free survival";
  if (id == "dfs") return "Disease-free survival";
  if (id == "efs") return "Event-free survival";
  if (id == "css" || id == "dss") return "Cancer-specific survival";
  return display(id);
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string num(double x) { return data::format_number(x); }

/// The spec text, with the line number of each block (for the "next edits").
class Writer {
 public:
  void line(const std::string& s = "") {
    text_ += s;
    text_ += '\n';
    ++lines_;
  }
  void comment(const std::string& s) { line(s.empty() ? "#" : "# " + s); }
  std::size_t next_line() const { return lines_ + 1; }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::size_t lines_ = 0;
};

struct Plan {
  const Table* table = nullptr;
  std::vector<Profile> profiles;
  Endpoints endpoints;
  const Profile* group = nullptr;
  std::vector<const Profile*> taken;  // columns with a role other than "variable"
  std::string unit = "months";        // the analysis time unit of every endpoint
  double max_followup_years = 0;
};

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::Empty: return "empty";
    case Kind::Date: return "date";
    case Kind::Binary01: return "0/1";
    case Kind::Numeric: return "numeric";
    case Kind::Categorical: return "categorical";
    case Kind::Identifier: return "identifier";
    case Kind::FreeText: return "free text";
  }
  return "";
}

bool is_taken(const Plan& p, const Profile* x) {
  return std::find(p.taken.begin(), p.taken.end(), x) != p.taken.end();
}

// Longest follow-up among the endpoints' rows, in years (chooses the unit and landmarks).
double max_followup_years(const Plan& p) {
  double years = 0;
  for (const auto& e : p.endpoints.columns_form) {
    const double per_year = e.time_unit == "days" ? 365.25 : e.time_unit == "months" ? 12.0 : 1.0;
    years = std::max(years, e.time->max / per_year);
  }
  for (const auto& e : p.endpoints.dates_form) {
    for (std::size_t r = 0; r < e.start->days.size(); ++r) {
      double stop = e.censor->days[r];
      for (const Profile* ev : e.events)
        if (!std::isnan(ev->days[r])) stop = std::isnan(stop) ? ev->days[r] : std::max(stop, ev->days[r]);
      if (!std::isnan(stop) && !std::isnan(e.start->days[r])) years = std::max(years, (stop - e.start->days[r]) / 365.25);
    }
  }
  return years;
}

Plan make_plan(const Table& table, const DraftOptions& options) {
  Plan p;
  p.table = &table;
  p.profiles = study::draft::profile_columns(table);
  p.endpoints = study::draft::find_endpoints(p.profiles);
  for (const auto& e : p.endpoints.columns_form) p.taken.insert(p.taken.end(), {e.time, e.status});
  for (const auto& e : p.endpoints.dates_form) {
    p.taken.insert(p.taken.end(), {e.start, e.censor});
    p.taken.insert(p.taken.end(), e.events.begin(), e.events.end());
  }
  if (p.endpoints.columns_form.empty() && p.endpoints.dates_form.empty())
    throw InputError(fmt::format("{}: no endpoint found: init needs a time column and a 0/1 status column (named like "
                                 "os_days / os_status), or a start date, an event date (death, progression) and a "
                                 "last follow-up date",
                                 table.source),
                     table.source);
  p.group = study::draft::find_group(p.profiles, options.group, p.taken, table.source);
  if (!p.group)
    throw InputError(fmt::format("{}: no column can be the group (two levels); name it with --group COLUMN", table.source),
                     table.source);
  p.taken.push_back(p.group);
  p.max_followup_years = max_followup_years(p);
  p.unit = p.max_followup_years > 15 ? "years" : "months";
  return p;
}

void write_header(Writer& w, const Plan& p, const DraftOptions& o) {
  w.comment(fmt::format("survkit study spec drafted by `survkit init` from {} ({} rows, {} columns).", o.data_file,
                        p.table->nrows, p.table->columns.size()));
  w.comment("Every choice below is a guess from the data: read it, edit it, then run");
  w.comment("    survkit study THIS_FILE --out report/");
  w.comment("Each key is documented in examples/crc-pm/study.toml of the survkit sources.");
  w.comment("");
  w.comment("The columns as read:");
  for (const auto& pr : p.profiles) {
    std::string detail = kind_name(pr.kind);
    if (pr.kind == Kind::Date) detail += pr.date_format.empty() ? " (typed in the file)" : " " + pr.date_format;
    if (pr.kind == Kind::Categorical || pr.kind == Kind::FreeText) detail += fmt::format(", {} levels", pr.distinct);
    if (pr.kind == Kind::Numeric) detail += fmt::format(", {} to {}", num(pr.min), num(pr.max));
    const std::size_t missing = p.table->nrows - pr.present;
    if (missing) detail += fmt::format(", {} missing", missing);
    w.comment(fmt::format("  {:<28} {}", pr.column->name, detail));
  }
  w.line();
  const std::string file = o.data_file.substr(o.data_file.find_last_of('/') + 1);
  w.line("title = " + q("Survival by " + display(p.group->column->name) + " (" + file + ", draft)"));
  w.line();
  w.line("[data]");
  w.line("file = " + q(o.data_file));
  if (!o.sheet.empty()) w.line("sheet = " + q(o.sheet));
  w.line();
}

void write_dates(Writer& w, const Plan& p) {
  std::vector<const Profile*> dates;  // text dates; typed dates need no declaration
  for (const auto& pr : p.profiles)
    if (pr.kind == Kind::Date && !pr.date_format.empty()) dates.push_back(&pr);
  if (dates.empty()) return;
  // The most common format is `format`; the others are per-column `formats`.
  std::string common;
  std::size_t best = 0;
  for (const Profile* d : dates) {
    const auto n = static_cast<std::size_t>(std::count_if(dates.begin(), dates.end(), [&](const Profile* x) { return x->date_format == d->date_format; }));
    if (n > best) best = n, common = d->date_format;
  }
  w.line("[dates]");
  for (const Profile* d : dates)
    if (!d->also_fits.empty())
      w.comment(fmt::format("CHECK: every value of {} also reads as {}; {} was chosen", d->column->name, d->also_fits,
                            d->date_format));
  w.line("format = " + q(common));
  std::vector<std::string> names;
  for (const Profile* d : dates) names.push_back(d->column->name);
  w.line("columns = " + list(names));
  std::string per;
  for (const Profile* d : dates)
    if (d->date_format != common) per += (per.empty() ? "" : ", ") + q(d->column->name) + " = " + q(d->date_format);
  if (!per.empty()) w.line("formats = { " + per + " }");
  w.line("# study_end = 2019-12-31          # administrative censoring date, if the study had one");
  w.line();
}

void write_derive_age(Writer& w, const Plan& p) {
  if (!p.endpoints.birth || p.endpoints.dates_form.empty()) return;
  const Profile* start = p.endpoints.dates_form.front().start;
  w.line("[[derive]]");
  w.line("name = \"age_years\"                 # age at the start date");
  w.line("interval = " + list({p.endpoints.birth->column->name, start->column->name}));
  w.line("unit = \"years\"");
  w.line();
}

void write_filters(Writer& w, const Plan& p) {
  auto filter = [&](const std::string& label, const std::string& expr) {
    w.line("[[filter]]");
    w.line("label = " + q(label));
    w.line("exclude = '" + expr + "'");
    w.line();
  };
  const Column& g = *p.group->column;
  if (p.group->present < p.table->nrows) filter("Missing " + display(g.name), "missing(" + operand(g.name) + ")");
  for (const auto& e : p.endpoints.columns_form) {
    for (const Profile* c : {e.time, e.status})
      if (c->present < p.table->nrows)
        filter("Missing " + display(c->column->name), "missing(" + operand(c->column->name) + ")");
  }
  std::set<std::string> done;
  for (const auto& e : p.endpoints.dates_form) {
    const std::string s = e.start->column->name;
    if (e.start->present < p.table->nrows && done.insert("start").second)
      filter("Missing " + display(s), "missing(" + operand(s) + ")");
    std::string none = "missing(" + operand(e.censor->column->name) + ")";
    for (const Profile* ev : e.events) none += " and missing(" + operand(ev->column->name) + ")";
    bool any_none = false;
    for (std::size_t r = 0; r < p.table->nrows; ++r) {
      bool all_missing = std::isnan(e.censor->days[r]);
      for (const Profile* ev : e.events) all_missing = all_missing && std::isnan(ev->days[r]);
      any_none = any_none || all_missing;
    }
    if (any_none && done.insert(none).second) filter("No follow-up date", none);
    for (const Profile* c : e.events) {
      bool before = false;
      for (std::size_t r = 0; r < p.table->nrows; ++r) before = before || c->days[r] < e.start->days[r];
      if (before && done.insert(c->column->name).second)
        filter(display(c->column->name) + " before " + display(s), operand(c->column->name) + " < " + operand(s));
    }
  }
}

std::string variable_name(const std::string& column, std::set<std::string>& used) {
  std::string n;
  for (char c : column) n += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '_';
  if (n.empty() || std::isdigit(static_cast<unsigned char>(n[0]))) n = "v_" + n;
  if (n == "group") n = "group_column";
  std::string out = n;
  for (int k = 2; !used.insert(out).second; ++k) out = fmt::format("{}_{}", n, k);
  return out;
}

void write_level_keys(Writer& w, const Profile& pr) {
  w.line("values = " + list(pr.levels));
  w.line("labels = " + list(pr.levels) + "   # display labels: edit");
}

void write_variables(Writer& w, const Plan& p, std::set<std::string>& used) {
  w.comment("------------------------------------------------------------------ variables");
  w.comment("Categorical columns list their levels; numeric columns are cut at their median (the");
  w.comment("alternative: other cut points, e.g. cuts = [40, 60], or clinical thresholds).");
  if (p.endpoints.birth && !p.endpoints.dates_form.empty()) {
    w.line();
    w.line("[[variable]]");
    w.line("name = " + q(variable_name("age", used)));
    w.line("label = \"Age\"");
    w.line("from = \"age_years\"");
    std::vector<double> ages;
    const auto& start = p.endpoints.dates_form.front().start->days;
    for (std::size_t r = 0; r < start.size(); ++r)
      if (!std::isnan(start[r]) && !std::isnan(p.endpoints.birth->days[r]))
        ages.push_back(std::floor((start[r] - p.endpoints.birth->days[r]) / 365.25));
    std::sort(ages.begin(), ages.end());
    const double cut = ages.empty() ? 60 : ages[(ages.size() - 1) / 2];
    w.line(fmt::format("cuts = [{}]                     # the median age (years, whole)", num(cut)));
    w.line(fmt::format("labels = [{}, {}]", q("\u2264 " + num(cut) + " years"), q("> " + num(cut) + " years")));
  }
  for (const auto& pr : p.profiles) {
    if (is_taken(p, &pr)) continue;
    const std::string& col = pr.column->name;
    if (pr.kind == Kind::Categorical || pr.kind == Kind::Binary01 || (pr.kind == Kind::Numeric && pr.distinct >= 2)) {
      w.line();
      w.line("[[variable]]");
      const std::string name = variable_name(col, used);
      w.line("name = " + q(name));
      w.line("label = " + q(label_of(*pr.column)));
      if (name != col) w.line("from = " + q(col));
      if (pr.kind == Kind::Numeric) {
        w.line(fmt::format("cuts = [{}]                     # the median", num(pr.median)));
        w.line(fmt::format("labels = [{}, {}]", q("\u2264 " + num(pr.median)), q("> " + num(pr.median))));
      } else {
        write_level_keys(w, pr);
      }
    } else if (pr.kind == Kind::Date && !is_taken(p, &pr) && &pr != p.endpoints.birth) {
      w.line();
      w.comment(fmt::format("{}: a date; an interval from it can be a variable, e.g.", col));
      w.comment(fmt::format("  [[derive]] name = \"...\", interval = [\"{}\", \"<start date>\"], unit = \"months\"", col));
    } else if (pr.kind == Kind::Identifier || pr.kind == Kind::FreeText) {
      w.line();
      w.comment(fmt::format("{}: {} ({} distinct values), not analysed", col, kind_name(pr.kind), pr.distinct));
    } else if (pr.kind == Kind::Categorical) {
      w.line();
      w.comment(fmt::format("{}: {} levels, not analysed; merge them with recode = {{ ... }}", col, pr.distinct));
    }
  }
  w.line();
}

void write_group(Writer& w, const Plan& p) {
  const Profile& g = *p.group;
  w.comment("------------------------------------------------------------------ exposure group");
  w.line("[group]");
  w.line("label = " + q(label_of(*g.column)));
  w.line("from = " + q(g.column->name));
  write_level_keys(w, g);
  w.line("reference = " + q(g.levels.front()) + "              # the reference level of the hazard ratios");
  w.line();
}

std::string unit_conversion_note(const std::string& time_unit, const std::string& unit) {
  return time_unit == unit ? "" : fmt::format("   # shown in {}", unit);
}

void write_endpoints(Writer& w, const Plan& p) {
  w.comment("------------------------------------------------------------------ endpoints");
  bool active = true;
  for (const auto& e : p.endpoints.columns_form) {
    w.line("[[endpoint]]");
    w.line("id = " + q(e.id));
    w.line("name = " + q(endpoint_name(e.id)));
    w.line("short = " + q(upper(e.id)));
    w.line("time = " + q(e.time->column->name));
    w.line("status = " + q(e.status->column->name) + "         # 1 = event, 0 = censored");
    w.line("time_unit = " + q(e.time_unit) + (e.unit_guessed ? "         # CHECK: the name does not say the unit" : ""));
    w.line("unit = " + q(p.unit) + unit_conversion_note(e.time_unit, p.unit));
    w.line();
  }
  active = p.endpoints.columns_form.empty();
  for (const auto& e : p.endpoints.dates_form) {
    const std::string c = active ? "" : "# ";
    if (!active) w.comment("The same endpoint from the dates (an alternative to the one above):");
    std::vector<std::string> events;
    for (const Profile* ev : e.events) events.push_back(ev->column->name);
    w.line(c + "[[endpoint]]");
    w.line(c + "id = " + q(e.id));
    w.line(c + "name = " + q(endpoint_name(e.id)));
    w.line(c + "short = " + q(upper(e.id)));
    w.line(c + "start = " + q(e.start->column->name));
    w.line(c + "event = " + (events.size() == 1 ? q(events[0]) : list(events)) + "   # the earliest date present");
    w.line(c + "censor = " + q(e.censor->column->name));
    w.line(c + "unit = " + q(p.unit));
    if (active && !p.endpoints.other_start_dates.empty()) {
      std::vector<std::string> other;
      for (const Profile* o : p.endpoints.other_start_dates) other.push_back(o->column->name);
      w.comment(fmt::format("other possible start dates: {}", list(other)));
    }
    w.line();
  }
}

void write_analysis(Writer& w, const Plan& p) {
  // 1-, 3- and 5-year rates, as far as the follow-up reaches.
  std::vector<std::string> marks;
  for (double years : {1.0, 3.0, 5.0})
    if (years <= 0.9 * p.max_followup_years || marks.empty())
      marks.push_back(num(p.unit == "months" ? 12 * years : p.unit == "days" ? 365 * years : years));
  w.comment("------------------------------------------------------------------ analysis");
  w.line("[analysis]");
  std::string joined;
  for (const auto& m : marks) joined += (joined.empty() ? "" : ", ") + m;
  w.line(fmt::format("landmarks = [{}]                 # in {}: the survival-rate columns", joined, p.unit));
  w.line("ties = \"efron\"                      # R's coxph; \"breslow\" as SPSS and SAS");
  w.line("table1_test = \"auto\"                # chi-square, Fisher's exact test for small counts");
  w.line("multivariable_p_below = 0.05        # or multivariable = [\"group\", ...]");
  w.line();
}

void write_matching(Writer& w, const Plan& p) {
  w.comment("------------------------------------------------------------------ matching");
  if (p.group->levels.size() != 2) {
    w.comment(fmt::format("Propensity-score matching needs a two-level group ({} has {}).", p.group->column->name,
                          p.group->levels.size()));
    w.comment("Restrict the group with a [[filter]], then add a [matching] block like this one:");
  } else {
    w.comment("Uncomment to match the groups on a propensity score (1:1, nearest neighbour):");
  }
  w.comment("[matching]");
  w.comment("treated = " + q(p.group->levels.back()));
  w.comment("covariates = \"differing\"          # every baseline variable with a Table 5 P < p_below");
  w.comment("p_below = 0.05");
  w.comment("distance = \"logit\"");
  w.comment("ratio = 1");
  w.comment("caliper = 0.2                      # SD of the logit of the score");
}

std::vector<std::string> next_edits(const Plan& p, std::size_t group_line, std::size_t endpoint_line, bool detected) {
  std::vector<std::string> edits;
  for (const auto& pr : p.profiles)
    if (pr.kind == Kind::Date && !pr.also_fits.empty()) {
      edits.push_back(fmt::format("Check the date format of {}: every value reads as {} and as {}; {} was chosen "
                                  "([dates]).",
                                  pr.column->name, pr.date_format, pr.also_fits, pr.date_format));
      break;
    }
  edits.push_back(fmt::format("{} the group '{}' (line {}): set its display labels and its reference level{}.",
                              detected ? "Confirm" : "Check", p.group->column->name, group_line,
                              detected ? ", or rerun with --group COLUMN" : ""));
  if (!p.endpoints.columns_form.empty()) {
    const auto& e = p.endpoints.columns_form.front();
    edits.push_back(fmt::format("Check the endpoints (line {}): '{}' uses time {} in {} and status {}.", endpoint_line,
                                e.id, e.time->column->name, e.time_unit, e.status->column->name));
  } else {
    const auto& e = p.endpoints.dates_form.front();
    edits.push_back(fmt::format("Check the endpoints (line {}): '{}' runs from {} to {}, censored at {}; add "
                                "study_end in [dates] if follow-up was closed on a date.",
                                endpoint_line, e.id, e.start->column->name, e.events.front()->column->name,
                                e.censor->column->name));
  }
  edits.push_back("Replace the level labels (they repeat the raw values) and check the median cut points of the "
                  "[[variable]]s.");
  edits.resize(3);
  return edits;
}

}  // namespace

DraftedSpec draft_study_spec(const Table& table, const DraftOptions& options) {
  const Plan p = make_plan(table, options);
  Writer w;
  write_header(w, p, options);
  write_dates(w, p);
  write_derive_age(w, p);
  write_filters(w, p);
  std::set<std::string> used;
  write_variables(w, p, used);
  const std::size_t group_line = w.next_line() + 1;
  write_group(w, p);
  const std::size_t endpoint_line = w.next_line() + 1;
  write_endpoints(w, p);
  write_analysis(w, p);
  write_matching(w, p);

  DraftedSpec out;
  out.toml = w.text();
  out.group_column = p.group->column->name;
  out.group_detected = options.group.empty();
  out.next_edits = next_edits(p, group_line, endpoint_line, out.group_detected);
  for (const auto& pr : p.profiles) {
    DraftedColumn c{pr.column->name, kind_name(pr.kind), pr.kind == Kind::Date ? pr.date_format : ""};
    if (&pr == p.group) c.role = "group";
    for (const auto& e : p.endpoints.columns_form) {
      if (&pr == e.time) c.role = "time";
      if (&pr == e.status) c.role = "status";
    }
    out.columns.push_back(std::move(c));
  }
  return out;
}

}  // namespace survkit
