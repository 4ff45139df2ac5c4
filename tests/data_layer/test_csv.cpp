// parse_csv: quoting, line endings, separators, missing values, type inference, level
// order and every error case.  All expected values are exact (counts, codes, level
// strings, and numbers that are exactly representable or read by a correctly rounded
// parser, so EXPECT_EQ / EXPECT_DOUBLE_EQ with the literal is the honest check).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <survkit/table.hpp>

#include "data/number.hpp"

using survkit::Column;
using survkit::CsvOptions;
using survkit::InputError;
using survkit::parse_csv;
using survkit::Table;

namespace {

Table parse(std::string_view text, std::vector<std::string> factors = {}, std::string source = "test.csv") {
  CsvOptions o;
  o.source = std::move(source);
  o.factor_columns = std::move(factors);
  return parse_csv(text, o);
}

template <class F>
InputError input_error(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e;
  }
  ADD_FAILURE() << "expected an InputError";
  return InputError("none");
}

std::vector<std::string> codes_as_text(const Column& c) {
  std::vector<std::string> out;
  for (std::size_t r = 0; r < c.codes.size(); ++r) out.push_back(c.missing(r) ? "<NA>" : c.levels[c.codes[r]]);
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

TEST(Csv, NumericAndTextColumns) {
  const Table t = parse("a,b\n1,x\n2.5,y\n-3,x\n");
  ASSERT_EQ(t.nrows, 3u);
  ASSERT_EQ(t.columns.size(), 2u);
  EXPECT_EQ(t.source, "test.csv");
  const Column& a = t.columns[0];
  EXPECT_EQ(a.name, "a");
  ASSERT_TRUE(a.numeric());
  EXPECT_EQ(a.values, (std::vector<double>{1.0, 2.5, -3.0}));
  EXPECT_TRUE(a.codes.empty());
  const Column& b = t.columns[1];
  ASSERT_FALSE(b.numeric());
  EXPECT_EQ(b.levels, (Strings{"x", "y"}));
  EXPECT_EQ(b.codes, (std::vector<std::int32_t>{0, 1, 0}));
  EXPECT_TRUE(b.values.empty());
  EXPECT_TRUE(t.row_lines.empty());
}

TEST(Csv, QuotesEscapesAndEmbeddedSeparators) {
  const Table t = parse("\"name\",\"note\",\"n\"\n\"Smith, J\",\"said \"\"hi\"\"\",\"3\"\n  \"  padded \" ,plain,\" 4 \"\n");
  ASSERT_EQ(t.nrows, 2u);
  EXPECT_EQ(t.columns[0].name, "name");
  // Quoted content is verbatim (spaces inside the quotes kept); spaces outside are not.
  EXPECT_EQ(codes_as_text(t.columns[0]), (Strings{"Smith, J", "  padded "}));
  EXPECT_EQ(codes_as_text(t.columns[1]), (Strings{"said \"hi\"", "plain"}));
  // Quoted numbers are numbers, as in R's read.csv.
  ASSERT_TRUE(t.columns[2].numeric());
  EXPECT_EQ(t.columns[2].values, (std::vector<double>{3.0, 4.0}));
}

TEST(Csv, EmbeddedNewlinesRecordLines) {
  const Table t = parse("id,note\n1,\"two\nlines\"\n2,plain\n3,\"three\r\nlines\r\nhere\"\n4,x\n");
  ASSERT_EQ(t.nrows, 4u);
  EXPECT_EQ(codes_as_text(t.columns[1]), (Strings{"two\nlines", "plain", "three\r\nlines\r\nhere", "x"}));
  EXPECT_EQ(t.row_lines, (std::vector<std::size_t>{2, 4, 5, 8}));
  EXPECT_EQ(t.line(3), 8u);
}

TEST(Csv, CrlfBomAndMissingFinalNewline) {
  const Table t = parse("\xEF\xBB\xBFtime,group\r\n1,a\r\n2,b");
  ASSERT_EQ(t.nrows, 2u);
  EXPECT_EQ(t.columns[0].name, "time");  // the BOM is not part of the first name
  EXPECT_EQ(t.columns[0].values, (std::vector<double>{1.0, 2.0}));
  EXPECT_EQ(t.columns[1].levels, (Strings{"a", "b"}));  // no stray '\r'
}

TEST(Csv, SeparatorDetection) {
  // ';' wins: "1,5" is then one text value, not two fields (no decimal-comma guessing).
  const Table s = parse("a;b;c\n1,5;2;3\n");
  ASSERT_EQ(s.columns.size(), 3u);
  EXPECT_FALSE(s.columns[0].numeric());
  EXPECT_EQ(s.columns[0].levels, (Strings{"1,5"}));
  const Table tab = parse("a\tb\n1\t2\n");
  ASSERT_EQ(tab.columns.size(), 2u);
  EXPECT_EQ(tab.columns[1].values, (std::vector<double>{2.0}));
  // Tie between ',' and ';' -> ','.
  const Table tie = parse("a,b;c\n1,2;3\n");
  ASSERT_EQ(tie.columns.size(), 2u);
  EXPECT_EQ(tie.columns[1].name, "b;c");
  // Separators inside quotes do not count.
  const Table q = parse("\"x;y;z\",w\n1,2\n");
  ASSERT_EQ(q.columns.size(), 2u);
  EXPECT_EQ(q.columns[0].name, "x;y;z");
  // An explicit separator overrides detection.
  CsvOptions o;
  o.separator = ';';
  const Table forced = parse_csv("a,b;c\n1,2;3\n", o);
  ASSERT_EQ(forced.columns.size(), 2u);
  EXPECT_EQ(forced.columns[0].name, "a,b");
}

TEST(Csv, MissingValues) {
  const Table t = parse("x,y\n1,a\nNA,NA\nNaN,.\n,\n 4 , b \n\"NA\",\"\"\nnan,NaN\n");
  ASSERT_EQ(t.nrows, 7u);
  const Column& x = t.columns[0];
  ASSERT_TRUE(x.numeric());
  std::size_t missing_x = 0;
  for (std::size_t r = 0; r < t.nrows; ++r) missing_x += x.missing(r);
  EXPECT_EQ(missing_x, 5u);
  EXPECT_EQ(x.values[0], 1.0);
  EXPECT_EQ(x.values[4], 4.0);
  const Column& y = t.columns[1];
  ASSERT_FALSE(y.numeric());
  EXPECT_EQ(y.levels, (Strings{"a", "b"}));  // " b " trimmed (unquoted)
  EXPECT_EQ(y.codes, (std::vector<std::int32_t>{0, -1, -1, -1, 1, -1, -1}));
  // "na" is not a missing spelling (as in R): it makes the column text.
  const Table lower = parse("v\n1\nna\n");
  EXPECT_FALSE(lower.columns[0].numeric());
  EXPECT_EQ(lower.columns[0].levels, (Strings{"1", "na"}));
}

TEST(Csv, NumberSyntax) {
  const Table t = parse("v\n+3\n 2.5 \n1e3\n-1.5E-2\n.5\n5.\nInf\n-inf\nInfinity\n-0\n00012\n");
  const Column& v = t.columns[0];
  ASSERT_TRUE(v.numeric());
  const std::vector<double> expect{3, 2.5, 1000, -0.015, 0.5, 5, INFINITY, -INFINITY, INFINITY, -0.0, 12};
  ASSERT_EQ(v.values.size(), expect.size());
  for (std::size_t i = 0; i < expect.size(); ++i) EXPECT_EQ(v.values[i], expect[i]) << "row " << i;
  // Not numbers: a dangling exponent, hexadecimal, two signs, a thousands separator.
  for (const char* bad : {"1e", "0x10", "+-1", "--1", "1 000", "TRUE", "1.2.3"}) {
    const Table b = parse(std::string("v\n1\n") + bad + "\n");
    EXPECT_FALSE(b.columns[0].numeric()) << bad;
  }
}

TEST(Csv, InPlaceNumberPathMatchesParseNumber) {
  // Cells that are plain decimals are parsed by the tokenizer where they stand (the
  // fast path); everything else goes through the text path.  Both must give the value
  // parse_number gives for the cell's text, whatever follows the cell (separator, CR,
  // LF, end of input) and however the two kinds mix in one column.
  const std::vector<std::string> cells{"-0.341205854771123", "5.3", "0", "-0", "12345678", "1234567",
                                       "0.0233398620771741", "123456789012345678901", "1e-3", " 2.5",
                                       "+4", "7.", ".25", "NA", "", "00012.50", "-9007199254740993"};
  std::string text = "a,b,c\n";
  std::vector<std::string> a, b, c;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    a.push_back(cells[i]);
    b.push_back(cells[(i * 7 + 3) % cells.size()]);
    c.push_back(cells[(i * 5 + 1) % cells.size()]);
    text += a.back() + "," + b.back() + "," + c.back() + (i % 2 ? "\r\n" : "\n");
  }
  text.pop_back();  // the last row ends at the end of the input
  const Table t = parse(text);
  const std::vector<std::string>* expect[3] = {&a, &b, &c};
  for (int j = 0; j < 3; ++j) {
    const Column& col = t.columns[static_cast<std::size_t>(j)];
    ASSERT_TRUE(col.numeric()) << j;
    ASSERT_EQ(col.values.size(), cells.size());
    for (std::size_t r = 0; r < cells.size(); ++r) {
      const std::string cell((*expect[j])[r]);
      const std::string_view trimmed = survkit::data::trim_spaces(cell);
      if (survkit::data::is_missing_token(trimmed)) {
        EXPECT_TRUE(std::isnan(col.values[r])) << cell;
        continue;
      }
      double v = 0;
      ASSERT_TRUE(survkit::data::parse_number(trimmed, v)) << cell;
      EXPECT_EQ(std::memcmp(&v, &col.values[r], sizeof v), 0) << "column " << j << " row " << r << ": " << cell;
    }
  }
  // A forced factor refuses the fast path: its numbers keep their spelling.
  const Table f = parse("g,x\n1.50,1\n2,2\n01,3\n", {"g"});
  EXPECT_EQ(f.columns[0].levels, (Strings{"01", "1.50", "2"}));
}

