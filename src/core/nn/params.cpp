#include "core/nn/params.h"

#include <cmath>

#include "core/util/rng.h"

namespace bs {

Params::Params(const Arch& a)
    : w1(MatRM::Zero(a.h1, a.in)),
      w2(MatRM::Zero(a.h2, a.h1)),
      w3(MatRM::Zero(a.out, a.h2)),
      b1(Vec::Zero(a.h1)),
      b2(Vec::Zero(a.h2)),
      b3(Vec::Zero(a.out)) {}

void Params::set_zero() {
  for (TensorView t : tensors()) std::fill(t.data, t.data + t.size(), 0.0f);
}

std::array<TensorView, 6> Params::tensors() {
  return {{{"layer1.weight", w1.data(), int(w1.rows()), int(w1.cols()), false},
           {"layer1.bias", b1.data(), int(b1.size()), 1, true},
           {"layer2.weight", w2.data(), int(w2.rows()), int(w2.cols()), false},
           {"layer2.bias", b2.data(), int(b2.size()), 1, true},
           {"layer3.weight", w3.data(), int(w3.rows()), int(w3.cols()), false},
           {"layer3.bias", b3.data(), int(b3.size()), 1, true}}};
}

namespace {

// Fills `w` with U(-limit, limit). limit is computed in double (sqrt is correctly rounded everywhere), and
// each value is (2u - 1) * limit with u a 24-bit integer draw: no transcendental function touches the result.
void fill_uniform(MatRM& w, double limit, Pcg32& rng) {
  for (Eigen::Index i = 0; i < w.size(); ++i) {
    double u = double(rng.next_u32() >> 8) * (1.0 / 16777216.0);
    w.data()[i] = float((2.0 * u - 1.0) * limit);
  }
}

}  // namespace

void init_params(Params& p, uint64_t seed, float scale) {
  Pcg32 rng(seed, /*stream=*/0x1217);
  const Arch a = p.arch();
  fill_uniform(p.w1, std::sqrt(6.0 / a.in) * scale, rng);
  fill_uniform(p.w2, std::sqrt(6.0 / a.h1) * scale, rng);
  fill_uniform(p.w3, std::sqrt(6.0 / (a.h2 + a.out)) * scale, rng);
  p.b1.setZero();
  p.b2.setZero();
  p.b3.setZero();
}

}  // namespace bs
