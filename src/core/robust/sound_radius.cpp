#include "core/robust/sound_radius.h"

#include "core/robust/neuron_boxes.h"

namespace bs {

bool soundly_certified(const NetworkD& net, const float* x, int label, Norm norm, float eps) {
  const InputSet s(norm, x, net.in(), double(eps));
  DualBound dual(net, s);
  const NeuronBoxes boxes = root_boxes(net, dual, 0);
  for (int j = 0; j < net.width(2); ++j) {
    if (j == label) continue;
    const DualObjective o = margin_objective(net, label, j);
    dual.evaluate(boxes, o, dual.crown_multipliers(boxes, o));
    if (!(dual.bound() > 0)) return false;
  }
  return true;
}

float sound_certified_radius(const NetworkD& net, const float* x, int label, Norm norm, float eps) {
  if (eps <= 0) return 0;
  for (float step = 1e-4f; step < 0.5f; step *= 2) {
    if (soundly_certified(net, x, label, norm, eps)) return eps;
    eps *= 1 - step;
  }
  return 0;
}

}  // namespace bs
