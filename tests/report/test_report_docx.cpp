// report.docx (render_docx): the zip package and its XML, re-read with libzip and pugixml.
// The layout as Word/LibreOffice show it and python-docx's reading of the tables are
// checked by tests/report/docx_checks.sh on real study runs.
#include <gtest/gtest.h>
#include <cairo.h>
#include <zip.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <vector>

#include "report/render/docx_styles.hpp"
#include "report/render/ooxml_package.hpp"
#include "report/report_fixture.hpp"
#include "survkit/render.hpp"

namespace {

using namespace survkit;
using namespace survkit::render;
using report_test::sample_report;

// Every entry of a zip archive held in memory, in archive order.
std::vector<std::pair<std::string, std::string>> unzip(const std::string& bytes) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  EXPECT_NE(src, nullptr);
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  EXPECT_NE(z, nullptr) << zip_error_strerror(&err);
  std::vector<std::pair<std::string, std::string>> out;
  if (z == nullptr) {
    zip_source_free(src);
    return out;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(z, static_cast<zip_uint64_t>(i), 0, &st);
    std::string data(static_cast<std::size_t>(st.size), '\0');
    zip_file_t* f = zip_fopen_index(z, static_cast<zip_uint64_t>(i), 0);
    EXPECT_EQ(zip_fread(f, data.data(), st.size), static_cast<zip_int64_t>(st.size));
    zip_fclose(f);
    out.emplace_back(st.name, std::move(data));
  }
  zip_close(z);
  return out;
}

std::map<std::string, std::string> parts_of(const std::string& docx) {
  std::map<std::string, std::string> m;
  for (auto& [name, data] : unzip(docx)) m[name] = data;
  return m;
}

// Text of a paragraph or cell: w:t texts, w:br as "\n".
std::string text_of(pugi::xml_node n) {
  std::string out;
  struct Walker : pugi::xml_tree_walker {
    std::string* out;
    bool for_each(pugi::xml_node& node) override {
      if (std::strcmp(node.name(), "w:t") == 0) *out += node.child_value();
      if (std::strcmp(node.name(), "w:br") == 0) *out += '\n';
      return true;
    }
  } walker;
  walker.out = &out;
  n.traverse(walker);
  return out;
}

struct Parsed {
  std::map<std::string, std::string> parts;
  pugi::xml_document doc;
  pugi::xml_node body;
};

void parse(Parsed& p, const std::string& docx) {
  p.parts = parts_of(docx);
  ASSERT_TRUE(p.parts.count("word/document.xml"));
  ASSERT_TRUE(p.doc.load_string(p.parts["word/document.xml"].c_str())) << "document.xml is not well-formed XML";
  p.body = p.doc.child("w:document").child("w:body");
  ASSERT_TRUE(p.body);
}

std::vector<std::string> row_texts(pugi::xml_node tr) {
  std::vector<std::string> out;
  for (pugi::xml_node tc : tr.children("w:tc")) {
    const int span = tc.child("w:tcPr").child("w:gridSpan").attribute("w:val").as_int(1);
    for (int k = 0; k < span; ++k) out.push_back(text_of(tc));
  }
  return out;
}

std::string nbsp_to_space(std::string s) {
  for (std::size_t p; (p = s.find("\u00a0")) != std::string::npos;) s.replace(p, 2, " ");
  return s;
}

