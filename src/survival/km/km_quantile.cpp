// km_quantiles: R survival 3.5-3's quantile.survfit (findq, doquant), one curve.
//
// Contract: x = (0, t_1, ..., t_m) and y = (0, 1 - S_1, ..., 1 - S_m) over the curve's
// distinct times, duplicated y values removed (keeping the first), NA y values dropped
// as approx() drops them.  For p in (0, 1]:
//   i1 = the first index with y + tol >= p, i2 = the first with y - tol >= p (NA when p
//   lies outside the range of y + tol, resp. y - tol: approx(rule = 1));
//   q = (x[i1] + x[i2]) / 2, except q = (x[i1] + x_last) / 2 when |p - y_last| < tol
//   (a curve that ends exactly at 1 - p); x_last is the last time before removal of
//   duplicates.  q = x[0] = 0 for p = 0.  All NA when max(y) < p.
#include <cfloat>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <unordered_set>

#include "survkit/km.hpp"

namespace survkit {

namespace {

/// approx(xs, seq_along(xs), v, method = "constant", f = 1): approx orders the points
/// by xs first (a confidence limit need not be monotone in time), so this is the index
/// of the smallest xs[k] >= v, or nothing when v is outside [min xs, max xs].
std::optional<std::size_t> step_index(const std::vector<double>& xs, double v) {
  std::optional<std::size_t> best;
  double lo = INFINITY, hi = -INFINITY;
  for (std::size_t k = 0; k < xs.size(); ++k) {
    lo = std::min(lo, xs[k]);
    hi = std::max(hi, xs[k]);
    if (xs[k] >= v && (!best || xs[k] < xs[*best])) best = k;
  }
  if (xs.empty() || v < lo || v > hi) return std::nullopt;
  return best;
}

/// `pmin` is the smallest probability of the call: R's findq gives up on the whole call
/// (all NA) when the curve never reaches it.
double findq(const std::vector<double>& x_in, const std::vector<double>& y_in, double p, double pmin, double tol) {
  double ymax = -INFINITY;
  for (double y : y_in)
    if (!std::isnan(y) && y > ymax) ymax = y;
  if (!(ymax >= pmin)) return NA;
  const double xmax = x_in.back();
  // duplicated(y): keep the first of equal values (NA equals NA), then approx drops NA pairs.
  std::vector<double> x, y;
  std::unordered_set<double> seen;  // O(1) per value: a curve may have millions of times
  bool seen_na = false;
  for (std::size_t i = 0; i < y_in.size(); ++i) {
    const double v = y_in[i];
    const bool dup = std::isnan(v) ? seen_na : !seen.insert(v).second;
    if (std::isnan(v)) seen_na = true;
    if (dup) continue;
    x.push_back(x_in[i]);
    y.push_back(v);
  }
  const bool last_na = std::isnan(y.back());
  std::vector<double> xs, ys_plus, ys_minus;
  for (std::size_t i = 0; i < y.size(); ++i) {
    if (std::isnan(y[i])) continue;
    xs.push_back(x[i]);
    ys_plus.push_back(y[i] + tol);
    ys_minus.push_back(y[i] - tol);
  }
  const auto i1 = step_index(ys_plus, p), i2 = step_index(ys_minus, p);
  if (!last_na && std::fabs(p - y.back()) < tol) return i1 ? (xs[*i1] + xmax) / 2 : NA;  // R applies this last
  if (p == 0) return x.front();
  if (!i1 || !i2) return NA;
  return (xs[*i1] + xs[*i2]) / 2;
}

}  // namespace

std::vector<Estimate> km_quantiles(const KmGroup& group, const std::vector<double>& probs) {
  const double tol = std::sqrt(DBL_EPSILON);
  std::vector<double> x{0.0}, est{0.0}, lo{0.0}, up{0.0};
  for (const auto& pt : group.curve) {
    x.push_back(pt.time);
    est.push_back(1 - pt.survival);
    lo.push_back(1 - pt.upper);  // doquant's findq(1 - upper): the later limit
    up.push_back(1 - pt.lower);  // findq(1 - lower): the earlier limit
  }
  double pmin = INFINITY;
  for (double p : probs) {
    if (!(p >= 0 && p <= 1)) throw InputError("km_quantiles: probability outside [0, 1]");
    pmin = std::min(pmin, p);
  }
  std::vector<Estimate> out;
  for (double p : probs) {
    Estimate e;
    e.estimate = findq(x, est, p, pmin, tol);
    e.lower = findq(x, up, p, pmin, tol);
    e.upper = findq(x, lo, p, pmin, tol);
    out.push_back(e);
  }
  return out;
}

}  // namespace survkit
