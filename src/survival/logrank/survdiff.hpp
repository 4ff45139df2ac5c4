// Internal: the G-rho k-sample kernel for one stratum (R survival's survdiff2.c).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace survkit::logrank {

/// Adds one stratum's contribution to observed / expected (length k) and var (k x k,
/// row-major).
/// Contract:
///  time, event : the stratum's m observations sorted by time ascending (sort_by_time;
///                survdiff2 treats a tied time as one block, so the order within a tie
///                does not matter); event 0/1;
///  group       : length m, same order, codes in [0, k) (only non-empty groups numbered);
///  weight      : empty (every case weight 1) or length m, same order, finite, >= 0:
///                case weights replace the counts d (deaths) and n (at risk) by weighted
///                sums everywhere, including the hypergeometric (n - d) / (n - 1) factor,
///                so an integer weight w is the same as the row repeated w times;
///  rho         : weight each death time by S(t-)^rho, S the pooled left-continuous KM;
///  kaplan      : scratch, resized to m when rho != 0.
/// Like survdiff2 the scan runs from the last time back, so that the risk set of each
/// group is a running count: O(m k + deaths k^2).
void survdiff_stratum(std::span<const double> time, std::span<const std::uint8_t> event,
                      std::span<const std::int32_t> group, std::span<const double> weight, double rho, std::size_t k, std::vector<double>& observed,
                      std::vector<double>& expected, std::vector<double>& var,
                      std::vector<double>& kaplan);

}  // namespace survkit::logrank
