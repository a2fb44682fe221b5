#include "core/analysis/optimized_image.h"

#include <algorithm>
#include <cmath>

#include "core/data/dataset.h"
#include "core/nn/matmul.h"

namespace bs {

namespace {

// The gradient of one neuron's pre-activation with respect to the input, through the SIMD kernels (the page
// runs this 400 times per portrait), with its buffers made once.
class InputGradient {
 public:
  InputGradient(const Params& p, NeuronId n)
      : p_(p), n_(n), z1_(p.arch().h1), a1_(p.arch().h1), z2_(p.arch().h2), d1_(p.arch().h1), d2_(p.arch().h2) {}

  void operator()(const float* x, float* grad) {
    const Arch a = p_.arch();
    if (n_.layer == 1) {
      std::copy(p_.w1.row(n_.index).data(), p_.w1.row(n_.index).data() + a.in, grad);
      return;
    }
    matmul_forward(z1_.data(), a1_.data(), p_.w1.data(), p_.b1.data(), x, a.h1, a.in, 1);
    if (n_.layer == 2) {
      for (int i = 0; i < a.h1; ++i) d1_[i] = z1_[i] > 0 ? p_.w2(n_.index, i) : 0.0f;
    } else {
      matmul_forward(z2_.data(), nullptr, p_.w2.data(), p_.b2.data(), a1_.data(), a.h2, a.h1, 1);
      for (int i = 0; i < a.h2; ++i) d2_[i] = z2_[i] > 0 ? p_.w3(n_.index, i) : 0.0f;
      matmul_backward_input(d1_.data(), p_.w2.data(), d2_.data(), a.h2, a.h1, 1);
      relu_gate(d1_.data(), z1_.data(), a.h1);
    }
    matmul_backward_input(grad, p_.w1.data(), d1_.data(), a.h1, a.in, 1);
  }

 private:
  const Params& p_;
  NeuronId n_;
  Vec z1_, a1_, z2_, d1_, d2_;
};

}  // namespace

void neuron_input_gradient(const Params& p, NeuronId n, const float* x, float* grad) {
  InputGradient g(p, n);
  g(x, grad);
}

double roughness(const float* img) {
  double r = 0;
  for (int y = 0; y < kImageSide; ++y) {
    for (int x = 0; x < kImageSide; ++x) {
      const float v = img[y * kImageSide + x];
      if (x + 1 < kImageSide) r += double(v - img[y * kImageSide + x + 1]) * (v - img[y * kImageSide + x + 1]);
      if (y + 1 < kImageSide) r += double(v - img[(y + 1) * kImageSide + x]) * (v - img[(y + 1) * kImageSide + x]);
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
