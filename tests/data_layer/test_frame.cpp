// build_frame: event / outcome codings, complete cases, factor views, dummy coding and
// every InputError / AnalysisError.  The small tables are worked out by hand: each
// expected vector below is read off the table text (counts, codes and 0/1 dummies are
// exact, so EXPECT_EQ).
#include <gtest/gtest.h>

#include <string>

#include <survkit/frame.hpp>

using survkit::AnalysisError;
using survkit::CsvOptions;
using survkit::FactorSpec;
using survkit::FrameSpec;
using survkit::IndicatorSpec;
using survkit::InputError;
using survkit::ModelFrame;
using survkit::Table;

namespace {

using Strings = std::vector<std::string>;
using Codes = std::vector<std::int32_t>;
using Flags = std::vector<std::uint8_t>;

Table parse(std::string_view text, std::vector<std::string> factors = {}) {
  CsvOptions o;
  o.source = "cohort.csv";
  o.factor_columns = std::move(factors);
  return survkit::parse_csv(text, o);
}

FrameSpec surv_spec(std::string event = "status") {
  FrameSpec s;
  s.time = "time";
  s.event = std::move(event);
  return s;
}

template <class E, class F>
E error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  }
  ADD_FAILURE() << "expected an exception";
  return E("none");
}

std::string message(const std::exception& e) { return e.what(); }
bool contains(const std::exception& e, const std::string& part) {
  return message(e).find(part) != std::string::npos;
}

}  // namespace

// ---- specs ------------------------------------------------------------------------------

TEST(Specs, FactorSpecParse) {
  const FactorSpec a = FactorSpec::parse("sex:ref=2");
  EXPECT_EQ(a.column, "sex");
  EXPECT_EQ(a.reference, "2");
  const FactorSpec b = FactorSpec::parse(" celltype ");
  EXPECT_EQ(b.column, "celltype");
  EXPECT_EQ(b.reference, "");
  EXPECT_THROW(FactorSpec::parse("sex:ref="), InputError);
  EXPECT_THROW(FactorSpec::parse(":ref=1"), InputError);
}

TEST(Specs, IndicatorSpecParse) {
  const IndicatorSpec a = IndicatorSpec::parse("status=2");
  EXPECT_EQ(a.column, "status");
  EXPECT_EQ(a.value, "2");
  EXPECT_TRUE(a.has_value);
  const IndicatorSpec b = IndicatorSpec::parse("dead");
  EXPECT_EQ(b.column, "dead");
  EXPECT_FALSE(b.has_value);
  EXPECT_THROW(IndicatorSpec::parse("status="), InputError);
  EXPECT_THROW(IndicatorSpec::parse("=2"), InputError);
}

// ---- event codings ------------------------------------------------------------------------

TEST(Events, ZeroOne) {
  const ModelFrame f = survkit::build_frame(parse("time,status\n1,0\n2,1\n3,1\n"), surv_spec());
  EXPECT_EQ(f.surv.status, (Flags{0, 1, 1}));
  EXPECT_EQ(f.surv.time, (std::vector<double>{1, 2, 3}));
  EXPECT_FALSE(f.surv.weighted());
}

TEST(Events, OneTwoAsRSurv) {
  const ModelFrame f = survkit::build_frame(parse("time,status\n1,1\n2,2\n3,2\n"), surv_spec());
  EXPECT_EQ(f.surv.status, (Flags{0, 1, 1}));
  // Only 1s: the 0/1 reading applies first, so every row is an event.
  const ModelFrame ones = survkit::build_frame(parse("time,status\n1,1\n2,1\n"), surv_spec());
  EXPECT_EQ(ones.surv.status, (Flags{1, 1}));
}

TEST(Events, LogicalText) {
  const ModelFrame f =
      survkit::build_frame(parse("time,dead\n1,TRUE\n2,F\n3,true\n4,false\n5,T\n6,FALSE\n"), surv_spec("dead"));
  EXPECT_EQ(f.surv.status, (Flags{1, 0, 1, 0, 1, 0}));
}

