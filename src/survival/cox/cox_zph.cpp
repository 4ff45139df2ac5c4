// fit_cox_zph: cox.zph() (survival 3.5-3) for right-censored data: R/cox.zph.R with the
// C kernel zph1.c, step by step.
#include "survkit/cox_zph.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "stats/distributions.hpp"
#include "stats/radix_order.hpp"
#include "survival/cox/cox_likelihood.hpp"

namespace survkit {

std::vector<CoxZphTermSpec> zph_terms_by_column(const std::vector<std::string>& term_column) {
  std::vector<CoxZphTermSpec> out;
  std::unordered_map<std::string, std::size_t> slot;
  for (std::size_t j = 0; j < term_column.size(); ++j) {
    auto [it, fresh] = slot.emplace(term_column[j], out.size());
    if (fresh) out.push_back({term_column[j], {}});
    out[it->second].columns.push_back(j);
  }
  return out;
}

namespace {

using Eigen::Index;

// The transformed times of every row (R's ttimes), in input order.
std::vector<double> transform_times(const SurvData& surv, ZphTransform tr) {
  const std::size_t n = surv.size();
  std::vector<double> tt(n);
  if (tr == ZphTransform::Identity) return surv.time;
  if (tr == ZphTransform::Log) {
    for (std::size_t i = 0; i < n; ++i) {
      if (!(surv.time[i] > 0))
        throw InputError("cox.zph: the log transform needs times > 0", {}, 0, "time",
                         std::to_string(surv.time[i]));
      tt[i] = std::log(surv.time[i]);
    }
    return tt;
  }
  // rank and km both walk the rows in ascending time (all rows, no strata).
  std::vector<std::uint64_t> keys(n);
  for (std::size_t i = 0; i < n; ++i) keys[i] = stats::order_key(surv.time[i]);
  const std::vector<std::uint32_t> ord = stats::radix_order(keys);
  if (tr == ZphTransform::Rank) {
    // rank(): ties get the mean of their 1-based positions.
    for (std::size_t a = 0; a < n;) {
      std::size_t b = a;
      while (b + 1 < n && surv.time[ord[b + 1]] == surv.time[ord[a]]) ++b;
      const double r = (static_cast<double>(a + 1) + static_cast<double>(b + 1)) / 2;
      for (std::size_t k = a; k <= b; ++k) tt[ord[k]] = r;
      a = b + 1;
    }
    return tt;
  }
  // km: 1 - S(t-), the left-continuous unweighted Kaplan-Meier (survfitKM, then
  // findInterval(left.open = TRUE): the survival just before t).
  double surv_before = 1;  // S at the previous distinct time
  std::size_t at_risk = n;
  for (std::size_t a = 0; a < n;) {
    std::size_t b = a;
    double d = 0;
    while (b < n && surv.time[ord[b]] == surv.time[ord[a]]) d += surv.status[ord[b++]];
    for (std::size_t k = a; k < b; ++k) tt[ord[k]] = 1.0 - surv_before;
    const double nrisk = static_cast<double>(at_risk);
    if (d > 0) surv_before *= (nrisk - d) / nrisk;
    at_risk -= b - a;
    a = b;
  }
  return tt;
}

// x' A^-1 x through LU with partial pivoting (R's solve(), LAPACK dgesv); NA when R would
// stop because the matrix is computationally singular (rcond < machine epsilon).
double quad_form(const Eigen::MatrixXd& a, const Eigen::VectorXd& u) {
  const Eigen::PartialPivLU<Eigen::MatrixXd> lu(a);
  if (!(lu.rcond() >= std::numeric_limits<double>::epsilon())) return NA;
  return lu.solve(u).dot(u);
}

}  // namespace

CoxZphResult fit_cox_zph(const CoxInput& input, const CoxResult& fit, const CoxZphOptions& options,
                         const std::vector<CoxZphTermSpec>& term_specs) {
  const SurvData& surv = input.surv;
  const std::size_t n = surv.size();
  const Index pall = input.x.cols();
  if (surv.status.size() != n || static_cast<std::size_t>(input.x.rows()) != n ||
      (surv.weighted() && surv.weight.size() != n) || (!input.strata.empty() && input.strata.size() != n))
    throw InputError("cox.zph: the input's lengths differ");
  if (fit.terms.size() != static_cast<std::size_t>(pall))
    throw InputError("cox.zph: the fit has a different number of terms than the input has columns");

  // Terms: R's assign, then the aliased columns (NA coefficients) dropped.
  std::vector<CoxZphTermSpec> specs = term_specs;
  if (specs.empty())
    for (Index j = 0; j < pall; ++j)
      specs.push_back({j < static_cast<Index>(input.terms.size()) ? input.terms[j] : std::to_string(j + 1),
                       {static_cast<std::size_t>(j)}});
  {
    std::vector<int> seen(static_cast<std::size_t>(pall), 0);
    for (const auto& s : specs)
      for (std::size_t c : s.columns) {
        if (c >= static_cast<std::size_t>(pall)) throw InputError("cox.zph: term column out of range");
        ++seen[c];
      }
    for (int s : seen)
      if (s != 1) throw InputError("cox.zph: the terms must use every column exactly once");
  }
  std::vector<Index> kept;                        // kept position -> input column
  std::vector<Index> pos(static_cast<std::size_t>(pall), -1);  // input column -> kept position
  for (Index j = 0; j < pall; ++j)
    if (!fit.terms[j].aliased && std::isfinite(fit.terms[j].coef)) {
      pos[j] = static_cast<Index>(kept.size());
      kept.push_back(j);
    }
  const Index p = static_cast<Index>(kept.size());
  if (p == 0) throw AnalysisError("cox.zph: every coefficient is aliased");
  struct Group {
    std::string name;
    std::vector<Index> cols;  // kept positions
  };
  std::vector<Group> groups;
  for (const auto& s : specs) {
    Group g{s.name, {}};
    for (std::size_t c : s.columns)
      if (pos[c] >= 0) g.cols.push_back(pos[c]);
    std::sort(g.cols.begin(), g.cols.end());
    if (!g.cols.empty()) groups.push_back(std::move(g));
  }
  const Index nterm = static_cast<Index>(groups.size());
  Eigen::VectorXd coef(p);
  for (Index j = 0; j < p; ++j) coef[j] = fit.terms[kept[j]].coef;

  // The fit's sort (stratum, then time, ties in input order), without copying X.
  const cox::CoxPartialLikelihood sorter(surv, Eigen::MatrixXd(static_cast<Index>(n), 0), input.strata,
                                         fit.ties);
  const std::vector<std::uint32_t>& ord = sorter.order();
  const std::vector<double>& stime = sorter.sorted_time();
  const std::vector<std::uint8_t>& sstatus = sorter.sorted_status();
  const std::vector<std::uint8_t>& send = sorter.stratum_end();
  auto wt = [&](std::size_t k) { return surv.weighted() ? surv.weight[ord[k]] : 1.0; };

  // Linear predictor of the fit (coxph's, centred by fit$means); exp() of it is the risk.
  std::vector<double> eta(n, 0.0);
  for (Index j = 0; j < p; ++j) {
    const double m = fit.terms[kept[j]].mean, b = coef[j];
    const Index c = kept[j];
    for (std::size_t i = 0; i < n; ++i) eta[i] += (input.x(static_cast<Index>(i), c) - m) * b;
  }

  // g(t): the transform centred at its mean over the event rows.
  const std::vector<double> ttimes = transform_times(surv, options.transform);
  double tmean = 0, nev = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (surv.status[i]) {
      tmean += ttimes[i];
      ++nev;
    }
  if (nev == 0) throw AnalysisError("cox.zph: there are no events");
  tmean /= nev;

  // Strata as runs of the sort; used(s, j) = events of stratum s if column j varies in
  // it, else 0 (zph1.c compares the raw values).
  std::vector<std::size_t> sfirst;
  for (std::size_t k = 0; k < n; ++k)
    if (k == 0 || send[k - 1]) sfirst.push_back(k);
  const Index nstrat = static_cast<Index>(sfirst.size());
  Eigen::MatrixXd used = Eigen::MatrixXd::Zero(nstrat, p);
  for (Index s = 0; s < nstrat; ++s) {
    const std::size_t a = sfirst[s], b = (s + 1 < nstrat) ? sfirst[s + 1] : n;
    double deaths = 0;
    for (std::size_t k = a; k < b; ++k) deaths += sstatus[k];
    for (Index j = 0; j < p; ++j) {
      const double first = input.x(ord[a], kept[j]);
      for (std::size_t k = a; k < b; ++k)
        if (input.x(ord[k], kept[j]) != first) {
          used(s, j) = deaths;
          break;
        }
    }
  }

  // Sorted covariates, recentred at their plain means (zph1.c, for stability).
  Eigen::MatrixXd xs(static_cast<Index>(n), p);
  for (Index j = 0; j < p; ++j) {
    const auto col = input.x.col(kept[j]);
    double m = 0;
    for (std::size_t i = 0; i < n; ++i) m += col[static_cast<Index>(i)];
    m /= static_cast<double>(n);
    for (std::size_t k = 0; k < n; ++k) xs(static_cast<Index>(k), j) = col[ord[k]] - m;
  }

  // zph1.c: one backward pass, risk-set sums a (x), cmat (x x'), denom; the deaths of a
  // tied time gathered first (a2, cmat2, denom2), then added by Breslow or Efron.
  const bool efron = fit.ties == Ties::Efron;
  const Index nevent = static_cast<Index>(nev);
  Eigen::VectorXd u = Eigen::VectorXd::Zero(2 * p);
  Eigen::MatrixXd imat = Eigen::MatrixXd::Zero(2 * p, 2 * p);  // upper triangle filled
  Eigen::MatrixXd schoen(nevent, p);
  Eigen::VectorXd a(p), a2(p);
  Eigen::MatrixXd cmat(p, p), cmat2(p, p);
  double denom = 0;
  Index ev = nevent;  // next free row of schoen, filled from the end
  for (std::ptrdiff_t ip = static_cast<std::ptrdiff_t>(n) - 1; ip >= 0;) {
    if (send[ip]) {
      denom = 0;
      a.setZero();
      cmat.setZero();
    }
    const double dtime = stime[ip];
    const double timewt = ttimes[ord[ip]] - tmean;
    double ndead = 0, deadwt = 0, denom2 = 0;
    a2.setZero();
    cmat2.setZero();
    for (; ip >= 0; --ip) {
      if (stime[ip] != dtime) break;
      const double risk = std::exp(eta[ord[ip]]) * wt(ip);
      const auto x = xs.row(ip);
      if (!sstatus[ip]) {
        denom += risk;
        for (Index i = 0; i < p; ++i) {
          a[i] += risk * x[i];
          for (Index j = 0; j <= i; ++j) cmat(i, j) += risk * x[i] * x[j];
        }
      } else {
        ++ndead;
        deadwt += wt(ip);
        denom2 += risk;
        --ev;
        for (Index i = 0; i < p; ++i) {
          schoen(ev, i) = x[i];
          u[i] += wt(ip) * x[i];
          u[i + p] += timewt * wt(ip) * x[i];
          a2[i] += risk * x[i];
          for (Index j = 0; j <= i; ++j) cmat2(i, j) += risk * x[i] * x[j];
        }
      }
      if (ip > 0 && send[ip - 1]) {  // ties do not cross strata
        --ip;
        break;
      }
    }
    if (ndead == 0) continue;
    const auto nd = static_cast<Index>(ndead);
    if (!efron) {
      denom += denom2;
      for (Index i = 0; i < p; ++i) {
        a[i] += a2[i];
        const double temp2 = a[i] / denom;
        u[i] -= deadwt * temp2;
        u[i + p] -= timewt * deadwt * temp2;
        for (Index j = 0; j <= i; ++j) {
          cmat(i, j) += cmat2(i, j);
          const double temp = deadwt * (cmat(i, j) - temp2 * a[j]) / denom;
          imat(j, i) += temp;
          imat(j, i + p) += temp * timewt;
          imat(j + p, i + p) += temp * timewt * timewt;
        }
        for (Index d = 0; d < nd; ++d) schoen(ev + d, i) -= temp2;
      }
    } else {
      const double wtave = deadwt / ndead;
      for (Index i = 0; i < p; ++i) {  // the mean of the d means, for the residuals
        double tm = 0;
        for (Index k = 0; k < nd; ++k) {
          const double f = static_cast<double>(k + 1) / ndead;
          tm += (a[i] + a2[i] * f) / (denom + denom2 * f);
        }
        for (Index d = 0; d < nd; ++d) schoen(ev + d, i) -= tm / ndead;
      }
      for (Index k = 0; k < nd; ++k) {
        denom += denom2 / ndead;
        for (Index i = 0; i < p; ++i) {
          a[i] += a2[i] / ndead;
          const double temp2 = a[i] / denom;
          u[i] -= wtave * temp2;
          u[i + p] -= timewt * wtave * temp2;
          for (Index j = 0; j <= i; ++j) {
            cmat(i, j) += cmat2(i, j) / ndead;
            const double temp = wtave * (cmat(i, j) - temp2 * a[j]) / denom;
            imat(j, i) += temp;
            imat(j, i + p) += timewt * temp;
            imat(j + p, i + p) += timewt * timewt * temp;
          }
        }
      }
    }
  }
  // Fill the rest of the information matrix, as zph1.c.
  for (Index i = 0; i < p; ++i)
    for (Index j = 0; j < i; ++j) {
      imat(i, j) = imat(j, i);
      imat(i, j + p) = imat(j, i + p);
      imat(i + p, j + p) = imat(j + p, i + p);
    }
  for (Index i = 0; i < p; ++i)
    for (Index j = 0; j < p; ++j) imat(i + p, j) = imat(j, i + p);

  CoxZphResult res;
  res.transform = options.transform;
  bool singular = false;
  // Per term: the p coefficients plus the term's own time columns, U = (0, U2[term]).
  for (const Group& g : groups) {
    const Index m = p + static_cast<Index>(g.cols.size());
    std::vector<Index> kk(static_cast<std::size_t>(m));
    for (Index j = 0; j < p; ++j) kk[j] = j;
    for (std::size_t c = 0; c < g.cols.size(); ++c) kk[p + static_cast<Index>(c)] = g.cols[c] + p;
    Eigen::MatrixXd sub(m, m);
    Eigen::VectorXd uu = Eigen::VectorXd::Zero(m);
    for (Index r = 0; r < m; ++r) {
      for (Index c = 0; c < m; ++c) sub(r, c) = imat(kk[r], kk[c]);
      if (r >= p) uu[r] = u[kk[r]];
    }
    CoxZphTerm t;
    t.term = g.name;
    t.chisq = quad_form(sub, uu);
    t.df = static_cast<double>(g.cols.size());
    t.p = std::isnan(t.chisq) ? NA : stats::chisq_upper(t.chisq, t.df);
    singular = singular || std::isnan(t.chisq);
    res.terms.push_back(t);
  }
  {
    Eigen::VectorXd uu = u;
    uu.head(p).setZero();
    const double g = quad_form(imat, uu);
    singular = singular || std::isnan(g);
    res.global = {g, static_cast<double>(p), std::isnan(g) ? NA : stats::chisq_upper(g, static_cast<double>(p))};
  }
  if (singular)
    res.warnings.push_back("cox.zph: the information matrix is computationally singular; test not computed");

  // x, time, strata of the deaths, in sorted order.
  for (std::size_t k = 0; k < n; ++k)
    if (sstatus[k]) {
      res.x.push_back(ttimes[ord[k]]);
      res.time.push_back(stime[k]);
      if (!input.strata.empty()) res.strata.push_back(input.strata[ord[k]]);
    }

  // Scaled Schoenfeld residuals (the plot part of cox.zph.R).
  for (const Group& g : groups)  // a factor unused in some stratum: use the row maximum
    if (g.cols.size() > 1) {
      bool any_zero = false;
      for (Index s = 0; s < nstrat; ++s)
        for (Index c : g.cols) any_zero = any_zero || used(s, c) == 0;
      if (any_zero)
        for (Index s = 0; s < nstrat; ++s) {
          double mx = 0;
          for (Index c : g.cols) mx = std::max(mx, used(s, c));
          for (Index c : g.cols) used(s, c) = mx;
        }
    }
  Eigen::MatrixXd wtmat = Eigen::MatrixXd::Zero(p, p);
  for (Index s = 0; s < nstrat; ++s)
    for (Index i = 0; i < p; ++i)
      for (Index j = 0; j < p; ++j) wtmat(i, j) += std::min(used(s, i), used(s, j));
  Eigen::MatrixXd vmean(p, p);
  for (Index i = 0; i < p; ++i)
    for (Index j = 0; j < p; ++j) vmean(i, j) = imat(i, j) / (wtmat(i, j) == 0 ? 1.0 : wtmat(i, j));

  // Collapse a multi-column term to its linear predictor (columns weighted by the
  // coefficients); a one-column term keeps its column (weight 1, exact), so applying the
  // map always also puts the columns in the order of `terms`.
  Eigen::MatrixXd temp = Eigen::MatrixXd::Zero(p, nterm);
  Eigen::MatrixXd used_t(nstrat, nterm);
  for (Index t = 0; t < nterm; ++t) {
    const Group& g = groups[t];
    for (Index c : g.cols) temp(c, t) = g.cols.size() == 1 ? 1.0 : coef[c];
    used_t.col(t) = used.col(g.cols[0]);
  }
  Eigen::MatrixXd sresid = schoen * temp;
  vmean = (temp.transpose() * vmean * temp).eval();
  const Index ncolr = sresid.cols();
  // sgrp <- rep(1:nstrata, apply(used, 1, max)): the deaths of each stratum, in order.
  Index row = 0;
  for (Index s = 0; s < nstrat; ++s) {
    const auto cnt = static_cast<Index>(used_t.row(s).maxCoeff());
    std::vector<Index> k;
    for (Index c = 0; c < ncolr; ++c)
      if (used_t(s, c) > 0) k.push_back(c);
    const Index r0 = row, r1 = std::min<Index>(row + cnt, sresid.rows());
    row += cnt;
    if (k.empty() || r1 <= r0) continue;
    const auto kn = static_cast<Index>(k.size());
    Eigen::MatrixXd vk(kn, kn);
    for (Index i = 0; i < kn; ++i)
      for (Index j = 0; j < kn; ++j) vk(i, j) = vmean(k[i], k[j]);
    const Eigen::PartialPivLU<Eigen::MatrixXd> lu(vk);
    for (Index r = r0; r < r1; ++r) {
      Eigen::VectorXd v(kn);
      for (Index i = 0; i < kn; ++i) v[i] = sresid(r, k[i]);
      const Eigen::VectorXd sol = kn == 1 ? Eigen::VectorXd(v / vk(0, 0)) : Eigen::VectorXd(lu.solve(v));
      for (Index c = 0; c < ncolr; ++c) sresid(r, c) = NA;
      for (Index i = 0; i < kn; ++i) sresid(r, k[i]) = sol[i];
    }
  }
  for (Index t = 0; t < nterm; ++t) {
    const Group& g = groups[t];
    sresid.col(t).array() += g.cols.size() == 1 ? coef[g.cols[0]] : 1.0;
  }
  res.y = std::move(sresid);
  {
    const Eigen::PartialPivLU<Eigen::MatrixXd> lu(vmean);
    res.var = lu.inverse();
  }
  return res;
}

}  // namespace survkit