TEST(Docx, PackageHasTheOfficeParts) {
  const std::string docx = render_docx(sample_report());
  ASSERT_EQ(docx.substr(0, 2), "PK");
  const auto entries = unzip(docx);
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.front().first, "[Content_Types].xml");
  const auto parts = parts_of(docx);
  for (const char* name : {"_rels/.rels", "docProps/core.xml", "word/document.xml", "word/styles.xml",
                           "word/settings.xml", "word/_rels/document.xml.rels"}) {
    ASSERT_TRUE(parts.count(name)) << name;
    pugi::xml_document d;
    EXPECT_TRUE(d.load_string(parts.at(name).c_str())) << name << " is not well-formed";
  }
  // Every relationship's target exists, and the content types cover every part.
  pugi::xml_document rels;
  ASSERT_TRUE(rels.load_string(parts.at("word/_rels/document.xml.rels").c_str()));
  std::size_t images = 0;
  for (pugi::xml_node r : rels.child("Relationships").children("Relationship")) {
    const std::string target = "word/" + std::string(r.attribute("Target").value());
    EXPECT_TRUE(parts.count(target)) << target;
    images += std::string(r.attribute("Type").value()).ends_with("/image");
  }
  EXPECT_EQ(images, sample_report().figures.size() + 1);  // + the patient flow diagram
  const std::string& types = parts.at("[Content_Types].xml");
  EXPECT_NE(types.find("Extension=\"png\" ContentType=\"image/png\""), std::string::npos);
  EXPECT_NE(types.find("PartName=\"/word/document.xml\""), std::string::npos);
}

TEST(Docx, SameReportGivesTheSameBytes) {
  const StudyReport r = sample_report();
  const std::string a = render_docx(r);
  EXPECT_EQ(a, render_docx(r));
  // Fixed DOS time and date in the first local header (offsets 10 and 12): 1980-01-01 00:00.
  ASSERT_GT(a.size(), 14u);
  EXPECT_EQ(a.substr(10, 4), std::string("\x00\x00\x21\x00", 4));
}

TEST(Docx, TablesHaveTheCellsCaptionsAndNotesOfTheReport) {
  const StudyReport r = sample_report();
  Parsed p;
  parse(p, render_docx(r));
  std::vector<pugi::xml_node> tables;
  for (pugi::xml_node n : p.body.children("w:tbl")) tables.push_back(n);
  // Every table of the report's one list, in its order: the flow's first (under the
  // diagram), the study's, then (after the figures) the published ones.
  ASSERT_EQ(tables.size(), r.tables.size());
  EXPECT_EQ(text_of(tables[0].previous_sibling("w:p")),
            "Patient flow: records excluded by each criterion, in the order applied");
  EXPECT_EQ(row_texts(tables[0].last_child()), (std::vector<std::string>{"Analysed", "", "119"}));
  // The published section: its heading, the summary with the consistency table's first
  // note, then the comparison's caption and table.
  const std::size_t first_published = r.tables.size() - 2;
  ASSERT_EQ(r.tables[first_published].id, "published_vs_reproduced");
  pugi::xml_node summary = tables[first_published].previous_sibling("w:p").previous_sibling("w:p");
  EXPECT_EQ(text_of(summary), "1 of 2 published numbers reproduced (1 differ). 2 checks: 1 consistent, 1 inconsistent "
                              "(survkit check-paper).");
  EXPECT_EQ(text_of(summary.previous_sibling("w:p")), "Published vs reproduced");

  for (std::size_t i = 0; i < r.tables.size(); ++i) {
    const ReportTable& t = r.tables[i];
    pugi::xml_node tbl = tables[i];
    SCOPED_TRACE(t.id);
    EXPECT_EQ(text_of(tbl.previous_sibling("w:p")), t.title);  // caption above
    // Notes below, in the note style, in order.
    pugi::xml_node note = tbl.next_sibling();
    for (const auto& n : t.notes) {
      EXPECT_STREQ(note.child("w:pPr").child("w:pStyle").attribute("w:val").value(), "TableNote");
      EXPECT_EQ(text_of(note), n);
      note = note.next_sibling();
    }
    std::size_t grid = 0;
    for ([[maybe_unused]] pugi::xml_node c : tbl.child("w:tblGrid").children("w:gridCol")) ++grid;
    EXPECT_EQ(grid, t.header.size());
    std::vector<pugi::xml_node> rows;
    for (pugi::xml_node tr : tbl.children("w:tr")) rows.push_back(tr);
    const std::size_t header_rows = t.header_groups.empty() ? 1 : 2;
    ASSERT_EQ(rows.size(), header_rows + t.rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k)
      EXPECT_EQ(static_cast<bool>(rows[k].child("w:trPr").child("w:tblHeader")), k < header_rows) << k;
    std::vector<std::string> header = row_texts(rows[header_rows - 1]);
    for (auto& h : header) h = nbsp_to_space(h);
    EXPECT_EQ(header, t.header);
    if (header_rows == 2) {
      std::vector<std::string> groups;
      for (const auto& [label, span] : t.header_groups) groups.insert(groups.end(), span, label);
      EXPECT_EQ(row_texts(rows[0]), groups);
    }
    for (std::size_t k = 0; k < t.rows.size(); ++k) {
      std::vector<std::string> want;
      for (const auto& c : t.rows[k].cells) want.push_back(c.text);
      EXPECT_EQ(row_texts(rows[header_rows + k]), want) << "row " << k;
    }
    // Three-line table: a heavy rule above the first header row, a light one under the
    // header, a heavy one under the last row; no other borders.
    const auto border = [](pugi::xml_node tr, const char* side) {
      return tr.first_child().next_sibling("w:tc").child("w:tcPr").child("w:tcBorders").child(side).attribute("w:sz").as_int();
    };
    EXPECT_EQ(border(rows.front(), "w:top"), 12);
    EXPECT_EQ(border(rows[header_rows - 1], "w:bottom"), 6);
    EXPECT_EQ(border(rows.back(), "w:bottom"), 12);
    for (std::size_t k = header_rows; k + 1 < rows.size(); ++k) EXPECT_EQ(border(rows[k], "w:bottom"), 0) << k;
    for (pugi::xml_node b : tbl.child("w:tblPr").child("w:tblBorders").children())
      EXPECT_STREQ(b.attribute("w:val").value(), "nil");
  }
}

