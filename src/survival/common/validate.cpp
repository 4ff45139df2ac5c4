#include "survival/common/validate.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

namespace survkit::survival {

void validate_surv_data(const SurvData& data) {
  const std::size_t n = data.time.size();
  if (data.status.size() != n)
    throw InputError("survival data: status has " + std::to_string(data.status.size()) +
                     " values, time has " + std::to_string(n));
  if (!data.weight.empty() && data.weight.size() != n)
    throw InputError("survival data: weight has " + std::to_string(data.weight.size()) +
                     " values, time has " + std::to_string(n));
  if (n >= std::numeric_limits<std::uint32_t>::max())
    throw InputError("survival data: more than 2^32 - 1 observations");
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(data.time[i]) || data.time[i] < 0)
      throw InputError("survival data: time must be finite and >= 0 (observation " +
                           std::to_string(i + 1) + ")",
                       {}, 0, "time", std::to_string(data.time[i]));
    if (data.status[i] > 1)
      throw InputError("survival data: status must be 0 or 1 (observation " +
                           std::to_string(i + 1) + ")",
                       {}, 0, "status", std::to_string(data.status[i]));
  }
  for (std::size_t i = 0; i < data.weight.size(); ++i)
    if (!std::isfinite(data.weight[i]) || data.weight[i] < 0)
      throw InputError("survival data: weights must be finite and >= 0 (observation " +
                           std::to_string(i + 1) + ")",
                       {}, 0, "weight", std::to_string(data.weight[i]));
}

void validate_factor(const Factor& f, std::size_t n, const std::string& what) {
  if (f.size() != n)
    throw InputError(what + ": has " + std::to_string(f.size()) + " values, the data have " +
                     std::to_string(n));
  const auto levels = static_cast<std::int64_t>(f.levels.size());
  for (std::size_t i = 0; i < n; ++i)
    if (f.code[i] < 0 || f.code[i] >= levels)
      throw InputError(what + ": code out of range (observation " + std::to_string(i + 1) + ")",
                       {}, 0, what, std::to_string(f.code[i]));
}

}  // namespace survkit::survival
