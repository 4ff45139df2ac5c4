#include "regression/logistic/pivoted_qr.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "stats/parallel.hpp"

namespace survkit::logistic {

namespace {

// Applies the Householder reflection of column l (rows l..n-1, m = n - l of them) to
// every later column j:  t_j = -<v, x_j> / v_0;  x_j += t_j v,  as dqrdc2 does one
// column after the other.  The dot products do not depend on each other's updates, so
// all of them can be taken in one pass over the rows and all updates in a second one,
// reading v once per pass instead of twice per column: on a 1e6 x 11 design this
// memory traffic is most of the cost of the QR.
//
// The results must stay bit-identical to the straightforward Eigen code (kept below as
// the fallback and for short columns), so that the fitted values, the rank decisions
// and every printed digit are unchanged.  Eigen 3.4 sums a dot product of two column
// segments (no direct access, so its first "aligned" index is 0) as two packet
// accumulators over rows [0, 2P), [2P, 4P), ... (P = packet size), then acc0 + acc1,
// plus one more packet if one is left, then the lanes summed (SSE2: lane 0 + lane 1),
// then the remaining rows one by one.  The fused kernel keeps exactly those partial
// sums per column, chunk after chunk of rows (which does not change any sum's order).
// It is used only for that layout -- SSE2 packets of 2 doubles, no FMA contraction
// (the product and the sum are separately rounded, in Eigen as here); any other build
// takes the Eigen code.
#if defined(EIGEN_VECTORIZE_SSE2) && !defined(EIGEN_VECTORIZE_AVX) && !defined(__FMA__) && \
    !defined(EIGEN_DONT_VECTORIZE)
constexpr bool kFusedLayout = Eigen::internal::packet_traits<double>::size == 2;
#else
constexpr bool kFusedLayout = false;
#endif

// The reflection of column l applied to columns [first, last) (first > l).
void apply_householder_to(Eigen::MatrixXd& x, Eigen::Index l, Eigen::Index m, Eigen::Index first,
                          Eigen::Index last) {
  const Eigen::Index k = last - first;  // columns to transform
  constexpr Eigen::Index kMaxFused = 32, kChunk = 1024;
  if (!kFusedLayout || m < 16 || k > kMaxFused) {
    for (Eigen::Index j = first; j < last; ++j) {
      const double t = -x.col(l).tail(m).dot(x.col(j).tail(m)) / x(l, l);
      x.col(j).tail(m) += t * x.col(l).tail(m);
    }
    return;
  }
  const double* v = x.col(l).data() + l;
  std::array<double*, kMaxFused> c{};
  for (Eigen::Index j = 0; j < k; ++j) c[static_cast<std::size_t>(j)] = x.col(first + j).data() + l;
  // Per column: lanes 0, 1 of Eigen's packet_res0 and of packet_res1.
  std::array<std::array<double, 4>, kMaxFused> acc{};
  const Eigen::Index end2 = (m / 4) * 4;  // alignedEnd2 for P = 2
  const Eigen::Index end1 = (m / 2) * 2;  // alignedEnd
  for (Eigen::Index j = 0; j < k; ++j) {
    const double* cj = c[static_cast<std::size_t>(j)];
    auto& a = acc[static_cast<std::size_t>(j)];
    a = {v[0] * cj[0], v[1] * cj[1], v[2] * cj[2], v[3] * cj[3]};
  }
  for (Eigen::Index r0 = 4; r0 < end2; r0 += kChunk) {
    const Eigen::Index r1 = std::min(end2, r0 + kChunk);
    for (Eigen::Index j = 0; j < k; ++j) {
      const double* cj = c[static_cast<std::size_t>(j)];
      double a0 = acc[static_cast<std::size_t>(j)][0], a1 = acc[static_cast<std::size_t>(j)][1];
      double a2 = acc[static_cast<std::size_t>(j)][2], a3 = acc[static_cast<std::size_t>(j)][3];
      for (Eigen::Index i = r0; i < r1; i += 4) {
        a0 += v[i] * cj[i];
        a1 += v[i + 1] * cj[i + 1];
        a2 += v[i + 2] * cj[i + 2];
        a3 += v[i + 3] * cj[i + 3];
      }
      acc[static_cast<std::size_t>(j)] = {a0, a1, a2, a3};
    }
  }
  std::array<double, kMaxFused> t{};
  for (Eigen::Index j = 0; j < k; ++j) {
    const double* cj = c[static_cast<std::size_t>(j)];
    const auto& a = acc[static_cast<std::size_t>(j)];
    double r0 = a[0] + a[2], r1 = a[1] + a[3];
    if (end1 > end2) {
      r0 += v[end2] * cj[end2];
      r1 += v[end2 + 1] * cj[end2 + 1];
    }
    double dot = r0 + r1;
    for (Eigen::Index i = end1; i < m; ++i) dot += v[i] * cj[i];
    t[static_cast<std::size_t>(j)] = -dot / v[0];
  }
  for (Eigen::Index r0 = 0; r0 < m; r0 += kChunk) {
    const Eigen::Index r1 = std::min(m, r0 + kChunk);
    for (Eigen::Index j = 0; j < k; ++j) {
      double* cj = c[static_cast<std::size_t>(j)];
      const double tj = t[static_cast<std::size_t>(j)];
      for (Eigen::Index i = r0; i < r1; ++i) cj[i] += tj * v[i];
    }
  }
}

// The reflection of column l applied to every later column.  Each column's arithmetic
// is its own, so on long columns the later columns are split in two halves done at the
// same time (stats/parallel.hpp): the same operations in the same order per column,
// bit-identical whatever the thread count.  Short columns stay on one thread.
void apply_householder(Eigen::MatrixXd& x, Eigen::Index l, Eigen::Index m) {
  const Eigen::Index p = x.cols();
  const Eigen::Index k = p - l - 1;
  if (m < static_cast<Eigen::Index>(parallel::kMinRangeRows) || k < 2) {
    apply_householder_to(x, l, m, l + 1, p);
    return;
  }
  const Eigen::Index mid = l + 1 + k / 2;
  parallel::both([&] { apply_householder_to(x, l, m, l + 1, mid); },
                 [&] { apply_householder_to(x, l, m, mid, p); });
}

}  // namespace

PivotedQr pivoted_qr(Eigen::MatrixXd x, double tol) {
  // Contract: x is n x p, column-major, finite.  Indices below are 0-based versions of
  // dqrdc2's 1-based ones; the statement order follows the Fortran so that the rank
  // decisions (and the rounding) are the same as R's.
  const Eigen::Index n = x.rows();
  const Eigen::Index p = x.cols();
  PivotedQr out;
  out.qraux.assign(static_cast<std::size_t>(p), 0.0);
  out.pivot.resize(static_cast<std::size_t>(p));
  for (Eigen::Index j = 0; j < p; ++j) out.pivot[static_cast<std::size_t>(j)] = static_cast<int>(j);
  std::vector<double>& qraux = out.qraux;
  std::vector<double> work1(static_cast<std::size_t>(p)), work2(static_cast<std::size_t>(p));
  if (n > 0) {
    // The columns' norms: independent, parallel tasks on long columns.
    parallel::for_each_task(static_cast<std::size_t>(p), static_cast<std::size_t>(n),
                            [&](std::size_t uj) { qraux[uj] = x.col(static_cast<Eigen::Index>(uj)).norm(); });
    for (Eigen::Index j = 0; j < p; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      work1[uj] = qraux[uj];
      work2[uj] = qraux[uj] == 0.0 ? 1.0 : qraux[uj];  // original norm, for the tolerance
    }
  }
  const Eigen::Index lup = std::min(n, p);
  Eigen::Index k = p + 1;  // 1-based position after the last non-negligible column
  for (Eigen::Index l = 0; l < lup; ++l) {
    const auto ul = static_cast<std::size_t>(l);
    // Move negligible columns (norm fallen below tol * original norm) to the end,
    // shifting the later columns left; "l + 1 < k" avoids cycling forever.
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
    if (l == n - 1) continue;  // last row: no transformation needed
    const Eigen::Index m = n - l;
    double nrmxl = x.col(l).tail(m).norm();
    if (nrmxl == 0.0) continue;
    if (x(l, l) != 0.0) nrmxl = std::copysign(nrmxl, x(l, l));
    const double scale = 1.0 / nrmxl;
    double* vl = x.col(l).data() + l;
    parallel::for_each_range(static_cast<std::size_t>(m), [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) vl[i] *= scale;
    });
    x(l, l) = 1.0 + x(l, l);
    apply_householder(x, l, m);
    for (Eigen::Index j = l + 1; j < p; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      if (qraux[uj] != 0.0) {
        double tt = 1.0 - std::pow(std::abs(x(l, j)) / qraux[uj], 2);
        tt = std::max(tt, 0.0);
        // R (9/99): recompute the norm after a large reduction instead of downdating,
        // because the downdate loses accuracy and the rank decision depends on it.
        if (std::abs(tt) >= 1e-6) {
          qraux[uj] = qraux[uj] * std::sqrt(tt);
        } else {
          qraux[uj] = x.col(j).tail(m - 1).norm();
          work1[uj] = qraux[uj];
        }
      }
    }
    qraux[ul] = x(l, l);
    x(l, l) = -nrmxl;
  }
  out.rank = static_cast<int>(std::min(k - 1, n));
  out.qr = std::move(x);
  return out;
}

