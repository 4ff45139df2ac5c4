// Internal (study): the report's "Published vs reproduced" section: each published value
// against the report cell with the same table, row and column ids, reproduced at the
// published precision, and the internal consistency checks of the published numbers.
#pragma once

#include <vector>

#include "survkit/paper_check.hpp"
#include "survkit/report.hpp"

namespace survkit::study {

/// Where a published value's cell is in its report table: row and column indices
/// (SIZE_MAX when not found) and the cell (null when the report has none).
struct CellPosition {
  std::size_t row = static_cast<std::size_t>(-1), column = static_cast<std::size_t>(-1);
  const ReportCell* cell = nullptr;
};
CellPosition locate_cell(const std::vector<ReportTable>& tables, const PublishedValue& v);

/// Where a published value's cell is in `tables` (null when the report has none).
const ReportCell* find_cell(const std::vector<ReportTable>& tables, const PublishedValue& v);
/// The result points into `tables`: a temporary list would leave it dangling.
const ReportCell* find_cell(std::vector<ReportTable>&& tables, const PublishedValue& v) = delete;

/// The reproduced cell printed at the precision of the published value ("74.2%" for a
/// published "81.6%", "< 0.001", "0.690–2.101"); empty when the cell has no number.
std::string reproduced_text(const PrintedValue& published, const ReportCell& cell);

/// The section's counts and checks, and its two tables (section Published) for the end
/// of the report's table list; both empty when `published` is.
struct PublishedPart {
  PublishedSection section;
  std::vector<ReportTable> tables;
};

/// The published values against the report's `tables`.
PublishedPart published_section(const PublishedSet& published, const std::vector<ReportTable>& tables);

}  // namespace survkit::study
