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

std::string ph_scale(ZphTransform t) {
  switch (t) {
    case ZphTransform::KM: return "the " + std::string(kKaplanMeier) + " scale";
    case ZphTransform::Rank: return "the rank scale";
    case ZphTransform::Identity: return "the original scale";
    case ZphTransform::Log: return "the log scale";
  }
  return {};
}

std::string ph_test_short(ZphTransform t) {
  return "Grambsch\u2013Therneau test of the scaled Schoenfeld residuals, time on " + ph_scale(t);
}

std::string ph_column_note(ZphTransform t, double alpha, bool multivariable) {
  return fmt::format("PH P: test of proportional hazards of the variable in {} ({}, as R's cox.zph; one test per "
                     "variable, with as many degrees of freedom as it has coefficients), on the variable's row. "
                     "P < {}: its hazard ratio changes over time (see the warnings and the residual figures).",
                     multivariable ? "this model" : "its univariate model", ph_test_short(t), number(alpha));
}

std::string ph_global_note(const TestResult& global) {
  return fmt::format("Global test of proportional hazards of the model: chi-square = {}, df = {}, {}.",
                     format_fixed(global.stat, 2), format_fixed(global.df, 0), p_clause(global.p));
}

std::string ph_methods(ZphTransform t, double alpha) {
  return fmt::format("Proportional hazards were checked with the scaled Schoenfeld residuals (Grambsch\u2013Therneau "
                     "test, time on {}, as R's cox.zph) for each variable and globally in every Cox model, and the "
                     "residuals were plotted against time for each variable with P < {}.",
                     ph_scale(t), number(alpha));
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
