// parse_printed: a number as a paper prints it, with its precision (paper_check.hpp).
#include <cctype>
#include <cmath>
#include <string>

#include "survkit/paper_check.hpp"

namespace survkit {

namespace {

/// The text with thin / no-break spaces as spaces, en and em dashes as '\x01' and "≤" as
/// '<', trimmed.
std::string normalise(std::string_view in, bool le_as_lt = true) {
  std::string s;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::string_view rest = in.substr(i);
    if (rest.starts_with("\xE2\x80\x93") || rest.starts_with("\xE2\x80\x94") || rest.starts_with("\xE2\x88\x92")) {
      s += '\x01';
      i += 2;
    } else if (le_as_lt && rest.starts_with("\xE2\x89\xA4")) {
      s += '<';
      i += 2;
    } else if (rest.starts_with("\xC2\xA0")) {
      s += ' ';
      i += 1;
    } else if (rest.starts_with("\xE2\x80\x89") || rest.starts_with("\xE2\x80\xAF")) {
      s += ' ';
      i += 2;
    } else {
      s += in[i];
    }
  }
  const auto b = s.find_first_not_of(" \t\n");
  if (b == std::string::npos) return {};
  const auto e = s.find_last_not_of(" \t\n");
  return s.substr(b, e - b + 1);
}

void skip_spaces(std::string_view s, std::size_t& pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\n')) ++pos;
}

/// A plain decimal number at `pos` ("12", "0.479", ".479"), or "NR" (value NA).
bool read_number(std::string_view s, std::size_t& pos, double& value, int& decimals) {
  skip_spaces(s, pos);
  if (s.substr(pos).starts_with("NR")) {
    pos += 2;
    value = NA;
    decimals = 0;
    return true;
  }
  const std::size_t start = pos;
  std::size_t digits = 0;
  while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos, ++digits;
  decimals = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos, ++decimals;
    if (decimals == 0) return false;  // "12." or "50..3"
  }
  if (digits + static_cast<std::size_t>(decimals) == 0) return false;
  value = std::stod(std::string(s.substr(start, pos - start)));
  return true;
}

/// An interval separator at `pos`: a dash, a hyphen, "to" or a comma.
bool read_separator(std::string_view s, std::size_t& pos) {
  skip_spaces(s, pos);
  if (pos < s.size() && (s[pos] == '\x01' || s[pos] == '-' || s[pos] == ',')) {
    ++pos;
    return true;
  }
  if (s.substr(pos).starts_with("to ")) {
    pos += 2;
    return true;
  }
  return false;
}

bool read_interval(std::string_view s, std::size_t& pos, PrintedValue& v) {
  return read_number(s, pos, v.lower, v.lower_decimals) && read_separator(s, pos) &&
         read_number(s, pos, v.upper, v.upper_decimals);
}

}  // namespace

double PrintedValue::half_unit() const { return 0.5 * std::pow(10.0, -decimals); }

double PrintedValue::min() const {
  if (kind == Kind::Below) return 0.0;
  if (kind == Kind::Interval || kind == Kind::Unreadable || is_na(value)) return NA;
  return std::max(0.0, value - half_unit());
}

double PrintedValue::max() const {
  if (kind == Kind::Below) return value;
  if (kind == Kind::Interval || kind == Kind::Unreadable || is_na(value)) return NA;
  return value + half_unit();
}

PrintedValue parse_printed(std::string_view text) {
  PrintedValue v;
  v.text = std::string(text);
  std::string s = normalise(text);
  if (!s.empty() && s[0] == '=') s = normalise(s.substr(1));
  if (s.empty()) return v;
  std::size_t pos = 0;
  PrintedValue r = v;
  if (s[0] == '<') {
    pos = 1;
    r.kind = PrintedValue::Kind::Below;
    if (read_number(s, pos, r.value, r.decimals) && !is_na(r.value) && pos == s.size()) return r;
    return v;
  }
  if (s.back() == '%') {
    s.pop_back();
    r.kind = PrintedValue::Kind::Percent;
    if (read_number(s, pos, r.value, r.decimals) && !is_na(r.value) && (skip_spaces(s, pos), pos == s.size())) return r;
    return v;
  }
  if (!read_number(s, pos, r.value, r.decimals)) return v;
  skip_spaces(s, pos);
  if (pos == s.size()) {
    r.kind = PrintedValue::Kind::Number;
    return r;
  }
  if (s[pos] == '(' && s.back() == ')') {
    // "34.5 (21.1–47.9)"
    std::size_t inner = pos + 1;
    const std::string_view body = std::string_view(s).substr(0, s.size() - 1);
    if (read_interval(body, inner, r) && (skip_spaces(body, inner), inner == body.size())) {
      r.kind = PrintedValue::Kind::WithCi;
      return r;
    }
    return v;
  }
  // "0.701–2.133": the first number was the lower limit.
  r.lower = r.value;
  r.lower_decimals = r.decimals;
  r.value = NA;
  r.decimals = 0;
  if (is_na(r.lower) || !read_separator(s, pos) || !read_number(s, pos, r.upper, r.upper_decimals)) return v;
  skip_spaces(s, pos);
  if (pos != s.size()) return v;
  r.kind = PrintedValue::Kind::Interval;
  return r;
}

std::string id_key(std::string_view name) {
  const std::string s = normalise(name, false);
  std::string out;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n') continue;
    out += c == '\x01' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace survkit
