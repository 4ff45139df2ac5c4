// survkit::data: SPSS, Stata and SAS data files through ReadStat (part of survkit_io:
// it opens files).  See README "Data files" for the rules.
#pragma once

#include <string>

#include "survkit/table.hpp"

namespace survkit::data {

enum class StatFormat { Sav, Por, Dta, Sas7bdat, Xport };

/// Reads a whole SPSS (.sav, .zsav, .por), Stata (.dta) or SAS (.sas7bdat, .xpt) file:
///  * a numeric variable with value labels, one of which names a value present in the
///    data, becomes a Categorical column whose levels are the labels in the order of
///    their coded values (a value without a label shows as the number);
///    Column::level_codes holds the codes.  Labels that name only missing codes or
///    absent values (999 = "refused") leave the variable numeric;
///  * a numeric variable with a date or datetime display format becomes a date column
///    (Column::date, days since 1970-01-01; a datetime keeps its calendar day);
///  * system-missing, SPSS user-missing values and ranges, and Stata/SAS extended
///    missing values (.a-.z, SAS ._ and .A-.Z) are missing, as is an empty string;
///  * string variables are categorical with the CSV level order; the variable label
///    goes to Column::label.
/// Throws IoError when the file cannot be opened and InputError (naming the file and,
/// when known, the row) when it is corrupt, encrypted or of an unsupported version.
Table read_stat_file(const std::string& path, StatFormat format);

}  // namespace survkit::data
