// report.docx: the report as a Word document, for manuscripts that are submitted in Word.
//
// Contents, in order: the title and a line naming the data, the patient flow (a diagram
// drawn with cairo, figures/flow_diagram, and the flow's table), the study's tables
// (caption above, three-line journal rules, notes below in smaller type), every figure
// (a 300-dpi PNG, caption below), the published values against the reproduced ones (when
// the spec has published values), the Methods and the drafted Results paragraphs, the
// warnings.  The tables come from the report's one table list (StudyReport::tables), by
// section, as in report.html.  The package parts are written with pugixml and zipped
// with libzip (ooxml_package.hpp), deterministically: the same report gives the same
// bytes.
//
// Tables have fixed column widths computed here from the Times New Roman advance widths
// of their texts (Word and LibreOffice then lay them out alike): each column gets the
// width of its longest line when the table fits the text width, otherwise the columns
// shrink towards their longest word.  Tables of more than 8 columns, or whose words alone
// (nearly) fill a portrait page, go into a landscape section of their own.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "report/figures/flow_diagram.hpp"
#include "report/render/docx_styles.hpp"
#include "report/render/ooxml_package.hpp"
#include "report/render/text_util.hpp"
#include "survkit/io.hpp"
#include "survkit/render.hpp"

namespace survkit::render {

namespace {

using namespace docx;
using pugi::xml_node;

constexpr std::size_t kLandscapeAboveColumns = 8;
constexpr double kMinPortraitShare = 0.05;  // see table_geometry (the demo's follow-up table keeps 0.14)
constexpr std::size_t kFullWidthColumns = 4;  // narrower tables keep their natural width
constexpr std::size_t kUnbrokenValueBytes = 24;  // body cells up to this long do not wrap
constexpr std::size_t kKeepTogetherRows = 25;  // shorter tables are kept on one page
constexpr std::size_t kKeepWithCaptionRows = 6;  // a longer one starts with at least these rows
constexpr int kFigureDpi = 300;
constexpr long long kEmuPerInch = 914400;
constexpr long long kMaxFigureHeightEmu = kEmuPerInch * 15 / 2;  // leaves room for the caption

// ---- text widths -----------------------------------------------------------------------

// Advance widths of Times Roman (Adobe AFM, 1/1000 em) for ASCII 32..126.
constexpr short kTimesWidths[95] = {
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278,  // ' '../
    500, 500, 500, 500, 500, 500, 500, 500, 500, 500,                                // 0..9
    278, 278, 564, 564, 564, 444, 921,                                               // :..@
    722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889,                 // A..M
    722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722, 722, 611,                 // N..Z
    333, 278, 333, 469, 500, 333,                                                    // [..`
    444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778,                 // a..m
    500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444,                 // n..z
    480, 200, 480, 541};                                                             // {..~

// How table text is measured: its size, and its letters' width relative to Times New
// Roman's (whose widths kTimesWidths holds).
struct TextMetrics {
  double pt = kTableFontPt;
  double width = 1.0;
};

// The tables' text in a document of style `s`: 1 pt below the body text, and for a font
// other than Times New Roman (or a metric clone of it) 15% wider letters -- a sans-serif
// such as Arial is about 12% wider than Times on average -- so that the columns stay wide
// enough.
TextMetrics table_metrics(const DocumentStyle& s) {
  static const char* const kTimesLike[] = {"Times New Roman", "Times", "Liberation Serif", "Nimbus Roman",
                                           "TeX Gyre Termes", "Tinos"};
  TextMetrics m;
  m.pt = s.font_size - 1;
  m.width = std::any_of(std::begin(kTimesLike), std::end(kTimesLike), [&](const char* f) { return s.font == f; })
                ? 1.0
                : 1.15;
  return m;
}

// Width in twips of one line of text; bold type is about 8% wider.
// Characters outside ASCII count as 0.55 em (dashes, <=, Greek), East Asian ones as 1 em.
int text_twips(std::string_view line, bool bold, const TextMetrics& m) {
  double em = 0;
  for (std::size_t i = 0; i < line.size();) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c < 0x80) {
      em += c >= 32 && c < 127 ? kTimesWidths[c - 32] : 0;
      ++i;
      continue;
    }
    const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    const bool wide = c >= 0xE3 && c <= 0xED;  // U+3000..U+DFFF: CJK
    em += wide ? 1000 : 550;
    i += len;
  }
  return static_cast<int>(std::ceil(em / 1000 * m.pt * 20 * m.width * (bold ? 1.08 : 1.0)));
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t p; (p = s.find(sep, start)) != std::string_view::npos; start = p + 1) out.push_back(s.substr(start, p - start));
  out.push_back(s.substr(start));
  return out;
}

