// Experiment b of the trial: do the patterns that fool model A also fool model B, trained with the same
// recipe from another seed? The off-span story says no for the off-span part (each seed leaves different
// random leftovers); the non-robust-features story says yes (the features are the data's, not the seed's).
//
// Directions made on A and blended into test 7s at alpha = 1, x + d clipped to [0, 1]:
//   full, in_span, off_span  A's output pattern for the target and its two parts (max |d| = 1;
//   attack_survey.h) pgd                      each image's minimal targeted L2 PGD perturbation on A, scaled
//   by pgd_scale fgsm                     the targeted sign step on A's gradient (max |d| = 1)
// For each, the share of the 7s that A classifies correctly, and of those B does, that turn into the target.
// While both train (in lockstep), the cosine between A's and B's output patterns, in-span and off-span parts
// apart, every `track_every` steps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/analysis/subspace.h"
#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/robust/robustness.h"

namespace bs {

struct TransferSettings {
  int source = 7, target = 0;
  int k = 0;  // 0: the smallest k holding 95 % of the variance
  int epochs = 5;
  float pgd_scale = 1.5f;
  int track_every = 100;      // training steps between cosine points
  int max_images = 0;         // test images of the source digit to use (0: all)
  RobustnessSettings attack;  // for the pgd direction (its norm is ignored: always L2)
};

struct DirectionTransfer {
  std::string name;           // full, in_span, off_span, pgd, fgsm
  double on_a = 0, on_b = 0;  // share of the correctly classified source images turned into the target
};

struct CosinePoint {
  long step = 0;
  double in_span = 0, off_span = 0;  // mean over the classes of cos(A's part, B's part)
};

struct TransferReport {
  Model a, b;
  int k = 0;
  int count_a = 0, count_b = 0;  // source images each model classifies correctly
  std::vector<DirectionTransfer> directions;
  std::vector<CosinePoint> cosine;
};

// Trains A from seed_a and B from seed_b (default_train_config(), `epochs` epochs each), then measures.
TransferReport transfer_experiment(const Dataset& train, const Dataset& test, const Subspace& subspace,
                                   uint64_t seed_a, uint64_t seed_b, const TransferSettings& s);

// The directions made on `a`, applied to `a` and to `b` (the second half of transfer_experiment); the counts
// of source images each model classifies correctly.
std::vector<DirectionTransfer> measure_transfer(const Params& a, const Params& b, const Dataset& test,
                                                const Subspace& subspace, int k, const TransferSettings& s,
                                                int* count_a, int* count_b);

// The cosine point of two models' output patterns (rows of W3 W2 W1), split against the top k directions.
CosinePoint pattern_cosine(const Params& a, const Params& b, const Subspace& subspace, int k);

}  // namespace bs
