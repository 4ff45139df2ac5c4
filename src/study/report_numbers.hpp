// Internal (study): the numbers the report's text states outside its table cells and
// patient flow (StudyReport::numbers, written to results.json): counts in notes and
// paragraphs, group sizes in column headers, and the spec's settings the text echoes;
// and the patient-flow steps of matching eligibility.
// A pure function of the spec and the results, like tables.* and methods.*.
#pragma once

#include <vector>

#include "study/analyses.hpp"
#include "survkit/report.hpp"
#include "survkit/study.hpp"

namespace survkit::study {

std::vector<ReportNumber> report_numbers(const StudySpec& spec, const StudyResults& r);

/// StudyReport::matching_flow: the analysed patients not eligible for matching, per
/// missing matching covariate (counted under the first one they lack, in the propensity
/// model's order).  Empty without matching or when everyone is eligible.
std::vector<FlowStep> matching_flow(const StudyResults& r);

}  // namespace survkit::study