TEST(Events, ColumnEqualsValue) {
  // 0 censored, 1 event of interest, 2 competing event.
  const Table t = parse("time,status\n1,0\n2,1\n3,2\n4,1\n5,0\n");
  EXPECT_EQ(survkit::build_frame(t, surv_spec("status=1")).surv.status, (Flags{0, 1, 0, 1, 0}));
  EXPECT_EQ(survkit::build_frame(t, surv_spec("status=2")).surv.status, (Flags{0, 0, 1, 0, 0}));
  // Numeric comparison for a numeric column.
  EXPECT_EQ(survkit::build_frame(t, surv_spec("status=2.0")).surv.status, (Flags{0, 0, 1, 0, 0}));
  // Text column.
  const Table txt = parse("time,state\n1,dead\n2,alive\n3,dead\n");
  EXPECT_EQ(survkit::build_frame(txt, surv_spec("state=dead")).surv.status, (Flags{1, 0, 1}));
}

TEST(Events, NoEventColumnMeansAllEvents) {
  FrameSpec s;
  s.time = "time";
  EXPECT_EQ(survkit::build_frame(parse("time\n1\n2\n"), s).surv.status, (Flags{1, 1}));
}

TEST(Events, UnrecognisedCodings) {
  // 0/1/2 without =VALUE: mixes the two codings.
  const auto mixed = error_of<InputError>(
      [] { survkit::build_frame(parse("time,status\n1,0\n2,1\n3,2\n"), surv_spec()); });
  EXPECT_EQ(mixed.line, 4u);
  EXPECT_EQ(mixed.column, "status");
  EXPECT_EQ(mixed.value, "2");
  EXPECT_TRUE(contains(mixed, "cohort.csv line 4, column 'status'")) << message(mixed);
  EXPECT_TRUE(contains(mixed, "status=2")) << message(mixed);

  const auto three = error_of<InputError>(
      [] { survkit::build_frame(parse("time,status\n1,1\n2,3\n"), surv_spec()); });
  EXPECT_EQ(three.line, 3u);
  EXPECT_EQ(three.value, "3");
  EXPECT_TRUE(contains(three, "accepted codings: 0/1")) << message(three);

  const auto word = error_of<InputError>(
      [] { survkit::build_frame(parse("time,status\n1,TRUE\n2,yes\n"), surv_spec()); });
  EXPECT_EQ(word.line, 3u);
  EXPECT_EQ(word.value, "yes");
  EXPECT_TRUE(contains(word, "TRUE/FALSE")) << message(word);

  const auto absent = error_of<InputError>(
      [] { survkit::build_frame(parse("time,status\n1,1\n2,2\n"), surv_spec("status=3")); });
  EXPECT_EQ(absent.column, "status");
  EXPECT_TRUE(contains(absent, "never has the value '3'; its values are: 1, 2")) << message(absent);

  const auto text_value = error_of<InputError>(
      [] { survkit::build_frame(parse("time,status\n1,1\n2,2\n"), surv_spec("status=dead")); });
  EXPECT_TRUE(contains(text_value, "must be a number")) << message(text_value);
}

TEST(Events, OutcomeUsesTheSameRules) {
  FrameSpec s;
  s.outcome = "treat";
  const ModelFrame f = survkit::build_frame(parse("treat,x\n1,5\n2,6\n2,NA\n"), s);
  EXPECT_EQ(f.outcome, (Flags{0, 1, 1}));
  EXPECT_TRUE(f.surv.time.empty());
  s.outcome = "arm=B";
  const ModelFrame g = survkit::build_frame(parse("arm\nA\nB\nC\nB\n"), s);
  EXPECT_EQ(g.outcome, (Flags{0, 1, 0, 1}));
}

// ---- time and weights -------------------------------------------------------------------