TEST(Csv, LateTextKeepsOriginalSpelling) {
  // The column looks numeric for three rows; its earlier cells must keep their text
  // ("1.50", not "1.5") once "abc" turns it categorical.
  const Table t = parse("v,w\n1.50,1\n2,2\nNA,3\nabc,4\n1.50,5\n");
  const Column& v = t.columns[0];
  ASSERT_FALSE(v.numeric());
  EXPECT_EQ(v.levels, (Strings{"1.50", "2", "abc"}));
  EXPECT_EQ(v.codes, (std::vector<std::int32_t>{0, 1, -1, 2, 0}));
  EXPECT_TRUE(t.columns[1].numeric());
}

TEST(Csv, LateTextAcrossMultiLineAndBlankRows) {
  // The catch-up re-read must count rows exactly as the first pass: a record spanning
  // two lines before the switch, and (single column) blank lines meaning missing.
  const Table t = parse("v,note\n1.0,\"a\nb\"\n2,c\nx,d\n");
  EXPECT_EQ(t.columns[0].levels, (Strings{"1.0", "2", "x"}));
  EXPECT_EQ(t.columns[0].codes, (std::vector<std::int32_t>{0, 1, 2}));
  EXPECT_EQ(t.row_lines, (std::vector<std::size_t>{2, 4, 5}));
  const Table one = parse("v\n01\n\n2\nabc\n");
  EXPECT_EQ(one.columns[0].levels, (Strings{"01", "2", "abc"}));
  EXPECT_EQ(one.columns[0].codes, (std::vector<std::int32_t>{0, -1, 1, 2}));
}

