// analyse_study: the numbers of StudyResults against the core estimators called the
// way `survkit km / cox / logrank / crosstab / match` call them (through build_frame,
// study_direct.hpp), on the bundled CRC-PM cohort and on a hand-checked data set; and
// the promise of analyses.hpp that each fit happens once and is shared.
//
// Tolerance: none -- the same estimator on the same rows in the same order must give
// the same doubles (EXPECT_EQ), except where a hand-derived fraction is compared
// (1e-14: a few roundings of a short sum).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>
#include <string>

#include "study/analyses.hpp"
#include "study/study_direct.hpp"
#include "study/study_support.hpp"
#include <survkit/cox.hpp>
#include <survkit/crosstab.hpp>
#include <survkit/km.hpp>
#include <survkit/logrank.hpp>
#include <survkit/match.hpp>
#include <survkit/propensity.hpp>

using namespace survkit;
using namespace study_test;

namespace {

struct Crc {
  StudySpec spec;
  Table data;
  std::unique_ptr<const study::StudyResults> results;
};

const Crc& crc() {
  static const Crc c = [] {
    Crc x;
    x.spec = parse_study_spec(read_text(examples("crc-pm/study.toml")), "study.toml");
    x.data = read_csv(examples("crc-pm/patients.csv"));
    x.results = study::analyse_study(x.spec, x.data);
    return x;
  }();
  return c;
}

CoxResult direct_cox(const study::StudyData& d, std::size_t endpoint, const std::vector<std::string>& vars) {
  const ModelFrame fr = build_frame(as_table(d, endpoint), cox_frame(d, vars));
  return fit_cox(CoxInput{fr.surv, fr.design.x, fr.design.terms, {}, {}}, CoxOptions{});
}

const CoxTerm& term_named(const CoxResult& cox, const std::string& term) {
  const auto it = std::find_if(cox.terms.begin(), cox.terms.end(), [&](auto& x) { return x.term == term; });
  if (it == cox.terms.end()) throw std::runtime_error("no term " + term);
  return *it;
}

}  // namespace

TEST(StudyResultsCrc, UnivariateModelsAndRatesEqualDirectCalls) {
  const study::StudyResults& r = *crc().results;
  const study::StudyData& d = r.data;
  ASSERT_EQ(r.endpoints.size(), 2u);
  for (std::size_t e = 0; e < 2; ++e) {
    const auto& uni = r.endpoints[e].univariate;
    ASSERT_EQ(uni.size(), d.variables.size() + 1);  // every variable, then the group
    EXPECT_EQ(uni.back().var, &d.group);
    const Table tab = as_table(d, e);
    for (const auto& u : uni) {
      const std::string& name = u.var == &d.group ? std::string("group") : u.var->spec->name;
      const CoxResult cox = direct_cox(d, e, {name});
      ASSERT_TRUE(u.cox.ok()) << name;
      EXPECT_EQ(u.cox.n, cox.n) << name;
      FrameSpec ks;
      ks.time = "time";
      ks.event = "status";
      ks.group = name;
      const ModelFrame kf = build_frame(tab, ks);
      KmOptions ko;
      ko.times = {36, 60};
      const KmResult km = fit_km(kf.surv, &kf.group, ko);
      double min_p = NA;
      for (std::size_t l = 0; l < u.var->factor.levels.size(); ++l) {
        const std::string& level = u.var->factor.levels[l];
        EXPECT_EQ(u.n_level[l], static_cast<double>(std::count(u.var->factor.code.begin(), u.var->factor.code.end(),
                                                                static_cast<std::int32_t>(l))));
        for (const auto& g : km.groups) {
          if (g.group != level) continue;
          for (std::size_t k = 0; k < 2; ++k) {
            double want = NA;
            for (const auto& at : g.at)
              if (at.time == (k == 0 ? 36 : 60)) want = at.survival;
            if (is_na(want) && g.curve.back().survival == 0) want = 0;  // documented: a curve at 0 stays 0
            if (is_na(want)) EXPECT_TRUE(is_na(u.landmark_survival[l][k])) << name << " " << level;
            else EXPECT_EQ(u.landmark_survival[l][k], want) << name << " " << level;
          }
        }
        if (l == u.var->reference) {
          EXPECT_EQ(u.cox.term(0, l), nullptr);
          continue;
        }
        const CoxTerm& want = term_named(cox, name + "=" + level);
        const CoxTerm* got = u.cox.term(0, l);
        ASSERT_NE(got, nullptr) << name << " " << level;
        EXPECT_EQ(got->hr, want.hr) << want.term;
        EXPECT_EQ(got->lower, want.lower) << want.term;
        EXPECT_EQ(got->upper, want.upper) << want.term;
        EXPECT_EQ(got->p, want.p) << want.term;
        if (is_na(min_p) || want.p < min_p) min_p = want.p;
      }
      EXPECT_EQ(u.min_p, min_p) << name;
    }
  }
}

