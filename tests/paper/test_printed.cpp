// parse_printed: numbers as papers print them, with their precision.
#include <gtest/gtest.h>

#include "survkit/paper_check.hpp"

using namespace survkit;
using K = PrintedValue::Kind;

TEST(Printed, NumbersKeepTheirPrecision) {
  const PrintedValue p = parse_printed("0.479");
  EXPECT_EQ(p.kind, K::Number);
  EXPECT_DOUBLE_EQ(p.value, 0.479);
  EXPECT_EQ(p.decimals, 3);
  EXPECT_NEAR(p.min(), 0.4785, 1e-15);
  EXPECT_NEAR(p.max(), 0.4795, 1e-15);
  EXPECT_EQ(parse_printed("57").decimals, 0);
  EXPECT_EQ(parse_printed("= 3.304").kind, K::Number);  // "HR = 3.304"
  EXPECT_DOUBLE_EQ(parse_printed(".479").value, 0.479);  // SPSS style
}

TEST(Printed, PercentIntervalBelowAndWithCi) {
  const PrintedValue pct = parse_printed("81.6%");
  EXPECT_EQ(pct.kind, K::Percent);
  EXPECT_DOUBLE_EQ(pct.value, 81.6);
  EXPECT_EQ(pct.decimals, 1);

  for (const char* text : {"0.701\u20132.133", "0.701-2.133", "0.701 \u2014 2.133", "0.701 to 2.133"}) {
    const PrintedValue ci = parse_printed(text);
    ASSERT_EQ(ci.kind, K::Interval) << text;
    EXPECT_DOUBLE_EQ(ci.lower, 0.701);
    EXPECT_DOUBLE_EQ(ci.upper, 2.133);
    EXPECT_EQ(ci.lower_decimals, 3);
  }
  const PrintedValue wide = parse_printed("1.478\u201322.185");
  EXPECT_EQ(wide.upper_decimals, 3);

  for (const char* text : {"< 0.001", "<0.001", "\u2264 0.001", "< \n0.001"}) {
    const PrintedValue b = parse_printed(text);
    ASSERT_EQ(b.kind, K::Below) << text;
    EXPECT_DOUBLE_EQ(b.value, 0.001);
    EXPECT_EQ(b.min(), 0.0);
    EXPECT_DOUBLE_EQ(b.max(), 0.001);
  }

  const PrintedValue m = parse_printed("34.5 (21.1\u201347.9)");
  ASSERT_EQ(m.kind, K::WithCi);
  EXPECT_DOUBLE_EQ(m.value, 34.5);
  EXPECT_DOUBLE_EQ(m.lower, 21.1);
  EXPECT_DOUBLE_EQ(m.upper, 47.9);
  const PrintedValue nr = parse_printed("34.5 (20.1\u2013NR)");
  ASSERT_EQ(nr.kind, K::WithCi);
  EXPECT_TRUE(is_na(nr.upper));
}

TEST(Printed, MisprintsAreUnreadableNotGuessed) {
  for (const char* text : {"50..3%", "", "12.", "abc", "0.701\u2013", "1.2.3", "< x", "3 4"})
    EXPECT_EQ(parse_printed(text).kind, K::Unreadable) << text;
  EXPECT_EQ(parse_printed("50..3%").text, "50..3%");
}

TEST(Printed, IdKeysIgnoreSpacesCaseAndDashKind) {
  EXPECT_EQ(id_key("\u2264 12 months"), id_key("\u226412months"));
  EXPECT_EQ(id_key("ECOG-PS / 0\u20131"), id_key("ecog-ps/0-1"));
  EXPECT_NE(id_key("\u2264 60"), id_key("< 60"));
}