Eigen::VectorXd qr_coefficients(const PivotedQr& qr, Eigen::Ref<Eigen::VectorXd> y) {
  // Contract: y has length n = qr.qr.rows().  Applies Q' to y (dqrsl's qty), then
  // solves R b = (Q'y)[0:rank) by column-oriented back substitution, as dqrsl does.
  const Eigen::MatrixXd& x = qr.qr;
  const Eigen::Index n = x.rows();
  const Eigen::Index p = x.cols();
  const Eigen::Index k = qr.rank;
  Eigen::VectorXd b = Eigen::VectorXd::Zero(p);
  if (k == 0) return b;
  const Eigen::Index ju = std::min(k, n - 1);
  for (Eigen::Index j = 0; j < ju; ++j) {
    const double qa = qr.qraux[static_cast<std::size_t>(j)];
    if (qa == 0.0) continue;
    const Eigen::Index m = n - j;
    // The Householder vector is (qraux[j], x(j+1:n, j)).
    const double dot = qa * y(j) + x.col(j).tail(m - 1).dot(y.tail(m - 1));
    const double t = -dot / qa;
    y(j) += t * qa;
    y.tail(m - 1) += t * x.col(j).tail(m - 1);
  }
  b.head(k) = y.head(k);
  for (Eigen::Index j = k - 1; j >= 0; --j) {
    b(j) /= x(j, j);
    if (j > 0) b.head(j) -= b(j) * x.col(j).head(j);
  }
  return b;
}

Eigen::MatrixXd unscaled_covariance(const PivotedQr& qr) {
  const Eigen::Index k = qr.rank;
  const Eigen::MatrixXd r = qr.qr.topLeftCorner(k, k).triangularView<Eigen::Upper>();
  const Eigen::MatrixXd rinv =
      r.triangularView<Eigen::Upper>().solve(Eigen::MatrixXd::Identity(k, k));
  return rinv * rinv.transpose();
}

}  // namespace survkit::logistic