TEST(StudyResultsCrc, MultivariableModelsEqualDirectCox) {
  const Crc& c = crc();
  const study::StudyResults& r = *c.results;
  for (std::size_t e = 0; e < 2; ++e) {
    const study::MultivariableResult& mv = r.endpoints[e].multivariable;
    EXPECT_TRUE(mv.by_list);
    std::vector<std::string> vars;
    for (const auto& s : c.spec.endpoints[e].multivariable) vars.push_back(s.name);
    ASSERT_EQ(mv.vars.size(), vars.size());
    const CoxResult cox = direct_cox(r.data, e, vars);
    ASSERT_TRUE(mv.cox.ok());
    EXPECT_EQ(mv.cox.n, cox.n);
    EXPECT_EQ(mv.cox.result.events, cox.events);
    std::size_t checked = 0;
    for (std::size_t v = 0; v < mv.vars.size(); ++v)
      for (std::size_t l = 0; l < mv.vars[v]->factor.levels.size(); ++l) {
        const CoxTerm* got = mv.cox.term(v, l);
        if (!got) continue;
        const CoxTerm& want = term_named(cox, vars[v] + "=" + mv.vars[v]->factor.levels[l]);
        EXPECT_EQ(got->hr, want.hr) << want.term;
        EXPECT_EQ(got->p, want.p) << want.term;
        ++checked;
      }
    EXPECT_EQ(checked, cox.terms.size());
    EXPECT_EQ(checked, e == 0 ? 9u : 14u);
  }
}

// The group's KM curves, log-rank test and Cox model are fitted once per endpoint and
// sample, and shared by the univariate table, the medians table and the figures.
TEST(StudyResultsCrc, GroupComparisonsEqualDirectCallsAndAreShared) {
  const study::StudyResults& r = *crc().results;
  const study::StudyData& d = r.data;
  for (std::size_t e = 0; e < 2; ++e) {
    const study::EndpointResults& er = r.endpoints[e];
    const SurvData& s = d.endpoints[e].surv;
    const KmResult km = fit_km(s, &d.group.factor, KmOptions{});
    const LogrankResult lr = fit_logrank(s, d.group.factor, nullptr, LogrankOptions{});
    ASSERT_TRUE(er.all.logrank.result.has_value());
    EXPECT_EQ(er.all.logrank.p(), lr.test.p);
    ASSERT_EQ(er.all.km.groups.size(), 2u);
    for (std::size_t g = 0; g < 2; ++g) {
      // NA (not reached: Group-LI's median OS) must be NA on both sides; otherwise equal.
      for (auto [got, want] : {std::pair{er.all.km.groups[g].median.estimate, km.groups[g].median.estimate},
                               std::pair{er.all.km.groups[g].median.lower, km.groups[g].median.lower}}) {
        if (is_na(want)) EXPECT_TRUE(is_na(got)) << g;
        else EXPECT_EQ(got, want) << g;
      }
      EXPECT_EQ(er.all.km.groups[g].events, km.groups[g].events);
      EXPECT_EQ(er.all.km.groups[g].curve.size(), km.groups[g].curve.size());
    }
    // The group's Cox model of the figure is the univariate table's.
    const CoxTerm* fig = er.all.cox.term(0, 1);
    const CoxTerm* uni = er.univariate.back().cox.term(0, 1);
    ASSERT_TRUE(fig && uni);
    EXPECT_EQ(fig->hr, uni->hr);
    EXPECT_EQ(fig->p, uni->p);
    // After matching: a weighted model with the robust variance (clustered on pairs).
    ASSERT_TRUE(er.matched.has_value());
    EXPECT_TRUE(er.matched->matched);
    EXPECT_TRUE(er.matched->cox.ok());
    EXPECT_TRUE(er.matched->cox.result.robust);
    EXPECT_EQ(er.matched->surv.size(), r.matching->result.match.treated.matched + r.matching->result.match.control.matched);
  }
  // Medians quoted by check_cohort.R (R survival): OS not reached vs 13.1 months
  // (R: quantile(survfit(Surv(os_months, os_event) ~ group, data = d), 0.5)$quantile
  // gives NA and 13.1088295687885).
  EXPECT_TRUE(is_na(r.endpoints[0].all.km.groups[0].median.estimate));
  EXPECT_NEAR(r.endpoints[0].all.km.groups[1].median.estimate, 13.1088295687885, 1e-9);
}

