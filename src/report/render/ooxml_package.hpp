// Internal to src/report/render: the container of an Office Open XML file (report.docx).
//
// An OOXML package is a zip archive of parts (ISO/IEC 29500-2).  zip_package() writes it
// with libzip, in memory, deterministically: the parts in the given order, every entry
// deflated with the fixed DOS time 1980-01-01 00:00, so the same parts give the same
// bytes on every run.  xml_part() serialises a pugixml document as a part (UTF-8, with
// the standalone declaration Office writes, no indentation).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

namespace survkit::render::ooxml {

struct Part {
  std::string name;     ///< path inside the archive, e.g. "word/document.xml"
  std::string content;  ///< the bytes
};

/// The zip archive of `parts`, in order.  Throws survkit::Error if libzip fails.
std::string zip_package(const std::vector<Part>& parts);

/// `doc` as the text of a part: the XML declaration (standalone="yes") and the tree
/// without added whitespace.
std::string xml_part(const pugi::xml_document& doc);

/// Text for an XML node: drops the characters XML 1.0 forbids (C0 controls other than
/// tab, line feed and carriage return), which a Word document must not contain.  The
/// input is UTF-8; bytes above 0x7F are passed through.
std::string xml_safe(std::string_view text);

/// Pixel size of a PNG image (from its IHDR chunk).  Throws survkit::Error when the
/// bytes are not a PNG.
struct PixelSize {
  std::uint32_t width = 0, height = 0;
};
PixelSize png_size(std::string_view png);

}  // namespace survkit::render::ooxml
