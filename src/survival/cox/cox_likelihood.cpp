#include "survival/cox/cox_likelihood.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "stats/parallel.hpp"
#include "stats/prefetch.hpp"
#include "stats/radix_order.hpp"

namespace survkit::cox {

CoxPartialLikelihood::CoxPartialLikelihood(const SurvData& surv, const Eigen::MatrixXd& x,
                                           const std::vector<std::int32_t>& strata, Ties ties)
    : CoxPartialLikelihood(surv, Eigen::MatrixXd(x), strata, ties, Eigen::VectorXd(), Eigen::VectorXd()) {}

CoxPartialLikelihood::CoxPartialLikelihood(const SurvData& surv, Eigen::MatrixXd&& x,
                                           const std::vector<std::int32_t>& strata, Ties ties,
                                           const Eigen::VectorXd& centre, const Eigen::VectorXd& scale)
    : ties_(ties), x_(std::move(x)) {
  const std::size_t n = surv.size();
  if (n >= std::numeric_limits<std::uint32_t>::max())
    throw InputError("cox: more than 2^32 - 1 observations are not supported");
  // The one sort: by stratum, then time; ties keep their input order (as R's order()).
  // Two stable LSD radix passes: by time, then by stratum.
  {
    std::vector<std::uint64_t> keys(n);
    for (std::size_t i = 0; i < n; ++i) keys[i] = stats::order_key(surv.time[i]);
    order_ = stats::radix_order(keys);
    if (!strata.empty()) {
      // Signed codes to an order-preserving unsigned key.
      for (std::size_t k = 0; k < n; ++k)
        keys[k] = static_cast<std::uint32_t>(strata[order_[k]]) ^ 0x80000000u;
      const std::vector<std::uint32_t> by_stratum = stats::radix_order(keys);
      std::vector<std::uint32_t> combined(n);
      for (std::size_t k = 0; k < n; ++k) combined[k] = order_[by_stratum[k]];
      order_.swap(combined);
    }
  }
  time_.resize(n);
  status_.resize(n);
  if (surv.weighted()) weight_.resize(n);
  stratum_end_.assign(n, 0);
  for (std::size_t k = 0; k < n; ++k) {
    stats::prefetch_gather(surv.time.data(), order_.data(), k, n);
    stats::prefetch_gather(surv.status.data(), order_.data(), k, n);
    const std::size_t i = order_[k];
    time_[k] = surv.time[i];
    status_[k] = surv.status[i];
    if (surv.weighted()) weight_[k] = surv.weight[i];
    if (!strata.empty() && k + 1 < n && strata[order_[k + 1]] != strata[i]) stratum_end_[k] = 1;
  }
  if (n > 0) stratum_end_[n - 1] = 1;
  // Permute (and centre / scale) the columns in place, one column of scratch: the value
  // written is (x - centre) * scale, the exact arithmetic of coxfit6.c's centring.
  // Columns are independent: two halves at the same time, each with its own scratch
  // (stats/parallel.hpp; the values written do not depend on the split).
  const bool transform = centre.size() > 0;
  const Eigen::Index p = x_.cols();
  parallel::for_each_task(2, n, [&](std::size_t half) {
    const Eigen::Index first = half == 0 ? 0 : p / 2, last = half == 0 ? p / 2 : p;
    if (first == last) return;
    std::vector<double> column(n);
    for (Eigen::Index j = first; j < last; ++j) {
      double* col = x_.col(j).data();
      // A gather through the sort order: each read is a cache miss, asked for early.
      const double c = transform ? centre[j] : 0.0, sc = transform ? scale[j] : 1.0;
      for (std::size_t k = 0; k < n; ++k) {
        stats::prefetch_gather(col, order_.data(), k, n);
        column[k] = transform ? (col[order_[k]] - c) * sc : col[order_[k]];
      }
      std::copy(column.begin(), column.end(), col);
    }
  });
}

std::vector<double> CoxPartialLikelihood::linear_predictor(const Eigen::VectorXd& beta) const {
  const std::size_t n = time_.size();
  std::vector<double> lp(n, 0.0);
  for (Eigen::Index j = 0; j < x_.cols(); ++j) {
    const double b = beta[j];
    const double* col = x_.col(j).data();
    for (std::size_t k = 0; k < n; ++k) lp[k] += col[k] * b;
  }
  return lp;
}

double CoxPartialLikelihood::eval(const Eigen::VectorXd& beta, Eigen::VectorXd* score,
                                  Eigen::MatrixXd* information) const {
  // The per-row work is a handful of p-long and p^2/2-long loops: with p known at compile
  // time (the usual small models) they unroll and vectorise, and the row buffer lives
  // on the stack.  Same arithmetic, in the same order, for every p.
  switch (x_.cols()) {
    case 1: return eval_fixed<1>(beta, score, information);
    case 2: return eval_fixed<2>(beta, score, information);
    case 3: return eval_fixed<3>(beta, score, information);
    case 4: return eval_fixed<4>(beta, score, information);
    case 5: return eval_fixed<5>(beta, score, information);
    case 6: return eval_fixed<6>(beta, score, information);
    case 7: return eval_fixed<7>(beta, score, information);
    case 8: return eval_fixed<8>(beta, score, information);
    case 9: return eval_fixed<9>(beta, score, information);
    case 10: return eval_fixed<10>(beta, score, information);
    case 11: return eval_fixed<11>(beta, score, information);
    case 12: return eval_fixed<12>(beta, score, information);
    default: return eval_fixed<0>(beta, score, information);
  }
}

namespace {

// What a backward walk over the risk sets reads: the likelihood's sorted rows and each
// row's linear predictor and risk score, computed beforehand.
struct RiskWalk {
  std::ptrdiff_t n = 0;
  Eigen::Index p = 0;
  const double* x = nullptr;  // n x p, column-major
  const double* time = nullptr;
  const std::uint8_t* status = nullptr;
  const std::uint8_t* stratum_end = nullptr;
  const double* weight = nullptr;  // null: all 1
  const double* zbeta = nullptr;   // x_k' beta
  const double* risk = nullptr;    // exp(zbeta) * weight
  bool efron = false;
};

// What one walk adds up: the log likelihood and the score (when asked: `main`), and the
// columns [j0, j1) of the information's lower triangle (imat, column-major p x p).
struct WalkSums {
  double loglik = 0;
  std::vector<double> u, imat;
};

// Contract (as coxfit6_iter): rows sorted by stratum then ascending time, walked from
// the last row backwards so that the risk-set sums (denom, a, cmat) only ever grow
// within a stratum.  Rows tied on time are gathered first (deaths into denom2, a2,
// cmat2), then added to the risk set by the Breslow or Efron rule.  Only the lower
// triangle of the p x p sums is accumulated, and of it only the columns [j0, j1): every
// entry is the same sequence of operations whichever walk computes it, so two walks
// over complementary columns give exactly the numbers of one.  denom and a, which every
// column needs, are computed by each walk, in the same order.  P = p when fixed at
// compile time, else 0.
template <int P>
void walk_risk_sets(const RiskWalk& in, Eigen::Index j0, Eigen::Index j1, bool main, WalkSums& out) {
  const Eigen::Index p = P > 0 ? P : in.p;
  const std::ptrdiff_t n = in.n;
  // The current row's covariates, gathered from the p columns (p sequential streams).
  std::array<double, (P > 0 ? P : 1)> fixed_row{};
  std::vector<double> dynamic_row(P > 0 ? 0 : static_cast<std::size_t>(p));
  double* row = P > 0 ? fixed_row.data() : dynamic_row.data();
  const double* xdata = in.x;

  // Plain arrays (column-major p x p, lower triangle used) so that the loops see p.
  std::vector<double> store(static_cast<std::size_t>(5 * p + 3 * p * p), 0.0);
  double* u = store.data();
  double* a = u + p;
  double* a2 = a + p;
  double* imat = a2 + p;
  double* cmat = imat + p * p;
  double* cmat2 = cmat + p * p;
  const Eigen::Index k0 = j0 * p, k1 = j1 * p;  // the columns' span in cmat and cmat2
  double loglik = 0;
  double denom = 0;

  for (std::ptrdiff_t person = n - 1; person >= 0;) {
    if (in.stratum_end[person]) {  // a new stratum starts (walking backwards)
      denom = 0;
      std::fill(a, a + p, 0.0);
      std::fill(cmat + k0, cmat + k1, 0.0);
    }
    const double dtime = in.time[person];
    int ndead = 0;
    double deadwt = 0;  // sum of case weights of the deaths at dtime
    double denom2 = 0;  // sum of weighted risks of the deaths at dtime
    while (person >= 0 && in.time[person] == dtime) {
      for (Eigen::Index i = 0; i < p; ++i) row[i] = xdata[person + i * n];
      const double* xp = row;
      const double w = in.weight ? in.weight[person] : 1.0;
      const double risk = in.risk[person];
      const bool dead = in.status[person] != 0;
      double* as = dead ? a2 : a;
      double* cs = dead ? cmat2 : cmat;
      if (!dead) {
        denom += risk;
      } else {
        ++ndead;
        deadwt += w;
        denom2 += risk;
        if (main) {
          loglik += w * in.zbeta[person];
          for (Eigen::Index j = 0; j < p; ++j) u[j] += w * xp[j];
        }
      }
      for (Eigen::Index j = 0; j < p; ++j) as[j] += risk * xp[j];
      // cs(i, j) += risk x[i] x[j] for i >= j, down contiguous columns.
      for (Eigen::Index j = j0; j < j1; ++j) {
        const double rx = risk * xp[j];
        double* col = cs + j * p;
        for (Eigen::Index i = j; i < p; ++i) col[i] += rx * xp[i];
      }
      --person;
      if (person >= 0 && in.stratum_end[person]) break;  // ties do not cross strata
    }
    if (ndead == 0) continue;

    // The d tied deaths contribute d terms (Breslow: one term of weight deadwt).  In term
    // k the deaths enter the sums with fraction f_k = (k + 1) / d (Efron) or 1 (Breslow):
    //   denom_k = denom + f_k denom2,  a_k = a + f_k a2,  cmat_k = cmat + f_k cmat2,
    // and each term adds wt (cmat_k / denom_k - a_k a_k' / denom_k^2) to the information.
    // Expanding in f_k, the d terms collapse into five scalars, so a tie costs O(p^2)
    // whatever its size (coxfit6.c loops over the d terms, O(d p^2)).
    const int nterm = (in.efron && ndead > 1) ? ndead : 1;
    const double wt = deadwt / nterm;  // Efron: the mean weight of the tied deaths
    double s1 = 0, s2 = 0, t0 = 0, t1 = 0, t2 = 0;
    for (int k = 0; k < nterm; ++k) {
      const double f = static_cast<double>(k + 1) / nterm;
      const double dk = denom + f * denom2;
      if (main) loglik -= wt * std::log(dk);
      const double inv = 1.0 / dk;
      s1 += wt * inv;
      s2 += wt * f * inv;
      t0 += wt * inv * inv;
      t1 += wt * f * inv * inv;
      t2 += wt * f * f * inv * inv;
    }
    if (main)
      for (Eigen::Index j = 0; j < p; ++j) u[j] -= s1 * a[j] + s2 * a2[j];
    for (Eigen::Index j = j0; j < j1; ++j)
      for (Eigen::Index i = j; i < p; ++i)
        imat[i + j * p] += s1 * cmat[i + j * p] + s2 * cmat2[i + j * p] - t0 * a[i] * a[j] -
                           t1 * (a[i] * a2[j] + a2[i] * a[j]) - t2 * a2[i] * a2[j];
    for (Eigen::Index k = k0; k < k1; ++k) cmat[k] += cmat2[k];
    std::fill(cmat2 + k0, cmat2 + k1, 0.0);
    denom += denom2;
    for (Eigen::Index j = 0; j < p; ++j) a[j] += a2[j];
    std::fill(a2, a2 + p, 0.0);
  }
  out.loglik = loglik;
  out.u.assign(u, u + p);
  out.imat.assign(imat, imat + p * p);
}

// The first column of the second walk: the most columns [0, j) that hold at most half of
// the lower triangle's p (p + 1) / 2 entries (p = 10: 27 of 55).
Eigen::Index half_of_triangle(Eigen::Index p) {
  const Eigen::Index total = p * (p + 1) / 2;
  Eigen::Index entries = 0, j = 0;
  while (j < p && 2 * (entries + p - j) <= total) entries += p - j++;
  return j;
}

}  // namespace

template <int P>
double CoxPartialLikelihood::eval_fixed(const Eigen::VectorXd& beta, Eigen::VectorXd* score,
                                        Eigen::MatrixXd* information) const {
  const Eigen::Index p = P > 0 ? P : x_.cols();
  const std::size_t n = time_.size();
  const double* b = beta.data();
  const double* xdata = x_.data();
  const double* wdata = weight_.empty() ? nullptr : weight_.data();

  // Each row's linear predictor and risk score: rows are independent, so they are
  // computed up front over fixed ranges (stats/parallel.hpp), each with the arithmetic
  // of coxfit6.c's loop (zbeta summed over j in order, then exp, then the weight).
  std::vector<double> zbeta(n), risk(n);
  parallel::for_each_range(n, [&](std::size_t first, std::size_t last) {
    for (std::size_t k = first; k < last; ++k) {
      double z = 0;
      for (Eigen::Index i = 0; i < p; ++i) z += b[i] * xdata[k + static_cast<std::size_t>(i) * n];
      zbeta[k] = z;
      risk[k] = std::exp(z) * (wdata ? wdata[k] : 1.0);
    }
  });

  // The backward walk, as two walks over complementary columns of the information at the
  // same time (the first also sums the log likelihood and the score): same numbers as one.
  RiskWalk in;
  in.n = static_cast<std::ptrdiff_t>(n);
  in.p = p;
  in.x = xdata;
  in.time = time_.data();
  in.status = status_.data();
  in.stratum_end = stratum_end_.data();
  in.weight = wdata;
  in.zbeta = zbeta.data();
  in.risk = risk.data();
  in.efron = ties_ == Ties::Efron;
  // Walk 0: the columns [0, split); walk 1 (only for the information): [split, p).
  const Eigen::Index split = information != nullptr ? half_of_triangle(p) : 0;
  WalkSums sums[2];
  parallel::for_each_task(information != nullptr ? 2 : 1, n, [&](std::size_t k) {
    if (k == 0)
      walk_risk_sets<P>(in, 0, split, true, sums[0]);
    else
      walk_risk_sets<P>(in, split, p, false, sums[1]);
  });

  if (score) *score = Eigen::Map<const Eigen::VectorXd>(sums[0].u.data(), p);
  if (information) {
    information->resize(p, p);
    for (Eigen::Index j = 0; j < p; ++j) {
      const std::vector<double>& imat = j >= split ? sums[1].imat : sums[0].imat;
      for (Eigen::Index i = j; i < p; ++i) (*information)(i, j) = (*information)(j, i) = imat[i + j * p];
    }
  }
  return sums[0].loglik;
}

Eigen::MatrixXd CoxPartialLikelihood::score_residuals(const Eigen::VectorXd& beta) const {
  // Contract: same sorted rows as eval().  For row k with risk score r_k = exp(x_k beta)
  // the residual (coxscore2.c) is
  //   sum over event times t_g <= t_k in its stratum of  -r_k (x_k - xbar_g) dLambda_g
  //   plus, if k is an event, (x_k - xbar at t_k),
  // with the Efron version of xbar and dLambda at tied times (the deaths' own share of
  // their tie is downweighted by (1 - k/d)).  A backward pass collects per event time
  //   H = sum dLambda, XH = sum xbar dLambda (what a row still at risk sees),
  //   Hd, XHd, mbar (what the tied deaths themselves see),
  // and a forward pass accumulates them, giving every residual in O(p).
  const Eigen::Index p = x_.cols();
  const std::ptrdiff_t n = static_cast<std::ptrdiff_t>(time_.size());
  const bool efron = ties_ == Ties::Efron;

  std::vector<double> risk(n);
  for (std::ptrdiff_t k = 0; k < n; ++k) risk[k] = std::exp(x_.row(k).dot(beta.transpose()));

  // Group g = a run of rows tied on time within a stratum, [first_g, last_g].
  std::vector<std::ptrdiff_t> group_first;
  for (std::ptrdiff_t k = 0; k < n; ++k)
    if (k == 0 || stratum_end_[k - 1] || time_[k] != time_[k - 1]) group_first.push_back(k);
  const std::size_t ngroup = group_first.size();
  std::vector<double> H(ngroup, 0.0), Hd(ngroup, 0.0);
  Eigen::MatrixXd XH = Eigen::MatrixXd::Zero(p, static_cast<Eigen::Index>(ngroup));
  Eigen::MatrixXd XHd = XH, mbar = XH;

  // Backward pass: risk-set sums denom = sum r w, a = sum r w x.
  double denom = 0;
  Eigen::VectorXd a = Eigen::VectorXd::Zero(p), a2(p);
  for (std::ptrdiff_t g = static_cast<std::ptrdiff_t>(ngroup) - 1; g >= 0; --g) {
    const std::ptrdiff_t first = group_first[g];
    const std::ptrdiff_t last = (g + 1 < static_cast<std::ptrdiff_t>(ngroup)) ? group_first[g + 1] - 1 : n - 1;
    if (stratum_end_[last]) {
      denom = 0;
      a.setZero();
    }
    double e_denom = 0, meanwt = 0;
    int deaths = 0;
    a2.setZero();
    for (std::ptrdiff_t k = first; k <= last; ++k) {
      const double rw = risk[k] * w(k);
      denom += rw;
      a += rw * x_.row(k).transpose();
      if (status_[k]) {
        ++deaths;
        e_denom += rw;
        meanwt += w(k);
        a2 += rw * x_.row(k).transpose();
      }
    }
    if (deaths == 0) continue;
    if (!efron || deaths < 2) {
      const double hazard = meanwt / denom;
      H[g] = Hd[g] = hazard;
      mbar.col(g) = a / denom;
      XH.col(g) = XHd.col(g) = mbar.col(g) * hazard;
    } else {
      meanwt /= deaths;
      for (int dd = 0; dd < deaths; ++dd) {
        const double downwt = static_cast<double>(dd) / deaths;
        const double temp = denom - downwt * e_denom;
        const double hazard = meanwt / temp;
        const Eigen::VectorXd mean = (a - downwt * a2) / temp;
        H[g] += hazard;
        XH.col(g) += mean * hazard;
        Hd[g] += hazard * (1 - downwt);
        XHd.col(g) += mean * (hazard * (1 - downwt));
        mbar.col(g) += mean / deaths;
      }
    }
  }

  // Forward pass: cumulative hazard sums strictly before the current time.
  Eigen::MatrixXd resid(n, p);
  double cumH = 0;
  Eigen::VectorXd cumXH = Eigen::VectorXd::Zero(p);
  for (std::size_t g = 0; g < ngroup; ++g) {
    const std::ptrdiff_t first = group_first[g];
    const std::ptrdiff_t last = (g + 1 < ngroup) ? group_first[g + 1] - 1 : n - 1;
    if (first == 0 || stratum_end_[first - 1]) {
      cumH = 0;
      cumXH.setZero();
    }
    for (std::ptrdiff_t k = first; k <= last; ++k) {
      const Eigen::VectorXd x = x_.row(k).transpose();
      const double r = risk[k];
      Eigen::VectorXd res;
      if (status_[k]) {
        res = (x - mbar.col(g)) - r * (x * (cumH + Hd[g]) - (cumXH + XHd.col(g)));
      } else {
        res = -r * (x * (cumH + H[g]) - (cumXH + XH.col(g)));
      }
      resid.row(static_cast<Eigen::Index>(order_[k])) = res.transpose();
    }
    cumH += H[g];
    cumXH += XH.col(g);
  }
  return resid;
}

}  // namespace survkit::cox
