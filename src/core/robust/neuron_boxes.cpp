#include "core/robust/neuron_boxes.h"

#include <algorithm>
#include <cmath>

#include "core/robust/sound_sum.h"

namespace bs {
namespace {

// Interval arithmetic through one ReLU layer, rounding counted: z2_k over h1 in [relu(l1), relu(u1)].
void interval_layer2(const NetworkD& net, NeuronBoxes& b) {
  const int h1 = net.width(0), h2 = net.width(1);
  for (int k = 0; k < h2; ++k) {
    SoundSum lo, hi;
    const double bk = net.b[1][k];
    lo.add(bk, std::fabs(bk), 0);
    hi.add(-bk, std::fabs(bk), 0);
    for (int i = 0; i < h1; ++i) {
      const double w = net.w[1](k, i), a = std::max(b.l[0][i], 0.0), c = std::max(b.u[0][i], 0.0);
      const double low = std::min(w * a, w * c), high = std::max(w * a, w * c);
      lo.add(low, std::fabs(low), 1);
      hi.add(-high, std::fabs(high), 1);
    }
    b.l[1][k] = lo.lower();
    b.u[1][k] = -hi.lower();
  }
}

void dual_layer2(const NetworkD& net, DualBound& dual, NeuronBoxes& b, int iterations) {
  for (int k = 0; k < net.width(1); ++k) {
    if (!b.unstable(1, k)) continue;
    for (double sign : {1.0, -1.0}) {
      const DualObjective o = neuron_objective(net, k, sign);
      Slopes a = initial_slopes(b);
      const double v = dual.optimize(b, o, a, iterations);
      if (sign > 0) {
        b.l[1][k] = std::max(b.l[1][k], v);
      } else {
        b.u[1][k] = std::min(b.u[1][k], -v);
      }
    }
  }
}

}  // namespace

NeuronBoxes root_boxes(const NetworkD& net, DualBound& dual, int iterations) {
  NeuronBoxes b;
  const int h1 = net.width(0);
  b.l[0].resize(h1);
  b.u[0].resize(h1);
  for (int i = 0; i < h1; ++i) {
    const VecD w = net.w[0].row(i).transpose();
    b.l[0][i] = dual.linear_bound(w, net.b[0][i]);
    b.u[0][i] = -dual.linear_bound(-w, -net.b[0][i]);
  }
  b.l[1].resize(net.width(1));
  b.u[1].resize(net.width(1));
  interval_layer2(net, b);
  dual_layer2(net, dual, b, iterations);
  return b;
}

void tighten_layer2(const NetworkD& net, DualBound& dual, NeuronBoxes& b, int iterations) {
  dual_layer2(net, dual, b, iterations);
}

}  // namespace bs
