// fit_cox: coxph() (survival 3.5) for right-censored data, Breslow or Efron ties.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "stats/distributions.hpp"
#include "stats/estimability.hpp"
#include "stats/parallel.hpp"
#include "survival/cox/cox_cholesky.hpp"
#include "survival/cox/cox_concordance.hpp"
#include "survival/cox/cox_likelihood.hpp"
#include "survkit/cox.hpp"

namespace survkit {
namespace {

void validate(const CoxInput& in) {
  const std::size_t n = in.surv.size();
  if (in.surv.status.size() != n) throw InputError("cox: time and status differ in length");
  if (in.surv.weighted() && in.surv.weight.size() != n)
    throw InputError("cox: weights and time differ in length");
  if (static_cast<std::size_t>(in.x.rows()) != n)
    throw InputError("cox: the covariate matrix has a different number of rows than time");
  if (in.terms.size() != static_cast<std::size_t>(in.x.cols()))
    throw InputError("cox: one term name per covariate column is needed");
  if (in.x.cols() == 0) throw InputError("cox: the model has no covariate");
  if (!in.strata.empty() && in.strata.size() != n)
    throw InputError("cox: strata and time differ in length");
  if (!in.cluster.empty() && in.cluster.size() != n)
    throw InputError("cox: cluster and time differ in length");
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(in.surv.time[i]) || in.surv.time[i] < 0)
      throw InputError("cox: times must be finite and >= 0", {}, 0, "time",
                       std::to_string(in.surv.time[i]));
    if (in.surv.status[i] > 1) throw InputError("cox: status must be 0 or 1");
    // coxph.fit: "Invalid weights, must be >0".
    if (in.surv.weighted() && !(std::isfinite(in.surv.weight[i]) && in.surv.weight[i] > 0))
      throw InputError("cox: invalid weights, must be > 0 and finite", {}, 0, "weight",
                       std::to_string(in.surv.weight[i]));
    if (!in.strata.empty() && in.strata[i] < 0) throw InputError("cox: negative stratum code");
    if (!in.cluster.empty() && in.cluster[i] < 0) throw InputError("cox: negative cluster code");
  }
  if (!in.x.allFinite()) throw InputError("cox: the data contain an infinite or missing covariate");
}

// R's robust variance pieces: rows of `m` (already weighted) summed within clusters;
// without a cluster each row is its own cluster.
Eigen::MatrixXd collapse(const Eigen::MatrixXd& m, const std::vector<std::int32_t>& cluster) {
  if (cluster.empty()) return m;
  std::unordered_map<std::int32_t, Eigen::Index> slot;
  for (std::int32_t c : cluster) slot.emplace(c, static_cast<Eigen::Index>(slot.size()));
  Eigen::MatrixXd out = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(slot.size()), m.cols());
  for (std::size_t i = 0; i < cluster.size(); ++i)
    out.row(slot[cluster[i]]) += m.row(static_cast<Eigen::Index>(i));
  return out;
}


// R treats a covariate that is constant within every stratum as aliased (its partial
// likelihood does not depend on the coefficient); rounding in the centred risk-set sums
// would otherwise leave a tiny non-zero information and a meaningless estimate.
bool constant_within_strata(const Eigen::Ref<const Eigen::VectorXd>& col, const std::vector<std::int32_t>& strata) {
  std::unordered_map<std::int32_t, double> first;
  for (Eigen::Index i = 0; i < col.size(); ++i) {
    const std::int32_t s = strata.empty() ? 0 : strata[static_cast<std::size_t>(i)];
    const auto [it, inserted] = first.try_emplace(s, col[i]);
    if (!inserted && it->second != col[i]) return false;
  }
  return true;
}


// The raw output of the Newton-Raphson loop, on the original covariate scale (coxfit6).
struct NewtonOutput {
  Eigen::VectorXd beta, u;
  Eigen::VectorXd beta_scaled;  // beta on the scale of the centred and scaled covariates
  Eigen::MatrixXd var;  // inverse information (generalized), as R's imat
  double loglik0 = 0, loglik1 = 0, sctest = 0;
  int flag = 0;  // rank of the last Cholesky; 1000 = did not converge; -2 = converged while halving
  int iter = 0;
};