// Landscape sections: the table of 9 columns (table5) sits in a landscape section, the
// narrower tables and the figures in portrait ones, and no table is wider than its page.
TEST(Docx, WideTablesGetLandscapePagesAndEveryTableFitsItsPage) {
  const StudyReport r = sample_report();
  Parsed p;
  parse(p, render_docx(r));
  // The section of a block is given by the next sectPr after it (in a paragraph, or the body's).
  std::vector<std::pair<pugi::xml_node, bool>> tables;  // table, landscape
  std::vector<pugi::xml_node> pending;
  const auto close_section = [&](pugi::xml_node sect) {
    const bool landscape = std::strcmp(sect.child("w:pgSz").attribute("w:orient").value(), "landscape") == 0;
    const int page_w = sect.child("w:pgSz").attribute("w:w").as_int();
    EXPECT_EQ(landscape, page_w > sect.child("w:pgSz").attribute("w:h").as_int());
    const int text_w = page_w - sect.child("w:pgMar").attribute("w:left").as_int() -
                       sect.child("w:pgMar").attribute("w:right").as_int();
    for (pugi::xml_node t : pending) {
      int sum = 0;
      for (pugi::xml_node c : t.child("w:tblGrid").children("w:gridCol")) sum += c.attribute("w:w").as_int();
      EXPECT_LE(sum, text_w);
      EXPECT_EQ(t.child("w:tblPr").child("w:tblW").attribute("w:w").as_int(), sum);
      tables.emplace_back(t, landscape);
    }
    pending.clear();
  };
  for (pugi::xml_node n : p.body.children()) {
    if (std::strcmp(n.name(), "w:tbl") == 0) pending.push_back(n);
    if (pugi::xml_node s = n.child("w:pPr").child("w:sectPr")) close_section(s);
    if (std::strcmp(n.name(), "w:sectPr") == 0) close_section(n);
  }
  ASSERT_EQ(tables.size(), r.tables.size());
  for (std::size_t i = 0; i < r.tables.size(); ++i)
    EXPECT_EQ(tables[i].second, r.tables[i].header.size() > 8) << r.tables[i].id;
  EXPECT_STREQ(p.body.child("w:sectPr").child("w:pgSz").attribute("w:orient").value(), "");  // ends portrait
}

