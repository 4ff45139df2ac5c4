// Logistic regression as R's glm.fit(family = binomial()) + summary.glm + confint.default.
#include "survkit/logistic.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "regression/logistic/pivoted_qr.hpp"
#include "stats/parallel.hpp"
#include "stats/estimability.hpp"
#include "stats/distributions.hpp"

namespace survkit {
namespace logistic {
namespace {

// The logit link exactly as R's C code (family.c): the inverse link clamps eta to
// [-30, 30] in the exponential so that mu stays strictly inside (0, 1), and the
// derivative is DBL_EPSILON outside that range.  Reproducing the clamps matters for
// separated data, where R's iterations run into them.
constexpr double kThresh = 30.0;
constexpr double kMThresh = -30.0;
constexpr double kInvEps = 1.0 / DBL_EPSILON;

double linkinv(double eta) {
  const double t = eta < kMThresh ? DBL_EPSILON : (eta > kThresh ? kInvEps : std::exp(eta));
  return t / (1.0 + t);
}
double mu_eta(double eta) {
  const double opexp = 1.0 + std::exp(eta);
  return (eta > kThresh || eta < kMThresh) ? DBL_EPSILON : std::exp(eta) / (opexp * opexp);
}
double linkfun(double mu) { return std::log(mu / (1.0 - mu)); }
double y_log_y(double y, double mu) { return y != 0.0 ? y * std::log(y / mu) : 0.0; }
double dev_resid(double y, double mu, double wt) {
  return 2.0 * wt * (y_log_y(y, mu) + y_log_y(1.0 - y, 1.0 - mu));
}

// log dbinom(x, size, prob) for integer-valued x, size (binomial()$aic rounds them).
double log_dbinom(double x, double size, double prob) {
  if (size == 0.0) return x == 0.0 ? 0.0 : -INFINITY;
  const double q = 1.0 - prob;
  double out = std::lgamma(size + 1.0) - std::lgamma(x + 1.0) - std::lgamma(size - x + 1.0);
  if (x > 0.0) out += x * std::log(prob);
  if (size - x > 0.0) out += (size - x) * std::log(q);
  return out;
}

void validate(const LogisticInput& in, const LogisticOptions& opt) {
  const std::size_t n = in.y.size();
  if (in.design != nullptr) {
    const Eigen::MatrixXd& d = *in.design;
    if (in.x.size() != 0) throw InputError("logistic: give either x or design, not both");
    if (static_cast<std::size_t>(d.rows()) != n || static_cast<std::size_t>(d.cols()) != in.terms.size() + 1)
      throw InputError("logistic: the design is " + std::to_string(d.rows()) + " x " + std::to_string(d.cols()) +
                       " for " + std::to_string(n) + " observations and " + std::to_string(in.terms.size()) +
                       " terms plus the intercept");
    if (n > 0 && !(d.col(0).array() == 1.0).all())
      throw InputError("logistic: the design's first column must be the intercept (all 1)");
    if (!d.allFinite()) throw InputError("logistic: covariates must be finite (no missing values)");
  } else {
    if (static_cast<std::size_t>(in.x.rows()) != n)
      throw InputError("logistic: x has " + std::to_string(in.x.rows()) + " rows but y has " + std::to_string(n) +
                       " values");
    if (static_cast<std::size_t>(in.x.cols()) != in.terms.size())
      throw InputError("logistic: x has " + std::to_string(in.x.cols()) + " columns but " +
                       std::to_string(in.terms.size()) + " term names were given");
    if (!in.x.allFinite()) throw InputError("logistic: covariates must be finite (no missing values)");
  }
  if (!in.weight.empty() && in.weight.size() != n)
    throw InputError("logistic: weight must be empty or have one value per observation");
  for (std::size_t i = 0; i < n; ++i) {
    if (in.y[i] > 1)
      throw InputError("logistic: y must be 0 or 1 (row " + std::to_string(i + 1) + ")");
    if (!in.weight.empty() && !(std::isfinite(in.weight[i]) && in.weight[i] >= 0.0))
      throw InputError("logistic: weights must be finite and >= 0 (row " +
                       std::to_string(i + 1) + ")");
  }
  if (opt.max_iter < 1) throw InputError("logistic: max_iter must be >= 1");
  if (!(opt.epsilon > 0.0)) throw InputError("logistic: epsilon must be > 0");
  if (!(opt.conf_level > 0.0 && opt.conf_level < 1.0))
    throw InputError("logistic: conf_level must be in (0, 1)");
}



// Prior weights whose largest is far from 1 are rescaled by a power of two for the
// iterations, an exact change of scale (issue 12).  The maximum-likelihood estimate is the
// same for w and w / 2^k, but glm.fit's start, mustart = (w y + 1/2) / (w + 1), and its
// convergence test, |dev - devold| / (|dev| + 0.1) < epsilon, are not scale-free: with
// weights of about 100 and more the iterations start next to 0 and 1 and can diverge
// (R's glm diverges too, and reports a deviance above the null deviance as converged), and
// with weights below about 1e-8 the test stops them after a step or two, short of the
// maximum.  Largest weight within [2^-20, 2^5]: exponent 0, R's own iterations unchanged.
int weight_exponent(const Eigen::Ref<const Eigen::VectorXd>& w) {
  const double largest = w.size() ? w.maxCoeff() : 0.0;
  if (largest == 0 || (largest <= 0x1p5 && largest >= 0x1p-20)) return 0;
  return std::ilogb(largest);
}

// The prior weights of the iterations: n values the caller keeps, or every weight 1
// without an n-long vector of ones (1.0 * v == v: the arithmetic is that of the ones).
struct Weights {
  const double* v = nullptr;  // null: all 1
  double operator()(Eigen::Index i) const { return v != nullptr ? v[i] : 1.0; }
};

// The 0/1 response as a double, read from the input: 0 where the given weight is 0, as
// binomial()$initialize.
struct Response {
  const std::vector<std::uint8_t>& y01;
  const std::vector<double>& weight;  // as given; empty: all 1
  double operator()(Eigen::Index i) const {
    const auto u = static_cast<std::size_t>(i);
    return !weight.empty() && weight[u] == 0.0 ? 0.0 : static_cast<double>(y01[u]);
  }
};

struct Model {
  const Eigen::MatrixXd& x;     // n x p1 design with the intercept column first
  Response y;                   // n, 0/1
  Weights w;                    // n prior weights
  std::vector<double>& terms;   // scratch: the deviance's terms by row (n long)
  Eigen::VectorXd eta, mu;
  // The per-row terms are computed on parallel row ranges, then summed in row order: the
  // same sum as one loop.
  double deviance(const Eigen::VectorXd& m) {
    const auto n = static_cast<std::size_t>(m.size());
    parallel::for_each_range(n, [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) {
        const auto r = static_cast<Eigen::Index>(i);
        terms[i] = dev_resid(y(r), m(r), w(r));
      }
    });
    double d = 0.0;
    for (double t : terms) d += t;
    return d;
  }
  // eta = x beta and mu, row range by row range: each row's dot product is Eigen's same
  // kernel over the same columns in the same order, whichever rows it is given with.
  void predict(const Eigen::VectorXd& beta) {
    const Eigen::Index n = x.rows();
    eta.resize(n);
    mu.resize(n);
    parallel::for_each_range(static_cast<std::size_t>(n), [&](std::size_t b, std::size_t e) {
      const auto first = static_cast<Eigen::Index>(b), len = static_cast<Eigen::Index>(e - b);
      eta.segment(first, len).noalias() = x.middleRows(first, len) * beta;
      for (Eigen::Index i = first; i < first + len; ++i) mu(i) = linkinv(eta(i));
    });
  }
  bool valid_mu() const {
    return mu.unaryExpr([](double m) { return std::isfinite(m) && m > 0.0 && m < 1.0 ? 0.0 : 1.0; })
               .sum() == 0.0;
  }
};

}  // namespace
}  // namespace logistic

