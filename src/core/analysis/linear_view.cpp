#include "core/analysis/linear_view.h"

#include <algorithm>

#include "core/nn/mlp.h"

namespace bs {

LinearView linear_view(const Params& p, const Subspace& s, int k, const float* x, const float* x_adv, int source,
                       int target, int steps) {
  const int n = p.arch().in;
  steps = std::max(steps, 1);
  Eigen::Map<const Eigen::VectorXf> x0(x, n), x1(x_adv, n);
  const Eigen::VectorXf delta = x1 - x0;

  // Columns 0..steps-1: midpoints of the path; columns steps, steps+1: the two ends.
  Workspace ws(p.arch(), steps + 2);
  for (int j = 0; j < steps; ++j) ws.x.col(j) = x0 + (float(j) + 0.5f) / float(steps) * delta;
  ws.x.col(steps) = x0;
  ws.x.col(steps + 1) = x1;
  forward(p, ws, steps + 2, nullptr);

  // Backward of m through each midpoint's own ReLU pattern.
  Eigen::VectorXf c = Eigen::VectorXf::Zero(p.arch().out);
  c[target] += 1.0f;
  c[source] -= 1.0f;
  const Eigen::VectorXf top = p.w3.transpose() * c;
  Eigen::VectorXd g = Eigen::VectorXd::Zero(n);
  for (int j = 0; j < steps; ++j) {
    Eigen::VectorXf d2 = top.cwiseProduct((ws.z2.col(j).array() > 0).cast<float>().matrix());
    Eigen::VectorXf d1 = (p.w2.transpose() * d2).cwiseProduct((ws.z1.col(j).array() > 0).cast<float>().matrix());
    g += (p.w1.transpose() * d1).cast<double>();
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
  v.actual = m(steps + 1) - m(steps);
  std::vector<float> in(static_cast<size_t>(n));
  split_span(s, k, delta.data(), in.data(), nullptr);
  for (int i = 0; i < n; ++i) {
    v.in_span += g[i] * double(in[size_t(i)]);
    v.off_span += g[i] * (double(delta[i]) - double(in[size_t(i)]));
  }
  for (int i = 0; i < int(ws.z1.rows()); ++i) v.switched += (ws.z1(i, steps) > 0) != (ws.z1(i, steps + 1) > 0);
  for (int i = 0; i < int(ws.z2.rows()); ++i) v.switched += (ws.z2(i, steps) > 0) != (ws.z2(i, steps + 1) > 0);
  return v;
}

}  // namespace bs
