// fit_match(): MatchIt 4.5.1 matchit(method = "nearest") on a given distance vector.
// The steps follow matchit() -> discard() -> process.caliper() -> matchit2nearest()
// -> nn_matchC_vec() / mm2subclass() / weights.matrix().
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <span>
#include <sstream>
#include <string>
#include <utility>

#include "matching/nearest/nn_kernel.hpp"
#include "matching/r_random.hpp"
#include "survkit/match.hpp"

namespace survkit {

namespace {

using matching::kNone;

void check_input(const MatchData& data, const MatchOptions& options) {
  const std::size_t n = data.treat.size();
  if (data.distance.size() != n)
    throw InputError("match: distance has " + std::to_string(data.distance.size()) + " values for " +
                     std::to_string(n) + " units");
  if (!data.exact.empty() && data.exact.size() != n)
    throw InputError("match: exact strata have " + std::to_string(data.exact.size()) + " values for " +
                     std::to_string(n) + " units");
  for (std::size_t i = 0; i < n; ++i) {
    if (data.treat[i] > 1) throw InputError("match: treatment of unit " + std::to_string(i + 1) + " is not 0/1");
    if (!std::isfinite(data.distance[i]))
      throw InputError("match: distance of unit " + std::to_string(i + 1) + " is not finite");
    if (!data.exact.empty() && data.exact[i] < 0)
      throw InputError("match: exact stratum of unit " + std::to_string(i + 1) + " is negative");
  }
  // The match matrix holds treated x ratio slots: an absurd ratio (--ratio 2147483648)
  // must be refused, not die of std::bad_alloc (exit 70).  100 is the spec's limit too.
  if (options.ratio < 1 || options.ratio > 100)
    throw InputError("match: ratio must be a whole number from 1 to 100 (controls per treated unit), not " +
                     std::to_string(options.ratio));
  if (!is_na(options.caliper) && !(options.caliper >= 0.0))
    throw InputError("match: caliper must be >= 0");
}

// MatchIt's discard(): ranges of the distance in each group, inclusive.
std::vector<std::uint8_t> common_support(const MatchData& data, MatchDiscard rule) {
  const std::size_t n = data.treat.size();
  std::vector<std::uint8_t> out(n, 0);
  if (rule == MatchDiscard::none) return out;
  double min0 = INFINITY, max0 = -INFINITY, min1 = INFINITY, max1 = -INFINITY;
  for (std::size_t i = 0; i < n; ++i) {
    const double d = data.distance[i];
    if (data.treat[i] == 1) {
      min1 = std::min(min1, d);
      max1 = std::max(max1, d);
    } else {
      min0 = std::min(min0, d);
      max0 = std::max(max0, d);
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const double d = data.distance[i];
    switch (rule) {
      case MatchDiscard::both: out[i] = d < std::max(min0, min1) || d > std::min(max0, max1); break;
      case MatchDiscard::control: out[i] = d < min1 || d > max1; break;
      case MatchDiscard::treated: out[i] = d < min0 || d > max0; break;
      case MatchDiscard::none: break;
    }
  }
  return out;
}

// R's sd(): mean with a correction pass, then the sum of squared deviations, both in
// long double (R's LDOUBLE), divided by n - 1.
double r_sd(const std::vector<double>& x) {
  const auto n = static_cast<long double>(x.size());
  long double sum = 0;
  for (double v : x) sum += v;
  long double mean = sum / n;
  if (std::isfinite(static_cast<double>(mean))) {
    sum = 0;
    for (double v : x) sum += v - mean;
    mean += sum / n;
  }
  const auto xm = static_cast<double>(mean);
  long double ss = 0;
  for (double v : x) ss += static_cast<long double>(v - xm) * (v - xm);
  return std::sqrt(static_cast<double>(ss / (n - 1)));
}

// Order in which the treated units of one problem pick (MatchIt's `ord`).  R's order()
// is a stable radix sort in both directions, so ties keep data order.
std::vector<std::size_t> pick_order(std::span<const double> treated_distance, MatchOrder order,
                                    matching::RRandom& rng) {
  const std::size_t n1 = treated_distance.size();
  std::vector<std::size_t> ord(n1);
  std::iota(ord.begin(), ord.end(), std::size_t{0});
  switch (order) {
    case MatchOrder::largest:
      std::stable_sort(ord.begin(), ord.end(), [&](std::size_t a, std::size_t b) {
        return treated_distance[a] > treated_distance[b];
      });
      break;
    case MatchOrder::smallest:
      std::stable_sort(ord.begin(), ord.end(), [&](std::size_t a, std::size_t b) {
        return treated_distance[a] < treated_distance[b];
      });
      break;
    case MatchOrder::data: break;
    case MatchOrder::random: {
      const auto perm = rng.sample_int(static_cast<std::int32_t>(n1));
      for (std::size_t i = 0; i < n1; ++i) ord[i] = static_cast<std::size_t>(perm[i] - 1);
      break;
    }
  }
  return ord;
}

double ess(const std::vector<double>& w) {
  long double s = 0, s2 = 0;
  for (double v : w) {
    s += v;
    s2 += static_cast<long double>(v) * v;
  }
  return static_cast<double>(s * s / s2);
}

// A key whose order is the string order of the decimal text of u (1 <= u < 10^17, no
// leading zeros): the digits left-aligned to 17 places, then the length, since a
// prefix sorts first ("12" < "120" < "13").  Compared with building and sorting the
// strings, which took a tenth of a second on 1e5 matched pairs.
std::uint64_t string_order_key(std::size_t u) {
  std::uint64_t padded = u;
  int len = 0;
  for (std::size_t v = u; v != 0; v /= 10) ++len;
  for (int d = len; d < 17; ++d) padded *= 10;
  return padded * 32 + static_cast<std::uint64_t>(len);  // < 10^17 * 32 < 2^64
}

// Subclasses (MatchIt's mm2subclass): each matched treated unit and its controls form
// one subclass, labelled by the treated unit's 1-based position (which(treat == 1), not
// the row names); the labels are character strings, so factor() sorts them as strings,
// and that order gives the codes.  The strings are not made: the decimal text of a
// positive integer sorts as its digits left-aligned (string_order_key), so the codes are
// the ranks of those keys.  Matching without replacement only.
void assign_subclasses(MatchResult& res, std::size_t n, std::size_t ratio) {
  std::vector<std::pair<std::uint64_t, std::size_t>> labels;  // (key, treated index)
  for (std::size_t t = 0; t < res.treated_rows.size(); ++t)
    if (res.match_matrix[t * ratio] != MatchResult::no_match)
      labels.emplace_back(string_order_key(res.treated_rows[t] + 1), t);
  std::sort(labels.begin(), labels.end());
  res.subclass.assign(n, 0);
  for (std::size_t r = 0; r < labels.size(); ++r) {
    const std::size_t t = labels[r].second;
    const auto code = static_cast<std::int32_t>(r + 1);
    res.subclass[res.treated_rows[t]] = code;
    const std::size_t* row = res.match_matrix.data() + t * ratio;
    for (std::size_t j = 0; j < ratio; ++j)
      if (row[j] != MatchResult::no_match) res.subclass[row[j]] = code;
  }
}

// Sample sizes (MatchIt's nn()): all, matched, discarded and unmatched units of each
// group, and the effective sample size of the matched weights.
void count_units(std::span<const std::uint8_t> treat, MatchResult& res) {
  for (int g = 0; g <= 1; ++g) {
    MatchCounts& c = g == 1 ? res.treated : res.control;
    std::vector<double> w;
    for (std::size_t i = 0; i < treat.size(); ++i) {
      if (treat[i] != g) continue;
      ++c.all;
      w.push_back(res.weights[i]);
      if (res.weights[i] > 0) ++c.matched;
      if (res.discarded[i]) ++c.discarded;
      else if (res.weights[i] == 0) ++c.unmatched;
    }
    c.matched_ess = ess(w);
  }
}

// The caliper in distance units (MatchIt: a standardised caliper times the SD of the
// distance over the units kept by the common-support rule), or NA without a caliper.
void set_caliper(const MatchData& data, const MatchOptions& options, MatchResult& res) {
  if (is_na(options.caliper)) return;
  double width = options.caliper;
  if (options.std_caliper) {
    std::vector<double> kept;
    for (std::size_t i = 0; i < data.distance.size(); ++i)
      if (!res.discarded[i]) kept.push_back(data.distance[i]);
    width *= r_sd(kept);
  }
  res.caliper_width = std::abs(width);
  if (options.matchit_quirks)
    res.warnings.emplace_back(
        "caliper applied as MatchIt 4.5.1 does: distance differences are truncated to integers before the caliper "
        "test, so only differences >= 1 can exceed it");
}

// Exact strata: one independent problem per stratum, in increasing code order (R's
// level order).  Without `exact`, one problem holding every unit.
using Strata = std::map<std::int32_t, std::vector<std::size_t>>;

Strata exact_strata(const MatchData& data) {
  const std::size_t n = data.treat.size();
  Strata strata;
  if (data.exact.empty()) {
    auto& all = strata[0];
    all.resize(n);
    std::iota(all.begin(), all.end(), std::size_t{0});
  } else {
    for (std::size_t i = 0; i < n; ++i) strata[data.exact[i]].push_back(i);
  }
  return strata;
}

// MatchIt's warnings, checked before matching as matchit2nearest() does; and an error
// when no exact stratum holds both groups.
void check_strata(const MatchData& data, const MatchOptions& options, const Strata& strata, std::size_t n1,
                  MatchResult& res) {
  const std::string ratio_warning = "Not all treated units will get " + std::to_string(options.ratio) + " matches.";
  if (!options.replace && n1 > 1) {
    bool fewer = false, short_ratio = false;
    for (const auto& [code, units] : strata) {
      std::size_t s1 = 0;
      for (auto i : units) s1 += data.treat[i];
      const double s0 = static_cast<double>(units.size() - s1);
      const double e_ratio = s0 / static_cast<double>(s1);  // R: Inf when no treated
      fewer = fewer || e_ratio < 1;
      short_ratio = short_ratio || e_ratio < static_cast<double>(options.ratio);
    }
    if (data.exact.empty()) {
      if (fewer)
        res.warnings.emplace_back("Fewer control units than treated units; not all treated units will get a match.");
      else if (short_ratio)
        res.warnings.push_back(ratio_warning);
    } else {
      if (fewer)
        res.warnings.emplace_back(
            "Fewer control units than treated units in some 'exact' strata; not all treated units will get a match.");
      if (options.ratio > 1 && short_ratio)
        res.warnings.push_back(ratio_warning);
    }
  }
  if (!data.exact.empty()) {
    bool any_common = false;
    for (const auto& [code, units] : strata) {
      std::size_t s1 = 0;
      for (auto i : units) s1 += data.treat[i];
      any_common = any_common || (s1 > 0 && s1 < units.size());
    }
    if (!any_common) throw AnalysisError("match: no exact stratum holds both treated and control units");
  }
}

// The match matrix: each stratum matched on its own (matching::nn_match), the random
// order's numbers drawn stratum after stratum from one generator, as MatchIt.
void match_strata(const MatchData& data, const MatchOptions& options, const Strata& strata, MatchOrder order,
                  MatchResult& res) {
  const std::size_t n = data.treat.size();
  // Treated units in data order: the rows of the match matrix.
  std::vector<std::size_t> row_of(n, kNone);
  for (std::size_t i = 0; i < n; ++i)
    if (data.treat[i] == 1) {
      row_of[i] = res.treated_rows.size();
      res.treated_rows.push_back(i);
    }
  res.match_matrix.assign(res.treated_rows.size() * options.ratio, MatchResult::no_match);

  matching::RRandom rng(options.seed);
  // A stratum's units, gathered; without exact matching the one stratum is every unit in
  // order, and the data are read as they are.
  const bool whole = data.exact.empty();
  std::vector<std::uint8_t> s_treat;
  std::vector<double> s_dist;
  std::vector<std::uint8_t> s_disc;
  std::vector<double> s_tdist;
  for (const auto& [code, units] : strata) {
    s_tdist.clear();
    if (!whole) {
      s_treat.assign(units.size(), 0);
      s_dist.assign(units.size(), 0.0);
      s_disc.assign(units.size(), 0);
      for (std::size_t k = 0; k < units.size(); ++k) {
        s_treat[k] = data.treat[units[k]];
        s_dist[k] = data.distance[units[k]];
        s_disc[k] = res.discarded[units[k]];
      }
    }
    for (auto i : units)
      if (data.treat[i] == 1) s_tdist.push_back(data.distance[i]);
    if (s_tdist.empty()) continue;  // R draws no random numbers for sample.int(0)
    const auto ord = pick_order(s_tdist, order, rng);
    const std::span<const std::uint8_t> st = whole ? std::span<const std::uint8_t>(data.treat) : s_treat;
    const std::span<const double> sd = whole ? std::span<const double>(data.distance) : s_dist;
    const std::span<const std::uint8_t> sc = whole ? std::span<const std::uint8_t>(res.discarded) : s_disc;
    matching::NnProblem pb{st, sd, sc, ord, options.ratio, options.replace,
                           is_na(res.caliper_width) ? 0.0 : res.caliper_width,
                           !is_na(res.caliper_width), options.matchit_quirks};
    const auto mm = matching::nn_match(pb);
    std::size_t t = 0;
    for (auto i : units) {
      if (data.treat[i] != 1) continue;
      for (std::size_t j = 0; j < options.ratio; ++j) {
        const std::size_t c = mm[t * options.ratio + j];
        res.match_matrix[row_of[i] * options.ratio + j] = c == kNone ? MatchResult::no_match : units[c];
      }
      ++t;
    }
  }
}

// Weights (MatchIt's weights_matrixC): a matched treated unit gets 1, each of its k
// controls 1/k; control weights are then scaled to sum to the number of matched
// controls.  No matched treated unit is an error saying why.
void assign_weights(const MatchData& data, std::size_t ratio, MatchResult& res) {
  const std::size_t n = data.treat.size(), n1 = res.treated_rows.size();
  res.weights.assign(n, 0.0);
  for (std::size_t t = 0; t < n1; ++t) {
    const std::size_t* row = res.match_matrix.data() + t * ratio;
    if (row[0] == MatchResult::no_match) continue;
    const auto k = static_cast<double>(
        std::count_if(row, row + ratio, [](std::size_t c) { return c != MatchResult::no_match; }));
    for (std::size_t j = 0; j < ratio; ++j)
      if (row[j] != MatchResult::no_match) res.weights[row[j]] += 1.0 / k;
    res.weights[res.treated_rows[t]] += 1.0;
  }
  long double sum0 = 0;
  std::size_t matched0 = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (data.treat[i] == 0 && res.weights[i] > 0) {
      sum0 += res.weights[i];
      ++matched0;
    }
  if (matched0 == 0) {
    // Say why, so the user knows which option to relax.
    std::size_t disc1 = 0;
    for (std::size_t i = 0; i < n; ++i) disc1 += data.treat[i] == 1 && res.discarded[i];
    std::string why = "match: no treated unit was matched (" + std::to_string(n1) + " treated: " +
                      std::to_string(disc1) + " discarded by the common-support rule, " + std::to_string(n1 - disc1) +
                      " without a control";
    if (!is_na(res.caliper_width)) {
      std::ostringstream w;
      w << res.caliper_width;
      why += " within the caliper (width " + w.str() + " in distance units)";
    }
    throw AnalysisError(why + ")");
  }
  const double scale = static_cast<double>(matched0) / static_cast<double>(sum0);
  for (std::size_t i = 0; i < n; ++i)
    if (data.treat[i] == 0) res.weights[i] *= scale;
}

}  // namespace

MatchResult fit_match(const MatchData& data, const MatchOptions& options) {
  check_input(data, options);
  const std::size_t n = data.treat.size();
  std::size_t n1 = 0;
  for (auto t : data.treat) n1 += t;
  const std::size_t n0 = n - n1;
  if (n1 == 0) throw AnalysisError("match: there are no treated units");
  if (n0 == 0) throw AnalysisError("match: there are no control units");

  MatchResult res;
  res.ratio = options.ratio;
  res.discarded = common_support(data, options.discard);
  set_caliper(data, options, res);
  // With replacement MatchIt sets reuse.max to .Machine$integer.max >= n1, and then
  // matchit2nearest() forces m.order = "data"; without replacement reuse.max = 1.
  const MatchOrder order = (options.replace || n1 <= 1) ? MatchOrder::data : options.order;
  const Strata strata = exact_strata(data);
  check_strata(data, options, strata, n1, res);
  match_strata(data, options, strata, order, res);
  assign_weights(data, options.ratio, res);
  if (!options.replace) assign_subclasses(res, n, options.ratio);
  count_units(data.treat, res);
  return res;
}

}  // namespace survkit