// "(N = 39)" must not wrap as "(N =" / "39)": the spaces around '=' in a header become
// no-break spaces (as in report.html), so a long header still wraps, between words.
std::string header_text(std::string s) {
  for (std::size_t p; (p = s.find(" = ")) != std::string::npos;) s.replace(p, 3, "\u00a0=\u00a0");
  return s;
}

struct TextSpan {
  int line = 0;  // the longest line, unbroken
  int word = 0;  // the longest word: the narrowest the text can be set
};

TextSpan measure(std::string_view text, bool bold, const TextMetrics& m) {
  TextSpan span;
  for (auto line : split(text, '\n')) {
    span.line = std::max(span.line, text_twips(line, bold, m));
    for (auto word : split(line, ' ')) span.word = std::max(span.word, text_twips(word, bold, m));
  }
  return span;
}

// ---- table geometry --------------------------------------------------------------------

struct Geometry {
  std::vector<int> widths;  // twips, one per column
  bool landscape = false;
};

Geometry table_geometry(const ReportTable& t, const TextMetrics& m) {
  const std::size_t ncol = t.header.size();
  std::vector<int> line(ncol, 0), word(ncol, 0);
  // `whole`: the text should not wrap (a short value: "< 0.001", "9.830 (3.236-29.860)").
  const auto take = [&](std::size_t c, std::string_view text, bool bold, int indent, bool whole) {
    const TextSpan s = measure(text, bold, m);
    line[c] = std::max(line[c], s.line + indent);
    word[c] = std::max(word[c], (whole ? s.line : s.word) + indent);
  };
  for (std::size_t c = 0; c < ncol; ++c) take(c, header_text(t.header[c]), true, 0, false);
  for (std::size_t r = 0; r < t.rows.size(); ++r)
    for (std::size_t c = 0; c < std::min(ncol, t.rows[r].cells.size()); ++c) {
      const std::string& text = t.rows[r].cells[c].text;
      take(c, text, c == 0 && is_heading_row(t, r), c == 0 ? t.rows[r].level * kLevelIndentTwips : 0,
           c > 0 && text.size() <= kUnbrokenValueBytes);
    }
  // 10% on the text for a substitute font a little wider than Times New Roman, and a
  // little for rounding in the layout engines.
  const int pad = 2 * kCellPadTwips + 30;
  for (std::size_t c = 0; c < ncol; ++c) {
    line[c] = line[c] * 11 / 10 + pad;
    word[c] = word[c] * 11 / 10 + pad;
  }
  // A header group's label must fit over its columns: widen them evenly.
  std::size_t col = 0;
  for (const auto& [label, span] : t.header_groups) {
    if (span == 0 || col + span > ncol) break;
    const int need = measure(label, true, m).line + pad;
    const int have = std::accumulate(line.begin() + col, line.begin() + col + span, 0);
    if (need > have)
      for (std::size_t k = col; k < col + span; ++k) line[k] += (need - have + static_cast<int>(span) - 1) / static_cast<int>(span);
    col += span;
  }
  Geometry g;
  const int sum_line = std::accumulate(line.begin(), line.end(), 0);
  const int sum_word = std::accumulate(word.begin(), word.end(), 0);
  // A table whose portrait columns would keep less than kMinPortraitShare of their text
  // beyond their longest words is cramped there (cells of sentences wrap into narrow
  // towers, as the published consistency checks did): it goes landscape too.
  const bool cramped = sum_line > kTextWidthPortrait &&
                       kTextWidthPortrait - sum_word < kMinPortraitShare * (sum_line - sum_word);
  g.landscape = ncol > kLandscapeAboveColumns || sum_word > kTextWidthPortrait || cramped;
  const int avail = g.landscape ? kTextWidthLandscape : kTextWidthPortrait;
  g.widths = line;
  if (sum_line > avail && sum_word <= avail) {
    // Shrink each column from its line towards its longest word, all by the same share.
    const double k = static_cast<double>(avail - sum_word) / (sum_line - sum_word);
    for (std::size_t c = 0; c < ncol; ++c) g.widths[c] = word[c] + static_cast<int>(std::floor((line[c] - word[c]) * k));
  } else if (sum_word > avail) {
    // Even the words do not fit: scale them to the page (the engines break long words).
    for (std::size_t c = 0; c < ncol; ++c) g.widths[c] = static_cast<int>(std::floor(static_cast<double>(word[c]) * avail / sum_word));
  } else if (ncol >= kFullWidthColumns) {
    // A table of several columns spans the text width, as in the journals; the extra
    // room goes to the columns in proportion to their widths.
    for (std::size_t c = 0; c < ncol; ++c) g.widths[c] = static_cast<int>(std::floor(static_cast<double>(line[c]) * avail / sum_line));
  }
  return g;
}

