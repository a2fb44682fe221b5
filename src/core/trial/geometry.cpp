#include "core/trial/geometry.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/analysis/input_gradient.h"
#include "core/util/cosine.h"

namespace bs {

ClassMeansBuilder::ClassMeansBuilder(const Dataset& train)
    : train_(train), sum_(Mat::Zero(kPixels, kClasses)), count_(kClasses, 0.0), x_(kPixels) {}

bool ClassMeansBuilder::add(size_t count) {
  const size_t end = std::min(train_.size(), next_ + count);
  for (; next_ < end; ++next_) {
    train_.image_floats(next_, x_.data());
    sum_.col(train_.label(next_)) += Eigen::Map<const Vec>(x_.data(), kPixels);
    count_[size_t(train_.label(next_))] += 1;
  }
  if (next_ < train_.size()) return false;
  means_ = sum_;
  for (int c = 0; c < kClasses; ++c)
    if (count_[size_t(c)] > 0) means_.col(c) /= float(count_[size_t(c)]);
  return true;
}

Mat class_means(const Dataset& train) {
  ClassMeansBuilder b(train);
  b.add(train.size());
  return b.means();
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
