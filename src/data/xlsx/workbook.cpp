// open_workbook: _rels/.rels -> the workbook part -> its sheets and their relationships,
// then xl/sharedStrings.xml and xl/styles.xml when present.
#include "data/xlsx/workbook.hpp"

#include <cctype>

#include "survkit/common.hpp"
#include "survkit/format.hpp"

namespace survkit::data::xlsx {

namespace {

pugi::xml_node child(const pugi::xml_node& n, std::string_view name) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local_name(c) == name) return c;
  return {};
}

pugi::xml_document parse_part(const ZipArchive& zip, const std::string& path, const std::string& part) {
  const std::string text = zip.read(part);
  pugi::xml_document doc;
  const pugi::xml_parse_result ok = doc.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!ok)
    throw InputError(path + ": a damaged .xlsx workbook: part " + part + " is not valid XML (" + ok.description() +
                         " at byte " + std::to_string(ok.offset) + ")",
                     path);
  return doc;
}

// The folder of a part ("xl/workbook.xml" -> "xl/") and a relationship target resolved
// against it ("worksheets/sheet1.xml" -> "xl/worksheets/sheet1.xml", "/xl/x.xml" -> "xl/x.xml").
std::string resolve(const std::string& from_part, const std::string& target) {
  if (!target.empty() && target[0] == '/') return target.substr(1);
  const auto slash = from_part.rfind('/');
  std::string base = slash == std::string::npos ? std::string() : from_part.substr(0, slash + 1);
  std::string t = target;
  while (t.starts_with("../")) {
    t.erase(0, 3);
    if (!base.empty()) base.pop_back();
    const auto up = base.rfind('/');
    base = up == std::string::npos ? std::string() : base.substr(0, up + 1);
  }
  return base + t;
}

std::string rels_of(const std::string& part) {
  const auto slash = part.rfind('/');
  const std::string dir = slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
  return dir + "_rels/" + part.substr(slash == std::string::npos ? 0 : slash + 1) + ".rels";
}

std::string workbook_part(const ZipArchive& zip, const std::string& path) {
  if (zip.has("_rels/.rels")) {
    const pugi::xml_document rels = parse_part(zip, path, "_rels/.rels");
    for (pugi::xml_node r = child(rels, "Relationships").first_child(); r; r = r.next_sibling())
      if (std::string_view(r.attribute("Type").value()).ends_with("/officeDocument"))
        return resolve("", r.attribute("Target").value());
  }
  if (zip.has("xl/workbook.xml")) return "xl/workbook.xml";
  throw InputError(path + ": not an .xlsx workbook: the zip archive holds no workbook (is it a .docx or another "
                          "zip file?)",
                   path);
}

void read_styles(const ZipArchive& zip, const std::string& path, const std::string& part, Workbook& wb) {
  const pugi::xml_document doc = parse_part(zip, path, part);
  const pugi::xml_node sheet = child(doc, "styleSheet");
  std::vector<std::pair<unsigned, bool>> custom;
  for (pugi::xml_node f = child(child(sheet, "numFmts"), "numFmt"); f; f = f.next_sibling())
    custom.emplace_back(f.attribute("numFmtId").as_uint(), is_date_format(f.attribute("formatCode").value()));
  auto is_date_id = [&](unsigned id) {
    for (const auto& [cid, date] : custom)
      if (cid == id) return date;
    // Built-in formats: 14-17 and 22 are dates (22 with a time), 27-36 and 50-58 are
    // the East Asian date formats; 18-21 and 45-47 are times of day, not dates.
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58);
  };
  for (pugi::xml_node xf = child(child(sheet, "cellXfs"), "xf"); xf; xf = xf.next_sibling())
    if (local_name(xf) == "xf") wb.date_style.push_back(is_date_id(xf.attribute("numFmtId").as_uint()) ? 1 : 0);
}

}  // namespace

std::string string_item(const pugi::xml_node& si) {
  std::string out;
  for (pugi::xml_node c = si.first_child(); c; c = c.next_sibling()) {
    const std::string_view name = local_name(c);
    if (name == "t") out += c.text().get();
    else if (name == "r") out += child(c, "t").text().get();
  }
  return out;
}

bool is_date_format(std::string_view code) {
  // Only the first section (positive numbers) counts; quoted text, escaped characters
  // and [...] (colours, conditions, locales, elapsed [h]) are not format letters.
  bool in_quote = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (in_quote) {
      in_quote = c != '"';
      continue;
    }
    if (c == '"') in_quote = true;
    else if (c == '\\' || c == '_' || c == '*') ++i;
    else if (c == '[') {
      const auto close = code.find(']', i);
      if (close == std::string_view::npos) return false;
      i = close;
    } else if (c == ';') return false;
    else if (c == 'd' || c == 'D' || c == 'y' || c == 'Y') return true;
  }
  return false;
}

Workbook open_workbook(const ZipArchive& zip, const std::string& path, const std::string& sheet) {
  Workbook wb;
  const std::string part = workbook_part(zip, path);
  const pugi::xml_document doc = parse_part(zip, path, part);
  const pugi::xml_node workbook = child(doc, "workbook");
  const std::string_view d1904 = child(workbook, "workbookPr").attribute("date1904").value();
  wb.date1904 = d1904 == "1" || d1904 == "true";

  std::vector<std::string> names;
  std::string rid;
  for (pugi::xml_node s = child(child(workbook, "sheets"), "sheet"); s; s = s.next_sibling()) {
    if (local_name(s) != "sheet") continue;
    names.emplace_back(s.attribute("name").value());
    if (rid.empty() && (sheet.empty() || names.back() == sheet)) {
      wb.sheet_name = names.back();
      for (pugi::xml_attribute a = s.first_attribute(); a; a = a.next_attribute())
        if (std::string_view(a.name()).ends_with(":id")) rid = a.value();
    }
  }
  if (names.empty()) throw InputError(path + ": the workbook has no sheets", path);
  if (wb.sheet_name.empty()) {
    std::vector<std::string> quoted;
    for (const auto& n : names) quoted.push_back("'" + n + "'");
    throw InputError(path + ": no sheet named '" + sheet + "'; the sheets are: " + join(quoted), path);
  }
  const std::string rels = rels_of(part);
  if (zip.has(rels)) {
    const pugi::xml_document rdoc = parse_part(zip, path, rels);
    for (pugi::xml_node r = child(rdoc, "Relationships").first_child(); r; r = r.next_sibling()) {
      const std::string_view type = r.attribute("Type").value();
      const std::string target = resolve(part, r.attribute("Target").value());
      if (r.attribute("Id").value() == rid) wb.sheet_part = target;
      else if (type.ends_with("/sharedStrings") && zip.has(target)) {
        const pugi::xml_document ss = parse_part(zip, path, target);
        for (pugi::xml_node si = child(child(ss, "sst"), "si"); si; si = si.next_sibling())
          if (local_name(si) == "si") wb.shared.push_back(string_item(si));
      } else if (type.ends_with("/styles") && zip.has(target)) {
        read_styles(zip, path, target, wb);
      }
    }
  }
  if (wb.sheet_part.empty() || !zip.has(wb.sheet_part))
    throw InputError(path + ", sheet " + wb.sheet_name + ": the sheet's part is missing from the workbook (" +
                         (wb.sheet_part.empty() ? "no relationship " + rid : wb.sheet_part) + ")",
                     path);
  return wb;
}

}  // namespace survkit::data::xlsx
