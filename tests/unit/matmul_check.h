// Comparisons of matmul.h's kernels with matmul_reference.h, shared by the native GoogleTest (matmul_test.cpp)
// and the WebAssembly check (tests/web/kernels_check.cpp), so both builds are held to the same cases.
// Each check returns "" on agreement, else a description of the first mismatch.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/nn/matmul.h"
#include "core/nn/matmul_reference.h"
#include "core/util/rng.h"

namespace bs {

struct KernelShape {
  int out, in, batch;
};

inline std::vector<KernelShape> kernel_shapes() {
  // The network's own layers (784-64-64-10 at batch 1, 32, 64) and odd sizes for every remainder path.
  std::vector<KernelShape> shapes = {{64, 784, 32}, {64, 64, 64}, {10, 64, 1}, {64, 784, 1}, {10, 64, 33}};
  for (int out : {1, 2, 3, 4, 5, 7, 10})
    for (int in : {1, 3, 4, 5, 15, 16, 17, 33})
      for (int batch : {1, 2, 3, 4, 5, 9}) shapes.push_back({out, in, batch});
  return shapes;
}

inline std::string describe(const KernelShape& s) {
  return "out=" + std::to_string(s.out) + " in=" + std::to_string(s.in) + " batch=" + std::to_string(s.batch);
}

inline std::vector<float> random_floats(size_t n, uint64_t seed) {
  Pcg32 rng(seed);
  std::vector<float> v(n);
  for (auto& x : v) x = float(rng.below(2001)) / 1000.0f - 1.0f;  // in [-1, 1]
  return v;
}

// Float sums of up to ~800 terms of size <= 1 in another order: agreement to 1e-4 relative to the terms' scale.
inline std::string compare(const std::vector<float>& got, const std::vector<float>& want, int terms) {
  const float tol = 1e-5f * float(terms) + 1e-5f;
  for (size_t i = 0; i < got.size(); ++i) {
    if (!(std::fabs(got[i] - want[i]) <= tol)) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "element %zu: %.7g, reference %.7g", i, double(got[i]), double(want[i]));
      return buf;
    }
  }
  return "";
}

inline std::string check_forward(const KernelShape& s) {
  auto w = random_floats(size_t(s.out) * s.in, 1), x = random_floats(size_t(s.in) * s.batch, 2);
  std::vector<float> z(size_t(s.out) * s.batch, NAN), want(z.size());
  matmul_forward(z.data(), w.data(), x.data(), s.out, s.in, s.batch);
  reference::matmul_forward(want.data(), w.data(), x.data(), s.out, s.in, s.batch);
  return compare(z, want, s.in);
}

inline std::string check_backward_weights(const KernelShape& s, bool accumulate) {
  auto dz = random_floats(size_t(s.out) * s.batch, 3), x = random_floats(size_t(s.in) * s.batch, 4);
  std::vector<float> dw = accumulate ? random_floats(size_t(s.out) * s.in, 5) : std::vector<float>(size_t(s.out) * s.in, NAN);
  std::vector<float> want = dw;
  matmul_backward_weights(dw.data(), dz.data(), x.data(), s.out, s.in, s.batch, accumulate);
  reference::matmul_backward_weights(want.data(), dz.data(), x.data(), s.out, s.in, s.batch, accumulate);
  return compare(dw, want, s.batch + 1);
}

inline std::string check_backward_input(const KernelShape& s) {
  auto w = random_floats(size_t(s.out) * s.in, 6), dz = random_floats(size_t(s.out) * s.batch, 7);
  std::vector<float> dx(size_t(s.in) * s.batch, NAN), want(dx.size());
  matmul_backward_input(dx.data(), w.data(), dz.data(), s.out, s.in, s.batch);
  reference::matmul_backward_input(want.data(), w.data(), dz.data(), s.out, s.in, s.batch);
  return compare(dx, want, s.out);
}

}  // namespace bs