// Contract: `lik` built on the centred and scaled covariates (column j multiplied by
// scale[j]), beta starts at 0.  The iteration is coxfit6.c line for line, including the
// working matrix `imat` that holds the information above the diagonal and its Cholesky
// factor below (see cox_cholesky.hpp); this matters for R's result when it runs out of
// iterations, where it inverts the refreshed information with a zeroed factor.
NewtonOutput newton_raphson(const cox::CoxPartialLikelihood& lik, const Eigen::VectorXd& scale,
                            const CoxOptions& opt) {
  const Eigen::Index p = static_cast<Eigen::Index>(lik.p());
  Eigen::VectorXd u(p);
  Eigen::MatrixXd info(p, p), imat(p, p);
  // One coxfit6_iter call: imat is cleared and gets the information in its upper half.
  auto iterate = [&](const Eigen::VectorXd& b) {
    const double lk = lik.eval(b, &u, &info);
    imat.setZero();
    for (Eigen::Index i = 0; i < p; ++i)
      for (Eigen::Index j = 0; j <= i; ++j) imat(j, i) = info(j, i);
    return lk;
  };
  NewtonOutput out;
  auto finish = [&](const Eigen::VectorXd& b) {  // back to the original scale
    cox::chinv2(imat);
    out.var = cox::chinv2_symmetric(imat);
    for (Eigen::Index i = 0; i < p; ++i)
      for (Eigen::Index j = 0; j < p; ++j) out.var(i, j) *= scale[i] * scale[j];
    out.beta = b.cwiseProduct(scale);
    out.beta_scaled = b;
    out.u = u.cwiseQuotient(scale);
  };

  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
  out.iter = 0;
  out.loglik0 = iterate(beta);
  out.loglik1 = out.loglik0;
  Eigen::VectorXd a = u;  // u(0), kept for the score test
  out.flag = cox::cholesky2(imat, opt.toler_chol);
  cox::chsolve2(imat, a);
  out.sctest = u.dot(a);

  // Never complain about convergence on the first step (max_iter 0 evaluates only).
  if (opt.max_iter == 0 || !std::isfinite(out.loglik0)) {
    finish(beta);
    return out;
  }

  Eigen::VectorXd newbeta = beta + a;
  int halving = 0;
  for (out.iter = 1; out.iter <= opt.max_iter; ++out.iter) {
    const double newlk = iterate(newbeta);
    out.flag = cox::cholesky2(imat, opt.toler_chol);
    const bool notfinite = !u.allFinite() || !imat.allFinite() || !std::isfinite(newlk);
    if (!notfinite && std::fabs(1 - out.loglik1 / newlk) <= opt.eps) {
      out.loglik1 = newlk;
      finish(newbeta);
      if (halving) out.flag = -2;
      return out;
    }
    if (notfinite || newlk < out.loglik1) {
      // Not improving: step back towards the last good beta, more so each time.
      ++halving;
      newbeta = (newbeta + halving * beta) / (halving + 1.0);
    } else {
      halving = 0;
      out.loglik1 = newlk;
      cox::chsolve2(imat, u);
      beta = newbeta;
      newbeta = newbeta + u;
    }
  }
  // Out of iterations: refresh loglik and information at the last good beta.
  if (opt.max_iter > 1) out.loglik1 = iterate(beta);
  finish(beta);
  out.flag = 1000;
  return out;
}

// One column's preparation for the fit (see fit_cox): its exact power-of-two rescaling,
// whether it is constant within every stratum, and its centre and scale.
void prepare_column(CoxInput& input, Eigen::Index j, double wsum, int& expo, char& flat, double& mean,
                    double& scale) {
  const SurvData& surv = input.surv;
  const std::size_t n = surv.size();
  const int e = stats::extreme_exponent(input.x.col(j));
  expo = e;
  if (e != 0) input.x.col(j) = input.x.col(j).unaryExpr([e](double v) { return std::ldexp(v, -e); });
  flat = constant_within_strata(input.x.col(j), input.strata) ? 1 : 0;
  const auto col = input.x.col(j);
  // Stops at the first other value: for a continuous covariate, at once.
  const bool zero_one =
      std::all_of(col.data(), col.data() + col.size(), [](double v) { return v == -1.0 || v == 0.0 || v == 1.0; });
  if (zero_one) return;
  double m = 0;
  for (std::size_t i = 0; i < n; ++i) m += surv.w(i) * col[static_cast<Eigen::Index>(i)];
  m /= wsum;
  mean = m;
  // The same arithmetic as centring a copy first: fabs(x - m) of the centred value.
  double sabs = 0;
  for (std::size_t i = 0; i < n; ++i) sabs += surv.w(i) * std::fabs(col[static_cast<Eigen::Index>(i)] - m);
  scale = sabs > 0 ? wsum / sabs : 1.0;  // a constant column keeps scale 1
}