TEST(Csv, TabSeparatedWithEmptyFields) {
  // With a tab separator, tabs are separators (never trimmed); spaces still are.
  const Table t = parse("a\tb\tc\n1\t\t x y \n\t2\tz\n");
  ASSERT_EQ(t.nrows, 2u);
  EXPECT_TRUE(t.columns[0].missing(1));
  EXPECT_TRUE(t.columns[1].missing(0));
  EXPECT_EQ(t.columns[1].values[1], 2.0);
  EXPECT_EQ(t.columns[2].levels, (Strings{"x y", "z"}));
}

TEST(Csv, LevelOrder) {
  // Text: byte order (upper case before lower case, as sort() in the C locale).
  const Table text = parse("g\nb\nB\na\nb\n");
  EXPECT_EQ(text.columns[0].levels, (Strings{"B", "a", "b"}));
  EXPECT_EQ(text.columns[0].codes, (std::vector<std::int32_t>{2, 0, 1, 2}));
  // Forced factor of numbers: by value (byte order would put "10" before "2.5").
  const Table num = parse("g,x\n10,1\n9,2\n2.5,3\n10,4\n-1,5\n", {"g"});
  const Column& g = num.columns[0];
  ASSERT_FALSE(g.numeric());
  EXPECT_EQ(g.levels, (Strings{"-1", "2.5", "9", "10"}));
  EXPECT_EQ(g.codes, (std::vector<std::int32_t>{3, 2, 1, 3, 0}));
  EXPECT_TRUE(num.columns[1].numeric());
}

