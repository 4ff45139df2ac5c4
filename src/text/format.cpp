#include "survkit/format.hpp"

#include <fmt/core.h>

#include <cmath>

namespace survkit {

std::string format_fixed(double x, int decimals, std::string_view na) {
  if (std::isnan(x)) return std::string(na);
  if (std::isinf(x)) return x > 0 ? "Inf" : "-Inf";
  // Past 15 integer digits fixed notation stops being readable (1e300 would print 300
  // digits and break every table's layout) and is no more exact: scientific instead.
  if (std::fabs(x) >= 1e15) return fmt::format("{:.{}e}", x, decimals);
  std::string s = fmt::format("{:.{}f}", x, decimals);
  if (s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // no "-0.000"
  return s;
}

std::string format_p(double p, std::string_view na) {
  if (std::isnan(p)) return std::string(na);
  return p < 0.001 ? "< 0.001" : format_fixed(p, 3);
}

std::string format_sig(double x, int digits) {
  if (std::isnan(x)) return "NA";
  if (std::isinf(x)) return x > 0 ? "Inf" : "-Inf";
  if (x == 0) x = 0.0;  // a negative zero (e.g. a likelihood ratio of -0 on 0 df) prints as 0
  return fmt::format("{:.{}g}", x, digits);
}

std::string csv_field(std::string_view s) {
  const bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos ||
                     (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace survkit
