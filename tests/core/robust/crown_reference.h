// CROWN written the textbook way, for checking BoundComputer's shortcuts (live rows of W1 only, the upper
// rows from their negated twins, branch-free relaxations): every backward row is carried through every neuron
// and multiplied by all of W1 with Eigen. The bounding choices are BoundComputer's (bounds.h), so the margins
// agree up to float rounding.
#pragma once

#include <algorithm>
#include <cmath>

#include "core/nn/params.h"
#include "core/robust/norm.h"

namespace bs::test {

struct CrownRelaxation {
  Vec lower, upper, intercept;  // per neuron: lower slope, upper slope, upper intercept
};

inline CrownRelaxation crown_relaxation(const Vec& l, const Vec& u) {
  CrownRelaxation r{Vec::Zero(l.size()), Vec::Zero(l.size()), Vec::Zero(l.size())};
  for (int k = 0; k < l.size(); ++k) {
    if (l[k] >= 0) {
      r.lower[k] = r.upper[k] = 1;
    } else if (u[k] > 0) {
      r.upper[k] = u[k] / (u[k] - l[k]);
      r.intercept[k] = -r.upper[k] * l[k];
      r.lower[k] = u[k] > -l[k] ? 1.0f : 0.0f;
    }
  }
  return r;
}

// A lower bound of `row` . a + c in terms of the layer's inputs, for a = ReLU(z) with the relaxation r.
inline void crown_through(Eigen::Ref<Vec> row, float& c, const CrownRelaxation& r) {
  for (int k = 0; k < row.size(); ++k) {
    if (row[k] >= 0) {
      row[k] *= r.lower[k];
    } else {
      c += row[k] * r.intercept[k];
      row[k] *= r.upper[k];
    }
  }
}

// The lower bound of a . x' + c over S(x, eps); `ball_only` drops L2's box bound (BoundComputer's layer 2).
inline float crown_linear_lower(const Vec& a, float c, const Vec& x, Norm norm, float eps, bool ball_only) {
  if (norm == Norm::kLinf) {
    float s = c;
    for (int k = 0; k < a.size(); ++k) {
      const float lo = std::max(x[k] - eps, 0.0f), hi = std::min(x[k] + eps, 1.0f);
      s += a[k] * 0.5f * (lo + hi) - std::fabs(a[k]) * 0.5f * (hi - lo);
    }
    return s;
  }
  const float ball = a.dot(x) - eps * a.norm();
  return c + (ball_only ? ball : std::max(ball, a.cwiseMin(0.0f).sum()));
}

// The CROWN lower bounds of the margins z_y - z_j (j != y; +inf at y).
inline Vec crown_margins(const Params& p, const Vec& x, int y, Norm norm, float eps) {
  const int h1 = int(p.w1.rows()), h2 = int(p.w2.rows()), out = int(p.w3.rows());
  Vec l1(h1), u1(h1);
  for (int i = 0; i < h1; ++i) {
    const Vec w = p.w1.row(i).transpose();
    l1[i] = crown_linear_lower(w, p.b1[i], x, norm, eps, false);
    u1[i] = -crown_linear_lower(-w, -p.b1[i], x, norm, eps, false);
  }
  const CrownRelaxation r1 = crown_relaxation(l1, u1);
  const Vec mid = 0.5f * (l1.cwiseMax(0.0f) + u1.cwiseMax(0.0f)),
            half = 0.5f * (u1.cwiseMax(0.0f) - l1.cwiseMax(0.0f));
  Vec l2 = p.w2 * mid + p.b2 - p.w2.cwiseAbs() * half, u2 = p.w2 * mid + p.b2 + p.w2.cwiseAbs() * half;
  // Layer 2 by one backward step, for the neurons the intervals leave unstable.
  auto layer2_lower = [&](Vec row, float c) {
    crown_through(row, c, r1);
    c += row.dot(p.b1);
    const Vec a = p.w1.transpose() * row;
    return crown_linear_lower(a, c, x, norm, eps, norm == Norm::kL2);
  };
  for (int k = 0; k < h2; ++k) {
    if (!(l2[k] < 0 && u2[k] > 0)) continue;
    const Vec w = p.w2.row(k).transpose();
    l2[k] = std::max(l2[k], layer2_lower(w, p.b2[k]));
    u2[k] = std::min(u2[k], -layer2_lower(-w, -p.b2[k]));
  }
  const CrownRelaxation r2 = crown_relaxation(l2, u2);
  Vec margin(out);
  for (int j = 0; j < out; ++j) {
    if (j == y) {
      margin[j] = INFINITY;
      continue;
    }
    Vec row = (p.w3.row(y) - p.w3.row(j)).transpose();
    float c = p.b3[y] - p.b3[j];
    crown_through(row, c, r2);
    c += row.dot(p.b2);
    Vec row1 = p.w2.transpose() * row;
    crown_through(row1, c, r1);
    c += row1.dot(p.b1);
    margin[j] = crown_linear_lower(p.w1.transpose() * row1, c, x, norm, eps, false);
  }
  return margin;
}

}  // namespace bs::test
