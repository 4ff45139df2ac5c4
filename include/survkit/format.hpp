// Text formatting shared by the command-line output and the study report: numbers as
// journals print them, CSV fields and word lists.  One implementation of each.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <string_view>

namespace survkit {

/// `x` with `decimals` decimals ("-0.000" is "0.000"; from 1e15 on "1.2346e+300"); "Inf"/"-Inf" when
/// infinite; `na` when missing (the command line prints "NA", report cells stay empty).
std::string format_fixed(double x, int decimals, std::string_view na = "NA");

/// A p-value as journals print it: "< 0.001" below 0.001, otherwise 3 decimals
/// ("0.046", "1.000"); `na` when missing.
std::string format_p(double p, std::string_view na = "NA");

/// A number with `digits` significant digits, as R's print (e.g. 4 -> 0.5417, 306,
/// 1.2e-05); "NA" when missing, "Inf"/"-Inf" when infinite.
std::string format_sig(double x, int digits = 4);

/// One CSV field (RFC 4180): a field holding a comma, a quote or a line break is quoted,
/// quotes doubled.  A field with a leading or trailing space is quoted too, so that no
/// reader trims it (survkit's own CSV reader trims unquoted fields).
std::string csv_field(std::string_view s);

/// How join() separates its items.
struct JoinStyle {
  std::string_view separator = ", ";
  /// Between the last two items ("a, b and c"); empty = `separator`.
  std::string_view last = {};
  /// At most this many items, then "<separator>... (N more)".
  std::size_t max_items = std::numeric_limits<std::size_t>::max();
};

/// The items of `range` (strings or string views) in order: join({"a", "b", "c"}) is
/// "a, b, c"; join(v, {.last = " and "}) is "a, b and c".
template <class Range>
std::string join(const Range& range, const JoinStyle& style = {}) {
  std::size_t n = 0;
  for (const auto& item : range) {
    (void)item;
    ++n;
  }
  std::string out;
  std::size_t i = 0;
  for (const auto& item : range) {
    if (i == style.max_items) {
      out += style.separator;
      out += "... (" + std::to_string(n - style.max_items) + " more)";
      break;
    }
    if (i > 0) out += i + 1 == n && !style.last.empty() ? style.last : style.separator;
    out += std::string_view(item);
    ++i;
  }
  return out;
}

}  // namespace survkit
