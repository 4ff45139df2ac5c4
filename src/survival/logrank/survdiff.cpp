#include "survival/logrank/survdiff.hpp"

#include <cmath>

namespace survkit::logrank {

void survdiff_stratum(std::span<const double> time, std::span<const std::uint8_t> event,
                      std::span<const std::int32_t> group, std::span<const double> weight, double rho, std::size_t k, std::vector<double>& observed,
                      std::vector<double>& expected, std::vector<double>& var,
                      std::vector<double>& kaplan) {
  const std::size_t m = time.size();
  auto w = [&](std::size_t i) { return weight.empty() ? 1.0 : weight[i]; };
  // Left-continuous pooled Kaplan-Meier, needed only for rho != 0: every member of a
  // tied block gets the survival just before that time.
  if (rho != 0) {
    kaplan.resize(m);
    double total = 0;
    for (std::size_t i = 0; i < m; ++i) total += w(i);
    double km = 1;
    double nrisk = total;  // weighted count at risk at time[i]
    for (std::size_t i = 0; i < m;) {
      double deaths = 0, leaving = 0;
      std::size_t j = i;
      for (; j < m && time[j] == time[i]; ++j) {
        kaplan[j] = km;
        deaths += event[j] * w(j);
        leaving += w(j);
      }
      if (nrisk > 0) km = km * (nrisk - deaths) / nrisk;
      nrisk = weight.empty() ? static_cast<double>(m - j) : nrisk - leaving;
      i = j;
    }
  }

  std::vector<double> risk(k, 0.0);  // (weighted) number at risk per group, grown from the end
  double nrisk = 0;                  // their sum
  for (std::size_t end = m; end > 0;) {
    const std::size_t last = end - 1;
    const double wt = rho == 0 ? 1.0 : std::pow(kaplan[last], rho);
    double deaths = 0;
    std::size_t first = end;
    for (; first > 0 && time[first - 1] == time[last]; --first) {
      const auto g = static_cast<std::size_t>(group[first - 1]);
      const double wi = w(first - 1);
      deaths += event[first - 1] * wi;
      risk[g] += wi;
      nrisk += wi;
      observed[g] += event[first - 1] * wi * wt;
    }
    end = first;
    // Unweighted: the exact count, as survdiff2.c (no accumulated rounding).
    if (weight.empty()) nrisk = static_cast<double>(m - first);
    if (deaths > 0) {
      // Same expression order as survdiff2.c, so the rounding is R's.
      for (std::size_t g = 0; g < k; ++g) expected[g] += wt * deaths * risk[g] / nrisk;
      // A single subject (weighted: total weight <= 1) contributes no variance; this
      // also keeps the (n - 1) denominator positive with fractional weights.
      if (nrisk <= 1) continue;
      const double wt2 = wt * wt;
      for (std::size_t a = 0; a < k; ++a) {
        const double tmp = wt2 * deaths * risk[a] * (nrisk - deaths) / (nrisk * (nrisk - 1));
        var[a * k + a] += tmp;
        for (std::size_t b = 0; b < k; ++b) var[a * k + b] -= tmp * risk[b] / nrisk;
      }
    }
  }
}

}  // namespace survkit::logrank
