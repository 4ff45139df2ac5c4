// Calendar arithmetic after H. Hinnant's public-domain days_from_civil / civil_from_days
// (exact for every proleptic Gregorian date, no tables, no time zones: the study only
// ever needs whole-day differences).
#include "study/dates.hpp"

#include <cstdio>

namespace survkit::study {

std::int64_t days_from_civil(int year, int month, int day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;  // March = 0, so the leap day is last
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

int days_in_month(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

namespace {

// Reads 1..max_digits digits (exactly `max_digits` when `exact`) at text[pos].
bool read_int(std::string_view text, std::size_t& pos, int max_digits, bool exact, int& out) {
  int n = 0, value = 0;
  while (pos < text.size() && n < max_digits && text[pos] >= '0' && text[pos] <= '9') {
    value = value * 10 + (text[pos] - '0');
    ++pos;
    ++n;
  }
  out = value;
  return exact ? n == max_digits : n > 0;
}

}  // namespace

std::optional<std::int64_t> parse_date(std::string_view text, std::string_view format) {
  int year = -1, month = -1, day = -1;
  std::size_t pos = 0;
  for (std::size_t f = 0; f < format.size(); ++f) {
    if (format[f] == '%' && f + 1 < format.size()) {
      const char conv = format[++f];
      bool ok = false;
      if (conv == 'Y') ok = read_int(text, pos, 4, true, year);
      else if (conv == 'm') ok = read_int(text, pos, 2, false, month);
      else if (conv == 'd') ok = read_int(text, pos, 2, false, day);
      else if (conv == '%') ok = pos < text.size() && text[pos++] == '%';
      if (!ok) return std::nullopt;
    } else {
      if (pos >= text.size() || text[pos] != format[f]) return std::nullopt;
      ++pos;
    }
  }
  if (pos != text.size() || year < 0 || month < 1 || month > 12 || day < 1) return std::nullopt;
  if (day > days_in_month(year, month)) return std::nullopt;
  return days_from_civil(year, month, day);
}

bool valid_date_format(std::string_view format) {
  int y = 0, m = 0, d = 0;
  for (std::size_t f = 0; f < format.size(); ++f) {
    if (format[f] != '%') continue;
    if (f + 1 >= format.size()) return false;
    const char conv = format[++f];
    if (conv == 'Y') ++y;
    else if (conv == 'm') ++m;
    else if (conv == 'd') ++d;
    else if (conv != '%') return false;
  }
  return y == 1 && m == 1 && d == 1;
}

std::string format_iso_date(std::int64_t days) {
  // civil_from_days
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const long long y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", y, m, d);
  return buf;
}

}  // namespace survkit::study
