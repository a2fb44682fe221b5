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
  InputAscent ascent;
  ascent.begin(p, n, s, /*borrow=*/true);
  ascent.step(s.steps);
  return ascent.image();
}

void InputAscent::begin(const Params& p, NeuronId n, const OptimizeSettings& s, bool borrow) {
  if (!borrow) {
    if (copy_)
      *copy_ = p;  // same shapes as last time: Eigen reuses the storage
    else
      copy_.emplace(p);
  }
  s_ = s;
  x_.assign(kPixels, 0.0f);
  g_.assign(kPixels, 0.0f);
  gradient_ = std::make_unique<InputGradient>(borrow ? p : *copy_, n);
  done_ = 0;
  running_ = true;
}

bool InputAscent::step(int steps) {
  for (int taken = 0; running_ && taken < steps; ++taken, ++done_) {
    if (done_ >= s_.steps) {
      running_ = false;
      break;
    }
    (*gradient_)(x_.data(), g_.data());
    for (int i = 0; i < kPixels; ++i) {
      const int r = i / kImageSide, c = i % kImageSide;
      // d/dx of -(l2 |x|^2 + smoothness * sum of squared neighbour differences)
      float lap = 0;
      if (c > 0) lap += x_[size_t(i)] - x_[size_t(i - 1)];
      if (c + 1 < kImageSide) lap += x_[size_t(i)] - x_[size_t(i + 1)];
      if (r > 0) lap += x_[size_t(i)] - x_[size_t(i - kImageSide)];
      if (r + 1 < kImageSide) lap += x_[size_t(i)] - x_[size_t(i + kImageSide)];
      g_[size_t(i)] -= 2 * s_.l2 * x_[size_t(i)] + 2 * s_.smoothness * lap;
    }
    // Steps of fixed length: the pre-activation's gradient has no natural scale.
    double norm = 0;
    for (float v : g_) norm += double(v) * v;
    if (norm == 0) {
      running_ = false;
      break;
    }
    const float k = float(s_.step_size * std::sqrt(double(kPixels)) / std::sqrt(norm));
    for (int i = 0; i < kPixels; ++i) {
      float v = x_[size_t(i)] + k * g_[size_t(i)];
      x_[size_t(i)] = s_.clip ? std::clamp(v, 0.0f, 1.0f) : v;
    }
  }
  if (done_ >= s_.steps) running_ = false;
  return !running_;
}

}  // namespace bs
