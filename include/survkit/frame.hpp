// survkit public API: from a Table to the inputs of a model (a "model frame").
//
// build_frame() resolves column names, codes events, treatment and outcomes, turns
// categorical covariates into dummy columns, and keeps complete cases only, reporting
// how many rows were dropped and because of which columns.  Every problem with the
// data is an InputError naming the file, line, column and value.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/surv_data.hpp"
#include "survkit/table.hpp"

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
};

/// Rows left out because a used column was missing.  A row missing in two columns
/// counts once in `n` and once under each column.
struct DroppedRows {
  std::size_t n = 0;
  std::vector<std::pair<std::string, std::size_t>> by_column;  ///< in FrameSpec column order
};

/// Dummy-coded covariates.  Numeric covariates enter as they are (term = column name);
/// a categorical covariate gives one 0/1 column per non-reference level, named
/// "column=level", in level order.
struct Design {
  Eigen::MatrixXd x;                      ///< n x p, column-major
  std::vector<std::string> terms;         ///< length p
  std::vector<std::string> term_column;   ///< length p: the source column of each term
};

struct ModelFrame {
  std::size_t n = 0;                 ///< complete cases kept
  std::vector<std::size_t> rows;     ///< 0-based table row of each kept case, ascending
  SurvData surv;                     ///< filled when FrameSpec::time is set
  std::vector<std::uint8_t> outcome; ///< filled when FrameSpec::outcome is set (1 = yes)
  Factor group, strata, cluster;     ///< filled when requested (levels in level order)
  Design design;                     ///< filled when covariates are given
  /// One Factor per extra column (categorical view of it), in FrameSpec::extra order.
  std::vector<Factor> extra;
  DroppedRows dropped;
};

ModelFrame build_frame(const Table& table, const FrameSpec& spec);

/// The same, consuming the table: each column is freed once copied into the frame, so
/// the table and the frame are never both whole in memory.  `table` is left with its
/// names but with the used columns emptied.
ModelFrame build_frame(Table&& table, const FrameSpec& spec);

}  // namespace survkit
