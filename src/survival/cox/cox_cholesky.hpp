// Internal: the generalized Cholesky routines of R survival (cholesky2.c, chsolve2.c,
// chinv2.c), ported so that aliased columns, the score test and the variance are decided
// by exactly the same arithmetic as in coxph.
//
// Storage contract (that of the C code, with m(a, b) standing for matrix[a][b]):
//  * m is n x n.  The symmetric input lives in the diagonal and in m(i, j), i < j.
//  * cholesky2 writes C = F D F' into the other half: F (unit lower triangular) in
//    m(j, i), j > i, and D on the diagonal; m(i, j), i < j, is left untouched.
//  * A pivot below toler * (largest diagonal) marks its column as redundant: its D is set
//    to 0, and chsolve2 / chinv2 then give 0 for that coordinate (R's NA coefficient).
#pragma once

#include <Eigen/Dense>

namespace survkit::cox {

/// Factors m in place; returns the rank (negated when m is not non-negative definite).
int cholesky2(Eigen::MatrixXd& m, double toler);

/// Solves (F D F') b = y in place, with 0 for the redundant coordinates.
void chsolve2(const Eigen::MatrixXd& m, Eigen::VectorXd& y);

/// Replaces the factorization by the inverse (generalized: zero rows/columns for the
/// redundant coordinates), written to the diagonal and to m(i, j), i < j.
void chinv2(Eigen::MatrixXd& m);

/// Symmetric copy of the result of chinv2: out(i, j) = out(j, i) = m(min, max).
Eigen::MatrixXd chinv2_symmetric(const Eigen::MatrixXd& m);

/// R's coxph.wtest for one vector: b' V^- b with V^- the generalized inverse from
/// cholesky2(V, toler); `df` receives the number of non-redundant columns.
double wald_quadratic_form(const Eigen::MatrixXd& v, const Eigen::VectorXd& b, double toler,
                           int* df);

}  // namespace survkit::cox
