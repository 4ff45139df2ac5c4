// survkit::data: Excel .xlsx workbooks, unzipped by libzip and parsed by pugixml (part of
// survkit_io: it opens files).  See README "Data files" for the rules.
#pragma once

#include <string>

#include "survkit/table.hpp"

namespace survkit::data {

/// Reads one sheet of an .xlsx workbook: `sheet` by name, or the first sheet when empty.
///  * row 1 is the header; a header cell merged across columns names the first of them,
///    the others get NAME_2, NAME_3, ...; blank trailing rows and wholly blank columns
///    are ignored; a blank row inside the data is a row of missing values;
///  * shared strings, inline strings, numbers and booleans (TRUE/FALSE) are read;
///    error cells (#N/A, #DIV/0!, ...) and empty cells are missing;
///  * a column whose cells are all numbers formatted as dates is a date column
///    (Column::date), in the 1900 or the 1904 date system of the workbook;
///  * otherwise the CSV rules apply to the cells' text: a column is numeric when every
///    non-missing cell is a number (also a number stored as text), else categorical.
/// Table::source is "FILE, sheet NAME"; row i of the table is sheet row i + 2, so
/// Table::line() gives the spreadsheet row.  Throws IoError when the file cannot be
/// opened, InputError naming the file, the sheet and the cell otherwise.
Table read_xlsx(const std::string& path, const std::string& sheet);

}  // namespace survkit::data