TEST(Docx, FiguresAreEmbeddedAt300DpiWithTheirCaptionsBelow) {
  StudyReport r = sample_report();
  r.figures[1].km.options.png_dpi = 150;  // drawn again at 300 dpi for the document
  Parsed p;
  parse(p, render_docx(r));
  std::vector<pugi::xml_node> drawings;
  for (pugi::xpath_node d : p.body.select_nodes(".//w:drawing")) drawings.push_back(d.node());
  ASSERT_EQ(drawings.size(), r.figures.size() + 1);
  drawings.erase(drawings.begin());  // the patient flow diagram (see below)
  pugi::xml_document rels;
  ASSERT_TRUE(rels.load_string(p.parts.at("word/_rels/document.xml.rels").c_str()));
  const long long max_cx = (11906 - 2 * 1440) * 635LL;  // A4 text width in EMU
  for (std::size_t i = 0; i < drawings.size(); ++i) {
    const ReportFigure& f = r.figures[i];
    SCOPED_TRACE(f.id);
    pugi::xml_node inl = drawings[i].child("wp:inline");
    const std::string rid = inl.select_node(".//a:blip").node().attribute("r:embed").value();
    const std::string target =
        rels.select_node(("//Relationship[@Id='" + rid + "']").c_str()).node().attribute("Target").value();
    const std::string& png = p.parts.at("word/" + target);
    const auto px = ooxml::png_size(png);
    // 300 dpi: the pixel size is the figure's size in points * 300 / 72.
    const double width_pt = f.kind == ReportFigure::Kind::Km ? f.km.options.width_pt : f.love.options.width_pt;
    EXPECT_EQ(px.width, static_cast<std::uint32_t>(std::ceil(width_pt * 300 / 72 - 1e-9)));
    // Shown at that size (9144 EMU per 300-dpi pixel... 3048) or scaled down to the text width,
    // keeping the aspect ratio.
    const long long cx = inl.child("wp:extent").attribute("cx").as_llong();
    const long long cy = inl.child("wp:extent").attribute("cy").as_llong();
    EXPECT_EQ(cx, std::min<long long>(px.width * 3048LL, max_cx));
    EXPECT_NEAR(static_cast<double>(cy) / cx, static_cast<double>(px.height) / px.width, 1e-5);
    EXPECT_EQ(inl.select_node(".//a:ext").node().attribute("cx").as_llong(), cx);
    // The caption is the next paragraph: bold title with a full stop, then the caption text.
    pugi::xml_node para = drawings[i].parent().parent();
    EXPECT_STREQ(para.child("w:pPr").child("w:pStyle").attribute("w:val").value(), "Figure");
    pugi::xml_node caption = para.next_sibling("w:p");
    EXPECT_EQ(text_of(caption), f.title + ". " + f.caption);
    EXPECT_TRUE(caption.child("w:r").child("w:rPr").child("w:b"));
  }
  // The picture's paragraph style keeps it on the page of its caption.
  pugi::xml_document styles;
  ASSERT_TRUE(styles.load_string(p.parts.at("word/styles.xml").c_str()));
  EXPECT_TRUE(styles.select_node("//w:style[@w:styleId='Figure']/w:pPr/w:keepNext"));
  EXPECT_THROW(render_docx(r, std::vector<FigureFiles>(1)), std::logic_error);
}

