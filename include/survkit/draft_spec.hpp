// survkit public API: drafting a study spec from a data set (`survkit init`).
//
// A new user starts from their own columns instead of a blank page.  Typed date columns
// (SPSS, Stata, SAS, Excel) need no [dates] declaration, and the file's variable labels
// become the display labels.  The draft is a
// commented TOML spec (the format of examples/crc-pm/study.toml) that runs as it is:
//  - column kinds are detected: dates (the one supported format that fits every value
//    of the column, declared, never guessed per value), 0/1 status columns, numeric and
//    categorical columns; identifiers and free text are listed but not analysed;
//  - endpoints: time + status column pairs (os_days / os_status) become endpoints in
//    the columns form; otherwise date columns are proposed as the start, event and
//    censoring dates of OS (and, with a progression/recurrence date, PFS) endpoints;
//    the alternatives are written out, commented;
//  - categorical columns become [[variable]]s listing their levels, with display-label
//    placeholders; numeric columns are cut at their median (both sides non-empty);
//  - the group is the column named by DraftOptions::group, else the first two-level
//    column whose name looks like an exposure (treatment, arm, group, rx, ...), else the
//    first two-level column;
//  - patients missing the group or an endpoint's start/time/status are excluded by
//    filters, so they are counted in the patient flow instead of stopping the study;
//  - [matching] is written commented out.
// The draft is a pure function of the table: no file is read or written here.
#pragma once

#include <string>
#include <vector>

#include "survkit/table.hpp"

namespace survkit {

struct DraftOptions {
  /// The data file as the spec names it ([data] file), relative to the spec's folder.
  std::string data_file;
  /// The group (exposure) column; empty = detect.
  std::string group;
  /// The sheet of an .xlsx workbook ([data] sheet); empty = the first.
  std::string sheet;
};

/// What one column was taken for (DraftedSpec::columns, in table order).
struct DraftedColumn {
  std::string name;
  /// "date", "time", "status", "group", "categorical", "numeric (cut at the median)",
  /// "identifier", "free text", "empty", "unused"
  std::string role;
  /// For dates: the declared format; for categorical columns: the number of levels.
  std::string detail;
};

struct DraftedSpec {
  std::string toml;                      ///< the commented spec
  std::vector<DraftedColumn> columns;    ///< how each column was read
  std::vector<std::string> next_edits;   ///< the edits a user most likely needs next (3)
  std::string group_column;              ///< the group's source column
  bool group_detected = false;           ///< true when DraftOptions::group was empty
};

/// Drafts the spec.  Throws InputError when the table has no column that can be the
/// group (two or more levels) or no possible endpoint (a time + 0/1 status pair, or a
/// start date and a later date), naming what is missing; and when DraftOptions::group
/// names no column or a column with fewer than two levels.
DraftedSpec draft_study_spec(const Table& table, const DraftOptions& options);

}  // namespace survkit
