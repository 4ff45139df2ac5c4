// Internal (study): calendar dates as day numbers, parsed with a declared format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace survkit::study {

/// Days since 1970-01-01 of a proleptic Gregorian date (negative before 1970).
/// Contract: month in 1..12, day in 1..days_in_month(year, month).
std::int64_t days_from_civil(int year, int month, int day);

int days_in_month(int year, int month);

/// Parses `text` with a strftime-like `format`: %Y (4 digits), %m and %d (1 or 2 digits),
/// %% a percent sign, any other character literally.  The whole text must match.
/// Returns nullopt for text that does not match or names no real day (2019-02-30).
/// The format is never guessed: "03/04/2019" is 3 April with "%d/%m/%Y" and 4 March
/// with "%m/%d/%Y".
std::optional<std::int64_t> parse_date(std::string_view text, std::string_view format);

/// True when `format` is a usable date format (has each of %Y, %m, %d exactly once and
/// no other % conversion).
bool valid_date_format(std::string_view format);

/// ISO text "YYYY-MM-DD" of a day number.
std::string format_iso_date(std::int64_t days);

}  // namespace survkit::study
