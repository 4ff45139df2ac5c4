// Internal: the least-squares kernel of R's glm.fit / lm.fit (C_Cdqrls), i.e. LINPACK
// dqrdc2 (Householder QR with R's "limited column pivoting") followed by dqrsl.
//
// Why not Eigen's ColPivHouseholderQR: R does not pivot by largest norm.  dqrdc2 keeps
// the columns in their given order and only moves a column to the end when its norm,
// after the previous Householder steps, has fallen below tol times its original norm.
// Which term R reports as aliased (the later of two collinear columns) follows from
// that rule, so it is reproduced literally here.
#pragma once

#include <Eigen/Dense>
#include <vector>

namespace survkit::logistic {

/// A pivoted QR decomposition in LINPACK's compact form.
///  qr    : n x p; upper triangle = R (of the pivoted columns), below the diagonal the
///          Householder vectors (their first components are in qraux).
///  qraux : length p.
///  pivot : length p, 0-based original column of each pivoted column.
///  rank  : number of columns not declared negligible; columns rank..p-1 are aliased.
struct PivotedQr {
  Eigen::MatrixXd qr;
  std::vector<double> qraux;
  std::vector<int> pivot;
  int rank = 0;
};

/// dqrdc2 on x (n x p, any n, p), relative rank tolerance `tol` (glm.fit passes
/// min(1e-7, epsilon / 1000)).  O(n p^2).
PivotedQr pivoted_qr(Eigen::MatrixXd x, double tol);

/// dqrsl (job 1110) + zero fill as dqrls: least-squares coefficients for response y
/// (length n), in PIVOTED order: entry j belongs to column pivot[j]; entries
/// rank..p-1 are 0.  O(n p).  y is overwritten (with Q'y): callers pass scratch, so
/// that an iterative fit reuses one n-vector instead of faulting in a new one each time.
Eigen::VectorXd qr_coefficients(const PivotedQr& qr, Eigen::Ref<Eigen::VectorXd> y);

/// (R'R)^{-1} of the leading rank x rank block of R (R's chol2inv(qr$qr[1:k, 1:k])),
/// in pivoted order: the unscaled covariance matrix of summary.glm.
Eigen::MatrixXd unscaled_covariance(const PivotedQr& qr);

}  // namespace survkit::logistic
