#include "survival/cox/cox_cholesky.hpp"

#include <cmath>

namespace survkit::cox {

int cholesky2(Eigen::MatrixXd& m, double toler) {
  const Eigen::Index n = m.rows();
  int nonneg = 1;
  double eps = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    if (m(i, i) > eps) eps = m(i, i);
    for (Eigen::Index j = i + 1; j < n; ++j) m(j, i) = m(i, j);
  }
  // Every column constant (no positive diagonal): rank 0.
  if (eps == 0) return 0;
  eps *= toler;  // the tolerance is relative to the largest diagonal element

  int rank = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double pivot = m(i, i);
    if (std::isnan(pivot) || std::isinf(pivot) || pivot < eps) {
      m(i, i) = 0;
      if (pivot < -8 * eps) nonneg = -1;
    } else {
      ++rank;
      for (Eigen::Index j = i + 1; j < n; ++j) {
        const double temp = m(j, i) / pivot;
        m(j, i) = temp;
        m(j, j) -= temp * temp * pivot;
        for (Eigen::Index k = j + 1; k < n; ++k) m(k, j) -= temp * m(k, i);
      }
    }
  }
  return rank * nonneg;
}

void chsolve2(const Eigen::MatrixXd& m, Eigen::VectorXd& y) {
  const Eigen::Index n = m.rows();
  for (Eigen::Index i = 0; i < n; ++i) {  // solve F b = y
    double temp = y[i];
    for (Eigen::Index j = 0; j < i; ++j) temp -= y[j] * m(i, j);
    y[i] = temp;
  }
  for (Eigen::Index i = n - 1; i >= 0; --i) {  // solve D F' z = b
    if (m(i, i) == 0) {
      y[i] = 0;
    } else {
      double temp = y[i] / m(i, i);
      for (Eigen::Index j = i + 1; j < n; ++j) temp -= y[j] * m(j, i);
      y[i] = temp;
    }
  }
}

void chinv2(Eigen::MatrixXd& m) {
  const Eigen::Index n = m.rows();
  // Invert the Cholesky factor in the lower triangle (unit diagonal of F).
  for (Eigen::Index i = 0; i < n; ++i) {
    if (m(i, i) > 0) {
      m(i, i) = 1 / m(i, i);  // inverts D
      for (Eigen::Index j = i + 1; j < n; ++j) {
        m(j, i) = -m(j, i);
        for (Eigen::Index k = 0; k < i; ++k) m(j, k) += m(j, i) * m(i, k);  // sweep
      }
    }
  }
  // F' D F gives the inverse of the original matrix.
  for (Eigen::Index i = 0; i < n; ++i) {
    if (m(i, i) == 0) {  // redundant column: zero row and column
      for (Eigen::Index j = 0; j < i; ++j) m(j, i) = 0;
      for (Eigen::Index j = i; j < n; ++j) m(i, j) = 0;
    } else {
      for (Eigen::Index j = i + 1; j < n; ++j) {
        const double temp = m(j, i) * m(j, j);
        m(i, j) = temp;
        for (Eigen::Index k = i; k < j; ++k) m(i, k) += temp * m(j, k);
      }
    }
  }
}

Eigen::MatrixXd chinv2_symmetric(const Eigen::MatrixXd& m) {
  const Eigen::Index n = m.rows();
  Eigen::MatrixXd out(n, n);
  for (Eigen::Index i = 0; i < n; ++i) {
    out(i, i) = m(i, i);
    for (Eigen::Index j = i + 1; j < n; ++j) out(i, j) = out(j, i) = m(i, j);
  }
  return out;
}

double wald_quadratic_form(const Eigen::MatrixXd& v, const Eigen::VectorXd& b, double toler,
                           int* df) {
  // coxph.wtest short-cuts the 1 x 1 case without any tolerance.
  if (v.rows() == 1) {
    if (df) *df = 1;
    return b[0] * b[0] / v(0, 0);
  }
  // Equilibrated by powers of two, S V S and S b with S = diag(2^-e_i), 2^(2 e_i) ~ v_ii:
  // the form is the same, and since scaling by powers of two is exact, so is every
  // rounding of the factorisation; only the relative pivot tolerance now sees the
  // coefficients on comparable scales.  Without it a covariate in units of ~1e8 (variance
  // ~1e-16 of the others') was declared singular and dropped from the test.
  const Eigen::Index n = v.rows();
  Eigen::VectorXd s = Eigen::VectorXd::Ones(n);
  for (Eigen::Index i = 0; i < n; ++i)
    if (std::isfinite(v(i, i)) && v(i, i) > 0) s[i] = std::ldexp(1.0, -(std::ilogb(v(i, i)) / 2));
  Eigen::MatrixXd work(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) work(i, j) = v(i, j) * s[i] * s[j];
  cholesky2(work, toler);
  int count = 0;
  for (Eigen::Index i = 0; i < work.rows(); ++i)
    if (work(i, i) > 0) ++count;
  const Eigen::VectorXd bs = b.cwiseProduct(s);
  Eigen::VectorXd solve = bs;
  chsolve2(work, solve);
  if (df) *df = count;
  return bs.dot(solve);
}

}  // namespace survkit::cox
