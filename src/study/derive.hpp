// Internal (study): from the raw table and the spec to the analysed data set: renamed
// columns, dates as day numbers, derived columns, the filters (with the patient flow),
// the categorical variables and the endpoints.  Exposed (not public) so that the tests
// can call the core estimators on exactly the data the report was computed from.
#pragma once

#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/report.hpp"
#include "survkit/study.hpp"
#include "survkit/surv_data.hpp"
#include "survkit/table.hpp"

namespace survkit::study {

/// Days per month and per year (see TimeUnit).
inline constexpr double kDaysPerMonth = 30.4375;
inline constexpr double kDaysPerYear = 365.25;
double days_per(TimeUnit unit);
const char* unit_name(TimeUnit unit);  // "days", "months", "years"

/// A categorical variable on the analysed rows.
///  factor.code : length n_analysed, -1 = missing, else an index into factor.levels.
///  factor.levels : the display labels, in the order given in the spec (NOT reference
///                  first: `reference` says which one is the reference).
struct StudyVariable {
  const VariableSpec* spec = nullptr;
  Factor factor;
  std::size_t reference = 0;
};

/// An endpoint on the analysed rows (time in the endpoint's unit).
struct StudyEndpoint {
  const EndpointSpec* spec = nullptr;
  SurvData surv;
};

struct StudyData {
  /// The analysed rows, every column (raw after renaming, then derived); date columns
  /// hold day numbers since 1970-01-01.  row_lines always holds each row's file line.
  Table table;
  std::set<std::string> date_columns;
  std::size_t n_read = 0;
  std::vector<FlowStep> flow;
  std::vector<StudyVariable> variables;  ///< spec order
  StudyVariable group;
  std::vector<StudyEndpoint> endpoints;  ///< spec order
};

/// Throws InputError / AnalysisError as documented on run_study().
StudyData derive_study_data(const StudySpec& spec, const Table& data);

}  // namespace survkit::study
