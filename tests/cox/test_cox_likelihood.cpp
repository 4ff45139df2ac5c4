// The Cox partial likelihood as an objective: log-likelihood, score and information
// against hand-derived fractions, against R (coxph(init = b, iter.max = 0)) and against
// finite differences of the log-likelihood itself.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <vector>
#include <random>
#include <algorithm>
#include <map>
#include <string>

#include "cox/cox_designs.hpp"
#include "survival/cox/cox_likelihood.hpp"
#include "stats/radix_order.hpp"
#include "support/ref_csv.hpp"

namespace survkit {
namespace {

using cox::CoxPartialLikelihood;

// Five subjects (book1.R style), one binary covariate, two tied deaths at t = 1:
//   A (1, death, x=1)  B (1, death, x=0)  C (2, death, x=1)  D (3, censored, x=0)
//   E (4, death, x=0)
SurvData tiny_surv() {
  SurvData s;
  s.time = {1, 1, 2, 3, 4};
  s.status = {1, 1, 1, 0, 1};
  return s;
}
Eigen::MatrixXd tiny_x() {
  Eigen::MatrixXd x(5, 1);
  x << 1, 0, 1, 0, 0;
  return x;
}

// Exact arithmetic on fractions: rounding of a handful of operations, so 1e-14.
constexpr double kHand = 1e-14;

TEST(CoxLikelihoodHand, BreslowAtZero) {
  // t=1: risk set {A..E}, sum x = 2, 2 deaths; t=2: {C, D, E}, sum x = 1; t=4: {E}.
  //   loglik = -2 log 5 - log 3 - log 1
  //   U = (1 - 2 * 2/5) + (1 - 1/3) + 0 = 13/15
  //   I = 2 (2/5 - 4/25) + (1/3 - 1/9) = 12/25 + 2/9 = 158/225
  const CoxPartialLikelihood lik(tiny_surv(), tiny_x(), {}, Ties::Breslow);
  Eigen::VectorXd u;
  Eigen::MatrixXd info;
  const double ll = lik.eval(Eigen::VectorXd::Zero(1), &u, &info);
  EXPECT_NEAR(ll, -2 * std::log(5.0) - std::log(3.0), kHand);
  EXPECT_NEAR(u[0], 13.0 / 15.0, kHand);
  EXPECT_NEAR(info(0, 0), 158.0 / 225.0, kHand);
}

TEST(CoxLikelihoodHand, EfronAtZero) {
  // t=1 (Efron): denominators 5 and 5 - (1 + 1)/2 = 4; means 2/5 and (2 - 1/2)/4 = 3/8;
  //   second moments 2/5 and (2 - 1/2)/4 = 3/8.
  //   loglik = -log 5 - log 4 - log 3
  //   U = (1 - 2/5 - 3/8) + 2/3 = 9/40 + 2/3 = 107/120
  //   I = (2/5 - 4/25) + (3/8 - 9/64) + 2/9 = 6/25 + 15/64 + 2/9
  const CoxPartialLikelihood lik(tiny_surv(), tiny_x(), {}, Ties::Efron);
  Eigen::VectorXd u;
  Eigen::MatrixXd info;
  const double ll = lik.eval(Eigen::VectorXd::Zero(1), &u, &info);
  EXPECT_NEAR(ll, -std::log(5.0) - std::log(4.0) - std::log(3.0), kHand);
  EXPECT_NEAR(u[0], 107.0 / 120.0, kHand);
  EXPECT_NEAR(info(0, 0), 6.0 / 25.0 + 15.0 / 64.0 + 2.0 / 9.0, kHand);
}

TEST(CoxLikelihoodHand, BreslowAtLog2) {
  // beta = log 2: risk 2 for x = 1, 1 for x = 0.
  //   t=1: denom 2+1+2+1+1 = 7, deaths A, B: zbeta sum log 2, weighted mean x 4/7
  //   t=2: denom 2+1+1 = 4, death C: log 2, mean 2/4
  //   loglik = log 2 - 2 log 7 + log 2 - log 4 = -2 log 7
  //   U = (1 - 8/7) + (1 - 1/2) = 5/14
  //   I = 2 (4/7 - 16/49) + (1/2 - 1/4) = 24/49 + 1/4 = 145/196
  const CoxPartialLikelihood lik(tiny_surv(), tiny_x(), {}, Ties::Breslow);
  Eigen::VectorXd u;
  Eigen::MatrixXd info;
  const double ll = lik.eval(Eigen::VectorXd::Constant(1, std::log(2.0)), &u, &info);
  EXPECT_NEAR(ll, -2 * std::log(7.0), kHand);
  EXPECT_NEAR(u[0], 5.0 / 14.0, kHand);
  EXPECT_NEAR(info(0, 0), 145.0 / 196.0, kHand);
}

TEST(CoxLikelihoodHand, StrataSplitRiskSets) {
  // Strata {A, B, C} and {D, E}: beta = 0, Breslow.
  //   stratum 0: t=1 risk {A,B,C} sum x 2, 2 deaths; t=2 risk {C}: U 1 - 1 = 0, I 0
  //   stratum 1: t=4 risk {E} only.
  //   loglik = -2 log 3;  U = 1 - 2 * 2/3 = -1/3;  I = 2 (2/3 - 4/9) = 4/9
  const CoxPartialLikelihood lik(tiny_surv(), tiny_x(), {0, 0, 0, 1, 1}, Ties::Breslow);
  Eigen::VectorXd u;
  Eigen::MatrixXd info;
  const double ll = lik.eval(Eigen::VectorXd::Zero(1), &u, &info);
  EXPECT_NEAR(ll, -2 * std::log(3.0), kHand);
  EXPECT_NEAR(u[0], -1.0 / 3.0, kHand);
  EXPECT_NEAR(info(0, 0), 4.0 / 9.0, kHand);
}

TEST(CoxLikelihoodHand, CaseWeightsEqualReplication) {
  // Weight 2 on A must equal duplicating A (Breslow, beta = 0):
  //   t=1 risk weight 6, sum wx = 3, deaths weight 3 (A twice, B):
  //     loglik -3 log 6, U 2 - 3 * 3/6 = 1/2, I 3 (3/6 - 1/4) = 3/4
  //   t=2 as before: -log 3, 2/3, 2/9.
  SurvData s = tiny_surv();
  s.weight = {2, 1, 1, 1, 1};
  const CoxPartialLikelihood lik(s, tiny_x(), {}, Ties::Breslow);
  Eigen::VectorXd u;
  Eigen::MatrixXd info;
  const double ll = lik.eval(Eigen::VectorXd::Zero(1), &u, &info);
  EXPECT_NEAR(ll, -3 * std::log(6.0) - std::log(3.0), kHand);
  EXPECT_NEAR(u[0], 1.0 / 2.0 + 2.0 / 3.0, kHand);
  EXPECT_NEAR(info(0, 0), 3.0 / 4.0 + 2.0 / 9.0, kHand);
}

// ---- against R ----------------------------------------------------------------------

struct EvalRef {
  double loglik = 0;
  Eigen::VectorXd beta, score;
  Eigen::MatrixXd info;
};

std::map<std::string, EvalRef> read_eval_refs() {
  const test::RefCsv csv = test::read_ref_csv(test::ref_path("cox/cox_eval.csv"));
  std::map<std::string, EvalRef> out;
  for (std::size_t r = 0; r < csv.rows.size(); ++r) {
    EvalRef& e = out[csv.str(r, "case")];
    const std::string q = csv.str(r, "quantity");
    const auto i = static_cast<Eigen::Index>(csv.num(r, "i"));
    const auto j = static_cast<Eigen::Index>(csv.num(r, "j"));
    const double v = csv.num(r, "value");
    auto grow = [](Eigen::VectorXd& x, Eigen::Index k) {
      if (x.size() <= k) x.conservativeResize(k + 1);
    };
    if (q == "loglik") e.loglik = v;
    if (q == "beta") {
      grow(e.beta, i);
      e.beta[i] = v;
    }
    if (q == "score") {
      grow(e.score, i);
      e.score[i] = v;
    }
    if (q == "information") {
      if (e.info.rows() <= std::max(i, j)) e.info.conservativeResize(std::max(i, j) + 1, std::max(i, j) + 1);
      e.info(i, j) = v;
    }
  }
  return out;
}

double rel(double got, double want) { return std::fabs(got - want) / std::max(std::fabs(want), 1e-300); }

TEST(CoxLikelihoodR, MatchesCoxphAtFixedBeta) {
  const auto refs = read_eval_refs();
  auto designs = test::cox_reference_designs();
  const std::map<std::string, std::string> model_of = {{"lung_efron_b", "lung_efron"},
                                                       {"lung_breslow_b", "lung_breslow"},
                                                       {"lung_strata_inst_b", "lung_strata_inst"},
                                                       {"lung_weighted_b", "lung_weighted"}};
  ASSERT_EQ(refs.size(), model_of.size());
  for (const auto& [name, ref] : refs) {
    SCOPED_TRACE(name);
    const auto& [in, opt] = designs.at(model_of.at(name));
    const CoxPartialLikelihood lik(in.surv, in.x, in.strata, opt.ties);
    Eigen::VectorXd u;
    Eigen::MatrixXd info;
    const double ll = lik.eval(ref.beta, &u, &info);
    // Same sums in a different order (R centres x first): ~1e-13 relative on the
    // loglik.  The score is a difference of large terms (R's comes from summing score
    // residuals), so its error is relative to the information scale: 1e-9 of |I|.
    EXPECT_LT(rel(ll, ref.loglik), 1e-12);
    for (Eigen::Index i = 0; i < u.size(); ++i)
      EXPECT_NEAR(u[i], ref.score[i], 1e-9 * std::sqrt(ref.info(i, i))) << "score " << i;
    // R's information is solve(fit$var): an inversion round trip, ~1e-10 relative.
    for (Eigen::Index i = 0; i < info.rows(); ++i)
      for (Eigen::Index j = 0; j < info.cols(); ++j)
        EXPECT_NEAR(info(i, j), ref.info(i, j), 1e-9 * std::sqrt(ref.info(i, i) * ref.info(j, j)))
            << "info " << i << "," << j;
  }
}

// ---- derivatives by finite differences ------------------------------------------------

TEST(CoxLikelihoodDerivatives, ScoreAndInformationAreDerivativesOfLoglik) {
  auto designs = test::cox_reference_designs();
  for (const std::string name : {"lung_efron", "lung_breslow", "lung_strata_inst", "lung_weighted", "veteran"}) {
    SCOPED_TRACE(name);
    const auto& [in, opt] = designs.at(name);
    const CoxPartialLikelihood lik(in.surv, in.x, in.strata, opt.ties);
    const Eigen::Index p = in.x.cols();
    Eigen::VectorXd beta(p);
    for (Eigen::Index j = 0; j < p; ++j) beta[j] = 0.1 / (1.0 + in.x.col(j).cwiseAbs().mean()) * (j % 2 ? -1 : 1);
    Eigen::VectorXd u;
    Eigen::MatrixXd info;
    lik.eval(beta, &u, &info);
    for (Eigen::Index j = 0; j < p; ++j) {
      // Central differences with h scaled to the column: truncation error O(h^2) and
      // rounding O(eps |loglik| / h) together stay below 1e-6 relative to sqrt(I_jj)/h.
      const double h = 1e-4 / std::sqrt(info(j, j));
      Eigen::VectorXd bp = beta, bm = beta;
      bp[j] += h;
      bm[j] -= h;
      Eigen::VectorXd up, um;
      const double lp = lik.eval(bp, &up, nullptr), lm = lik.eval(bm, &um, nullptr);
      EXPECT_NEAR((lp - lm) / (2 * h), u[j], 1e-5 * std::sqrt(info(j, j))) << "score " << j;
      for (Eigen::Index i = 0; i < p; ++i)
        EXPECT_NEAR(-(up[i] - um[i]) / (2 * h), info(i, j), 1e-6 * std::sqrt(info(i, i) * info(j, j)))
            << "info " << i << "," << j;
    }
  }
}

TEST(CoxLikelihoodOrder, PermutedRowsGiveTheSameObjective) {
  auto designs = test::cox_reference_designs();
  const auto& [in, opt] = designs.at("lung_strata_inst");
  const std::size_t n = in.surv.size();
  CoxInput perm = in;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t k = (i * 101 + 7) % n;  // 101 is coprime with n = 226
    perm.surv.time[i] = in.surv.time[k];
    perm.surv.status[i] = in.surv.status[k];
    perm.strata[i] = in.strata[k];
    perm.x.row(static_cast<Eigen::Index>(i)) = in.x.row(static_cast<Eigen::Index>(k));
  }
  const CoxPartialLikelihood a(in.surv, in.x, in.strata, opt.ties);
  const CoxPartialLikelihood b(perm.surv, perm.x, perm.strata, opt.ties);
  const Eigen::VectorXd beta = Eigen::Vector3d(0.01, -0.5, 0.4);
  Eigen::VectorXd ua, ub;
  Eigen::MatrixXd ia, ib;
  // Tied rows are summed in another order: rounding only.
  EXPECT_NEAR(a.eval(beta, &ua, &ia), b.eval(beta, &ub, &ib), 1e-11);
  EXPECT_LT((ua - ub).norm(), 1e-9);
  EXPECT_LT((ia - ib).norm() / ia.norm(), 1e-13);
}

TEST(CoxLikelihoodResiduals, WeightedScoreResidualsSumToTheScore) {
  auto designs = test::cox_reference_designs();
  for (const std::string name : {"lung_efron", "lung_breslow", "lung_strata_inst", "lung_weighted_frac"}) {
    SCOPED_TRACE(name);
    const auto& [in, opt] = designs.at(name);
    const CoxPartialLikelihood lik(in.surv, in.x, in.strata, opt.ties);
    const Eigen::VectorXd beta = Eigen::Vector3d(0.012, -0.4, 0.3);
    Eigen::VectorXd u;
    lik.eval(beta, &u, nullptr);
    const Eigen::MatrixXd r = lik.score_residuals(beta);
    Eigen::VectorXd sum = Eigen::VectorXd::Zero(3);
    for (Eigen::Index i = 0; i < r.rows(); ++i) sum += in.surv.w(static_cast<std::size_t>(i)) * r.row(i).transpose();
    // Sums of ~200 terms of size |x| ~ 60 (age): 1e-9 absolute.
    EXPECT_LT((sum - u).cwiseAbs().maxCoeff(), 1e-9);
  }
}

// radix_order: the permutation of std::stable_sort, by both of its routes (a counting
// sort for few distinct keys, LSD radix passes otherwise), with the sorted keys.
TEST(CoxRadixOrder, IsTheStableSortOrder) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  for (const std::size_t distinct : {std::size_t{1}, std::size_t{3}, std::size_t{397}, std::size_t{4096},
                                     std::size_t{4097}, std::size_t{0}}) {  // 0: continuous
    std::vector<double> x(20000);
    for (double& v : x) {
      v = distinct == 0 ? normal(rng) : std::round(normal(rng) * 1e6) / 1e6;
      if (distinct != 0) v = static_cast<double>(rng() % distinct) * (rng() % 2 ? 0.1 : -0.1);
    }
    x[5] = -0.0;  // -0 and +0 are equal: one key, input order kept
    x[9] = 0.0;
    std::vector<std::uint64_t> keys(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) keys[i] = stats::order_key(x[i]);
    std::vector<std::uint32_t> expect(x.size());
    for (std::uint32_t i = 0; i < expect.size(); ++i) expect[i] = i;
    std::stable_sort(expect.begin(), expect.end(), [&](std::uint32_t a, std::uint32_t b) { return x[a] < x[b]; });
    const std::vector<std::uint64_t> original = keys;
    const std::vector<std::uint32_t> order = stats::radix_order(keys, &keys);  // sorted in place
    ASSERT_EQ(order, expect) << "distinct " << distinct;
    for (std::size_t k = 0; k < order.size(); ++k) ASSERT_EQ(keys[k], original[order[k]]) << k;
  }
  // Keys sharing their upper 32 bits in long runs (values 1 + k 2^-40): the radix route
  // finishes such runs with a stable sort by the whole key.
  {
    std::vector<double> x(6000);
    for (std::size_t i = 0; i < x.size(); ++i) x[i] = 1.0 + std::ldexp(static_cast<double>(rng() % 5000), -40);
    std::vector<std::uint64_t> keys(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) keys[i] = stats::order_key(x[i]);
    std::vector<std::uint32_t> expect(x.size());
    for (std::uint32_t i = 0; i < expect.size(); ++i) expect[i] = i;
    std::stable_sort(expect.begin(), expect.end(), [&](std::uint32_t a, std::uint32_t b) { return x[a] < x[b]; });
    EXPECT_EQ(stats::radix_order(keys), expect);
  }
  // The counting route gives up beyond 4096 distinct keys, and only then.
  std::vector<std::uint64_t> keys(5000);
  for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = i % 4096;
  std::vector<std::uint32_t> order;
  EXPECT_TRUE(stats::few_distinct_order(keys, order));
  keys[4999] = 99999;
  EXPECT_FALSE(stats::few_distinct_order(keys, order));
}

}  // namespace
}  // namespace survkit
