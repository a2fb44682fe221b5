#include "core/robust/objective.h"

#include <algorithm>
#include <cmath>

#include "core/nn/layers.h"

namespace bs {
namespace {

// The largest logit other than `skip`.

}  // namespace

int best_other(const float* z, int out, int skip) {
  int best = -1;
  for (int c = 0; c < out; ++c)
    if (c != skip && (best < 0 || z[c] > z[best])) best = c;
  return best;
}

void attack_logits(const Params& p, Workspace& ws, int b) {
  dense_relu_forward(ws.z1.leftCols(b), ws.a1.leftCols(b), p.w1, p.b1, ws.x.leftCols(b));
  dense_relu_forward(ws.z2.leftCols(b), ws.a2.leftCols(b), p.w2, p.b2, ws.a1.leftCols(b));
  dense_forward(ws.logits.leftCols(b), p.w3, p.b3, ws.a2.leftCols(b));
}

bool goal_reached(const float* z, int out, const Goal& g) {
  const int pred = int(std::max_element(z, z + out) - z);
  return g.target < 0 ? pred != g.label : pred == g.target;
}

float goal_margin(const float* z, int out, const Goal& g) {
  if (g.target < 0) return z[best_other(z, out, g.label)] - z[g.label];
  return z[g.target] - z[best_other(z, out, g.target)];
}

void objective_input_gradient(const Params& p, Workspace& ws, int b, const Goal* goals, AttackLoss loss) {
  const int out = int(ws.logits.rows());
  for (int j = 0; j < b; ++j) {
    const float* z = ws.logits.col(j).data();
    float* d = ws.d3.col(j).data();
    const Goal& g = goals[j];
    std::fill(d, d + out, 0.0f);
    if (loss == AttackLoss::kMargin) {
      const int pos = g.target < 0 ? best_other(z, out, g.label) : g.target;
      const int neg = g.target < 0 ? g.label : best_other(z, out, g.target);
      d[pos] += 1.0f;
      d[neg] -= 1.0f;
      continue;
    }
    // d CE(z, y) / dz = softmax(z) - onehot(y); targeted ascent on -CE(z, t) is its negative.
    const float m = *std::max_element(z, z + out);
    float sum = 0;
    for (int c = 0; c < out; ++c) sum += (d[c] = std::exp(z[c] - m));
    const float sign = g.target < 0 ? 1.0f : -1.0f;
    for (int c = 0; c < out; ++c) d[c] = sign * d[c] / sum;
    d[g.target < 0 ? g.label : g.target] -= sign;
  }
  dense_backward_input(ws.d2.leftCols(b), p.w3, ws.d3.leftCols(b));
  relu_backward(ws.d2.leftCols(b), ws.z2.leftCols(b));
  dense_backward_input(ws.d1.leftCols(b), p.w2, ws.d2.leftCols(b));
  relu_backward(ws.d1.leftCols(b), ws.z1.leftCols(b));
  dense_backward_input(ws.dx.leftCols(b), p.w1, ws.d1.leftCols(b));
}

}  // namespace bs
