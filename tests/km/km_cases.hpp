// Test support for the km area: the datasets of the R reference scripts, prepared exactly as
// those scripts prepare them (same subsets, same event coding, same weights).
#pragma once

#include <string>
#include <vector>

#include <survkit/common.hpp>
#include <survkit/surv_data.hpp>

#include "support/ref_csv.hpp"

namespace km_cases {

/// One analysis dataset: outcomes plus the columns the cases group or stratify by.
struct Dataset {
  survkit::SurvData surv;
  std::vector<std::string> group, strata;
};

using survkit::test::data_path;

/// lung: event = status == 2.  drop_missing_ecog: keep rows with ph.ecog present (R's
/// model.frame drops them when ph.ecog is in the formula).
inline Dataset lung(const std::string& group_col, bool drop_missing_ecog,
                    const std::string& strata_col = {}) {
  const auto csv = survkit::test::read_ref_csv(data_path("lung.csv"));
  Dataset d;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    if (drop_missing_ecog && csv.str(r, "ph.ecog").empty()) continue;
    d.surv.time.push_back(csv.num(r, "time"));
    d.surv.status.push_back(csv.num(r, "status") == 2 ? 1 : 0);
    d.group.push_back(group_col.empty() ? "all" : csv.str(r, group_col));
    if (!strata_col.empty()) d.strata.push_back(csv.str(r, strata_col));
  }
  return d;
}

/// A dataset with 0/1 status: veteran (time, status), ovarian (futime, fustat), colon deaths
/// (etype == 2).
inline Dataset simple(const std::string& file, const std::string& time_col,
                      const std::string& status_col, const std::string& group_col,
                      const std::string& strata_col = {}) {
  const auto csv = survkit::test::read_ref_csv(data_path(file));
  Dataset d;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    if (file == "colon.csv" && csv.num(r, "etype") != 2) continue;
    d.surv.time.push_back(csv.num(r, time_col));
    d.surv.status.push_back(csv.num(r, status_col) == 1 ? 1 : 0);
    d.group.push_back(csv.str(r, group_col));
    if (!strata_col.empty()) d.strata.push_back(csv.str(r, strata_col));
  }
  return d;
}

/// R: a + (seq_len(n) %% m) / b, evaluated in the same order (so bit-identical).
inline std::vector<double> seq_weights(std::size_t n, double a, int m, double b) {
  std::vector<double> w(n);
  for (std::size_t i = 0; i < n; ++i) w[i] = a + static_cast<double>((i + 1) % m) / b;
  return w;
}

}  // namespace km_cases
