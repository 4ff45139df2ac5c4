// Internal (study): a cheap scan of a TOML spec before toml++ parses it.  toml++ parses
// dotted keys (a.b.c = 1) and nested arrays / inline tables recursively, so a spec with
// tens of thousands of levels overflows the stack (a crash, not an error message).  No
// study spec needs more than a handful of levels.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace survkit::study {

/// Deepest nesting a spec may use: dotted key parts on one line, and open [ / { at once.
inline constexpr std::size_t kMaxSpecNesting = 100;

/// Throws InputError "SOURCE line L: ..." (exit 3) at the first line whose dotted key has
/// more than kMaxSpecNesting parts or where more than kMaxSpecNesting brackets or braces
/// are open.  Strings and comments are skipped; a dot between two digits (1.5, a time's
/// fraction) is not a key separator.
void prescan_spec_nesting(std::string_view text, const std::string& source);

}  // namespace survkit::study
