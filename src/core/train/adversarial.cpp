#include "core/train/adversarial.h"

#include <algorithm>

namespace bs {

AdversarialConfig fgsm_training(float eps) {
  AdversarialConfig c;
  c.eps = eps;
  return c;
}

AdversarialConfig pgd_training(float eps, int steps, Norm norm) {
  AdversarialConfig c;
  c.eps = eps;
  c.norm = norm;
  c.steps = steps;
  c.step_ratio = 2.5f;  // Madry et al.'s choice: the k steps together can cross the ball and back
  c.random_start = true;
  c.mix_clean = false;
  c.ramp_epochs = 1.0f;
  return c;
}

float ramped_eps(const AdversarialConfig& c, double images_seen, double epoch_size) {
  if (!c.on()) return 0.0f;
  if (c.ramp_epochs <= 0 || epoch_size <= 0) return c.eps;
  return c.eps * float(std::min(1.0, images_seen / (double(c.ramp_epochs) * epoch_size)));
}

AdversarialBatch::AdversarialBatch(const AdversarialConfig& c, const Arch& arch, int max_batch, uint64_t seed)
    : c_(c),
      x0_(arch.in, c.on() ? max_batch : 0),
      clean_grad_(c.on() && c.mix_clean ? arch : Arch{0, 0, 0, 0}),
      rng_(seed, /*stream=*/0xad5e7) {}

float AdversarialBatch::gradient(const Params& p, Workspace& ws, int b, float eps) {
  const uint8_t* y = ws.y.data();
  if (eps <= 0) {
    const float loss = forward(p, ws, b, y);
    backward(p, ws, b, y);
    return loss;
  }
  const int n = int(ws.x.rows());
  x0_.leftCols(b) = ws.x.leftCols(b);
  float clean_loss = 0;
  bool have_dx = false;  // ws.dx already holds the input gradient at ws.x
  if (c_.mix_clean) {
    clean_loss = forward(p, ws, b, y);
    backward(p, ws, b, y, /*input_grad=*/true);
    auto g = ws.grad.tensors();
    auto cg = clean_grad_.tensors();
    for (size_t t = 0; t < g.size(); ++t) std::copy(g[t].data, g[t].data + g[t].size(), cg[t].data);
    have_dx = true;
  }
  if (c_.random_start) {
    for (int j = 0; j < b; ++j)
      random_point_in_ball(c_.norm, ws.x.col(j).data(), x0_.col(j).data(), eps, n, rng_);
    have_dx = false;
  }
  const float step = c_.step_ratio * eps / float(c_.steps);
  for (int k = 0; k < c_.steps; ++k) {
    if (!have_dx) {
      forward(p, ws, b, y);
      input_backward(p, ws, b, y);
    }
    have_dx = false;
    for (int j = 0; j < b; ++j) {
      float* x = ws.x.col(j).data();
      ascent_step(c_.norm, x, ws.dx.col(j).data(), step, n);
      project(c_.norm, x, x0_.col(j).data(), eps, n);
    }
  }
  float loss = forward(p, ws, b, y);
  backward(p, ws, b, y);
  if (!c_.mix_clean) return loss;
  auto g = ws.grad.tensors();
  auto cg = clean_grad_.tensors();
  for (size_t t = 0; t < g.size(); ++t)
    for (int i = 0; i < g[t].size(); ++i) g[t].data[i] = 0.5f * (g[t].data[i] + cg[t].data[i]);
  return 0.5f * (clean_loss + loss);
}

}  // namespace bs
