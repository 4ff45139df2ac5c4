#include "regression/logistic/pivoted_qr.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

#include "stats/parallel.hpp"

namespace survkit::logistic {

namespace {

// Applies the Householder reflection of column l (rows l..n-1, m = n - l of them) to
// every later column j:  t_j = -<v, x_j> / v_0;  x_j += t_j v,  as dqrdc2 does one
// column after the other.  The dot products do not depend on each other's updates, so
// all of them can be taken in one pass over the rows (reflection_factors).  The pass of
// updates (reflect) then also takes the next step's dot products, row by row just after
// each row's update, once column l + 1 has been reflected and made the next vector: one
// pass over the later columns per step instead of two per column.  On a 1e6 x 11 design
// this memory traffic is most of the cost of the QR.
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

constexpr Eigen::Index kMaxFused = 32, kChunk = 1024;

// Eigen's partial sums of one dot product <u, c> (see above): lanes 0, 1 of packet_res0
// and of packet_res1, over rows [0, end2) of the two segments.
using DotLanes = std::array<double, 4>;

// The dot product from its lanes and the rows past end2 (m rows in all), in Eigen's order.
double finish_dot(const DotLanes& a, const double* u, const double* c, Eigen::Index m) {
  const Eigen::Index end2 = (m / 4) * 4, end1 = (m / 2) * 2;
  double r0 = a[0] + a[2], r1 = a[1] + a[3];
  if (end1 > end2) {
    r0 += u[end2] * c[end2];
    r1 += u[end2 + 1] * c[end2 + 1];
  }
  double dot = r0 + r1;
  for (Eigen::Index i = end1; i < m; ++i) dot += u[i] * c[i];
  return dot;
}

// The factors t_j = -<v, x_j> / v_0 of the reflection of column l (rows l..n-1, m of
// them) for the columns [first, last), all dot products in one pass over the rows.
void reflection_factors(const Eigen::MatrixXd& x, Eigen::Index l, Eigen::Index m, Eigen::Index first,
                        Eigen::Index last, double* t) {
  const Eigen::Index k = last - first;
  const double* v = x.col(l).data() + l;
  std::array<const double*, kMaxFused> c{};
  for (Eigen::Index j = 0; j < k; ++j) c[static_cast<std::size_t>(j)] = x.col(first + j).data() + l;
  std::array<DotLanes, kMaxFused> acc{};
  const Eigen::Index end2 = (m / 4) * 4;  // alignedEnd2 for P = 2
  for (Eigen::Index j = 0; j < k; ++j) {
    const double* cj = c[static_cast<std::size_t>(j)];
    acc[static_cast<std::size_t>(j)] = {v[0] * cj[0], v[1] * cj[1], v[2] * cj[2], v[3] * cj[3]};
  }
  for (Eigen::Index r0 = 4; r0 < end2; r0 += kChunk) {
    const Eigen::Index r1 = std::min(end2, r0 + kChunk);
    for (Eigen::Index j = 0; j < k; ++j) {
      const double* cj = c[static_cast<std::size_t>(j)];
      auto [a0, a1, a2, a3] = acc[static_cast<std::size_t>(j)];
      for (Eigen::Index i = r0; i < r1; i += 4) {
        a0 += v[i] * cj[i];
        a1 += v[i + 1] * cj[i + 1];
        a2 += v[i + 2] * cj[i + 2];
        a3 += v[i + 3] * cj[i + 3];
      }
      acc[static_cast<std::size_t>(j)] = {a0, a1, a2, a3};
    }
  }
  for (Eigen::Index j = 0; j < k; ++j)
    t[j] = -finish_dot(acc[static_cast<std::size_t>(j)], v, c[static_cast<std::size_t>(j)], m) / v[0];
}

// One column's pass of y[0, len) += t v[0, len) that also takes the next dot product
// <u, y[1, len)> (len - 1 terms, len >= 17) from the updated values, in Eigen's order,
// in three pieces so that reflect can run many columns chunk by chunk:
//  update_head: rows 0..4 updated, the lanes started with terms 0..3;
//  update_body: rows r0+1..r1 updated and their terms r0..r1-1 added (4 <= r0, r1 <= end2);
//  update_tail: the rows past end2 updated, the dot product finished (finish_dot).
[[gnu::always_inline]] inline DotLanes update_head(double* y, const double* v, double t, const double* u) {
  for (Eigen::Index i = 0; i < 5; ++i) y[i] += t * v[i];
  return {u[0] * y[1], u[1] * y[2], u[2] * y[3], u[3] * y[4]};
}

[[gnu::always_inline]] inline void update_body(double* y, const double* v, double t, const double* u, Eigen::Index r0,
                                               Eigen::Index r1, DotLanes& lanes) {
  double* y1 = y + 1;  // term i of the dot product is row i + 1
  const double* v1 = v + 1;
  auto [a0, a1, a2, a3] = lanes;
  for (Eigen::Index i = r0; i < r1; i += 4) {
    y1[i] += t * v1[i];
    y1[i + 1] += t * v1[i + 1];
    y1[i + 2] += t * v1[i + 2];
    y1[i + 3] += t * v1[i + 3];
    a0 += u[i] * y1[i];
    a1 += u[i + 1] * y1[i + 1];
    a2 += u[i + 2] * y1[i + 2];
    a3 += u[i + 3] * y1[i + 3];
  }
  lanes = {a0, a1, a2, a3};
}

[[gnu::always_inline]] inline double update_tail(double* y, const double* v, double t, const double* u, Eigen::Index len,
                                                 const DotLanes& lanes) {
  const Eigen::Index m1 = len - 1, end2 = (m1 / 4) * 4;
  for (Eigen::Index i = end2 + 1; i < len; ++i) y[i] += t * v[i];
  return finish_dot(lanes, u, y + 1, m1);
}

// y[0, len) += t v[0, len) and, in the same pass, the next step's dot product <u, y[1,
// len)> from the updated values: dqrsl's Q'y takes one pass over y per step instead of
// two.  Needs len >= 17.
double axpy_then_dot(double* y, const double* v, double t, Eigen::Index len, const double* u) {
  DotLanes lanes = update_head(y, v, t, u);
  update_body(y, v, t, u, 4, ((len - 1) / 4) * 4, lanes);
  return update_tail(y, v, t, u, len, lanes);
}

// x_j += t_j v over rows l..n-1 for the columns [first, last).  When `u_next` is set
// (the next reflection's vector, column l + 1 already reflected, scaled and with 1 added
// on its diagonal), the same pass also takes the next reflection's factors t_next_j from
// the freshly updated rows (the pieces of axpy_then_dot, chunk by chunk of rows for all
// the columns, so that v and u_next are read once per chunk): the next step's pass of
// dot products is saved, and every update and every partial sum is the same operation,
// in the same order, as in two separate passes.
void reflect(Eigen::MatrixXd& x, Eigen::Index l, Eigen::Index m, Eigen::Index first, Eigen::Index last,
             const double* t, const double* u_next, double* t_next) {
  const Eigen::Index k = last - first;
  const double* v = x.col(l).data() + l;
  std::array<double*, kMaxFused> c{};
  for (Eigen::Index j = 0; j < k; ++j) c[static_cast<std::size_t>(j)] = x.col(first + j).data() + l;
  if (u_next == nullptr) {
    for (Eigen::Index r0 = 0; r0 < m; r0 += kChunk) {
      const Eigen::Index r1 = std::min(m, r0 + kChunk);
      for (Eigen::Index j = 0; j < k; ++j) {
        double* cj = c[static_cast<std::size_t>(j)];
        const double tj = t[j];
        for (Eigen::Index i = r0; i < r1; ++i) cj[i] += tj * v[i];
      }
    }
    return;
  }
  const Eigen::Index end2 = ((m - 1) / 4) * 4;
  std::array<DotLanes, kMaxFused> acc{};
  for (Eigen::Index j = 0; j < k; ++j) acc[static_cast<std::size_t>(j)] = update_head(c[static_cast<std::size_t>(j)], v, t[j], u_next);
  for (Eigen::Index r0 = 4; r0 < end2; r0 += kChunk) {
    const Eigen::Index r1 = std::min(end2, r0 + kChunk);
    for (Eigen::Index j = 0; j < k; ++j)
      update_body(c[static_cast<std::size_t>(j)], v, t[j], u_next, r0, r1, acc[static_cast<std::size_t>(j)]);
  }
  for (Eigen::Index j = 0; j < k; ++j)
    t_next[j] = -update_tail(c[static_cast<std::size_t>(j)], v, t[j], u_next, m, acc[static_cast<std::size_t>(j)]) / u_next[0];
}

// Whether the fused kernels reproduce Eigen's arithmetic for a reflection over m rows
// applied to k columns (else the plain Eigen code below runs).
bool fused(Eigen::Index m, Eigen::Index k) { return kFusedLayout && m >= 16 && k <= kMaxFused; }

// The plain Eigen code: the reflection of column l applied to columns [first, last).
void reflect_plain(Eigen::MatrixXd& x, Eigen::Index l, Eigen::Index m, Eigen::Index first, Eigen::Index last) {
  for (Eigen::Index j = first; j < last; ++j) {
    const double t = -x.col(l).tail(m).dot(x.col(j).tail(m)) / x(l, l);
    x.col(j).tail(m) += t * x.col(l).tail(m);
  }
}

// Runs task(first, last) on the columns [first, last) of x: on long columns the columns
// are split in two halves done at the same time (stats/parallel.hpp).  Each column's
// arithmetic is its own: bit-identical whatever the thread count.
template <class Task>
void column_halves(Eigen::Index m, Eigen::Index first, Eigen::Index last, Task&& task) {
  const Eigen::Index k = last - first;
  if (m < static_cast<Eigen::Index>(parallel::kMinRangeRows) || k < 2) {
    task(first, last);
    return;
  }
  const Eigen::Index mid = first + k / 2;
  parallel::both([&] { task(first, mid); }, [&] { task(mid, last); });
}

// dqrdc2's state between its column steps (0-based), see pivoted_qr.
struct Dqrdc2 {
  Eigen::MatrixXd x;
  PivotedQr& out;
  std::vector<double> work1, work2;
  Eigen::Index k;  // 1-based position after the last non-negligible column
  // The next step's reflection, already prepared by the previous step's fused pass:
  // its norm and its factors for the later columns (index j - l - 1).
  bool prepared = false;
  double prepared_norm = 0;
  std::vector<double> t, t_next;

