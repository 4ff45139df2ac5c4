// Internal to src/report/render: the fixed parts of report.docx -- the styles, the
// settings and the page geometry every section uses.
#pragma once

#include <cmath>
#include <string>
#include <string_view>

#include "survkit/report.hpp"

namespace survkit::render::docx {

// A4, margins of 1 inch (twentieths of a point: 1440 twips = 1 inch).
inline constexpr int kPageShortTwips = 11906;
inline constexpr int kPageLongTwips = 16838;
inline constexpr int kMarginTwips = 1440;
inline constexpr int kTextWidthPortrait = kPageShortTwips - 2 * kMarginTwips;   // 9026
inline constexpr int kTextWidthLandscape = kPageLongTwips - 2 * kMarginTwips;   // 13958
inline constexpr int kTextHeightPortrait = kPageLongTwips - 2 * kMarginTwips;
inline constexpr long long kEmuPerTwip = 635;  // 914400 EMU per inch / 1440

/// Table text: 10 pt Times New Roman; cells padded by kCellPadTwips left and right.
inline constexpr double kTableFontPt = 10;
inline constexpr int kCellPadTwips = 85;
inline constexpr int kLevelIndentTwips = 284;  // 0.5 cm per level of a row

inline constexpr std::string_view kWordNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// word/styles.xml for the default style (see styles_xml).  Paragraph styles: Normal
/// (11 pt Times New Roman), Title, Heading1,
/// ReportMeta, BodyText (justified), TableCaption (bold, above a table, kept with it),
/// TableText (10 pt, no spacing), TableNote (8 pt, below a table), Figure (the picture's
/// paragraph, kept with its caption), FigureCaption, Bullet (warnings).
inline constexpr std::string_view kStylesXml =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    "\r\n"
    R"(<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
    R"(<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/>)"
    R"(<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-US" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>)"
    R"(<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>)"
    R"(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>)"
    R"(<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>)"
    R"(<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>)"
    R"(<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>)"
    R"(<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>)"
    R"(<w:pPr><w:spacing w:after="120" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>)"
    R"(<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr>)"
    R"(<w:rPr><w:b/><w:bCs/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>)"
    R"(<w:style w:type="paragraph" w:customStyle="1" w:styleId="ReportMeta"><w:name w:val="Report Meta"/><w:basedOn w:val="Normal"/>)"
    R"(<w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:color w:val="555555"/><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>)"
    R"(<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/><w:basedOn w:val="Normal"/><w:qFormat/>)"
    R"(<w:pPr><w:jc w:val="both"/></w:pPr></w:style>)"
    R"(<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableCaption"><w:name w:val="Table Caption"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>)"
    R"(<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="80" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>)"
    R"(<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableText"><w:name w:val="Table Text"/><w:basedOn w:val="Normal"/><w:qFormat/>)"
    R"(<w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>)"
    R"(<w:style w:type="paragraph" w:customStyle="1" w:styleId="TableNote"><w:name w:val="Table Note"/><w:basedOn w:val="Normal"/><w:qFormat/>)"
    R"(<w:pPr><w:spacing w:before="0" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>)"
    R"(<w:style w:type="paragraph" w:customStyle="1" w:styleId="Figure"><w:name w:val="Figure"/><w:basedOn w:val="Normal"/><w:next w:val="FigureCaption"/>)"
    R"(<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="60" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr></w:style>)"
    R"(<w:style w:type="paragraph" w:customStyle="1" w:styleId="FigureCaption"><w:name w:val="Figure Caption"/><w:basedOn w:val="Normal"/><w:qFormat/>)"
    R"(<w:pPr><w:spacing w:after="240"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>)"
    R"(<w:style w:type="paragraph" w:customStyle="1" w:styleId="Bullet"><w:name w:val="Bullet"/><w:basedOn w:val="Normal"/>)"
    R"(<w:pPr><w:spacing w:after="60"/><w:ind w:left="360" w:hanging="360"/></w:pPr></w:style>)"
    R"(</w:styles>)";

/// word/styles.xml in the font and size of `s`: the font replaces Times New Roman, and
/// every size moves with the body text's (Title +5 pt, Heading1 +2, table text, captions
/// and the meta line -1, table notes -3: 16/13/11/10/8 pt at the default 11).
inline std::string styles_xml(const DocumentStyle& s) {
  std::string font;
  for (char c : s.font) {
    switch (c) {
      case '&': font += "&amp;"; break;
      case '<': font += "&lt;"; break;
      case '>': font += "&gt;"; break;
      case '"': font += "&quot;"; break;
      default: font += c;
    }
  }
  const int body = static_cast<int>(std::lround(2 * s.font_size));  // half-points
  std::string xml(kStylesXml);
  const auto replace_all = [&](std::string_view from, const std::string& to) {
    std::string out;
    out.reserve(xml.size());
    std::size_t start = 0;
    for (std::size_t p; (p = xml.find(from, start)) != std::string::npos; start = p + from.size()) {
      out.append(xml, start, p - start);
      out += to;
    }
    out.append(xml, start, std::string::npos);
    xml.swap(out);
  };
  replace_all("\"Times New Roman\"", "\"" + font + "\"");
  // Each default size (half-points) and its offset from the body text's 22.
  for (const auto& [size, offset] : {std::pair{32, 10}, {26, 4}, {22, 0}, {20, -2}, {16, -6}}) {
    const std::string to = std::to_string(std::max(body + offset, 6));
    replace_all("<w:sz w:val=\"" + std::to_string(size) + "\"/><w:szCs w:val=\"" + std::to_string(size) + "\"/>",
                "<w:sz w:val=\"#" + to + "\"/><w:szCs w:val=\"#" + to + "\"/>");
  }
  replace_all("w:val=\"#", "w:val=\"");  // the marks keep a new size from being replaced again
  return xml;
}

/// word/settings.xml: Word 2013+ layout (no compatibility mode).
inline constexpr std::string_view kSettingsXml =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)"
    "\r\n"
    R"(<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">)"
    R"(<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>)"
    R"(<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>)"
    R"(</w:settings>)";

}  // namespace survkit::render::docx
