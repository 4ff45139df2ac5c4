// survkit public API: the numbers a survival paper publishes, and the checks of their
// internal consistency (survkit check-paper; statcheck and GRIM for survival studies).
//
// A published value is a number exactly as printed ("81.6%", "0.701–2.133", "< 0.001",
// "34.5 (21.1–47.9)").  parse_printed() reads it together with its precision, so that
// every check works with the interval of true values that print that way (0.479 stands
// for [0.4785, 0.4795)).  The checks need no patient data:
//   * P from HR and CI   the Wald P recomputed from an HR and its 95% CI (log scale, normal);
//   * P from counts      Pearson, Yates-corrected chi-square and Fisher's exact P of a 2 x k
//                        table of counts: which of them reproduces the published P;
//   * counts             the levels of a characteristic add up to the group N;
//   * percent of N       a percentage is k / N for some whole k (GRIM), and the one of the
//                        printed count when there is one; percentages of one partition
//                        add up to 100%;
//   * survival           a group's median and its landmark rates are compatible (S is
//                        non-increasing: S(t) > 50% before the median, <= 50% from it on);
//                        a later rate is not above an earlier one (a rate of 0 stays 0);
//   * HR in CI           an HR lies inside its CI, roughly in the middle on the log scale;
//   * same quantity      a quantity printed in several places has one value.
// Each check is a pure function returning a PaperCheck: its inputs, the recomputed value
// and a verdict.  The file format of the published values (TOML, [[published]] and
// [[published_table]]) is read by parse_published() (survkit/study.hpp) and documented in
// docs/published-values.md.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/enum_names.hpp"

namespace survkit {

/// A number as printed in a paper.
struct PrintedValue {
  enum class Kind {
    Number,    ///< "5.871", "57", "0" (a bare 0 in a rate column is 0%)
    Percent,   ///< "81.6%": value in percent units (81.6)
    Interval,  ///< "0.701–2.133" (en dash, hyphen or " to "): lower, upper
    Below,     ///< "< 0.001": value is the bound
    WithCi,    ///< "34.5 (21.1–47.9)": value, lower, upper; "NR" limits are NA
    Unreadable ///< anything else ("50..3%"): the checks report it, never guess
  };
  std::string text;  ///< as printed
  Kind kind = Kind::Unreadable;
  double value = NA, lower = NA, upper = NA;
  int decimals = 0, lower_decimals = 0, upper_decimals = 0;  ///< digits after the point, as printed

