// The parameters of the 784-64-64-10 network (sizes kept general so tests can use tiny networks).
//
// Layout at every boundary:
//   weights  (out, in), Eigen RowMajor: memory order equals PyTorch's nn.Linear.weight, so safetensors files
//            are written and read without transposes.
//   biases   (out).
//   activations elsewhere are (features, batch) column-major: one column per sample, contiguous.
#pragma once

#include <Eigen/Core>
#include <array>
#include <cstdint>

namespace bs {

using MatRM = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Mat = Eigen::MatrixXf;
using Vec = Eigen::VectorXf;

struct Arch {
  int in = 784, h1 = 64, h2 = 64, out = 10;
  bool operator==(const Arch& o) const { return in == o.in && h1 == o.h1 && h2 == o.h2 && out == o.out; }
};

struct TensorView {
  const char* name;  // "layer1.weight", ...
  float* data;
  int rows, cols;  // cols == 1 for biases
  bool is_bias;
  int size() const { return rows * cols; }
};

struct Params {
  MatRM w1, w2, w3;  // (h1, in), (h2, h1), (out, h2)
  Vec b1, b2, b3;    // (h1), (h2), (out)

  explicit Params(const Arch& a = Arch{});
  Arch arch() const { return Arch{int(w1.cols()), int(w1.rows()), int(w2.rows()), int(w3.rows())}; }
  void set_zero();
  // The six tensors in a fixed order (weights and biases of layers 1, 2, 3): what optimizers and files
  // iterate.
  std::array<TensorView, 6> tensors();
  std::array<TensorView, 6> tensors() const { return const_cast<Params*>(this)->tensors(); }
};

// He-uniform weights for the ReLU layers and Glorot-uniform for the output layer, zero biases, times `scale`.
// Every value comes from integer draws and correctly rounded arithmetic (sqrt, *, +), so the same seed gives
// bit-identical weights natively and in WebAssembly.
void init_params(Params& p, uint64_t seed, float scale = 1.0f);

}  // namespace bs
