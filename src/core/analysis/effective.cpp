#include "core/analysis/effective.h"

#include "core/nn/matmul.h"

namespace bs {

// Row j of W2 W1 is the sum over i of W2(j, i) times row i of W1: exactly the input-gradient kernel's product
// with W2's rows as the "batch" (and likewise W3 times that). The kernel is vectorised in the page too.
void effective_weights(const Params& p, EffectiveWeights* e) {
  const Arch a = p.arch();
  e->layer[0] = p.w1;  // same shape as before: Eigen copies without reallocating
  e->layer[1].resize(a.h2, a.in);
  e->layer[2].resize(a.out, a.in);
  matmul_backward_input(e->layer[1].data(), p.w1.data(), p.w2.data(), a.h1, a.in, a.h2);
  matmul_backward_input(e->layer[2].data(), e->layer[1].data(), p.w3.data(), a.h2, a.in, a.out);
}

EffectiveWeights effective_weights(const Params& p) {
  EffectiveWeights e;
  effective_weights(p, &e);
  return e;
}

}  // namespace bs
