// The option enums of the public API, in one light header (no Eigen, no containers):
// headers and tools that only need an option type include this instead of the model
// headers.  Their spellings (names in the spec, on the command line and in the JSON
// output) are in survkit/enum_names.hpp.
#pragma once

namespace survkit {

/// Handling of tied event times (coxph(ties = )).
enum class Ties { Efron, Breslow };

/// R survfit's conf.type.
enum class ConfType {
  Log,     ///< "log" (R's default): exp(log S +- z se(log S))
  LogLog,  ///< "log-log": exp(-exp(log(-log S) -+ z se(log S) / log S))
  Plain,   ///< "plain": S +- z se(S), clipped to [0, 1]
};

/// Order in which treated units pick their controls (MatchIt's m.order).
enum class MatchOrder {
  largest,   ///< decreasing distance (MatchIt default for ATT); ties in data order
  smallest,  ///< increasing distance; ties in data order
  data,      ///< data order
  random,    ///< a permutation drawn exactly as R's set.seed(seed); sample.int(n1)
};

/// Common-support rule on the distance (MatchIt's discard).
enum class MatchDiscard {
  none,
  treated,  ///< treated units outside [min, max] of the control distances
  control,  ///< controls outside [min, max] of the treated distances
  both,     ///< every unit outside the overlap of the two ranges
};

/// What matching measures distances on: the logit of the propensity score (the linear
/// predictor; survkit's default) or the score itself.
enum class Distance { Logit, Ps };

/// Unit of a caliper: standard deviations of the distance, or distance units.
enum class CaliperScale { Sd, Distance };

/// Unit of a time span.  Months are days / 30.4375 and years days / 365.25 (the mean
/// Gregorian month and the Julian year, the conventions of R's lubridate and of most
/// survival papers).
/// The time scale g(t) of the proportional-hazards test (R: cox.zph(transform = )).
enum class ZphTransform { KM, Rank, Identity, Log };

enum class TimeUnit { Days, Months, Years };

/// Table 1 / Table 5 test of a variable against the group.
enum class Table1Test {
  Auto,       ///< chi-square; Fisher's exact test when an expected count is below 5
  ChiSquare,  ///< Pearson chi-square without continuity correction
  Fisher,     ///< Fisher's exact test
};

}  // namespace survkit