// ---- XML helpers -----------------------------------------------------------------------

xml_node child(xml_node parent, const char* name) { return parent.append_child(name); }

xml_node with_val(xml_node parent, const char* name, const std::string& value) {
  xml_node n = parent.append_child(name);
  n.append_attribute("w:val") = value.c_str();
  return n;
}

struct RunStyle {
  bool bold = false, italic = false;
};

// A run of text; '\n' becomes a line break, '\t' a tab.
void add_run(xml_node p, std::string_view text, RunStyle style = {}) {
  xml_node r = child(p, "w:r");
  if (style.bold || style.italic) {
    xml_node rpr = child(r, "w:rPr");
    if (style.bold) child(rpr, "w:b");
    if (style.italic) child(rpr, "w:i");
  }
  const std::string safe = ooxml::xml_safe(text);
  bool first = true;
  for (auto line : split(safe, '\n')) {
    if (!first) child(r, "w:br");
    first = false;
    bool first_piece = true;
    for (auto piece : split(line, '\t')) {
      if (!first_piece) child(r, "w:tab");
      first_piece = false;
      if (piece.empty()) continue;
      xml_node t = child(r, "w:t");
      t.append_attribute("xml:space") = "preserve";
      t.append_child(pugi::node_pcdata).set_value(std::string(piece).c_str());
    }
  }
}

struct ParaStyle {
  const char* style = nullptr;
  bool keep_next = false;
  bool center = false;
  int indent = 0;  // twips
};

xml_node add_para(xml_node parent, ParaStyle ps) {
  xml_node p = child(parent, "w:p");
  if (ps.style || ps.keep_next || ps.center || ps.indent) {
    xml_node ppr = child(p, "w:pPr");
    if (ps.style) with_val(ppr, "w:pStyle", ps.style);
    if (ps.keep_next) child(ppr, "w:keepNext");
    if (ps.indent) child(ppr, "w:ind").append_attribute("w:left") = ps.indent;
    if (ps.center) with_val(ppr, "w:jc", "center");
  }
  return p;
}

xml_node add_para(xml_node parent, ParaStyle ps, std::string_view text, RunStyle rs = {}) {
  xml_node p = add_para(parent, ps);
  add_run(p, text, rs);
  return p;
}

void add_border(xml_node borders, const char* side, int eighths_pt) {
  xml_node b = child(borders, side);
  b.append_attribute("w:val") = eighths_pt > 0 ? "single" : "nil";
  if (eighths_pt > 0) {
    b.append_attribute("w:sz") = eighths_pt;
    b.append_attribute("w:space") = 0;
    b.append_attribute("w:color") = "000000";
  }
}

// The rules of the three-line table, in eighths of a point.
constexpr int kHeavyRule = 12;  // 1.5 pt: above the header, below the body
constexpr int kLightRule = 6;   // 0.75 pt: below the header, under a header group

void page_setup(xml_node sect, bool landscape) {
  xml_node sz = child(sect, "w:pgSz");
  sz.append_attribute("w:w") = landscape ? kPageLongTwips : kPageShortTwips;
  sz.append_attribute("w:h") = landscape ? kPageShortTwips : kPageLongTwips;
  if (landscape) sz.append_attribute("w:orient") = "landscape";
  xml_node mar = child(sect, "w:pgMar");
  for (const char* side : {"w:top", "w:right", "w:bottom", "w:left"}) mar.append_attribute(side) = kMarginTwips;
  for (const char* side : {"w:header", "w:footer"}) mar.append_attribute(side) = 720;
  mar.append_attribute("w:gutter") = 0;
}

