// The shared text layer: one name table per option enum (survkit/enum_names.hpp) and the
// number / CSV / list formatting shared by the command line and the study report
// (survkit/format.hpp).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <survkit/enum_names.hpp>
#include <survkit/format.hpp>

using namespace survkit;

namespace {

// Every value of E, declared here independently of the tables, with its spelling.
template <class E>
struct Expected {
  E value;
  const char* name;
};

template <class E>
void expect_round_trip(const std::vector<Expected<E>>& expected) {
  ASSERT_EQ(std::size(EnumNames<E>::table), expected.size()) << "a value without a name, or an extra name";
  std::vector<std::string> names;
  for (const auto& [value, name] : expected) {
    EXPECT_EQ(to_name(value), name);
    const auto back = from_name<E>(name);
    ASSERT_TRUE(back.has_value()) << name;
    EXPECT_EQ(*back, value) << name;
    EXPECT_EQ(to_name(*from_name<E>(to_name(value))), name);
    names.push_back(name);
  }
  EXPECT_EQ(enum_names<E>(), names);
}

}  // namespace

TEST(EnumNames, EveryEnumeratorRoundTrips) {
  expect_round_trip<Ties>({{Ties::Efron, "efron"}, {Ties::Breslow, "breslow"}});
  expect_round_trip<ConfType>({{ConfType::Log, "log"}, {ConfType::LogLog, "log-log"}, {ConfType::Plain, "plain"}});
  expect_round_trip<MatchOrder>({{MatchOrder::largest, "largest"},
                                 {MatchOrder::smallest, "smallest"},
                                 {MatchOrder::data, "data"},
                                 {MatchOrder::random, "random"}});
  expect_round_trip<MatchDiscard>({{MatchDiscard::none, "none"},
                                   {MatchDiscard::treated, "treated"},
                                   {MatchDiscard::control, "control"},
                                   {MatchDiscard::both, "both"}});
  expect_round_trip<Distance>({{Distance::Logit, "logit"}, {Distance::Ps, "ps"}});
  expect_round_trip<CaliperScale>({{CaliperScale::Sd, "sd"}, {CaliperScale::Distance, "distance"}});
  expect_round_trip<TimeUnit>({{TimeUnit::Days, "days"}, {TimeUnit::Months, "months"}, {TimeUnit::Years, "years"}});
  expect_round_trip<Table1Test>(
      {{Table1Test::Auto, "auto"}, {Table1Test::ChiSquare, "chisq"}, {Table1Test::Fisher, "fisher"}});
}

TEST(EnumNames, NamesAreExactAndUnknownNamesAreRefused) {
  // No aliases are accepted anywhere today: spellings are exact and case-sensitive.
  for (const char* bad : {"", "Efron", "EFRON", "exact", " efron", "efron "})
    EXPECT_FALSE(from_name<Ties>(bad).has_value()) << bad;
  for (const char* bad : {"loglog", "log_log", "logit", "Log"})
    EXPECT_FALSE(from_name<ConfType>(bad).has_value()) << bad;
  EXPECT_FALSE(from_name<TimeUnit>("weeks").has_value());
  EXPECT_FALSE(from_name<TimeUnit>("month").has_value());
  EXPECT_FALSE(from_name<Table1Test>("chisquare").has_value());
  EXPECT_FALSE(from_name<Distance>("glm").has_value());
  EXPECT_FALSE(from_name<MatchOrder>("closest").has_value());
}

TEST(EnumNames, AllowedNamesForMessages) {
  EXPECT_EQ(allowed_names<Ties>(NameList::Plain), "efron or breslow");
  EXPECT_EQ(allowed_names<ConfType>(NameList::Plain), "log, log-log or plain");
  EXPECT_EQ(allowed_names<Ties>(NameList::Quoted), "\"efron\" or \"breslow\"");
  EXPECT_EQ(allowed_names<TimeUnit>(NameList::Quoted), "\"days\", \"months\" or \"years\"");
  EXPECT_EQ(allowed_names<MatchOrder>(NameList::Quoted), "\"largest\", \"smallest\", \"data\" or \"random\"");
  EXPECT_EQ(allowed_names<Table1Test>(NameList::Quoted),
            "\"auto\" (chi-square, Fisher when an expected count < 5), \"chisq\" or \"fisher\"");
  EXPECT_EQ(allowed_names<Table1Test>(NameList::Plain), "auto, chisq or fisher");
}

TEST(Format, FixedAndP) {
  const double na = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(format_fixed(1.23456, 3), "1.235");
  EXPECT_EQ(format_fixed(-0.0001, 3), "0.000");  // no "-0.000"
  EXPECT_EQ(format_fixed(-0.0, 1), "0.0");
  EXPECT_EQ(format_fixed(-0.02, 1), "0.0");
  EXPECT_EQ(format_fixed(-0.06, 1), "-0.1");
  EXPECT_EQ(format_fixed(-10.0, 0), "-10");
  EXPECT_EQ(format_fixed(inf, 2), "Inf");
  EXPECT_EQ(format_fixed(-inf, 2), "-Inf");
  EXPECT_EQ(format_fixed(na, 2), "NA");
  EXPECT_EQ(format_fixed(na, 2, ""), "");
  EXPECT_EQ(format_p(0.0464), "0.046");
  EXPECT_EQ(format_p(1.0), "1.000");
  EXPECT_EQ(format_p(0.001), "0.001");
  EXPECT_EQ(format_p(0.000999), "< 0.001");
  EXPECT_EQ(format_p(0.0), "< 0.001");
  EXPECT_EQ(format_p(na), "NA");
  EXPECT_EQ(format_p(na, ""), "");
  EXPECT_EQ(format_sig(0.54166666, 4), "0.5417");
  EXPECT_EQ(format_sig(306.0, 4), "306");
  EXPECT_EQ(format_sig(1.2e-05, 4), "1.2e-05");
  EXPECT_EQ(format_sig(na), "NA");
  EXPECT_EQ(format_sig(-inf), "-Inf");
  // A negative zero prints as 0.  (Before: "-0", e.g. "Likelihood ratio test = -0 on 0 df"
  // of cox --covariates sex --strata sex.)
  EXPECT_EQ(format_sig(-0.0, 6), "0");
}

TEST(Format, CsvFieldFollowsRfc4180AndKeepsSpaces) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
  EXPECT_EQ(csv_field("< 0.001"), "< 0.001");  // inner spaces need no quotes
  EXPECT_EQ(csv_field(" lead"), "\" lead\"");  // else a reader would trim them
  EXPECT_EQ(csv_field("trail "), "\"trail \"");
  EXPECT_EQ(csv_field("0.701\u20132.133"), "0.701\u20132.133");
}

TEST(Format, Join) {
  const std::vector<std::string> none, one{"a"}, two{"a", "b"}, three{"a", "b", "c"};
  EXPECT_EQ(join(none), "");
  EXPECT_EQ(join(one), "a");
  EXPECT_EQ(join(three), "a, b, c");
  EXPECT_EQ(join(two, {.last = " and "}), "a and b");
  EXPECT_EQ(join(three, {.last = " and "}), "a, b and c");
  EXPECT_EQ(join(three, {.separator = "/"}), "a/b/c");
  EXPECT_EQ(join(three, {.max_items = 2}), "a, b, ... (1 more)");
  EXPECT_EQ(join(three, {.max_items = 3}), "a, b, c");
  EXPECT_EQ(join(std::vector<std::string_view>{"x", "y"}), "x, y");
}
