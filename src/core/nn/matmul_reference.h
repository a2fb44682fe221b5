// Plain-loop versions of the kernels in matmul.h, the reference their tests compare against (natively and in
// WebAssembly). Accumulation is in double, so the reference is the more accurate of the two.
#pragma once

namespace bs::reference {

inline void matmul_forward(float* z, float* a, const float* w, const float* b, const float* x, int out,
                           int in, int batch) {
  for (int j = 0; j < batch; ++j)
    for (int i = 0; i < out; ++i) {
      double s = b[i];
      for (int k = 0; k < in; ++k) s += double(w[i * in + k]) * x[j * in + k];
      z[j * out + i] = float(s);
      if (a) a[j * out + i] = s > 0 ? float(s) : 0.0f;
    }
}

inline void matmul_backward_weights(float* dw, const float* dz, const float* x, int out, int in, int batch,
                                    bool accumulate = false) {
  for (int i = 0; i < out; ++i)
    for (int k = 0; k < in; ++k) {
      double s = accumulate ? dw[i * in + k] : 0.0;
      for (int j = 0; j < batch; ++j) s += double(dz[j * out + i]) * x[j * in + k];
      dw[i * in + k] = float(s);
    }
}

inline void matmul_backward_input(float* dx, const float* w, const float* dz, int out, int in, int batch) {
  for (int j = 0; j < batch; ++j)
    for (int k = 0; k < in; ++k) {
      double s = 0;
      for (int i = 0; i < out; ++i) s += double(w[i * in + k]) * dz[j * out + i];
      dx[j * in + k] = float(s);
    }
}

}  // namespace bs::reference