TEST(Csv, BlankLines) {
  // Trailing blank lines (also with spaces or CRLF) are ignored.
  const Table t = parse("a,b\n1,2\n3,4\n\n  \r\n\n");
  EXPECT_EQ(t.nrows, 2u);
  EXPECT_TRUE(t.row_lines.empty());
  // In a single-column file a blank line in the middle is a missing value.
  const Table one = parse("a\n1\n\n3\n\n");
  ASSERT_EQ(one.nrows, 3u);
  EXPECT_TRUE(one.columns[0].missing(1));
  EXPECT_EQ(one.columns[0].values[2], 3.0);
  // Blank lines before the header are skipped; rows then record their real lines.
  const Table lead = parse("\n\na,b\n1,2\n");
  ASSERT_EQ(lead.nrows, 1u);
  EXPECT_EQ(lead.line(0), 4u);
}

TEST(Csv, HeaderOnly) {
  const Table t = parse("a,b\n");
  EXPECT_EQ(t.nrows, 0u);
  ASSERT_EQ(t.columns.size(), 2u);
  EXPECT_TRUE(t.columns[0].values.empty());
}

TEST(Csv, ColumnTextAndLookup) {
  const Table t = parse("x,g\n1.5,a\n100000,b\nInf,NA\nNA,a\n0.1,a\n");
  const Column& x = t.columns[0];
  EXPECT_EQ(x.text(0), "1.5");
  EXPECT_EQ(x.text(1), "1e+05");  // R prints 1e+05 too
  EXPECT_EQ(x.text(2), "Inf");
  EXPECT_EQ(x.text(3), "");
  EXPECT_EQ(x.text(4), "0.1");  // shortest round trip, not 0.10000000000000001
  EXPECT_EQ(t.columns[1].text(1), "b");
  EXPECT_EQ(t.columns[1].text(2), "");
  EXPECT_EQ(t.find("g"), &t.columns[1]);
  EXPECT_EQ(t.find("nope"), nullptr);
  EXPECT_EQ(&t.column("x"), &t.columns[0]);
  EXPECT_EQ(t.line(0), 2u);
  const InputError e = input_error([&] { t.column("age"); });
  EXPECT_EQ(e.file, "test.csv");
  EXPECT_EQ(e.column, "age");
  EXPECT_NE(std::string(e.what()).find("test.csv: no column named 'age'; the columns are: x, g"), std::string::npos)
      << e.what();
}

// ---- errors -------------------------------------------------------------------------

TEST(CsvErrors, EmptyInput) {
  for (const char* text : {"", "\n\n", "\xEF\xBB\xBF", "  \r\n"}) {
    const InputError e = input_error([&] { parse(text, {}, "empty.csv"); });
    EXPECT_EQ(e.file, "empty.csv");
    EXPECT_NE(std::string(e.what()).find("empty.csv: the input is empty"), std::string::npos) << e.what();
  }
}

TEST(CsvErrors, RaggedRows) {
  const std::string header = "inst,time,status,age,sex,ph.ecog,ph.karno,pat.karno,meal.cal,wt.loss\n";
  const std::string good = "3,306,2,74,1,1,90,100,1175,\n";
  std::string text = header;
  for (int i = 0; i < 15; ++i) text += good;
  text += "3,455,2,68,1,0,90,90,1225\n";  // line 17: 9 fields
  const InputError e = input_error([&] { parse(text, {}, "lung.csv"); });
  EXPECT_EQ(std::string(e.what()), "lung.csv line 17: expected 10 fields but found 9 (a ragged row)");
  EXPECT_EQ(e.file, "lung.csv");
  EXPECT_EQ(e.line, 17u);

  const InputError more = input_error([] { parse("a,b\n1,2\n3,4,5\n"); });
  EXPECT_EQ(std::string(more.what()), "test.csv line 3: expected 2 fields but found 3 (a ragged row)");
  EXPECT_EQ(more.line, 3u);

  // A blank line between rows of a multi-column file.
  const InputError blank = input_error([] { parse("a,b\n1,2\n\n3,4\n"); });
  EXPECT_EQ(std::string(blank.what()), "test.csv line 3: expected 2 fields but found an empty line (a ragged row)");
  EXPECT_EQ(blank.line, 3u);

  // Line numbers count the line breaks inside quoted fields.
  const InputError after = input_error([] { parse("a,b\n1,\"x\ny\"\n2\n"); });
  EXPECT_EQ(after.line, 4u);
}

