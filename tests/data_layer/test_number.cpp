// data::parse_number's fast path (Clinger: <= 15 digits, no exponent) must give the very
// same double as fast_float's full algorithm (correctly rounded), bit for bit.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include <survkit/common.hpp>

#include "data/number.hpp"

namespace {

double reference(const std::string& s) {
  double v = 0;
  auto r = fast_float::from_chars(s.data(), s.data() + s.size(), v);
  EXPECT_TRUE(r.ec == std::errc() && r.ptr == s.data() + s.size()) << s;
  return v;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

}  // namespace

TEST(Number, FastPathIsBitIdenticalToFastFloat) {
  std::mt19937_64 rng(20240601);
  std::uniform_int_distribution<int> len(1, 15), digit(0, 9), coin(0, 1);
  for (int i = 0; i < 200000; ++i) {
    const int n = len(rng);
    const int point = std::uniform_int_distribution<int>(0, n)(rng);  // n = no point
    std::string s = coin(rng) ? "-" : "";
    for (int k = 0; k < n; ++k) {
      if (k == point && point < n) s += '.';
      s += static_cast<char>('0' + digit(rng));
    }
    double fast = 0;
    ASSERT_TRUE(survkit::data::detail::parse_plain_decimal(s.data(), s.data() + s.size(), fast)) << s;
    ASSERT_TRUE(same_bits(fast, reference(s))) << s;
  }
  // Hard cases near ties and the 15-digit limit.
  for (const char* s : {"0.1", "0.3", "123456789012345", "0.000000000000001", "9007199254740.99", "-0", "5.", ".5",
                        "0.999999999999999", "1.00000000000001"}) {
    double v = 0;
    ASSERT_TRUE(survkit::data::parse_number(s, v)) << s;
    EXPECT_TRUE(same_bits(v, reference(s))) << s;
  }
}

TEST(Number, ExtendedFastPathIsBitIdenticalToFastFloat) {
  // The fast path also takes leading zeros ("-0.0233398620771741": 15 significant digits,
  // 16 decimals, as R's fwrite writes), up to 2^53 and 22 decimals: Clinger's exact
  // conditions.  Anything bigger must fall back, and must still read correctly.
  std::mt19937_64 rng(20261126);
  std::uniform_int_distribution<int> len(1, 17), zeros(0, 6), digit(0, 9), coin(0, 1);
  int fast_taken = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string s = coin(rng) ? "-0." : "0.";
    s.append(static_cast<std::size_t>(zeros(rng)), '0');
    const int n = len(rng);
    for (int k = 0; k < n; ++k) s += static_cast<char>('0' + digit(rng));
    double fast = 0;
    if (survkit::data::detail::parse_plain_decimal(s.data(), s.data() + s.size(), fast)) {
      ++fast_taken;
      ASSERT_TRUE(same_bits(fast, reference(s))) << s;
    }
    double v = 0;
    ASSERT_TRUE(survkit::data::parse_number(s, v)) << s;
    ASSERT_TRUE(same_bits(v, reference(s))) << s;
  }
  EXPECT_GT(fast_taken, 100000);  // most of these take the fast path
  double v = 0;
  for (const char* s : {"9007199254740992", "0.9007199254740992", "-0.0233398620771741", "0.0000000000000000000001"}) {
    ASSERT_TRUE(survkit::data::detail::parse_plain_decimal(s, s + std::strlen(s), v)) << s;
    EXPECT_TRUE(same_bits(v, reference(s))) << s;
  }
  // Beyond 2^53 or 22 decimals: not the fast path.
  for (const char* s : {"9007199254740993", "0.00000000000000000000001", "12345678901234567890"})
    EXPECT_FALSE(survkit::data::detail::parse_plain_decimal(s, s + std::strlen(s), v)) << s;
}