  Dqrdc2(Eigen::MatrixXd&& x_in, PivotedQr& o) : x(std::move(x_in)), out(o), k(x.cols() + 1) {
    const auto p = static_cast<std::size_t>(x.cols());
    work1.resize(p);
    work2.resize(p);
    t.resize(p);
    t_next.resize(p);
  }

  // Whether column l is negligible (norm fallen below tol * original norm) and is to be
  // moved to the end, the later columns shifted left; "l + 1 < k" avoids cycling forever.
  bool negligible(Eigen::Index l, double tol) const {
    const auto ul = static_cast<std::size_t>(l);
    return l + 1 < k && out.qraux[ul] < work2[ul] * tol;
  }
  void move_to_end(Eigen::Index l) {
    const Eigen::Index p = x.cols();
    const auto ul = static_cast<std::size_t>(l);
    Eigen::VectorXd col = x.col(l);
    for (Eigen::Index j = l + 1; j < p; ++j) x.col(j - 1) = x.col(j);
    x.col(p - 1) = col;
    const int piv = out.pivot[ul];
    const double q = out.qraux[ul], w1 = work1[ul], w2 = work2[ul];
    for (Eigen::Index j = l + 1; j < p; ++j) {
      const auto uj = static_cast<std::size_t>(j);
      out.pivot[uj - 1] = out.pivot[uj];
      out.qraux[uj - 1] = out.qraux[uj];
      work1[uj - 1] = work1[uj];
      work2[uj - 1] = work2[uj];
    }
    const auto last = static_cast<std::size_t>(p - 1);
    out.pivot[last] = piv;
    out.qraux[last] = q;
    work1[last] = w1;
    work2[last] = w2;
    --k;
  }