  bool readable() const { return kind != Kind::Unreadable; }
  /// Half a unit in the last printed digit of the value (0.0005 for "0.479").
  double half_unit() const;
  /// The smallest and largest true value that prints as `value` ("< 0.001": [0, 0.001]).
  double min() const;
  double max() const;
};

/// Reads a printed value.  Accepts an optional leading "=", thin and no-break spaces, a
/// decimal point, "%", "<" / "≤", the dashes – — - between interval limits, and "NR".
/// Never throws: what it cannot read is Kind::Unreadable.
PrintedValue parse_printed(std::string_view text);

/// One published number, addressed like a cell of the study report: table id
/// ("table1_os"), row ("Gender / Female": the characteristic, " / ", the level) and
/// column (the header: "HR", "3-year OS", "Before PSM / Local therapy").
struct PublishedValue {
  std::string source;  ///< where the paper prints it: "Table 1", "Abstract", "Results"
  std::string table, row, column;  ///< a value without a column belongs to no report cell
  PrintedValue printed;
  /// Survival statistics: the endpoint ("os"; default: the table id's part after the
  /// last "_") and the subject whose curve it is (default: the row).
  std::string endpoint, subject;
  /// Entries with the same quantity must agree (default: derived for survival statistics
  /// from endpoint, subject and statistic; otherwise none).
  std::string quantity;
  double percent_of = NA;  ///< a percentage of this many patients (GRIM)
  std::string partition;   ///< percentages with the same partition add up to 100%
  std::string quote;       ///< the sentence of the paper (optional, for the reader)
  std::size_t line = 0;    ///< line of the published file
};

/// A block of counts in a published table: the count columns (one per group), the
/// group N printed above them, the column of the test's P and the test the paper says
/// it used.  Every characteristic (row heading) of `table` gives a 2 x k table.
struct PublishedCounts {
  std::string table;
  std::string source;
  std::vector<std::string> columns;   ///< count columns, one per group
  std::vector<PrintedValue> n;        ///< the group N, one per column (may be empty)
  std::string p_column;               ///< the column holding the P (on one level row)
  std::string stated_test;            ///< "pearson", "yates", "fisher" or "" (not stated)
  std::size_t line = 0;
};

/// Everything a published file (or a spec's [[published]] entries) gives.
struct PublishedSet {
  std::string source_name;  ///< the file's name in messages
  std::vector<PublishedValue> values;
  std::vector<PublishedCounts> counts;
  bool empty() const { return values.empty() && counts.empty(); }
};

enum class Verdict { Consistent, Inconsistent, CannotCheck };

enum class PaperCheckKind { Readable, PFromHrCi, PFromCounts, CountSum, PercentOfN, PercentSum, Survival, HrInCi, SameQuantity };

template <>
struct EnumNames<Verdict> {
  static constexpr EnumName<Verdict> table[] = {
      {Verdict::Consistent, "consistent"}, {Verdict::Inconsistent, "inconsistent"}, {Verdict::CannotCheck, "cannot check"}};
};

template <>
struct EnumNames<PaperCheckKind> {
  static constexpr EnumName<PaperCheckKind> table[] = {
      {PaperCheckKind::Readable, "readable"},         {PaperCheckKind::PFromHrCi, "p-from-hr-ci"},
      {PaperCheckKind::PFromCounts, "p-from-counts"}, {PaperCheckKind::CountSum, "count-sum"},
      {PaperCheckKind::PercentOfN, "percent-of-n"},   {PaperCheckKind::PercentSum, "percent-sum"},
      {PaperCheckKind::Survival, "survival"},         {PaperCheckKind::HrInCi, "hr-in-ci"},
      {PaperCheckKind::SameQuantity, "same-quantity"}};
};

/// One input of a check: what it is, where the paper prints it, and its printed text.
struct CheckInput {
  std::string label;  ///< "HR", "3-year rate", "Local therapy count"
  std::string where;  ///< "Table 1, Gender / Female"
  std::string value;  ///< as printed
};

/// The result of one check.
struct PaperCheck {
  PaperCheckKind kind = PaperCheckKind::Readable;
  std::string subject;  ///< what is checked: "Table 5, ECOG-PS (Before PSM)"
  std::vector<CheckInput> inputs;
  std::string recomputed;  ///< "P = 0.478 (from 0.477 to 0.480 within the printed precision)"
  double value = NA;       ///< the recomputed number at full precision (NA if none)
  Verdict verdict = Verdict::CannotCheck;
  std::string finding;     ///< one sentence: why consistent / inconsistent / not checkable
};

// ---- the checks, each a pure function -------------------------------------------------

/// The Wald P of an HR and its CI (conf_level, default 95%): z = |log HR| / SE with
/// SE = (log U - log L) / (2 z_{1-α/2}).  Consistent when some HR, L and U that print as
/// published give a P that prints as the published P.
PaperCheck check_p_from_hr_ci(const PrintedValue& hr, const PrintedValue& ci, const PrintedValue& p,
                              double conf_level = 0.95);

/// Which test reproduces a published P from a table of counts (rows = levels, columns =
/// groups): Pearson chi-square, Yates-corrected chi-square (2 x 2 only, as R's
/// chisq.test(correct = TRUE)) and Fisher's exact test.  Consistent when the stated test
/// (or, if none is stated, any test) reproduces it; a P reproduced only by another test
/// than the stated one is inconsistent, naming the test that does.
struct CountsTestInput {
  std::vector<std::string> levels, groups;
  std::vector<std::vector<double>> counts;  ///< levels x groups
  PrintedValue p;
  std::string stated_test;  ///< "pearson", "yates", "fisher" or ""
};
PaperCheck check_p_from_counts(const CountsTestInput& in);

/// The counts of the levels add up to the group N.
PaperCheck check_count_sum(const std::vector<double>& level_counts, double n);

/// A percentage of n patients: some whole k gives it (GRIM); if `count` is given (not
/// NA), count / n gives it.
PaperCheck check_percent_of_n(const PrintedValue& percent, double n, double count = NA);

/// Percentages of one partition add up to 100% within their rounding.
PaperCheck check_percent_sum(const std::vector<PrintedValue>& percents);

/// A median and a landmark rate of one survival curve (times in one unit): the rate at t
/// is above 50% for t before the median and at most 50% from the median on.
PaperCheck check_median_vs_rate(const PrintedValue& median, double rate_time, const PrintedValue& rate);

/// Two landmark rates of one curve, t1 < t2: S(t2) <= S(t1) (a rate of 0 stays 0).
PaperCheck check_rates_monotone(double t1, const PrintedValue& rate1, double t2, const PrintedValue& rate2);

/// An HR inside its CI, and the CI symmetric around it on the log scale: the distance of
/// log HR from the middle of the log CI may exceed what the printed precision explains by
/// at most 10% of the half-width.
PaperCheck check_hr_in_ci(const PrintedValue& hr, const PrintedValue& ci);

/// A quantity printed several times: all printed values must be reachable by one number.
PaperCheck check_same_quantity(const std::vector<PrintedValue>& values);

// ---- all checks of a published set -----------------------------------------------------

struct PaperCheckReport {
  std::string source_name;
  std::vector<PaperCheck> checks;  ///< in the order: values, P from HR/CI, counts, percentages, survival, quantities
  std::size_t consistent = 0, inconsistent = 0, cannot_check = 0;
};

/// Runs every check the published set allows.
PaperCheckReport check_paper(const PublishedSet& published);

}  // namespace survkit

namespace survkit {

/// The form under which table, row and column names are compared: ASCII letters in
/// lower case, without spaces, en and em dashes as "-" ("≤12months" names the row
/// "≤ 12 months").
std::string id_key(std::string_view name);

}  // namespace survkit
