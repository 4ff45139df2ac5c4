// Internal (study): display names from the data file's variable labels.
#pragma once

#include "survkit/study.hpp"
#include "survkit/table.hpp"

namespace survkit::study {

/// A copy of `spec` in which every variable (and the group) without a label of its own
/// takes the variable label of its source column (Column::label, set by the SPSS, Stata
/// and SAS readers), looked up by the column's name in the file or its [data] rename.
StudySpec with_data_labels(const StudySpec& spec, const Table& data);

}  // namespace survkit::study
