#include "core/trial/span_shares.h"

#include <algorithm>

namespace bs {

SpanShares span_shares(const Subspace& s, int k, const float* delta) {
  const Eigen::Map<const Eigen::VectorXf> d(delta, kPixels);
  const double total = double(d.squaredNorm());
  SpanShares out;
  if (total <= 0) return out;
  k = std::clamp(k, 0, int(s.basis.rows()));
  out.top_k = double((s.basis.topRows(k) * d).squaredNorm()) / total;
  double dark = 0;
  for (int p = 0; p < kPixels; ++p)
    if (s.never_lit[size_t(p)]) dark += double(d[p]) * d[p];
  out.never_lit = dark / total;
  // The top directions carry variance, so they are orthogonal to every never-lit pixel: the rest is what is
  // left (clamped: rounding can make it a hair negative).
  out.rest = std::max(0.0, 1.0 - out.top_k - out.never_lit);
  return out;
}

SpanShares random_direction_shares(const Subspace& s, int k) {
  SpanShares out;
  out.top_k = double(std::clamp(k, 0, kPixels)) / kPixels;
  out.never_lit = double(s.never_lit_count()) / kPixels;
  out.rest = std::max(0.0, 1.0 - out.top_k - out.never_lit);
  return out;
}

void add_energy_curve(const Subspace& s, const float* delta, double* curve) {
  const Eigen::Map<const Eigen::VectorXf> d(delta, kPixels);
  const double total = double(d.squaredNorm());
  if (total <= 0) return;
  const Eigen::VectorXf c = s.basis * d;
  double sum = 0;
  for (long k = 0; k < c.size(); ++k) {
    sum += double(c[k]) * double(c[k]);
    curve[k] += sum / total;
  }
}

}  // namespace bs
