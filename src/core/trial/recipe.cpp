#include "core/trial/recipe.h"

namespace bs {

Model train_recipe(const Dataset& train, uint64_t seed, int epochs, TrainConfig cfg, float init_scale) {
  Model model = make_model(Arch{}, seed, init_scale);
  if (train.size() == 0) return model;
  cfg.shuffle_seed = seed;
  Trainer trainer(cfg, Arch{});
  for (int e = 0; e < epochs; ++e) {
    while (!trainer.train_steps(model.params, train, 1000) || !trainer.epoch_just_ended()) {
    }
  }
  return model;
}

}  // namespace bs
