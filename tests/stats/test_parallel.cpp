// stats/parallel.hpp and its users (issue 11): every result is bit-identical whatever the
// number of threads.  Each fit below runs on data large enough to take its threaded
// paths (>= 2^15 rows), once with SURVKIT_THREADS=1 and once with 2, and the two results
// are compared bit for bit (their bit patterns, so that NA equals NA; no tolerance is
// right here).
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "stats/parallel.hpp"
#include "survival/cox/cox_concordance.hpp"
#include "survkit/balance.hpp"
#include "survkit/cox.hpp"
#include "survkit/logistic.hpp"
#include "survkit/match.hpp"

namespace survkit {
namespace {

// Sets SURVKIT_THREADS for the lifetime of the object (tests in one process run in turn).
class Threads {
 public:
  explicit Threads(int n) { ::setenv("SURVKIT_THREADS", std::to_string(n).c_str(), 1); }
  ~Threads() { ::unsetenv("SURVKIT_THREADS"); }
};

std::uint64_t bits(double v) { return std::bit_cast<std::uint64_t>(v); }

constexpr std::size_t kRows = 40000;  // above every threaded path's threshold (2^15)

// Seeded cohort: 4 continuous covariates and a 0/1 one, times with ties, ~30% censored,
// a 0/1 treatment depending on the covariates.
struct Cohort {
  Eigen::MatrixXd x{kRows, 5};
  std::vector<double> time;
  std::vector<std::uint8_t> status, treat;
};

Cohort make_cohort() {
  Cohort c;
  std::mt19937_64 rng(20261129);
  std::normal_distribution<double> norm;
  std::exponential_distribution<double> expo;
  std::uniform_real_distribution<double> unif;
  for (std::size_t i = 0; i < kRows; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    for (Eigen::Index j = 0; j < 4; ++j) c.x(r, j) = norm(rng);
    c.x(r, 4) = unif(rng) < 0.4 ? 1.0 : 0.0;
    const double lp = 0.3 * c.x(r, 0) - 0.2 * c.x(r, 1) + 0.5 * c.x(r, 4);
    const double t_event = expo(rng) / std::exp(lp), t_cens = 3 * expo(rng);
    c.time.push_back(std::ceil(std::min(t_event, t_cens) * 50) / 50);  // ties
    c.status.push_back(t_event <= t_cens ? 1 : 0);
    c.treat.push_back(unif(rng) < 1 / (1 + std::exp(2.0 - 0.5 * c.x(r, 0) - 0.5 * c.x(r, 4))) ? 1 : 0);
  }
  return c;
}

const Cohort& cohort() {
  static const Cohort c = make_cohort();
  return c;
}

CoxResult cox_with(int threads, bool weighted) {
  Threads t(threads);
  CoxInput in;
  in.surv.time = cohort().time;
  in.surv.status = cohort().status;
  if (weighted)  // fractional weights: the concordance's double-count path
    for (std::size_t i = 0; i < kRows; ++i) in.surv.weight.push_back(0.5 + static_cast<double>(i % 7) / 8);
  in.x = cohort().x;
  in.terms = {"a", "b", "c", "d", "e"};
  return fit_cox(std::move(in), CoxOptions{});
}

void expect_same(const CoxResult& a, const CoxResult& b) {
  ASSERT_EQ(a.terms.size(), b.terms.size());
  for (std::size_t j = 0; j < a.terms.size(); ++j) {
    EXPECT_EQ(bits(a.terms[j].coef), bits(b.terms[j].coef)) << a.terms[j].term;
    EXPECT_EQ(bits(a.terms[j].se), bits(b.terms[j].se)) << a.terms[j].term;
    EXPECT_EQ(bits(a.terms[j].mean), bits(b.terms[j].mean)) << a.terms[j].term;
  }
  EXPECT_EQ(bits(a.loglik_model), bits(b.loglik_model));
  EXPECT_EQ(bits(a.concordance), bits(b.concordance));
  EXPECT_EQ(bits(a.concordance_se), bits(b.concordance_se));
  EXPECT_EQ(a.iterations, b.iterations);
}

TEST(Parallel, CoxIsBitIdenticalForOneAndTwoThreads) {
  const CoxResult one = cox_with(1, false), two = cox_with(2, false);
  expect_same(one, two);
  EXPECT_TRUE(one.converged);
  EXPECT_GT(one.concordance, 0.5);  // the covariates do predict: a real fit was compared
}

TEST(Parallel, WeightedCoxIsBitIdenticalForOneAndTwoThreads) {
  expect_same(cox_with(1, true), cox_with(2, true));
}

LogisticResult logistic_with(int threads) {
  Threads t(threads);
  LogisticInput in;
  in.y = cohort().treat;
  in.x = cohort().x;
  in.terms = {"a", "b", "c", "d", "e"};
  return fit_logistic(std::move(in));
}

TEST(Parallel, LogisticQrIsBitIdenticalForOneAndTwoThreads) {
  const LogisticResult one = logistic_with(1), two = logistic_with(2);
  ASSERT_EQ(one.terms.size(), two.terms.size());
  for (std::size_t j = 0; j < one.terms.size(); ++j) {
    EXPECT_EQ(bits(one.terms[j].coef), bits(two.terms[j].coef)) << one.terms[j].term;
    EXPECT_EQ(bits(one.terms[j].se), bits(two.terms[j].se)) << one.terms[j].term;
  }
  EXPECT_EQ(bits(one.residual_deviance), bits(two.residual_deviance));
  EXPECT_EQ(one.fitted, two.fitted);
  EXPECT_TRUE(one.converged);
}

BalanceResult balance_with(int threads) {
  Threads t(threads);
  BalanceData d;
  d.treat = cohort().treat;
  for (Eigen::Index j = 0; j < 5; ++j) {
    BalanceCovariate cov;
    cov.name = "x" + std::to_string(j);
    cov.values.assign(cohort().x.col(j).data(), cohort().x.col(j).data() + kRows);
    d.covariates.push_back(std::move(cov));
  }
  BalanceCovariate site;  // a categorical covariate: one row per level
  site.name = "site";
  site.factor.levels = {"a", "b", "c"};
  for (std::size_t i = 0; i < kRows; ++i) site.factor.code.push_back(static_cast<std::int32_t>(i % 3));
  d.covariates.push_back(std::move(site));
  // Matching-like weights: every treated unit, and a sparse set of controls.
  for (std::size_t i = 0; i < kRows; ++i) d.weights.push_back(d.treat[i] == 1 || i % 9 == 0 ? 1.0 : 0.0);
  return fit_balance(d, BalanceOptions{});
}

void expect_same(const BalanceRow& a, const BalanceRow& b) {
  EXPECT_EQ(a.term, b.term);
  EXPECT_EQ(bits(a.mean_treated), bits(b.mean_treated)) << a.term;
  EXPECT_EQ(bits(a.mean_control), bits(b.mean_control)) << a.term;
  EXPECT_EQ(bits(a.std_mean_diff), bits(b.std_mean_diff)) << a.term;
  EXPECT_EQ(bits(a.var_ratio), bits(b.var_ratio)) << a.term;
  EXPECT_EQ(bits(a.ecdf_mean), bits(b.ecdf_mean)) << a.term;
  EXPECT_EQ(bits(a.ecdf_max), bits(b.ecdf_max)) << a.term;
}

TEST(Parallel, BalanceIsBitIdenticalForOneAndTwoThreads) {
  const BalanceResult one = balance_with(1), two = balance_with(2);
  ASSERT_EQ(one.all.size(), 8u);  // 5 numeric + 3 levels, in the table's order
  ASSERT_EQ(two.all.size(), one.all.size());
  ASSERT_EQ(two.matched.size(), one.matched.size());
  for (std::size_t k = 0; k < one.all.size(); ++k) {
    expect_same(one.all[k], two.all[k]);
    expect_same(one.matched[k], two.matched[k]);
  }
  EXPECT_EQ(one.all[5].term, "sitea");
}

// The concordance cuts a long stratum's walk in two stretches swept at the same time, and
// counts whole weights in integers (cox_concordance.cpp); weights of 0.5 take the one
// sweep in doubles.  Halving every weight scales every sum by a power of two exactly, so
// the concordance and its SE of both paths must be the same doubles, and the pair counts
// exactly 1/4 of the unweighted ones.  Two strata (one long enough to be cut), tied times
// and tied linear predictors, censored rows.
TEST(Parallel, CutConcordanceWalkEqualsTheOneSweepInDoubles) {
  constexpr std::size_t kLong = 150000, kShort = 20000;
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> day(1, 900), score(0, 4000);
  std::uniform_real_distribution<double> unif;
  std::vector<double> time, lp;
  std::vector<std::uint8_t> status, stratum_end;
  for (std::size_t len : {kLong, kShort}) {
    std::vector<double> t(len);
    for (auto& v : t) v = day(rng);
    std::sort(t.begin(), t.end());  // the likelihood's order: ascending time in a stratum
    for (std::size_t i = 0; i < len; ++i) {
      time.push_back(t[i]);
      status.push_back(unif(rng) < 0.6 ? 1 : 0);
      lp.push_back(score(rng) / 1000.0);
      stratum_end.push_back(i + 1 == len ? 1 : 0);
    }
  }
  const cox::ConcordanceStats whole = cox::cox_concordance(time, status, {}, stratum_end, lp, {});
  const std::vector<double> halves(time.size(), 0.5);
  const cox::ConcordanceStats half = cox::cox_concordance(time, status, halves, stratum_end, lp, {});
  EXPECT_EQ(bits(whole.concordance), bits(half.concordance));
  EXPECT_EQ(bits(whole.se), bits(half.se));
  EXPECT_EQ(bits(whole.concordant / 4), bits(half.concordant));
  EXPECT_EQ(bits(whole.discordant / 4), bits(half.discordant));
  EXPECT_EQ(bits(whole.tied_x / 4), bits(half.tied_x));
  EXPECT_GT(whole.tied_x, 0);  // ties on lp did occur
  EXPECT_GT(whole.concordant, 1e9);
}

TEST(Parallel, EveryTaskRunsOnceAndTheLowestFailingTaskIsRethrown) {
  Threads t(2);
  std::vector<int> runs(100, 0);
  EXPECT_THROW(
      {
        try {
          parallel::for_each_task(100, [&](std::size_t k, unsigned worker) {
            ASSERT_LT(worker, 2u);
            ++runs[k];
            if (k == 17 || k == 60) throw std::runtime_error("task " + std::to_string(k));
          });
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "task 17");
          throw;
        }
      },
      std::runtime_error);
  for (int r : runs) EXPECT_EQ(r, 1);
}

}  // namespace
}  // namespace survkit