TEST(Values, TimeMustBeNumericAndNonNegative) {
  const auto text = error_of<InputError>(
      [] { survkit::build_frame(parse("time,status\n1,1\n2,0\nabc,1\n"), surv_spec()); });
  EXPECT_EQ(text.file, "cohort.csv");
  EXPECT_EQ(text.line, 4u);
  EXPECT_EQ(text.column, "time");
  EXPECT_EQ(text.value, "abc");
  EXPECT_EQ(message(text), "cohort.csv line 4, column 'time': the time column must hold numbers (found 'abc')");

  const auto negative = error_of<InputError>(
      [] { survkit::build_frame(parse("time,status\n1,1\n-2,0\n"), surv_spec()); });
  EXPECT_EQ(negative.line, 3u);
  EXPECT_EQ(negative.value, "-2");
  EXPECT_EQ(message(negative), "cohort.csv line 3, column 'time': survival times must be >= 0 (found '-2')");

  const auto inf = error_of<InputError>(
      [] { survkit::build_frame(parse("time,status\n1,1\nInf,0\n"), surv_spec()); });
  EXPECT_EQ(inf.value, "Inf");
}

TEST(Values, Weights) {
  FrameSpec s = surv_spec();
  s.weights = "w";
  const ModelFrame f = survkit::build_frame(parse("time,status,w\n1,1,0.5\n2,0,2\n3,1,NA\n"), s);
  EXPECT_EQ(f.surv.weight, (std::vector<double>{0.5, 2}));
  EXPECT_EQ(f.n, 2u);
  const auto neg = error_of<InputError>(
      [&] { survkit::build_frame(parse("time,status,w\n1,1,0.5\n2,0,-1\n"), s); });
  EXPECT_EQ(neg.line, 3u);
  EXPECT_EQ(neg.column, "w");
  EXPECT_EQ(neg.value, "-1");
  const auto txt = error_of<InputError>([&] { survkit::build_frame(parse("time,status,w\n1,1,heavy\n"), s); });
  EXPECT_EQ(txt.line, 2u);
  EXPECT_EQ(txt.value, "heavy");
}

// ---- complete cases -----------------------------------------------------------------------

TEST(CompleteCases, DroppedRowsPerColumn) {
  // row 1: x missing; row 3: time missing; row 4: g missing and x missing; row 2, 5 kept.
  const Table t = parse(
      "time,status,x,g\n"
      "1,1,NA,a\n"
      "2,0,3,b\n"
      ",1,4,a\n"
      "4,1,,NA\n"
      "5,1,6,b\n");
  FrameSpec s = surv_spec();
  s.covariates = {"x"};
  s.extra = {"g"};
  s.require_two_groups = false;
  const ModelFrame f = survkit::build_frame(t, s);
  EXPECT_EQ(f.n, 2u);
  EXPECT_EQ(f.rows, (std::vector<std::size_t>{1, 4}));
  EXPECT_EQ(f.dropped.n, 3u);
  using Count = std::pair<std::string, std::size_t>;
  EXPECT_EQ(f.dropped.by_column, (std::vector<Count>{{"time", 1}, {"status", 0}, {"x", 2}, {"g", 1}}));
  EXPECT_EQ(f.surv.time, (std::vector<double>{2, 5}));
  EXPECT_EQ(f.surv.status, (Flags{0, 1}));
  ASSERT_EQ(f.extra.size(), 1u);
  EXPECT_EQ(f.extra[0].levels, (Strings{"b"}));  // "a" only in dropped rows
  EXPECT_EQ(f.extra[0].code, (Codes{0, 0}));
  EXPECT_EQ(f.design.x.rows(), 2);
  EXPECT_EQ(f.design.x(0, 0), 3.0);
  EXPECT_EQ(f.design.x(1, 0), 6.0);
  EXPECT_EQ(f.row(0), 1u);
  EXPECT_EQ(f.row(1), 4u);
  EXPECT_EQ(f.kept_rows(), (std::vector<std::size_t>{1, 4}));
}

