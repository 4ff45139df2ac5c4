// Internal (study): the report's tables, each a pure function of the spec and the
// study's results (analyses.hpp).  Formatting only: every number was computed by
// analyse_study(); cells carry it at full precision beside its text (format.hpp).
#pragma once

#include <cstddef>

#include "study/analyses.hpp"
#include "survkit/report.hpp"

namespace survkit::study {

/// Tables 1 and 2: characteristics, landmark rates and univariate Cox models of one
/// endpoint (`number` is the table's number in the report).
ReportTable univariate_table(const StudySpec& spec, const StudyResults& r, std::size_t endpoint, int number);
/// Median survival by group, with the log-rank P, for every endpoint (and the matched
/// sample).
ReportTable medians_table(const StudySpec& spec, const StudyResults& r);
/// Follow-up and overall results of every endpoint: N, events, median (95% CI) and the
/// landmark rates for all patients and per group, and the median follow-up (reverse
/// Kaplan-Meier) with its IQR.
ReportTable followup_table(const StudySpec& spec, const StudyResults& r);
/// The matched-sample results of every endpoint (requires r.matching): per group N,
/// events, median and landmark rates; the HR (95% CI) and P of the weighted Cox model
/// with robust SE clustered on pairs; the robust score P (the paired test reported by
/// default), the log-rank P stratified on pairs and the ordinary log-rank P.
ReportTable matched_table(const StudySpec& spec, const StudyResults& r);
/// Tables 3 and 4: the multivariable Cox model of one endpoint.
ReportTable multivariable_table(const StudySpec& spec, const StudyResults& r, std::size_t endpoint, int number);
/// Table 5: the baseline variables by group, before (and after) matching, with SMDs.
ReportTable balance_table(const StudySpec& spec, const StudyResults& r, int number);

}  // namespace survkit::study
