// The trial's models: a fresh model trained for whole epochs with a given recipe (the pretrained model's is
// default_train_config(), 5 epochs; docs/training.md). Deterministic for a seed and a kernel choice.
#pragma once

#include <cstdint>

#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/train/trainer.h"

namespace bs {

constexpr int kRecipeEpochs = 5;

// Initialised from `seed` (scaled by init_scale), shuffled by `seed`, trained `epochs` epochs on `train`.
Model train_recipe(const Dataset& train, uint64_t seed, int epochs, TrainConfig cfg = default_train_config(),
                   float init_scale = 1.0f);

}  // namespace bs