TEST(CompleteCases, EveryRowKeptNeedsNoRowList) {
  // Nothing dropped: no n-long list 0, 1, 2, ...; row() and kept_rows() still answer.
  // Built from an owned table too, whose time, status and weight columns move into the
  // frame instead of being copied: the same values either way.
  const std::string text =
      "time,status,w,x,g\n"
      "3,1,1,0.5,b\n"
      "1,1,2,-1,a\n"
      "2,2,1,4,b\n";  // status coded 1/2: only the last is an event
  FrameSpec s = surv_spec();
  s.weights = "w";
  s.covariates = {"x"};
  s.group = "g";  // its codes are recoded in place when the table is owned
  s.factors = {FactorSpec::parse("g:ref=b")};
  const ModelFrame a = survkit::build_frame(parse(text), s);
  const ModelFrame b = survkit::build_frame(static_cast<const Table&>(parse(text)), s);
  for (const ModelFrame* f : {&a, &b}) {
    EXPECT_EQ(f->n, 3u);
    EXPECT_TRUE(f->rows.empty());
    EXPECT_EQ(f->row(2), 2u);
    EXPECT_EQ(f->kept_rows(), (std::vector<std::size_t>{0, 1, 2}));
    EXPECT_EQ(f->surv.time, (std::vector<double>{3, 1, 2}));
    EXPECT_EQ(f->surv.status, (Flags{0, 0, 1}));
    EXPECT_EQ(f->surv.weight, (std::vector<double>{1, 2, 1}));
    EXPECT_EQ(f->design.x(2, 0), 4.0);
    EXPECT_EQ(f->group.levels, (Strings{"b", "a"}));
    EXPECT_EQ(f->group.code, (Codes{0, 1, 0}));
  }
}

TEST(CompleteCases, ZeroCompleteRows) {
  FrameSpec s = surv_spec();
  s.covariates = {"x"};
  const auto e = error_of<AnalysisError>(
      [&] { survkit::build_frame(parse("time,status,x\n1,1,NA\n2,0,NA\nNA,1,1\n"), s); });
  EXPECT_EQ(message(e),
            "cohort.csv: no complete rows: every one of the 3 rows is missing at least one used column "
            "(missing values by column: time 1, x 2)");
}

TEST(CompleteCases, HeaderOnlyTable) {
  const auto e = error_of<AnalysisError>([] { survkit::build_frame(parse("time,status\n"), surv_spec()); });
  EXPECT_TRUE(contains(e, "cohort.csv has a header but no data rows")) << message(e);
}

TEST(CompleteCases, UnknownColumn) {
  FrameSpec s = surv_spec();
  s.covariates = {"agee"};
  const auto e = error_of<InputError>([&] { survkit::build_frame(parse("time,status,age\n1,1,50\n"), s); });
  EXPECT_EQ(e.file, "cohort.csv");
  EXPECT_EQ(e.column, "agee");
  EXPECT_EQ(message(e), "cohort.csv: no column named 'agee'; the columns are: time, status, age");
  FrameSpec g = surv_spec("stat=1");
  EXPECT_THROW(survkit::build_frame(parse("time,status\n1,1\n"), g), InputError);
  FrameSpec h = surv_spec();
  h.factors = {FactorSpec::parse("sexx:ref=1")};
  const auto f = error_of<InputError>([&] { survkit::build_frame(parse("time,status,sex\n1,1,1\n"), h); });
  EXPECT_EQ(message(f), "cohort.csv: no column named 'sexx'; the columns are: time, status, sex");
}

// ---- factors and dummies ------------------------------------------------------------------

