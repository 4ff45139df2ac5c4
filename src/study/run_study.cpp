// run_study: the study's orchestrator.  analyse_study() fits everything once; the
// tables, figures and Methods are then presented from those results.  The report's
// order -- which table and figure come where, and their numbers -- is stated here and
// nowhere else.
#include "study/analyses.hpp"
#include "study/data_labels.hpp"
#include "study/figures.hpp"
#include "study/matched_data.hpp"
#include "study/methods.hpp"
#include "study/report_numbers.hpp"
#include "study/ph_check.hpp"
#include "study/published.hpp"
#include "study/reproduce.hpp"
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
  rep.word = spec.word;
  rep.source = spec.data_file;
  rep.n_read = r.data.n_read;
  rep.flow = r.data.flow;
  rep.n_analysed = r.data.table.nrows;
  rep.matching_flow = study::matching_flow(r);
  rep.software = std::string("survkit ") + SURVKIT_VERSION;

  // Tables: the patient flow's counts first, then 1..E univariate per endpoint, follow-up, medians, E+1..2E multivariable,
  // 2E+1 balance, then the matched-sample results.
  const std::size_t E = r.endpoints.size();
  const int e = static_cast<int>(E);
  rep.tables.push_back(flow_table(rep));
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
  // Figure 2a, 2b, ...: scaled Schoenfeld residuals of each variable failing the
  // proportional-hazards test, with a warning each.
  study::PhReport ph = study::ph_report(spec, r, 2);
  for (auto& f : ph.figures) rep.figures.push_back(std::move(f));

  rep.methods = study::methods_paragraph(spec, r);
  rep.results = study::results_paragraph(spec, r);
  rep.numbers = study::report_numbers(spec, r);
  rep.warnings = r.warnings;
  rep.warnings.insert(rep.warnings.end(), ph.warnings.begin(), ph.warnings.end());
  // Published vs reproduced: its two tables close the table list.
  study::PublishedPart published = study::published_section(spec.published, rep.tables);
  rep.published = std::move(published.section);
  for (auto& t : published.tables) rep.tables.push_back(std::move(t));
  if (std::string matched = study::matched_data_csv(r); !matched.empty())
    rep.attachments.push_back({"matched.csv", std::move(matched)});
  for (auto& a : study::reproduction_files(spec, r, rep)) rep.attachments.push_back(std::move(a));
  return rep;
}

}  // namespace survkit
