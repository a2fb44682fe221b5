// The exact minimal adversarial radius of a tiny ReLU network with two inputs, by enumerating its activation
// patterns. Inside one pattern the network is affine, so the points of the box [0, 1]^2 that have that
// pattern and are not classified `label` form a convex polygon (half-planes clipped from the box); the radius
// is the smallest distance from x0 to any of those polygons. Written independently of src/core/robust, in
// double.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "core/nn/params.h"
#include "core/robust/norm.h"

namespace bs::test {

struct Pt {
  double x, y;
};
struct Affine {  // a * x + b * y + c
  double a = 0, b = 0, c = 0;
  double at(Pt p) const { return a * p.x + b * p.y + c; }
};

// The part of convex polygon `poly` where h >= 0 (Sutherland-Hodgman against one edge).
inline std::vector<Pt> clip(const std::vector<Pt>& poly, const Affine& h) {
  std::vector<Pt> out;
  for (size_t i = 0; i < poly.size(); ++i) {
    const Pt p = poly[i], q = poly[(i + 1) % poly.size()];
    const double fp = h.at(p), fq = h.at(q);
    if (fp >= 0) out.push_back(p);
    if ((fp >= 0) != (fq >= 0)) {
      const double t = fp / (fp - fq);
      out.push_back({p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)});
    }
  }
  return out;
}

// Distance from p to the segment a-b in the norm.
inline double segment_distance(Norm norm, Pt p, Pt a, Pt b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  auto at = [&](double t) {
    t = std::clamp(t, 0.0, 1.0);
    const double ex = p.x - (a.x + t * dx), ey = p.y - (a.y + t * dy);
    return norm == Norm::kL2 ? std::hypot(ex, ey) : std::max(std::fabs(ex), std::fabs(ey));
  };
  const double len2 = dx * dx + dy * dy;
  if (norm == Norm::kL2) return at(len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0);
  // max(|ex(t)|, |ey(t)|) is convex and piecewise linear: its minimum is at an end or where a term is zero or
  // where the two terms are equal.
  std::vector<double> ts = {0, 1};
  const double ex0 = p.x - a.x, ey0 = p.y - a.y;
  if (dx != 0) ts.push_back(ex0 / dx);
  if (dy != 0) ts.push_back(ey0 / dy);
  if (dx - dy != 0) ts.push_back((ex0 - ey0) / (dx - dy));
  if (dx + dy != 0) ts.push_back((ex0 + ey0) / (dx + dy));
  double best = std::numeric_limits<double>::infinity();
  for (double t : ts) best = std::min(best, at(t));
  return best;
}

inline double polygon_distance(Norm norm, Pt p, const std::vector<Pt>& poly) {
  if (poly.empty()) return std::numeric_limits<double>::infinity();
  double best = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < poly.size(); ++i)
    best = std::min(best, segment_distance(norm, p, poly[i], poly[(i + 1) % poly.size()]));
  return best;
}

// The smallest distance from x0 (2 values in [0, 1]) to a point of [0, 1]^2 where some class other than
// `label` has a logit >= label's.
inline double exact_minimal_radius(const Params& p, const float* x0, int label, Norm norm) {
  const Arch a = p.arch();
  const int h1 = a.h1, h2 = a.h2;
  const Pt origin{x0[0], x0[1]};
  double best = std::numeric_limits<double>::infinity();
  for (int s1 = 0; s1 < (1 << h1); ++s1)
    for (int s2 = 0; s2 < (1 << h2); ++s2) {
      std::vector<Pt> poly = {{0, 0}, {1, 0}, {1, 1}, {0, 1}};
      std::vector<Affine> a1(static_cast<size_t>(h1)), a2(static_cast<size_t>(h2)),
          z3(static_cast<size_t>(a.out));
      for (int k = 0; k < h1 && !poly.empty(); ++k) {
        const Affine z{p.w1(k, 0), p.w1(k, 1), p.b1[k]};
        const bool on = (s1 >> k) & 1;
        poly = clip(poly, on ? z : Affine{-z.a, -z.b, -z.c});
        a1[size_t(k)] = on ? z : Affine{};
      }
      for (int m = 0; m < h2 && !poly.empty(); ++m) {
        Affine z{0, 0, p.b2[m]};
        for (int k = 0; k < h1; ++k) {
          z.a += p.w2(m, k) * a1[size_t(k)].a;
          z.b += p.w2(m, k) * a1[size_t(k)].b;
          z.c += p.w2(m, k) * a1[size_t(k)].c;
        }
        const bool on = (s2 >> m) & 1;
        poly = clip(poly, on ? z : Affine{-z.a, -z.b, -z.c});
        a2[size_t(m)] = on ? z : Affine{};
      }
      if (poly.empty()) continue;
      for (int c = 0; c < a.out; ++c) {
        z3[size_t(c)] = {0, 0, p.b3[c]};
        for (int m = 0; m < h2; ++m) {
          z3[size_t(c)].a += p.w3(c, m) * a2[size_t(m)].a;
          z3[size_t(c)].b += p.w3(c, m) * a2[size_t(m)].b;
          z3[size_t(c)].c += p.w3(c, m) * a2[size_t(m)].c;
        }
      }
      for (int j = 0; j < a.out; ++j) {
        if (j == label) continue;
        const Affine lose{z3[size_t(j)].a - z3[size_t(label)].a, z3[size_t(j)].b - z3[size_t(label)].b,
                          z3[size_t(j)].c - z3[size_t(label)].c};
        best = std::min(best, polygon_distance(norm, origin, clip(poly, lose)));
      }
    }
  return best;
}

}  // namespace bs::test