TEST(Factors, GroupLevelsNumericByValue) {
  FrameSpec s = surv_spec();
  s.group = "dose";
  const ModelFrame f = survkit::build_frame(parse("time,status,dose\n1,1,2\n2,0,1.5\n3,1,10\n4,1,2\n5,1,1\n"), s);
  EXPECT_EQ(f.group.levels, (Strings{"1", "1.5", "2", "10"}));
  EXPECT_EQ(f.group.code, (Codes{2, 1, 3, 2, 0}));
}

TEST(Factors, ReferenceLevelMovesFirst) {
  FrameSpec s = surv_spec();
  s.group = "arm";
  s.strata = "site";
  s.factors = {FactorSpec::parse("arm:ref=c"), FactorSpec::parse("site:ref=2")};
  const ModelFrame f = survkit::build_frame(parse("time,status,arm,site\n1,1,a,1\n2,0,b,2\n3,1,c,3\n4,1,a,2\n"), s);
  EXPECT_EQ(f.group.levels, (Strings{"c", "a", "b"}));
  EXPECT_EQ(f.group.code, (Codes{1, 2, 0, 1}));
  EXPECT_EQ(f.strata.levels, (Strings{"2", "1", "3"}));
  EXPECT_EQ(f.strata.code, (Codes{1, 0, 2, 0}));

  s.factors = {FactorSpec::parse("arm:ref=z")};
  const auto e = error_of<InputError>(
      [&] { survkit::build_frame(parse("time,status,arm,site\n1,1,a,1\n2,0,b,2\n"), s); });
  EXPECT_EQ(e.column, "arm");
  EXPECT_EQ(e.value, "z");
  EXPECT_TRUE(contains(e, "reference level 'z' of column 'arm' does not occur among the complete rows; its levels "
                          "are: a, b"))
      << message(e);
}

TEST(Factors, DummyCodingDefaultReference) {
  // celltype levels by bytes: adeno < large < smallcell; reference adeno.
  FrameSpec s = surv_spec();
  s.covariates = {"age", "celltype"};
  const ModelFrame f = survkit::build_frame(
      parse("time,status,age,celltype\n1,1,60,smallcell\n2,0,70,adeno\n3,1,65,large\n4,1,50,smallcell\n"), s);
  EXPECT_EQ(f.design.terms, (Strings{"age", "celltype=large", "celltype=smallcell"}));
  EXPECT_EQ(f.design.term_column, (Strings{"age", "celltype", "celltype"}));
  Eigen::MatrixXd expect(4, 3);
  expect << 60, 0, 1,  //
      70, 0, 0,        //
      65, 1, 0,        //
      50, 0, 1;
  EXPECT_EQ(f.design.x, expect);
}

// FrameSpec::intercept_column: a leading column of ones, the terms (and their dummies)
// after it, the term names unchanged; column(k) gives term k's column.
TEST(Factors, InterceptColumnLeadsTheDesign) {
  FrameSpec s = surv_spec();
  s.covariates = {"age", "celltype"};
  s.intercept_column = true;
  const ModelFrame f = survkit::build_frame(
      parse("time,status,age,celltype\n1,1,60,smallcell\n2,0,70,adeno\n3,1,65,large\n4,1,50,smallcell\n"), s);
  EXPECT_TRUE(f.design.intercept);
  EXPECT_EQ(f.design.terms, (Strings{"age", "celltype=large", "celltype=smallcell"}));
  Eigen::MatrixXd expect(4, 4);
  expect << 1, 60, 0, 1,  //
      1, 70, 0, 0,        //
      1, 65, 1, 0,        //
      1, 50, 0, 1;
  EXPECT_EQ(f.design.x, expect);
  EXPECT_EQ(f.design.column(0), 1);
  EXPECT_EQ(f.design.column(2), 3);
}

