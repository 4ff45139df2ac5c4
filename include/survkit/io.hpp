// survkit I/O library (survkit_io, not the core): reading data files (CSV, SPSS, Stata,
// SAS, Excel) and writing result files.  The statistical core never touches files: the
// CLI calls load_data (CSV text is mapped or read, then handed to survkit::parse_csv;
// the other formats go through their readers), and results are written atomically
// (whole or not at all) by the CLI and by the report renderers (survkit/render.hpp).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "survkit/table.hpp"

namespace survkit {

/// A file that cannot be read or written (the CLI's exit code 4).
class IoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Reads a whole file.  Throws IoError naming the path when it is missing or unreadable.
std::string read_file(const std::string& path);

/// Reads and parses a CSV file; `factor_columns` are forced categorical.  A regular file
/// is memory-mapped and the pages already parsed are dropped as the parser goes, so the
/// whole text is never resident at once.
Table load_table(const std::string& path, const std::vector<std::string>& factor_columns);

/// How load_data reads a file.
struct LoadOptions {
  /// Columns forced to be categorical (--factor).
  std::vector<std::string> factor_columns;
  /// The sheet of an .xlsx workbook (--sheet, the study's [data] sheet); empty = the
  /// first sheet.  An error for any other format.
  std::string sheet;
};

/// Reads a data file of any supported format, chosen by the extension (case-insensitive):
///   .sav .zsav .por (SPSS), .dta (Stata), .sas7bdat .xpt (SAS), .xlsx .xlsm (Excel),
///   anything else as CSV (load_table).
/// The content must match the extension: a workbook named .csv, a .sav that is not an
/// SPSS file, an encrypted workbook, an old binary .xls, ... are each an InputError
/// naming the file and what its content is.  The rules of each format (labels, missing
/// values, dates, sheets) are in README "Data files".  Throws IoError when the file cannot
/// be read, InputError for bad content.
Table load_data(const std::string& path, const LoadOptions& options);

/// Writes `content` to `path` atomically: to a new temporary file in the same folder
/// (unnamed with O_TMPFILE, else a unique mkstemp name), fsync'ed, then renamed over
/// `path`.  A reader never sees half a file, concurrent writers never mix (the last
/// rename wins), and a failure or crash leaves any previous file untouched and no
/// temporary file behind (the mkstemp fallback can leave one hidden `.NAME.survkit-*`
/// file after a kill -9).  A symbolic link is followed to the file it names; an existing
/// file keeps its permissions (and, for root, its owner).  A target that is not a
/// regular file (a device such as /dev/full, a folder, a pipe) is refused.  Throws
/// IoError with the system's reason (strerror).
void write_file_atomic(const std::string& path, const std::string& content);

}  // namespace survkit
