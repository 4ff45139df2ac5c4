// fit_propensity(): the logistic model of treatment on the covariates, with the checks
// that matching needs before the score can be used as a distance.
#include "survkit/propensity.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <utility>

namespace survkit {

namespace {

// The terms' columns: x, or the design after its intercept column.
Eigen::MatrixXd::ConstColsBlockXpr term_columns(const PropensityInput& in) {
  const Eigen::MatrixXd& x = in.design != nullptr ? *in.design : in.x;
  const Eigen::Index lead = in.design != nullptr && x.cols() > 0 ? 1 : 0;
  return x.rightCols(x.cols() - lead);
}

// Warns about each term constant within one treatment group.  MatchIt fits and matches
// anyway; the balance row of such a term has a zero treated SD (SMD NA) or compares a
// constant with a varying group, which a reader should be told about.
void constant_within_group(const PropensityInput& in, std::vector<std::string>& warnings) {
  const auto n = static_cast<Eigen::Index>(in.treat.size());
  const auto x = term_columns(in);
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    for (int g = 1; g >= 0; --g) {
      bool seen = false, constant = true;
      double first = 0;
      for (Eigen::Index i = 0; i < n && constant; ++i) {
        if (in.treat[static_cast<std::size_t>(i)] != g) continue;
        if (!seen) {
          first = x(i, j);
          seen = true;
        } else if (x(i, j) != first) {
          constant = false;
        }
      }
      if (seen && constant) {
        std::ostringstream msg;
        msg << "covariate '" << in.terms[static_cast<std::size_t>(j)] << "' is constant (" << first << ") within the "
            << (g == 1 ? "treated group; its standardized mean difference is undefined (SD 0 in the treated)"
                       : "control group; matching cannot balance it");
        warnings.push_back(msg.str());
      }
    }
  }
}

}  // namespace

PropensityResult fit_propensity(PropensityInput in, const PropensityOptions& options) {
  const std::size_t n = in.treat.size();
  const auto x = term_columns(in);
  const Eigen::Index p = x.cols();
  if (static_cast<std::size_t>(x.rows()) != n)
    throw InputError("propensity: " + std::to_string(x.rows()) + " covariate rows for " + std::to_string(n) +
                     " units");
  if (in.terms.size() != static_cast<std::size_t>(p))
    throw InputError("propensity: " + std::to_string(in.terms.size()) + " term names for " + std::to_string(p) +
                     " covariate columns");
  std::size_t n1 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (in.treat[i] > 1) throw InputError("propensity: treatment of unit " + std::to_string(i + 1) + " is not 0/1");
    n1 += in.treat[i];
  }
  if (n1 == 0) throw AnalysisError("propensity: there are no treated units");
  if (n1 == n) throw AnalysisError("propensity: there are no control units");

  // Checked before the covariates move into the model input (no copy of X: at 1e6 x 10
  // that is 80 MB of peak memory saved per copy).
  std::vector<std::string> constant_warnings;
  constant_within_group(in, constant_warnings);
  LogisticInput li;
  li.y = std::move(in.treat);
  li.x = std::move(in.x);
  li.design = in.design;
  li.terms = in.terms;
  PropensityResult r;
  r.model = fit_logistic(std::move(li), options.logistic);

  if (r.model.separation && !options.allow_separation) {
    std::string infinite;
    // The intercept diverges along with the separating covariate; name the covariates.
    for (const auto& t : r.model.terms)
      if (t.infinite && t.term != "(Intercept)") infinite += (infinite.empty() ? "" : ", ") + t.term;
    const bool only_intercept = infinite.empty() && std::any_of(r.model.terms.begin(), r.model.terms.end(),
                                                                [](const LogisticTerm& t) { return t.infinite; });
    if (only_intercept) infinite = "(Intercept)";
    // Only a coefficient with no finite estimate is complete separation; fitted values
    // that are merely numerically 0 or 1 stay a warning (below), as in R.
    if (!infinite.empty())
      throw AnalysisError("propensity score model: perfect separation -- treatment is predicted exactly by " +
                          infinite +
                          " (the coefficient has no finite estimate, scores are 0 or 1 and treated and control "
                          "units do not overlap); remove or coarsen that covariate, or match exactly on it");
  }
  // Moved, not copied: two n-long vectors less for as long as the result lives.
  r.score = std::move(r.model.fitted);
  r.linear_predictor = std::move(r.model.linear_predictor);
  r.warnings = r.model.warnings;
  if (!r.model.converged)
    // No "propensity score model" prefix: run_matching words every caller's warnings with it.
    r.warnings.push_back("did not converge in " + std::to_string(r.model.iterations) +
                         " iterations");
  r.warnings.insert(r.warnings.end(), constant_warnings.begin(), constant_warnings.end());
  return r;
}

}  // namespace survkit
