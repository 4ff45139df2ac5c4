// survkit public API: what a model frame is asked for (FrameSpec, FactorSpec,
// IndicatorSpec) and what it reports dropping (DroppedRows), without the frame itself
// (survkit/frame.hpp), so that code which only parses --factor or prints dropped rows
// does not include Eigen.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace survkit {

/// --factor COL[:ref=LEVEL]: treat COL as categorical, optionally with a reference level.
struct FactorSpec {
  std::string column;
  std::string reference;  ///< empty = the first level (numbers by value, text by byte order)
  /// Parses "COL" or "COL:ref=LEVEL".
  static FactorSpec parse(std::string_view text);
};

/// A binary indicator taken from a column: "COL" or "COL=VALUE".
///  "COL"       : numeric 0/1; numeric 1/2 (2 = yes, as R's Surv); text TRUE/FALSE
///                (also true/false, T/F).  Any other value is an InputError.
///  "COL=VALUE" : yes when the column equals VALUE (numerically for a numeric column),
///                no for every other non-missing value.
struct IndicatorSpec {
  std::string column;
  std::string value;       ///< empty unless written as COL=VALUE
  bool has_value = false;
  static IndicatorSpec parse(std::string_view text);
};

/// What a model needs from the table.  Empty strings / vectors = not used.
struct FrameSpec {
  std::string time;                      ///< survival time column (numeric, >= 0)
  std::string event;                     ///< IndicatorSpec text for the event
  std::string outcome;                   ///< IndicatorSpec text for a binary outcome / treatment
  std::string group;                     ///< categorical grouping (km, logrank)
  std::string strata;                    ///< categorical strata
  std::string cluster;                   ///< cluster id (any type)
  std::string weights;                   ///< case weights (numeric, >= 0)
  std::vector<std::string> covariates;   ///< model terms (numeric or categorical)
  std::vector<std::string> extra;        ///< further columns that must be complete (e.g. exact-matching columns)
  std::vector<FactorSpec> factors;       ///< forced categorical columns and reference levels
  /// Checks that make sense for models: throw AnalysisError when the event column has
  /// no events, the group has fewer than two levels, or a covariate is constant.
  bool require_events = true;
  bool require_two_groups = true;
  bool require_varying_covariates = true;
  /// Design::x gets a leading column of ones (the intercept) ahead of the terms, for a
  /// model that reads the design in place (LogisticInput::design) instead of copying it
  /// into a new n x (p + 1) matrix.
  bool intercept_column = false;
};

/// Rows left out because a used column was missing.  A row missing in two columns
/// counts once in `n` and once under each column.
struct DroppedRows {
  std::size_t n = 0;
  std::vector<std::pair<std::string, std::size_t>> by_column;  ///< in FrameSpec column order
};

}  // namespace survkit
