// Derivations, filters and the patient flow: on the CRC-PM cohort (whose flow is
// documented in examples/crc-pm/README.md) and on tiny hand-made tables.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "study/dates.hpp"
#include "study/derive.hpp"
#include "study/expr.hpp"
#include "study/study_support.hpp"
#include <survkit/study.hpp>

using namespace survkit;

namespace {

StudySpec crc_spec() {
  return parse_study_spec(study_test::read_text(study_test::examples("crc-pm/study.toml")), "study.toml");
}

Table crc_data() { return study_test::read_csv(study_test::examples("crc-pm/patients.csv")); }

Table csv(const std::string& text) {
  CsvOptions o;
  o.source = "d.csv";
  return parse_csv(text, o);
}

template <class E>
std::string error_of(const StudySpec& spec, const Table& data) {
  try {
    study::derive_study_data(spec, data);
  } catch (const E& e) {
    return e.what();
  }
  return "";
}

double day(const Table& t, const std::string& col, std::size_t row) {
  return static_cast<double>(*study::parse_date(t.column(col).text(row), "%Y-%m-%d"));
}

}  // namespace

TEST(StudyDerive, CrcPmFlowMatchesTheReadme) {
  const StudySpec spec = crc_spec();
  const study::StudyData d = study::derive_study_data(spec, crc_data());
  EXPECT_EQ(d.n_read, 127u);
  ASSERT_EQ(d.flow.size(), 6u);
  // examples/crc-pm/README.md: 1, 2, 1, 2, 1, 1 excluded; 119 analysed.
  const std::size_t excluded[] = {1, 2, 1, 2, 1, 1};
  std::size_t remaining = 127;
  for (std::size_t k = 0; k < 6; ++k) {
    remaining -= excluded[k];
    EXPECT_EQ(d.flow[k].excluded, excluded[k]) << d.flow[k].criterion;
    EXPECT_EQ(d.flow[k].remaining, remaining);
  }
  EXPECT_EQ(d.table.nrows, 119u);
  // Group sizes of the published study: 39 local therapy, 80 chemotherapy.
  std::size_t n_li = 0;
  for (auto c : d.group.factor.code) n_li += c == 0;
  EXPECT_EQ(n_li, 39u);
  EXPECT_EQ(d.group.reference, 0u);
}

TEST(StudyDerive, IntervalsAreWholeDaysOverTheUnitExactly) {
  const StudySpec spec = crc_spec();
  const Table raw = crc_data();
  const study::StudyData d = study::derive_study_data(spec, raw);
  const Column& dfi = d.table.column("dfi_months");
  const Column& age = d.table.column("age_years");
  const Column& size = d.table.column("pm_size_cm");
  // Map analysed rows back to raw rows by file line.
  for (std::size_t i = 0; i < d.table.nrows; ++i) {
    const std::size_t r = d.table.line(i) - 2;
    const double pm = day(raw, "pm_diagnosis_date", r);
    EXPECT_EQ(dfi.values[i], (pm - day(raw, "crc_diagnosis_date", r)) / 30.4375);
    EXPECT_EQ(age.values[i], (pm - day(raw, "birth_date", r)) / 365.25);
    EXPECT_EQ(size.values[i], raw.column("pm_max_diameter_mm").values[r] * 1.0 / 10.0);
    // OS: death, else last follow-up (all on or before the study end in this cohort).
    const bool dead = !raw.column("death_date").missing(r);
    const double os_end = dead ? day(raw, "death_date", r) : day(raw, "last_followup_date", r);
    EXPECT_EQ(d.endpoints[0].surv.time[i], (os_end - pm) / 30.4375);
    EXPECT_EQ(d.endpoints[0].surv.status[i], dead ? 1 : 0);
    // PFS: the first of progression and death.
    const bool prog = !raw.column("progression_date").missing(r);
    double pfs_end = dead ? os_end : day(raw, "last_followup_date", r);
    if (prog) pfs_end = std::min(pfs_end, day(raw, "progression_date", r));
    EXPECT_EQ(d.endpoints[1].surv.time[i], (pfs_end - pm) / 30.4375);
    EXPECT_EQ(d.endpoints[1].surv.status[i], (dead || prog) ? 1 : 0);
  }
  std::size_t os_events = 0, pfs_events = 0;
  for (std::size_t i = 0; i < d.table.nrows; ++i) {
    os_events += d.endpoints[0].surv.status[i];
    pfs_events += d.endpoints[1].surv.status[i];
  }
  // check_cohort.R, then R: table(d$os_event, d$group); table(d$pfs_event, d$group)
  EXPECT_EQ(os_events, 53u);   // 8 + 45 deaths (the published study: 53)
  EXPECT_EQ(pfs_events, 75u);  // 16 + 59
}