  // Column l's Householder vector over rows l..n-1 (m rows): returns its signed norm,
  // 0 when the column is already 0 there (no reflection).  `norm`: that norm, when the
  // pass that updated the column took it.
  double make_vector(Eigen::Index l, Eigen::Index m, const double* norm = nullptr) {
    double nrmxl = norm != nullptr ? *norm : x.col(l).tail(m).norm();
    if (nrmxl == 0.0) return 0.0;
    if (x(l, l) != 0.0) nrmxl = std::copysign(nrmxl, x(l, l));
    const double scale = 1.0 / nrmxl;
    double* vl = x.col(l).data() + l;
    parallel::for_each_range(static_cast<std::size_t>(m), [&](std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) vl[i] *= scale;
    });
    x(l, l) = 1.0 + x(l, l);
    return nrmxl;
  }

  // The column norms' downdate after the reflection of column l, for column j; `norm`:
  // column j's norm over rows l+1..n-1, when already taken.
  void downdate(Eigen::Index l, Eigen::Index j, Eigen::Index m, const double* norm = nullptr) {
    const auto uj = static_cast<std::size_t>(j);
    std::vector<double>& qraux = out.qraux;
    if (qraux[uj] == 0.0) return;
    double tt = 1.0 - std::pow(std::abs(x(l, j)) / qraux[uj], 2);
    tt = std::max(tt, 0.0);
    // R (9/99): recompute the norm after a large reduction instead of downdating,
    // because the downdate loses accuracy and the rank decision depends on it.
    if (std::abs(tt) >= 1e-6) {
      qraux[uj] = qraux[uj] * std::sqrt(tt);
    } else {
      qraux[uj] = norm != nullptr ? *norm : x.col(j).tail(m - 1).norm();
      work1[uj] = qraux[uj];
    }
  }