namespace {

// `owned_x`: null, or input.x itself when the caller handed the input over; it is then
// released once the design holds a copy.
LogisticResult fit_logistic_impl(const LogisticInput& input, const LogisticOptions& options,
                                 Eigen::MatrixXd* owned_x) {
  using namespace logistic;
  validate(input, options);
  const auto n = static_cast<Eigen::Index>(input.y.size());
  const Eigen::Index p1 = static_cast<Eigen::Index>(input.terms.size()) + 1;

  // The design with the intercept first: the caller's, read in place, or made here.
  Eigen::MatrixXd made;
  if (input.design == nullptr) {
    made.resize(n, p1);
    made.col(0).setOnes();
    made.rightCols(p1 - 1) = input.x;
    if (owned_x != nullptr) *owned_x = Eigen::MatrixXd();
  }
  std::vector<int> expo(static_cast<std::size_t>(p1), 0);  // see extreme_exponent
  for (Eigen::Index j = 1; j < p1; ++j)
    expo[static_cast<std::size_t>(j)] = stats::extreme_exponent((input.design ? *input.design : made).col(j));
  if (input.design != nullptr && std::any_of(expo.begin(), expo.end(), [](int e) { return e != 0; }))
    made = *input.design;  // a column to rescale: the caller's design stays as it is
  for (Eigen::Index j = 1; j < p1; ++j)
    if (const int e = expo[static_cast<std::size_t>(j)]; e != 0)
      made.col(j) = made.col(j).unaryExpr([e](double v) { return std::ldexp(v, -e); });
  const Eigen::MatrixXd& x = made.size() != 0 || input.design == nullptr ? made : *input.design;
  // The weights as given (read from the input; none: all 1), and the response.
  const Weights given{input.weight.empty() ? nullptr : input.weight.data()};
  const Response y{input.y, input.weight};
  Eigen::Index n_ok = 0;
  for (Eigen::Index i = 0; i < n; ++i)
    if (given(i) > 0.0) ++n_ok;
  if (n_ok == 0) throw AnalysisError("logistic: no observation has a positive weight");

  LogisticResult res;
  res.n = static_cast<std::size_t>(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double m = given(i) * y(i);
    if (std::abs(m - std::round(m)) > 1e-3) {
      res.warnings.emplace_back("non-integer #successes in a binomial glm!");
      break;
    }
  }

  // Iterations on w / 2^wexp (see weight_exponent); the summaries use the weights given.
  // (All 1: exponent 0.)
  const int wexp =
      input.weight.empty() ? 0 : weight_exponent(Eigen::Map<const Eigen::VectorXd>(input.weight.data(), n));
  std::vector<double> w_scaled(wexp != 0 ? input.weight.size() : 0);
  for (std::size_t i = 0; i < w_scaled.size(); ++i) w_scaled[i] = std::ldexp(input.weight[i], -wexp);
  const Weights w{wexp != 0 ? w_scaled.data() : given.v};
  const Weights& wg = given;

  // The deviance's per-row terms share their buffer with the working weights wws, which
  // each iteration is done with (the QR is filled) before the deviance is taken.
  std::vector<double> wws(static_cast<std::size_t>(n));
  Model model{x, y, w, wws, {}, {}};
  // Starting values of binomial()$initialize: mustart = (w y + 1/2) / (w + 1).
  model.eta.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) model.eta(i) = linkfun((w(i) * y(i) + 0.5) / (w(i) + 1.0));
  model.mu = model.eta.unaryExpr([](double e) { return linkinv(e); });
  double devold = model.deviance(model.mu);
  double dev = devold;