TEST(CsvErrors, UnterminatedQuote) {
  const InputError e = input_error([] { parse("a,b\n1,2\n3,\"abc\n4,5\n"); });
  EXPECT_EQ(e.line, 3u);
  EXPECT_EQ(e.column, "b");
  EXPECT_EQ(e.value.substr(0, 4), "\"abc");
  EXPECT_NE(std::string(e.what()).find("test.csv line 3, column 'b': unterminated quote"), std::string::npos)
      << e.what();
}

TEST(CsvErrors, TextAfterClosingQuote) {
  const InputError e = input_error([] { parse("a,b\n1,\"x\"y\n"); });
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, "b");
  EXPECT_EQ(e.value, "\"x\"y");
  EXPECT_NE(std::string(e.what()).find("test.csv line 2, column 'b': unexpected text after a closing quote"),
            std::string::npos)
      << e.what();
}

TEST(CsvErrors, HeaderNames) {
  const InputError dup = input_error([] { parse("a,b,a\n1,2,3\n"); });
  EXPECT_EQ(std::string(dup.what()), "test.csv line 1: the header names column 'a' twice");
  EXPECT_EQ(dup.column, "a");
  EXPECT_EQ(dup.line, 1u);
  const InputError empty = input_error([] { parse("a,,c\n1,2,3\n"); });
  EXPECT_EQ(std::string(empty.what()), "test.csv line 1: column 2 of the header has no name");
  const InputError quoted_empty = input_error([] { parse("a,\"\"\n1,2\n"); });
  EXPECT_EQ(quoted_empty.line, 1u);
}

TEST(CsvErrors, UnknownFactorColumn) {
  const InputError e = input_error([] { parse("time,sex\n1,2\n", {"sexx"}); });
  EXPECT_EQ(e.column, "sexx");
  EXPECT_EQ(std::string(e.what()),
            "test.csv: cannot treat 'sexx' as a factor: there is no such column; the columns are: time, sex");
}

// ---- a large file ----------------------------------------------------------------------

// One million rows x 4 numeric columns (~33 MB, parsed in two parts): the sums check that
// every value was read.  Speed is measured by bench/run.sh, not by a test.
TEST(CsvLarge, MillionNumericRows) {
  const std::size_t n = 1'000'000;
  std::string text = "id,time,age,score\n";
  text.reserve(n * 34);
  double expect_time = 0, expect_score = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double time = static_cast<double>(i % 5000) + 0.25;  // exact in binary
    const double score = static_cast<double>(i % 97) * 0.5;
    expect_time += time;
    expect_score += score;
    text += std::to_string(i) + ',' + std::to_string(i % 5000) + ".25," + std::to_string(20 + i % 60) + ',' +
            std::to_string(i % 97 / 2) + (i % 97 % 2 ? ".5" : "") + '\n';
  }
  const Table t = parse(text);
  ASSERT_EQ(t.nrows, n);
  double sum_time = 0, sum_score = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sum_time += t.columns[1].values[i];
    sum_score += t.columns[3].values[i];
  }
  EXPECT_EQ(sum_time, expect_time);    // same values summed in the same order
  EXPECT_EQ(sum_score, expect_score);
}

// ---- two-part parsing (inputs of 4 MB or more without quotes use two threads) --------

namespace {

// ~6 MB of records: an integer id, a time, a group that is text only in the second half
// (row >= late_text_row), and a column that is numeric throughout.
std::string big_input(std::size_t n, std::size_t late_text_row, const std::string& eol = "\n") {
  std::string text = "id,time,grp,x" + eol;
  text.reserve(n * 40);
  for (std::size_t i = 0; i < n; ++i) {
    text += std::to_string(i) + ',' + std::to_string(i % 1000) + ".5,";
    text += i >= late_text_row && i % 7 == 0 ? "g" + std::to_string(i % 3) : std::to_string(i % 4);
    text += ",-0.0" + std::to_string(100000000000000 + i) + eol;
  }
  return text;
}

}  // namespace

