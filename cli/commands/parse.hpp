// Small parsers and renderers shared by the commands.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "output.hpp"
#include "survkit/common.hpp"
#include "survkit/km.hpp"

namespace survkit::cli {

/// "t1,t2,..." (possibly repeated options) -> numbers; UsageError naming `option` and the
/// offending text otherwise.
std::vector<double> parse_numbers(const std::vector<std::string>& items, const char* option);

/// Check for --conf-level: strictly inside (0, 1).  CLI::Range is closed, and a level of 0
/// or 1 would print zero-width or infinite intervals instead of an error.
CLI::Validator open_unit_interval();

ConfType parse_conf_type(const std::string& name);
const char* conf_type_name(ConfType type);

/// {"estimate", "lower", "upper"}
Json json_estimate(const Estimate& e);

/// {"stat", "df", "p"}
Json json_test(const TestResult& t);

}  // namespace survkit::cli
