// Internal (study): the Results paragraph, drafted from the study's results like the
// Methods paragraph (methods.hpp): a pure function of the spec and StudyResults.  Every
// number in it is a number of a report table (follow-up, medians, multivariable, Table 5,
// matched-sample results), formatted as that table prints it, so results.json holds it.
#pragma once

#include <string>

#include "study/analyses.hpp"

namespace survkit::study {

/// Plain text; paragraphs separated by "\n\n".
std::string results_paragraph(const StudySpec& spec, const StudyResults& r);

}  // namespace survkit::study
