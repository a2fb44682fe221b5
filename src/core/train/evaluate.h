// Accuracy and loss of a model over a dataset, in batches through a caller-owned workspace.
#pragma once

#include <array>
#include <vector>

#include "core/data/dataset.h"
#include "core/nn/mlp.h"

namespace bs {

struct Evaluation {
  size_t count = 0;
  size_t correct = 0;
  double loss = 0.0;  // mean cross-entropy
  std::array<size_t, kClasses> class_count{}, class_correct{};
  double accuracy() const { return count ? double(correct) / double(count) : 0.0; }
  double class_accuracy(int c) const {
    return class_count[c] ? double(class_correct[c]) / double(class_count[c]) : 0.0;
  }
};

// Evaluates the first min(limit, data.size()) images (limit 0: all).
Evaluation evaluate(const Params& p, const Dataset& data, Workspace& ws, size_t limit = 0);

// The same evaluation in slices, so an interface can spread it over frames: the same batches in the same
// order, so the result equals evaluate()'s to the last bit. The caller keeps `p`, `data` and `ws` alive and
// unchanged until done.
class EvaluationBuilder {
 public:
  void begin(const Params& p, const Dataset& data, size_t limit = 0);
  // Evaluates about `images` more (whole batches of the workspace); true once all are done.
  bool step(Workspace& ws, size_t images);
  bool running() const { return p_ != nullptr; }
  // The result, once step() returned true; the builder is then idle.
  Evaluation take();

 private:
  const Params* p_ = nullptr;
  const Dataset* data_ = nullptr;
  size_t n_ = 0, next_ = 0;
  Evaluation e_;
  std::vector<uint32_t> idx_;
};

}  // namespace bs
