// The data-file readers (issue 9 §1): SPSS, Stata and SAS files written by R's haven
// (tests/data/formats/make_formats.R) and .xlsx workbooks written by openpyxl and by
// LibreOffice (make_xlsx.py, make_xlsx_libreoffice.sh) against the CSV they were made
// from, the metadata (value labels, variable labels, dates, missing codes), the sheet
// layouts, and every bad input (exit 3/4 classes, never a crash).  Exact comparisons:
// every value is the same double or text on both sides, no tolerance.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "data/number.hpp"
#include "report/render/ooxml_package.hpp"
#include "study/dates.hpp"
#include "study/data_labels.hpp"
#include "survkit/io.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace survkit;
namespace fs = std::filesystem;

const std::string kDir = std::string(SURVKIT_TEST_DATA_DIR) + "/formats/";

double day(const char* iso) { return static_cast<double>(*study::parse_date(iso, "%Y-%m-%d")); }

// A cell as the CSV spells it: dates in ISO form, labelled columns by label.
std::string cell(const Column& c, std::size_t r) {
  if (c.missing(r)) return "";
  if (c.date) return study::format_iso_date(static_cast<std::int64_t>(c.values[r]));
  return c.text(r);
}

std::size_t missing_count(const Column& c) {
  std::size_t n = 0;
  for (std::size_t r = 0; r < (c.numeric() ? c.values.size() : c.codes.size()); ++r) n += c.missing(r);
  return n;
}

// Every column and cell of `t` equals the CSV's (dates compared as days).
void expect_same_as_csv(const Table& t, const std::string& name) {
  const Table csv = load_data(kDir + "patients.csv", {});
  ASSERT_EQ(t.nrows, csv.nrows) << name;
  ASSERT_EQ(t.columns.size(), csv.columns.size()) << name;
  std::size_t compared = 0;
  for (const Column& want : csv.columns) {
    const Column* got = t.find(want.name);
    ASSERT_NE(got, nullptr) << name << ": column " << want.name;
    // os_status holds 0/1 in the CSV and 0 = "alive", 1 = "dead" in SPSS and Stata: the
    // code is compared there.
    const bool by_code = !got->level_codes.empty() && got->levels != got->level_codes && want.numeric();
    for (std::size_t r = 0; r < csv.nrows; ++r, ++compared) {
      const std::string value =
          by_code && !got->missing(r) ? got->level_codes[static_cast<std::size_t>(got->codes[r])] : cell(*got, r);
      ASSERT_EQ(value, want.text(r)) << name << ": column " << want.name << ", row " << r + 1;
    }
  }
  EXPECT_EQ(compared, csv.nrows * csv.columns.size());
}

TEST(Readers, SpssLabelsMissingAndDates) {
  for (const char* file : {"patients.sav", "patients.zsav"}) {
    const Table t = load_data(kDir + file, {});
    SCOPED_TRACE(file);
    ASSERT_EQ(t.nrows, 127u);
    const Column& sex = t.column("sex");
    EXPECT_EQ(sex.levels, (std::vector<std::string>{"female", "male"}));
    EXPECT_EQ(sex.level_codes, (std::vector<std::string>{"1", "2"}));
    EXPECT_EQ(sex.label, "Sex");
    // Levels follow the codes (1 = low), not the byte order of the labels.
    EXPECT_EQ(t.column("grade").levels, (std::vector<std::string>{"low", "intermediate", "high"}));
    EXPECT_EQ(missing_count(t.column("cea_ng_ml")), 3u);  // user-missing 9999
    EXPECT_EQ(missing_count(t.column("ecog")), 2u);       // user-missing range 8-9
    EXPECT_EQ(t.column("cea_ng_ml").label, "CEA (ng/mL)");
    const Column& birth = t.column("birth_date");
    EXPECT_TRUE(birth.date);
    EXPECT_EQ(birth.values[0], day("1955-03-01"));
    const Column& last = t.column("last_followup_date");  // a DATETIME at 10:30
    EXPECT_TRUE(last.date);
    EXPECT_EQ(last.values[0], day("2009-02-01"));
    expect_same_as_csv(t, file);
  }
}

