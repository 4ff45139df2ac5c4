// parse_study_spec: TOML text -> StudySpec, with every check that does not need the
// data.  Unknown keys are errors (a typo such as "refrence" must not be ignored
// silently), and every message names the spec line: "study.toml line 12: ...".
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <utility>

#include "study/dates.hpp"
#include "study/expr.hpp"
#include "study/spec_prescan.hpp"
#include "study/published_parse.hpp"
#include "survkit/enum_names.hpp"
#include "survkit/format.hpp"
#include "survkit/study.hpp"

namespace survkit {

namespace {

std::size_t line_of(const toml::node& n) { return n.source().begin.line; }

class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(std::size_t line, const std::string& what) const {
    throw InputError(source_ + " line " + std::to_string(line) + ": " + what, source_, line);
  }

  const std::string& source() const { return source_; }

  /// Every key of `t` must be in `allowed`.
  void check_keys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                  const std::string& where) const {
    for (auto&& [k, v] : t) {
      if (std::find(allowed.begin(), allowed.end(), k.str()) != allowed.end()) continue;
      fail(k.source().begin.line ? k.source().begin.line : line_of(v),
           "unknown key '" + std::string(k.str()) + "' in " + where + " (allowed: " + join(allowed) + ")");
    }
  }

  const toml::table& table(const toml::node& n, const std::string& what) const {
    if (!n.is_table()) fail(line_of(n), what + " must be a table");
    return *n.as_table();
  }

  std::string string(const toml::table& t, std::string_view key, bool required, const std::string& where,
                     std::size_t* line = nullptr) const {
    const toml::node* n = t.get(key);
    if (!n) {
      if (required) fail(line_of(t), where + " needs '" + std::string(key) + "'");
      return {};
    }
    if (!n->is_string()) fail(line_of(*n), "'" + std::string(key) + "' must be a text (in quotes)");
    if (line) *line = line_of(*n);
    return std::string(n->as_string()->get());
  }

  SpecName name(const toml::table& t, std::string_view key, bool required, const std::string& where) const {
    SpecName s;
    s.name = string(t, key, required, where, &s.line);
    if (t.get(key) && s.name.empty()) fail(s.line, "'" + std::string(key) + "' is empty");
    return s;
  }

  double number(const toml::node& n, std::string_view key) const {
    if (n.is_integer()) return static_cast<double>(n.as_integer()->get());
    if (n.is_floating_point()) return n.as_floating_point()->get();
    fail(line_of(n), "'" + std::string(key) + "' must be a number");
  }

  double number(const toml::table& t, std::string_view key, double fallback) const {
    const toml::node* n = t.get(key);
    return n ? number(*n, key) : fallback;
  }

  bool boolean(const toml::table& t, std::string_view key, bool fallback) const {
    const toml::node* n = t.get(key);
    if (!n) return fallback;
    if (!n->is_boolean()) fail(line_of(*n), "'" + std::string(key) + "' must be true or false");
    return n->as_boolean()->get();
  }

  /// A text or an array of texts.
  std::vector<SpecName> names(const toml::table& t, std::string_view key) const {
    std::vector<SpecName> out;
    const toml::node* n = t.get(key);
    if (!n) return out;
    if (n->is_string()) {
      out.push_back({std::string(n->as_string()->get()), line_of(*n)});
      return out;
    }
    if (!n->is_array()) fail(line_of(*n), "'" + std::string(key) + "' must be a text or a list of texts");
    for (const toml::node& e : *n->as_array()) {
      if (!e.is_string()) fail(line_of(e), "'" + std::string(key) + "' must list texts (in quotes)");
      const std::size_t line = line_of(e) ? line_of(e) : line_of(*n);
      out.push_back({std::string(e.as_string()->get()), line});
    }
    return out;
  }

  std::vector<std::string> strings(const toml::table& t, std::string_view key) const {
    std::vector<std::string> out;
    for (auto& s : names(t, key)) out.push_back(s.name);
    return out;
  }