  const double qr_tol = std::min(1e-7, options.epsilon / 1000.0);
  Eigen::VectorXd start = Eigen::VectorXd::Zero(p1);
  std::optional<Eigen::VectorXd> coefold;
  PivotedQr qr;
  bool conv = false, boundary = false, non_finite = false;
  int iter = 0;
  // Working buffers of the iterations, allocated once: fresh n-long buffers in every
  // iteration were faulted in (page by page, zeroed by the kernel) every time.
  std::vector<Eigen::Index> good;
  std::vector<char> usable(static_cast<std::size_t>(n));
  Eigen::VectorXd b(n);
  for (iter = 1; iter <= options.max_iter; ++iter) {
    // Working response and weights of IRLS, only for rows with w > 0 and mu_eta != 0.
    // Every row's values are computed on parallel row ranges, in place; the rows left
    // out (rare) are then squeezed out in order.
    parallel::for_each_range(static_cast<std::size_t>(n), [&](std::size_t lo, std::size_t hi) {
      for (auto i = static_cast<Eigen::Index>(lo); i < static_cast<Eigen::Index>(hi); ++i) {
        const auto ui = static_cast<std::size_t>(i);
        const double me = w(i) > 0.0 ? mu_eta(model.eta(i)) : 0.0;
        usable[ui] = me != 0.0;
        if (!usable[ui]) continue;
        const double mu = model.mu(i);
        const double z = model.eta(i) + (y(i) - mu) / me;
        const double ww = std::sqrt(w(i) * me * me / (mu * (1.0 - mu)));
        b(i) = z * ww;
        wws[ui] = ww;
      }
    });
    good.clear();
    Eigen::Index ng = 0;
    if (std::find(usable.begin(), usable.end(), 0) == usable.end()) {
      ng = n;
    } else {
      for (Eigen::Index i = 0; i < n; ++i) {
        if (!usable[static_cast<std::size_t>(i)]) continue;
        b(ng) = b(i);
        wws[static_cast<std::size_t>(ng)] = wws[static_cast<std::size_t>(i)];
        good.push_back(i);
        ++ng;
      }
    }
    // The weighted design, column by column (contiguous in the column-major matrix; the
    // columns are parallel tasks); each entry is the same single product x(i, j) * ww(i)
    // as R's.  The previous iteration's QR storage is reused: at 1e6 x 11 a fresh matrix
    // per iteration costs more in page faults than the arithmetic that fills it.
    Eigen::MatrixXd a = std::move(qr.qr);
    a.resize(ng, p1);
    const auto fill = [&](std::size_t uj) {
      const auto j = static_cast<Eigen::Index>(uj);
      double* col = a.col(j).data();
      const double* xj = x.col(j).data();
      if (ng == n) {
        for (Eigen::Index r = 0; r < ng; ++r) col[r] = xj[r] * wws[static_cast<std::size_t>(r)];
      } else {
        for (Eigen::Index r = 0; r < ng; ++r)
          col[r] = xj[good[static_cast<std::size_t>(r)]] * wws[static_cast<std::size_t>(r)];
      }
    };
    parallel::for_each_task(static_cast<std::size_t>(p1), static_cast<std::size_t>(ng), fill);
    qr = pivoted_qr(std::move(a), qr_tol);
    const Eigen::VectorXd coef = qr_coefficients(qr, b.head(ng));
    if (!coef.allFinite()) {
      non_finite = true;
      res.warnings.push_back("non-finite coefficients at iteration " + std::to_string(iter));
      break;
    }
    for (Eigen::Index j = 0; j < p1; ++j) start(qr.pivot[static_cast<std::size_t>(j)]) = coef(j);
    model.predict(start);
    dev = model.deviance(model.mu);
    boundary = false;
    // glm.fit's step halving towards the previous coefficients when the deviance is not
    // finite or mu left (0, 1).
    if (!std::isfinite(dev) || !model.valid_mu()) {
      if (!coefold)
        throw AnalysisError(
            "logistic: no valid set of coefficients has been found: please supply starting values");
      res.warnings.emplace_back(std::isfinite(dev) ? "step size truncated: out of bounds"
                                                   : "step size truncated due to divergence");
      for (int ii = 1; !std::isfinite(dev) || !model.valid_mu(); ++ii) {
        if (ii > options.max_iter)
          throw AnalysisError("logistic: inner loop; cannot correct step size");
        start = (start + *coefold) / 2.0;
        model.predict(start);
        dev = model.deviance(model.mu);
      }
      boundary = true;
    }
    if (std::abs(dev - devold) / (std::abs(dev) + 0.1) < options.epsilon) {
      conv = true;
      break;
    }
    devold = dev;
    coefold = start;
  }
  // The iteration buffers are done with: give them back before the summaries.
  std::vector<Eigen::Index>().swap(good);
  std::vector<double>().swap(wws);
  std::vector<char>().swap(usable);
  b = Eigen::VectorXd();
  res.iterations = std::min(iter, options.max_iter);
  res.converged = conv;
  res.boundary = boundary;
  if (!conv) res.warnings.emplace_back("glm.fit: algorithm did not converge");
  if (boundary) res.warnings.emplace_back("glm.fit: algorithm stopped at boundary value");
  const double eps = 10.0 * DBL_EPSILON;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (model.mu(i) > 1.0 - eps || model.mu(i) < eps) {
      res.separation = true;
      res.warnings.emplace_back("glm.fit: fitted probabilities numerically 0 or 1 occurred");
      break;
    }
  }

  // summary.glm's covariance needs only R: taken now, so that the QR's n x p storage is
  // given back before the result's n-long vectors are made.
  Eigen::MatrixXd cov;
  if (!non_finite) cov = unscaled_covariance(qr);
  qr.qr = Eigen::MatrixXd();
  res.rank = non_finite ? 0 : qr.rank;
  if (wexp != 0) {
    std::vector<double> terms(static_cast<std::size_t>(n));
    res.residual_deviance = Model{x, y, wg, terms, {}, {}}.deviance(model.mu);
  } else {
    res.residual_deviance = dev;
  }
  double sw = 0.0, swy = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    sw += wg(i);
    swy += wg(i) * y(i);
  }
  const double wtdmu = swy / sw;
  res.null_deviance = 0.0;
  double loglik2 = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    res.null_deviance += dev_resid(y(i), wtdmu, wg(i));
    // binomial()$aic with n = 1: m = wt; terms with wt = 0 are left out.
    if (wg(i) > 0.0) loglik2 += log_dbinom(std::round(wg(i) * y(i)), std::round(wg(i)), model.mu(i));
  }
  res.aic = -2.0 * loglik2 + 2.0 * res.rank;
  res.df_null = static_cast<int>(n_ok) - 1;
  res.df_residual = static_cast<int>(n_ok) - res.rank;
  res.fitted.assign(model.mu.data(), model.mu.data() + n);
  res.linear_predictor.assign(model.eta.data(), model.eta.data() + n);

  // summary.glm: covariance (R'R)^{-1} of the QR of the last IRLS step, dispersion 1.
  res.terms.resize(static_cast<std::size_t>(p1));
  for (Eigen::Index j = 0; j < p1; ++j)
    res.terms[static_cast<std::size_t>(j)].term =
        j == 0 ? std::string("(Intercept)") : input.terms[static_cast<std::size_t>(j - 1)];
  if (non_finite) return res;
  // The covariance of the iterations' weights w / 2^wexp is 2^wexp times that of w.
  const double se_factor = wexp != 0 ? std::sqrt(std::ldexp(1.0, -wexp)) : 1.0;
  const double q = stats::norm_quantile(0.5 + options.conf_level / 2.0);
  for (Eigen::Index jp = 0; jp < p1; ++jp) {
    LogisticTerm& t = res.terms[static_cast<std::size_t>(qr.pivot[static_cast<std::size_t>(jp)])];
    if (jp >= qr.rank) {
      t.aliased = true;
      continue;
    }
    t.coef = start(qr.pivot[static_cast<std::size_t>(jp)]);
    t.se = std::sqrt(cov(jp, jp)) * se_factor;
    t.z = t.coef / t.se;  // on the fitted (possibly pre-scaled) column: scale-free
    t.p = stats::norm_two_sided_p(t.z);
    t.odds_ratio = std::exp(t.coef);
    t.lower = std::exp(t.coef - q * t.se);
    t.upper = std::exp(t.coef + q * t.se);
  }
  for (Eigen::Index j = 0; j < p1; ++j) {
    if (res.terms[static_cast<std::size_t>(j)].aliased)
      res.warnings.push_back("coefficient not defined because of singularities: " +
                             res.terms[static_cast<std::size_t>(j)].term);
  }

  // Separation diagnosis (beyond R).  A term "looks infinite" when its estimated effect
  // over the observed range of its covariate is enormous (|coef| * range > 10, an odds
  // ratio above e^10 across the data; range 1 for the intercept) while its Wald z is
  // tiny (|z| < 0.1, i.e. SE * range > 100).  Diverging coefficients have exactly this
  // signature (their SE grows like exp(|coef| / 2)); an estimable effect cannot have an
  // SE of 100 log-odds units across the range of its covariate.  This also catches
  // quasi-complete separation, where R stops with probabilities only near 0 or 1
  // (e.g. 1 - 4e-10) and gives no warning at all.
  for (Eigen::Index j = 0; j < p1; ++j) {
    LogisticTerm& t = res.terms[static_cast<std::size_t>(j)];
    if (t.aliased) continue;
    const double range = j == 0 ? 1.0 : x.col(j).maxCoeff() - x.col(j).minCoeff();
    if (std::abs(t.coef) * range > 10.0 && std::abs(t.z) < 0.1) {
      t.infinite = true;
      res.separation = true;
      res.warnings.push_back("separation: the estimate of " + t.term +
                             " appears to be infinite (coef " + std::to_string(t.coef) +
                             ", SE " + std::to_string(t.se) + ")");
    }
  }
  // Back to the original scale of pre-scaled columns (exact: ldexp), then the
  // estimability flags.
  for (Eigen::Index j = 0; j < p1; ++j) {
    LogisticTerm& t = res.terms[static_cast<std::size_t>(j)];
    if (t.aliased) continue;
    const int e = expo[static_cast<std::size_t>(j)];
    const double coef_work = t.coef;
    if (e != 0) {
      t.coef = std::ldexp(t.coef, -e);
      t.se = std::ldexp(t.se, -e);
      t.odds_ratio = std::exp(t.coef);
      t.lower = std::exp(t.coef - q * t.se);
      t.upper = std::exp(t.coef + q * t.se);
    }
    t.reason = stats::not_estimable_reason(t.coef, coef_work, t.se, t.odds_ratio, t.lower, t.upper, "odds ratio");
    t.estimable = t.reason.empty();
    if (!t.estimable) res.warnings.push_back(t.term + ": not estimable, " + t.reason);
  }
  return res;
}

}  // namespace

LogisticResult fit_logistic(const LogisticInput& input, const LogisticOptions& options) {
  return fit_logistic_impl(input, options, nullptr);
}

LogisticResult fit_logistic(LogisticInput&& input, const LogisticOptions& options) {
  return fit_logistic_impl(input, options, &input.x);
}

}  // namespace survkit
