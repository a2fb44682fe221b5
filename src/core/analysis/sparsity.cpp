#include "core/analysis/sparsity.h"

#include <algorithm>
#include <limits>

namespace bs {
namespace {

double median(std::vector<int> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

}  // namespace

Sparsity sparsity(const DatasetStats& stats) {
  Sparsity s;
  const size_t n = stats.count;
  s.strong.assign(n, 0);
  s.mild.assign(n, 0);
  s.hidden = int(stats.act[0].rows() + stats.act[1].rows());
  s.active_histogram.assign(size_t(s.hidden) + 1, 0);
  s.images_strong.assign(size_t(s.hidden), 0);
  s.images_mild.assign(size_t(s.hidden), 0);
  // Each neuron's largest activation, then one walk image by image: the activations are stored an image per
  // column, so this reads them in order (a walk neuron by neuron strides across the whole array).
  std::vector<float> max_act(size_t(s.hidden), n ? -std::numeric_limits<float>::infinity() : 0.0f);
  for (size_t j = 0; j < n; ++j) {
    float* mx = max_act.data();
    for (int l = 0; l < 2; ++l) {
      const float* col = stats.act[l].col(Eigen::Index(j)).data();
      for (Eigen::Index i = 0; i < stats.act[l].rows(); ++i, ++mx) *mx = std::max(*mx, col[i]);
    }
  }
  long long zeros = 0;
  for (float mx : max_act) {
    if (mx <= 0) {
      ++s.dead;
      zeros += (long long)n;
    }
  }
  for (size_t j = 0; j < n; ++j) {
    int neuron = 0;
    for (int l = 0; l < 2; ++l) {
      const float* col = stats.act[l].col(Eigen::Index(j)).data();
      for (Eigen::Index i = 0; i < stats.act[l].rows(); ++i, ++neuron) {
        const float mx = max_act[size_t(neuron)];
        if (mx <= 0) continue;  // dead: counted above
        const float v = col[i];
        if (v >= kStrongFraction * mx) {
          ++s.strong[j];
          ++s.images_strong[size_t(neuron)];
        } else if (v >= kMildFraction * mx) {
          ++s.mild[j];
          ++s.images_mild[size_t(neuron)];
        }
        if (v == 0.0f) ++zeros;
      }
    }
  }
  long long ts = 0, tm = 0;
  for (size_t j = 0; j < n; ++j) {
    ts += s.strong[j];
    tm += s.mild[j];
    ++s.active_histogram[size_t(s.strong[j] + s.mild[j])];
  }
  if (n) {
    s.mean_strong = double(ts) / double(n);
    s.mean_mild = double(tm) / double(n);
    s.mean_zero = double(zeros) / double(n);
  }
  s.median_strong = median(s.strong);
  s.median_mild = median(s.mild);
  return s;
}

}  // namespace bs
