#include "core/robust/bounds.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/nn/matmul.h"
#include "core/robust/radius_search.h"

namespace bs {

const char* bound_name(BoundMethod m) {
  return m == BoundMethod::kIbp ? "ibp" : "crown";
}

BoundComputer::BoundComputer(const Params& p) : p_(p) {
  const Arch a = p.arch();
  for (Vec* v : {&box_lo_, &box_hi_, &center_, &radius_}) v->resize(a.in);
  for (Relaxation* r : {&relax1_, &relax2_}) {
    const int n = r == &relax1_ ? a.h1 : a.h2;
    r->lower_slope.resize(n);
    r->upper_slope.resize(n);
    r->upper_intercept.resize(n);
  }
  lam2_.resize(2 * a.h2, a.h1);
  a2_.resize(2 * a.h2, a.in);
  lam3_.resize(a.out, a.h2);
  lam3b_.resize(a.out, a.h1);
  a3_.resize(a.out, a.in);
  const2_.resize(2 * a.h2);
  lo2_.resize(2 * a.h2);
  const3_.resize(a.out);
  lo3_.resize(a.out);
  b_.l1.resize(a.h1);
  b_.u1.resize(a.h1);
  b_.l2.resize(a.h2);
  b_.u2.resize(a.h2);
  b_.margin.resize(a.out);
  gram_ = p.w1 * p.w1.transpose();
  abs_w1_ = p.w1.cwiseAbs();
  w1_norm_ = p.w1.rowwise().norm();
  w1_neg_sum_ = p.w1.cwiseMin(0.0f).rowwise().sum();
  w1_pos_sum_ = p.w1.cwiseMax(0.0f).rowwise().sum();
  const int most = std::max({2 * a.h2, a.h1, a.out});
  zero_ = Vec::Zero(most);
  ac_.resize(most);
  ar_.resize(most);
  lam_gram_.resize(2 * a.h2, a.h1);
  w1x_.resize(a.h1);
  unstable_.reserve(size_t(a.h2));
  live_.reserve(size_t(a.h1));
  w1_live_.resize(a.h1, a.in);
  lam_live_.resize(2 * a.h2, a.h1);
}

void BoundComputer::relax(Relaxation& r, const Vec& l, const Vec& u) {
  for (int k = 0; k < l.size(); ++k) {
    if (u[k] <= 0) {
      r.lower_slope[k] = r.upper_slope[k] = r.upper_intercept[k] = 0;
    } else if (l[k] >= 0) {
      r.lower_slope[k] = r.upper_slope[k] = 1;
      r.upper_intercept[k] = 0;
    } else {
      r.upper_slope[k] = u[k] / (u[k] - l[k]);
      r.upper_intercept[k] = -r.upper_slope[k] * l[k];
      r.lower_slope[k] = u[k] > -l[k] ? 1.0f : 0.0f;  // the line closer to the ReLU over [l, u]
    }
  }
}

// Branch-free (the signs are unpredictable) over contiguous rows, so that compilers vectorise it, WebAssembly
// included.
void BoundComputer::through_relu(Eigen::Ref<MatRM> lam, Eigen::Ref<Vec> constant, const Relaxation& r) {
  const int n = int(lam.cols());
  const float *ls = r.lower_slope.data(), *us = r.upper_slope.data(), *ui = r.upper_intercept.data();
  for (int i = 0; i < lam.rows(); ++i) {
    float* row = &lam(i, 0);
    float c = 0;
    for (int k = 0; k < n; ++k) {
      const float pos = std::max(row[k], 0.0f), neg = std::min(row[k], 0.0f);
      c += neg * ui[k];
      row[k] = pos * ls[k] + neg * us[k];
    }
    constant[i] += c;
  }
}

// In the page these products are most of a bound's time, and Eigen has no WebAssembly SIMD backend: they go
// through the network's kernels (matmul.h) with a batch of one.
void BoundComputer::linear_lower(float* a, int rows, Eigen::Ref<Vec> lo) {
  const int in = int(p_.w1.cols());
  if (norm_ == Norm::kLinf) {
    // a x' over the box [c - r, c + r] is at least a c - |a| r.
    matmul_forward(ac_.data(), nullptr, a, zero_.data(), center_.data(), rows, in, 1);
    for (int k = 0; k < rows * in; ++k) a[k] = std::fabs(a[k]);
    matmul_forward(ar_.data(), nullptr, a, zero_.data(), radius_.data(), rows, in, 1);
    lo = ac_.head(rows) - ar_.head(rows);
    return;
  }
  const Eigen::Map<const MatRM> am(a, rows, in);
  const Eigen::Map<const Vec> x(x_, in);
  for (int i = 0; i < rows; ++i) {
    const auto row = am.row(i);
    lo[i] =
        std::max(row.dot(x) - eps_ * row.norm(), row.cwiseMin(0.0f).sum());  // the ball's bound, the box's
  }
}

// Layer 1 is linear in the input, so its range over S needs only W1's constants and W1 x (or W1 c).
void BoundComputer::layer1_range() {
  const int h1 = int(p_.w1.rows()), in = int(p_.w1.cols());
  if (norm_ == Norm::kLinf) {
    matmul_forward(ac_.data(), nullptr, p_.w1.data(), zero_.data(), center_.data(), h1, in, 1);
    matmul_forward(ar_.data(), nullptr, abs_w1_.data(), zero_.data(), radius_.data(), h1, in, 1);
    b_.l1 = ac_.head(h1) - ar_.head(h1) + p_.b1;
    b_.u1 = ac_.head(h1) + ar_.head(h1) + p_.b1;
    return;
  }
  b_.l1 = (w1x_ - eps_ * w1_norm_).cwiseMax(w1_neg_sum_) + p_.b1;
  b_.u1 = (w1x_ + eps_ * w1_norm_).cwiseMin(w1_pos_sum_) + p_.b1;
}

// A layer-1 neuron that is off everywhere in S has both relaxation slopes 0: its column of every backward
// coefficient row is 0, so the 784-wide products need only the other neurons' rows of W1. They are gathered
// once per bound, the unstable ones first (the upper bounds below need those alone).
void BoundComputer::gather_live_rows() {
  live_.clear();
  for (int k = 0; k < b_.l1.size(); ++k)
    if (b_.l1[k] < 0 && b_.u1[k] > 0) live_.push_back(k);
  live_unstable_ = int(live_.size());
  for (int k = 0; k < b_.l1.size(); ++k)
    if (b_.l1[k] >= 0) live_.push_back(k);
  for (size_t j = 0; j < live_.size(); ++j) w1_live_.row(Eigen::Index(j)) = p_.w1.row(live_[j]);
}

// out = lam W1 for the first `rows` rows of row-major lam (rows, h1), through the live rows of W1 only.
void BoundComputer::times_w1(float* out, const MatRM& lam, int rows) {
  const int q = int(live_.size());
  float* packed = lam_live_.data();  // (rows, q), rows packed back to back as the kernel reads them
  for (int r = 0; r < rows; ++r)
    for (int j = 0; j < q; ++j) packed[r * q + j] = lam(r, live_[size_t(j)]);
  matmul_backward_input(out, w1_live_.data(), packed, q, int(w1_live_.cols()), rows);
}

void BoundComputer::crown_layer2() {
  unstable_.clear();
  for (int k = 0; k < b_.l2.size(); ++k)
    if (b_.l2[k] < 0 && b_.u2[k] > 0) unstable_.push_back(k);
  const int m = int(unstable_.size());
  if (m == 0) return;
  // Rows 0..m bound the unstable neurons from below, rows m..2m bound their negatives (so, from above).
  for (int r = 0; r < m; ++r) {
    const int k = unstable_[size_t(r)];
    lam2_.row(r) = p_.w2.row(k);
    lam2_.row(m + r) = -p_.w2.row(k);
    const2_[r] = p_.b2[k];
    const2_[m + r] = -p_.b2[k];
  }
  auto lam = lam2_.topRows(2 * m);
  auto c = const2_.head(2 * m);
  auto lo = lo2_.head(2 * m);
  through_relu(lam, c, relax1_);
  c.noalias() += lam * p_.b1;
  if (norm_ == Norm::kLinf) {
    // Row m + r is the negated twin of row r before the relaxation, so after it the two rows differ only in
    // the unstable neurons' columns: row r + row (m + r) = |w2_k| (lower slope - upper slope) there. The
    // upper rows are that correction through the unstable rows of W1, minus the lower rows: about half the
    // work of the full product.
    const int in = int(p_.w1.cols()), u = live_unstable_;
    times_w1(a2_.data(), lam2_, m);
    float* upper = a2_.data() + size_t(m) * size_t(in);
    if (u == 0) {
      for (size_t k = 0; k < size_t(m) * size_t(in); ++k) upper[k] = -a2_.data()[k];
    } else {
      float* packed = lam_live_.data();  // (m, u)
      for (int r = 0; r < m; ++r)
        for (int j = 0; j < u; ++j) {
          const int i = live_[size_t(j)];
          packed[r * u + j] =
              std::fabs(p_.w2(unstable_[size_t(r)], i)) * (relax1_.lower_slope[i] - relax1_.upper_slope[i]);
        }
      matmul_backward_input(upper, w1_live_.data(), packed, u, in, m);
      for (size_t k = 0; k < size_t(m) * size_t(in); ++k) upper[k] -= a2_.data()[k];
    }
    linear_lower(a2_.data(), 2 * m, lo);
  } else {
    // Over the ball: min of (lam W1) . x' = (lam W1) . x - eps ||lam W1||, with ||lam W1||^2 = lam gram
    // lam^T.
    auto lg = lam_gram_.topRows(2 * m);
    lg.noalias() = lam * gram_;
    for (int r = 0; r < 2 * m; ++r)
      lo[r] = lam.row(r).dot(w1x_) - eps_ * std::sqrt(std::max(0.0f, lam.row(r).dot(lg.row(r))));
  }
  lo += c;
  for (int r = 0; r < m; ++r) {
    const int k = unstable_[size_t(r)];
    b_.l2[k] = std::max(b_.l2[k], lo[r]);
    b_.u2[k] = std::min(b_.u2[k], -lo[m + r]);
  }
}

const NetworkBounds& BoundComputer::compute(const float* x, int y, Norm norm, float eps, BoundMethod method) {
  const Arch a = p_.arch();
  ++evaluations_;
  x_ = x;
  norm_ = norm;
  eps_ = eps;
  const Eigen::Map<const Vec> xm(x, a.in);
  if (norm == Norm::kL2) matmul_forward(w1x_.data(), nullptr, p_.w1.data(), zero_.data(), x, a.h1, a.in, 1);
  if (norm == Norm::kLinf) {
    box_lo_ = (xm.array() - eps).max(0.0f);
    box_hi_ = (xm.array() + eps).min(1.0f);
    center_ = 0.5f * (box_lo_ + box_hi_);
    radius_ = 0.5f * (box_hi_ - box_lo_);
  }
  layer1_range();  // the same for both methods
  // Layer 2 by intervals: the ReLU outputs' box, its centre and half-width through W2.
  auto interval_through = [&](const MatRM& w, const Vec& bias, const Vec& l, const Vec& u, Vec& lo, Vec& hi) {
    for (int i = 0; i < w.rows(); ++i) {
      float c = bias[i], r = 0;
      for (int k = 0; k < w.cols(); ++k) {
        const float ak = std::max(l[k], 0.0f), bk = std::max(u[k], 0.0f);
        c += w(i, k) * 0.5f * (ak + bk);
        r += std::fabs(w(i, k)) * 0.5f * (bk - ak);
      }
      lo[i] = c - r;
      hi[i] = c + r;
    }
  };
  interval_through(p_.w2, p_.b2, b_.l1, b_.u1, b_.l2, b_.u2);
  if (method == BoundMethod::kCrown) {
    relax(relax1_, b_.l1, b_.u1);
    gather_live_rows();
    crown_layer2();
  }
  // The margins z_y - z_j = (w3_y - w3_j) . a2 + (b3_y - b3_j).
  for (int j = 0; j < a.out; ++j) {
    lam3_.row(j) = p_.w3.row(y) - p_.w3.row(j);
    const3_[j] = p_.b3[y] - p_.b3[j];
  }
  if (method == BoundMethod::kIbp) {
    for (int j = 0; j < a.out; ++j) {
      float c = const3_[j], r = 0;
      for (int k = 0; k < a.h2; ++k) {
        const float ak = std::max(b_.l2[k], 0.0f), bk = std::max(b_.u2[k], 0.0f);
        c += lam3_(j, k) * 0.5f * (ak + bk);
        r += std::fabs(lam3_(j, k)) * 0.5f * (bk - ak);
      }
      b_.margin[j] = c - r;
    }
  } else {
    relax(relax2_, b_.l2, b_.u2);
    through_relu(lam3_, const3_, relax2_);
    const3_.noalias() += lam3_ * p_.b2;
    lam3b_.noalias() = lam3_ * p_.w2;
    through_relu(lam3b_, const3_, relax1_);
    const3_.noalias() += lam3b_ * p_.b1;
    times_w1(a3_.data(), lam3b_, a.out);
    linear_lower(a3_.data(), a.out, lo3_);
    b_.margin = lo3_ + const3_;
  }
  b_.margin[y] = std::numeric_limits<float>::infinity();
  return b_;
}

float certified_radius(BoundComputer& bc, const float* x, int label, Norm norm, BoundMethod method,
                       float tolerance, float known_certified, float hint) {
  CertifiedRadiusSearch search(max_radius(norm, bc.inputs()), tolerance, known_certified, hint);
  while (!search.done()) search.report(bc.compute(x, label, norm, search.probe(), method).margin.minCoeff());
  return search.radius();
}

}  // namespace bs
