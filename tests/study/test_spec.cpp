// Spec parsing: every construct of the format, and every error with its spec line.
#include <gtest/gtest.h>

#include <string>

#include "study/dates.hpp"
#include "study/study_support.hpp"
#include <survkit/enum_names.hpp>
#include <survkit/study.hpp>

using namespace survkit;

namespace {

// A small valid spec; tests append or substitute lines.  Line numbers matter: the
// header lines are numbered in the comments.
const std::string kBase =
    "title = \"t\"\n"                       // 1
    "[data]\n"                              // 2
    "file = \"d.csv\"\n"                    // 3
    "[[variable]]\n"                        // 4
    "name = \"age\"\n"                      // 5
    "cuts = [60]\n"                         // 6
    "[group]\n"                             // 7
    "from = \"arm\"\n"                      // 8
    "values = [\"a\", \"b\"]\n"             // 9
    "[[endpoint]]\n"                        // 10
    "id = \"os\"\n"                         // 11
    "time = \"t\"\n"                        // 12
    "status = \"d\"\n";                     // 13

// Runs the parser and returns the error message ("" when it parsed).
std::string error_of(const std::string& text) {
  try {
    parse_study_spec(text, "study.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(StudySpec, ParsesTheAnnotatedExample) {
  const StudySpec s = parse_study_spec(study_test::read_text(study_test::examples("crc-pm/study.toml")), "study.toml");
  EXPECT_EQ(s.data_file, "patients.csv");
  EXPECT_FALSE(s.title.empty());
  EXPECT_EQ(s.dates.size(), 6u);
  EXPECT_EQ(s.dates[0].format, "%Y-%m-%d");
  EXPECT_EQ(s.study_end, static_cast<double>(study::days_from_civil(2019, 12, 31)));
  ASSERT_EQ(s.derived.size(), 3u);
  EXPECT_EQ(s.derived[0].kind, DeriveSpec::Kind::Interval);
  EXPECT_EQ(s.derived[0].unit, TimeUnit::Years);
  EXPECT_EQ(s.derived[2].kind, DeriveSpec::Kind::Scale);
  EXPECT_EQ(s.derived[2].divide_by, 10.0);
  EXPECT_EQ(s.filters.size(), 6u);
  EXPECT_FALSE(s.filters[0].exclude);
  EXPECT_TRUE(s.filters[2].exclude);
  EXPECT_EQ(s.variables.size(), 15u);
  EXPECT_EQ(s.variables[1].cuts, std::vector<double>{60});
  EXPECT_EQ(s.variables[1].labels[0], "\u2264 60 years old");  // TOML \u escapes
  EXPECT_FALSE(s.variables[3].baseline);
  EXPECT_EQ(s.group.values, (std::vector<std::string>{"local+chemo", "chemo"}));
  EXPECT_EQ(s.group.reference.name, "Local therapy");
  ASSERT_EQ(s.endpoints.size(), 2u);
  EXPECT_EQ(s.endpoints[1].events.size(), 2u);
  EXPECT_EQ(s.endpoints[1].unit, TimeUnit::Months);
  EXPECT_TRUE(s.endpoints[0].has_multivariable);
  EXPECT_EQ(s.landmarks, (std::vector<double>{36, 60}));
  EXPECT_EQ(s.ties, Ties::Efron);
  EXPECT_EQ(s.table1_test, Table1Test::Auto);
  EXPECT_TRUE(s.matching.enabled);
  EXPECT_TRUE(s.matching.covariates.empty());  // "differing"
  EXPECT_EQ(s.matching.differing_p_below, 0.05);
  EXPECT_TRUE(s.matching.use_logit);
  EXPECT_EQ(s.matching.options.caliper, 0.4);
  EXPECT_FALSE(s.matching.options.matchit_quirks);
}

TEST(StudySpec, MinimalSpecAndDefaults) {
  const StudySpec s = parse_study_spec(kBase, "study.toml");
  EXPECT_EQ(s.group.name, "group");
  EXPECT_EQ(s.variables[0].labels, (std::vector<std::string>{"<= 60", "> 60"}));
  EXPECT_EQ(s.variables[0].from.name, "age");
  EXPECT_EQ(s.variables[0].from.line, 4u);  // defaults to the [[variable]] line
  EXPECT_EQ(s.endpoints[0].short_name, "OS");
  EXPECT_EQ(s.endpoints[0].time.line, 12u);
  EXPECT_EQ(s.endpoints[0].time_unit, TimeUnit::Days);
  EXPECT_EQ(s.endpoints[0].unit, TimeUnit::Months);
  EXPECT_FALSE(s.matching.enabled);
  EXPECT_TRUE(is_na(s.study_end));
  EXPECT_EQ(s.multivariable.p_below, 0.05);  // the default selection rule
  EXPECT_EQ(s.word.font, "Times New Roman");
  EXPECT_EQ(s.word.font_size, 11);
  const StudySpec w = parse_study_spec(kBase + "[report]\nfont = \"Arial\"\nfont_size = 10.5\n", "study.toml");
  EXPECT_EQ(w.word.font, "Arial");
  EXPECT_EQ(w.word.font_size, 10.5);
}

TEST(StudySpec, ConstructsRecodeBreslowFisherStudyEndText) {
  const StudySpec s = parse_study_spec(
      kBase +
          "[[variable]]\nname = \"stage\"\nvalues = [\"early\", \"late\"]\n"
          "recode = { I = \"early\", II = \"early\", III = \"late\" }\nreference = \"late\"\n"
          "[dates]\nformat = \"%d/%m/%Y\"\ncolumns = [\"x\"]\nformats = { y = \"%m/%d/%Y\" }\nstudy_end = \"31/12/2019\"\n"
          "[analysis]\nties = \"breslow\"\ntable1_test = \"fisher\"\nmultivariable_p_below = 0.1\n"
          "[matching]\ntreated = \"b\"\ncovariates = [\"age\", \"stage\"]\nratio = 2\nreplace = true\norder = \"random\"\nseed = 42\n"
          "distance = \"ps\"\ncaliper = 0.1\ncaliper_scale = \"distance\"\n",
      "study.toml");
  const VariableSpec& v = s.variables[1];
  EXPECT_EQ(v.recode.size(), 3u);
  EXPECT_EQ(v.reference.name, "late");
  EXPECT_EQ(s.dates.size(), 2u);
  EXPECT_EQ(s.dates[1].format, "%m/%d/%Y");
  EXPECT_EQ(s.study_end, static_cast<double>(study::days_from_civil(2019, 12, 31)));
  EXPECT_EQ(s.ties, Ties::Breslow);
  EXPECT_EQ(s.table1_test, Table1Test::Fisher);
  EXPECT_EQ(s.multivariable.p_below, 0.1);
  EXPECT_EQ(s.matching.options.ratio, 2u);
  EXPECT_TRUE(s.matching.options.replace);
  EXPECT_EQ(s.matching.options.order, MatchOrder::random);
  EXPECT_EQ(s.matching.options.seed, 42);
  EXPECT_FALSE(s.matching.use_logit);
  EXPECT_FALSE(s.matching.options.std_caliper);
  EXPECT_EQ(s.matching.covariates[1].name, "stage");
}

TEST(StudySpec, UnknownKeysNameTheKeyAndLine) {
  std::string e = error_of("titel = \"x\"\n" + kBase.substr(kBase.find('\n') + 1));
  EXPECT_NE(e.find("study.toml line 1:"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown key 'titel'"), std::string::npos) << e;
  e = error_of(kBase + "[[variable]]\nname = \"x\"\nvalues = [\"p\", \"q\"]\nrefrence = \"q\"\n");
  EXPECT_NE(e.find("line 17:"), std::string::npos) << e;
  EXPECT_NE(e.find("'refrence'"), std::string::npos) << e;
  e = error_of(kBase + "[analysis]\nlandmark = [36]\n");
  EXPECT_NE(e.find("line 15:"), std::string::npos) << e;
  e = error_of(kBase + "[matching]\ntreated = \"b\"\ncovariates = \"differing\"\ncalipre = 0.2\n");
  EXPECT_NE(e.find("line 17:"), std::string::npos) << e;
}

TEST(StudySpec, ErrorsNameTheirLine) {
  struct Case {
    std::string extra;
    std::string line;
    std::string words;
  };
  const std::vector<Case> cases = {
      {"[analysis]\nties = \"exact\"\n", "line 15:", "efron"},
      {"[analysis]\nlandmarks = [60, 36]\n", "line 15:", "increasing"},
      {"[analysis]\ntable1_test = \"t\"\n", "line 15:", "table1_test"},
      {"[[variable]]\nname = \"x\"\ncuts = [3, 2]\n", "line 16:", "strictly increasing"},
      {"[[variable]]\nname = \"x\"\nvalues = [\"p\", \"q\"]\nlabels = [\"P\"]\n", "line 17:", "'labels' has 1"},
      {"[[variable]]\nname = \"x\"\nvalues = [\"p\", \"q\"]\nreference = \"r\"\n", "line 17:", "reference 'r'"},
      {"[[variable]]\nname = \"age\"\ncuts = [1]\n", "line 14:", "defined twice"},
      {"[matching]\ntreated = \"c\"\ncovariates = \"differing\"\n", "line 15:", "not a level of [group]"},
      {"[matching]\ntreated = \"a\"\ncovariates = [\"age\", \"weight\"]\n", "line 16:", "'weight' is not a [[variable]]"},
      {"[[filter]]\ninclude = 'age >= '\n", "line 15:", "expression ends too early"},
      {"[[filter]]\nlabel = \"x\"\n", "line 14:", "exactly one of 'include' or 'exclude'"},
      {"[[derive]]\nname = \"m\"\ninterval = [\"a\", \"b\"]\nunit = \"weeks\"\n", "line 17:", "\"days\", \"months\" or \"years\""},
      {"[dates]\nformat = \"%Y-%d\"\n", "line 15:", "%Y, %m and %d"},
      {"[dates]\nstudy_end = \"2019-02-30\"\n", "line 15:", "not a valid date"},
      {"[analysis]\nconf_level = 95\n", "line 15:", "conf_level"},
      {"x = [1,\n", "line 14:", "TOML syntax"},
      {"[report]\nfont_size = 30\n", "line 15:", "between 6 and 24 points"},
      {"[report]\nfont_size = 10.25\n", "line 15:", "steps of 0.5"},
      {"[report]\nfont = \"\"\n", "line 15:", "font must be a font's name"},
      {"[report]\ncolor = \"red\"\n", "line 15:", "color"},
  };
  for (const auto& c : cases) {
    const std::string e = error_of(kBase + c.extra);
    EXPECT_NE(e.find("study.toml " + c.line), std::string::npos) << c.extra << " -> " << e;
    EXPECT_NE(e.find(c.words), std::string::npos) << c.extra << " -> " << e;
  }
  // A spec without endpoints, without [group].
  EXPECT_NE(error_of(kBase.substr(0, kBase.find("[[endpoint]]"))).find("[[endpoint]]"), std::string::npos);
  EXPECT_NE(error_of("[data]\nfile = \"d\"\n[[endpoint]]\nid = \"os\"\ntime = \"t\"\nstatus = \"d\"\n").find("[group]"),
            std::string::npos);
}

// Every enum option goes through one name table: each accepted name parses, anything
// else is refused with the spec line, the value found and the full list of names.
TEST(StudySpec, EnumOptionsUseTheNameTables) {
  EXPECT_EQ(parse_study_spec(kBase + "[analysis]\nties = \"efron\"\n", "s").ties, Ties::Efron);
  EXPECT_EQ(parse_study_spec(kBase + "[analysis]\ntable1_test = \"auto\"\n", "s").table1_test, Table1Test::Auto);
  EXPECT_EQ(parse_study_spec(kBase + "[analysis]\ntable1_test = \"chisq\"\n", "s").table1_test,
            Table1Test::ChiSquare);
  for (const char* order : {"largest", "smallest", "data", "random"}) {
    const StudySpec s = parse_study_spec(
        kBase + "[matching]\ntreated = \"b\"\ncovariates = \"differing\"\norder = \"" + order + "\"\n", "s");
    EXPECT_EQ(to_name(s.matching.options.order), order);
  }
  const std::string m = kBase + "[matching]\ntreated = \"b\"\ncovariates = \"differing\"\n";
  EXPECT_TRUE(parse_study_spec(m, "s").matching.use_logit);
  EXPECT_TRUE(parse_study_spec(m, "s").matching.options.std_caliper);
  EXPECT_TRUE(parse_study_spec(m + "distance = \"logit\"\ncaliper_scale = \"sd\"\n", "s").matching.use_logit);
  EXPECT_FALSE(parse_study_spec(m + "distance = \"ps\"\n", "s").matching.use_logit);
  EXPECT_FALSE(parse_study_spec(m + "caliper_scale = \"distance\"\n", "s").matching.options.std_caliper);
  for (const char* unit : {"days", "months", "years"}) {
    const StudySpec s = parse_study_spec(kBase + "time_unit = \"" + unit + "\"\nunit = \"" + unit + "\"\n", "s");
    EXPECT_EQ(to_name(s.endpoints[0].time_unit), unit);
    EXPECT_EQ(to_name(s.endpoints[0].unit), unit);
  }

  struct Case {
    std::string extra, message;
  };
  const std::vector<Case> cases = {
      {"[analysis]\nties = \"exact\"\n",
       "study.toml line 15: 'ties' must be \"efron\" or \"breslow\" (found \"exact\")"},
      {"[analysis]\ntable1_test = \"Fisher\"\n",
       "study.toml line 15: 'table1_test' must be \"auto\" (chi-square, Fisher when an expected count < 5), "
       "\"chisq\" or \"fisher\" (found \"Fisher\")"},
      {"unit = \"weeks\"\n", "study.toml line 14: 'unit' must be \"days\", \"months\" or \"years\" (found \"weeks\")"},
      {"[matching]\ntreated = \"b\"\ncovariates = \"differing\"\ndistance = \"glm\"\n",
       "study.toml line 17: 'distance' must be \"logit\" or \"ps\" (found \"glm\")"},
      {"[matching]\ntreated = \"b\"\ncovariates = \"differing\"\ncaliper_scale = \"SD\"\n",
       "study.toml line 17: 'caliper_scale' must be \"sd\" or \"distance\" (found \"SD\")"},
      {"[matching]\ntreated = \"b\"\ncovariates = \"differing\"\norder = \"closest\"\n",
       "study.toml line 17: 'order' must be \"largest\", \"smallest\", \"data\" or \"random\" (found \"closest\")"},
  };
  for (const auto& c : cases) EXPECT_EQ(error_of(kBase + c.extra), c.message) << c.extra;
  // An interval without a unit lists the units too.
  EXPECT_NE(error_of(kBase + "[[derive]]\nname = \"m\"\ninterval = [\"a\", \"b\"]\n")
                .find("an interval needs 'unit' (days, months, years)"),
            std::string::npos);
}

TEST(StudyDates, DeclaredFormatsNeverGuessed) {
  using study::days_from_civil;
  using study::parse_date;
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);  // R: as.numeric(as.Date("2000-03-01"))
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(*parse_date("2019-12-31", "%Y-%m-%d"), days_from_civil(2019, 12, 31));
  EXPECT_EQ(*parse_date("03/04/2019", "%d/%m/%Y"), days_from_civil(2019, 4, 3));
  EXPECT_EQ(*parse_date("03/04/2019", "%m/%d/%Y"), days_from_civil(2019, 3, 4));
  EXPECT_EQ(*parse_date("3/4/2019", "%d/%m/%Y"), days_from_civil(2019, 4, 3));
  EXPECT_EQ(*parse_date("2020-02-29", "%Y-%m-%d"), days_from_civil(2020, 2, 29));  // leap year
  EXPECT_FALSE(parse_date("2019-02-29", "%Y-%m-%d"));
  EXPECT_FALSE(parse_date("2019-02-30", "%Y-%m-%d"));
  EXPECT_FALSE(parse_date("1900-02-29", "%Y-%m-%d"));  // 1900 is not a leap year
  EXPECT_EQ(*parse_date("2000-02-29", "%Y-%m-%d"), days_from_civil(2000, 2, 29));
  EXPECT_FALSE(parse_date("2019-13-01", "%Y-%m-%d"));
  EXPECT_FALSE(parse_date("2019-12-31x", "%Y-%m-%d"));
  EXPECT_FALSE(parse_date("31/12/2019", "%Y-%m-%d"));
  EXPECT_FALSE(parse_date("19-12-31", "%Y-%m-%d"));
  EXPECT_EQ(study::format_iso_date(days_from_civil(2019, 7, 31)), "2019-07-31");
  EXPECT_EQ(study::format_iso_date(-1), "1969-12-31");
  // A whole-range round trip.
  for (std::int64_t d = days_from_civil(1899, 1, 1); d < days_from_civil(2101, 1, 1); d += 13)
    EXPECT_EQ(*parse_date(study::format_iso_date(d), "%Y-%m-%d"), d);
}