// ---- the document ----------------------------------------------------------------------

struct CellSpec {
  std::string_view text;
  int width = 0;
  std::size_t span = 1;
  bool bold = false, center = false, keep_next = false, header = false;
  int indent = 0;
  int top = 0, bottom = 0;  // rules, eighths of a point (0 = none)
};

void add_cell(xml_node tr, const CellSpec& c) {
  xml_node tc = child(tr, "w:tc");
  xml_node pr = child(tc, "w:tcPr");
  xml_node w = child(pr, "w:tcW");
  w.append_attribute("w:w") = c.width;
  w.append_attribute("w:type") = "dxa";
  if (c.span > 1) with_val(pr, "w:gridSpan", std::to_string(c.span));
  if (c.top || c.bottom) {
    xml_node b = child(pr, "w:tcBorders");
    if (c.top) add_border(b, "w:top", c.top);
    if (c.bottom) add_border(b, "w:bottom", c.bottom);
  }
  with_val(pr, "w:vAlign", c.header ? "bottom" : "top");
  add_para(tc, {.style = "TableText", .keep_next = c.keep_next, .center = c.center, .indent = c.indent}, c.text,
           {.bold = c.bold});
}

xml_node add_row(xml_node tbl, bool header) {
  xml_node tr = child(tbl, "w:tr");
  xml_node pr = child(tr, "w:trPr");
  child(pr, "w:cantSplit");
  if (header) child(pr, "w:tblHeader");
  return tr;
}

// An embedded PNG: its relationship id, its size on the page (EMU), its names.
struct Picture {
  std::string rel_id, file_name, description;
  long long cx = 0, cy = 0;
};

class DocumentBuilder {
 public:
  explicit DocumentBuilder(const DocumentStyle& style) : metrics_(table_metrics(style)) {
    root_ = doc_.append_child("w:document");
    root_.append_attribute("xmlns:w") = std::string(kWordNs).c_str();
    root_.append_attribute("xmlns:r") = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    root_.append_attribute("xmlns:wp") = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
    root_.append_attribute("xmlns:a") = "http://schemas.openxmlformats.org/drawingml/2006/main";
    root_.append_attribute("xmlns:pic") = "http://schemas.openxmlformats.org/drawingml/2006/picture";
    body_ = child(root_, "w:body");
  }

  xml_node body() const { return body_; }
  Geometry geometry(const ReportTable& t) const { return table_geometry(t, metrics_); }

  /// Starts a new section when the orientation changes: the paragraph that carries a
  /// sectPr ends the section before it.
  void orientation(bool landscape) {
    if (landscape == landscape_) return;
    xml_node p = child(body_, "w:p");
    xml_node ppr = child(p, "w:pPr");
    xml_node rpr = child(ppr, "w:rPr");
    with_val(rpr, "w:sz", "2");  // the section's last (empty) paragraph takes no room
    page_setup(child(ppr, "w:sectPr"), landscape_);
    landscape_ = landscape;
  }

  void table(const ReportTable& t) {
    const Geometry g = geometry(t);
    orientation(g.landscape);
    add_para(body_, {.style = "TableCaption"}, t.title);
    table_grid(t, g);
    // The notes stay together and with the table's last row: a page never starts with a
    // table's notes alone.
    for (std::size_t k = 0; k < t.notes.size(); ++k)
      add_para(body_, {.style = "TableNote", .keep_next = k + 1 < t.notes.size()}, t.notes[k]);
  }

  /// A picture, centred, with its caption below: the bold title (with a full stop) and
  /// the caption text.
  void figure(const Picture& pic, const std::string& title, const std::string& caption) {
    orientation(false);
    xml_node p = add_para(body_, {.style = "Figure"});
    draw_picture(child(child(p, "w:r"), "w:drawing"), pic, ++pictures_);
    xml_node cap = add_para(body_, {.style = "FigureCaption"});
    std::string bold = title;
    if (!bold.empty() && bold.back() != '.') bold += '.';
    add_run(cap, bold, {.bold = true});
    if (!caption.empty()) add_run(cap, " " + caption);
  }

