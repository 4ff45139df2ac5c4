// Internal (study): journal formatting of report cells (the style of the published CRC-PM study):
// P as "< 0.001" or 3 decimals, HR with 3 decimals, CI "0.701–2.133", rates as
// percentages with 1 decimal.  Each helper returns a ReportCell: the text and the
// full-precision number behind it.
#pragma once

#include <string>

#include "survkit/format.hpp"
#include "survkit/report.hpp"

namespace survkit::study {

ReportCell text_cell(std::string text);
/// `x` with `decimals` decimals; NA gives an empty cell.
ReportCell fixed_cell(double x, int decimals);
/// "< 0.001" below 0.001, else 3 decimals ("1.000" for 1); `suffix` marks the test used.
ReportCell p_cell(double p, const std::string& suffix = "");
/// "0.701–2.133" (en dash); value NA (a CI is two numbers), the limits in lower / upper
/// (written to results.json).
ReportCell ci_cell(double lower, double upper, int decimals = 3);
/// A proportion as a percentage with 1 decimal: value = 100 * s.
ReportCell percent_cell(double s);
/// A count (whole numbers printed as integers, weighted counts with 1 decimal).
ReportCell count_cell(double n);
/// "34.5 (32.4–NR)": a median with its limits, NR = not reached; value = median.
ReportCell median_cell(double median, double lower, double upper);

/// A survival time as the tables print it: 1 decimal, "NR" (not reached) when NA.
std::string time_text(double x);
/// "P < 0.001" or "P = 0.012": a P in running text and figure annotations.
std::string p_clause(double p);

/// survkit::format_fixed / format_p (survkit/format.hpp) with NA as an empty cell.
inline std::string format_fixed(double x, int decimals) { return survkit::format_fixed(x, decimals, ""); }
inline std::string format_p(double p) { return survkit::format_p(p, ""); }

}  // namespace survkit::study
