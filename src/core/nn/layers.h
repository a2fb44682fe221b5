// The network's kernels: plain functions, outputs first, then inputs. Shapes are given as (rows, cols);
// activations are (features, B) with one column per sample. None of them allocates: every output is a
// preallocated block (Eigen's noalias products write straight into it).
#pragma once

#include <Eigen/Core>
#include <cstdint>

#include "core/nn/params.h"

namespace bs {

using MatOut = Eigen::Ref<Mat>;
using MatIn = const Eigen::Ref<const Mat>&;
using WeightIn = const Eigen::Ref<const MatRM>&;
using WeightOut = Eigen::Ref<MatRM>;
using VecIn = const Eigen::Ref<const Vec>&;
using VecOut = Eigen::Ref<Vec>;

// Dense layer, forward: z = W x + b.   z: (out, B)   W: (out, in)   b: (out)   x: (in, B)
void dense_forward(MatOut z, WeightIn w, VecIn b, MatIn x);
// The same followed by ReLU, fused: a = max(W x + b, 0). z is kept because the backward pass needs the gate.
void dense_relu_forward(MatOut z, MatOut a, WeightIn w, VecIn b, MatIn x);

// Softmax + cross-entropy, forward. Returns the mean loss over the B columns.
// probs: (C, B)   logits: (C, B)   labels: (B), each in [0, C)
// Subtracting each column's max before exp keeps exp from overflowing; the loss uses log-sum-exp directly
// rather than log(prob), which would give -inf for a probability that underflows to 0.
float softmax_xent_forward(MatOut probs, MatIn logits, const uint8_t* labels);

// Softmax + cross-entropy, backward: d(mean loss)/d(logits) = (probs - onehot(labels)) / B.
// dlogits: (C, B)
void softmax_xent_backward(MatOut dlogits, MatIn probs, const uint8_t* labels);

// Dense layer, backward for the parameters: dW = dz x^T, db = sum over the batch of dz.
// dW: (out, in)   db: (out)   dz: (out, B)   x: (in, B)
void dense_backward_params(WeightOut dw, VecOut db, MatIn dz, MatIn x);
// Its bias part alone: db = sum over the batch of dz.
void bias_backward(VecOut db, MatIn dz);

// Dense layer, backward for the input: dx = W^T dz.   dx: (in, B)
void dense_backward_input(MatOut dx, WeightIn w, MatIn dz);

// ReLU, backward, in place: da becomes dz = da * (z > 0). (At z == 0 the subgradient 0 is used.)
void relu_backward(MatOut da, MatIn z);

}  // namespace bs