  std::string finish() {
    page_setup(child(body_, "w:sectPr"), landscape_);
    return ooxml::xml_part(doc_);
  }

 private:
  void table_grid(const ReportTable& t, const Geometry& g) {
    const std::size_t ncol = t.header.size();
    xml_node tbl = child(body_, "w:tbl");
    xml_node pr = child(tbl, "w:tblPr");
    xml_node w = child(pr, "w:tblW");
    w.append_attribute("w:w") = std::accumulate(g.widths.begin(), g.widths.end(), 0);
    w.append_attribute("w:type") = "dxa";
    xml_node borders = child(pr, "w:tblBorders");
    for (const char* side : {"w:top", "w:left", "w:bottom", "w:right", "w:insideH", "w:insideV"}) add_border(borders, side, 0);
    child(pr, "w:tblLayout").append_attribute("w:type") = "fixed";
    xml_node mar = child(pr, "w:tblCellMar");
    for (const char* side : {"w:left", "w:right"}) {
      xml_node m = child(mar, side);
      m.append_attribute("w:w") = kCellPadTwips;
      m.append_attribute("w:type") = "dxa";
    }
    xml_node grid = child(tbl, "w:tblGrid");
    for (int width : g.widths) child(grid, "w:gridCol").append_attribute("w:w") = width;

    const bool keep = t.rows.size() <= kKeepTogetherRows;
    const bool groups = !t.header_groups.empty();
    if (groups) {
      xml_node tr = add_row(tbl, true);
      std::size_t col = 0;
      for (const auto& [label, span] : t.header_groups) {
        if (span == 0 || col + span > ncol) break;
        const int width = std::accumulate(g.widths.begin() + col, g.widths.begin() + col + span, 0);
        add_cell(tr, {.text = label, .width = width, .span = span, .bold = true, .center = true, .keep_next = true,
                      .header = true, .top = kHeavyRule, .bottom = label.empty() ? 0 : kLightRule});
        col += span;
      }
    }
    xml_node tr = add_row(tbl, true);
    for (std::size_t c = 0; c < ncol; ++c)
      add_cell(tr, {.text = header_text(t.header[c]), .width = g.widths[c], .bold = true, .center = c > 0, .keep_next = true,
                    .header = true, .top = groups ? 0 : kHeavyRule, .bottom = kLightRule});
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
      const ReportRow& row = t.rows[r];
      const bool last = r + 1 == t.rows.size();
      xml_node body_row = add_row(tbl, false);
      for (std::size_t c = 0; c < ncol; ++c) {
        const std::string_view text = c < row.cells.size() ? std::string_view(row.cells[c].text) : std::string_view();
        add_cell(body_row, {.text = text, .width = g.widths[c], .bold = c == 0 && is_heading_row(t, r), .center = c > 0,
                            .keep_next = last ? !t.notes.empty() : (keep || r + 1 < kKeepWithCaptionRows),
                            .indent = c == 0 ? row.level * kLevelIndentTwips : 0,
                            .bottom = last ? kHeavyRule : 0});
      }
    }
  }

  static void draw_picture(xml_node drawing, const Picture& picture, int number) {
    const long long cx = picture.cx, cy = picture.cy;
    xml_node inl = child(drawing, "wp:inline");
    for (const char* d : {"distT", "distB", "distL", "distR"}) inl.append_attribute(d) = 0;
    xml_node extent = child(inl, "wp:extent");
    extent.append_attribute("cx") = cx;
    extent.append_attribute("cy") = cy;
    xml_node eff = child(inl, "wp:effectExtent");
    for (const char* d : {"l", "t", "r", "b"}) eff.append_attribute(d) = 0;
    xml_node pr = child(inl, "wp:docPr");
    pr.append_attribute("id") = number;
    pr.append_attribute("name") = ("Figure " + std::to_string(number)).c_str();
    pr.append_attribute("descr") = ooxml::xml_safe(picture.description).c_str();
    child(child(inl, "wp:cNvGraphicFramePr"), "a:graphicFrameLocks").append_attribute("noChangeAspect") = 1;
    xml_node data = child(child(inl, "a:graphic"), "a:graphicData");
    data.append_attribute("uri") = "http://schemas.openxmlformats.org/drawingml/2006/picture";
    xml_node pic = child(data, "pic:pic");
    xml_node nv = child(pic, "pic:nvPicPr");
    xml_node cnv = child(nv, "pic:cNvPr");
    cnv.append_attribute("id") = number;
    cnv.append_attribute("name") = picture.file_name.c_str();
    child(nv, "pic:cNvPicPr");
    xml_node fill = child(pic, "pic:blipFill");
    child(fill, "a:blip").append_attribute("r:embed") = picture.rel_id.c_str();
    child(child(fill, "a:stretch"), "a:fillRect");
    xml_node sp = child(pic, "pic:spPr");
    xml_node xfrm = child(sp, "a:xfrm");
    xml_node off = child(xfrm, "a:off");
    off.append_attribute("x") = 0;
    off.append_attribute("y") = 0;
    xml_node ext = child(xfrm, "a:ext");
    ext.append_attribute("cx") = cx;
    ext.append_attribute("cy") = cy;
    xml_node geom = child(sp, "a:prstGeom");
    geom.append_attribute("prst") = "rect";
    child(geom, "a:avLst");
  }

  TextMetrics metrics_;
  pugi::xml_document doc_;
  xml_node root_, body_;
  bool landscape_ = false;
  int pictures_ = 0;
};