TEST(CsvTwoParts, SameTableAsOnePart) {
  const std::size_t n = 200'000;
  const std::string text = big_input(n, 3 * n / 4);
  ASSERT_GT(text.size(), std::size_t{4} << 20);  // big enough for two parts
  // The same records with a quote in a comment-free cell force one thread: "1" is a
  // quoted id, read as the number 1 all the same.
  std::string one = text;
  one.replace(one.find("\n1,") + 1, 1, "\"1\"");
  ASSERT_EQ(one.find('"'), text.find("\n1,") + 1);
  const Table a = parse(text), b = parse(one);
  ASSERT_EQ(a.nrows, n);
  ASSERT_EQ(b.nrows, n);
  EXPECT_TRUE(a.row_lines.empty());
  ASSERT_EQ(a.columns.size(), 4u);
  for (std::size_t j = 0; j < 4; ++j) {
    const Column &x = a.columns[j], &y = b.columns[j];
    EXPECT_EQ(x.kind, y.kind) << x.name;
    EXPECT_EQ(x.values, y.values) << x.name;  // bit-identical numbers
    EXPECT_EQ(x.codes, y.codes) << x.name;
    EXPECT_EQ(x.levels, y.levels) << x.name;
  }
  // grp turned text in the second part: the first part's numbers keep their spelling.
  const Column& grp = a.columns[2];
  ASSERT_FALSE(grp.numeric());
  EXPECT_EQ(grp.levels, (Strings{"0", "1", "2", "3", "g0", "g1", "g2"}));
  EXPECT_EQ(grp.text(5), "1");
  EXPECT_EQ(grp.text(3 * n / 4 + 6), std::to_string((3 * n / 4 + 6) % 7 == 0 ? 99 : (3 * n / 4 + 6) % 4));
  EXPECT_EQ(a.columns[3].values[12345], -0.0100000000012345);
}

TEST(CsvTwoParts, CrlfAndRaggedRowLinesInTheSecondPart) {
  const std::size_t n = 200'000;
  std::string text = big_input(n, n, "\r\n");
  const Table t = parse(text);
  ASSERT_EQ(t.nrows, n);
  EXPECT_DOUBLE_EQ(t.columns[1].values[n - 1], static_cast<double>((n - 1) % 1000) + 0.5);
  // A ragged row near the end (data row n - 10 is on line n - 8): the error names it.
  const std::string row = "\r\n" + std::to_string(n - 10) + ",";
  const std::size_t at = text.find(row);
  ASSERT_NE(at, std::string::npos);
  text.insert(text.find("\r\n", at + 2), ",extra");
  const InputError e = input_error([&] { parse(text); });
  EXPECT_EQ(e.line, n - 8) << e.what();
}

TEST(CsvTwoParts, ReleasedRangesCoverTheDataOnce) {
  const std::size_t n = 200'000;
  const std::string text = big_input(n, n);
  CsvOptions o;
  std::mutex m;
  std::vector<std::pair<std::size_t, std::size_t>> ranges;
  o.release = [&](std::size_t offset, std::size_t length) {
    std::lock_guard<std::mutex> lock(m);
    ranges.emplace_back(offset, length);
  };
  const Table t = parse_csv(text, o);
  ASSERT_EQ(t.nrows, n);
  std::sort(ranges.begin(), ranges.end());
  ASSERT_GE(ranges.size(), 2u);
  // From the end of the header to the end of the text, without gaps or overlaps.
  std::size_t next = text.find('\n') + 1;
  for (const auto& [offset, length] : ranges) {
    EXPECT_EQ(offset, next);
    next = offset + length;
  }
  EXPECT_EQ(next, text.size());
}

TEST(CsvTwoParts, QuotedLineBreaksAtTheCutFallBackToOnePass) {
  // Equal halves around one record whose quoted text holds 300 line breaks: the middle of
  // the data, where the cut is sought, lies inside that quoted field.
  const std::size_t half = 250'000;
  std::string rows;
  for (std::size_t i = 0; i < half; ++i) rows += std::to_string(i % 10) + ",abc" + std::to_string(i % 10) + ",1.5\n";
  std::string quoted = "\"";
  for (int k = 0; k < 300; ++k) quoted += "line" + std::to_string(k) + "\n";
  quoted += "end\"";
  const std::string text = "a,b,c\n" + rows + "7," + quoted + ",2.5\n" + rows;
  ASSERT_GT(text.size(), std::size_t{4} << 20);
  const Table t = parse(text);
  ASSERT_EQ(t.nrows, 2 * half + 1);
  EXPECT_EQ(t.columns[1].text(half), quoted.substr(1, quoted.size() - 2));
  EXPECT_EQ(t.columns[2].values[half], 2.5);
  // Rows after the quoted record start 300 lines later than row + 2.
  EXPECT_EQ(t.line(half), half + 2);
  EXPECT_EQ(t.line(half + 1), half + 3 + 300);
  EXPECT_EQ(t.line(2 * half), 2 * half + 2 + 300);
  EXPECT_EQ(t.columns[1].text(2 * half), "abc9");
}
