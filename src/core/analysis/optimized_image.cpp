#include "core/analysis/optimized_image.h"

#include <algorithm>
#include <cmath>

#include "core/analysis/input_gradient.h"
#include "core/data/dataset.h"

namespace bs {

double roughness(const float* img) {
  double r = 0;
  for (int y = 0; y < kImageSide; ++y) {
    for (int x = 0; x < kImageSide; ++x) {
      const float v = img[y * kImageSide + x];
      if (x + 1 < kImageSide)
        r += double(v - img[y * kImageSide + x + 1]) * (v - img[y * kImageSide + x + 1]);
      if (y + 1 < kImageSide)
        r += double(v - img[(y + 1) * kImageSide + x]) * (v - img[(y + 1) * kImageSide + x]);
    }
  }
  return r;
}

std::vector<float> optimize_input(const Params& p, NeuronId n, const OptimizeSettings& s) {
  std::vector<float> x(kPixels, 0.0f), g(kPixels);
  InputGradient gradient(p, n);
  for (int step = 0; step < s.steps; ++step) {
    gradient(x.data(), g.data());
    for (int i = 0; i < kPixels; ++i) {
      const int r = i / kImageSide, c = i % kImageSide;
      // d/dx of -(l2 |x|^2 + smoothness * sum of squared neighbour differences)
      float lap = 0;
      if (c > 0) lap += x[size_t(i)] - x[size_t(i - 1)];
      if (c + 1 < kImageSide) lap += x[size_t(i)] - x[size_t(i + 1)];
      if (r > 0) lap += x[size_t(i)] - x[size_t(i - kImageSide)];
      if (r + 1 < kImageSide) lap += x[size_t(i)] - x[size_t(i + kImageSide)];
      g[size_t(i)] -= 2 * s.l2 * x[size_t(i)] + 2 * s.smoothness * lap;
    }
    // Steps of fixed length: the pre-activation's gradient has no natural scale.
    double norm = 0;
    for (float v : g) norm += double(v) * v;
    if (norm == 0) break;
    const float k = float(s.step_size * std::sqrt(double(kPixels)) / std::sqrt(norm));
    for (int i = 0; i < kPixels; ++i) {
      float v = x[size_t(i)] + k * g[size_t(i)];
      x[size_t(i)] = s.clip ? std::clamp(v, 0.0f, 1.0f) : v;
    }
  }
  return x;
}

}  // namespace bs