namespace {

// A hand-made cohort.  Dates day-first.  Row 4 dies after the study end; row 5 has no
// follow-up date beyond the study end.
const std::string kTiny =
    "id,arm,start,death,last,score,kind\n"
    "1,a,01/01/2019,31/01/2019,31/01/2019,4,x\n"    // line 2: dies after 30 days
    "2,a,01/01/2019,,02/03/2019,6,y\n"              // line 3: censored after 60 days
    "3,b,01/01/2019,02/03/2019,,,x\n"               // line 4: dies after 60 days; score missing
    "4,b,01/01/2019,15/01/2020,15/01/2020,10,y\n"   // line 5: death after study end -> censored at end
    "5,b,01/01/2019,,15/06/2020,5,x\n";             // line 6: follow-up capped at the study end

std::string tiny_spec(const std::string& extra = "") {
  return "[data]\nfile = \"d.csv\"\n"
         "[dates]\nformat = \"%d/%m/%Y\"\ncolumns = [\"start\", \"death\", \"last\"]\nstudy_end = 2019-12-31\n"
         "[[variable]]\nname = \"score\"\ncuts = [5]\n"
         "[group]\nfrom = \"arm\"\nvalues = [\"a\", \"b\"]\n"
         "[[endpoint]]\nid = \"os\"\nstart = \"start\"\nevent = \"death\"\ncensor = \"last\"\nunit = \"days\"\n" +
         extra;
}

}  // namespace

TEST(StudyDerive, HandCheckedEndpointsAndCuts) {
  const StudySpec spec = parse_study_spec(tiny_spec(), "study.toml");
  const study::StudyData d = study::derive_study_data(spec, csv(kTiny));
  const SurvData& s = d.endpoints[0].surv;
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s.time[0], 30.0);
  EXPECT_EQ(s.status[0], 1);
  EXPECT_EQ(s.time[1], 60.0);  // 2019-01-01 -> 2019-03-02: 31 + 28 + 1
  EXPECT_EQ(s.status[1], 0);
  EXPECT_EQ(s.time[2], 60.0);
  EXPECT_EQ(s.status[2], 1);
  EXPECT_EQ(s.time[3], 364.0);  // censored at 2019-12-31
  EXPECT_EQ(s.status[3], 0);
  EXPECT_EQ(s.time[4], 364.0);
  EXPECT_EQ(s.status[4], 0);
  // score <= 5 -> first level; 5 sits on the cut and goes low; missing stays missing.
  EXPECT_EQ(d.variables[0].factor.code, (std::vector<std::int32_t>{0, 1, -1, 1, 0}));
  EXPECT_EQ(d.variables[0].factor.levels, (std::vector<std::string>{"<= 5", "> 5"}));

  // Months: days / 30.4375, years: days / 365.25.
  std::string months = tiny_spec();
  months.replace(months.find("unit = \"days\""), 13, "unit = \"months\"");
  const study::StudyData dm = study::derive_study_data(parse_study_spec(months, "study.toml"), csv(kTiny));
  EXPECT_EQ(dm.endpoints[0].surv.time[0], 30.0 / 30.4375);
  EXPECT_EQ(dm.endpoints[0].surv.time[3], 364.0 / 30.4375);
}

