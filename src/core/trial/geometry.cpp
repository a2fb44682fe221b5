#include "core/trial/geometry.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/analysis/input_gradient.h"
#include "core/util/cosine.h"

namespace bs {

Mat class_means(const Dataset& train) {
  Mat sum = Mat::Zero(kPixels, kClasses);
  std::vector<double> count(kClasses, 0.0);
  std::vector<float> x(kPixels);
  for (size_t i = 0; i < train.size(); ++i) {
    train.image_floats(i, x.data());
    sum.col(train.label(i)) += Eigen::Map<const Vec>(x.data(), kPixels);
    count[size_t(train.label(i))] += 1;
  }
  for (int c = 0; c < kClasses; ++c)
    if (count[size_t(c)] > 0) sum.col(c) /= float(count[size_t(c)]);
  return sum;
}

double angle_deg(const float* a, const float* b, int n) {
  return std::acos(std::clamp(cosine(a, b, n), -1.0, 1.0)) * (180.0 / 3.14159265358979323846);
}

double off_span_norm(const MatRM& w1, const Subspace& subspace, int k) {
  const MatRM top = subspace.basis.topRows(std::clamp(k, 0, kPixels));
  return double((w1 - (w1 * top.transpose()) * top).norm());
}

void margin_gradient(const Params& p, const float* x, int label, int reached, float* out) {
  std::vector<float> grad_y(kPixels);
  neuron_input_gradient(p, {3, label}, x, grad_y.data());
  neuron_input_gradient(p, {3, reached}, x, out);
  for (int k = 0; k < kPixels; ++k) out[k] -= grad_y[size_t(k)];
}

}  // namespace bs
