// survkit::data: reading and writing the numbers found in delimited text.
//
// Shared by the CSV parser (type inference, hot path: no allocation) and the model frame
// (numeric comparisons such as status=2, level names of numeric factors).
#pragma once

#include <fast_float/fast_float.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
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

/// True when the 8 bytes of `v` (little-endian) are all ASCII digits.
inline bool eight_digits(std::uint64_t v) {
  return ((v & 0xF0F0F0F0F0F0F0F0) | (((v + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) >> 4)) ==
         0x3333333333333333;
}

/// The value of 8 digit values 0..9, one per byte (the first digit in the lowest byte).
inline std::uint64_t digit_bytes_value(std::uint64_t v) {
  v = (v * 10) + (v >> 8);
  return (((v & 0x000000FF000000FF) * 0x000F424000000064) + (((v >> 16) & 0x000000FF000000FF) * 0x0000271000000001)) >> 32;
}

/// The number of leading (lowest) bytes of `v` that are ASCII digits, 0..8.  A byte is a
/// digit when its high nibble is 3, also after adding 6 (low nibble <= 9); a carry out of
/// a non-digit byte only disturbs the bytes above the first non-digit.
inline int leading_digit_bytes(std::uint64_t v) {
  const std::uint64_t bad = ((v & 0xF0F0F0F0F0F0F0F0) ^ 0x3030303030303030) |
                            (((v + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0) ^ 0x3030303030303030);
  return bad == 0 ? 8 : std::countr_zero(bad) / 8;
}

/// The value of 8 ASCII digits (little-endian load: the first digit is the lowest byte),
/// three multiplications instead of eight (the SWAR method of fast_float).
inline std::uint64_t eight_digit_value(std::uint64_t v) {
  return digit_bytes_value(v - 0x3030303030303030);
}

/// Accumulates the digits at p into m; `significant` counts the digits once m != 0.
/// Eight at a time while m cannot overflow (at most 19 significant digits), the last
/// 1..7 of such a run in one more step, then one by one (near the end of the text, or
/// past 19 digits, where m wraps but the caller then rejects the fast path).
[[gnu::always_inline]] inline const char* read_digits(const char* p, const char* last, std::uint64_t& m, int& significant) {
  while (m == 0 && p != last && *p == '0') ++p;  // leading zeros do not count
  static constexpr std::uint64_t kPow10[8] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};
  while (last - p >= 8 && significant <= 11) {
    std::uint64_t v;
    std::memcpy(&v, p, 8);
    if (!eight_digits(v)) {
      // The last 1..7 digits in one step too: shifted to the top bytes, with zero
      // digits below them, they read as an 8-digit number with leading zeros.
      const int k = leading_digit_bytes(v);
      if (k > 0) {
        m = m * kPow10[k] + digit_bytes_value((v - 0x3030303030303030) << (8 * (8 - k)));
        significant += k;
        p += k;
      }
      break;
    }
    m = m * 100000000 + eight_digit_value(v);
    significant += 8;
    p += 8;
  }
  for (; p != last && static_cast<unsigned>(*p - '0') < 10; ++p) {
    m = m * 10 + static_cast<unsigned>(*p - '0');
    ++significant;
  }
  return p;
}

/// Clinger's fast path for the common cell "[-]digits[.digits]": when the digits form an
/// integer m <= 2^53 (leading zeros do not count: "0.0123" is m = 123) and there are at
/// most 22 decimals, m and 10^k are exact doubles and the one IEEE division m / 10^k is
/// the correctly rounded value, the same double fast_float or R's strtod give.  This
/// covers the 15-significant-digit numbers R writes.  Returns false (caller falls back to
/// fast_float) for anything else.
/// The same fast path on a prefix: reads "[-]digits[.digits]" from p and returns the
/// pointer after it (the caller checks what follows), or nullptr when the text there is
/// not such a number or falls outside the fast path.  Lets the CSV tokenizer parse a
/// numeric cell where it stands, in the same pass that finds its end.
[[gnu::always_inline]] inline const char* scan_plain_decimal(const char* p, const char* last, double& out) {
  static constexpr double kPow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                        1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                        1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const bool negative = p != last && *p == '-';
  if (negative) ++p;
  std::uint64_t m = 0;
  int significant = 0, frac = 0;
  const char* start = p;
  p = read_digits(p, last, m, significant);
  bool any_digit = p != start;
  if (p != last && *p == '.') {
    const char* f = ++p;
    p = read_digits(p, last, m, significant);
    frac = static_cast<int>(p - f);
    any_digit = any_digit || frac > 0;
  }
  if (!any_digit || significant > 19 || frac > 22 || m > (std::uint64_t{1} << 53)) return nullptr;
  const double v = static_cast<double>(m) / kPow10[frac];
  out = negative ? -v : v;
  return p;
}

/// Clinger's fast path on the whole of [p, last): false unless all of it is consumed.
inline bool parse_plain_decimal(const char* p, const char* last, double& out) {
  double v = 0;
  const char* stop = scan_plain_decimal(p, last, v);
  if (stop != last) return false;
  out = v;
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