// The covariates' preparation for the fit, per column (independent, so run as parallel
// tasks; each writes only its own entries): extreme magnitudes are first rescaled exactly
// (see extreme_exponent), and columns constant within every stratum are zeroed so that
// the Cholesky declares them aliased.  Then centring and scaling as coxfit6.c: weighted
// mean, then scale so that the weighted mean absolute value is 1.  Columns whose values
// all lie in {-1, 0, 1} (0/1 dummies) are left untouched (coxph's nocenter default).
struct PreparedColumns {
  std::vector<int> expo;          // the exact power-of-two rescaling of each column
  Eigen::VectorXd means, scale;   // the centring and scaling of the fit
  Eigen::VectorXd report_means;   // fit$means, on the (pre-scaled) data
};

PreparedColumns prepare_columns(CoxInput& input) {
  const SurvData& surv = input.surv;
  const std::size_t n = surv.size();
  const Eigen::Index p = input.x.cols();
  PreparedColumns c;
  c.expo.assign(static_cast<std::size_t>(p), 0);
  std::vector<char> flat(static_cast<std::size_t>(p), 0);
  double wsum = 0;
  for (std::size_t i = 0; i < n; ++i) wsum += surv.w(i);
  c.means = Eigen::VectorXd::Zero(p);
  c.scale = Eigen::VectorXd::Ones(p);
  parallel::for_each_task(static_cast<std::size_t>(p), n, [&](std::size_t uj) {
    const auto j = static_cast<Eigen::Index>(uj);
    prepare_column(input, j, wsum, c.expo[uj], flat[uj], c.means[j], c.scale[j]);
  });
  c.report_means = c.means;
  for (Eigen::Index j = 0; j < p; ++j)
    if (flat[static_cast<std::size_t>(j)]) {
      input.x.col(j).setZero();
      c.means[j] = 0;
      c.scale[j] = 1;
    }
  return c;
}

// coxph.fit's post-processing: the aliased columns (returned), the convergence and
// infinite-coefficient warnings, and the singularity warnings; `df` counts the rest.
std::vector<bool> check_fit(const NewtonOutput& nr, const std::vector<double>& lp, const CoxInput& input,
                            const CoxOptions& options, CoxResult& res, int& df) {
  const Eigen::Index p = nr.beta.size();
  const double lp_max = lp.empty() ? -INFINITY : *std::max_element(lp.begin(), lp.end());
  std::vector<bool> aliased(static_cast<std::size_t>(p), false);
  if (nr.flag < p)
    for (Eigen::Index j = 0; j < p; ++j) aliased[j] = nr.var(j, j) == 0;
  if (options.max_iter > 1) {
    const Eigen::VectorXd infs = (nr.u.transpose() * nr.var).transpose().cwiseAbs();
    if (nr.flag == 1000) {
      res.warnings.push_back("Ran out of iterations and did not converge");
      if (lp_max > 500 || !infs.allFinite())
        res.warnings.push_back("one or more coefficients may be infinite");
    } else {
      for (Eigen::Index j = 0; j < p; ++j) {
        const bool inf = !std::isfinite(nr.u[j]) ||
                         (infs[j] > options.eps && infs[j] > options.toler_inf * std::fabs(nr.beta[j]));
        if (inf)
          res.warnings.push_back("Loglik converged before variable " + std::to_string(j + 1) + " (" +
                                 input.terms[j] + "); coefficient may be infinite");
      }
    }
  }
  df = 0;
  for (Eigen::Index j = 0; j < p; ++j) {
    if (aliased[j] && options.max_iter > 0)
      res.warnings.push_back("X matrix deemed to be singular; variable " + std::to_string(j + 1) + " (" +
                             input.terms[j] + ") not defined because of singularities");
    else
      ++df;
  }
  return aliased;
}

