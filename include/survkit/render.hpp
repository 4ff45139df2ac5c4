// survkit report library (survkit_report, not the core): renderers of a study report
// (survkit/report.hpp) into the files `survkit study` writes:
//
//   report.html            render_html      one self-contained page (inline CSS, inline SVG)
//   tables/<id>.csv        render_table_csv
//   tables/<id>.md         render_table_markdown
//   tables.xlsx            write_xlsx       (libxlsxwriter writes to a path, not a string)
//   report.docx            render_docx
//   tables.docx            render_tables_docx
//   figures/<id>.svg|png|pdf render_figure_files
//   results.json           render_json
//   matched.csv, analysis_data.csv, reproduce.R   StudyReport::attachments
//
// Every renderer except write_xlsx is a pure function StudyReport -> file contents.
// write_report_dir() builds all of them into a staging folder next to the target and
// renames it into place at the end, so a report folder is written whole or not at all.
#pragma once

#include <string>
#include <vector>

#include "survkit/json.hpp"
#include "survkit/report.hpp"

namespace survkit::render {

/// How figures go into report.html.
enum class FigureEmbed {
  InlineSvg,  ///< the SVG markup itself (sharp at any zoom, selectable text)
  Png         ///< <img src="data:image/png;base64,...">: pastes into Word as a picture
};

struct RenderOptions {
  FigureEmbed figure_embed = FigureEmbed::InlineSvg;
  /// Under each table and figure, link the sibling files (tables/<id>.csv, .md;
  /// figures/<id>.svg, .png, .pdf) that write_report_dir writes.  Off for a page that
  /// is shipped alone.
  bool link_files = true;
};

/// The three files of one figure, drawn by the same cairo code.
struct FigureFiles {
  std::string svg, png, pdf;
};

/// Renders one figure in one format (the plot its `kind` names).  Throws InputError on
/// a malformed figure (what render_km_plot / render_love_plot / render_zph_plot reject).
std::string render_figure(const ReportFigure& figure, FigureFormat format);

/// Renders one figure in all three formats (as render_figure).
FigureFiles render_figure_files(const ReportFigure& figure);

/// The HTML page.  `figures` holds the already-rendered files of report.figures, in the
/// same order (so each figure is drawn once for both its file and the page).
std::string render_html(const StudyReport& report, const std::vector<FigureFiles>& figures,
                        const RenderOptions& options);

/// The HTML page, rendering the figures it needs itself.
std::string render_html(const StudyReport& report, const RenderOptions& options);

/// One table as CSV (RFC 4180 quoting, UTF-8 without a byte-order mark, "\n" line ends).
/// One header line: a column under a non-empty header group is named "Group: Header"
/// (e.g. "Before PSM: P"), so the file stays one rectangular grid that R, pandas and
/// spreadsheets read without help.  Cell texts are written exactly as in the table
/// (no indentation); the title and notes are not part of the grid (see the .md file and
/// results.json).  No BOM: tables.xlsx is the file meant for Excel, and a BOM corrupts the
/// first column name in many CSV readers.
std::string render_table_csv(const ReportTable& table);

/// One table as GitHub-flavoured Markdown: the title in bold, a pipe table (header
/// groups folded into the header as in the CSV), level rows indented with two em spaces
/// (U+2003, which Markdown does not trim), then the notes.  Characters that Markdown
/// would interpret (| \ * _ ` and HTML-like '<' / '&') are backslash-escaped; line
/// breaks inside a cell become <br>.
std::string render_table_markdown(const ReportTable& table);

/// The column names render_table_csv / render_table_markdown use.
std::vector<std::string> flat_header(const ReportTable& table);

/// results.json: the flow's counts, the study's tables (cell text and full-precision
/// value, null for NA; section Main), every figure's data (curves, risk tables, Love plot
/// values), methods, warnings, software and the published section (with its tables,
/// section Published).  The flow's table is not repeated: its counts are "flow".
/// `file_links` adds each table's and figure's file names.
std::string render_json(const StudyReport& report, bool file_links = true);

/// report.docx, the report as a Word document: the title, the patient flow (a diagram
/// and its table), the study's tables (caption above; three-line journal rules; notes
/// below in 8 pt; 10 pt Times New Roman; fixed column widths that fit the text width,
/// tables of more than 8 columns or cramped in portrait on landscape pages), every figure
/// as an embedded 300-dpi PNG with its caption below, the published vs reproduced section
/// (summary and tables), the Methods and drafted Results paragraphs and the warnings.
/// A4 pages.
/// `figures` holds the already-rendered files of report.figures, in order (a figure's
/// PNG is reused when it is 300 dpi, else drawn again).  The zip is deterministic
/// (fixed timestamps): the same report gives the same bytes.  Throws InputError on a
/// figure that cannot be drawn.
std::string render_docx(const StudyReport& report, const std::vector<FigureFiles>& figures);

/// report.docx, drawing the figures itself.
std::string render_docx(const StudyReport& report);

/// tables.docx: every table of the report as a Word table in the same three-line journal
/// style as report.docx (top, header and bottom rules only; bold variable rows, indented
/// levels, the notes under the table; landscape pages for wide tables), under the
/// headings "Patient flow", "Tables" and "Published vs reproduced" -- for pasting into
/// a manuscript.  Font and size: report.word.
std::string render_tables_docx(const StudyReport& report);
/// The consistency checks of published numbers as JSON (survkit check-paper --json and
/// the "published" section of results.json): source, summary counts, and per check its
/// kind, subject, inputs (label, where, value as printed), recomputed text and value,
/// verdict and finding.
Json paper_checks_json(const PaperCheckReport& report);

/// Writes every table (all sections, in report order) into one workbook at `path`: one
/// sheet per table (named after the table id, cut to Excel's 31 characters and made
/// unique), the title on top, header groups merged over their columns, numbers stored as
/// numbers with a number format that displays what the cell text shows, headings bold,
/// level rows indented.  Throws IoError when the file cannot be written.
void write_xlsx(const StudyReport& report, const std::string& path);

/// The Excel sheet names write_xlsx uses, one per table, in order.
std::vector<std::string> xlsx_sheet_names(const StudyReport& report);

/// The Excel number format that shows `value` as `text` (e.g. "0.000", "0.0%",
/// "0", or a literal "\"< 0.001\"" when the text is not a plain rendering of the value).
std::string excel_number_format(const std::string& text, double value);

/// What write_report_dir wrote.
struct ReportFiles {
  std::string dir;                       ///< the final folder
  std::vector<std::string> files;        ///< paths relative to dir, sorted
  std::size_t tables = 0, figures = 0;  ///< tables of every section (flow, study, published)
};

/// Writes the whole report folder `dir` (report.html, report.docx, results.json, tables.xlsx,
/// tables/, figures/).  Everything is built in a staging folder next to `dir` and renamed
/// into place at the end; on any failure the staging folder is removed and an existing
/// `dir` is left untouched.  An existing `dir` is replaced only if it is empty or a
/// previous survkit report (it holds results.json written by survkit), never an unrelated
/// folder.  Throws IoError (file system), InputError (a figure that cannot be drawn).
ReportFiles write_report_dir(const StudyReport& report, const std::string& dir,
                             const RenderOptions& options);

}  // namespace survkit::render
