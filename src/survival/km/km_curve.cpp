#include "survival/km/km_curve.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace survkit::km {

void conf_limits(double p, double se, bool logse, ConfType type, double z, double& lower,
                 double& upper) {
  // R converts a robust SE of S into an SE of log S first (se / p, 0 stays 0).
  const double se_log = logse ? se : (se == 0 ? 0.0 : se / p);
  // std::max / std::min return their first argument when the comparison involves NaN,
  // which is what R's pmax / pmin do with a NaN (e.g. an infinite Greenwood SE at S = 0).
  switch (type) {
    case ConfType::Plain: {
      const double half = se_log * p * z;
      lower = std::max(p - half, 0.0);
      upper = std::min(p + half, 1.0);
      return;
    }
    case ConfType::Log: {
      if (p == 0) {  // R: log(0) is avoided by making p NA
        lower = upper = NA;
        return;
      }
      const double half = z * se_log;
      lower = std::exp(std::log(p) - half);
      upper = std::min(std::exp(std::log(p) + half), 1.0);
      return;
    }
    case ConfType::LogLog: {
      if (p == 0 || p == 1) {  // log(-log p) undefined: R gives NA
        lower = upper = NA;
        return;
      }
      const double half = z * se_log / std::log(p);
      lower = std::exp(-std::exp(std::log(-std::log(p)) - half));
      upper = std::exp(-std::exp(std::log(-std::log(p)) + half));
      return;
    }
  }
}

void km_table(std::span<const double> time, std::span<const std::uint8_t> event,
              std::span<const double> weight, bool robust, ConfType conf_type, double z,
              CurveTable& out) {
  const bool weighted = !weight.empty();
  auto w = [&](std::size_t i) { return weighted ? weight[i] : 1.0; };
  const std::size_t m = time.size();

  out.logse = !robust;
  for (auto* v : {&out.time, &out.n_risk, &out.n_event, &out.n_censor, &out.surv, &out.std_err,
                  &out.lower, &out.upper})
    v->clear();
  std::vector<std::size_t> deaths;  // unweighted deaths per row: R updates only if > 0
  std::vector<std::size_t> row_end;  // one past the last observation of each row

  // Pass 1: distinct times, weighted events and censorings.
  for (std::size_t k = 0; k < m;) {
    const double t = time[k];
    double d1 = 0, c1 = 0;
    std::size_t d0 = 0;
    for (; k < m && time[k] == t; ++k) {
      if (event[k]) {
        ++d0;
        d1 += w(k);
      } else {
        c1 += w(k);
      }
    }
    out.time.push_back(t);
    out.n_event.push_back(d1);
    out.n_censor.push_back(c1);
    deaths.push_back(d0);
    row_end.push_back(k);
  }
  const std::size_t rows = out.time.size();

  // Pass 2 (backward): weighted number at risk, summed observation by observation from
  // the last time back as survfitkm does; also the sum of squared weights of those
  // still at risk, needed by the robust variance (no "total minus done" cancellation).
  out.n_risk.assign(rows, 0.0);
  std::vector<double> w2_risk;
  if (robust) w2_risk.assign(rows + 1, 0.0);
  {
    double wt1 = 0, w2 = 0;
    std::size_t k = m;
    for (std::size_t r = rows; r-- > 0;) {
      const std::size_t begin = r == 0 ? 0 : row_end[r - 1];
      for (; k > begin; --k) {
        const double wi = w(k - 1);
        wt1 += wi;
        w2 += wi * wi;
      }
      out.n_risk[r] = wt1;
      if (robust) w2_risk[r] = w2;
    }
  }

  // Pass 3: product-limit estimate and variance.
  out.surv.resize(rows);
  out.std_err.resize(rows);
  double km = 1.0;
  if (!robust) {
    double greenwood = 0;  // sum d / (n (n - d)); becomes Inf once the curve hits 0, as in R
    for (std::size_t r = 0; r < rows; ++r) {
      const double n = out.n_risk[r], d = out.n_event[r];
      if (deaths[r] > 0 && d > 0) {
        km *= (n - d) / n;
        greenwood += d / (n * (n - d));
      }
      out.surv[r] = km;
      out.std_err[r] = std::sqrt(greenwood);
    }
  } else {
    // Infinitesimal jackknife with every observation its own cluster.  survfitkm updates
    // an influence value per observation at each event time (O(n) per event time).  The
    // recursion has a closed form: the influence of observation k on S(t) is
    //   S(t) w_k [ C(min(t, T_k)) - [event_k, T_k <= t] / (N(T_k) - D(T_k)) ],
    // with C(t) = sum over event times <= t of D / (N (N - D)).  Hence
    //   var S(t) = S(t)^2 [ C(t)^2 * (sum of w^2 of those with T > t) + Q(t) ],
    // Q(t) = sum over T_k <= t of w_k^2 (C(T_k) - event_k / (N - D))^2, a running sum: O(n).
    // Once the curve reaches 0 every influence is exactly 0 (R gives SE 0).
    double c = 0, q = 0;
    bool extinct = false;
    for (std::size_t r = 0; r < rows; ++r) {
      const double n = out.n_risk[r], d = out.n_event[r];
      if (deaths[r] > 0 && d > 0) {
        km *= (n - d) / n;
        if (n - d == 0) extinct = true;
        else c += d / (n * (n - d));
      }
      out.surv[r] = km;
      if (extinct) {
        out.std_err[r] = 0;
        continue;
      }
      const std::size_t begin = r == 0 ? 0 : row_end[r - 1];
      for (std::size_t k = begin; k < row_end[r]; ++k) {
        const double b = (event[k] && deaths[r] > 0 && d > 0) ? c - 1.0 / (n - d) : c;
        q += w(k) * w(k) * b * b;
      }
      out.std_err[r] = km * std::sqrt(c * c * w2_risk[r + 1] + q);
    }
  }

  out.lower.resize(rows);
  out.upper.resize(rows);
  for (std::size_t r = 0; r < rows; ++r)
    conf_limits(out.surv[r], out.std_err[r], out.logse, conf_type, z, out.lower[r], out.upper[r]);
}