TEST(Docx, TextIsEscapedAndKeepsSpacesBreaksAndNoControlCharacters) {
  StudyReport r = sample_report();
  r.methods = "First <paragraph> & \"more\".\n\nSecond\x01 paragraph.";
  r.results = "Drafted results.";
  for (auto& t : r.tables)
    if (t.id == "escapes") t.rows[0].cells[1].text = "bell\x07here";
  const std::string docx = render_docx(r);
  Parsed p;
  parse(p, docx);  // well-formed despite <, &, quotes and control characters
  const std::string& xml = p.parts.at("word/document.xml");
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_EQ(xml.find('\x07'), std::string::npos);
  std::vector<std::string> paras;
  for (pugi::xml_node n : p.body.children("w:p")) paras.push_back(text_of(n));
  const auto has = [&](const std::string& s) { return std::find(paras.begin(), paras.end(), s) != paras.end(); };
  EXPECT_TRUE(has("First <paragraph> & \"more\"."));
  EXPECT_TRUE(has("Second paragraph."));
  EXPECT_TRUE(has("Results (draft)"));
  EXPECT_TRUE(has("Drafted results."));
  EXPECT_TRUE(has("Warnings"));
  EXPECT_TRUE(has("\u2022" + r.warnings[0]));  // the tab after the bullet is not text
  // The awkward table: leading/trailing spaces kept (xml:space), a line break as w:br.
  pugi::xml_node awkward = p.body.find_child([](pugi::xml_node n) {
    return std::strcmp(n.name(), "w:tbl") == 0 && text_of(n.previous_sibling("w:p")).rfind("Escapes", 0) == 0;
  });
  ASSERT_TRUE(awkward);
  std::vector<pugi::xml_node> rows;
  for (pugi::xml_node tr : awkward.children("w:tr")) rows.push_back(tr);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(row_texts(rows[1])[1], "bellhere");
  EXPECT_EQ(row_texts(rows[1])[2], "<script>alert(1)</script>");
  EXPECT_EQ(row_texts(rows[2])[2], "line one\nline two");
  EXPECT_EQ(row_texts(rows[3])[1], " padded ");
}

// The patient flow diagram: a picture under the "Patient flow" heading, above the flow
// table, with boxes drawn (dark pixels) in a white page; left out, with the table kept,
// when a criterion holds a word too long for its box.
TEST(Docx, PatientFlowDiagramPrecedesTheFlowTable) {
  StudyReport r = sample_report();
  Parsed p;
  parse(p, render_docx(r));
  pugi::xml_node heading = p.body.find_child([](pugi::xml_node n) { return text_of(n) == "Patient flow"; });
  ASSERT_TRUE(heading);
  pugi::xml_node picture = heading.next_sibling();
  const std::string rid = picture.select_node(".//a:blip").node().attribute("r:embed").value();
  ASSERT_FALSE(rid.empty());
  EXPECT_EQ(text_of(picture.next_sibling()), "Patient flow diagram.");
  EXPECT_STREQ(picture.next_sibling().next_sibling().next_sibling().name(), "w:tbl");  // caption, table
  const std::string& png = p.parts.at("word/media/patient.flow.png");
  EXPECT_EQ(ooxml::png_size(png).width, 1800u);  // 6 in at 300 dpi
  // Decode and count dark pixels: boxes, lines and text, on white.
  struct Reader {
    const std::string* s;
    std::size_t at = 0;
  } reader{&png};
  cairo_surface_t* img = cairo_image_surface_create_from_png_stream(
      [](void* c, unsigned char* data, unsigned int n) {
        auto* rd = static_cast<Reader*>(c);
        if (rd->at + n > rd->s->size()) return CAIRO_STATUS_READ_ERROR;
        std::memcpy(data, rd->s->data() + rd->at, n);
        rd->at += n;
        return CAIRO_STATUS_SUCCESS;
      },
      &reader);
  ASSERT_EQ(cairo_surface_status(img), CAIRO_STATUS_SUCCESS);
  const int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
  const int stride = cairo_image_surface_get_stride(img);
  const unsigned char* data = cairo_image_surface_get_data(img);
  std::size_t dark = 0;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) dark += (data[y * stride + 4 * x + 1] < 100);  // green channel
  cairo_surface_destroy(img);
  EXPECT_GT(dark, static_cast<std::size_t>(w) * 4 * (r.flow.size() + 2));  // at least the box outlines
  EXPECT_LT(dark, static_cast<std::size_t>(w) * h / 5);

  r.flow[0].criterion = "Excluded " + std::string(300, 'x');
  Parsed q;
  parse(q, render_docx(r));
  EXPECT_EQ(q.parts.count("word/media/patient.flow.png"), 0u);
  EXPECT_EQ(q.body.select_nodes(".//w:drawing").size(), r.figures.size());
  EXPECT_EQ(q.body.select_nodes("w:tbl").size(), r.tables.size());
}