  void step(Eigen::Index l, double tol);
};

// One column step of dqrdc2 (after the pivoting of column l): column l's reflection
// applied to the later columns, then their norms downdated.
void Dqrdc2::step(Eigen::Index l, double tol) {
  const Eigen::Index n = x.rows(), p = x.cols(), m = n - l;
  const bool was_prepared = prepared;
  prepared = false;
  const double nrmxl = was_prepared ? prepared_norm : make_vector(l, m);
  if (nrmxl == 0.0) return;
  Eigen::Index first_downdate = l + 1;
  if (!fused(m, p - l - 1)) {
    column_halves(m, l + 1, p, [&](Eigen::Index a, Eigen::Index b) { reflect_plain(x, l, m, a, b); });
  } else if (l + 1 < p) {
    if (!was_prepared)
      column_halves(m, l + 1, p, [&](Eigen::Index a, Eigen::Index b) {
        reflection_factors(x, l, m, a, b, &t[static_cast<std::size_t>(a - l - 1)]);
      });
    // Column l + 1 first.  When the next step will reflect it (it is not moved to the
    // end, nor on the last row, nor 0), its vector is made now, and the next step's
    // factors are taken in this step's pass over the later columns.
    // Its norm over rows l+1..n-1 (what its downdate may and its vector will need) is
    // taken in the pass that updates it: Eigen's squaredNorm sums like a dot product of
    // the column with itself (finish_dot), then the square root.
    const Eigen::Index next = l + 1;
    double next_norm_value = 0;
    const double* next_norm = nullptr;
    if (fused(m - 1, 1)) {
      double* c = x.col(next).data() + l;
      next_norm_value = std::sqrt(axpy_then_dot(c, x.col(l).data() + l, t[0], m, c + 1));
      next_norm = &next_norm_value;
    } else {
      reflect(x, l, m, next, next + 1, t.data(), nullptr, nullptr);
    }
    downdate(l, next, m, next_norm);
    first_downdate = next + 1;
    const double* u_next = nullptr;
    if (next + 1 < p && next != n - 1 && !negligible(next, tol) && fused(m - 1, p - next - 1)) {
      prepared_norm = make_vector(next, m - 1, next_norm);
      prepared = prepared_norm != 0.0;
      if (prepared) u_next = x.col(next).data() + next;
    }
    column_halves(m, next + 1, p, [&](Eigen::Index a, Eigen::Index b) {
      reflect(x, l, m, a, b, &t[static_cast<std::size_t>(a - l - 1)], u_next,
              &t_next[static_cast<std::size_t>(a - next - 1)]);
    });
    if (prepared) std::swap(t, t_next);
  }
  for (Eigen::Index j = first_downdate; j < p; ++j) downdate(l, j, m);
  out.qraux[static_cast<std::size_t>(l)] = x(l, l);
  x(l, l) = -nrmxl;
}

}  // namespace

