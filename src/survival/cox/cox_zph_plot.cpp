// cox_zph_smooth / cox_zph_time_axis: the numbers behind R's plot.cox.zph (survival
// 3.5-3), step by step (see survkit/cox_zph_plot.hpp).
#include "survkit/cox_zph_plot.hpp"

#include <fmt/core.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <unordered_set>
#include <utility>

namespace survkit {

namespace {

using Eigen::Index;

/// R's seq(from, to, length.out = n): from + i * ((to - from) / (n - 1)), the last exactly `to`.
std::vector<double> r_seq(double from, double to, int n) {
  std::vector<double> s(static_cast<std::size_t>(n));
  const double by = (to - from) / (n - 1);
  for (int i = 0; i < n; ++i) s[static_cast<std::size_t>(i)] = from + i * by;
  s.back() = to;
  return s;
}

/// R's quantile(x, p, type = 7) of sorted x.
double quantile7(const std::vector<double>& sorted, double p) {
  const double index = 1 + static_cast<double>(sorted.size() - 1) * p;  // 1-based
  const auto lo = static_cast<std::size_t>(std::floor(index)), hi = static_cast<std::size_t>(std::ceil(index));
  const double qs = sorted[lo - 1];
  const double h = index - static_cast<double>(lo);
  if (!(index > static_cast<double>(lo) && sorted[hi - 1] != qs)) return qs;
  return (1 - h) * qs + h * sorted[hi - 1];
}

/// A natural cubic spline basis with knots `knots` (sorted; the first and last are the
/// boundary knots), intercept included: the truncated-power form (Hastie, Tibshirani &
/// Friedman, eq. 5.4-5.5) on x rescaled so that the boundary knots are 0 and 1.  It
/// spans the same space as R's ns(..., intercept = TRUE) with the same knots.
Eigen::MatrixXd natural_spline_basis(const std::vector<double>& x, const std::vector<double>& knots) {
  const double a = knots.front(), b = knots.back();
  std::vector<double> k;
  for (double v : knots) k.push_back((v - a) / (b - a));
  const std::size_t K = k.size();
  auto cube = [](double v) { return v > 0 ? v * v * v : 0.0; };
  auto d = [&](std::size_t j, double u) { return (cube(u - k[j]) - cube(u - k[K - 1])) / (k[K - 1] - k[j]); };
  Eigen::MatrixXd B(static_cast<Index>(x.size()), static_cast<Index>(K));
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double u = (x[i] - a) / (b - a);
    const auto r = static_cast<Index>(i);
    B(r, 0) = 1;
    B(r, 1) = u;
    for (std::size_t j = 0; j + 2 < K; ++j) B(r, static_cast<Index>(j + 2)) = d(j, u) - d(K - 2, u);
  }
  return B;
}

/// R's signif(v, 2) (fprec in R's src/nmath: powers of ten kept >= 1, so exact).
double signif2(double v) {
  if (v == 0 || !std::isfinite(v)) return v;
  const double a = std::abs(v), sign = v < 0 ? -1.0 : 1.0;
  const int e10 = 2 - 1 - static_cast<int>(std::floor(std::log10(a)));
  if (e10 > 0) {
    const double p = std::pow(10.0, e10);
    return sign * (std::nearbyint(a * p) / p);
  }
  const double p = std::pow(10.0, -e10);
  return sign * (std::nearbyint(a / p) * p);
}

/// R's approx(x, y, xout) (linear, rule = 1, ties = mean): NA outside the range of x.
std::vector<double> approx(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& xout) {
  std::vector<std::pair<double, double>> xy;
  for (std::size_t i = 0; i < x.size(); ++i) xy.emplace_back(x[i], y[i]);
  std::stable_sort(xy.begin(), xy.end(), [](const auto& p, const auto& q) { return p.first < q.first; });
  std::vector<double> ux, uy;
  for (std::size_t i = 0; i < xy.size();) {
    std::size_t j = i;
    double sum = 0;
    while (j < xy.size() && xy[j].first == xy[i].first) sum += xy[j++].second;
    ux.push_back(xy[i].first);
    uy.push_back(sum / static_cast<double>(j - i));
    i = j;
  }
  std::vector<double> out;
  for (double v : xout) {
    if (ux.empty() || is_na(v) || v < ux.front() || v > ux.back()) {
      out.push_back(NA);
      continue;
    }
    const auto j = static_cast<std::size_t>(std::lower_bound(ux.begin(), ux.end(), v) - ux.begin());
    if (ux[j] == v) {
      out.push_back(uy[j]);
      continue;
    }
    const std::size_t i = j - 1;
    out.push_back(uy[i] + (uy[j] - uy[i]) * ((v - ux[i]) / (ux[j] - ux[i])));
  }
  return out;
}

}  // namespace

