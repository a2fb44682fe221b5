#include "core/analysis/input_gradient.h"

#include <algorithm>

#include "core/nn/matmul.h"

namespace bs {

InputGradient::InputGradient(const Params& p, NeuronId n)
    : p_(p),
      n_(n),
      z1_(p.arch().h1),
      a1_(p.arch().h1),
      z2_(p.arch().h2),
      d1_(p.arch().h1),
      d2_(p.arch().h2) {}

void InputGradient::operator()(const float* x, float* grad) {
  const Arch a = p_.arch();
  if (n_.layer == 1) {
    std::copy(p_.w1.row(n_.index).data(), p_.w1.row(n_.index).data() + a.in, grad);
    return;
  }
  matmul_forward(z1_.data(), a1_.data(), p_.w1.data(), p_.b1.data(), x, a.h1, a.in, 1);
  if (n_.layer == 2) {
    for (int i = 0; i < a.h1; ++i) d1_[i] = z1_[i] > 0 ? p_.w2(n_.index, i) : 0.0f;
  } else {
    matmul_forward(z2_.data(), nullptr, p_.w2.data(), p_.b2.data(), a1_.data(), a.h2, a.h1, 1);
    for (int i = 0; i < a.h2; ++i) d2_[i] = z2_[i] > 0 ? p_.w3(n_.index, i) : 0.0f;
    matmul_backward_input(d1_.data(), p_.w2.data(), d2_.data(), a.h2, a.h1, 1);
    relu_gate(d1_.data(), z1_.data(), a.h1);
  }
  matmul_backward_input(grad, p_.w1.data(), d1_.data(), a.h1, a.in, 1);
}

void neuron_input_gradient(const Params& p, NeuronId n, const float* x, float* grad) {
  InputGradient g(p, n);
  g(x, grad);
}

}  // namespace bs
