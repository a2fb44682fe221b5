#include "core/analysis/dataset_stats.h"

#include <algorithm>

#include "core/nn/matmul.h"
#include "core/nn/mlp.h"

namespace bs {

void DatasetStatsBuilder::begin(const Params& p, const Dataset& data, size_t limit) {
  p_ = p;
  data_ = &data;
  next_ = 0;
  const Arch a = p.arch();
  const size_t n = limit ? std::min(limit, data.size()) : data.size();
  s_.count = n;
  const int widths[3] = {a.h1, a.h2, a.out};
  for (int l = 0; l < 3; ++l) {
    s_.act[l].resize(widths[l], Eigen::Index(n));
    s_.feature[l].resize(widths[l], a.in);
    s_.feature[l].setZero();
  }
  s_.predicted.resize(n);
}

bool DatasetStatsBuilder::step(size_t images) {
  if (!data_) return true;
  const Arch a = p_.arch();
  const int widths[3] = {a.h1, a.h2, a.out};
  const size_t batches = std::max<size_t>(1, (images + kBatch - 1) / kBatch);
  const size_t end = std::min(s_.count, next_ + batches * kBatch);
  while (next_ < end) {
    const int b = int(std::min<size_t>(size_t(ws_.max_batch), end - next_));
    for (int j = 0; j < b; ++j) idx_[size_t(j)] = uint32_t(next_ + size_t(j));
    load_batch(ws_, *data_, idx_.data(), b);
    forward(p_, ws_, b, nullptr);
    s_.act[0].middleCols(Eigen::Index(next_), b) = ws_.a1.leftCols(b);
    s_.act[1].middleCols(Eigen::Index(next_), b) = ws_.a2.leftCols(b);
    s_.act[2].middleCols(Eigen::Index(next_), b) = ws_.probs.leftCols(b);
    // feature (units, 784) += act (units, B) * x^T (B, 784): the weight-gradient kernel's product,
    // accumulated.
    const float* acts[3] = {ws_.a1.data(), ws_.a2.data(), ws_.probs.data()};
    for (int l = 0; l < 3; ++l)
      matmul_backward_weights(s_.feature[l].data(), acts[l], ws_.x.data(), widths[l], a.in, b,
                              /*accumulate=*/true);
    for (int j = 0; j < b; ++j) {
      Eigen::Index c;
      ws_.probs.col(j).maxCoeff(&c);
      s_.predicted[next_ + size_t(j)] = uint8_t(c);
    }
    next_ += size_t(b);
  }
  if (next_ < s_.count) return false;
  for (int l = 0; l < 3; ++l) {
    // With no images, Eigen's row sums would offset the empty matrix's null data pointer (undefined behaviour
    // that clang's sanitizer reports): the weights of no images are zeros.
    if (s_.act[l].cols() == 0)
      s_.weight[l].setZero(widths[l]);
    else
      s_.weight[l] = s_.act[l].rowwise().sum();
    for (int i = 0; i < widths[l]; ++i) {
      if (s_.weight[l](i) > 0) s_.feature[l].row(i) /= s_.weight[l](i);
    }
  }
  data_ = nullptr;
  return true;
}

void DatasetStatsBuilder::take(DatasetStats* out) {
  std::swap(*out, s_);
}

DatasetStats dataset_stats(const Params& p, const Dataset& data, size_t limit) {
  DatasetStatsBuilder b;
  b.begin(p, data, limit);
  b.step(data.size());
  DatasetStats s;
  b.take(&s);
  return s;
}

std::vector<size_t> top_activating(const DatasetStats& s, NeuronId n, int k) {
  const auto row = s.act[size_t(n.layer - 1)].row(n.index);
  std::vector<size_t> idx(s.count);
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  const size_t take = std::min(idx.size(), size_t(std::max(k, 0)));
  std::partial_sort(idx.begin(), idx.begin() + long(take), idx.end(), [&](size_t a, size_t b) {
    return row[long(a)] > row[long(b)] || (row[long(a)] == row[long(b)] && a < b);
  });
  idx.resize(take);
  return idx;
}

}  // namespace bs