  std::vector<double> numbers(const toml::table& t, std::string_view key) const {
    std::vector<double> out;
    const toml::node* n = t.get(key);
    if (!n) return out;
    if (!n->is_array()) fail(line_of(*n), "'" + std::string(key) + "' must be a list of numbers");
    for (const toml::node& e : *n->as_array()) out.push_back(number(e, key));
    return out;
  }

  std::size_t line(const toml::table& t, std::string_view key) const {
    const toml::node* n = t.get(key);
    return n ? line_of(*n) : line_of(t);
  }

  /// An enum option spelled as in survkit/enum_names.hpp; `fallback` when absent.
  template <class E>
  E choice(const toml::table& t, std::string_view key, E fallback) const {
    std::size_t at = 0;
    const std::string s = string(t, key, false, "", &at);
    if (s.empty()) return fallback;
    if (const auto value = from_name<E>(s)) return *value;
    fail(at, "'" + std::string(key) + "' must be " + allowed_names<E>(NameList::Quoted) + " (found \"" + s + "\")");
  }

  /// The [[key]] tables of the spec (none when absent).
  std::vector<const toml::table*> array_of_tables(const toml::table& root, const char* key) const {
    std::vector<const toml::table*> out;
    const toml::node* n = root.get(key);
    if (!n) return out;
    if (!n->is_array_of_tables())
      fail(line_of(*n), std::string("'") + key + "' must be written as [[" + key + "]] tables");
    for (const toml::node& e : *n->as_array()) out.push_back(e.as_table());
    return out;
  }

 private:
  std::string source_;
};

