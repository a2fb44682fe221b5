// Sound boxes for the hidden pre-activations over S: where each neuron can be, which decides which ReLUs
// are stable (their relaxation exact) and which branch and bound must split.
#pragma once

#include "core/robust/dual_bound.h"

namespace bs {

// Layer 1: exact per neuron (c = +-W1_i over S). Layer 2: the tighter of interval arithmetic and the dual
// bound on each neuron and its negation (CROWN's multipliers, then `iterations` steps of ascent).
NeuronBoxes root_boxes(const NetworkD& net, DualBound& dual, int iterations);

// Layer 2's boxes again, for layer-1 boxes that splits have narrowed; each end keeps the tighter of old and
// new. Neurons already stable are left as they are.
void tighten_layer2(const NetworkD& net, DualBound& dual, NeuronBoxes& b, int iterations);

}  // namespace bs