// Robust variance, as coxph(): D'D with D the weighted dfbeta residuals summed within
// clusters (res.var), and a robust score test from the score residuals at beta = 0.
void robust_variance(const cox::CoxPartialLikelihood& lik, const NewtonOutput& nr, const Eigen::VectorXd& scale,
                     const CoxInput& input, const CoxOptions& options, int df, CoxResult& res) {
  const std::size_t n = input.surv.size();
  const Eigen::Index p = nr.beta.size();
  Eigen::VectorXd w(static_cast<Eigen::Index>(n));
  for (std::size_t i = 0; i < n; ++i) w[static_cast<Eigen::Index>(i)] = input.surv.w(i);
  // Score residuals are linear in the covariates and invariant to centring, so those of
  // the scaled problem at beta / scale, divided column-wise by scale, are R's.
  auto residuals = [&](const Eigen::VectorXd& beta) -> Eigen::MatrixXd {
    Eigen::MatrixXd r = lik.score_residuals(beta.cwiseQuotient(scale));
    for (Eigen::Index j = 0; j < p; ++j) r.col(j) /= scale[j];
    return r;
  };
  const Eigen::MatrixXd dfbeta = ((residuals(nr.beta) * nr.var).array().colwise() * w.array()).matrix();
  const Eigen::MatrixXd d = collapse(dfbeta, input.cluster);
  res.var = d.transpose() * d;
  const Eigen::MatrixXd s0 = (residuals(Eigen::VectorXd::Zero(p)).array().colwise() * w.array()).matrix();
  const Eigen::MatrixXd c0 = collapse(s0, input.cluster);
  const Eigen::VectorXd u0 = c0.colwise().sum().transpose();
  const double rscore = cox::wald_quadratic_form(c0.transpose() * c0, u0, options.toler_chol, nullptr);
  res.robust_score = {rscore, static_cast<double>(df), stats::chisq_upper(rscore, df)};
}

// Wald test on the non-aliased coefficients (coxph.wtest on fit$var), and the
// likelihood-ratio and score tests.
void global_tests(const NewtonOutput& nr, const std::vector<bool>& aliased, const CoxOptions& options, int df,
                  CoxResult& res) {
  std::vector<Eigen::Index> keep;
  for (Eigen::Index j = 0; j < nr.beta.size(); ++j)
    if (!aliased[static_cast<std::size_t>(j)]) keep.push_back(j);
  if (!keep.empty()) {
    const auto k = static_cast<Eigen::Index>(keep.size());
    Eigen::MatrixXd v(k, k);
    Eigen::VectorXd b(k);
    for (Eigen::Index a = 0; a < k; ++a) {
      b[a] = nr.beta[keep[a]];
      for (Eigen::Index c = 0; c < k; ++c) v(a, c) = res.var(keep[a], keep[c]);
    }
    const double wald = cox::wald_quadratic_form(v, b, options.toler_chol, nullptr);
    res.wald = {wald, static_cast<double>(df), stats::chisq_upper(wald, df)};
  }
  const double lr = -2 * (res.loglik_null - res.loglik_model);
  res.likelihood_ratio = {lr, static_cast<double>(df), stats::chisq_upper(lr, df)};
  res.score = {nr.sctest, static_cast<double>(df), stats::chisq_upper(nr.sctest, df)};
}