TEST(StudyResultsCrc, Table5TestsAndGroupSizes) {
  const study::StudyResults& r = *crc().results;
  const study::StudyData& d = r.data;
  EXPECT_EQ(r.n_group_before, (std::vector<double>{39, 80}));
  ASSERT_EQ(r.before.size(), r.baseline.size());
  ASSERT_EQ(r.after.size(), r.baseline.size());
  for (std::size_t k = 0; k < r.baseline.size(); ++k) {
    const study::StudyVariable& v = *r.baseline[k];
    const CrosstabResult ct = fit_crosstab(v.factor, d.group.factor);
    const bool fisher = ct.min_expected < 5;
    EXPECT_EQ(r.before[k].fisher, fisher) << v.spec->label;
    EXPECT_EQ(r.before[k].p, fisher ? ct.fisher_p : ct.chisq.p) << v.spec->label;
    double total = 0;
    for (const auto& row : r.before[k].counts) total += row[0] + row[1];
    EXPECT_EQ(total, 119.0) << v.spec->label;  // no missing values in this cohort
  }
  // After matching (1:1 without replacement): every weight is 0 or 1, and the group
  // sizes are the matched counts.
  const MatchResult& m = r.matching->result.match;
  EXPECT_FALSE(r.matching->weighted);
  EXPECT_EQ(r.n_group_after, (std::vector<double>{static_cast<double>(m.treated.matched),
                                                   static_cast<double>(m.control.matched)}));
}

