// Internal (study): the matched patients as a CSV file (matched.csv in the report
// folder), written by the same writer as `survkit match --output` (survkit/matched_csv.hpp).
#pragma once

#include <string>

#include "study/analyses.hpp"

namespace survkit::study {

/// Every column of the analysed data (raw after renaming, then derived; date columns as
/// ISO dates) of the patients in the matched sample, then ps, distance, subclass and
/// weight.  Empty without matching.
std::string matched_data_csv(const StudyResults& r);

}  // namespace survkit::study
