#include "core/train/optimizer.h"

#include <cmath>

namespace bs {

const char* optimizer_name(OptimizerKind k) {
  return k == OptimizerKind::kSgd ? "sgd" : "adam";
}

Expected<OptimizerKind> parse_optimizer(const std::string& name) {
  if (name == "sgd") return OptimizerKind::kSgd;
  if (name == "adam") return OptimizerKind::kAdam;
  return Error{"unknown optimizer '" + name + "' (expected sgd or adam)"};
}

// The element loops below are compiled for the widest vector unit the CPU has (GCC's target clones, chosen
// once at load time). They do the same operations on each element in every clone, with no fused
// multiply-add (this file is compiled with -ffp-contract=off: AVX-512F has FMA instructions), so the results
// are the same bit for bit as the SSE2 and WebAssembly builds'.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__EMSCRIPTEN__)
#define BOOKSMART_VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define BOOKSMART_VECTOR_CLONES
#endif

namespace {

BOOKSMART_VECTOR_CLONES void adam_update(float* w, const float* grad, float* m, float* v, int n,
                                         const OptimizerConfig& cfg, float lr, float coupled_wd,
                                         float decoupled_wd, float bc1, float bc2) {
  for (int i = 0; i < n; ++i) {
    float gi = grad[i] + coupled_wd * w[i];
    m[i] = cfg.beta1 * m[i] + (1.0f - cfg.beta1) * gi;
    v[i] = cfg.beta2 * v[i] + (1.0f - cfg.beta2) * gi * gi;
    w[i] -= lr * (decoupled_wd * w[i] + (m[i] / bc1) / (std::sqrt(v[i] / bc2) + cfg.eps));
  }
}

BOOKSMART_VECTOR_CLONES void sgd_update(float* w, const float* grad, int n, float lr) {
  for (int i = 0; i < n; ++i) w[i] -= lr * grad[i];
}

BOOKSMART_VECTOR_CLONES void momentum_update(float* w, const float* grad, float* m, int n, float momentum,
                                             float lr, float coupled_wd, float decoupled_wd) {
  for (int i = 0; i < n; ++i) {
    float gi = grad[i] + coupled_wd * w[i];
    m[i] = momentum * m[i] + gi;
    w[i] -= lr * (decoupled_wd * w[i] + m[i]);
  }
}

}  // namespace

void Optimizer::step(Params& p, const Params& g, const OptimizerConfig& cfg, float lr) {
  ++t_;
  const bool adam = cfg.kind == OptimizerKind::kAdam;
  const bool plain = !adam && cfg.momentum == 0.0f && cfg.weight_decay == 0.0f;
  // Plain SGD keeps no moment. A moment left behind by earlier steps is dropped here, so that a later
  // momentum step starts its buffer from that step's own gradient (m = 0 m + g), as PyTorch's SGD does.
  if (plain) {
    if (!moment_cleared_) {
      m_.set_zero();
      moment_cleared_ = true;
    }
  } else {
    moment_cleared_ = false;
  }
  auto pt = p.tensors();
  auto gt = g.tensors();
  auto mt = m_.tensors();
  auto vt = v_.tensors();
  const float bc1 = adam ? 1.0f - std::pow(cfg.beta1, float(t_)) : 1.0f;
  const float bc2 = adam ? 1.0f - std::pow(cfg.beta2, float(t_)) : 1.0f;
  for (size_t k = 0; k < pt.size(); ++k) {
    const int n = pt[k].size();
    const float coupled_wd = (!pt[k].is_bias && !cfg.decoupled_decay) ? cfg.weight_decay : 0.0f;
    const float decoupled_wd = (!pt[k].is_bias && cfg.decoupled_decay) ? cfg.weight_decay : 0.0f;
    if (adam)
      adam_update(pt[k].data, gt[k].data, mt[k].data, vt[k].data, n, cfg, lr, coupled_wd, decoupled_wd, bc1,
                  bc2);
    else if (plain)
      sgd_update(pt[k].data, gt[k].data, n, lr);
    else
      momentum_update(pt[k].data, gt[k].data, mt[k].data, n, cfg.momentum, lr, coupled_wd, decoupled_wd);
  }
}

}  // namespace bs
