// Internal (study): the report's figures, pure functions of the spec and the study's
// results (analyses.hpp).  The KM figures take curves, the log-rank test and the
// group's Cox model from the same fits as the tables; only the number at risk at the
// figure's ticks is counted here, because the ticks are the figure's layout.
#pragma once

#include <cstddef>

#include "study/analyses.hpp"
#include "survkit/report.hpp"

namespace survkit::study {

/// Figure 1<letter>: KM curves of one endpoint by group, in all patients or (matched)
/// in the matched sample, with the number at risk, log-rank P and HR.
ReportFigure km_figure(const StudySpec& spec, const StudyResults& r, std::size_t endpoint, bool matched, char letter);
/// The Love plot of the matching (requires r.matching).
ReportFigure love_figure(const StudyResults& r);

}  // namespace survkit::study
