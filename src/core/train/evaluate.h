// Accuracy and loss of a model over a dataset, in batches through a caller-owned workspace.
#pragma once

#include <array>

#include "core/data/dataset.h"
#include "core/nn/mlp.h"

namespace bs {

struct Evaluation {
  size_t count = 0;
  size_t correct = 0;
  double loss = 0.0;  // mean cross-entropy
  std::array<size_t, kClasses> class_count{}, class_correct{};
  double accuracy() const { return count ? double(correct) / double(count) : 0.0; }
  double class_accuracy(int c) const { return class_count[c] ? double(class_correct[c]) / double(class_count[c]) : 0.0; }
};

// Evaluates the first min(limit, data.size()) images (limit 0: all).
Evaluation evaluate(const Params& p, const Dataset& data, Workspace& ws, size_t limit = 0);

}  // namespace bs