// The tables of one section, in order, under `heading` (none: the section's heading is
// already there).  The heading goes on the page of the first table (portrait or landscape).
void section_tables(DocumentBuilder& doc, const StudyReport& report, TableSection section, const char* heading) {
  bool first = true;
  for (const auto& t : report.tables) {
    if (t.section != section) continue;
    if (first && heading != nullptr) {
      doc.orientation(doc.geometry(t).landscape);
      add_para(doc.body(), {.style = "Heading1"}, heading);
    }
    first = false;
    doc.table(t);
  }
}

// Published vs reproduced (as report.html): the summary in bold with the first note of
// the consistency table (the last table), then the tables.
void published(DocumentBuilder& doc, const StudyReport& report) {
  if (report.published.empty()) return;
  const ReportTable *first = nullptr, *last = nullptr;
  for (const auto& t : report.tables)
    if (t.section == TableSection::Published) {
      if (first == nullptr) first = &t;
      last = &t;
    }
  doc.orientation(first != nullptr && doc.geometry(*first).landscape);  // the heading goes with the first table
  add_para(doc.body(), {.style = "Heading1", .keep_next = true}, "Published vs reproduced");
  xml_node p = add_para(doc.body(), {.style = "BodyText"});
  add_run(p, report.published.summary + ".", {.bold = true});
  if (last != nullptr && !last->notes.empty()) add_run(p, " " + last->notes.front());
  section_tables(doc, report, TableSection::Published, nullptr);
}

void paragraphs(xml_node body, const char* heading, const std::string& text) {
  if (text.empty()) return;
  add_para(body, {.style = "Heading1"}, heading);
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find("\n\n", start);
    if (end == std::string::npos) end = text.size();
    const std::string_view para(text.data() + start, end - start);
    if (para.find_first_not_of(" \n\t") != std::string_view::npos) add_para(body, {.style = "BodyText"}, para);
    start = end + 2;
  }
}

// The figure as a PNG at kFigureDpi: the figure file's own PNG when it has that
// resolution, else drawn again.
std::string figure_png(const ReportFigure& f, const FigureFiles& files) {
  ReportFigure copy = f;
  int& dpi = copy.kind == ReportFigure::Kind::Km     ? copy.km.options.png_dpi
             : copy.kind == ReportFigure::Kind::Love ? copy.love.options.png_dpi
                                                     : copy.zph.options.png_dpi;
  if (dpi == kFigureDpi && !files.png.empty()) return files.png;
  dpi = kFigureDpi;
  return render_figure(copy, FigureFormat::Png);
}