TEST(StudyDerive, FiltersUseThreeValuedLogic) {
  const Table t = csv("x,s,d\n1,a,2019-01-01\n2,b,\n,a,2019-06-01\n4,,2018-12-31\n");
  Table dated = t;
  // Dates as day numbers, as derive_study_data leaves them.
  Column& d = dated.columns[2];
  Column nd;
  nd.name = "d";
  for (std::size_t i = 0; i < 4; ++i)
    nd.values.push_back(d.missing(i) ? NA : static_cast<double>(*study::parse_date(d.text(i), "%Y-%m-%d")));
  d = nd;
  const std::set<std::string> dates{"d"};
  using study::Truth;
  auto eval = [&](const std::string& e) { return study::FilterExpr(e, "f").evaluate(dated, dates); };
  const Truth T = Truth::True, F = Truth::False, N = Truth::Na;
  EXPECT_EQ(eval("x >= 2"), (std::vector<Truth>{F, T, N, T}));
  EXPECT_EQ(eval("s == \"a\""), (std::vector<Truth>{T, F, T, N}));
  EXPECT_EQ(eval("s != 'a'"), (std::vector<Truth>{F, T, F, N}));
  EXPECT_EQ(eval("x >= 2 or s == \"a\""), (std::vector<Truth>{T, T, T, T}));
  EXPECT_EQ(eval("x >= 2 and s == \"a\""), (std::vector<Truth>{F, F, N, N}));
  EXPECT_EQ(eval("not (x >= 2)"), (std::vector<Truth>{T, F, N, F}));
  EXPECT_EQ(eval("d >= 2019-01-01"), (std::vector<Truth>{T, N, T, F}));
  EXPECT_EQ(eval("missing(d) || missing(x)"), (std::vector<Truth>{F, T, T, F}));
  EXPECT_EQ(eval("present(s) && 3 > x"), (std::vector<Truth>{T, T, N, F}));
  auto err = [&](const std::string& e) {
    try {
      eval(e);
    } catch (const InputError& ex) {
      return std::string(ex.what());
    }
    return std::string();
  };
  EXPECT_NE(err("nosuch == 1").find("unknown column 'nosuch'"), std::string::npos);
  EXPECT_NE(err("s >= \"a\"").find("== and != only"), std::string::npos);
  EXPECT_NE(err("x == \"a\"").find("must be compared with a number"), std::string::npos);
  EXPECT_NE(err("d >= 5").find("a date"), std::string::npos);
  EXPECT_NE(err("d >= 2019-02-30").find("invalid date"), std::string::npos);
  EXPECT_NE(err("(x > 1").find("missing ')'"), std::string::npos);
}

TEST(StudyDerive, FilterFlowAndIncludeExcludeOnMissing) {
  // include drops undecidable rows; exclude keeps them.
  const std::string inc = tiny_spec("[[filter]]\nlabel = \"score known and not 6\"\ninclude = 'score != 6'\n");
  const study::StudyData a = study::derive_study_data(parse_study_spec(inc, "study.toml"), csv(kTiny));
  ASSERT_EQ(a.flow.size(), 1u);
  EXPECT_EQ(a.flow[0].excluded, 2u);  // rows 2 (score 6) and 3 (missing)
  EXPECT_EQ(a.flow[0].remaining, 3u);
  const std::string exc = tiny_spec("[[filter]]\nexclude = 'score == 6'\n");
  const study::StudyData b = study::derive_study_data(parse_study_spec(exc, "study.toml"), csv(kTiny));
  EXPECT_EQ(b.flow[0].excluded, 1u);
  EXPECT_EQ(b.flow[0].criterion, "excluded: score == 6");
}