TEST(Number, FallbackAndRejections) {
  double v = 0;
  // 16+ digits, exponents, Inf: handled by fast_float.
  ASSERT_TRUE(survkit::data::parse_number("1234567890123456789", v));
  EXPECT_EQ(v, 1234567890123456789.0);
  ASSERT_TRUE(survkit::data::parse_number("2.5e-3", v));
  EXPECT_EQ(v, reference("2.5e-3"));
  ASSERT_TRUE(survkit::data::parse_number("+Inf", v));
  EXPECT_EQ(v, INFINITY);
  for (const char* s : {"", "-", "+", ".", "nan", "NaN", "1e", "0x1p3", "+-2", "1,5", "1 2", "abc"})
    EXPECT_FALSE(survkit::data::parse_number(s, v)) << s;
}

TEST(Number, FormatShortestRoundTrip) {
  using survkit::data::format_number;
  EXPECT_EQ(format_number(1), "1");
  EXPECT_EQ(format_number(1.5), "1.5");
  EXPECT_EQ(format_number(-0.25), "-0.25");
  EXPECT_EQ(format_number(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(format_number(100000), "1e+05");
  EXPECT_EQ(format_number(123456), "123456");
  EXPECT_EQ(format_number(-INFINITY), "-Inf");
  EXPECT_EQ(format_number(survkit::NA), "NA");
}

TEST(Number, MissingSpellings) {
  using survkit::data::is_missing_token;
  for (const char* s : {"", "NA", "NaN", "nan", "NAN", "-nan", "."}) EXPECT_TRUE(is_missing_token(s)) << s;
  for (const char* s : {"na", "N/A", "..", "0", "NULL"}) EXPECT_FALSE(is_missing_token(s)) << s;
}

TEST(Number, ScanStopsAtTheCellEndWithTextAfterIt) {
  // The CSV tokenizer parses a cell where it stands, with the rest of the row after it:
  // then the last 1..7 digits are read in one 8-byte step (leading_digit_bytes), which a
  // number at the very end of a string never reaches.  Same bits as fast_float, and the
  // returned pointer is the end of the number.
  std::mt19937_64 rng(20261127);
  std::uniform_int_distribution<int> len(1, 17), digit(0, 9), coin(0, 1), zeros(0, 3);
  for (int i = 0; i < 200000; ++i) {
    std::string s = coin(rng) ? "-" : "";
    const int n = len(rng);
    const int point = std::uniform_int_distribution<int>(0, n)(rng);
    if (point == 0) s.append(static_cast<std::size_t>(zeros(rng)), '0');
    for (int k = 0; k < n; ++k) {
      if (k == point) s += '.';
      s += static_cast<char>('0' + digit(rng));
    }
    const std::string row = s + (coin(rng) ? ",12345678,x\n" : "\r\n9");
    double v = 0;
    const char* stop = survkit::data::detail::scan_plain_decimal(row.data(), row.data() + row.size(), v);
    double whole = 0;
    const bool fast = survkit::data::detail::parse_plain_decimal(s.data(), s.data() + s.size(), whole);
    ASSERT_EQ(stop != nullptr, fast) << s;  // the same numbers take the fast path
    if (!fast) continue;
    ASSERT_EQ(stop, row.data() + s.size()) << s;
    ASSERT_TRUE(same_bits(v, reference(s))) << s;
  }
}

TEST(Number, LeadingDigitBytes) {
  auto count = [](const char (&s)[9]) {
    std::uint64_t v;
    std::memcpy(&v, s, 8);
    return survkit::data::detail::leading_digit_bytes(v);
  };
  EXPECT_EQ(count("12345678"), 8);
  EXPECT_EQ(count("1234567,"), 7);
  EXPECT_EQ(count("1,345678"), 1);
  EXPECT_EQ(count(",2345678"), 0);
  EXPECT_EQ(count("09:/\xff\xfa" "00"), 2);  // ':' and '/' border the digits
  EXPECT_EQ(count("999\xfa" "9999"), 3);      // a carry out of a non-digit byte
}
