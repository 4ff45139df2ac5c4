#include "survival/logrank/survdiff.hpp"

#include <cmath>

namespace survkit::logrank {

void survdiff_stratum(std::span<const double> time, std::span<const std::uint8_t> event,
                      std::span<const std::int32_t> group, double rho, std::size_t k, std::vector<double>& observed,
                      std::vector<double>& expected, std::vector<double>& var,
                      std::vector<double>& kaplan) {
  const std::size_t m = time.size();

  // Left-continuous pooled Kaplan-Meier, needed only for rho != 0: every member of a
  // tied block gets the survival just before that time.
  if (rho != 0) {
    kaplan.resize(m);
    double km = 1;
    for (std::size_t i = 0; i < m;) {
      const double nrisk = static_cast<double>(m - i);
      double deaths = 0;
      std::size_t j = i;
      for (; j < m && time[j] == time[i]; ++j) {
        kaplan[j] = km;
        deaths += event[j];
      }
      km = km * (nrisk - deaths) / nrisk;
      i = j;
    }
  }

  std::vector<double> risk(k, 0.0);  // number at risk per group, grown from the end
  for (std::size_t end = m; end > 0;) {
    const std::size_t last = end - 1;
    const double wt = rho == 0 ? 1.0 : std::pow(kaplan[last], rho);
    double deaths = 0;
    std::size_t first = end;
    for (; first > 0 && time[first - 1] == time[last]; --first) {
      const auto g = static_cast<std::size_t>(group[first - 1]);
      deaths += event[first - 1];
      risk[g] += 1;
      observed[g] += event[first - 1] * wt;
    }
    end = first;
    const double nrisk = static_cast<double>(m - first);
    if (deaths > 0) {
      // Same expression order as survdiff2.c, so the rounding is R's.
      for (std::size_t g = 0; g < k; ++g) expected[g] += wt * deaths * risk[g] / nrisk;
      if (nrisk == 1) continue;  // a single subject: no variance
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
