// Rendering helpers shared by every command: journal-style number formatting, aligned
// text tables, and JSON values (NA -> null, full precision).
#pragma once

#include <string>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/frame_spec.hpp"
#include "survkit/json.hpp"  // Json, json_number

namespace survkit::cli {

/// A p-value as journals print it: "< 0.001" below 0.001, otherwise 3 decimals
/// ("0.046", "1.000"); "NA" when missing.
std::string format_p(double p);

/// "p = 0.046" or "p < 0.001" (for sentences).
std::string p_clause(double p);

/// A number with `decimals` decimals; "NA" when missing, "Inf"/"-Inf" when infinite.
std::string format_fixed(double x, int decimals);

/// A number with `digits` significant digits, as R's print (e.g. 4 -> 0.5417, 306, 1.2e-05).
std::string format_sig(double x, int digits = 4);

/// {"n": ..., "by_column": {"col": count, ...}}
Json json_dropped(const DroppedRows& dropped);

/// One line for the text output, e.g. "12 rows dropped for missing values (ph.ecog: 1, wt.loss: 11)",
/// or "" when nothing was dropped.
std::string dropped_note(const DroppedRows& dropped);

/// A plain aligned text table: first column left-aligned, the others right-aligned.
class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header) : header_(std::move(header)) {}
  void add_row(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string render(int indent = 2) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace survkit::cli
