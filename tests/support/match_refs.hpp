// Test support for the matching area: where the reference CSV files that
// tests/reference/matching/make_match_refs.R writes live.  They are read with the shared
// reader in support/ref_csv.hpp (RefCsv).
#pragma once

#include <string>

#include "support/ref_csv.hpp"

namespace survkit::test {

inline std::string match_ref_path(const std::string& file) { return ref_path("matching/" + file); }

}  // namespace survkit::test