std::string content_types() {
  pugi::xml_document doc;
  xml_node types = doc.append_child("Types");
  types.append_attribute("xmlns") = "http://schemas.openxmlformats.org/package/2006/content-types";
  const auto def = [&](const char* ext, const char* type) {
    xml_node d = child(types, "Default");
    d.append_attribute("Extension") = ext;
    d.append_attribute("ContentType") = type;
  };
  def("rels", "application/vnd.openxmlformats-package.relationships+xml");
  def("xml", "application/xml");
  def("png", "image/png");
  const auto over = [&](const char* part, const char* type) {
    xml_node o = child(types, "Override");
    o.append_attribute("PartName") = part;
    o.append_attribute("ContentType") = type;
  };
  over("/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml");
  over("/word/styles.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml");
  over("/word/settings.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml");
  over("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
  return ooxml::xml_part(doc);
}

struct Relationship {
  std::string id, type, target;
};

std::string relationships(const std::vector<Relationship>& rels) {
  pugi::xml_document doc;
  xml_node root = doc.append_child("Relationships");
  root.append_attribute("xmlns") = "http://schemas.openxmlformats.org/package/2006/relationships";
  for (const auto& r : rels) {
    xml_node n = child(root, "Relationship");
    n.append_attribute("Id") = r.id.c_str();
    n.append_attribute("Type") = r.type.c_str();
    n.append_attribute("Target") = r.target.c_str();
  }
  return ooxml::xml_part(doc);
}

std::string core_properties(const StudyReport& report) {
  pugi::xml_document doc;
  xml_node root = doc.append_child("cp:coreProperties");
  root.append_attribute("xmlns:cp") = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
  root.append_attribute("xmlns:dc") = "http://purl.org/dc/elements/1.1/";
  child(root, "dc:title").append_child(pugi::node_pcdata).set_value(ooxml::xml_safe(report.title).c_str());
  child(root, "dc:creator")
      .append_child(pugi::node_pcdata)
      .set_value(ooxml::xml_safe(report.software.empty() ? std::string("survkit") : report.software).c_str());
  return ooxml::xml_part(doc);
}

constexpr const char* kRelBase = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";

// The pictures of the document: word/media/<name>.png parts and their relationships
// (after the styles' and settings').
struct Media {
  std::vector<Relationship> rels = {{"rId1", std::string(kRelBase) + "styles", "styles.xml"},
                                    {"rId2", std::string(kRelBase) + "settings", "settings.xml"}};
  std::vector<ooxml::Part> parts;

  /// Adds a 300-dpi PNG; its size on the page is its natural size, scaled down to the
  /// text width and a page's height.
  Picture add(const std::string& name, const std::string& description, std::string png) {
    const ooxml::PixelSize px = ooxml::png_size(png);
    const long long emu_per_px = kEmuPerInch / kFigureDpi;
    Picture pic;
    pic.cx = px.width * emu_per_px;
    pic.cy = px.height * emu_per_px;
    const double scale = std::min({1.0, static_cast<double>(kTextWidthPortrait * kEmuPerTwip) / pic.cx,
                                   static_cast<double>(kMaxFigureHeightEmu) / pic.cy});
    pic.cx = std::llround(pic.cx * scale);
    pic.cy = std::llround(pic.cy * scale);
    pic.rel_id = "rId" + std::to_string(rels.size() + 1);
    pic.file_name = name + ".png";
    pic.description = description;
    const std::string target = "media/" + pic.file_name;
    rels.push_back({pic.rel_id, std::string(kRelBase) + "image", target});
    parts.push_back({"word/" + target, std::move(png)});
    return pic;
  }
};

// The flow diagram as a 300-dpi PNG, or "" when a word of a criterion is too long for
// its box (the flow table below it still has every step).
std::string flow_diagram_png(const StudyReport& r) {
  figures::FlowDiagram d;
  d.top = {"Records read from " + (r.source.empty() ? std::string("the data file") : r.source),
           fmt::format("n = {}", r.n_read)};
  // As report.html's: the exclusions down to the analysed patients, then those not
  // eligible for matching down to the eligible ones.
  figures::FlowStage& analysed = d.stages.emplace_back();
  for (const auto& step : r.flow)
    analysed.excluded.push_back({"Excluded: " + step.criterion, fmt::format("n = {}", step.excluded)});
  analysed.bottom = {"Analysed", fmt::format("n = {}", r.n_analysed)};
  if (!r.matching_flow.empty()) {
    figures::FlowStage& eligible = d.stages.emplace_back();
    for (const auto& step : r.matching_flow) eligible.excluded.push_back({step.criterion, fmt::format("n = {}", step.excluded)});
    eligible.bottom = {"Eligible for matching", fmt::format("n = {}", r.matching_flow.back().remaining)};
  }
  d.png_dpi = kFigureDpi;
  try {
    return figures::render_flow_diagram(d, FigureFormat::Png);
  } catch (const InputError&) {
    return {};
  }
}

// The Word package around a finished document: content types, relationships, core
// properties, styles (report.word's font), settings and the media.
std::string package(const StudyReport& report, DocumentBuilder& doc, Media media) {
  std::vector<ooxml::Part> parts;
  parts.push_back({"[Content_Types].xml", content_types()});
  parts.push_back({"_rels/.rels", relationships({{"rId1", std::string(kRelBase) + "officeDocument", "word/document.xml"},
                                                 {"rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                                                  "docProps/core.xml"}})});
  parts.push_back({"docProps/core.xml", core_properties(report)});
  parts.push_back({"word/document.xml", doc.finish()});
  parts.push_back({"word/styles.xml", styles_xml(report.word)});
  parts.push_back({"word/settings.xml", std::string(kSettingsXml)});
  parts.push_back({"word/_rels/document.xml.rels", relationships(media.rels)});
  for (auto& m : media.parts) parts.push_back(std::move(m));
  return ooxml::zip_package(parts);
}

}  // namespace

std::string render_docx(const StudyReport& report, const std::vector<FigureFiles>& figures) {
  if (figures.size() != report.figures.size())
    throw std::logic_error("render_docx: one FigureFiles per report figure is required");
  DocumentBuilder doc(report.word);
  Media media;
  xml_node body = doc.body();
  const std::string title = report.title.empty() ? std::string("Study report") : report.title;
  add_para(body, {.style = "Title"}, title);
  std::string meta = fmt::format("Data: {} \u00b7 {} records read, {} analysed", report.source, report.n_read,
                                 report.n_analysed);
  if (!report.software.empty()) meta += " \u00b7 " + report.software;
  add_para(body, {.style = "ReportMeta"}, meta);

  add_para(body, {.style = "Heading1", .keep_next = true}, "Patient flow");
  if (std::string png = flow_diagram_png(report); !png.empty())
    doc.figure(media.add("patient.flow", "Patient flow diagram", std::move(png)), "Patient flow diagram", "");
  section_tables(doc, report, TableSection::Flow, nullptr);
  section_tables(doc, report, TableSection::Main, "Tables");
  for (std::size_t i = 0; i < report.figures.size(); ++i) {
    const ReportFigure& f = report.figures[i];
    if (i == 0) {
      doc.orientation(false);
      add_para(body, {.style = "Heading1"}, "Figures");
    }
    doc.figure(media.add(f.id, f.title, figure_png(f, figures[i])), f.title, f.caption);
  }
  published(doc, report);

  doc.orientation(false);
  paragraphs(body, "Methods", report.methods);
  paragraphs(body, "Results (draft)", report.results);
  add_para(body, {.style = "Heading1"}, "Warnings");
  if (report.warnings.empty()) add_para(body, {.style = "BodyText"}, "The analyses reported no warnings.");
  for (const auto& w : report.warnings) add_para(body, {.style = "Bullet"}, "\u2022\t" + w);
  add_para(body, {.style = "ReportMeta"},
           "Generated by " + (report.software.empty() ? std::string("survkit") : report.software) +
               ". Every number in this report is also in results.json at full precision.");

  return package(report, doc, std::move(media));
}

std::string render_tables_docx(const StudyReport& report) {
  DocumentBuilder doc(report.word);
  xml_node body = doc.body();
  const std::string title = report.title.empty() ? std::string("Study report") : report.title;
  add_para(body, {.style = "Title"}, title + ": tables");
  add_para(body, {.style = "ReportMeta"},
           fmt::format("Data: {} \u00b7 {} records read, {} analysed", report.source, report.n_read, report.n_analysed));
  section_tables(doc, report, TableSection::Flow, "Patient flow");
  section_tables(doc, report, TableSection::Main, "Tables");
  section_tables(doc, report, TableSection::Published, "Published vs reproduced");
  return package(report, doc, Media{});
}

std::string render_docx(const StudyReport& report) {
  std::vector<FigureFiles> figures(report.figures.size());
  return render_docx(report, figures);
}

}  // namespace survkit::render