// The coefficient table of summary.coxph, and the variances back on the data's scale.
// Pre-scaled columns (expo != 0) are mapped back exactly with ldexp; for the others
// ldexp(v, 0) == v and the arithmetic is the original one.
void coefficient_table(const NewtonOutput& nr, const PreparedColumns& prep, const std::vector<bool>& aliased,
                       const CoxInput& input, const CoxOptions& options, CoxResult& res) {
  const Eigen::Index p = nr.beta.size();
  const double zq = stats::norm_quantile((1 + options.conf_level) / 2);
  for (Eigen::Index j = 0; j < p; ++j) {
    CoxTerm t;
    const int e = prep.expo[static_cast<std::size_t>(j)];
    t.term = input.terms[j];
    t.mean = std::ldexp(prep.report_means[j], e);
    t.aliased = aliased[static_cast<std::size_t>(j)];
    if (!t.aliased) {
      t.coef = std::ldexp(nr.beta[j], -e);
      t.hr = std::exp(t.coef);
      t.se = std::ldexp(std::sqrt(res.naive_var(j, j)), -e);
      const double se_work = std::sqrt(res.var(j, j));
      const double se_used = std::ldexp(se_work, -e);
      if (res.robust) t.robust_se = se_used;
      t.z = e == 0 ? t.coef / se_used : nr.beta[j] / se_work;
      t.p = stats::chisq_upper(t.z * t.z, 1);
      t.lower = std::exp(t.coef - zq * se_used);
      t.upper = std::exp(t.coef + zq * se_used);
      t.reason = stats::not_estimable_reason(t.coef, nr.beta[j], se_used, t.hr, t.lower, t.upper, "hazard ratio");
      t.estimable = t.reason.empty();
      if (!t.estimable) res.warnings.push_back(t.term + ": not estimable, " + t.reason);
    }
    res.terms.push_back(t);
  }
  for (Eigen::Index i = 0; i < p; ++i)
    for (Eigen::Index j = 0; j < p; ++j) {
      const int e = prep.expo[static_cast<std::size_t>(i)] + prep.expo[static_cast<std::size_t>(j)];
      if (e != 0) {
        res.var(i, j) = std::ldexp(res.var(i, j), -e);
        res.naive_var(i, j) = std::ldexp(res.naive_var(i, j), -e);
      }
    }
}

}  // namespace

CoxResult fit_cox(const CoxInput& input, const CoxOptions& options) {
  return fit_cox(CoxInput(input), options);
}

CoxResult fit_cox(CoxInput&& input, const CoxOptions& options) {
  validate(input);
  const SurvData& surv = input.surv;
  const std::size_t n = surv.size();

  CoxResult res;
  res.n = n;
  res.ties = options.ties;
  for (std::uint8_t s : surv.status) res.events += s;
  if (res.events == 0) throw AnalysisError("cox: there are no events");
  const PreparedColumns prep = prepare_columns(input);

  // The likelihood takes the covariates over: sorted, centred and scaled in place, so the
  // fit holds a single copy of X.  (x - 0) * 1 leaves the {-1, 0, 1} columns exact.
  cox::CoxPartialLikelihood lik(surv, std::move(input.x), input.strata, options.ties, prep.means, prep.scale);
  const NewtonOutput nr = newton_raphson(lik, prep.scale, options);
  res.iterations = nr.iter;
  res.converged = nr.flag != 1000;
  res.loglik_null = nr.loglik0;
  res.loglik_model = nr.loglik1;

  // The linear predictor of the centred covariates (coxph.fit's lp), in sorted order:
  // sum_j (x_j - m_j) s_j (beta_j / s_j), equal to sum_j (x_j - m_j) beta_j up to rounding.
  const std::vector<double> lp = lik.linear_predictor(nr.beta_scaled);
  int df = 0;
  const std::vector<bool> aliased = check_fit(nr, lp, input, options, res, df);

  res.naive_var = nr.var;
  res.var = nr.var;
  // The robust variance replaces var when a cluster is given, when a weight is not an
  // integer (R's has.rwt), or on request.
  bool noninteger_weights = false;
  for (double w : surv.weight) noninteger_weights = noninteger_weights || w != std::floor(w);
  res.robust = options.robust || !input.cluster.empty() || noninteger_weights;
  const bool any_coef = std::find(aliased.begin(), aliased.end(), false) != aliased.end();
  if (res.robust && any_coef) robust_variance(lik, nr, prep.scale, input, options, df, res);
  global_tests(nr, aliased, options, df, res);

  // Concordance of the linear predictor (R passes the cluster only when there is one;
  // without it each row is its own cluster, the same thing), on the likelihood's sort.
  lik.release_covariates();  // X is no longer needed: make room for the concordance
  std::vector<std::int32_t> cluster_sorted;
  if (!input.cluster.empty()) {
    cluster_sorted.resize(n);
    for (std::size_t k = 0; k < n; ++k) cluster_sorted[k] = input.cluster[lik.order()[k]];
  }
  const cox::ConcordanceStats conc = cox::cox_concordance(
      lik.sorted_time(), lik.sorted_status(), lik.sorted_weight(), lik.stratum_end(), lp, cluster_sorted);
  res.concordance = conc.concordance;
  res.concordance_se = conc.se;
  coefficient_table(nr, prep, aliased, input, options, res);
  return res;
}

}  // namespace survkit
