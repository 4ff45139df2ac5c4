// run_study: the study's orchestrator.  analyse_study() fits everything once; the
// tables, figures and Methods are then presented from those results.  The report's
// order -- which table and figure come where, and their numbers -- is stated here and
// nowhere else.
#include "study/analyses.hpp"
#include "study/data_labels.hpp"
#include "study/figures.hpp"
#include "study/methods.hpp"
#include "study/results_paragraph.hpp"
#include "study/tables.hpp"
#include "survkit/study.hpp"

namespace survkit {

StudyReport run_study(const StudySpec& spec_as_written, const Table& data) {
  // Variables the spec leaves unlabelled are named by the data file's variable labels.
  const StudySpec spec = study::with_data_labels(spec_as_written, data);
  const auto results = study::analyse_study(spec, data);
  const study::StudyResults& r = *results;
  StudyReport rep;
  rep.title = spec.title;
  rep.source = spec.data_file;
  rep.n_read = r.data.n_read;
  rep.flow = r.data.flow;
  rep.n_analysed = r.data.table.nrows;
  rep.software = std::string("survkit ") + SURVKIT_VERSION;

  // Tables: 1..E univariate per endpoint, follow-up, medians, E+1..2E multivariable,
  // 2E+1 balance, then the matched-sample results.
  const std::size_t E = r.endpoints.size();
  const int e = static_cast<int>(E);
  for (std::size_t k = 0; k < E; ++k) rep.tables.push_back(study::univariate_table(spec, r, k, static_cast<int>(k) + 1));
  rep.tables.push_back(study::followup_table(spec, r));
  rep.tables.push_back(study::medians_table(spec, r));
  for (std::size_t k = 0; k < E; ++k) rep.tables.push_back(study::multivariable_table(spec, r, k, e + static_cast<int>(k) + 1));
  rep.tables.push_back(study::balance_table(spec, r, 2 * e + 1));
  if (r.matching) rep.tables.push_back(study::matched_table(spec, r));

  // Figures: Figure 1a, 1b, ... each endpoint before (and after) matching; the Love plot last.
  char letter = 'a';
  for (std::size_t k = 0; k < E; ++k) {
    rep.figures.push_back(study::km_figure(spec, r, k, false, letter++));
    if (r.matching) rep.figures.push_back(study::km_figure(spec, r, k, true, letter++));
  }
  if (r.matching) rep.figures.push_back(study::love_figure(r));

  rep.methods = study::methods_paragraph(spec, r);
  rep.results = study::results_paragraph(spec, r);
  rep.warnings = r.warnings;
  return rep;
}

}  // namespace survkit
