#include "study/format.hpp"

#include <cmath>
#include <fmt/core.h>

#include "survkit/common.hpp"

namespace survkit::study {

std::string time_text(double x) { return is_na(x) ? std::string("NR") : format_fixed(x, 1); }

std::string p_clause(double p) { return p < 0.001 ? "P < 0.001" : "P = " + format_fixed(p, 3); }

ReportCell text_cell(std::string text) { return ReportCell{std::move(text), NA}; }

ReportCell fixed_cell(double x, int decimals) { return ReportCell{format_fixed(x, decimals), x}; }

ReportCell p_cell(double p, const std::string& suffix) {
  return ReportCell{is_na(p) ? "" : format_p(p) + suffix, p};
}

ReportCell ci_cell(double lower, double upper, int decimals) {
  if (is_na(lower) && is_na(upper)) return ReportCell{};
  return ReportCell{format_fixed(lower, decimals) + "\u2013" + format_fixed(upper, decimals), NA,
                    lower, upper};
}

ReportCell percent_cell(double s) {
  if (is_na(s)) return ReportCell{};
  return ReportCell{format_fixed(100.0 * s, 1) + "%", 100.0 * s};
}

ReportCell count_cell(double n) {
  if (is_na(n)) return ReportCell{};
  return ReportCell{n == std::floor(n) ? fmt::format("{:.0f}", n) : format_fixed(n, 1), n};
}

ReportCell median_cell(double median, double lower, double upper) {
  if (is_na(median)) return ReportCell{"NR", NA};
  return ReportCell{time_text(median) + " (" + time_text(lower) + "\u2013" + time_text(upper) + ")", median, lower,
                    upper};
}

}  // namespace survkit::study
