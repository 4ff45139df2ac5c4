// Small parsers and renderers shared by the commands.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "output.hpp"
#include "survkit/common.hpp"
#include "survkit/enum_names.hpp"
#include "survkit/km.hpp"

namespace survkit::cli {

/// "t1,t2,..." (possibly repeated options) -> numbers; UsageError naming `option` and the
/// offending text otherwise.
std::vector<double> parse_numbers(const std::vector<std::string>& items, const char* option);

/// Check for --conf-level: strictly inside (0, 1).  CLI::Range is closed, and a level of 0
/// or 1 would print zero-width or infinite intervals instead of an error.
CLI::Validator open_unit_interval();

/// CLI11 check of an enum option: one of the names in survkit/enum_names.hpp (its error
/// and the help list them in table order, e.g. {efron,breslow}).
/// Check of a numeric option: the text must be a finite number for which `ok` holds;
/// otherwise "must be <allowed>, not 'TEXT'" (CLI11's own range checks print the
/// infinite end of a range as a 309-digit number, and let nan through).
CLI::Validator number_check(bool (*ok)(double), std::string allowed);

/// --rmst and the like: a finite number > 0.
CLI::Validator positive_finite(std::string allowed);

/// --caliper and the like: a finite number >= 0.
CLI::Validator non_negative_finite(std::string allowed);

/// --ratio and the like: a whole number >= 1.
CLI::Validator positive_whole(std::string allowed);

template <class E>
CLI::Validator one_of_names() {
  return CLI::IsMember(enum_names<E>());
}

[[noreturn]] void throw_unknown_name(const char* option, const std::string& allowed, const std::string& name);

/// The value of an enum option named `name`; UsageError "--conf-type must be log,
/// log-log or plain, not 'x'" for any other name (one_of_names() normally rejects it first).
template <class E>
E parse_name(const std::string& name, const char* option) {
  if (const auto value = from_name<E>(name)) return *value;
  throw_unknown_name(option, allowed_names<E>(NameList::Plain), name);
}

/// {"estimate", "lower", "upper"}
Json json_estimate(const Estimate& e);

/// {"stat", "df", "p"}
Json json_test(const TestResult& t);

}  // namespace survkit::cli
