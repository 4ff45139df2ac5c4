// Small parsers and renderers shared by the commands.
#pragma once

#include <string>
#include <vector>

#include "output.hpp"
#include "survkit/common.hpp"
#include "survkit/km.hpp"

namespace survkit::cli {

/// "t1,t2,..." (possibly repeated options) -> numbers; UsageError naming `option` and the
/// offending text otherwise.
std::vector<double> parse_numbers(const std::vector<std::string>& items, const char* option);

ConfType parse_conf_type(const std::string& name);
const char* conf_type_name(ConfType type);

/// {"estimate", "lower", "upper"}
Json json_estimate(const Estimate& e);

/// {"stat", "df", "p"}
Json json_test(const TestResult& t);

}  // namespace survkit::cli
