// survkit public API: a whole clinical study from one TOML spec (survkit study).
//
// parse_study_spec() reads the spec text (the caller reads the file); run_study() takes
// the spec and the raw data table (the caller reads the data file named in the spec) and
// returns the report as plain data (survkit/report.hpp), which the report library
// renders (survkit/render.hpp).
//
// The spec format is documented, key by key, in the annotated example
// examples/crc-pm/study.toml.  In short:
//   title, [data] (file, rename, dates, study_end), [[derive]] (interval / scale /
//   earliest / latest), [[filter]] (include / exclude expressions, each with a label),
//   [[variable]] (cut points or level values, recode, labels, reference), [group]
//   (the exposure), [[endpoint]] (dates or time/event columns, unit), [analysis]
//   (landmarks, ties, Table-1 test, multivariable selection), [matching].
//
// Every name in the spec that refers to data (a column, a level) carries the spec line
// it was written on, so that errors found only once the data is seen (an unknown column,
// a cut point on a text column) still name the line: "study.toml line 12: ...".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/enums.hpp"
#include "survkit/match_options.hpp"
#include "survkit/paper_check.hpp"
#include "survkit/report.hpp"
#include "survkit/table.hpp"

namespace survkit {

/// A name written in the spec, with the spec line it was written on (1-based).
struct SpecName {
  std::string name;
  std::size_t line = 0;
  bool empty() const { return name.empty(); }
};

/// A date column of the data, parsed with a declared strftime-like format
/// (%Y, %m, %d and literal characters; e.g. "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y").
struct DateColumnSpec {
  SpecName column;
  std::string format;
};

/// A column computed from others ([[derive]]).  Derived columns are added in spec order,
/// so a derivation may use an earlier one.
struct DeriveSpec {
  enum class Kind {
    Interval,  ///< (to - from) in `unit`: two date columns; missing if either is missing
    Scale,     ///< from * multiply_by / divide_by: a numeric column
    Earliest,  ///< the earliest of several date columns that are present (missing if none)
    Latest,    ///< the latest of several date columns that are present (missing if none)
  };
  std::string name;
  std::size_t line = 0;
  Kind kind = Kind::Interval;
  SpecName from, to;            ///< Interval: the two dates; Scale: `from`
  TimeUnit unit = TimeUnit::Days;
  double multiply_by = 1.0, divide_by = 1.0;
  std::vector<SpecName> dates;  ///< Earliest / Latest
};

/// An inclusion or exclusion criterion ([[filter]]), applied in spec order.
///  include: keep the rows where `expression` is true (rows where it is undecidable
///           because a value is missing are excluded, as R's subset());
///  exclude: drop the rows where `expression` is true (undecidable rows are kept).
struct FilterSpec {
  std::string label;       ///< shown in the flow table
  std::string expression;  ///< the filter language of examples/crc-pm/study.toml
  bool exclude = false;
  std::size_t line = 0;
};

/// A categorical analysis variable ([[variable]], and [group]).
///  * cuts (numeric source): strictly increasing; level k holds cuts[k-1] < x <= cuts[k]
///    (x <= cut goes to the lower level, as "<= 60 / > 60"); cuts.size() + 1 levels.
///  * values (categorical or numeric source): the raw values, after `recode`, that make
///    each level, in level order.  A non-missing value in no level is an error (naming
///    the data row), so that a typo in a level never silently drops patients.
///  * labels: display label per level (default: the values, or "<= c" / "> c" for cuts).
///  * reference: a value or a label; empty = the first level.
struct VariableSpec {
  std::string name;   ///< identifier used in the spec (covariate lists, matching)
  std::string label;  ///< display name (default: the data file's variable label, else name)
  bool label_given = false;  ///< label written in the spec (not a default)
  SpecName from;      ///< source column (raw, renamed or derived)
  std::size_t line = 0;
  std::vector<double> cuts;
  std::vector<std::string> values;
  std::vector<std::pair<std::string, std::string>> recode;  ///< raw value -> value
  std::vector<std::string> labels;
  SpecName reference;
  bool baseline = true;  ///< shown in Table 5 and a candidate for the matching model
};

/// A time-to-event endpoint ([[endpoint]]), in one of two forms:
///  dates : start date, event date(s), censoring date.  The event is the earliest event
///          date present and <= study end; otherwise the row is censored at its
///          censoring date capped at the study end.
///  times : a time column (in `time_unit`) and a 0/1 event column.
struct EndpointSpec {
  std::string id;          ///< [a-z0-9_], used in table ids ("os")
  std::string name;        ///< "Overall survival"
  std::string short_name;  ///< "OS"
  std::size_t line = 0;
  SpecName start;
  std::vector<SpecName> events;
  SpecName censor;
  SpecName time, event;
  TimeUnit time_unit = TimeUnit::Days;  ///< unit of the `time` column (times form)
  TimeUnit unit = TimeUnit::Months;     ///< unit of the analysis, shown in tables
  /// Multivariable model of this endpoint; overrides [analysis] when given.
  std::vector<SpecName> multivariable;
  bool has_multivariable = false;
};

/// Which covariates enter the multivariable Cox models.
struct MultivariableSpec {
  /// Either a list of variable names ("group" = the exposure) ...
  std::vector<SpecName> covariates;
  /// ... or every variable (and the group) with a univariate P below this (NA = use the
  /// list).  A multi-level variable enters when any of its levels has P below it.
  double p_below = NA;
  std::size_t line = 0;
};

/// Propensity score matching ([matching]), as `survkit match`.
struct MatchingSpec {
  bool enabled = false;
  std::size_t line = 0;
  SpecName treated;                 ///< the group level (value or label) that is focal (ATT)
  std::vector<SpecName> covariates; ///< a list of variable names ...
  /// ... or, when the list is empty, every baseline variable whose Table 5 P (before
  /// matching) is below this.
  double differing_p_below = 0.05;
  bool use_logit = true;            ///< distance: logit of the score (survkit match's default) or the score
  MatchOptions options;             ///< ratio, replace, order, caliper, seed, matchit_quirks
};

/// A parsed, validated study specification.  (See examples/crc-pm/study.toml.)
struct StudySpec {
  std::string source_name;  ///< the spec's name in messages ("study.toml")
  std::string title;
  /// As written in the spec; a relative path is relative to the spec file's folder
  /// (the CLI resolves it).
  std::string data_file;
  std::string data_sheet;  ///< [data] sheet: the sheet of an .xlsx data file (empty = the first)
  std::vector<std::pair<SpecName, std::string>> renames;  ///< old column -> new name
  std::vector<DateColumnSpec> dates;
  double study_end = NA;  ///< days since 1970-01-01; NA = no administrative censoring
  std::string study_end_text;
  std::vector<DeriveSpec> derived;
  std::vector<FilterSpec> filters;
  std::vector<VariableSpec> variables;
  VariableSpec group;
  std::vector<EndpointSpec> endpoints;
  // [analysis]
  std::vector<double> landmarks;           ///< in each endpoint's unit
  std::vector<std::string> landmark_labels;  ///< optional column labels ("3-year"); default from the unit
  Ties ties = Ties::Efron;
  Table1Test table1_test = Table1Test::Auto;
  double conf_level = 0.95;
  double alpha = 0.05;                     ///< significance level named in the Methods
  bool ci_bands = true;                    ///< confidence bands in the KM figures
  /// Step between the x-axis ticks of the KM figures (and their number-at-risk
  /// columns), in the endpoints' unit; NA = natural steps for the unit (months: 6, 12 or
  /// 24; years: 1, 2 or 5; days: 90, 180, 365 or 730, by the follow-up's range).
  double time_breaks = NA;
  /// Time scale of the proportional-hazards test of every Cox model (R: cox.zph(transform =)).
  ZphTransform ph_transform = ZphTransform::KM;
  MultivariableSpec multivariable;
  MatchingSpec matching;
  /// [report] font, font_size: the Word files' font (see DocumentStyle).
  DocumentStyle word;
  /// The paper's published values ([[published]], [[published_table]]; see
  /// docs/published-values.md): the report compares them with the reproduced cells and
  /// checks their internal consistency.
  PublishedSet published;
  /// published_file = "published.toml": more published values in a file of their own,
  /// relative to the spec's folder; the caller reads it and appends parse_published() of
  /// it to `published`.
  SpecName published_file;
};

/// Parses and validates the spec text.  Throws InputError "study.toml line 12: ..."
/// (source_name, then the line) for TOML syntax errors, unknown keys, wrong types,
/// invalid values and inconsistent references within the spec.  Checks that need the
/// data (unknown columns, cut points on text columns) are made by run_study.
StudySpec parse_study_spec(std::string_view toml_text, const std::string& source_name);

/// Parses a file of published values (survkit check-paper; the format of
/// docs/published-values.md: [[published]] and [[published_table]], and an optional
/// title).  Throws InputError naming the file and line.
PublishedSet parse_published(std::string_view toml_text, const std::string& source_name);

/// Runs the study on the raw data (as read by parse_csv, no forced factor columns).
/// Throws InputError (naming the spec line, or the data row, column and value) for an
/// unknown column, a malformed date, a cut point on a text column, a level value not in
/// the spec; AnalysisError for a filter that excludes everyone, an endpoint with no
/// events, a matching block that matches no one.  Numerical trouble of the estimators
/// goes into StudyReport::warnings.
StudyReport run_study(const StudySpec& spec, const Table& data);

}  // namespace survkit
