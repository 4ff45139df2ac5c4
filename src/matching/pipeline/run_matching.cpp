// run_matching: MatchIt's workflow -- propensity model, nearest-neighbour matching,
// balance -- in one place, for `survkit match` and the study (see survkit/match.hpp).
//
// Contract:
//  * each step is the public estimator (fit_propensity, fit_match, fit_balance), called
//    once, on the frame as given; nothing is re-implemented here;
//  * the warnings are worded here, once, for every caller; callers add no prefix.
#include <fmt/core.h>

#include <utility>

#include "survkit/enum_names.hpp"
#include "survkit/match.hpp"

namespace survkit {

namespace {

std::vector<std::string> matching_warnings(const MatchingResult& r, const MatchOptions& o) {
  std::vector<std::string> w;
  const bool caliper = !is_na(o.caliper);
  if (o.matchit_quirks && caliper)
    w.push_back("MatchIt 4.5.1 compatibility: MatchIt 4.5.1 does not enforce the caliper (it truncates distance "
                "differences to integers before testing them), so pairs farther apart than the caliper are kept, "
                "as MatchIt keeps them; match without the compatibility mode for an effective caliper");
  for (const auto& s : r.ps.warnings) w.push_back("propensity score model: " + s);
  for (const auto& s : r.match.warnings) w.push_back(s);
  const MatchCounts& t = r.match.treated;
  const MatchCounts& c = r.match.control;
  if (t.discarded + c.discarded > 0)
    w.push_back(fmt::format("{} treated and {} control patients discarded by the common-support rule (discard = {})",
                            t.discarded, c.discarded, to_name(o.discard)));
  if (t.unmatched > 0)
    w.push_back(fmt::format("{} of {} treated patients left unmatched", t.unmatched, t.all));
  return w;
}

}  // namespace

MatchingResult run_matching(MatchingFrame frame, const MatchingOptions& options) {
  const std::size_t n = frame.treat.size();
  std::size_t n1 = 0;
  for (auto t : frame.treat) n1 += t == 1;
  if (n1 == 0 || n1 == n)
    throw AnalysisError(fmt::format("no {} rows among the {} complete rows; matching needs both treated and control "
                                    "units",
                                    n1 == 0 ? "treated" : "control", n));
  MatchingResult r;
  // The design matrix: read in place when it holds the intercept (balance covariates may
  // view its columns), else not needed after the score fit: moved, not copied.
  if (frame.x_intercept)
    r.ps = fit_propensity(PropensityInput{frame.treat, {}, std::move(frame.terms), &frame.x});
  else
    r.ps = fit_propensity(PropensityInput{frame.treat, std::move(frame.x), std::move(frame.terms)});
  r.distance = options.distance == Distance::Ps ? r.ps.score : r.ps.linear_predictor;

  r.match = fit_match(MatchData{frame.treat, r.distance, std::move(frame.exact)}, options.match);

  // The distance and the weights are lent to the balance and given back (not copied:
  // two n-long vectors less at the balance table's peak).
  BalanceData bd;
  bd.treat = std::move(frame.treat);
  bd.distance = std::move(r.distance);
  bd.covariates = std::move(frame.balance);
  bd.weights = std::move(r.match.weights);
  bd.match = &r.match;
  r.balance = fit_balance(bd, BalanceOptions{});
  r.distance = std::move(bd.distance);
  r.match.weights = std::move(bd.weights);
  r.warnings = matching_warnings(r, options.match);
  return r;
}

}  // namespace survkit