// With matching, the diagram goes on below "Analysed" as report.html's does: a box per
// covariate whose missing values make patients not eligible, then the eligible ones --
// two side boxes and a main box more, each at least two lines of 9.5 pt (about 100 px at
// 300 dpi with its padding).
TEST(Docx, PatientFlowDiagramShowsTheMatchingEligibility) {
  StudyReport r = sample_report();
  const auto diagram_height = [](const StudyReport& rep) {
    Parsed p;
    parse(p, render_docx(rep));
    return ooxml::png_size(p.parts.at("word/media/patient.flow.png")).height;
  };
  const auto without = diagram_height(r);
  r.matching_flow = {{"Not eligible for matching: missing CEA", 3, 116}, {"Not eligible for matching: missing PgR", 2, 114}};
  const auto with = diagram_height(r);
  EXPECT_GT(with, without + 300) << without << " -> " << with;
}

}  // namespace

namespace {

// The body text, table text and table note sizes (half-points) of a styles.xml.
std::string style_size(const std::string& styles, const std::string& style_id) {
  pugi::xml_document d;
  if (!d.load_string(styles.c_str())) return "not XML";
  for (pugi::xml_node st : d.child("w:styles").children("w:style"))
    if (style_id == st.attribute("w:styleId").value()) return st.child("w:rPr").child("w:sz").attribute("w:val").value();
  return "";
}

TEST(Docx, WordFilesUseTheSpecsFontAndSize) {
  StudyReport r = sample_report();
  // The default style leaves styles.xml as it always was.
  EXPECT_EQ(parts_of(render_docx(r)).at("word/styles.xml"), std::string(docx::kStylesXml));
  r.word = {"Arial & Co \"Sans\"", 9};
  for (const std::string& file : {render_docx(r), render_tables_docx(r)}) {
    const std::string styles = parts_of(file).at("word/styles.xml");
    pugi::xml_document d;
    ASSERT_TRUE(d.load_string(styles.c_str()));
    pugi::xml_node fonts = d.child("w:styles").child("w:docDefaults").child("w:rPrDefault").child("w:rPr");
    EXPECT_STREQ(fonts.child("w:rFonts").attribute("w:ascii").value(), "Arial & Co \"Sans\"");
    EXPECT_STREQ(fonts.child("w:sz").attribute("w:val").value(), "18");  // 9 pt
    EXPECT_EQ(style_size(styles, "Title"), "28");                          // +5 pt
    EXPECT_EQ(style_size(styles, "TableText"), "16");                      // -1 pt
    EXPECT_EQ(style_size(styles, "TableNote"), "12");                      // -3 pt
    EXPECT_EQ(styles.find("Times New Roman"), std::string::npos);
  }
}

TEST(Docx, TablesDocxHoldsEveryTableUnderItsSectionAndNoPicture) {
  const StudyReport r = sample_report();
  Parsed p;
  parse(p, render_tables_docx(r));
  std::vector<std::string> captions, headings;
  std::size_t tables = 0;
  pugi::xml_node previous;
  for (pugi::xml_node n : p.body.children()) {
    if (std::strcmp(n.name(), "w:tbl") == 0) {
      ++tables;
      captions.push_back(text_of(previous));
    }
    const std::string style = n.child("w:pPr").child("w:pStyle").attribute("w:val").value();
    if (style == "Heading1") headings.push_back(text_of(n));
    if (std::strcmp(n.name(), "w:p") == 0) previous = n;
  }
  ASSERT_EQ(tables, r.tables.size());
  for (std::size_t k = 0; k < r.tables.size(); ++k) EXPECT_EQ(captions[k], r.tables[k].title);
  std::vector<std::string> want = {"Patient flow", "Tables"};
  if (std::any_of(r.tables.begin(), r.tables.end(), [](const ReportTable& t) { return t.section == TableSection::Published; }))
    want.push_back("Published vs reproduced");
  EXPECT_EQ(headings, want);
  EXPECT_EQ(p.parts.count("word/media/image1.png"), 0u);
  for (const auto& [name, data] : p.parts) EXPECT_FALSE(name.starts_with("word/media/")) << name;
}

}  // namespace
