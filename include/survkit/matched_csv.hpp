// survkit public API: the matched units as a CSV file (R: MatchIt's match.data()), the
// one writer behind `survkit match --output` and the study report's matched.csv.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "survkit/match.hpp"
#include "survkit/table.hpp"

namespace survkit {

/// MatchIt's match.data(): one line per matched unit (weight > 0), in unit (data)
/// order: every column of `table` at the unit's row (`unit_rows[u]`, 0-based rows of
/// `table`; numbers in shortest round-trip form, text verbatim, missing as NA), then ps,
/// distance, subclass and weight.  With replacement MatchIt has no subclass; the column
/// is kept (so the file layout does not depend on the options) and left empty (NA).  Throws InputError when unit_rows and the result differ in
/// length or a row is outside the table.
std::string matched_csv(const Table& table, const std::vector<std::size_t>& unit_rows, const MatchingResult& result);

}  // namespace survkit
