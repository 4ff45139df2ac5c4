// report.html: one self-contained page (inline CSS, figures inline, no scripts, no
// external resources), laid out like a journal article's tables and figures.
//
// Tables are real <table> elements with booktabs rules (thick top and bottom rules, a
// thin rule under the header), so they paste into Word as editable tables.  Figures are
// the very SVG files written to figures/, with their element ids prefixed per figure:
// cairo names its glyphs and clip paths "glyph-0-1", "clip-0", ... in every file, and
// several inline SVGs on one page would otherwise resolve each other's references.
#include <fmt/core.h>

#include <stdexcept>
#include <string>
#include <string_view>

#include "report/render/text_util.hpp"
#include "survkit/render.hpp"

namespace survkit::render {

namespace {

constexpr std::string_view kCss = R"css(
:root { color-scheme: light; }
body { font-family: "Source Serif 4", "Source Serif Pro", Georgia, "Times New Roman", serif;
  color: #111; background: #fff; max-width: 62rem; margin: 2.5rem auto; padding: 0 1.5rem;
  line-height: 1.45; font-size: 16px; }
h1 { font-size: 1.65rem; line-height: 1.25; margin: 0 0 .4rem; }
h2 { font-size: 1.2rem; margin: 2.6rem 0 .8rem; padding-bottom: .25rem; border-bottom: 1px solid #bbb; }
p.meta { color: #555; margin: 0 0 1.2rem; font-size: .95rem; }
nav.contents { font-size: .92rem; background: #f7f7f5; border: 1px solid #e2e2dc; padding: .6rem 1rem; }
nav.contents ol { margin: .3rem 0 0 1.2rem; padding: 0; }
nav.contents a { color: #1a4f8b; text-decoration: none; }
a { color: #1a4f8b; }
.table-wrap { overflow-x: auto; margin: 1.4rem 0 2rem; }
/* The block shrinks to its table; notes below it are bottom captions, which wrap at the
   table's width instead of widening a narrow table. */
.table-block { display: table; }
.table-block > .table-notes { display: table-caption; caption-side: bottom; }
table.report { border-collapse: collapse; font-size: .92rem; border-top: 2px solid #000; }
/* Wide tables (more than 9 columns) tighten their padding and type so they fit the page. */
table.report.wide { font-size: .84rem; }
table.report.wide th, table.report.wide td { padding: .22rem .42rem; }
table.report caption { caption-side: top; text-align: left; font-weight: bold; padding: 0 0 .45rem; }
table.report th, table.report td { padding: .22rem .8rem; text-align: center; vertical-align: top; }
table.report th { font-weight: 600; }
table.report td + td { white-space: nowrap; }
/* The consistency checks of published numbers: sentences, not numbers. */
table.report#published_consistency td { white-space: normal; text-align: left; }
table.report#published_consistency td:first-child { min-width: 13rem; }
table.report#published_consistency td:last-child { min-width: 18rem; }
table.report th:first-child, table.report td:first-child { text-align: left; }
table.report thead tr:last-child th { border-bottom: 1px solid #000; }
table.report thead th.group { border-bottom: 1px solid #000; }
table.report thead th.group-empty { border-bottom: none; }
table.report tbody tr:last-child td { border-bottom: 2px solid #000; }
table.report td.level { padding-left: 2rem; }
table.report tr.heading td:first-child { font-weight: 600; }
p.table-note { font-size: .82rem; color: #333; margin: .35rem 0 0; }
p.files { font-size: .82rem; color: #666; margin: .3rem 0 0; }
figure { margin: 1.6rem 0 2.4rem; }
figure .figure-art svg, figure .figure-art img { display: block; width: 100%; max-width: 42rem; height: auto; }
figcaption { font-size: .92rem; max-width: 42rem; margin-top: .5rem; }
.flow { display: flex; flex-direction: column; width: 38rem; max-width: 100%; margin: 1rem 0 1.2rem; font-size: .92rem; }
.flow-row { display: flex; align-items: stretch; }
.flow-box { box-sizing: border-box; width: 16rem; border: 1.5px solid #333; padding: .5rem .6rem; text-align: center; background: #fff; }
.flow-trunk { box-sizing: border-box; width: 16rem; position: relative; min-height: 3.4rem; flex: none; }
.flow-trunk::before { content: ""; position: absolute; left: 50%; top: 0; bottom: 0; border-left: 1.5px solid #333; }
.flow-trunk.branch::after { content: ""; position: absolute; left: 50%; right: 0; top: 50%; border-top: 1.5px solid #333; }
.flow-trunk.last { min-height: 2.2rem; }
.flow-trunk.last::before { bottom: 7px; }
.flow-trunk.last > span { position: absolute; left: calc(50% - 5px); bottom: 0; width: 0; height: 0;
  border-left: 6px solid transparent; border-right: 6px solid transparent; border-top: 8px solid #333; }
.flow-side { box-sizing: border-box; align-self: center; width: 20rem; margin: .45rem 0; border: 1.5px solid #333;
  padding: .4rem .6rem; background: #fff; position: relative; }
.flow-side::before { content: ""; position: absolute; left: -9px; top: calc(50% - 6px); width: 0; height: 0;
  border-top: 6px solid transparent; border-bottom: 6px solid transparent; border-left: 8px solid #333; }
.flow b { font-weight: 600; }
.methods p { text-align: justify; hyphens: auto; }
.warnings { background: #fff8e6; border-left: 4px solid #d9a400; padding: .5rem 1rem; }
.warnings ul { margin: .2rem 0; padding-left: 1.2rem; }
footer { margin-top: 3rem; padding-top: .6rem; border-top: 1px solid #bbb; font-size: .85rem; color: #555; }
@media print {
  body { max-width: none; margin: 0; }
  nav.contents, p.files { display: none; }
  figure, .table-wrap, .flow { break-inside: avoid; }
}
)css";

// The SVG file as an element of the page: the XML prolog dropped, ids prefixed (see the
// file comment), and an accessible name.
std::string inline_svg(const std::string& svg, const std::string& prefix, const std::string& label) {
  std::size_t start = svg.find("<svg");
  if (start == std::string::npos) start = 0;
  std::string out;
  out.reserve(svg.size() + svg.size() / 8);
  const std::string_view body(svg.data() + start, svg.size() - start);
  struct Rewrite {
    std::string_view from;
    std::string to;
  };
  const Rewrite rewrites[] = {{"id=\"", "id=\"" + prefix + "-"},
                              {"href=\"#", "href=\"#" + prefix + "-"},
                              {"url(#", "url(#" + prefix + "-"}};
  std::size_t i = 0;
  bool root_done = false;
  while (i < body.size()) {
    if (!root_done && body.compare(i, 4, "<svg") == 0) {
      out += "<svg role=\"img\" aria-label=\"" + html_escape(label) + "\"";
      i += 4;
      root_done = true;
      continue;
    }
    bool replaced = false;
    for (const auto& r : rewrites) {
      if (body.compare(i, r.from.size(), r.from) == 0) {
        out += r.to;
        i += r.from.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += body[i++];
  }
  return out;
}

// "(N = 39)" must not wrap as "(N =" / "39)": the spaces around '=' become no-break
// spaces, so a long header still wraps, but between words.
std::string keep_equations_together(std::string s) {
  for (std::size_t p; (p = s.find(" = ")) != std::string::npos;) s.replace(p, 3, "&nbsp;=&nbsp;");
  return s;
}

std::string with_line_breaks(std::string s) {
  for (std::size_t p; (p = s.find('\n')) != std::string::npos;) s.replace(p, 1, "<br>");
  return s;
}

void render_table(std::string& out, const ReportTable& t, const RenderOptions& options) {
  out += fmt::format("<div class=\"table-wrap\"><div class=\"table-block\">\n<table class=\"report{}\" id=\"{}\">\n<caption>{}</caption>\n<thead>\n",
                     t.header.size() > 9 ? " wide" : "", html_escape(t.id), html_escape(t.title));
  if (!t.header_groups.empty()) {
    out += "<tr>";
    for (const auto& [label, span] : t.header_groups) {
      const char* cls = label.empty() ? "group-empty" : "group";
      out += fmt::format("<th class=\"{}\" colspan=\"{}\">{}</th>", cls, span, html_escape(label));
    }
    out += "</tr>\n";
  }
  out += "<tr>";
  for (const auto& h : t.header) {
    out += "<th scope=\"col\">";
    out += keep_equations_together(html_escape(h));
    out += "</th>";
  }
  out += "</tr>\n</thead>\n<tbody>\n";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const ReportRow& row = t.rows[r];
    out += is_heading_row(t, r) ? "<tr class=\"heading\">" : "<tr>";
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
      const bool indent = c == 0 && row.level > 0;
      out += indent ? "<td class=\"level\">" : "<td>";
      out += with_line_breaks(html_escape(row.cells[c].text));
      out += "</td>";
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n<div class=\"table-notes\">\n";
  for (const auto& note : t.notes) {
    out += "<p class=\"table-note\">";
    out += with_line_breaks(html_escape(note));
    out += "</p>\n";
  }
  if (options.link_files)
    out += fmt::format("<p class=\"files\">Also as <a href=\"tables/{0}.csv\">CSV</a>, "
                       "<a href=\"tables/{0}.md\">Markdown</a> and a sheet of "
                       "<a href=\"tables.xlsx\">tables.xlsx</a>.</p>\n",
                       html_escape(t.id));
  out += "</div>\n</div></div>\n";
}

void render_flow(std::string& out, const StudyReport& r, const RenderOptions& options) {
  out += "<section id=\"flow\">\n<h2>Patient flow</h2>\n";
  out += "<div class=\"flow\" role=\"img\" aria-label=\"Patient flow diagram\">\n";
  // A box on the trunk (escaped label, count), and a stage: its steps as side boxes off
  // the trunk, then the trunk's arrow down to the box of what remains.
  const auto box = [&](const std::string& label, std::size_t n) {
    out += fmt::format("<div class=\"flow-row\"><div class=\"flow-box\">{}<br><b>n = {}</b></div></div>\n", label, n);
  };
  const auto stage = [&](const std::vector<FlowStep>& steps, const char* prefix, const char* remaining_label,
                         std::size_t remaining) {
    for (const auto& step : steps)
      out += fmt::format("<div class=\"flow-row\"><div class=\"flow-trunk branch\"></div>"
                         "<div class=\"flow-side\">{}{}<br><b>n = {}</b></div></div>\n",
                         prefix, html_escape(step.criterion), step.excluded);
    out += "<div class=\"flow-row\"><div class=\"flow-trunk last\"><span></span></div></div>\n";
    box(remaining_label, remaining);
  };
  box("Records read from " + html_escape(r.source.empty() ? std::string("the data file") : r.source), r.n_read);
  stage(r.flow, "Excluded: ", "Analysed", r.n_analysed);
  if (!r.matching_flow.empty()) stage(r.matching_flow, "", "Eligible for matching", r.matching_flow.back().remaining);
  out += "</div>\n";
  // The same counts as a table (for copying, and for readers of the text).
  for (const auto& t : r.tables)
    if (t.section == TableSection::Flow) render_table(out, t, options);
  out += "</section>\n";
}

void render_figure(std::string& out, const ReportFigure& f, const FigureFiles& files,
                   const RenderOptions& options) {
  out += fmt::format("<figure id=\"{}\">\n<div class=\"figure-art\">", html_escape(f.id));
  if (options.figure_embed == FigureEmbed::Png)
    out += fmt::format("<img alt=\"{}\" src=\"data:image/png;base64,{}\">", html_escape(f.title), base64(files.png));
  else
    out += inline_svg(files.svg, f.id, f.title);
  out += "</div>\n<figcaption><strong>";
  out += html_escape(f.title);
  // "Figure 1a. Overall survival" + "." before the caption sentence, as journals set it.
  if (!f.title.empty() && f.title.back() != '.') out += '.';
  out += "</strong>";
  if (!f.caption.empty()) {
    out += ' ';
    out += html_escape(f.caption);
  }
  if (options.link_files)
    out += fmt::format(" <span class=\"files\">(<a href=\"figures/{0}.svg\">SVG</a>, "
                       "<a href=\"figures/{0}.png\">PNG</a>, <a href=\"figures/{0}.pdf\">PDF</a>)</span>",
                       html_escape(f.id));
  out += "</figcaption>\n</figure>\n";
}

}  // namespace

std::string render_html(const StudyReport& report, const std::vector<FigureFiles>& figures,
                        const RenderOptions& options) {
  if (figures.size() != report.figures.size())
    throw std::logic_error("render_html: one FigureFiles per report figure is required");
  const std::string title = report.title.empty() ? std::string("Study report") : report.title;
  std::string out;
  out.reserve(1 << 16);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += "<meta name=\"generator\" content=\"" + html_escape(report.software) + "\">\n";
  out += "<title>" + html_escape(title) + "</title>\n<style>" + std::string(kCss) + "</style>\n</head>\n<body>\n";

  out += "<header>\n<h1>" + html_escape(title) + "</h1>\n";
  out += fmt::format("<p class=\"meta\">Data: {} &middot; {} records read, {} analysed", html_escape(report.source),
                     report.n_read, report.n_analysed);
  if (!report.software.empty()) out += " &middot; " + html_escape(report.software);
  out += "</p>\n</header>\n";

  // Contents.
  out += "<nav class=\"contents\"><strong>Contents</strong>\n<ol>\n<li><a href=\"#flow\">Patient flow</a></li>\n";
  for (const auto& t : report.tables)
    if (t.section == TableSection::Main)
      out += fmt::format("<li><a href=\"#{}\">{}</a></li>\n", html_escape(t.id), html_escape(t.title));
  for (const auto& f : report.figures)
    out += fmt::format("<li><a href=\"#{}\">{}</a></li>\n", html_escape(f.id), html_escape(f.title));
  if (!report.published.empty()) out += "<li><a href=\"#published\">Published vs reproduced</a></li>\n";
  out += "<li><a href=\"#methods\">Methods</a></li>\n<li><a href=\"#warnings\">Warnings</a></li>\n</ol>\n</nav>\n";

  render_flow(out, report, options);

  out += "<section id=\"tables\">\n<h2>Tables</h2>\n";
  for (const auto& t : report.tables)
    if (t.section == TableSection::Main) render_table(out, t, options);
  out += "</section>\n";

  out += "<section id=\"figures\">\n<h2>Figures</h2>\n";
  for (std::size_t i = 0; i < report.figures.size(); ++i) render_figure(out, report.figures[i], figures[i], options);
  out += "</section>\n";

  if (!report.published.empty()) {
    out += "<section id=\"published\">\n<h2>Published vs reproduced</h2>\n";
    // The summary, and the first note of the consistency table (the last one) saying
    // what its checks are.
    const ReportTable* last = nullptr;
    for (const auto& t : report.tables)
      if (t.section == TableSection::Published) last = &t;
    out += "<p class=\"summary\"><strong>" + html_escape(report.published.summary) + ".</strong>";
    if (last != nullptr && !last->notes.empty()) out += " " + html_escape(last->notes.front());
    out += "</p>\n";
    for (const auto& t : report.tables)
      if (t.section == TableSection::Published) render_table(out, t, options);
    out += "</section>\n";
  }

  auto paragraphs = [&](const char* id, const char* heading, const std::string& text) {
    if (text.empty()) return;
    out += std::string("<section id=\"") + id + "\" class=\"methods\">\n<h2>" + heading + "</h2>\n";
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find("\n\n", start);
      if (end == std::string::npos) end = text.size();
      const std::string para = text.substr(start, end - start);
      if (para.find_first_not_of(" \n\t") != std::string::npos) out += "<p>" + html_escape(para) + "</p>\n";
      start = end + 2;
    }
    out += "</section>\n";
  };
  paragraphs("methods", "Methods", report.methods);
  paragraphs("results", "Results (draft)", report.results);

  out += "<section id=\"warnings\">\n<h2>Warnings</h2>\n";
  if (report.warnings.empty()) {
    out += "<p>The analyses reported no warnings.</p>\n";
  } else {
    out += "<div class=\"warnings\"><ul>\n";
    for (const auto& w : report.warnings) out += "<li>" + html_escape(w) + "</li>\n";
    out += "</ul></div>\n";
  }
  out += "</section>\n";

  out += "<footer>Generated by " + html_escape(report.software.empty() ? std::string("survkit") : report.software) +
         ". Every number in this report is also in results.json at full precision.</footer>\n";
  out += "</body>\n</html>\n";
  return out;
}

std::string render_html(const StudyReport& report, const RenderOptions& options) {
  std::vector<FigureFiles> figures;
  figures.reserve(report.figures.size());
  for (const auto& f : report.figures) {
    FigureFiles files;
    const FigureFormat format = options.figure_embed == FigureEmbed::Png ? FigureFormat::Png : FigureFormat::Svg;
    std::string bytes = render_figure(f, format);
    (format == FigureFormat::Png ? files.png : files.svg) = std::move(bytes);
    figures.push_back(std::move(files));
  }
  return render_html(report, figures, options);
}

}  // namespace survkit::render