TEST(Factors, DummyCodingExplicitReferenceAndForcedNumeric) {
  // sex 1/2 forced categorical with reference 2; ecog numeric forced categorical.
  FrameSpec s = surv_spec();
  s.covariates = {"sex", "ecog"};
  s.factors = {FactorSpec::parse("sex:ref=2"), FactorSpec::parse("ecog")};
  const ModelFrame f =
      survkit::build_frame(parse("time,status,sex,ecog\n1,1,1,0\n2,0,2,2\n3,1,2,1\n4,1,1,0\n5,0,1,NA\n"), s);
  EXPECT_EQ(f.n, 4u);
  EXPECT_EQ(f.design.terms, (Strings{"sex=1", "ecog=1", "ecog=2"}));
  Eigen::MatrixXd expect(4, 3);
  expect << 1, 0, 0,  //
      0, 0, 1,        //
      0, 1, 0,        //
      1, 0, 0;
  EXPECT_EQ(f.design.x, expect);
}

TEST(Factors, UnusedLevelsDropped) {
  // Level "c" occurs only on a row dropped for a missing time: no dummy for it.
  FrameSpec s = surv_spec();
  s.covariates = {"g"};
  const ModelFrame f = survkit::build_frame(parse("time,status,g\n1,1,a\n2,0,b\nNA,1,c\n3,1,b\n"), s);
  EXPECT_EQ(f.design.terms, (Strings{"g=b"}));
  EXPECT_EQ(f.design.x.col(0), Eigen::Vector3d(0, 1, 1));
}

TEST(Factors, ParseTimeForcedFactorStillReadsAsNumbers) {
  // A column forced categorical at parse time keeps working as a numeric time.
  const Table t = parse("time,status\n1.5,1\n2,0\n", {"time"});
  const ModelFrame f = survkit::build_frame(t, surv_spec());
  EXPECT_EQ(f.surv.time, (std::vector<double>{1.5, 2}));
}

TEST(Factors, ClusterAndExtraAnyType) {
  FrameSpec s = surv_spec();
  s.cluster = "id";
  s.extra = {"site", "w"};
  const ModelFrame f = survkit::build_frame(parse("time,status,id,site,w\n1,1,p2,x,3\n2,0,p1,y,1\n3,1,p2,x,3\n"), s);
  EXPECT_EQ(f.cluster.levels, (Strings{"p1", "p2"}));
  EXPECT_EQ(f.cluster.code, (Codes{1, 0, 1}));
  ASSERT_EQ(f.extra.size(), 2u);
  EXPECT_EQ(f.extra[0].code, (Codes{0, 1, 0}));
  EXPECT_EQ(f.extra[1].levels, (Strings{"1", "3"}));
  EXPECT_EQ(f.extra[1].code, (Codes{1, 0, 1}));
}

// ---- model checks -------------------------------------------------------------------------

TEST(Checks, ConstantCovariate) {
  FrameSpec s = surv_spec();
  s.covariates = {"x"};
  const Table t = parse("time,status,x\n1,1,3\n2,0,3\n3,1,NA\n4,1,3\n");
  const auto e = error_of<AnalysisError>([&] { survkit::build_frame(t, s); });
  EXPECT_EQ(message(e), "cohort.csv: covariate 'x' is constant (every complete row has x = 3); it cannot be estimated");
  s.require_varying_covariates = false;
  EXPECT_EQ(survkit::build_frame(t, s).design.x.cols(), 1);
}

TEST(Checks, SingleLevelCategoricalCovariate) {
  FrameSpec s = surv_spec();
  s.covariates = {"sex"};
  // "f" is only on a dropped row, so the complete rows have one level.
  const auto e = error_of<AnalysisError>(
      [&] { survkit::build_frame(parse("time,status,sex\n1,1,m\n2,0,m\nNA,1,f\n"), s); });
  EXPECT_EQ(message(e),
            "cohort.csv: covariate 'sex' has a single level (every complete row has sex = m); it cannot be estimated");
}

