// Internal (study): the words the report uses in more than one place -- table notes,
// figure captions and the Methods paragraph -- each written once here, so that a
// note and the Methods can never describe the same test differently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "survkit/study.hpp"

namespace survkit::study::wording {

inline constexpr std::string_view kChiSquare = "Pearson's chi-square test";
inline constexpr std::string_view kFisher = "Fisher's exact test";
inline constexpr std::string_view kKaplanMeier = "Kaplan\u2013Meier";

/// "Efron" or "Breslow", as the Methods and the table notes name the method for ties.
std::string ties(Ties t);
/// "95%" for 0.95.
std::string percent(double level);
/// A number as the user wrote it in the spec: the shortest text that reads back as
/// the same double ("0.05", "0.2", "1e-07"), never rounded to a fixed number of digits.
std::string number(double x);
/// "a", "a and b", "a, b and c".
std::string join(const std::vector<std::string>& items);
/// The same list of numbers, whole numbers without decimals, others with two.
std::string join_numbers(const std::vector<double>& values);

/// The test of a categorical characteristic against the group, as a table note
/// ("P: Pearson's chi-square test (without continuity correction)", with the dagger
/// note when Fisher's test was used for some variable).
std::string group_test_note(Table1Test test, bool any_fisher);
/// The proportional-hazards test (cox.zph), as the notes, Methods, warnings and figure
/// captions name it.  `ph_scale`: "the Kaplan–Meier scale", "the rank scale", "the
/// original scale", "the log scale".
std::string ph_scale(ZphTransform t);
/// "Grambsch–Therneau test of the scaled Schoenfeld residuals, time on the Kaplan–Meier scale"
std::string ph_test_short(ZphTransform t);
/// The table note of the "PH P" column (Tables 1–2: univariate models; 3–4: multivariable).
std::string ph_column_note(ZphTransform t, double alpha, bool multivariable);
/// "Global test of proportional hazards: chi-square = 12.34, df = 5, P = 0.031."
std::string ph_global_note(const TestResult& global);
/// The Methods sentence.
std::string ph_methods(ZphTransform t, double alpha);
/// The usual remedies, one clause: "consider stratifying on it or adding its interaction
/// with time (a time-varying coefficient)".
inline constexpr std::string_view kPhRemedy =
    "consider stratifying the model on it or adding its interaction with time (a time-varying coefficient)";

/// The same test in the Methods ("Pearson's chi-square test, or Fisher's exact test
/// when an expected count was below 5.").
std::string group_test_methods(Table1Test test);

}  // namespace survkit::study::wording