// The study's matching is run_matching on the "differing" covariates (for this cohort
// the published study's five), equal to the propensity model + fit_match of `survkit
// match` through build_frame.
TEST(StudyResultsCrc, MatchingEqualsDirectPropensityAndMatch) {
  const study::StudyResults& r = *crc().results;
  ASSERT_TRUE(r.matching.has_value());
  const study::MatchingResults& mr = *r.matching;
  EXPECT_TRUE(mr.by_difference);
  std::vector<std::string> names;
  for (const auto* v : mr.covariates) names.push_back(v->spec->name);
  EXPECT_EQ(names, (std::vector<std::string>{"age", "distribution", "extrapulmonary", "cea", "ca199"}));
  FrameSpec fs;
  fs.outcome = "group=Local therapy";
  fs.covariates = names;
  for (const auto& v : names) fs.factors.push_back({v, var(r.data, v).factor.levels[0]});
  fs.require_events = false;
  fs.require_two_groups = false;
  const ModelFrame fr = build_frame(as_table(r.data, 0), fs);
  const PropensityResult ps = fit_propensity(PropensityInput{fr.outcome, fr.design.x, fr.design.terms});
  MatchOptions mo;
  mo.caliper = 0.4;  // the spec's caliper (examples/crc-pm/study.toml)
  const MatchResult m = fit_match(MatchData{fr.outcome, ps.linear_predictor, {}}, mo);
  EXPECT_EQ(mr.result.distance, ps.linear_predictor);
  EXPECT_EQ(mr.result.match.weights, m.weights);
  EXPECT_EQ(mr.result.match.subclass, m.subclass);
  EXPECT_EQ(mr.result.match.treated.matched, m.treated.matched);
  // The distance's balance comes from run_matching; the SMD of every baseline level
  // equals MatchIt's summary() (fit_balance) of all the baseline variables at once on
  // the units with the matching weights (no variable is missing in this cohort, so the
  // units are every analysed patient).
  ASSERT_EQ(mr.result.balance.all.size(), 1u);
  EXPECT_EQ(mr.result.balance.all[0].term, "distance");
  ASSERT_EQ(mr.rows.size(), r.data.table.nrows);
  BalanceData bd;
  bd.treat = fr.outcome;
  bd.weights = m.weights;
  for (const auto* v : r.baseline) {
    BalanceCovariate cov;
    cov.name = v->spec->name;
    cov.factor = v->factor;
    bd.covariates.push_back(cov);
  }
  const BalanceResult bal = fit_balance(bd, BalanceOptions{});
  std::size_t checked = 0;
  for (std::size_t k = 0; k < r.baseline.size(); ++k)
    for (std::size_t l = 0; l < r.baseline[k]->factor.levels.size(); ++l)
      for (std::size_t b = 0; b < bal.all.size(); ++b)
        if (bal.all[b].term == r.baseline[k]->spec->name + r.baseline[k]->factor.levels[l]) {
          EXPECT_EQ(r.smd[k].before[l], bal.all[b].std_mean_diff) << bal.all[b].term;
          EXPECT_EQ(r.smd[k].after[l], bal.matched[b].std_mean_diff) << bal.all[b].term;
          ++checked;
        }
  EXPECT_EQ(checked, bal.all.size());
  // The unmatched treated patients are reported once, by run_matching, in its words.
  std::size_t said = 0;
  for (const auto& w : r.warnings) said += w.find("treated patients left unmatched") != std::string::npos;
  EXPECT_EQ(said, m.treated.unmatched > 0 ? 1u : 0u);
}

namespace {

// Hand-checked: arm a: 1 (event), 2 (censored), 3 (event); arm b: 1 (censored),
// 2 (event), 4 (event).  Times in days.
const std::string kHandCsv =
    "t,d,arm,sex\n"
    "1,1,a,m\n"
    "2,0,a,m\n"
    "3,1,a,f\n"
    "1,0,b,f\n"
    "2,1,b,f\n"
    "4,1,b,m\n";

const std::string kHandSpec =
    "[data]\nfile = \"h.csv\"\n"
    "[[variable]]\nname = \"sex\"\nvalues = [\"m\", \"f\"]\n"
    "[group]\nfrom = \"arm\"\nvalues = [\"a\", \"b\"]\n"
    "[[endpoint]]\nid = \"os\"\ntime = \"t\"\nstatus = \"d\"\nunit = \"days\"\n"
    "[analysis]\nlandmarks = [2.5, 3.5]\nmultivariable_p_below = 0.5\n";

}  // namespace

TEST(StudyResultsHand, RatesMediansLogrankAndFisherAsFractions) {
  CsvOptions o;
  o.source = "h.csv";
  const StudySpec spec = parse_study_spec(kHandSpec, "study.toml");
  const auto r = study::analyse_study(spec, parse_csv(kHandCsv, o));
  const study::UnivariateResult& g = r->endpoints[0].univariate.back();
  // a: S(2.5) = 1 - 1/3; the curve reaches 0 at its last time 3, so S(3.5) = 0.
  EXPECT_NEAR(g.landmark_survival[0][0], 2.0 / 3.0, 1e-14);
  EXPECT_EQ(g.landmark_survival[0][1], 0.0);
  // b: censored at 1, then 1 death of 2 at risk at 2: S = 1/2 until 4.
  EXPECT_EQ(g.landmark_survival[1][0], 0.5);
  EXPECT_EQ(g.landmark_survival[1][1], 0.5);
  // Medians: a 3; b S = 1/2 exactly on [2, 4): the half-way rule gives 3.
  const auto& km = r->endpoints[0].all.km;
  EXPECT_EQ(km.groups[0].median.estimate, 3.0);
  EXPECT_EQ(km.groups[1].median.estimate, 3.0);
  // Log-rank: O_a - E_a = 1/2, V = 3/4, chisq = 1/3, P = erfc(sqrt(1/6)).
  EXPECT_NEAR(r->endpoints[0].all.logrank.p(), std::erfc(std::sqrt(1.0 / 6.0)), 1e-14);
  // sex m/f by arm = [[2, 1], [1, 2]]: Fisher's P = 1 (expected counts 1.5 < 5).
  ASSERT_EQ(r->before.size(), 1u);
  EXPECT_EQ(r->before[0].counts, (std::vector<std::vector<double>>{{2, 1}, {1, 2}}));
  EXPECT_TRUE(r->before[0].fisher);
  EXPECT_NEAR(r->before[0].p, 1.0, 1e-14);
  // The P rule (P < 0.5): the multivariable model holds exactly the variables whose
  // univariate P is below it.
  const study::MultivariableResult& mv = r->endpoints[0].multivariable;
  EXPECT_FALSE(mv.by_list);
  for (const auto& u : r->endpoints[0].univariate) {
    const bool in = std::find(mv.vars.begin(), mv.vars.end(), u.var) != mv.vars.end();
    EXPECT_EQ(in, !is_na(u.min_p) && u.min_p < 0.5) << u.var->spec->name;
  }
  EXPECT_FALSE(r->matching.has_value());
  EXPECT_FALSE(r->endpoints[0].matched.has_value());
}