bool valid_id(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

/// `reference` names a level by its value, its label or (cut variables) its cut
/// expression ("> 10"; spaces optional): the expression is rewritten to the level's
/// label.  Otherwise fails listing every accepted spelling.
void resolve_reference(const Reader& r, const std::string& what, const std::vector<std::string>& cut_text,
                       VariableSpec& v) {
  const std::string& ref = v.reference.name;
  auto has = [&](const std::vector<std::string>& xs) { return std::find(xs.begin(), xs.end(), ref) != xs.end(); };
  if (has(v.values) || has(v.labels)) return;
  auto squeeze = [](std::string s) {
    s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
    return s;
  };
  for (std::size_t k = 0; k < cut_text.size(); ++k)
    if (squeeze(cut_text[k]) == squeeze(ref)) {
      v.reference.name = v.labels[k];
      return;
    }
  auto quoted = [](const std::vector<std::string>& xs) {
    std::string out;
    for (std::size_t k = 0; k < xs.size(); ++k) out += (k ? ", \"" : "\"") + xs[k] + "\"";
    return out;
  };
  std::string accepted = v.cuts.empty() ? "its values " + quoted(v.values) : "its cut expressions " + quoted(cut_text);
  if (v.labels != (v.cuts.empty() ? v.values : cut_text)) accepted += " or its labels " + quoted(v.labels);
  r.fail(v.reference.line, what + ": reference '" + ref + "' is not a level; give one of " + accepted);
}

// [[variable]] and [group] share their level keys.
VariableSpec parse_variable(const Reader& r, const toml::table& t, const std::string& where, bool is_group) {
  if (is_group)
    r.check_keys(t, {"name", "label", "from", "values", "labels", "recode", "reference"}, where);
  else
    r.check_keys(t, {"name", "label", "from", "cuts", "values", "labels", "recode", "reference", "baseline"}, where);
  VariableSpec v;
  v.line = line_of(t);
  v.name = r.string(t, "name", !is_group, where);
  if (is_group && v.name.empty()) v.name = "group";
  v.label = r.string(t, "label", false, where);
  v.label_given = !v.label.empty();
  if (v.label.empty()) v.label = v.name;
  v.from = r.name(t, "from", false, where);
  if (v.from.empty()) v.from = {v.name, v.line};
  if (!is_group) {
    v.cuts = r.numbers(t, "cuts");
    v.baseline = r.boolean(t, "baseline", true);
  }
  v.values = r.strings(t, "values");
  v.labels = r.strings(t, "labels");
  v.reference = r.name(t, "reference", false, where);
  if (const toml::node* rec = t.get("recode")) {
    const toml::table& rt = r.table(*rec, "'recode'");
    for (auto&& [k, val] : rt) {
      if (!val.is_string()) r.fail(line_of(val), "recode values must be texts");
      v.recode.emplace_back(std::string(k.str()), std::string(val.as_string()->get()));
    }
  }
  const std::string what = "variable '" + v.name + "'";
  if (!v.cuts.empty() && !v.values.empty())
    r.fail(v.line, what + ": give either 'cuts' (numeric column) or 'values' (levels), not both");
  if (v.cuts.empty() && v.values.empty())
    r.fail(v.line, what + ": needs 'values' (the levels, in order) or 'cuts'");
  if (!v.cuts.empty() && !v.recode.empty()) r.fail(r.line(t, "recode"), what + ": 'recode' applies to 'values' only");
  for (std::size_t k = 0; k < v.cuts.size(); ++k)
    if (!std::isfinite(v.cuts[k]) || (k > 0 && !(v.cuts[k] > v.cuts[k - 1])))
      r.fail(r.line(t, "cuts"), what + ": cut points must be finite and strictly increasing");
  std::set<std::string> seen(v.values.begin(), v.values.end());
  if (seen.size() != v.values.size()) r.fail(r.line(t, "values"), what + ": a value is listed twice");
  const std::size_t n_levels = v.cuts.empty() ? v.values.size() : v.cuts.size() + 1;
  if (n_levels < 2) r.fail(v.line, what + ": needs at least two levels");
  if (!v.labels.empty() && v.labels.size() != n_levels)
    r.fail(r.line(t, "labels"), what + ": 'labels' has " + std::to_string(v.labels.size()) + " entries for " +
                                     std::to_string(n_levels) + " levels");
  // The cut expressions of the levels ("<= 10", "10 - 20", "> 20"): the default labels,
  // and accepted as `reference` whatever the labels.
  std::vector<std::string> cut_text;
  auto num = [](double x) {
    std::string s = std::to_string(x);
    s.erase(s.find_last_not_of('0') + 1);
    if (s.back() == '.') s.pop_back();
    return s;
  };
  for (std::size_t k = 0; k < v.cuts.size() + (v.cuts.empty() ? 0 : 1); ++k) {
    if (k == 0) cut_text.push_back("<= " + num(v.cuts[0]));
    else if (k == v.cuts.size()) cut_text.push_back("> " + num(v.cuts[k - 1]));
    else cut_text.push_back(num(v.cuts[k - 1]) + " - " + num(v.cuts[k]));
  }
  if (v.labels.empty()) v.labels = v.cuts.empty() ? v.values : cut_text;
  for (const auto& [from, to] : v.recode)
    if (std::find(v.values.begin(), v.values.end(), to) == v.values.end())
      r.fail(r.line(t, "recode"), what + ": recode target '" + to + "' (of '" + from + "') is not in 'values'");
  if (!v.reference.empty()) resolve_reference(r, what, cut_text, v);
  return v;
}

// Every name in `list` is a [[variable]] or "group".
void check_covariates(const Reader& r, const StudySpec& s, const std::vector<SpecName>& list) {
  for (const auto& c : list)
    if (c.name != "group" &&
        std::none_of(s.variables.begin(), s.variables.end(), [&](const VariableSpec& v) { return v.name == c.name; }))
      r.fail(c.line, "'" + c.name + "' is not a [[variable]] name (nor \"group\")");
}

// One parser per spec section, in the order parse_study_spec() calls them: later
// sections check names against earlier ones (covariates against the variables, the
// treated level against the group).

/// [data]: the data file (any format load_data reads; sheet for a workbook) and column
/// renames.
void parse_data(const Reader& r, const toml::table& root, StudySpec& s) {
  const toml::node* data_node = root.get("data");
  if (!data_node) r.fail(1, "the spec needs a [data] table with 'file'");
  const toml::table& data = r.table(*data_node, "[data]");
  r.check_keys(data, {"file", "sheet", "rename"}, "[data]");
  s.data_file = r.string(data, "file", true, "[data]");
  s.data_sheet = r.string(data, "sheet", false, "[data]");
  if (const toml::node* ren = data.get("rename")) {
    for (auto&& [k, v] : r.table(*ren, "'rename'")) {
      if (!v.is_string()) r.fail(line_of(v), "rename: the new name must be a text");
      s.renames.emplace_back(SpecName{std::string(k.str()), line_of(v)}, std::string(v.as_string()->get()));
    }
  }
}

/// [dates]: date columns with their formats, and the study end.
void parse_dates(const Reader& r, const toml::table& root, StudySpec& s) {
  const toml::node* dn = root.get("dates");
  if (!dn) return;
  const toml::table& dt = r.table(*dn, "[dates]");
  r.check_keys(dt, {"format", "columns", "formats", "study_end"}, "[dates]");
  std::size_t fline = 0;
  std::string format = r.string(dt, "format", false, "[dates]", &fline);
  if (format.empty()) format = "%Y-%m-%d";
  else if (!study::valid_date_format(format))
    r.fail(fline, "date format '" + format + "' must contain %Y, %m and %d once each (e.g. \"%d/%m/%Y\")");
  for (auto& c : r.names(dt, "columns")) s.dates.push_back({c, format});
  if (const toml::node* fm = dt.get("formats")) {
    for (auto&& [k, v] : r.table(*fm, "'formats'")) {
      if (!v.is_string() || !study::valid_date_format(v.as_string()->get()))
        r.fail(line_of(v), "formats." + std::string(k.str()) + " must be a date format with %Y, %m and %d");
      const std::string col(k.str());
      auto it = std::find_if(s.dates.begin(), s.dates.end(), [&](auto& d) { return d.column.name == col; });
      if (it != s.dates.end()) it->format = std::string(v.as_string()->get());
      else s.dates.push_back({{col, line_of(v)}, std::string(v.as_string()->get())});
    }
  }
  if (const toml::node* end = dt.get("study_end")) {
    if (end->is_date()) {
      const toml::date d = end->as_date()->get();
      s.study_end = static_cast<double>(study::days_from_civil(d.year, d.month, d.day));
    } else if (end->is_string()) {
      auto day = study::parse_date(end->as_string()->get(), format);
      if (!day) r.fail(line_of(*end), "study_end '" + std::string(end->as_string()->get()) +
                                          "' is not a valid date in the format " + format);
      s.study_end = static_cast<double>(*day);
    } else {
      r.fail(line_of(*end), "study_end must be a date (2019-12-31, unquoted) or a text in the date format");
    }
    s.study_end_text = study::format_iso_date(static_cast<std::int64_t>(s.study_end));
  }
}

/// [[derive]]: derived columns (intervals, scaled columns, earliest/latest dates).
void parse_derived(const Reader& r, const toml::table& root, StudySpec& s) {
  std::set<std::string> derived_names;
  for (const toml::table* t : r.array_of_tables(root, "derive")) {
    r.check_keys(*t, {"name", "interval", "unit", "scale", "multiply_by", "divide_by", "earliest", "latest"},
                 "[[derive]]");
    DeriveSpec d;
    d.line = line_of(*t);
    d.name = r.string(*t, "name", true, "[[derive]]");
    if (!derived_names.insert(d.name).second) r.fail(d.line, "derived column '" + d.name + "' is defined twice");
    const int kinds = !!t->get("interval") + !!t->get("scale") + !!t->get("earliest") + !!t->get("latest");
    if (kinds != 1)
      r.fail(d.line, "[[derive]] '" + d.name + "' needs exactly one of 'interval', 'scale', 'earliest', 'latest'");
    if (t->get("interval")) {
      d.kind = DeriveSpec::Kind::Interval;
      auto ends = r.names(*t, "interval");
      if (ends.size() != 2) r.fail(r.line(*t, "interval"), "'interval' must list two date columns: [from, to]");
      d.from = ends[0];
      d.to = ends[1];
      if (!t->get("unit"))
        r.fail(d.line, "[[derive]] '" + d.name + "': an interval needs 'unit' (" + join(enum_names<TimeUnit>()) + ")");
      d.unit = r.choice(*t, "unit", TimeUnit::Days);
    } else if (t->get("scale")) {
      d.kind = DeriveSpec::Kind::Scale;
      d.from = r.name(*t, "scale", true, "[[derive]]");
      d.multiply_by = r.number(*t, "multiply_by", 1.0);
      d.divide_by = r.number(*t, "divide_by", 1.0);
      if (!std::isfinite(d.multiply_by) || !std::isfinite(d.divide_by) || d.divide_by == 0)
        r.fail(d.line, "[[derive]] '" + d.name + "': multiply_by / divide_by must be finite, divide_by non-zero");
    } else {
      const bool earliest = t->get("earliest") != nullptr;
      d.kind = earliest ? DeriveSpec::Kind::Earliest : DeriveSpec::Kind::Latest;
      d.dates = r.names(*t, earliest ? "earliest" : "latest");
      if (d.dates.empty()) r.fail(d.line, "[[derive]] '" + d.name + "': list at least one date column");
    }
    if ((t->get("unit") && d.kind != DeriveSpec::Kind::Interval) ||
        ((t->get("multiply_by") || t->get("divide_by")) && d.kind != DeriveSpec::Kind::Scale))
      r.fail(d.line, "[[derive]] '" + d.name + "': 'unit' goes with 'interval', multiply_by/divide_by with 'scale'");
    s.derived.push_back(std::move(d));
  }
}

/// [[filter]]: inclusion and exclusion criteria, checked for syntax now.
void parse_filters(const Reader& r, const toml::table& root, StudySpec& s) {
  for (const toml::table* t : r.array_of_tables(root, "filter")) {
    r.check_keys(*t, {"label", "include", "exclude"}, "[[filter]]");
    FilterSpec f;
    f.line = line_of(*t);
    const bool inc = t->get("include") != nullptr, exc = t->get("exclude") != nullptr;
    if (inc == exc) r.fail(f.line, "[[filter]] needs exactly one of 'include' or 'exclude'");
    f.exclude = exc;
    std::size_t eline = 0;
    f.expression = r.string(*t, exc ? "exclude" : "include", true, "[[filter]]", &eline);
    f.line = eline;
    f.label = r.string(*t, "label", false, "[[filter]]");
    if (f.label.empty()) f.label = (exc ? "excluded: " : "included: ") + f.expression;
    // Syntax errors are spec errors: report them now.
    study::FilterExpr(f.expression, s.source_name + " line " + std::to_string(f.line) + ": filter '" + f.expression + "'");
    s.filters.push_back(std::move(f));
  }
}

/// [[variable]]: the categorical variables.
void parse_variables(const Reader& r, const toml::table& root, StudySpec& s) {
  std::set<std::string> var_names;
  for (const toml::table* t : r.array_of_tables(root, "variable")) {
    VariableSpec v = parse_variable(r, *t, "[[variable]]", false);
    if (v.name == "group") r.fail(v.line, "'group' is reserved for the exposure ([group])");
    if (!var_names.insert(v.name).second) r.fail(v.line, "variable '" + v.name + "' is defined twice");
    s.variables.push_back(std::move(v));
  }
}

/// [group]: the exposure.
void parse_group(const Reader& r, const toml::table& root, StudySpec& s) {
  const toml::node* gn = root.get("group");
  if (!gn) r.fail(1, "the spec needs a [group] table (the exposure: 'from', 'values', 'reference')");
  s.group = parse_variable(r, r.table(*gn, "[group]"), "[group]", true);
  s.group.name = "group";
  s.group.baseline = false;
}

/// [[endpoint]]: time-to-event outcomes, from dates or from time/status columns.
void parse_endpoints(const Reader& r, const toml::table& root, StudySpec& s) {
  std::set<std::string> ids;
  for (const toml::table* t : r.array_of_tables(root, "endpoint")) {
    r.check_keys(*t, {"id", "name", "short", "start", "event", "censor", "time", "status", "time_unit", "unit",
                      "multivariable"},
                 "[[endpoint]]");
    EndpointSpec e;
    e.line = line_of(*t);
    e.id = r.string(*t, "id", true, "[[endpoint]]");
    if (!valid_id(e.id)) r.fail(r.line(*t, "id"), "endpoint id '" + e.id + "' must use a-z, 0-9 and _ only");
    if (!ids.insert(e.id).second) r.fail(e.line, "endpoint '" + e.id + "' is defined twice");
    e.name = r.string(*t, "name", false, "[[endpoint]]");
    e.short_name = r.string(*t, "short", false, "[[endpoint]]");
    if (e.short_name.empty()) {
      e.short_name = e.id;
      std::transform(e.short_name.begin(), e.short_name.end(), e.short_name.begin(), ::toupper);
    }
    if (e.name.empty()) e.name = e.short_name;
    const bool dates_form = t->get("start") || t->get("event") || t->get("censor");
    const bool times_form = t->get("time") || t->get("status");
    if (dates_form == times_form)
      r.fail(e.line, "endpoint '" + e.id + "' needs either start/event/censor (dates) or time/status (columns)");
    if (dates_form) {
      e.start = r.name(*t, "start", true, "endpoint '" + e.id + "'");
      e.events = r.names(*t, "event");
      if (e.events.empty()) r.fail(e.line, "endpoint '" + e.id + "' needs 'event' (one or more date columns)");
      e.censor = r.name(*t, "censor", true, "endpoint '" + e.id + "'");
      if (t->get("time_unit")) r.fail(r.line(*t, "time_unit"), "'time_unit' goes with 'time' (the dates form counts days)");
    } else {
      e.time = r.name(*t, "time", true, "endpoint '" + e.id + "'");
      e.event = r.name(*t, "status", true, "endpoint '" + e.id + "'");
      e.time_unit = r.choice(*t, "time_unit", TimeUnit::Days);
    }
    e.unit = r.choice(*t, "unit", TimeUnit::Months);
    if (t->get("multivariable")) {
      e.multivariable = r.names(*t, "multivariable");
      e.has_multivariable = true;
      check_covariates(r, s, e.multivariable);
    }
    s.endpoints.push_back(std::move(e));
  }
  if (s.endpoints.empty()) r.fail(1, "the spec needs at least one [[endpoint]]");
}

/// [analysis]: landmarks, tests, levels and the multivariable model.
void parse_analysis(const Reader& r, const toml::table& root, StudySpec& s) {
  s.landmarks = {};
  if (const toml::node* an = root.get("analysis")) {
    const toml::table& a = r.table(*an, "[analysis]");
    r.check_keys(a, {"landmarks", "landmark_labels", "ties", "table1_test", "conf_level", "alpha", "ci_bands",
                     "time_breaks", "ph_transform", "multivariable", "multivariable_p_below"},
                 "[analysis]");
    s.landmarks = r.numbers(a, "landmarks");
    for (std::size_t k = 0; k < s.landmarks.size(); ++k)
      if (!(s.landmarks[k] > 0) || !std::isfinite(s.landmarks[k]) || (k > 0 && !(s.landmarks[k] > s.landmarks[k - 1])))
        r.fail(r.line(a, "landmarks"), "landmarks must be positive and increasing");
    s.landmark_labels = r.strings(a, "landmark_labels");
    if (!s.landmark_labels.empty() && s.landmark_labels.size() != s.landmarks.size())
      r.fail(r.line(a, "landmark_labels"), "landmark_labels needs one label per landmark");
    s.ties = r.choice(a, "ties", s.ties);
    s.table1_test = r.choice(a, "table1_test", s.table1_test);
    s.conf_level = r.number(a, "conf_level", 0.95);
    if (!(s.conf_level > 0 && s.conf_level < 1)) r.fail(r.line(a, "conf_level"), "conf_level must be in (0, 1)");
    s.alpha = r.number(a, "alpha", 0.05);
    if (!(s.alpha > 0 && s.alpha < 1)) r.fail(r.line(a, "alpha"), "alpha must be in (0, 1)");
    s.ci_bands = r.boolean(a, "ci_bands", true);
    s.time_breaks = r.number(a, "time_breaks", NA);
    if (a.get("time_breaks") && !(s.time_breaks > 0 && std::isfinite(s.time_breaks)))
      r.fail(r.line(a, "time_breaks"), "time_breaks (the step between the KM figures' time ticks) must be positive");
    s.ph_transform = r.choice(a, "ph_transform", s.ph_transform);
    s.multivariable.line = line_of(a);
    if (a.get("multivariable") && a.get("multivariable_p_below"))
      r.fail(r.line(a, "multivariable"), "give either 'multivariable' (a list) or 'multivariable_p_below', not both");
    s.multivariable.covariates = r.names(a, "multivariable");
    check_covariates(r, s, s.multivariable.covariates);
    s.multivariable.p_below = r.number(a, "multivariable_p_below", NA);
    if (a.get("multivariable_p_below") && !(s.multivariable.p_below > 0 && s.multivariable.p_below <= 1))
      r.fail(r.line(a, "multivariable_p_below"), "multivariable_p_below must be in (0, 1]");
  }
  if (s.multivariable.covariates.empty() && is_na(s.multivariable.p_below)) s.multivariable.p_below = 0.05;
}

/// [report]: the look of the Word files.
void parse_report(const Reader& r, const toml::table& root, StudySpec& s) {
  const toml::node* rn = root.get("report");
  if (!rn) return;
  const toml::table& t = r.table(*rn, "[report]");
  r.check_keys(t, {"font", "font_size"}, "[report]");
  if (t.get("font")) {
    s.word.font = r.string(t, "font", false, "[report]");
    const bool printable = std::all_of(s.word.font.begin(), s.word.font.end(),
                                       [](char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7f; });
    if (s.word.font.empty() || s.word.font.size() > 64 || !printable)
      r.fail(r.line(t, "font"), "font must be a font's name (1 to 64 printable characters), e.g. \"Arial\"");
  }
  s.word.font_size = r.number(t, "font_size", s.word.font_size);
  if (!(s.word.font_size >= 6 && s.word.font_size <= 24) || s.word.font_size * 2 != std::round(s.word.font_size * 2))
    r.fail(r.line(t, "font_size"), "font_size must be between 6 and 24 points, in steps of 0.5");
}

/// [matching]: propensity score matching (enabled by the table being present).
void parse_matching(const Reader& r, const toml::table& root, StudySpec& s) {
  const toml::node* mn = root.get("matching");
  if (!mn) return;
  const toml::table& m = r.table(*mn, "[matching]");
  r.check_keys(m, {"treated", "covariates", "p_below", "distance", "caliper", "caliper_scale", "ratio", "replace",
                   "order", "seed", "matchit_quirks"},
               "[matching]");
  MatchingSpec& ms = s.matching;
  ms.enabled = true;
  ms.line = line_of(m);
  ms.treated = r.name(m, "treated", true, "[matching]");
  const auto& g = s.group;
  if (std::find(g.values.begin(), g.values.end(), ms.treated.name) == g.values.end() &&
      std::find(g.labels.begin(), g.labels.end(), ms.treated.name) == g.labels.end())
    r.fail(ms.treated.line, "treated '" + ms.treated.name + "' is not a level of [group]");
  if (const toml::node* cv = m.get("covariates"); cv && cv->is_string()) {
    if (cv->as_string()->get() != "differing")
      r.fail(line_of(*cv), "covariates must be a list of variable names or \"differing\"");
  } else {
    ms.covariates = r.names(m, "covariates");
    if (ms.covariates.empty()) r.fail(ms.line, "[matching] covariates: list variables or write \"differing\"");
    check_covariates(r, s, ms.covariates);
    for (const auto& c : ms.covariates)
      if (c.name == "group") r.fail(c.line, "the group cannot be a matching covariate");
  }
  if (!m.get("covariates")) r.fail(ms.line, "[matching] needs 'covariates' (a list, or \"differing\")");
  ms.differing_p_below = r.number(m, "p_below", 0.05);
  if (m.get("p_below") && !ms.covariates.empty())
    r.fail(r.line(m, "p_below"), "'p_below' goes with covariates = \"differing\"");
  ms.use_logit = r.choice(m, "distance", Distance::Logit) == Distance::Logit;
  MatchOptions& o = ms.options;
  o.caliper = r.number(m, "caliper", NA);
  if (m.get("caliper") && !(o.caliper > 0)) r.fail(r.line(m, "caliper"), "caliper must be positive");
  o.std_caliper = r.choice(m, "caliper_scale", CaliperScale::Sd) == CaliperScale::Sd;
  const double ratio = r.number(m, "ratio", 1);
  if (!(ratio >= 1) || ratio != std::floor(ratio) || ratio > 100)
    r.fail(r.line(m, "ratio"), "ratio must be a whole number from 1 to 100");
  o.ratio = static_cast<std::size_t>(ratio);
  o.replace = r.boolean(m, "replace", false);
  o.order = r.choice(m, "order", o.order);
  const double seed = r.number(m, "seed", 1);
  if (seed != std::floor(seed) || std::fabs(seed) > 2147483647.0) r.fail(r.line(m, "seed"), "seed must be an integer");
  o.seed = static_cast<std::int32_t>(seed);
  o.matchit_quirks = r.boolean(m, "matchit_quirks", false);
}

}  // namespace

StudySpec parse_study_spec(std::string_view toml_text, const std::string& source_name) {
  Reader r(source_name);
  toml::table root;
  study::prescan_spec_nesting(toml_text, source_name);  // before toml++ recurses into it
  try {
    root = toml::parse(toml_text, std::string_view(source_name));
  } catch (const toml::parse_error& e) {
    r.fail(e.source().begin.line, "TOML syntax: " + std::string(e.description()));
  }
  r.check_keys(root, {"title", "data", "dates", "derive", "filter", "variable", "group", "endpoint", "analysis",
                      "matching", "report", "published", "published_table", "published_file"},
               "the spec");
  StudySpec s;
  s.source_name = source_name;
  s.title = r.string(root, "title", false, "the spec");
  parse_data(r, root, s);
  parse_dates(r, root, s);
  parse_derived(r, root, s);
  parse_filters(r, root, s);
  parse_variables(r, root, s);
  parse_group(r, root, s);
  parse_endpoints(r, root, s);
  parse_analysis(r, root, s);
  parse_matching(r, root, s);
  parse_report(r, root, s);
  s.published_file = r.name(root, "published_file", false, "the spec");
  s.published.source_name = source_name;
  study::read_published(root, source_name, s.published);
  return s;
}

}  // namespace survkit
