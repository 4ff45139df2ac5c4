// Internal (study): the fixed parts of reproduce.R (reproduce_helpers.cpp), which
// reproduce_script.cpp puts around the parts it writes from the spec.
#pragma once

namespace survkit::study {

/// results.json, the tolerance, and check() / check_interval() / check_patients().
extern const char* const kReproduceCompare;
/// The fits: univariate(), followup(), medians(), multivariable(), balance(),
/// matched_results() and their helpers.
extern const char* const kReproduceAnalyses;
/// The final count, the disagreements and the exit status.
extern const char* const kReproduceSummary;

}  // namespace survkit::study
