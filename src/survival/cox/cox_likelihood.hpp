// Internal: the Cox log partial likelihood as a self-contained objective.
//
// Constructed once from the data: it sorts the rows once (by stratum, then ascending
// time; stable, so tied rows keep their input order as R's order() does; a radix sort)
// and keeps that order.  Every evaluation is then one backward pass over the sorted rows,
// keeping running sums over the risk set (as coxfit6.c): O(n p^2), no per-event rescans.
//
// Memory: the only copy of the covariates is the n x p matrix in sorted row order.  The
// rvalue constructor permutes the caller's matrix in place (one column of scratch), so a
// fit holds one copy of X, not three (input, centred copy, sorted transpose).
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "survkit/cox.hpp"
#include "survkit/surv_data.hpp"

namespace survkit::cox {

class CoxPartialLikelihood {
 public:
  /// surv   : n outcomes; weights empty (all 1) or length n, > 0 (checked by the caller).
  /// x      : n x p covariates in input row order (used as given: centre them first if
  ///          you want R's numerics; the value of the objective does not depend on it).
  /// strata : empty or length n codes; rows of different codes never share a risk set.
  CoxPartialLikelihood(const SurvData& surv, const Eigen::MatrixXd& x,
                       const std::vector<std::int32_t>& strata, Ties ties);

  /// As above, but takes `x` over (permuted in place, no copy) and transforms column j
  /// to (x - centre[j]) * scale[j] (both length p), the centring and scaling of
  /// coxfit6.c, so that the objective is that of the transformed covariates.
  CoxPartialLikelihood(const SurvData& surv, Eigen::MatrixXd&& x,
                       const std::vector<std::int32_t>& strata, Ties ties,
                       const Eigen::VectorXd& centre, const Eigen::VectorXd& scale);

  std::size_t n() const { return time_.size(); }
  std::size_t p() const { return static_cast<std::size_t>(x_.cols()); }

  /// Log partial likelihood at beta (length p).  When non-null, `score` receives the
  /// gradient U(beta) (length p) and `information` the observed information
  /// -d2 loglik / d beta2 (p x p, symmetric).  Breslow or Efron ties as constructed,
  /// case weights as R's (each tied death carries its own weight; Efron downweights the
  /// tied deaths' risk by k / d, R's "wtave" version).
  double eval(const Eigen::VectorXd& beta, Eigen::VectorXd* score,
              Eigen::MatrixXd* information) const;

  /// Score residuals at beta, n x p in input row order, unweighted: the same numbers as
  /// residuals(fit, type = "score", weighted = FALSE) in R (coxscore2.c), computed with
  /// forward cumulative hazards instead of coxscore2's rescan of the risk set, so O(n p).
  /// Row i times weight i, summed over i, is U(beta).
  Eigen::MatrixXd score_residuals(const Eigen::VectorXd& beta) const;

  /// The linear predictor x_k' beta of every row, in sorted order (length n).
  std::vector<double> linear_predictor(const Eigen::VectorXd& beta) const;

  /// Frees the covariates once no further evaluation is needed (eval, score_residuals
  /// and linear_predictor must not be called afterwards); the sorted outcomes stay.
  void release_covariates() { Eigen::MatrixXd().swap(x_); }

  /// sorted position -> input row.
  const std::vector<std::uint32_t>& order() const { return order_; }
  /// In sorted order: times, status, case weights (empty = all 1) and stratum ends
  /// (1 = last row of its stratum), for kernels that need the same sort (concordance).
  const std::vector<double>& sorted_time() const { return time_; }
  const std::vector<std::uint8_t>& sorted_status() const { return status_; }
  const std::vector<double>& sorted_weight() const { return weight_; }
  const std::vector<std::uint8_t>& stratum_end() const { return stratum_end_; }

 private:
  double w(std::size_t k) const { return weight_.empty() ? 1.0 : weight_[k]; }
  /// eval() for p == P fixed at compile time (P = 0: any p).
  template <int P>
  double eval_fixed(const Eigen::VectorXd& beta, Eigen::VectorXd* score, Eigen::MatrixXd* information) const;

  Ties ties_;
  std::vector<std::uint32_t> order_;
  // In sorted order:
  std::vector<double> time_;
  std::vector<std::uint8_t> status_;
  std::vector<double> weight_;             // empty = unweighted
  std::vector<std::uint8_t> stratum_end_;  // 1 = last row of its stratum
  Eigen::MatrixXd x_;                      // n x p: row k = covariates of sorted row k
};

}  // namespace survkit::cox