// Follow-up: the reverse Kaplan-Meier quartiles (km_quantiles, checked against R's
// quantile(survfit) in test_km_quantile.cpp) of the endpoint with its status reversed.
TEST(StudyResultsCrc, FollowUpIsTheReverseKaplanMeier) {
  const study::StudyResults& r = *crc().results;
  for (const auto& er : r.endpoints) {
    SurvData rev = er.endpoint->surv;
    for (auto& s : rev.status) s = 1 - s;
    const auto want = km_quantiles(fit_km(rev, nullptr, KmOptions{}).groups[0], {0.25, 0.5, 0.75});
    ASSERT_EQ(er.followup.quartiles.size(), 3u);  // all, then the two groups
    for (std::size_t k = 0; k < 3; ++k) {
      if (is_na(want[k].estimate)) EXPECT_TRUE(is_na(er.followup.quartiles[0][k].estimate));
      else EXPECT_EQ(er.followup.quartiles[0][k].estimate, want[k].estimate);
    }
    EXPECT_EQ(er.followup.overall.groups[0].events, static_cast<double>(std::count(
                                                        er.endpoint->surv.status.begin(), er.endpoint->surv.status.end(), 1)));
  }
}

// After matching: the paired tests are the robust score test of the weighted, pair-
// clustered Cox model and the log-rank test stratified on the pairs (fit_logrank with
// strata = subclass), both on the matched patients.
TEST(StudyResultsCrc, MatchedSamplePairedTests) {
  const study::StudyResults& r = *crc().results;
  const study::MatchingResults& m = *r.matching;
  for (const auto& er : r.endpoints) {
    const study::GroupComparison& c = *er.matched;
    ASSERT_TRUE(c.cox.ok());
    EXPECT_FALSE(is_na(c.cox.result.robust_score.p));
    ASSERT_TRUE(c.logrank_by_pair.result.has_value());
    SurvData s;
    Factor g, pairs;
    g.levels = r.data.group.factor.levels;
    for (std::size_t i = 0; i < r.data.table.nrows; ++i) {
      if (!(m.weights[i] > 0)) continue;
      s.time.push_back(er.endpoint->surv.time[i]);
      s.status.push_back(er.endpoint->surv.status[i]);
      s.weight.push_back(m.weights[i]);
      g.code.push_back(r.data.group.factor.code[i]);
      pairs.code.push_back(m.subclass[i]);
    }
    for (std::int32_t k = 0; k <= *std::max_element(pairs.code.begin(), pairs.code.end()); ++k)
      pairs.levels.push_back(std::to_string(k));
    const LogrankResult lr = fit_logrank(s, g, &pairs, LogrankOptions{});
    EXPECT_EQ(c.logrank_by_pair.p(), lr.test.p);
    EXPECT_EQ(c.logrank_by_pair.result->test.stat, lr.test.stat);
  }
}
