// survkit public API: types shared by every method.
//
// Conventions used throughout include/survkit/:
//  * Every method has <Method>Options (what the user chose), a fit function, and
//    <Method>Result (plain data: numbers, flags, warnings).  The core never does file
//    I/O and never prints; the CLI renders results.
//  * A value that R would print as NA is stored as survkit::NA (a quiet NaN).
//  * Numerical trouble (non-convergence, infinite coefficients, aliasing, separation)
//    is reported in the result (flags + `warnings`), never thrown and never hidden.
//  * Bad input that makes an analysis meaningless (no events, one group level, ...)
//    throws survkit::AnalysisError; malformed data throws survkit::InputError.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace survkit {

/// The missing-value marker in every result (R's NA).
inline constexpr double NA = std::numeric_limits<double>::quiet_NaN();
inline bool is_na(double x) { return std::isnan(x); }

/// Base class of every error survkit throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Malformed input data.  Carries where the problem is so that the message can name
/// the file, the line (1-based, the header is line 1), the column and the value.
/// Fields that do not apply are left empty / 0.
class InputError : public Error {
 public:
  InputError(std::string what_msg, std::string file = {}, std::size_t line = 0,
             std::string column = {}, std::string value = {})
      : Error(std::move(what_msg)), file(std::move(file)), line(line),
        column(std::move(column)), value(std::move(value)) {}
  std::string file;
  std::size_t line;
  std::string column;
  std::string value;
};

/// Input that is well formed but cannot support the requested analysis
/// (no events at all, a grouping variable with one level, a constant covariate, ...).
class AnalysisError : public Error {
 public:
  using Error::Error;
};

/// A test statistic with its degrees of freedom and p-value.
struct TestResult {
  double stat = NA;
  double df = NA;
  double p = NA;
};

/// An estimate with a confidence interval (any part may be NA).
struct Estimate {
  double estimate = NA;
  double lower = NA;
  double upper = NA;
};

/// A categorical variable: integer codes into `levels`.
///  code.size() == number of observations; every code is in [0, levels.size()).
///  levels[0] is the reference level.
struct Factor {
  std::vector<std::int32_t> code;
  std::vector<std::string> levels;
  std::size_t size() const { return code.size(); }
};

}  // namespace survkit