TEST(Readers, StataLabelsExtendedMissingAndDates) {
  const Table t = load_data(kDir + "patients.dta", {});
  EXPECT_EQ(t.column("treatment").levels, (std::vector<std::string>{"chemo", "local+chemo", "none"}));
  EXPECT_EQ(t.column("os_status").level_codes, (std::vector<std::string>{"0", "1"}));
  EXPECT_EQ(missing_count(t.column("cea_ng_ml")), 3u);  // .a
  EXPECT_EQ(missing_count(t.column("ecog")), 2u);       // .b
  EXPECT_TRUE(t.column("pm_diagnosis_date").date);
  EXPECT_TRUE(t.column("last_followup_date").date);  // %tc
  expect_same_as_csv(t, "patients.dta");
}

TEST(Readers, SasTransportAndSas7bdat) {
  for (const char* file : {"patients.xpt", "patients.sas7bdat"}) {
    SCOPED_TRACE(file);
    const Table t = load_data(kDir + file, {});
    EXPECT_EQ(missing_count(t.column("cea_ng_ml")), 3u);  // .A
    EXPECT_TRUE(t.column("death_date").date);
    EXPECT_TRUE(t.column("last_followup_date").date);  // DATETIME
    expect_same_as_csv(t, file);
  }
}

TEST(Readers, XlsxFromOpenpyxlAndLibreOffice) {
  for (const char* file : {"patients_openpyxl.xlsx", "patients_libreoffice.xlsx"}) {
    SCOPED_TRACE(file);
    const Table t = load_data(kDir + file, {});
    EXPECT_TRUE(t.column("birth_date").date);
    EXPECT_FALSE(t.column("sex").numeric());
    expect_same_as_csv(t, file);
  }
  const Table other = load_data(kDir + "patients_openpyxl.xlsx", {.sheet = "Other"});
  EXPECT_EQ(other.source, kDir + "patients_openpyxl.xlsx, sheet Other");
  ASSERT_EQ(other.nrows, 1u);
  EXPECT_EQ(other.column("y").text(0), "a");
}

TEST(Readers, XlsxCellKindsAndLayout) {
  for (const char* file : {"edge.xlsx", "edge1904.xlsx"}) {
    SCOPED_TRACE(file);
    const Table t = load_data(kDir + file, {});
    // Styled empty trailing rows 7-11 and column J are ignored; blank row 5 is kept.
    ASSERT_EQ(t.nrows, 5u);
    std::vector<std::string> names;
    for (const auto& c : t.columns) names.push_back(c.name);
    EXPECT_EQ(names, (std::vector<std::string>{"id", "blood pressure", "blood pressure_2", "when", "flag", "lab",
                                               "coded"}));
    const Column& when = t.column("when");
    ASSERT_TRUE(when.date);
    EXPECT_EQ(when.values[0], day("2020-02-29"));  // 13:45 dropped
    EXPECT_EQ(when.values[1], day("1999-12-31"));
    EXPECT_EQ(when.values[2], 0.0);                // 1970-01-01
    EXPECT_TRUE(std::isnan(when.values[3]));       // the blank row
    EXPECT_EQ(when.values[4], day("2001-01-01"));
    const Column& flag = t.column("flag");
    EXPECT_EQ(flag.levels, (std::vector<std::string>{"FALSE", "TRUE"}));
    const Column& lab = t.column("lab");  // #N/A and #DIV/0! are missing
    ASSERT_TRUE(lab.numeric());
    EXPECT_TRUE(std::isnan(lab.values[0]));
    EXPECT_EQ(lab.values[1], 4.5);
    EXPECT_TRUE(std::isnan(lab.values[2]));
    const Column& coded = t.column("coded");  // numbers stored as text: the CSV rule
    ASSERT_TRUE(coded.numeric());
    EXPECT_EQ(coded.values[2], 9.0);
    EXPECT_TRUE(std::isnan(t.column("blood pressure").values[2]));
    EXPECT_EQ(t.column("blood pressure_2").values[2], 90.0);
    EXPECT_EQ(t.line(1), 3u);  // table row 2 is sheet row 3
  }
}

