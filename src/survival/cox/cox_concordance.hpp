// Internal: the concordance of a fitted Cox model and its standard error, as coxph()
// gets them from survival::concordancefit(y, lp, strata, weights, cluster,
// reverse = TRUE, timefix = FALSE) with the default time weights ("n").
#pragma once

#include <cstdint>
#include <vector>

#include "survkit/surv_data.hpp"

namespace survkit::cox {

struct ConcordanceStats {
  double concordant = 0;  ///< weighted pairs (after `reverse`: higher risk dies first)
  double discordant = 0;
  double tied_x = 0;      ///< comparable pairs tied on the linear predictor
  double concordance = 0;
  double se = 0;          ///< infinitesimal jackknife, summed within clusters
};

/// surv    : n outcomes (weights empty = all 1).
/// lp      : length n linear predictor; pairs are tied when the doubles are equal.
/// strata  : empty or length n codes; only pairs within a stratum are compared.
/// cluster : empty or length n codes; influence values are summed within a cluster
///           before squaring.
/// A pair is comparable when the shorter time is an event; a censored time equal to an
/// event time counts as the longer one.  Each stratum is sorted once and the pairs are
/// counted with Fenwick trees over the ranks of lp: O(n log n).
ConcordanceStats cox_concordance(const SurvData& surv, const std::vector<double>& lp,
                                 const std::vector<std::int32_t>& strata,
                                 const std::vector<std::int32_t>& cluster);

}  // namespace survkit::cox
