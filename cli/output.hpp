// Rendering helpers shared by every command: aligned text tables and JSON values (NA ->
// null, full precision).  The journal-style number formatting (format_p, format_fixed,
// format_sig) is survkit/format.hpp, shared with the study report.
#pragma once

#include <string>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/format.hpp"
#include "survkit/frame_spec.hpp"
#include "survkit/json.hpp"  // Json, json_number

namespace survkit::cli {

/// A confidence level as a percentage with as many digits as it needs to be true:
/// 0.95 -> "95%", 0.975 -> "97.5%", 0.999999999999 -> "99.9999999999%" (never "100%").
std::string percent_label(double level);

/// "p = 0.046" or "p < 0.001" (for sentences).
std::string p_clause(double p);


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
