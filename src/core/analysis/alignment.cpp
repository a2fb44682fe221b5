#include "core/analysis/alignment.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "core/nn/mlp.h"
#include "core/robust/objective.h"
#include "core/util/cosine.h"

namespace bs {
namespace {

constexpr int kGradientBatch = DatasetStatsBuilder::kBatch;

size_t used(const Dataset& data, size_t count) {
  return count ? std::min(count, data.size()) : data.size();
}

}  // namespace

Vec neuron_cosines(const MatRM& patterns, const MatRM& features, const Vec& weight) {
  Vec c(patterns.rows());
  for (long i = 0; i < patterns.rows(); ++i)
    c[i] = weight[i] > 0 ? float(cosine(patterns.row(i).data(), features.row(i).data(), int(patterns.cols())))
                         : std::numeric_limits<float>::quiet_NaN();
  return c;
}

MatRM class_means(const Dataset& data, size_t count) {
  const size_t n = used(data, count);
  MatRM sum = MatRM::Zero(10, kPixels);
  std::array<int, 10> seen{};
  std::vector<float> x(kPixels);
  for (size_t i = 0; i < n; ++i) {
    data.image_floats(i, x.data());
    const int y = data.label(i);
    sum.row(y) += Eigen::Map<const Eigen::RowVectorXf>(x.data(), kPixels);
    ++seen[size_t(y)];
  }
  for (int c = 0; c < 10; ++c)
    if (seen[size_t(c)]) sum.row(c) /= float(seen[size_t(c)]);
  return sum;
}

void gradient_cosines(const Params& p, const Dataset& data, size_t first, int b, const MatRM& means,
                      Workspace& ws, float* cos) {
  const int out = p.arch().out;
  Goal goals[kGradientBatch];
  std::array<float, kPixels> diff;
  for (int j = 0; j < b; ++j) {
    data.image_floats(first + size_t(j), ws.x.col(j).data());
    goals[j] = Goal{data.label(first + size_t(j)), -1, uint32_t(first) + uint32_t(j)};
  }
  attack_logits(p, ws, b);
  // The margin objective's gradient is grad (z_t - z_y), t the runner-up: the negative of the one wanted.
  objective_input_gradient(p, ws, b, goals, AttackLoss::kMargin);
  for (int j = 0; j < b; ++j) {
    const float* z = ws.logits.col(j).data();
    const int y = goals[j].label;
    cos[first + size_t(j)] = std::numeric_limits<float>::quiet_NaN();
    if (int(std::max_element(z, z + out) - z) != y) continue;
    const int t = best_other(z, out, y);
    for (int k = 0; k < kPixels; ++k) diff[k] = means(y, k) - means(t, k);
    cos[first + size_t(j)] = float(-cosine(ws.dx.col(j).data(), diff.data(), kPixels));
  }
}

std::vector<float> gradient_cosines(const Params& p, const Dataset& data, size_t count, const MatRM& means) {
  const size_t n = used(data, count);
  Workspace ws(p.arch(), kGradientBatch);
  std::vector<float> cos(n);
  for (size_t first = 0; first < n; first += kGradientBatch)
    gradient_cosines(p, data, first, int(std::min<size_t>(kGradientBatch, n - first)), means, ws, cos.data());
  return cos;
}

namespace {

PerceptualAlignment summarise(const Params& p, const DatasetStats& stats, const std::vector<float>& cos) {
  PerceptualAlignment a;
  const EffectiveWeights eff = effective_weights(p);
  for (int l = 0; l < 3; ++l) {
    const Vec c = neuron_cosines(eff.layer[size_t(l)], stats.feature[size_t(l)], stats.weight[size_t(l)]);
    double sum = 0;
    for (long i = 0; i < c.size(); ++i)
      if (std::isfinite(c[i])) {
        sum += c[i];
        ++a.neurons[size_t(l)];
      }
    a.layer[size_t(l)] = a.neurons[size_t(l)] ? sum / a.neurons[size_t(l)] : 0.0;
  }
  double sum = 0;
  for (float c : cos)
    if (std::isfinite(c)) {
      sum += c;
      ++a.images;
    }
  a.gradient = a.images ? sum / a.images : 0.0;
  return a;
}

}  // namespace

PerceptualAlignment perceptual_alignment(const Params& p, const Dataset& data, size_t count,
                                         const DatasetStats& stats) {
  return summarise(p, stats, gradient_cosines(p, data, count, class_means(data, count)));
}

PerceptualAlignment perceptual_alignment(const Params& p, const Dataset& data, size_t count) {
  return perceptual_alignment(p, data, count, dataset_stats(p, data, count));
}

void AlignmentBuilder::begin(const Params& p, const Dataset& data, size_t count) {
  p_ = p;
  data_ = &data;
  count_ = used(data, count);
  next_ = 0;
  stats_.begin(p_, data, count_);
  means_ = class_means(data, count_);
  cos_.assign(count_, 0.0f);
}

bool AlignmentBuilder::step(size_t images) {
  if (!data_) return true;
  if (stats_.running()) {
    if (stats_.step(images)) stats_.take(&done_stats_);
    return false;
  }
  const size_t end = std::min(count_, next_ + std::max<size_t>(images, 1));
  while (next_ < end) {
    const int b = int(std::min<size_t>(kGradientBatch, count_ - next_));
    gradient_cosines(p_, *data_, next_, b, means_, ws_, cos_.data());
    next_ += size_t(b);
  }
  if (next_ < count_) return false;
  result_ = summarise(p_, done_stats_, cos_);
  data_ = nullptr;
  return true;
}

}  // namespace bs
