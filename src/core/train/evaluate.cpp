#include "core/train/evaluate.h"

#include <algorithm>
#include <vector>

namespace bs {

namespace {

// Images [start, start + b) into `e`: the loss summed (divided by the count at the end), the hits counted.
void evaluate_batch(const Params& p, const Dataset& data, Workspace& ws, uint32_t* idx, size_t start, int b,
                    Evaluation& e) {
  for (int j = 0; j < b; ++j) idx[j] = uint32_t(start + size_t(j));
  load_batch(ws, data, idx, b);
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
  e.count += size_t(b);
}

}  // namespace

Evaluation evaluate(const Params& p, const Dataset& data, Workspace& ws, size_t limit) {
  EvaluationBuilder job;
  job.begin(p, data, limit);
  job.step(ws, data.size());
  return job.take();
}

void EvaluationBuilder::begin(const Params& p, const Dataset& data, size_t limit) {
  p_ = &p;
  data_ = &data;
  n_ = limit ? std::min(limit, data.size()) : data.size();
  next_ = 0;
  e_ = Evaluation{};
}

bool EvaluationBuilder::step(Workspace& ws, size_t images) {
  if (idx_.size() < size_t(ws.max_batch))
    idx_.resize(size_t(ws.max_batch));  // once: later slices allocate nothing
  const size_t end = std::min(n_, next_ + std::max<size_t>(images, 1));
  while (next_ < end) {
    const int b = int(std::min<size_t>(size_t(ws.max_batch), n_ - next_));
    evaluate_batch(*p_, *data_, ws, idx_.data(), next_, b, e_);
    next_ += size_t(b);
  }
  return next_ >= n_;
}

Evaluation EvaluationBuilder::take() {
  Evaluation e = e_;
  if (e.count) e.loss /= double(e.count);
  p_ = nullptr;
  data_ = nullptr;
  return e;
}

}  // namespace bs
