#include "study/wording.hpp"

#include <fmt/core.h>

#include <cmath>

#include "study/format.hpp"
#include "survkit/format.hpp"

namespace survkit::study::wording {

std::string ties(Ties t) { return t == Ties::Efron ? "Efron" : "Breslow"; }

std::string percent(double level) { return fmt::format("{:.0f}%", level * 100); }

std::string number(double x) { return fmt::format("{}", x); }

std::string join(const std::vector<std::string>& items) { return survkit::join(items, {.last = " and "}); }

std::string join_numbers(const std::vector<double>& values) {
  std::vector<std::string> items;
  for (double v : values) items.push_back(format_fixed(v, v == std::floor(v) ? 0 : 2));
  return join(items);
}

std::string group_test_note(Table1Test test, bool any_fisher) {
  std::string s = "P: ";
  s += test == Table1Test::ChiSquare ? std::string(kChiSquare)
       : test == Table1Test::Fisher  ? std::string(kFisher)
                                     : std::string(kChiSquare) + " (without continuity correction)";
  s += any_fisher ? "; \u2020 " + std::string(kFisher) + ", used because an expected count is below 5." : ".";
  return s;
}

std::string group_test_methods(Table1Test test) {
  switch (test) {
    case Table1Test::ChiSquare: return std::string(kChiSquare) + ".";
    case Table1Test::Fisher: return std::string(kFisher) + ".";
    case Table1Test::Auto: break;
  }
  return std::string(kChiSquare) + ", or " + std::string(kFisher) + " when an expected count was below 5.";
}

}  // namespace survkit::study::wording