PivotedQr pivoted_qr(Eigen::MatrixXd x, double tol) {
  // Contract: x is n x p, column-major, finite.  Indices below are 0-based versions of
  // dqrdc2's 1-based ones; the statement order follows the Fortran so that the rank
  // decisions (and the rounding) are the same as R's.  The one liberty: a step's pass
  // over the later columns also takes the next step's dot products (Dqrdc2::step), each
  // sum still formed in the same order from the same values.
  const Eigen::Index n = x.rows();
  const Eigen::Index p = x.cols();
  PivotedQr out;
  out.qraux.assign(static_cast<std::size_t>(p), 0.0);
  out.pivot.resize(static_cast<std::size_t>(p));
  for (Eigen::Index j = 0; j < p; ++j) out.pivot[static_cast<std::size_t>(j)] = static_cast<int>(j);
  Dqrdc2 d(std::move(x), out);
  if (n > 0) {
    // The columns' norms: independent, parallel tasks on long columns.
    parallel::for_each_task(static_cast<std::size_t>(p), static_cast<std::size_t>(n), [&](std::size_t uj) {
      out.qraux[uj] = d.x.col(static_cast<Eigen::Index>(uj)).norm();
    });
    for (std::size_t j = 0; j < static_cast<std::size_t>(p); ++j) {
      d.work1[j] = out.qraux[j];
      d.work2[j] = out.qraux[j] == 0.0 ? 1.0 : out.qraux[j];  // original norm, for the tolerance
    }
  }
  const Eigen::Index lup = std::min(n, p);
  for (Eigen::Index l = 0; l < lup; ++l) {
    while (d.negligible(l, tol)) d.move_to_end(l);
    if (l == n - 1) continue;  // last row: no transformation needed
    d.step(l, tol);
  }
  out.rank = static_cast<int>(std::min(d.k - 1, n));
  out.qr = std::move(d.x);
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
  // The dot product of step j over rows j+1..n-1, when step j - 1's pass took it.
  double next_dot = 0;
  bool have_next = false;
  for (Eigen::Index j = 0; j < ju; ++j) {
    const double qa = qr.qraux[static_cast<std::size_t>(j)];
    const bool had = std::exchange(have_next, false);
    if (qa == 0.0) continue;
    const Eigen::Index m = n - j;
    // The Householder vector is (qraux[j], x(j+1:n, j)).
    const double dot = qa * y(j) + (had ? next_dot : x.col(j).tail(m - 1).dot(y.tail(m - 1)));
    const double t = -dot / qa;
    y(j) += t * qa;
    if (j + 1 < ju && qr.qraux[static_cast<std::size_t>(j + 1)] != 0.0 && fused(m - 2, 1)) {
      next_dot = axpy_then_dot(y.data() + j + 1, x.col(j).data() + j + 1, t, m - 1, x.col(j + 1).data() + j + 2);
      have_next = true;
    } else {
      y.tail(m - 1) += t * x.col(j).tail(m - 1);
    }
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
