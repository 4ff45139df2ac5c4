// load_data: the one place that turns a data file's name into a Table, for every command
// and the study.  The reader is chosen by extension; the first bytes of the file are
// checked against it first, so that a misnamed file gets a message saying what it is
// rather than a parser's complaint.
#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "data/levels.hpp"
#include "data/readstat/stat_file.hpp"
#include "data/xlsx/xlsx.hpp"
#include "survkit/common.hpp"
#include "survkit/io.hpp"

namespace survkit {

namespace {

enum class Content { Text, Empty, Zip, Cfb, Sav, EncryptedSav, Por, Dta, Sas7bdat, Xport };

const char* describe(Content c) {
  switch (c) {
    case Content::Text: return "text (such as CSV)";
    case Content::Empty: return "empty";
    case Content::Zip: return "a zip archive (such as an .xlsx workbook)";
    case Content::Cfb: return "an encrypted (password-protected) workbook or an old binary .xls/.doc file";
    case Content::Sav: return "an SPSS .sav file";
    case Content::EncryptedSav: return "an encrypted SPSS .sav file";
    case Content::Por: return "an SPSS portable (.por) file";
    case Content::Dta: return "a Stata .dta file";
    case Content::Sas7bdat: return "a SAS .sas7bdat file";
    case Content::Xport: return "a SAS transport (.xpt) file";
  }
  return "";
}

// What the first bytes of the file say it is.
Content sniff(std::string_view head) {
  auto starts = [&](std::string_view magic) { return head.starts_with(magic); };
  if (head.empty()) return Content::Empty;
  if (starts("PK\x03\x04")) return Content::Zip;
  if (starts(std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))) return Content::Cfb;
  if (head.substr(0, 64).find("ENCRYPTEDSAV") != std::string_view::npos) return Content::EncryptedSav;
  if (starts("$FL2") || starts("$FL3")) return Content::Sav;
  if (starts("<stata_dta>")) return Content::Dta;
  // Stata 102-115: format byte, byte order 1 (MSF) or 2 (LSF), file type 1.
  if (head.size() >= 4 && static_cast<unsigned char>(head[0]) >= 102 && static_cast<unsigned char>(head[0]) <= 115 &&
      (head[1] == 1 || head[1] == 2) && head[2] == 1)
    return Content::Dta;
  if (head.size() >= 16 && head.substr(12, 4) == std::string_view("\xC2\xEA\x81\x60", 4)) return Content::Sas7bdat;
  if (starts("HEADER RECORD*******LIB")) return Content::Xport;
  if (head.find("SPSSPORT") != std::string_view::npos) return Content::Por;
  return Content::Text;
}

std::string read_head(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw IoError(fmt::format("cannot read '{}': it is a folder, not a file", path));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
  if (!f) throw IoError(fmt::format("cannot open '{}': {}", path, std::strerror(errno)));
  std::string head(512, '\0');
  head.resize(std::fread(head.data(), 1, head.size(), f.get()));
  return head;
}

std::string lower_extension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

[[noreturn]] void mismatch(const std::string& path, const std::string& ext, const char* expected, Content found) {
  throw InputError(fmt::format("{}: the extension {} says {}, but the file is {}; rename the file or export it again "
                               "in the format its name says",
                               path, ext, expected, describe(found)),
                   path);
}

Table read_typed(const std::string& path, const std::string& ext, const LoadOptions& options) {
  using data::StatFormat;
  const Content content = sniff(read_head(path));
  if (content == Content::Empty) throw InputError(path + ": the file is empty", path);
  if (ext == ".xlsx" || ext == ".xlsm") {
    if (content == Content::Cfb)
      throw InputError(path + ": the workbook is encrypted (password-protected) or is an old .xls saved under an "
                              ".xlsx name; save an unencrypted .xlsx copy",
                       path);
    if (content != Content::Zip) mismatch(path, ext, "an Excel workbook", content);
    return data::read_xlsx(path, options.sheet);
  }
  if (!options.sheet.empty())
    throw InputError(path + ": a sheet ('" + options.sheet + "') can only be chosen in an .xlsx workbook", path);
  if (ext == ".sav" || ext == ".zsav") {
    if (content == Content::EncryptedSav)
      throw InputError(path + ": the SPSS file is encrypted (password-protected); save an unencrypted copy", path);
    if (content != Content::Sav) mismatch(path, ext, "an SPSS data file", content);
    return data::read_stat_file(path, StatFormat::Sav);
  }
  if (ext == ".por") {
    if (content != Content::Por && content != Content::Text) mismatch(path, ext, "an SPSS portable file", content);
    return data::read_stat_file(path, StatFormat::Por);
  }
  if (ext == ".dta") {
    if (content != Content::Dta) mismatch(path, ext, "a Stata data file", content);
    return data::read_stat_file(path, StatFormat::Dta);
  }
  if (ext == ".sas7bdat") {
    if (content != Content::Sas7bdat) mismatch(path, ext, "a SAS data file", content);
    return data::read_stat_file(path, StatFormat::Sas7bdat);
  }
  if (content != Content::Xport) mismatch(path, ext, "a SAS transport file", content);
  // A transport file has no row count: a cut inside a record is seen here (it is always
  // a whole number of 80-byte records); a cut exactly between records cannot be seen.
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size % 80 != 0)
    throw InputError(fmt::format("{}: a truncated SAS transport file: {} bytes is not a whole number of its 80-byte "
                                 "records (the last record is cut after byte {})",
                                 path, size, size - size % 80),
                     path);
  return data::read_stat_file(path, StatFormat::Xport);
}

}  // namespace

Table load_data(const std::string& path, const LoadOptions& options) {
  const std::string ext = lower_extension(path);
  static constexpr std::string_view kTyped[] = {".xlsx", ".xlsm", ".sav", ".zsav", ".por", ".dta", ".sas7bdat", ".xpt"};
  if (ext == ".xls")
    throw InputError(path + ": old binary Excel (.xls) workbooks are not read; save the sheet as .xlsx (or CSV)", path);
  if (std::find(std::begin(kTyped), std::end(kTyped), ext) != std::end(kTyped)) {
    Table t = read_typed(path, ext, options);
    data::force_factors(t, options.factor_columns);
    return t;
  }
  if (!options.sheet.empty())
    throw InputError(path + ": a sheet ('" + options.sheet + "') can only be chosen in an .xlsx workbook", path);
  // CSV (any other name, also pipes such as /dev/stdin): reject the typed formats.
  std::error_code ec;
  if (std::filesystem::is_regular_file(path, ec)) {
    const Content content = sniff(read_head(path));
    if (content != Content::Text && content != Content::Empty)
      throw InputError(fmt::format("{}: read as CSV text (by its name), but the file is {}; give it the extension of "
                                   "its format (.xlsx, .sav, .dta, .sas7bdat, .xpt, ...)",
                                   path, describe(content)),
                       path);
  }
  return load_table(path, options.factor_columns);
}

}  // namespace survkit
