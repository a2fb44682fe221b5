#include "core/train/evaluate.h"

#include <algorithm>
#include <vector>

namespace bs {

Evaluation evaluate(const Params& p, const Dataset& data, Workspace& ws, size_t limit) {
  Evaluation e;
  size_t n = limit ? std::min(limit, data.size()) : data.size();
  std::vector<uint32_t> idx(ws.max_batch);
  for (size_t start = 0; start < n; start += ws.max_batch) {
    int b = int(std::min<size_t>(ws.max_batch, n - start));
    for (int j = 0; j < b; ++j) idx[j] = uint32_t(start + j);
    load_batch(ws, data, idx.data(), b);
    e.loss += double(forward(p, ws, b, ws.y.data())) * b;
    for (int j = 0; j < b; ++j) {
      Eigen::Index pred;
      ws.probs.col(j).maxCoeff(&pred);
      int y = ws.y[j];
      ++e.class_count[y];
      if (pred == y) {
        ++e.correct;
        ++e.class_correct[y];
      }
    }
    e.count += b;
  }
  if (e.count) e.loss /= double(e.count);
  return e;
}

}  // namespace bs