TEST(StudyDerive, BadInputNamesTheSpecLineOrTheDataRow) {
  // A malformed date: row, column and value.
  std::string bad = kTiny;
  bad.replace(bad.find("02/03/2019,6"), 10, "30/02/2019");
  std::string e = error_of<InputError>(parse_study_spec(tiny_spec(), "study.toml"), csv(bad));
  EXPECT_NE(e.find("d.csv line 3"), std::string::npos) << e;
  EXPECT_NE(e.find("column 'last'"), std::string::npos) << e;
  EXPECT_NE(e.find("'30/02/2019'"), std::string::npos) << e;
  try {
    study::derive_study_data(parse_study_spec(tiny_spec(), "study.toml"), csv(bad));
  } catch (const InputError& ex) {
    EXPECT_EQ(ex.line, 3u);
    EXPECT_EQ(ex.column, "last");
    EXPECT_EQ(ex.value, "30/02/2019");
  }
  // A date in the wrong declared format.
  std::string iso = kTiny;
  iso.replace(iso.find("31/01/2019,31"), 10, "2019-01-31");
  e = error_of<InputError>(parse_study_spec(tiny_spec(), "study.toml"), csv(iso));
  EXPECT_NE(e.find("line 2"), std::string::npos) << e;
  EXPECT_NE(e.find("%d/%m/%Y"), std::string::npos) << e;

  // Unknown column (spec line of the 'from').
  e = error_of<InputError>(parse_study_spec(tiny_spec("[[variable]]\nname = \"w\"\nfrom = \"weight\"\ncuts = [1]\n"),
                                            "study.toml"),
                           csv(kTiny));
  EXPECT_NE(e.find("study.toml line 21:"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown column 'weight'"), std::string::npos) << e;
  // Unknown column inside a filter.
  e = error_of<InputError>(parse_study_spec(tiny_spec("[[filter]]\ninclude = 'ecog <= 2'\n"), "study.toml"), csv(kTiny));
  EXPECT_NE(e.find("study.toml line 20:"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown column 'ecog'"), std::string::npos) << e;
  // A cut point on a text column.
  e = error_of<InputError>(parse_study_spec(tiny_spec("[[variable]]\nname = \"kind\"\ncuts = [1]\n"), "study.toml"),
                           csv(kTiny));
  EXPECT_NE(e.find("study.toml line 19:"), std::string::npos) << e;
  EXPECT_NE(e.find("text column"), std::string::npos) << e;
  // A level value not in the spec names the data row.
  e = error_of<InputError>(parse_study_spec(tiny_spec("[[variable]]\nname = \"kind\"\nvalues = [\"x\", \"z\"]\n"),
                                            "study.toml"),
                           csv(kTiny));
  EXPECT_NE(e.find("d.csv line 3"), std::string::npos) << e;
  EXPECT_NE(e.find("'y' is not a level"), std::string::npos) << e;
  // A filter that excludes everyone.
  e = error_of<AnalysisError>(parse_study_spec(tiny_spec("[[filter]]\nlabel = \"adults\"\ninclude = 'id > 100'\n"),
                                               "study.toml"),
                              csv(kTiny));
  EXPECT_NE(e.find("study.toml line 21:"), std::string::npos) << e;
  EXPECT_NE(e.find("excludes every one"), std::string::npos) << e;
  // An endpoint with no events (every death after the study end).
  std::string late = tiny_spec();
  late.replace(late.find("2019-12-31"), 10, "2019-01-15");
  e = error_of<AnalysisError>(parse_study_spec(late, "study.toml"), csv(kTiny));
  EXPECT_NE(e.find("study.toml line 13:"), std::string::npos) << e;
  EXPECT_NE(e.find("no events"), std::string::npos) << e;
  // A derived interval on a non-date column.
  e = error_of<InputError>(
      parse_study_spec(tiny_spec("[[derive]]\nname = \"m\"\ninterval = [\"start\", \"score\"]\nunit = \"days\"\n"),
                       "study.toml"),
      csv(kTiny));
  EXPECT_NE(e.find("study.toml line 21:"), std::string::npos) << e;
  EXPECT_NE(e.find("not a date column"), std::string::npos) << e;
}
