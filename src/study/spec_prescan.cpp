#include "study/spec_prescan.hpp"

#include <cctype>

#include "survkit/common.hpp"

namespace survkit::study {

namespace {

bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

[[noreturn]] void too_deep(const std::string& source, std::size_t line, const char* what) {
  throw InputError(source + " line " + std::to_string(line) + ": " + what + " nested more than " +
                       std::to_string(kMaxSpecNesting) + " levels deep; a study spec needs a few",
                   source, line);
}

}  // namespace

void prescan_spec_nesting(std::string_view text, const std::string& source) {
  std::size_t line = 1, depth = 0, dots = 0;
  std::size_t i = 0;
  const std::size_t n = text.size();
  const auto starts = [&](std::size_t at, std::string_view s) { return text.substr(at, s.size()) == s; };
  while (i < n) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
      dots = 0;
      ++i;
    } else if (c == '#') {  // comment to the end of the line
      while (i < n && text[i] != '\n') ++i;
    } else if (starts(i, "\"\"\"") || starts(i, "'''")) {  // multi-line string
      const std::string_view close = text.substr(i, 3);
      i += 3;
      while (i < n && !starts(i, close)) {
        const bool escape = text[i] == '\\' && close[0] == '"' && i + 1 < n;
        if (escape) ++i;  // the escaped character is skipped below, a line break counted
        if (text[i] == '\n') ++line;
        ++i;
      }
      i += 3;
    } else if (c == '"' || c == '\'') {  // one-line string
      ++i;
      while (i < n && text[i] != c && text[i] != '\n') i += text[i] == '\\' && c == '"' ? 2 : 1;
      if (i < n && text[i] == c) ++i;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxSpecNesting) too_deep(source, line, "arrays or tables");
      ++i;
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
      ++i;
    } else if (c == '.') {
      if (!(i > 0 && i + 1 < n && digit(text[i - 1]) && digit(text[i + 1])) && ++dots >= kMaxSpecNesting)
        too_deep(source, line, "a dotted key is");
      ++i;
    } else {
      ++i;
    }
  }
}

}  // namespace survkit::study
