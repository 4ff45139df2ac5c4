// Internal (survival: km, logrank): checks of the SurvData / Factor contracts shared by both methods.
#pragma once

#include <cstddef>
#include <string>

#include "survkit/common.hpp"
#include "survkit/surv_data.hpp"

namespace survkit::survival {

/// Throws InputError unless: status and weight (if any) have the length of time; times are
/// finite and >= 0; status is 0/1; weights are finite and >= 0; n < 2^32 (32-bit sort indices).
void validate_surv_data(const SurvData& data);

/// Throws InputError unless f has n codes, each in [0, levels.size()).
void validate_factor(const Factor& f, std::size_t n, const std::string& what);

}  // namespace survkit::survival
