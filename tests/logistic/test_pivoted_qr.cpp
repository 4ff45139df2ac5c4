// pivoted_qr (LINPACK dqrdc2, R's limited column pivoting) against the literal
// column-after-column Eigen code it replaced, bit for bit.  pivoted_qr takes all of a
// step's dot products in one pass and the next step's dot products in the same pass as
// this step's updates (fused kernels, SSE2 builds only); every sum must still be formed
// in the same order from the same values, so the decomposition, the pivots and the rank
// must be *identical* -- not close -- to the plain code, on long columns (two threads,
// the fused path), short ones (the plain path and the switch between them near 16 rows)
// and with negligible columns moved to the end.  The same for the Q'y of qr_coefficients
// (dqrsl's, each step's dot product taken in the previous step's pass over y).
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "regression/logistic/pivoted_qr.hpp"

namespace {

using survkit::logistic::PivotedQr;
using survkit::logistic::pivoted_qr;
using survkit::logistic::qr_coefficients;

// dqrdc2 as written in LINPACK / R, one column after the other with Eigen expressions.
PivotedQr reference_qr(Eigen::MatrixXd x, double tol) {
  const Eigen::Index n = x.rows(), p = x.cols();
  PivotedQr out;
  out.qraux.assign(static_cast<std::size_t>(p), 0.0);
  out.pivot.resize(static_cast<std::size_t>(p));
  std::vector<double> work1(static_cast<std::size_t>(p)), work2(static_cast<std::size_t>(p));
  for (Eigen::Index j = 0; j < p; ++j) {
    const auto uj = static_cast<std::size_t>(j);
    out.pivot[uj] = static_cast<int>(j);
    out.qraux[uj] = n > 0 ? x.col(j).norm() : 0.0;
    work1[uj] = out.qraux[uj];
    work2[uj] = out.qraux[uj] == 0.0 ? 1.0 : out.qraux[uj];
  }
  auto& qraux = out.qraux;
  Eigen::Index k = p + 1;
  for (Eigen::Index l = 0; l < std::min(n, p); ++l) {
    const auto ul = static_cast<std::size_t>(l);
    while (l + 1 < k && qraux[ul] < work2[ul] * tol) {
      Eigen::VectorXd t = x.col(l);
      for (Eigen::Index j = l + 1; j < p; ++j) x.col(j - 1) = x.col(j);
      x.col(p - 1) = t;
      const int piv = out.pivot[ul];
      const double q = qraux[ul], w1 = work1[ul], w2 = work2[ul];
      for (Eigen::Index j = l + 1; j < p; ++j) {
        const auto uj = static_cast<std::size_t>(j);
        out.pivot[uj - 1] = out.pivot[uj];
        qraux[uj - 1] = qraux[uj];
        work1[uj - 1] = work1[uj];
        work2[uj - 1] = work2[uj];
      }
      const auto last = static_cast<std::size_t>(p - 1);
      out.pivot[last] = piv;
      qraux[last] = q;
      work1[last] = w1;
      work2[last] = w2;
      --k;
    }
    if (l == n - 1) continue;
    const Eigen::Index m = n - l;
    double nrmxl = x.col(l).tail(m).norm();
    if (nrmxl == 0.0) continue;
    if (x(l, l) != 0.0) nrmxl = std::copysign(nrmxl, x(l, l));
    x.col(l).tail(m) *= 1.0 / nrmxl;
    x(l, l) = 1.0 + x(l, l);
    for (Eigen::Index j = l + 1; j < p; ++j) {
      const double t = -x.col(l).tail(m).dot(x.col(j).tail(m)) / x(l, l);
      x.col(j).tail(m) += t * x.col(l).tail(m);
      const auto uj = static_cast<std::size_t>(j);
      if (qraux[uj] == 0.0) continue;
      double tt = std::max(1.0 - std::pow(std::abs(x(l, j)) / qraux[uj], 2), 0.0);
      if (std::abs(tt) >= 1e-6) {
        qraux[uj] = qraux[uj] * std::sqrt(tt);
      } else {
        qraux[uj] = x.col(j).tail(m - 1).norm();
        work1[uj] = qraux[uj];
      }
    }
    qraux[ul] = x(l, l);
    x(l, l) = -nrmxl;
  }
  out.rank = static_cast<int>(std::min(k - 1, n));
  out.qr = std::move(x);
  return out;
}

bool same_bits(const double* a, const double* b, std::size_t n) { return std::memcmp(a, b, n * sizeof(double)) == 0; }

// dqrsl's Q'y, one step after the other with Eigen expressions (qr_coefficients takes
// each step's dot product in the previous step's pass).  The back substitution that
// follows it in qr_coefficients is unchanged code: equal Q'y (and equal R) give equal
// coefficients, so Q'y is what is compared.
Eigen::VectorXd reference_qty(const PivotedQr& qr, Eigen::VectorXd y) {
  const Eigen::MatrixXd& x = qr.qr;
  const Eigen::Index n = x.rows(), k = qr.rank;
  for (Eigen::Index j = 0; j < std::min(k, n - 1); ++j) {
    const double qa = qr.qraux[static_cast<std::size_t>(j)];
    if (qa == 0.0) continue;
    const Eigen::Index m = n - j;
    const double dot = qa * y(j) + x.col(j).tail(m - 1).dot(y.tail(m - 1));
    const double t = -dot / qa;
    y(j) += t * qa;
    y.tail(m - 1) += t * x.col(j).tail(m - 1);
  }
  return y;
}

void expect_identical(const Eigen::MatrixXd& x, const char* what) {
  const double tol = 1e-7;
  const PivotedQr a = pivoted_qr(x, tol), b = reference_qr(x, tol);
  ASSERT_EQ(a.rank, b.rank) << what;
  EXPECT_EQ(a.pivot, b.pivot) << what;
  ASSERT_EQ(a.qraux.size(), b.qraux.size()) << what;
  EXPECT_TRUE(same_bits(a.qraux.data(), b.qraux.data(), a.qraux.size())) << what << ": qraux differs";
  ASSERT_EQ(a.qr.size(), b.qr.size()) << what;
  EXPECT_TRUE(same_bits(a.qr.data(), b.qr.data(), static_cast<std::size_t>(a.qr.size()))) << what << ": qr differs";
  // Q'y of a response, which qr_coefficients leaves in y, on every one of its n entries.
  Eigen::VectorXd y(x.rows());
  for (Eigen::Index i = 0; i < y.size(); ++i) y(i) = std::sin(0.37 * static_cast<double>(i)) + 0.01 * static_cast<double>(i % 7);
  Eigen::VectorXd qty = y;
  qr_coefficients(a, qty);
  const Eigen::VectorXd want = reference_qty(b, y);
  ASSERT_EQ(qty.size(), want.size()) << what;
  EXPECT_TRUE(same_bits(qty.data(), want.data(), static_cast<std::size_t>(qty.size()))) << what << ": Q'y differs";
}

// An intercept and p - 1 columns of weighted normal deviates (like sqrt(w) * X in IRLS).
Eigen::MatrixXd design(Eigen::Index n, Eigen::Index p, std::uint64_t seed) {
  std::mt19937_64 g(seed);
  std::normal_distribution<double> z;
  std::uniform_real_distribution<double> u(0.05, 0.5);
  Eigen::MatrixXd x(n, p);
  for (Eigen::Index i = 0; i < n; ++i) {
    const double w = std::sqrt(u(g));
    x(i, 0) = w;
    for (Eigen::Index j = 1; j < p; ++j) x(i, j) = w * (z(g) + 0.3 * static_cast<double>(j));
  }
  return x;
}

TEST(PivotedQr, LongColumnsBitIdenticalToColumnByColumn) {
  // 40,000 rows: above stats/parallel.hpp's kMinRangeRows, so the column halves run on
  // two threads; odd and even row counts move Eigen's packet boundaries.
  expect_identical(design(40000, 11, 1), "40000 x 11");
  expect_identical(design(40001, 11, 2), "40001 x 11");
  expect_identical(design(40003, 3, 3), "40003 x 3");
  expect_identical(design(40002, 2, 4), "40002 x 2");
}

TEST(PivotedQr, ShortColumnsAndTheSwitchBetweenKernels) {
  // The fused kernels need >= 16 rows: with n near p + 16 the last steps switch kernels.
  for (Eigen::Index n : {5, 12, 17, 18, 19, 20, 27, 33, 101})
    for (Eigen::Index p : {1, 2, 5, 9}) {
      if (n < p) continue;
      expect_identical(design(n, p, static_cast<std::uint64_t>(100 * n + p)), "short design");
    }
  // More columns than the fused kernels take at once (32): the plain code throughout.
  expect_identical(design(300, 40, 7), "300 x 40");
}

TEST(PivotedQr, NegligibleColumnsMovedToTheEndAsR) {
  // Column 3 = column 1 + column 2 and column 6 = 2 * column 4: both aliased (moved to
  // the end), so the prepared next step must be given up when its column is negligible.
  for (Eigen::Index n : {60, 40000}) {
    Eigen::MatrixXd x = design(n, 8, 11);
    x.col(3) = x.col(1) + x.col(2);
    x.col(6) = 2.0 * x.col(4);
    expect_identical(x, "collinear");
    const PivotedQr a = pivoted_qr(x, 1e-7);
    EXPECT_EQ(a.rank, 6);
    EXPECT_EQ(a.pivot[6], 3);
    EXPECT_EQ(a.pivot[7], 6);
  }
  // A zero column: no reflection at its step.
  Eigen::MatrixXd z = design(500, 5, 12);
  z.col(2).setZero();
  expect_identical(z, "zero column");
}

}  // namespace
