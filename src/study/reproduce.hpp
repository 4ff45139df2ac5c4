// Internal (study): the two files of the report folder that let a reader verify the
// report with R (issue 9 section 4):
//
//  analysis_data.csv : one row per analysed patient: the data file line, the group, each
//                      categorical variable as its report label, each endpoint's time (in
//                      the endpoint's unit) and event, and, with matching, the propensity
//                      score, the distance matched on, the matched flag, the pair
//                      (subclass) and the matching weight;
//  reproduce.R       : a plain R script (survival, jsonlite; MatchIt to redo the matching)
//                      that reads analysis_data.csv, refits every model and estimate of
//                      the report and compares each number with the cell of results.json
//                      that shows it, addressed by table id, heading row, row label and
//                      column (value and CI limits; the PH P column by cox.zph), the PH
//                      tests printed only in notes (as printed), and results.json's
//                      "numbers" (counts recomputed; spec settings against the values it
//                      analyses with), and the residual figures' plotted values.  It ends
//                      with "N of N numbers agree with survkit", lists what it does not
//                      check (the published section, the flow before the analysed set,
//                      the Kaplan-Meier and Love plots' data) and the
//                      disagreements, and exits with status 1 when there are any.
//
// Both are pure functions of the spec and the results: the report's tables are built
// from the same results, and the script addresses their cells by the same ids and labels
// (study/tables.cpp).
#pragma once

#include <string>
#include <vector>

#include "study/analyses.hpp"
#include "survkit/report.hpp"
#include "survkit/study.hpp"

namespace survkit::study {

/// The column names of analysis_data.csv: syntactic R names, unique.
struct AnalysisColumns {
  std::vector<std::string> variables;  ///< one per StudyData::variables (spec order)
  std::vector<std::string> time, event;  ///< one per endpoint: "<id>_time", "<id>_event"
};
AnalysisColumns analysis_columns(const StudyResults& r);

/// analysis_data.csv (UTF-8, comma-separated, RFC 4180 quoting; NA as an empty field;
/// numbers in shortest round-trip form, so R reads back the identical doubles).
std::string analysis_data_csv(const StudySpec& spec, const StudyResults& r);

/// reproduce.R for the report `report` built from `r`.
std::string reproduce_script(const StudySpec& spec, const StudyResults& r, const StudyReport& report);

/// Both files, as the report folder carries them.
std::vector<ReportAttachment> reproduction_files(const StudySpec& spec, const StudyResults& r,
                                                 const StudyReport& report);

}  // namespace survkit::study
