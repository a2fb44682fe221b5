// The benchmark workload of bench/README.md, shared by `booksmart bench` (native) and the page's bench module
// (WebAssembly), so both time exactly the trainer the app uses: MLP 784-64-64-10, minibatch 64, plain SGD at
// lr 0.1, one epoch of the training set; inference over the test set.
#pragma once

#include <vector>

#include "core/data/dataset.h"
#include "core/model/model.h"

namespace bs {

constexpr int kBenchBatch = 64;
constexpr float kBenchLr = 0.1f;
// Floating-point operations per training sample: 2 per weight forward, 2 per weight for the weight gradient,
// and 2 per weight for the input gradients of layers 2 and 3 (layer 1 needs none): 229,120.
double train_flops_per_sample(const Arch& a);

// The validation run: from `init`, `steps` plain-SGD steps on the training images in file order (batch b
// takes images b*64 .. b*64+63). Returns the loss of each step (before its update). Every contender computes
// the same.
std::vector<float> bench_validation_losses(const Model& init, const Dataset& train, int steps);

struct BenchTiming {
  double train_seconds = 0;  // one epoch, shuffled, through Trainer (what the app runs)
  long long train_samples = 0;
  double infer_seconds = 0;  // every test image, batches of 1,000
  long long infer_samples = 0;
  float final_loss = 0;
  double test_accuracy = 0;  // after the timed epoch: a sanity check that it trained
};

BenchTiming bench_throughput(const Model& init, const Dataset& train, const Dataset& test);

// PGD adversarial training as the Compare view runs it (the default recipe with PGD-`steps` at L-infinity
// 0.1, no ramp, so every step pays for the full attack): training images per second over the first `images`
// training images.
double bench_pgd_training(const Model& init, const Dataset& train, int steps, size_t images);

}  // namespace bs
