#include "commands/parse.hpp"

#include <fast_float/fast_float.h>
#include <fmt/core.h>

#include <cmath>

#include "commands/commands.hpp"
#include "run.hpp"

namespace survkit::cli {

std::vector<double> parse_numbers(const std::vector<std::string>& items, const char* option) {
  std::vector<double> out;
  for (const std::string& s : split_list(items)) {
    double v = 0;
    auto [ptr, ec] = fast_float::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v))
      throw UsageError(fmt::format("{}: '{}' is not a number", option, s));
    out.push_back(v);
  }
  return out;
}

CLI::Validator open_unit_interval() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double v = 0;
        auto [ptr, ec] = fast_float::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || ptr != text.data() + text.size() || !(v > 0 && v < 1))
          return fmt::format("must be a number strictly between 0 and 1 (e.g. 0.95), not '{}'",
                             text);
        return {};
      },
      "in (0, 1)");
}

CLI::Validator number_check(bool (*ok)(double), std::string allowed) {
  return CLI::Validator(
      [ok, allowed](std::string& text) -> std::string {
        double v = 0;
        auto [ptr, ec] = fast_float::from_chars(text.data(), text.data() + text.size(), v);
        if (ec != std::errc() || ptr != text.data() + text.size() || !std::isfinite(v) || !ok(v))
          return fmt::format("must be {}, not '{}'", allowed, text);
        return {};
      },
      "");
}

CLI::Validator positive_finite(std::string allowed) {
  return number_check([](double v) { return v > 0; }, std::move(allowed));
}

CLI::Validator non_negative_finite(std::string allowed) {
  return number_check([](double v) { return v >= 0; }, std::move(allowed));
}

CLI::Validator positive_whole(std::string allowed) {
  // Up to 2^31: a larger count is a typo, and stays exact in a double.
  return number_check([](double v) { return v >= 1 && v == std::floor(v) && v <= 2147483648.0; }, std::move(allowed));
}

void throw_unknown_name(const char* option, const std::string& allowed, const std::string& name) {
  throw UsageError(fmt::format("{} must be {}, not '{}'", option, allowed, name));
}

Json json_estimate(const Estimate& e) {
  return Json{{"estimate", json_number(e.estimate)}, {"lower", json_number(e.lower)},
              {"upper", json_number(e.upper)}};
}

Json json_test(const TestResult& t) {
  return Json{{"stat", json_number(t.stat)}, {"df", json_number(t.df)}, {"p", json_number(t.p)}};
}

}  // namespace survkit::cli