CoxZphSmooth cox_zph_smooth(const CoxZphResult& z, std::size_t term, const CoxZphSmoothOptions& options) {
  if (term >= z.terms.size() || static_cast<Index>(term) >= z.y.cols())
    throw InputError(fmt::format("cox.zph plot: term {} out of range ({} terms)", term, z.terms.size()));
  if (options.df < 2 || options.nsmo < 2) throw InputError("cox.zph plot: df and nsmo must be at least 2");
  const std::size_t nd = z.x.size();
  if (static_cast<std::size_t>(z.y.rows()) != nd || z.time.size() != nd)
    throw InputError("cox.zph plot: x, time and y must have one row per death");
  const auto [lo, hi] = std::minmax_element(z.x.begin(), z.x.end());
  if (nd == 0 || !(*hi > *lo)) throw InputError("cox.zph plot: fewer than 2 distinct transformed times");

  CoxZphSmooth s;
  s.term = z.terms[term].term;
  s.pred_x = r_seq(*lo, *hi, options.nsmo);
  // Knots from c(pred.x, x): boundary at the range, df - 2 interior at equally spaced quantiles.
  std::vector<double> all = s.pred_x;
  all.insert(all.end(), z.x.begin(), z.x.end());
  std::sort(all.begin(), all.end());
  const int interior = options.df - 2;
  std::vector<double> knots = {all.front()};
  const std::vector<double> probs = r_seq(0, 1, interior + 2);
  for (int k = 1; k <= interior; ++k) knots.push_back(quantile7(all, probs[static_cast<std::size_t>(k)]));
  knots.push_back(all.back());

  const auto col = static_cast<Index>(term);
  for (std::size_t i = 0; i < nd; ++i)
    if (!is_na(z.y(static_cast<Index>(i), col))) {
      s.x.push_back(z.x[i]);
      s.y.push_back(z.y(static_cast<Index>(i), col));
      s.time.push_back(z.time[i]);
    }
  const Eigen::MatrixXd X = natural_spline_basis(s.x, knots);
  const Eigen::MatrixXd P = natural_spline_basis(s.pred_x, knots);
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(X);
  qr.setThreshold(1e-7);  // R's qr() tolerance
  if (s.x.size() < static_cast<std::size_t>(options.df) || qr.rank() < options.df) {
    s.warning = fmt::format("spline fit is singular, variable {} skipped", s.term);
    return s;
  }
  s.ok = true;
  const Eigen::VectorXd coef = qr.solve(Eigen::Map<const Eigen::VectorXd>(s.y.data(), static_cast<Index>(s.y.size())));
  const Eigen::VectorXd fit = P * coef;
  // diag(P (X'X)^-1 P') with X Pi = Q R: row p of P gives || R^-T Pi' p ||^2.
  const auto R = qr.matrixR().topLeftCorner(options.df, options.df).template triangularView<Eigen::Upper>();
  const Eigen::MatrixXd Pp = P * qr.colsPermutation();
  const Eigen::MatrixXd Z = R.transpose().solve(Pp.transpose());
  const double v = z.var(col, col);
  for (Index i = 0; i < P.rows(); ++i) {
    const double half = 2 * std::sqrt(v * Z.col(i).squaredNorm());
    s.fit.push_back(fit(i));
    s.lower.push_back(fit(i) - half);
    s.upper.push_back(fit(i) + half);
  }
  return s;
}

std::vector<CoxZphTick> cox_zph_time_axis(const CoxZphResult& z) {
  std::vector<CoxZphTick> ticks;
  if (z.transform == ZphTransform::Identity || z.x.empty()) return ticks;
  // indx <- !duplicated(xx)
  std::vector<double> ux, ut;
  std::unordered_set<double> seen;
  for (std::size_t i = 0; i < z.x.size(); ++i) {
    if (!seen.insert(z.x[i]).second) continue;
    ux.push_back(z.x[i]);
    ut.push_back(z.time[i]);
  }
  const auto [lo, hi] = std::minmax_element(z.x.begin(), z.x.end());
  const std::vector<double> grid = r_seq(*lo, *hi, 17);
  std::vector<double> at;
  for (std::size_t k = 1; k <= 8; ++k) at.push_back(grid[2 * k - 1]);
  std::vector<double> times = approx(ux, ut, at);
  for (double& t : times) t = signif2(t);
  const std::vector<double> pos = approx(ut, ux, times);
  for (std::size_t k = 0; k < pos.size(); ++k)
    if (!is_na(pos[k]) && !is_na(times[k])) ticks.push_back({pos[k], times[k]});
  return ticks;
}

}  // namespace survkit
