// Comparisons of matmul.h's kernels with matmul_reference.h, shared by the native GoogleTest
// (matmul_test.cpp) and the WebAssembly check (tests/web/kernels_check.cpp), so both builds are held to the
// same cases. Each check returns "" on agreement, else a description of the first mismatch.
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
  // With batch >= 16 and out a multiple of the vector width, the wide instruction sets' forward runs on
  // transposed chunks of w (matmul_kernels.h): {16, 5, 18}, {32, 17, 19} and {24, 33, 21} cover its column
  // and row remainders in a single chunk; {64, 784, 32} has 13 chunks, the last of 16 inputs; {48, 100, 17}
  // and {128, 70, 16} end in chunks whose inputs are not a whole number of transposed tiles.
  std::vector<KernelShape> shapes = {{64, 784, 32}, {64, 64, 64},  {10, 64, 1},  {64, 784, 1},
                                     {10, 64, 33},  {16, 5, 18},   {32, 17, 19}, {24, 33, 21},
                                     {48, 100, 17}, {128, 70, 16}, {64, 784, 64}};
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

// Float sums of up to ~800 terms of size <= 1 in another order: agreement to 1e-4 relative to the terms'
// scale.
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

// z = w x + b and a = max(z, 0): both outputs checked.
inline std::string check_forward(const KernelShape& s) {
  auto w = random_floats(size_t(s.out) * s.in, 1), x = random_floats(size_t(s.in) * s.batch, 2);
  auto b = random_floats(size_t(s.out), 8);
  std::vector<float> z(size_t(s.out) * s.batch, NAN), a(z.size(), NAN), want_z(z.size()), want_a(z.size());
  matmul_forward(z.data(), a.data(), w.data(), b.data(), x.data(), s.out, s.in, s.batch);
  reference::matmul_forward(want_z.data(), want_a.data(), w.data(), b.data(), x.data(), s.out, s.in, s.batch);
  std::string e = compare(z, want_z, s.in + 1);
  return e.empty() ? compare(a, want_a, s.in + 1) : "z: " + e;
}

// The ReLU gate and the byte-to-float conversion are exact, at every length (vector body and scalar tail).
inline std::string check_elementwise() {
  for (int n : {1, 3, 4, 5, 15, 16, 17, 64, 784, 4097}) {
    auto d = random_floats(size_t(n), 9), z = random_floats(size_t(n), 10);
    for (int i = 0; i < n; i += 7) z[size_t(i)] = 0.0f;  // the gate at exactly 0 is closed
    std::vector<float> gated = d;
    relu_gate(gated.data(), z.data(), n);
    std::vector<uint8_t> bytes(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) bytes[size_t(i)] = uint8_t((i * 37 + 11) & 255);
    std::vector<float> unit(size_t(n), NAN);
    unit_floats(unit.data(), bytes.data(), n);
    for (int i = 0; i < n; ++i) {
      if (gated[size_t(i)] != (z[size_t(i)] > 0 ? d[size_t(i)] : 0.0f))
        return "relu_gate n=" + std::to_string(n) + " at " + std::to_string(i);
      if (unit[size_t(i)] != float(bytes[size_t(i)]) * (1.0f / 255.0f))
        return "unit_floats n=" + std::to_string(n) + " at " + std::to_string(i);
    }
  }
  return "";
}

inline std::string check_backward_weights(const KernelShape& s, bool accumulate) {
  auto dz = random_floats(size_t(s.out) * s.batch, 3), x = random_floats(size_t(s.in) * s.batch, 4);
  std::vector<float> dw =
      accumulate ? random_floats(size_t(s.out) * s.in, 5) : std::vector<float>(size_t(s.out) * s.in, NAN);
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
