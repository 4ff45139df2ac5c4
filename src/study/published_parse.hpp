// Internal (study): the [[published]] / [[published_table]] tables of a TOML document,
// shared by the study spec (parse_study_spec) and the published file of check-paper
// (parse_published): one parser of the format of docs/published-values.md.
#pragma once

#include <toml++/toml.h>

#include <string>

#include "survkit/paper_check.hpp"

namespace survkit::study {

/// Appends the [[published_table]] and [[published]] entries of `root` to `out`.
/// Throws InputError "SOURCE line N: ..." for unknown keys, wrong types and values that
/// are not texts.  Other keys of `root` are the caller's to check.
void read_published(const toml::table& root, const std::string& source, PublishedSet& out);

}  // namespace survkit::study
