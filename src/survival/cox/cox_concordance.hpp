// Internal: the concordance of a fitted Cox model and its standard error, as coxph()
// gets them from survival::concordancefit(y, lp, strata, weights, cluster,
// reverse = TRUE, timefix = FALSE) with the default time weights ("n").
#pragma once

#include <cstdint>
#include <vector>


namespace survkit::cox {

struct ConcordanceStats {
  double concordant = 0;  ///< weighted pairs (after `reverse`: higher risk dies first)
  double discordant = 0;
  double tied_x = 0;      ///< comparable pairs tied on the linear predictor
  double concordance = 0;
  double se = 0;          ///< infinitesimal jackknife, summed within clusters
};

/// Inputs in the sorted order of CoxPartialLikelihood (by stratum, then ascending time,
/// tied rows in input order), each of length n unless said otherwise:
/// time, status : outcomes.
/// weight       : case weights, or empty (all 1).
/// stratum_end  : 1 on the last row of each stratum; only pairs within a stratum count.
/// lp           : linear predictor; pairs are tied when the doubles are equal.
/// cluster      : empty or codes; influence values are summed within a cluster before
///                squaring.
/// A pair is comparable when the shorter time is an event; a censored time equal to an
/// event time counts as the longer one.  Each stratum is walked once from its last time
/// down (censored rows before the events of their time, concordance3.c's order), and
/// the pairs are counted over the ranks of lp (ranks from one radix sort) with a count
/// tree of fan-out 16 for whole-number weights (exact 32-bit counts) or Fenwick trees of
/// doubles otherwise: O(n log n), every per-row array read in sequence, the rank-indexed
/// lines prefetched some rows ahead.
ConcordanceStats cox_concordance(const std::vector<double>& time, const std::vector<std::uint8_t>& status,
                                 const std::vector<double>& weight,
                                 const std::vector<std::uint8_t>& stratum_end, const std::vector<double>& lp,
                                 const std::vector<std::int32_t>& cluster);

}  // namespace survkit::cox
