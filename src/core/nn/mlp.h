// The whole network's forward and backward pass over a minibatch, built from the kernels in layers.h.
// Workspace holds every buffer a step needs, sized once for the largest batch, so training allocates nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "core/data/dataset.h"
#include "core/nn/layers.h"
#include "core/nn/params.h"

namespace bs {

struct Workspace {
  Workspace(const Arch& arch, int max_batch);

  int max_batch;
  Mat x;                   // (in, B)   inputs in [0, 1]
  Mat z1, a1;              // (h1, B)   pre- and post-ReLU
  Mat z2, a2;              // (h2, B)
  Mat logits, probs;       // (out, B)
  Mat d3, d2, d1;          // (out, B), (h2, B), (h1, B)   loss gradients w.r.t. z3, z2, z1
  Mat dx;                  // (in, B)   loss gradient w.r.t. the input (adversarial training, attacks)
  std::vector<uint8_t> y;  // (B)       labels
  Params grad;             // same shapes as the parameters
  // Layer 1's weights, given and in grad, hold (in, h1) row-major data in the (h1, in) matrix: the layout the
  // trainer keeps them in with the wide kernels (trainer.h). forward and backward only; no input gradient.
  bool layer1_input_major = false;
};

// Copies images `indices[0..b)` of `data` into ws.x (scaled to [0, 1]) and their labels into ws.y.
void load_batch(Workspace& ws, const Dataset& data, const uint32_t* indices, int b);

// Asks the cache for images `indices[0..b)` ahead of their load_batch. A shuffled epoch reads images
// scattered over the whole set, each a miss to memory; issued one batch early, the misses overlap a whole
// training step instead of stalling load_batch (it halved load_batch's time in the benchmark's loop). Changes
// no value.
void prefetch_batch(const Dataset& data, const uint32_t* indices, int b);

// Forward pass over the first b columns of ws.x. Fills z*, a*, logits and probs. Returns the mean loss when
// `labels` is given (else 0).
float forward(const Params& p, Workspace& ws, int b, const uint8_t* labels);

// Backward pass after forward(): fills ws.grad with d(mean loss)/d(params). With `input_grad` also ws.dx.
void backward(const Params& p, Workspace& ws, int b, const uint8_t* labels, bool input_grad = false);

// Backward pass after forward() for the input alone: ws.dx = d(mean loss)/d(ws.x), skipping the parameter
// gradients, which an attack's inner steps (adversarial training) do not use: a third of backward's work.
void input_backward(const Params& p, Workspace& ws, int b, const uint8_t* labels);

// Class probabilities of one image x (in, 784 floats in [0, 1]) written to probs (out). Allocation-free
// given the workspace; returns the predicted class.
int predict_one(const Params& p, Workspace& ws, const float* x, float* probs);

// The same for an image already in column 0 of ws.x (callers that build the input in place, like the
// overlay).
int predict_column0(const Params& p, Workspace& ws, float* probs);

}  // namespace bs