double minmin(std::span<const double> y, std::span<const double> x) {
  // survmean: tolerance sqrt(.Machine$double.eps); NA values of y are ignored.
  const double tol = std::sqrt(DBL_EPSILON);
  std::size_t first = y.size();
  for (std::size_t i = 0; i < y.size(); ++i)
    if (!std::isnan(y[i]) && y[i] < 0.5 + tol) {
      first = i;
      break;
    }
  if (first == y.size()) return NA;
  // The curve is 0.5 over an interval: R takes the midpoint between the time it reaches
  // 0.5 and the time it first drops below (the usual median definition for a step).
  if (std::fabs(y[first] - 0.5) < tol)
    for (std::size_t j = first + 1; j < y.size(); ++j)
      if (!std::isnan(y[j]) && y[j] < y[first]) return (x[first] + x[j]) / 2;
  return x[first];
}

KmRmst restricted_mean(const CurveTable& c, double tau, double start) {
  // survmean's pfun with end.time = tau.  R's sum() and cumsum() accumulate in long double;
  // so does this, to follow its rounding.
  KmRmst out;
  out.tau = tau;
  std::size_t m = 0;
  while (m < c.size() && c.time[m] <= tau) ++m;
  if (m == 0) {
    out.estimate = (tau - start) + start;
    out.se = 0;
    return out;
  }
  auto hh = [&](std::size_t r) {
    const double n = c.n_risk[r], d = c.n_event[r];
    return (n - d) == 0 ? 0.0 : d / (n * (n - d));
  };
  // rectangle j (0-based, j = 0..m): width times the survival on its left.
  auto rect = [&](std::size_t j) {
    if (j == 0) return (c.time[0] - start) * 1.0;
    const double right = j == m ? tau : c.time[j];
    return (right - c.time[j - 1]) * c.surv[j - 1];
  };
  long double total = 0;
  for (std::size_t j = 0; j <= m; ++j) total += rect(j);
  // Variance: sum over rows r of (area beyond time r)^2 * d / (n (n - d)).
  long double area = 0, var = 0;
  for (std::size_t j = m; j >= 1; --j) {
    area += rect(j);
    const double a = static_cast<double>(area);
    var += static_cast<long double>(a * a * hh(j - 1));
  }
  out.estimate = static_cast<double>(total) + start;
  out.se = std::sqrt(static_cast<double>(var));
  return out;
}

std::vector<KmAt> summary_at(const CurveTable& c, std::span<const double> sorted_times,
                             double start) {
  // survfit0 adds a row (start, n.risk[1], 0 events, S = 1, SE 0, limits 1) unless the
  // curve already starts at `start`; findrow then reads row findInterval(t) (at least 1)
  // for S, the first row with time >= t for n.risk, and differences of cumulated events.
  const std::size_t has0 = c.time.front() == start ? 0 : 1;
  const std::size_t rows = c.size() + has0;
  auto time_of = [&](std::size_t r) { return r < has0 ? start : c.time[r - has0]; };
  const double maxtime = c.time.back();

  std::vector<KmAt> out;
  std::size_t idx1 = 0;   // number of rows with time <= t
  std::size_t below = 0;  // number of rows with time < t
  long double cum = 0, prev_cum = 0;
  for (const double t : sorted_times) {
    if (t > maxtime) break;  // extend = FALSE
    while (idx1 < rows && time_of(idx1) <= t) {
      if (idx1 >= has0) cum += c.n_event[idx1 - has0];
      ++idx1;
    }
    while (below < rows && time_of(below) < t) ++below;
    KmAt a;
    a.time = t;
    a.n_risk = below >= rows ? 0.0 : (below < has0 ? c.n_risk[0] : c.n_risk[below - has0]);
    a.n_event = static_cast<double>(cum - prev_cum);
    prev_cum = cum;
    const std::size_t r = std::max<std::size_t>(idx1, 1) - 1;
    if (r < has0) {
      a.survival = 1;
      a.std_err = 0;
      a.lower = a.upper = 1;
    } else {
      const std::size_t k = r - has0;
      a.survival = c.surv[k];
      a.std_err = c.logse ? c.std_err[k] * c.surv[k] : c.std_err[k];
      a.lower = c.lower[k];
      a.upper = c.upper[k];
    }
    out.push_back(a);
  }
  return out;
}

}  // namespace survkit::km