TEST(Checks, SingleLevelGroup) {
  FrameSpec s = surv_spec();
  s.group = "arm";
  const Table t = parse("time,status,arm\n1,1,A\n2,0,A\n3,1,\n");
  const auto e = error_of<AnalysisError>([&] { survkit::build_frame(t, s); });
  EXPECT_EQ(message(e),
            "cohort.csv: group column 'arm' has a single level ('A') among the 2 complete rows; a comparison needs "
            "at least two groups");
  s.require_two_groups = false;
  EXPECT_EQ(survkit::build_frame(t, s).group.levels, (Strings{"A"}));
}

TEST(Checks, NoEvents) {
  const Table t = parse("time,status\n1,0\n2,0\n3,1\n");
  FrameSpec s = surv_spec();
  s.covariates = {};
  // The only event is on a row dropped for a missing weight.
  s.weights = "w";
  const Table tw = parse("time,status,w\n1,0,1\n2,0,1\n3,1,NA\n");
  const auto e = error_of<AnalysisError>([&] { survkit::build_frame(tw, s); });
  EXPECT_EQ(message(e),
            "cohort.csv: event column 'status' has no events among the 2 complete rows; every kept time is censored, "
            "so there is nothing to estimate");
  s.require_events = false;
  EXPECT_EQ(survkit::build_frame(tw, s).surv.status, (Flags{0, 0}));
  EXPECT_EQ(survkit::build_frame(t, surv_spec()).surv.status, (Flags{0, 0, 1}));
}

// build_frame(Table&&) frees columns as it copies them; the frame must be the one the
// const overload builds, including a column in two roles (time is also a covariate), a
// covariate listed twice, a factor covariate, a group, weights and dropped rows.
TEST(FrameFromRvalue, SameFrameAsFromConstTable) {
  const std::string text =
      "time,status,age,arm,w,site\n"
      "5,1,60,a,1,x\n"
      "3,0,NA,b,2,y\n"
      "8,1,71,c,1,x\n"
      "2,1,55,a,0.5,y\n"
      "9,0,48,,1,x\n"
      "4,1,66,b,3,y\n";
  FrameSpec spec = surv_spec();
  spec.covariates = {"age", "arm", "time", "age"};
  spec.weights = "w";
  spec.group = "site";
  spec.require_varying_covariates = false;  // age listed twice is aliased, not an error here
  const Table table = parse(text);
  const ModelFrame a = survkit::build_frame(table, spec);
  Table owned = parse(text);
  const ModelFrame b = survkit::build_frame(std::move(owned), spec);
  EXPECT_EQ(a.n, 4u);
  EXPECT_EQ(b.n, a.n);
  EXPECT_EQ(b.rows, a.rows);
  EXPECT_EQ(b.surv.time, a.surv.time);
  EXPECT_EQ(b.surv.status, a.surv.status);
  EXPECT_EQ(b.surv.weight, a.surv.weight);
  EXPECT_EQ(b.group.code, a.group.code);
  EXPECT_EQ(b.group.levels, a.group.levels);
  EXPECT_EQ(b.design.terms, a.design.terms);
  EXPECT_EQ(b.design.terms, (Strings{"age", "arm=b", "arm=c", "time", "age"}));
  ASSERT_EQ(b.design.x.rows(), a.design.x.rows());
  ASSERT_EQ(b.design.x.cols(), a.design.x.cols());
  EXPECT_TRUE(b.design.x == a.design.x);
  // Rows 1, 3, 4, 6 of the file (0-based 0, 2, 3, 5): by hand.
  Eigen::MatrixXd expect(4, 5);
  expect << 60, 0, 0, 5, 60,
            71, 0, 1, 8, 71,
            55, 0, 0, 2, 55,
            66, 1, 0, 4, 66;
  EXPECT_TRUE(b.design.x == expect) << b.design.x;
  // The used columns of the handed-over table are emptied (their names stay).
  EXPECT_TRUE(owned.column("age").values.empty());
  EXPECT_TRUE(owned.column("arm").codes.empty());
}
