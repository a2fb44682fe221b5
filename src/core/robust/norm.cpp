#include "core/robust/norm.h"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>

namespace bs {

const char* norm_name(Norm n) {
  return n == Norm::kLinf ? "linf" : "l2";
}

Expected<Norm> parse_norm(const std::string& text) {
  if (text == "linf") return Norm::kLinf;
  if (text == "l2") return Norm::kL2;
  return Error{"norm must be linf or l2, not '" + text + "'"};
}

// Float arithmetic through Eigen's vectorised reductions: these run once per pixel per PGD step, as often as
// the network's own kernels.
namespace {
using ConstMap = Eigen::Map<const Eigen::ArrayXf>;
using Map = Eigen::Map<Eigen::ArrayXf>;
}  // namespace

float distance(Norm norm, const float* a, const float* b, int n) {
  const auto d = ConstMap(a, n) - ConstMap(b, n);
  return norm == Norm::kLinf ? (n ? d.abs().maxCoeff() : 0.0f) : std::sqrt(d.square().sum());
}

void project(Norm norm, float* x, const float* x0, float eps, int n) {
  Map xm(x, n);
  const ConstMap x0m(x0, n);
  if (norm == Norm::kLinf) {
    xm = xm.min((x0m + eps).min(1.0f)).max((x0m - eps).max(0.0f));
    return;
  }
  const float len = distance(Norm::kL2, x, x0, n);
  if (len > eps) xm = x0m + (xm - x0m) * (eps / len);
  xm = xm.max(0.0f).min(1.0f);
}

void ascent_step(Norm norm, float* x, const float* g, float size, int n) {
  Map xm(x, n);
  const ConstMap gm(g, n);
  if (norm == Norm::kLinf) {
    xm += size * ((gm > 0).cast<float>() - (gm < 0).cast<float>());
    return;
  }
  const float len = std::sqrt(gm.square().sum());
  if (len > 0) xm += (size / len) * gm;
}

void random_point_in_ball(Norm norm, float* x, const float* x0, float eps, int n, Pcg32& rng) {
  if (norm == Norm::kLinf) {
    for (int i = 0; i < n; ++i) x[i] = x0[i] + eps * (2 * rng.uniform01() - 1);
  } else {
    double sq = 0;
    for (int i = 0; i < n; ++i) {
      x[i] = rng.normal_portable();
      sq += double(x[i]) * x[i];
    }
    const float scale = sq > 0 ? float(eps * rng.uniform01() / std::sqrt(sq)) : 0.0f;
    for (int i = 0; i < n; ++i) x[i] = x0[i] + scale * x[i];
  }
  project(norm, x, x0, eps, n);
}

float max_radius(Norm norm, int n) {
  return norm == Norm::kLinf ? 1.0f : std::sqrt(float(n));
}

}  // namespace bs
