// Parameter updates. Both optimizers walk the six tensors as flat arrays, element by element.
#pragma once

#include <string>

#include "core/nn/params.h"
#include "core/util/status.h"

namespace bs {

enum class OptimizerKind { kSgd, kAdam };

struct OptimizerConfig {
  OptimizerKind kind = OptimizerKind::kSgd;
  float lr = 0.1f;
  float momentum = 0.9f;                            // SGD only; 0 gives plain SGD
  float beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;  // Adam only
  float weight_decay = 0.0f;                        // on weights, not biases
  bool decoupled_decay = false;  // false: L2 added to the gradient; true: AdamW-style shrink of the weights
};

const char* optimizer_name(OptimizerKind k);
Expected<OptimizerKind> parse_optimizer(const std::string& name);

class Optimizer {
 public:
  explicit Optimizer(const Arch& arch) : m_(arch), v_(arch) {}

  // One update of `p` from gradient `g` at learning rate `lr` (the schedule's value for this step).
  //   SGD:  v = momentum v + (g + wd w);  w -= lr v
  //   Adam: m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  w -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
  //   decoupled decay: w -= lr wd w, separately from the gradient step.
  // Plain SGD (momentum and decay zero) reads and writes only w and g: the moment is zeroed once when it
  // starts and left alone after.
  void step(Params& p, const Params& g, const OptimizerConfig& cfg, float lr);
  // The moments (SGD's momentum buffer is the first), for a trainer that keeps a tensor in its own layout.
  Params& first_moment() { return m_; }
  Params& second_moment() { return v_; }
  void reset() {
    m_.set_zero();
    v_.set_zero();
    t_ = 0;
    moment_cleared_ = true;
  }

 private:
  Params m_, v_;
  long long t_ = 0;
  bool moment_cleared_ = true;  // m_ is all zero (it starts so)
};

}  // namespace bs
