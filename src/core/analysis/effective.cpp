#include "core/analysis/effective.h"

namespace bs {

EffectiveWeights effective_weights(const Params& p) {
  EffectiveWeights e;
  e.layer[0] = p.w1;
  e.layer[1].noalias() = p.w2 * p.w1;
  e.layer[2].noalias() = p.w3 * e.layer[1];
  return e;
}

}  // namespace bs
