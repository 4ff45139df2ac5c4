// Rendering helpers shared by every command: aligned text tables and JSON values (NA ->
// null, full precision).  The journal-style number formatting (format_p, format_fixed,
// format_sig) is survkit/format.hpp, shared with the study report.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/format.hpp"
#include "survkit/frame.hpp"

namespace survkit::cli {

using Json = nlohmann::ordered_json;

/// "p = 0.046" or "p < 0.001" (for sentences).
std::string p_clause(double p);

/// A JSON number, or null for NA / non-finite values.  nlohmann writes doubles in
/// shortest round-trip form, i.e. every bit of the double (up to 17 significant digits).
Json json_number(double x);

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
