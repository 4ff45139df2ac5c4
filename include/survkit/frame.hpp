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
#include "survkit/frame_spec.hpp"
#include "survkit/surv_data.hpp"
#include "survkit/table.hpp"

namespace survkit {

/// Dummy-coded covariates.  Numeric covariates enter as they are (term = column name);
/// a categorical covariate gives one 0/1 column per non-reference level, named
/// "column=level", in level order.
struct Design {
  Eigen::MatrixXd x;                      ///< n x p, column-major (n x (p + 1) with `intercept`)
  std::vector<std::string> terms;         ///< length p
  std::vector<std::string> term_column;   ///< length p: the source column of each term
  /// x's first column is all ones and term k is column k + 1 (FrameSpec::intercept_column).
  bool intercept = false;
  /// The column of x that holds term k.
  Eigen::Index column(std::size_t k) const { return static_cast<Eigen::Index>(k) + (intercept ? 1 : 0); }
};

struct ModelFrame {
  std::size_t n = 0;                 ///< complete cases kept
  /// 0-based table row of each kept case, ascending; empty when every row is kept (then
  /// case i is table row i: no n-long list of 0, 1, 2, ...).  Read it through row().
  std::vector<std::size_t> rows;
  /// The 0-based table row of kept case i (i < n).
  std::size_t row(std::size_t i) const { return rows.empty() ? i : rows[i]; }
  /// The table row of every kept case, as a list (rows, or 0 .. n-1).
  std::vector<std::size_t> kept_rows() const;
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
