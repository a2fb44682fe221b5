#include "core/analysis/linear_view.h"

#include <algorithm>

#include "core/analysis/input_gradient.h"
#include "core/nn/mlp.h"

namespace bs {

LinearView linear_view(const Params& p, const Subspace& s, int k, const float* x, const float* x_adv,
                       int source, int target, int steps) {
  const int n = p.arch().in;
  steps = std::max(steps, 1);
  Eigen::Map<const Eigen::VectorXf> x0(x, n), x1(x_adv, n);
  const Eigen::VectorXf delta = x1 - x0;

  // The two ends, for the actual change of m and for which ReLUs switched.
  Workspace ws(p.arch(), 2);
  ws.x.col(0) = x0;
  ws.x.col(1) = x1;
  forward(p, ws, 2, nullptr);

  // Gradient of m = logit_target - logit_source through each midpoint's own ReLU pattern, averaged.
  InputGradient grad_target(p, NeuronId{3, target}), grad_source(p, NeuronId{3, source});
  Eigen::VectorXf point(n), gt(n), gs(n);
  Eigen::VectorXd g = Eigen::VectorXd::Zero(n);
  for (int j = 0; j < steps; ++j) {
    point = x0 + (float(j) + 0.5f) / float(steps) * delta;
    grad_target(point.data(), gt.data());
    grad_source(point.data(), gs.data());
    g += (gt - gs).cast<double>();
  }
  g /= double(steps);

  LinearView v;
  v.contribution.resize(size_t(n));
  for (int i = 0; i < n; ++i) {
    const double ci = g[i] * double(delta[i]);
    v.contribution[size_t(i)] = float(ci);
    v.total += ci;
    (s.never_lit.size() == size_t(n) && s.never_lit[size_t(i)] ? v.never_lit : v.lit) += ci;
  }
  auto m = [&](int col) { return double(ws.logits(target, col)) - double(ws.logits(source, col)); };
  v.actual = m(1) - m(0);
  std::vector<float> in(static_cast<size_t>(n));
  split_span(s, k, delta.data(), in.data(), nullptr);
  for (int i = 0; i < n; ++i) {
    v.in_span += g[i] * double(in[size_t(i)]);
    v.off_span += g[i] * (double(delta[i]) - double(in[size_t(i)]));
  }
  for (int i = 0; i < int(ws.z1.rows()); ++i) v.switched += (ws.z1(i, 0) > 0) != (ws.z1(i, 1) > 0);
  for (int i = 0; i < int(ws.z2.rows()); ++i) v.switched += (ws.z2(i, 0) > 0) != (ws.z2(i, 1) > 0);
  return v;
}

}  // namespace bs