TEST(Readers, VariableLabelsNameUnlabelledStudyVariables) {
  const Table t = load_data(kDir + "patients.sav", {});
  StudySpec spec;
  VariableSpec cea;
  cea.name = cea.label = "cea";
  cea.from = {"cea_ng_ml", 1};
  VariableSpec sex = cea;
  sex.name = "sex";
  sex.label = "Gender";
  sex.label_given = true;
  sex.from = {"gender", 1};
  spec.renames.emplace_back(SpecName{"sex", 1}, "gender");
  spec.variables = {cea, sex};
  const StudySpec out = study::with_data_labels(spec, t);
  EXPECT_EQ(out.variables[0].label, "CEA (ng/mL)");
  EXPECT_EQ(out.variables[1].label, "Gender");  // written in the spec: kept
}

// ---- bad input

// The test process's scratch folder, removed at exit.
const fs::path& scratch_dir() {
  static const test_support::TempDir dir("survkit-readers");
  return dir.path;
}

std::string temp_copy(const std::string& from, const std::string& name, std::size_t bytes = std::string::npos) {
  const fs::path& dir = scratch_dir();
  std::ifstream in(kDir + from, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes < data.size()) data.resize(bytes);
  const std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << data;
  return path;
}

std::string temp_file(const std::string& name, const std::string& content) {
  const fs::path& dir = scratch_dir();
  const std::string path = (dir / name).string();
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

// The InputError message of loading `path`, or "" when there is none.
std::string input_error(const std::string& path, const LoadOptions& options = {}) {
  try {
    load_data(path, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// A one-sheet workbook whose sheet is `rows` (the <row> elements, each '@' standing for
// `prefix`): every element of the sheet is written with `prefix`, "" or "x:" (as .NET's
// Open XML SDK writes them).
std::string workbook_with(const std::string& prefix, const std::string& text) {
  const std::string ns = "http://schemas.openxmlformats.org/", main = ns + "spreadsheetml/2006/main",
                    rel = ns + "officeDocument/2006/relationships";
  const std::string x = prefix.empty() ? "" : ":" + prefix.substr(0, prefix.size() - 1);
  std::string rows;
  for (char ch : text) ch == '@' ? rows += prefix : rows += ch;
  using survkit::render::ooxml::Part;
  return survkit::render::ooxml::zip_package({
      Part{"_rels/.rels", "<Relationships xmlns=\"" + ns + "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" +
                              rel + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
      Part{"xl/workbook.xml", "<workbook xmlns=\"" + main + "\" xmlns:r=\"" + rel +
                                  "\"><sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
      Part{"xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"" + ns +
                                             "package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"" + rel +
                                             "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"},
      Part{"xl/worksheets/sheet1.xml", "<" + prefix + "worksheet xmlns" + x + "=\"" + main + "\"><" + prefix + "sheetData>" +
                                           rows + "</" + prefix + "sheetData></" + prefix + "worksheet>"}});
}

// Inline strings as spreadsheet programs write them: a rich-text one (two runs, or one
// formatted run) and a plain one of the same text are one level, and so is a formula's text result
// (t="str"); a phonetic run (<rPh>) is not part of the text; escapes are decoded; a
// number stored as inline text keeps its column numeric.  With and without a namespace
// prefix on the sheet's elements.
TEST(Readers, XlsxInlineStringsAndPrefixedElements) {
  const std::string rows =
      R"(<@row r="1"><@c r="A1" t="inlineStr"><@is><@t>word</@t></@is></@c><@c r="B1" t="inlineStr"><@is><@t>n</@t></@is></@c></@row>)"
      R"(<@row r="2"><@c r="A2" t="inlineStr"><@is><@r><@t>ab</@t></@r><@r><@t>c</@t></@r></@is></@c><@c r="B2"><@v>1</@v></@c></@row>)"
      R"(<@row r="3"><@c r="A3" t="inlineStr"><@is><@t>abc</@t></@is></@c><@c r="B3"><@v>2</@v></@c></@row>)"
      R"(<@row r="4"><@c r="A4" t="str"><@f>"ab"&amp;"c"</@f><@v>abc</@v></@c><@c r="B4"><@v>3</@v></@c></@row>)"
      R"(<@row r="5"><@c r="A5" t="inlineStr"><@is><@t>d</@t><@rPh sb="0" eb="1"><@t>DD</@t></@rPh></@is></@c><@c r="B5"><@v>4</@v></@c></@row>)"
      R"(<@row r="6"><@c r="A6" t="inlineStr"><@is><@t xml:space="preserve">a&amp;b</@t></@is></@c><@c r="B6" t="inlineStr"><@is><@t>5</@t></@is></@c></@row>)"
      R"(<@row r="7"><@c r="A7" t="inlineStr"><@is><@r><@rPr><@b/></@rPr><@t>d</@t></@r></@is></@c><@c r="B7"><@v>6</@v></@c></@row>)";
  for (const std::string prefix : {"", "x:"}) {
    SCOPED_TRACE("prefix '" + prefix + "'");
    const Table t = load_data(temp_file("inline" + std::to_string(prefix.size()) + ".xlsx", workbook_with(prefix, rows)), {});
    ASSERT_EQ(t.nrows, 6u);
    const Column& word = t.column("word");
    ASSERT_FALSE(word.numeric());
    EXPECT_EQ(word.levels, (std::vector<std::string>{"a&b", "abc", "d"}));
    EXPECT_EQ(word.codes, (std::vector<std::int32_t>{1, 1, 1, 2, 0, 2}));
    const Column& n = t.column("n");
    ASSERT_TRUE(n.numeric());
    EXPECT_EQ(n.values, (std::vector<double>{1, 2, 3, 4, 5, 6}));
  }
}

// More distinct inline texts than the reader's cache of recent texts (4096 slots), each
// twice, far apart: a text stored twice is still one level, and every cell keeps its text.
TEST(Readers, XlsxManyDistinctInlineStrings) {
  constexpr int kDistinct = 5000;
  std::string rows = R"(<@row r="1"><@c r="A1" t="inlineStr"><@is><@t>id</@t></@is></@c></@row>)";
  for (int i = 0; i < 2 * kDistinct; ++i) {
    const std::string r = std::to_string(i + 2);
    rows += "<@row r=\"" + r + "\"><@c r=\"A" + r + "\" t=\"inlineStr\"><@is><@t>p" + std::to_string(i % kDistinct) +
            "</@t></@is></@c></@row>";
  }
  const Table t = load_data(temp_file("distinct.xlsx", workbook_with("", rows)), {});
  const Column& id = t.column("id");
  ASSERT_EQ(id.codes.size(), static_cast<std::size_t>(2 * kDistinct));
  EXPECT_EQ(id.levels.size(), static_cast<std::size_t>(kDistinct));
  for (int i = 0; i < 2 * kDistinct; ++i) ASSERT_EQ(id.text(i), "p" + std::to_string(i % kDistinct)) << "row " << i;
}

TEST(ReadersBadInput, WrongExtension) {
  EXPECT_NE(input_error(temp_copy("patients.sav", "sav_named.csv")).find("an SPSS .sav file"), std::string::npos);
  EXPECT_NE(input_error(temp_copy("patients.csv", "csv_named.sav")).find("the file is text"), std::string::npos);
  EXPECT_NE(input_error(temp_copy("patients_openpyxl.xlsx", "xlsx_named.dta")).find("a zip archive"),
            std::string::npos);
  EXPECT_NE(input_error(temp_copy("patients.dta", "dta_named.xlsx")).find("a Stata .dta file"), std::string::npos);
  EXPECT_NE(input_error(temp_copy("patients.xpt", "xpt_named.sas7bdat")).find("SAS transport"), std::string::npos);
  EXPECT_NE(input_error(temp_copy("patients.csv", "old.xls")).find(".xls"), std::string::npos);
  EXPECT_NE(input_error(kDir + "patients.sav", {.sheet = "Data"}).find("only be chosen in an .xlsx"),
            std::string::npos);
}

TEST(ReadersBadInput, CorruptFilesNameTheFile) {
  for (const char* file : {"patients.sav", "patients.zsav", "patients.dta", "patients.xpt", "patients.sas7bdat",
                           "patients_openpyxl.xlsx", "patients_libreoffice.xlsx"}) {
    // Cuts inside a record (a SAS transport file cut exactly between its 80-byte records
    // cannot be told from a shorter file: the format has no row count).
    for (std::size_t keep : {std::size_t{601}, std::size_t{6001}, std::size_t{20001}}) {
      const std::string name = "cut" + std::to_string(keep) + "_" + file;
      const std::string path = temp_copy(file, name);
      if (keep >= std::filesystem::file_size(path)) continue;  // the whole file
      std::filesystem::resize_file(path, keep);
      std::string message;
      try {
        load_data(path, {});
      } catch (const InputError& e) {
        message = e.what();
      }
      EXPECT_NE(message.find(name), std::string::npos) << file << " cut at " << keep << ": '" << message << "'";
    }
  }
}

TEST(ReadersBadInput, EncryptedUnsupportedAndMissing) {
  // An encrypted .xlsx is an OLE compound file (the magic of its first 8 bytes).
  const std::string cfb = temp_file("locked.xlsx", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(504, '\0'));
  EXPECT_NE(input_error(cfb).find("encrypted"), std::string::npos);
  const std::string sav = temp_file("locked.sav", std::string("\x1c\0\0\0ENCRYPTEDSAVSPSS", 20) + std::string(500, '\0'));
  EXPECT_NE(input_error(sav).find("encrypted"), std::string::npos);
  // A Stata release this ReadStat does not know.
  std::ifstream in(kDir + "patients.dta", std::ios::binary);
  std::string dta((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = dta.find("<release>");
  ASSERT_NE(at, std::string::npos);
  dta.replace(at + 9, 3, "999");
  const std::string msg = input_error(temp_file("future.dta", dta));
  EXPECT_NE(msg.find("future.dta"), std::string::npos) << msg;
  EXPECT_NE(msg.find("unsupported"), std::string::npos) << msg;
  // Sheets and cells.
  EXPECT_NE(input_error(kDir + "patients_openpyxl.xlsx", {.sheet = "Nope"})
                .find("no sheet named 'Nope'; the sheets are: 'Data', 'Other'"),
            std::string::npos);
  EXPECT_NE(input_error(kDir + "bad_header.xlsx").find("bad_header.xlsx, sheet Data, cell C1: column C has values"),
            std::string::npos);
  EXPECT_NE(input_error(kDir + "mixed_dates.xlsx").find("mixed_dates.xlsx, sheet Data, cell B3: a plain number"),
            std::string::npos);
  EXPECT_NE(input_error(temp_file("garbage.xlsx", "PK\x03\x04 this is not really a zip archive")).find("garbage.xlsx"),
            std::string::npos);
  EXPECT_THROW(load_data(kDir + "no_such_file.sav", {}), IoError);
  EXPECT_THROW(load_data(kDir + "no_such_file.xlsx", {}), IoError);
}

}  // namespace
