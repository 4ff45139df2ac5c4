// survkit::data (xlsx): what a sheet's cells need from the rest of the workbook.
#pragma once

#include <pugixml.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "data/xlsx/zip_entry.hpp"

namespace survkit::data::xlsx {

struct Workbook {
  std::string sheet_name;            ///< the chosen sheet
  std::string sheet_part;            ///< its zip entry, e.g. "xl/worksheets/sheet1.xml"
  bool date1904 = false;             ///< the 1904 date system
  std::vector<std::string> shared;   ///< the shared strings, by index
  std::vector<std::uint8_t> date_style;  ///< per cell style (cellXfs index): 1 = a date format
};

/// Finds `sheet` (or the first sheet when empty) and reads the shared strings and the
/// styles.  Throws InputError naming the file (and the sheets there are, for a missing one).
Workbook open_workbook(const ZipArchive& zip, const std::string& path, const std::string& sheet);

/// The element's name without a namespace prefix ("x:row" -> "row").
inline std::string_view local_name(const pugi::xml_node& n) {
  std::string_view s = n.name();
  const auto colon = s.find(':');
  return colon == std::string_view::npos ? s : s.substr(colon + 1);
}

/// The text of a shared string <si> or an inline string <is>: its <t>, or the <t> of
/// each rich-text run (phonetic runs <rPh> are not part of the text).
std::string string_item(const pugi::xml_node& item);

/// True when the number format `code` (an Excel format string) shows a date.
bool is_date_format(std::string_view code);

}  // namespace survkit::data::xlsx
