// Internal (study): the Methods paragraph, a pure function of the spec and the study's
// results (analyses.hpp).  Test names shared with the table notes come from wording.hpp.
#pragma once

#include <string>

#include "study/analyses.hpp"

namespace survkit::study {

/// Plain text; paragraphs separated by "\n\n".
std::string methods_paragraph(const StudySpec& spec, const StudyResults& r);

}  // namespace survkit::study
