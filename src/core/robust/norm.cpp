#include "core/robust/norm.h"

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

float distance(Norm norm, const float* a, const float* b, int n) {
  double acc = 0;
  for (int i = 0; i < n; ++i) {
    const double d = std::fabs(double(a[i]) - double(b[i]));
    acc = norm == Norm::kLinf ? std::max(acc, d) : acc + d * d;
  }
  return float(norm == Norm::kLinf ? acc : std::sqrt(acc));
}

void project(Norm norm, float* x, const float* x0, float eps, int n) {
  if (norm == Norm::kLinf) {
    for (int i = 0; i < n; ++i)
      x[i] = std::clamp(x[i], std::max(0.0f, x0[i] - eps), std::min(1.0f, x0[i] + eps));
    return;
  }
  const float len = distance(Norm::kL2, x, x0, n);
  const float scale = len > eps ? eps / len : 1.0f;
  for (int i = 0; i < n; ++i) x[i] = std::clamp(x0[i] + (x[i] - x0[i]) * scale, 0.0f, 1.0f);
}

void ascent_step(Norm norm, float* x, const float* g, float size, int n) {
  if (norm == Norm::kLinf) {
    for (int i = 0; i < n; ++i) x[i] += g[i] > 0 ? size : g[i] < 0 ? -size : 0.0f;
    return;
  }
  double sq = 0;
  for (int i = 0; i < n; ++i) sq += double(g[i]) * double(g[i]);
  if (sq == 0) return;
  const float scale = float(size / std::sqrt(sq));
  for (int i = 0; i < n; ++i) x[i] += scale * g[i];
}

float max_radius(Norm norm, int n) {
  return norm == Norm::kLinf ? 1.0f : std::sqrt(float(n));
}

}  // namespace bs
