// The optimizers against their formulas, element by element, and the moment's life across a change of recipe.
#include "core/train/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/model/model.h"

namespace bs {
namespace {

// A gradient with every kind of value the updates meet: both signs, several magnitudes, exact zeros.
Params gradient_like(const Arch& arch, uint64_t seed) {
  Params g(arch);
  init_params(g, seed, 0.3f);
  for (auto t : g.tensors())
    for (int i = 0; i < t.size(); i += 7) t.data[i] = 0.0f;
  return g;
}

bool same_bits(const Params& a, const Params& b) {
  auto ta = a.tensors(), tb = b.tensors();
  for (size_t k = 0; k < ta.size(); ++k)
    if (std::memcmp(ta[k].data, tb[k].data, sizeof(float) * size_t(ta[k].size())) != 0) return false;
  return true;
}

// The formulas of optimizer.h, one element at a time. `volatile` keeps the compiler from vectorising or
// fusing them: this is the scalar rounding every build of the optimizer must reproduce.
float sgd_formula(float w, float g, float m_in, float* m_out, const OptimizerConfig& c, float lr, bool bias) {
  volatile float wd = bias ? 0.0f : c.weight_decay;
  volatile float gi = g + wd * w;
  volatile float m = c.momentum * m_in + gi;
  *m_out = m;
  volatile float step = lr * m;
  return w - step;
}

// w - lr g on every element, the plain SGD step's formula.
Params plain_step_formula(Params w, const Params& g, float lr) {
  auto tw = w.tensors(), tg = g.tensors();
  for (size_t k = 0; k < tw.size(); ++k)
    for (int i = 0; i < tw[k].size(); ++i) {
      volatile float step = lr * tg[k].data[i];
      tw[k].data[i] = tw[k].data[i] - step;
    }
  return w;
}

TEST(Optimizer, MomentumSgdMatchesItsFormulaBitForBitOnEveryElement) {
  const Arch arch;
  Params p(arch), want(arch);
  init_params(p, 1);
  want = p;
  Params m_want(arch);
  m_want.set_zero();
  OptimizerConfig c;
  c.momentum = 0.9f;
  c.weight_decay = 1e-3f;
  Optimizer opt(arch);
  for (uint64_t step = 0; step < 3; ++step) {
    const Params g = gradient_like(arch, 10 + step);
    opt.step(p, g, c, 0.05f);
    auto tw = want.tensors(), tg = g.tensors(), tm = m_want.tensors();
    for (size_t k = 0; k < tw.size(); ++k)
      for (int i = 0; i < tw[k].size(); ++i)
        tw[k].data[i] =
            sgd_formula(tw[k].data[i], tg[k].data[i], tm[k].data[i], &tm[k].data[i], c, 0.05f, tw[k].is_bias);
  }
  EXPECT_TRUE(same_bits(p, want));
}

TEST(Optimizer, AdamMatchesItsFormulaBitForBitOnEveryElement) {
  const Arch arch;
  Params p(arch);
  init_params(p, 2);
  Params want = p, m(arch), v(arch);
  m.set_zero();
  v.set_zero();
  OptimizerConfig c;
  c.kind = OptimizerKind::kAdam;
  c.weight_decay = 1e-2f;
  c.decoupled_decay = true;
  Optimizer opt(arch);
  const float lr = 1e-3f;
  for (int t = 1; t <= 3; ++t) {
    const Params g = gradient_like(arch, 20 + uint64_t(t));
    opt.step(p, g, c, lr);
    const float bc1 = 1.0f - std::pow(c.beta1, float(t)), bc2 = 1.0f - std::pow(c.beta2, float(t));
    auto tw = want.tensors(), tg = g.tensors(), tm = m.tensors(), tv = v.tensors();
    for (size_t k = 0; k < tw.size(); ++k)
      for (int i = 0; i < tw[k].size(); ++i) {
        volatile float wd = tw[k].is_bias ? 0.0f : c.weight_decay;
        volatile float gi = tg[k].data[i];
        volatile float mi = c.beta1 * tm[k].data[i] + (1.0f - c.beta1) * gi;
        volatile float g1 = (1.0f - c.beta2) * gi;  // the code's order: ((1 - b2) g) g
        volatile float vi = c.beta2 * tv[k].data[i] + g1 * gi;
        tm[k].data[i] = mi;
        tv[k].data[i] = vi;
        volatile float denom = std::sqrt(vi / bc2) + c.eps;
        volatile float ratio = (mi / bc1) / denom;
        volatile float step = lr * (wd * tw[k].data[i] + ratio);
        tw[k].data[i] = tw[k].data[i] - step;
      }
  }
  EXPECT_TRUE(same_bits(p, want));
}

TEST(Optimizer, PlainSgdSubtractsTheScaledGradientAndNothingElse) {
  const Arch arch;
  Params p(arch);
  init_params(p, 3);
  const Params want_from = p;
  const Params g = gradient_like(arch, 30);
  OptimizerConfig c;
  c.momentum = 0.0f;
  Optimizer opt(arch);
  opt.step(p, g, c, 0.1f);
  EXPECT_TRUE(same_bits(p, plain_step_formula(want_from, g, 0.1f)));
}

TEST(Optimizer, AMomentumStepAfterPlainStepsStartsItsMomentFromItsOwnGradient) {
  // Momentum steps, then plain ones, then momentum again: the last step moves by lr * g alone, as a fresh
  // momentum buffer would (PyTorch starts it from the gradient too); nothing of the earlier moment survives.
  const Arch arch;
  Params p(arch);
  init_params(p, 4);
  OptimizerConfig momentum, plain;
  momentum.momentum = 0.9f;
  plain.momentum = 0.0f;
  Optimizer opt(arch);
  opt.step(p, gradient_like(arch, 40), momentum, 0.1f);
  opt.step(p, gradient_like(arch, 41), plain, 0.1f);
  opt.step(p, gradient_like(arch, 42), plain, 0.1f);
  const Params before = p;
  const Params g = gradient_like(arch, 43);
  opt.step(p, g, momentum, 0.1f);
  EXPECT_TRUE(same_bits(p, plain_step_formula(before, g, 0.1f)));
}

}  // namespace
}  // namespace bs
