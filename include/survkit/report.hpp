// survkit public API: a study report as plain data, between the study engine (which
// computes it, src/study/) and the renderers (HTML, CSV, Markdown, XLSX, JSON, figure
// files: src/report/, survkit/render.hpp).  Nothing here knows about files or formats.
//
// Every number appears twice in a cell: `text`, formatted for the journal (P as
// "< 0.001", HR with 3 decimals, rates as percentages with 1 decimal), and `value`, the
// full-precision number (NA when the cell is text only).  Renderers that can hold
// numbers (XLSX, JSON) use `value`; the others use `text`.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "survkit/common.hpp"
#include "survkit/figure.hpp"
#include "survkit/paper_check.hpp"

namespace survkit {

struct ReportCell {
  std::string text;   ///< as printed ("" for an empty cell)
  double value = NA;  ///< the number behind the text, full precision; NA if none
  /// For an interval cell ("0.701–2.133", or a median "34.5 (20.1–NR)"): its limits at
  /// full precision (NA otherwise).
  double lower = NA;
  double upper = NA;
};

/// One row of a report table.  `level` 0 is a variable's heading row (e.g. "Age"),
/// 1 a level row under it (e.g. "> 60 years old"); renderers indent level rows.
struct ReportRow {
  int level = 0;
  std::vector<ReportCell> cells;  ///< one per column
};

/// Where a table stands in the report.  Every renderer sets the sections in this order,
/// each under its own heading (the figures come between Main and Published); the files of
/// one table (tables/<id>.csv and .md, a sheet of tables.xlsx) do not depend on it.
enum class TableSection {
  Flow,      ///< the patient flow's counts, under the flow diagram ("Patient flow")
  Main,      ///< the study's tables: Table 1, ... ("Tables")
  Published  ///< the published values against the reproduced ones ("Published vs reproduced")
};

struct ReportTable {
  std::string id;     ///< file stem and anchor, e.g. "table1_os" (lowercase, [a-z0-9_])
  std::string title;  ///< e.g. "Table 1. Characteristics of 119 patients ... for OS"
  /// Column headers.  `header_groups` (optional) spans columns above them, e.g.
  /// {"", 1}, {"Before PSM", 3}, {"After PSM", 3}; the spans add up to header.size().
  std::vector<std::string> header;
  std::vector<std::pair<std::string, std::size_t>> header_groups;
  std::vector<ReportRow> rows;
  std::vector<std::string> notes;  ///< footnotes: tests used, abbreviations, conventions
  TableSection section = TableSection::Main;
};

/// A figure: exactly one of `km` / `love` / `zph` is used, as `kind` says.
struct ReportFigure {
  enum class Kind { Km, Love, Zph };
  std::string id;       ///< file stem, e.g. "figure1a_os_before_matching"
  std::string title;    ///< e.g. "Figure 1a. Overall survival before matching"
  std::string caption;  ///< one or two sentences under the figure
  Kind kind = Kind::Km;
  KmPlot km;
  LovePlot love;
  ZphPlot zph;  ///< scaled Schoenfeld residuals (proportional-hazards check)
};

/// One step of the patient flow (CONSORT-style).
struct FlowStep {
  std::string criterion;     ///< e.g. "Histology other than adenocarcinoma"
  std::size_t excluded = 0;  ///< rows removed by this step
  std::size_t remaining = 0; ///< rows left after it
};

/// A number the report states outside its table cells and patient flow: a count in a
/// note or a paragraph ("on the 119 patients with complete data (53 events)"), a group
/// size in a column header, or a setting of the spec the text echoes (landmarks, CI
/// level, caliper).  results.json lists them, so that every number the report prints is
/// there at full precision.
struct ReportNumber {
  std::string name;  ///< dotted key, e.g. "matching.treated.matched", "os.multivariable.events"
  double value = NA;
};

/// The paper's published values against the reproduced ones, and the internal
/// consistency of the published numbers (the spec's [[published]] values; empty without).
/// Its two tables are in StudyReport::tables, section Published: "published_vs_reproduced"
/// (published value, reproduced at its precision, difference, verdict) and
/// "published_consistency" (the check-paper checks).
struct PublishedSection {
  std::size_t values = 0;      ///< published values addressed to a report cell
  std::size_t found = 0;       ///< ... whose cell this report has
  std::size_t reproduced = 0;  ///< ... reproduced as printed (at the published precision)
  std::size_t differ = 0;      ///< ... whose cell prints differently
  std::size_t empty_cells = 0; ///< ... whose cell is empty in this report
  std::size_t unreadable = 0;  ///< published values that cannot be read as printed
  std::string summary;         ///< "143 of 160 published numbers reproduced (...)"; "" without published values
  PaperCheckReport checks;
  bool empty() const { return summary.empty(); }
};

/// A file the report folder carries as it is: matched.csv (with matching: the matched
/// patients, analysed columns then ps, distance, subclass, weight, as `survkit match
/// --output`), analysis_data.csv and reproduce.R.
struct ReportAttachment {
  std::string name;     ///< file name in the report folder
  std::string content;  ///< its bytes
};

/// The look of the Word files (report.docx, tables.docx): [report] font and font_size in
/// the spec.  font_size is the body text in points; the tables are set 1 pt smaller and
/// their notes 3 pt smaller, the title and headings larger, in the default proportions
/// (11 / 10 / 8 pt).
struct DocumentStyle {
  std::string font = "Times New Roman";
  double font_size = 11;
};

struct StudyReport {
  std::string title;
  DocumentStyle word;                 ///< font of the Word files
  std::string source;                 ///< the data file, as named in the spec
  std::size_t n_read = 0;             ///< rows read from the data file
  std::vector<FlowStep> flow;         ///< in the order applied
  std::size_t n_analysed = 0;
  /// After the analysed set, with propensity score matching: the analysed patients not
  /// eligible for matching because a matching covariate is missing, one step per
  /// covariate ("Not eligible for matching: missing PgR"), each patient counted under the
  /// first covariate (in the propensity model's order) they lack; the last step's
  /// `remaining` is the number eligible.  Empty when every patient is eligible.
  std::vector<FlowStep> matching_flow;
  /// Every table, in report order, each tagged with its section: the patient flow's
  /// counts (flow_table(), section Flow), the study's tables (Main), then the published
  /// comparison (Published).  The one list every renderer iterates.
  std::vector<ReportTable> tables;
  std::vector<ReportFigure> figures;  ///< in report order
  std::string methods;                ///< the Methods paragraph (plain text, paragraphs separated by "\n\n")
  std::string results;                ///< the drafted Results paragraph (same form)
  std::vector<ReportNumber> numbers;  ///< the numbers of the text outside tables and flow, in report order
  std::vector<std::string> warnings;  ///< everything the analyses reported (non-convergence, separation, ...)
  PublishedSection published;         ///< published vs reproduced (when the spec has published values)
  std::string software;               ///< e.g. "survkit 0.1.0"
  /// matched.csv, and the data and R script that reproduce every number
  /// (study/reproduce.hpp); the report folder writes them next to results.json.
  std::vector<ReportAttachment> attachments;
};

/// The patient flow as a table (id "patient_flow", section Flow): the records read, one
/// level row per exclusion (excluded, remaining), the analysed patients, then with
/// matching one level row per missing matching covariate and the patients eligible for
/// matching.  A pure function of the report's n_read, flow, n_analysed and matching_flow;
/// the study puts it first in StudyReport::tables.
ReportTable flow_table(const StudyReport& report);

}  // namespace survkit
