// survkit::data: reading and writing the numbers found in delimited text.
//
// Shared by the CSV parser (type inference, hot path: no allocation) and the model frame
// (numeric comparisons such as status=2, level names of numeric factors).
#pragma once

#include <fast_float/fast_float.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace survkit::data {

/// Spaces around an unquoted cell are not part of its value ("  3 " reads as 3).
inline bool is_blank_char(char c) { return c == ' ' || c == '\t'; }

inline std::string_view trim_spaces(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && is_blank_char(s[b])) ++b;
  while (e > b && is_blank_char(s[e - 1])) --e;
  return s.substr(b, e - b);
}

/// "nan" in any case, optionally signed: fast_float reads these as NaN (R's read.csv reads
/// "nan"/"NaN" as NaN too), and NaN is survkit's missing marker, so they mean "missing".
inline bool is_nan_spelling(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  return s.size() == 3 && (s[0] | 0x20) == 'n' && (s[1] | 0x20) == 'a' && (s[2] | 0x20) == 'n';
}

/// The spellings of a missing cell, `s` already trimmed: empty, NA, NaN (any case, see
/// is_nan_spelling) and "." (SAS / Stata export).  Case matters for NA: "na" is a value,
/// as in R.
inline bool is_missing_token(std::string_view s) {
  switch (s.size()) {
    case 0: return true;
    case 1: return s[0] == '.';
    case 2: return s[0] == 'N' && s[1] == 'A';
    default: return is_nan_spelling(s);
  }
}

/// Parses `s` (already trimmed) as one number: decimal or scientific notation, an optional
/// leading '+' (fast_float rejects it, R accepts it), Inf / Infinity in any case with an
/// optional sign (as R's read.csv, which makes such a column numeric).  Returns false
/// unless the whole text is consumed.  NaN spellings are not numbers here: callers test
/// is_missing_token first.  Not accepted, unlike R's type.convert: hexadecimal ("0x10")
/// and a dangling exponent ("1e"), which R reads by accident of strtod.
namespace detail {

/// Clinger's fast path for the common cell "[-]digits[.digits]" with at most 15 digits:
/// the digits form an integer m < 10^15 < 2^53 and 10^k (k <= 15) is exact, so the one
/// IEEE division m / 10^k is the correctly rounded value, the same double fast_float or
/// R's strtod give.  Returns false (caller falls back to fast_float) for anything else.
inline bool parse_plain_decimal(const char* p, const char* last, double& out) {
  static constexpr double kPow10[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  const bool negative = p != last && *p == '-';
  if (negative) ++p;
  std::uint64_t m = 0;  // wraps harmlessly past 19 digits: then digits > 15 and it is unused
  int digits = 0, frac = 0;
  for (; p != last && static_cast<unsigned>(*p - '0') < 10; ++p, ++digits) m = m * 10 + static_cast<unsigned>(*p - '0');
  if (p != last && *p == '.') {
    const char* f = ++p;
    for (; p != last && static_cast<unsigned>(*p - '0') < 10; ++p, ++digits) m = m * 10 + static_cast<unsigned>(*p - '0');
    frac = static_cast<int>(p - f);
  }
  if (p != last || digits == 0 || digits > 15) return false;
  const double v = static_cast<double>(m) / kPow10[frac];
  out = negative ? -v : v;
  return true;
}

}  // namespace detail

inline bool parse_number(std::string_view s, double& out) {
  const char* first = s.data();
  const char* last = first + s.size();
  if (detail::parse_plain_decimal(first, last, out)) return true;
  if (first != last && *first == '+') {
    ++first;
    if (first == last || *first == '+' || *first == '-') return false;
  }
  if (first == last) return false;
  auto r = fast_float::from_chars(first, last, out);
  return r.ec == std::errc() && r.ptr == last && !std::isnan(out);
}

/// Shortest text that reads back as exactly `x`: "1", "2.5", "1e+05" (std::to_chars picks
/// the shorter of fixed and scientific, which matches how R prints such values),
/// "Inf"/"-Inf" as R writes them, "NA" for NaN.
std::string format_number(double x);

}  // namespace survkit::data
