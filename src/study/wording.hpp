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
/// The same test in the Methods ("Pearson's chi-square test, or Fisher's exact test
/// when an expected count was below 5.").
std::string group_test_methods(Table1Test test);

}  // namespace survkit::study::wording
