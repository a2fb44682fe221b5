#include "core/analysis/dataset_stats.h"

#include <algorithm>

#include "core/nn/matmul.h"
#include "core/nn/mlp.h"

namespace bs {

DatasetStats dataset_stats(const Params& p, const Dataset& data, size_t limit) {
  const Arch a = p.arch();
  const size_t n = limit ? std::min(limit, data.size()) : data.size();
  DatasetStats s;
  s.count = n;
  const int widths[3] = {a.h1, a.h2, a.out};
  for (int l = 0; l < 3; ++l) {
    s.act[l].resize(widths[l], Eigen::Index(n));
    s.feature[l] = MatRM::Zero(widths[l], a.in);
  }
  s.predicted.resize(n);
  constexpr int kBatch = 256;
  Workspace ws(a, kBatch);
  std::vector<uint32_t> idx(kBatch);
  for (size_t start = 0; start < n; start += kBatch) {
    int b = int(std::min<size_t>(kBatch, n - start));
    for (int j = 0; j < b; ++j) idx[j] = uint32_t(start + j);
    load_batch(ws, data, idx.data(), b);
    forward(p, ws, b, nullptr);
    s.act[0].middleCols(Eigen::Index(start), b) = ws.a1.leftCols(b);
    s.act[1].middleCols(Eigen::Index(start), b) = ws.a2.leftCols(b);
    s.act[2].middleCols(Eigen::Index(start), b) = ws.probs.leftCols(b);
    // feature (units, 784) += act (units, B) * x^T (B, 784): the weight-gradient kernel's product, accumulated.
    const float* acts[3] = {ws.a1.data(), ws.a2.data(), ws.probs.data()};
    for (int l = 0; l < 3; ++l)
      matmul_backward_weights(s.feature[l].data(), acts[l], ws.x.data(), widths[l], a.in, b, /*accumulate=*/true);
    for (int j = 0; j < b; ++j) {
      Eigen::Index c;
      ws.probs.col(j).maxCoeff(&c);
      s.predicted[start + j] = uint8_t(c);
    }
  }
  for (int l = 0; l < 3; ++l) {
    s.weight[l] = s.act[l].rowwise().sum();
    for (int i = 0; i < widths[l]; ++i) {
      if (s.weight[l](i) > 0) s.feature[l].row(i) /= s.weight[l](i);
    }
  }
  return s;
}

}  // namespace bs
