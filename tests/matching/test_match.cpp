// Nearest-neighbour matching: pair-for-pair agreement with MatchIt 4.5.1 on lalonde and
// colon (tests/reference/matching/make_match_refs.R), plus hand-checked small cases.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>

#include "matching/r_random.hpp"
#include "support/match_refs.hpp"
#include "support/ref_csv.hpp"
#include "survkit/match.hpp"

namespace survkit {
namespace {

using test::match_ref_path;
using test::RefCsv;
constexpr std::size_t NM = MatchResult::no_match;

struct Dataset {
  std::vector<std::uint8_t> treat;
  std::vector<double> ps, lin;
  std::vector<std::int32_t> race;  // codes in R's level order (sorted labels)
};

Dataset load_units(const std::string& name) {
  RefCsv u(match_ref_path("units_" + name + ".csv"));
  Dataset d;
  std::set<std::string> race_levels;
  if (u.has("race"))
    for (std::size_t i = 0; i < u.size(); ++i) race_levels.insert(u.str(i, "race"));
  const std::vector<std::string> levels(race_levels.begin(), race_levels.end());
  for (std::size_t i = 0; i < u.size(); ++i) {
    d.treat.push_back(static_cast<std::uint8_t>(u.integer(i, "treat")));
    d.ps.push_back(u.num(i, "ps"));
    d.lin.push_back(u.num(i, "lin"));
    if (u.has("race"))
      d.race.push_back(static_cast<std::int32_t>(
          std::find(levels.begin(), levels.end(), u.str(i, "race")) - levels.begin()));
  }
  return d;
}

MatchOrder parse_order(const std::string& s) {
  if (s == "largest") return MatchOrder::largest;
  if (s == "smallest") return MatchOrder::smallest;
  if (s == "data") return MatchOrder::data;
  return MatchOrder::random;
}

MatchDiscard parse_discard(const std::string& s) {
  if (s == "both") return MatchDiscard::both;
  if (s == "treated") return MatchDiscard::treated;
  if (s == "control") return MatchDiscard::control;
  return MatchDiscard::none;
}

// Every configuration of configs.csv, checked against match.matrix, subclass, weights
// and discarded.  Pairs, subclasses and discarded flags must be identical.  Weights:
// 1e-14 relative -- they are k/(sum of 1/k-type terms) computed with the same
// operations as MatchIt, so only the last bits of the final scaling may differ.
TEST(MatchVsMatchIt, EveryConfigurationIdentical) {
  const std::map<std::string, Dataset> data{{"lalonde", load_units("lalonde")}, {"colon", load_units("colon")}};
  RefCsv cfg(match_ref_path("configs.csv"));
  RefCsv mm(match_ref_path("matches.csv"));
  RefCsv ur(match_ref_path("unit_results.csv"));

  // Index the long tables by configuration.
  std::map<long, std::vector<std::size_t>> mm_rows, ur_rows;
  for (std::size_t i = 0; i < mm.size(); ++i) mm_rows[mm.integer(i, "config")].push_back(i);
  for (std::size_t i = 0; i < ur.size(); ++i) ur_rows[ur.integer(i, "config")].push_back(i);

  std::size_t identical = 0;
  double max_weight_rel = 0.0;
  for (std::size_t c = 0; c < cfg.size(); ++c) {
    const long id = cfg.integer(c, "config");
    const Dataset& d = data.at(cfg.str(c, "dataset"));
    MatchData md{d.treat, cfg.str(c, "link") == "ps" ? d.ps : d.lin, {}};
    if (cfg.str(c, "exact") == "race") md.exact = d.race;
    MatchOptions opt;
    opt.matchit_quirks = true;  // the references are MatchIt 4.5.1's output
    opt.ratio = static_cast<std::size_t>(cfg.integer(c, "ratio"));
    opt.replace = cfg.str(c, "replace") == "TRUE";
    opt.order = parse_order(cfg.str(c, "m_order"));
    opt.caliper = cfg.num(c, "caliper");
    opt.discard = parse_discard(cfg.str(c, "discard"));
    opt.seed = static_cast<std::int32_t>(cfg.integer(c, "seed"));
    const MatchResult res = fit_match(md, opt);

    bool same = true;
    std::string why;
    // match.matrix (1-based rows in the reference, NA = no match).
    std::map<std::size_t, std::size_t> treated_pos;
    for (std::size_t t = 0; t < res.treated_rows.size(); ++t) treated_pos[res.treated_rows[t]] = t;
    for (std::size_t i : mm_rows.at(id)) {
      const auto t = treated_pos.at(static_cast<std::size_t>(mm.integer(i, "treated") - 1));
      const auto slot = static_cast<std::size_t>(mm.integer(i, "slot") - 1);
      const double ref = mm.num(i, "control");
      const std::size_t got = res.match_matrix[t * res.ratio + slot];
      const bool ok = std::isnan(ref) ? got == NM : got == static_cast<std::size_t>(ref - 1);
      if (!ok && same) why = "pair of treated row " + mm.str(i, "treated") + " slot " + mm.str(i, "slot");
      if (!ok) same = false;
    }
    for (std::size_t i : ur_rows.at(id)) {
      const auto row = static_cast<std::size_t>(ur.integer(i, "row") - 1);
      const double w_ref = ur.num(i, "weight");
      const double w = res.weights[row];
      const double rel = w_ref == 0 ? std::abs(w) : std::abs(w - w_ref) / std::abs(w_ref);
      max_weight_rel = std::max(max_weight_rel, rel);
      if (rel > 1e-14 && same) why = "weight of row " + std::to_string(row + 1);
      if (rel > 1e-14) same = false;
      const double s_ref = ur.num(i, "subclass");
      const std::int32_t s = res.subclass.empty() ? 0 : res.subclass[row];
      if ((std::isnan(s_ref) ? 0 : static_cast<std::int32_t>(s_ref)) != s) {
        if (same) why = "subclass of row " + std::to_string(row + 1);
        same = false;
      }
      if (ur.integer(i, "discarded") != res.discarded[row]) {
        if (same) why = "discarded flag of row " + std::to_string(row + 1);
        same = false;
      }
    }
    EXPECT_TRUE(same) << "configuration " << id << " differs from MatchIt: first difference in " << why;
    identical += same;
  }
  std::printf("[ matching ] %zu/%zu configurations identical to MatchIt 4.5.1; max weight rel. error %.3g\n",
              identical, cfg.size(), max_weight_rel);
  EXPECT_EQ(identical, cfg.size());
}

// R's RNG: set.seed(42); sample.int(10) and runif(3) from R 4.x (Mersenne-Twister,
// Rejection sampling), written out here.
TEST(RRandom, MatchesRSampleInt) {
  matching::RRandom rng(42);
  const std::vector<std::int32_t> expected{1, 5, 10, 8, 2, 4, 6, 9, 7, 3};
  EXPECT_EQ(rng.sample_int(10), expected);
  matching::RRandom rng2(42);
  EXPECT_NEAR(rng2.unif_rand(), 0.914806043496355, 1e-15);
  EXPECT_NEAR(rng2.unif_rand(), 0.937075413297862, 1e-15);
}

// ---- hand-checked cases ------------------------------------------------------------
// Rows 0-2 treated, 3-7 controls.  Distances chosen so that the greedy order matters.
//   treated: t0 = 0.50, t1 = 0.45, t2 = 0.90
//   control: c3 = 0.47, c4 = 0.20, c5 = 0.85, c6 = 0.52, c7 = 0.10
MatchData small_data() {
  return MatchData{{1, 1, 1, 0, 0, 0, 0, 0}, {0.50, 0.45, 0.90, 0.47, 0.20, 0.85, 0.52, 0.10}, {}};
}

// The documented method (true nearest neighbours, the default); MatchIt 4.5.1's quirks
// are checked separately in MatchHand.MatchIt451Quirks.
MatchOptions documented() {
  MatchOptions opt;
  EXPECT_FALSE(opt.matchit_quirks);  // the default is the documented method
  return opt;
}

std::vector<std::size_t> first_matches(const MatchResult& r) {
  std::vector<std::size_t> out;
  for (std::size_t t = 0; t < r.treated_rows.size(); ++t) out.push_back(r.match_matrix[t * r.ratio]);
  return out;
}

TEST(MatchHand, LargestFirst) {
  // Order t2 (0.90), t0 (0.50), t1 (0.45).
  // t2: nearest is c5 (|0.90-0.85| = 0.05).  t0: c3 at 0.03 vs c6 at 0.02 -> c6.
  // t1: c3 at 0.02 -> c3.
  const auto r = fit_match(small_data(), documented());
  EXPECT_EQ(first_matches(r), (std::vector<std::size_t>{6, 3, 5}));
  // Subclass labels "1","2","3" (1-based treated rows) sort to codes 1, 2, 3.
  EXPECT_EQ(r.subclass, (std::vector<std::int32_t>{1, 2, 3, 2, 0, 3, 1, 0}));
  EXPECT_EQ(r.weights, (std::vector<double>{1, 1, 1, 1, 0, 1, 1, 0}));
  EXPECT_EQ(r.control.matched, 3u);
  EXPECT_EQ(r.control.unmatched, 2u);
}

TEST(MatchHand, SmallestFirstChangesPairs) {
  // Order t1 (0.45), t0 (0.50), t2 (0.90).
  // t1: c3 at 0.02 (c4 at 0.25).  t0: c3 taken; c4 at 0.30 vs c6 at 0.02 -> c6.
  // t2: c5.
  MatchOptions opt = documented();
  opt.order = MatchOrder::smallest;
  const auto r = fit_match(small_data(), opt);
  EXPECT_EQ(first_matches(r), (std::vector<std::size_t>{6, 3, 5}));
  // Data order: t0 first.  t0: c6 (0.02 < 0.03).  t1: c3 (0.02).  t2: c5.
  opt.order = MatchOrder::data;
  EXPECT_EQ(first_matches(fit_match(small_data(), opt)), (std::vector<std::size_t>{6, 3, 5}));
  // Make the order matter: t0 = 0.46 is then 0.01 from c3 (0.47) and t1 = 0.45 is 0.02.
  MatchData d = small_data();
  d.distance[0] = 0.46;
  opt.order = MatchOrder::largest;  // t2, t0 (0.46), t1 (0.45): t0 takes c3, t1 gets c4 (0.25) vs c6 (0.07) -> c6
  EXPECT_EQ(first_matches(fit_match(d, opt)), (std::vector<std::size_t>{3, 6, 5}));
  opt.order = MatchOrder::smallest;  // t1 first takes c3; t0 then: c4 (0.26) vs c6 (0.06) -> c6
  EXPECT_EQ(first_matches(fit_match(d, opt)), (std::vector<std::size_t>{6, 3, 5}));
}

TEST(MatchHand, TiesGoToTheSmallerDistanceSide) {
  // One treated at 0.5, controls at 0.4 (row 1) and 0.6 (row 2): both 0.1 away in exact
  // binary arithmetic?  0.5-0.4 and 0.6-0.5 differ in the last bit, so use dyadic
  // values: 0.5 +- 0.25.  MatchIt takes the left (smaller distance) control on a tie.
  MatchData d{{1, 0, 0}, {0.5, 0.75, 0.25}, {}};
  EXPECT_EQ(fit_match(d, documented()).match_matrix[0], 2u);
  // Equal distances on the same side: the stable sort keeps data order, so to the left
  // the *last* in data order is nearest, to the right the *first*.
  MatchData left{{1, 0, 0}, {0.5, 0.25, 0.25}, {}};
  EXPECT_EQ(fit_match(left, documented()).match_matrix[0], 2u);
  MatchData right{{1, 0, 0}, {0.5, 0.75, 0.75}, {}};
  EXPECT_EQ(fit_match(right, documented()).match_matrix[0], 1u);
  // A control with the same distance as the treated unit: distance 0 either side.
  MatchData same{{0, 1, 0}, {0.5, 0.5, 0.5}, {}};
  EXPECT_EQ(fit_match(same, documented()).match_matrix[0], 0u);
}

TEST(MatchHand, CaliperExcludes) {
  // Caliper 0.04 in distance units: t2 (0.90) -> c5 (0.05 away) is excluded; t0 -> c6
  // (0.02) and t1 -> c3 (0.02) stay.
  MatchOptions opt = documented();
  opt.caliper = 0.04;
  opt.std_caliper = false;
  const auto r = fit_match(small_data(), opt);
  EXPECT_EQ(first_matches(r), (std::vector<std::size_t>{6, 3, NM}));
  EXPECT_EQ(r.weights, (std::vector<double>{1, 1, 0, 1, 0, 0, 1, 0}));
  EXPECT_EQ(r.treated.unmatched, 1u);
  // Subclass labels "1","2" -> codes 1, 2.
  EXPECT_EQ(r.subclass, (std::vector<std::int32_t>{1, 2, 0, 2, 0, 0, 1, 0}));
}

TEST(MatchHand, RatioTwoInRoundsAndWeights) {
  // 1:2 without replacement, largest first.  Round 1 as LargestFirst: t2-c5, t0-c6,
  // t1-c3.  Round 2 (same order): t2: left c6 taken, c3 taken, c4 (0.70) -> c4 (no right).
  // t0: c7 (0.40) is the only one left -> c7.  t1: nothing left.
  MatchOptions opt = documented();
  opt.ratio = 2;
  const auto r = fit_match(small_data(), opt);
  EXPECT_EQ(r.match_matrix, (std::vector<std::size_t>{6, 7, 3, NM, 5, 4}));
  // Raw control weights: c3 1/1 (t1 has one control), c4, c5, c6, c7 1/2 each: sum 3;
  // 5 matched controls, so all scale by 5/3.
  const double s = 5.0 / 3.0;
  const std::vector<double> expected{1, 1, 1, 1.0 * s, 0.5 * s, 0.5 * s, 0.5 * s, 0.5 * s};
  for (std::size_t i = 0; i < 8; ++i) EXPECT_NEAR(r.weights[i], expected[i], 1e-15) << i;
}

TEST(MatchHand, ReplacementReusesAndWeights) {
  // With replacement MatchIt matches in data order and controls are reused:
  // t0 (0.50) -> c6 (0.52); t1 (0.45) -> c3 (0.47); t2 -> c5.  Move t1 to 0.51: c6 again.
  MatchData d = small_data();
  d.distance[1] = 0.51;
  MatchOptions opt = documented();
  opt.replace = true;
  opt.ratio = 2;
  const auto r = fit_match(d, opt);
  // 2nd round: t0: c6 already in its row -> left c3 (0.03) vs right c5 (0.35) -> c3.
  // t1: c6 in row -> c3 (0.04) vs c5 (0.34) -> c3.  t2: c5 in row -> c6 (0.38).
  EXPECT_EQ(r.match_matrix, (std::vector<std::size_t>{6, 3, 6, 3, 5, 6}));
  // Raw: c6 = 1/2 + 1/2 + 1/2, c3 = 1/2 + 1/2, c5 = 1/2: sum 3 over 3 controls -> scale 1.
  EXPECT_NEAR(r.weights[6], 1.5, 1e-15);
  EXPECT_NEAR(r.weights[3], 1.0, 1e-15);
  EXPECT_NEAR(r.weights[5], 0.5, 1e-15);
  EXPECT_TRUE(r.subclass.empty());
}

TEST(MatchHand, DiscardAndExact) {
  // discard = "control": controls outside [0.45, 0.90] go: c4 (0.20) and c7 (0.10).
  MatchOptions opt = documented();
  opt.discard = MatchDiscard::control;
  opt.ratio = 2;
  auto r = fit_match(small_data(), opt);
  EXPECT_EQ(r.discarded, (std::vector<std::uint8_t>{0, 0, 0, 0, 1, 0, 0, 1}));
  EXPECT_EQ(r.control.discarded, 2u);
  // Exact strata {t0, t2, c4, c5} and {t1, c3, c6, c7}: t2-c5, t0-c4, t1-c3 in round 1.
  MatchData d = small_data();
  d.exact = {0, 1, 0, 1, 0, 0, 1, 1};
  r = fit_match(d, documented());
  EXPECT_EQ(first_matches(r), (std::vector<std::size_t>{4, 3, 5}));
}

TEST(MatchHand, MatchIt451Quirks) {
  // matchit_quirks reproduces MatchIt 4.5.1: differences truncated to integers, so on
  // the propensity scale the nearest free control *below* wins.  Largest first:
  // t2 (0.90): below c6 (0.52) vs above none?  Sorted: c7 .10, c4 .20, t1 .45, c3 .47,
  // t0 .50, c6 .52, c5 .85, t2 .90 -> below t2 is c5 -> c5.  t0 (0.50): below c3 -> c3
  // (although c6 is nearer).  t1 (0.45): below c4 -> c4 (although c3... is taken anyway).
  MatchOptions compat;
  compat.matchit_quirks = true;
  auto r = fit_match(small_data(), compat);
  EXPECT_EQ(first_matches(r), (std::vector<std::size_t>{3, 4, 5}));
  // A caliper never binds on the probability scale: trunc(0.05) = 0 <= 0.04.
  MatchOptions opt = compat;
  opt.caliper = 0.04;
  opt.std_caliper = false;
  r = fit_match(small_data(), opt);
  EXPECT_EQ(first_matches(r), (std::vector<std::size_t>{3, 4, 5}));
  // Off-by-one row test, with replacement and 1:2: t at row 0 (0.5), controls
  // rows 1 (0.4), 2 (0.3), 3 (0.45).  Round 1: below is c3 (0.45) -> c3.  Round 2:
  // MatchIt skips unit 3 + 1 = 4 (none), not c3, so it takes c3 again.
  MatchData d{{1, 0, 0, 0}, {0.5, 0.4, 0.3, 0.45}, {}};
  opt = compat;
  opt.replace = true;
  opt.ratio = 2;
  EXPECT_EQ(fit_match(d, opt).match_matrix, (std::vector<std::size_t>{3, 3}));
  // Controls in order rows 1 (0.45), 2 (0.4): round 1 takes c1; round 2 skips unit
  // 1 + 1 = 2 and reuses c1.  The documented method takes c2.
  MatchData e{{1, 0, 0}, {0.5, 0.45, 0.4}, {}};
  EXPECT_EQ(fit_match(e, opt).match_matrix, (std::vector<std::size_t>{1, 1}));
  opt.matchit_quirks = false;
  EXPECT_EQ(fit_match(e, opt).match_matrix, (std::vector<std::size_t>{1, 2}));
}

TEST(MatchInput, Errors) {
  EXPECT_THROW(fit_match(MatchData{{1, 0}, {0.5}, {}}, MatchOptions{}), InputError);
  EXPECT_THROW(fit_match(MatchData{{1, 0}, {0.5, NAN}, {}}, MatchOptions{}), InputError);
  EXPECT_THROW(fit_match(MatchData{{1, 1}, {0.5, 0.4}, {}}, MatchOptions{}), AnalysisError);
  EXPECT_THROW(fit_match(MatchData{{1, 0}, {0.5, 0.4}, {0, 1}}, MatchOptions{}), AnalysisError);
}

// Found by the fuzz test: `survkit match --ratio 2147483648` allocated treated x ratio
// slots and died of std::bad_alloc (exit 70); --ratio 2^64-1 overflowed the vector size.
TEST(MatchInput, AbsurdRatioIsAnInputError) {
  const MatchData d{{1, 0, 0}, {0.5, 0.45, 0.4}, {}};
  for (std::size_t ratio : {std::size_t{101}, std::size_t{2147483648u}, ~std::size_t{0}}) {
    MatchOptions opt;
    opt.ratio = ratio;
    EXPECT_THROW(fit_match(d, opt), InputError) << ratio;
  }
  MatchOptions opt;
  opt.ratio = 100;  // the limit itself is allowed: one control each, 99 slots empty
  const MatchResult m = fit_match(d, opt);
  EXPECT_EQ(m.match_matrix.size(), 100u);
  EXPECT_EQ(std::count(m.match_matrix.begin(), m.match_matrix.end(), MatchResult::no_match), 98);
}

// 1e6 units, 10% treated: every treated unit matched, no control reused.  (Speed is
// measured by bench/match/run.sh, not by a test.)
TEST(MatchScale, MillionUnits) {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const std::size_t n = 1'000'000;
  MatchData d;
  d.treat.resize(n);
  d.distance.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    d.treat[i] = (i % 10 == 0);
    d.distance[i] = d.treat[i] ? std::sqrt(u(gen)) : u(gen);
  }
  const auto r = fit_match(d, documented());
  std::set<std::size_t> used(r.match_matrix.begin(), r.match_matrix.end());
  EXPECT_EQ(used.size(), r.treated_rows.size());  // every treated matched, no reuse
  EXPECT_EQ(used.count(NM), 0u);
}

}  // namespace
}  // namespace survkit
