// What the robustness tests share: tiny networks whose exact radius can be found, the first correctly
// classified test images, and two real models (the pretrained one and a street-smart one trained here once).
#pragma once

#include <vector>

#include "core/io/model_files.h"
#include "core/model/model.h"
#include "core/robust/norm.h"
#include "core/robust/objective.h"
#include "core/robust/robustness.h"
#include "core/train/trainer.h"
#include "tests/core/mnist_data.h"
#include "tests/core/test_util.h"

namespace bs::test_robust {

using namespace bs;

inline constexpr Norm kNorms[] = {Norm::kLinf, Norm::kL2};

// A random 2-4-4-3 network and a point it classifies, for exact comparisons.
struct Tiny {
  Params p{Arch{2, 4, 4, 3}};
  float x[2];
  int label = 0;
};
inline Tiny tiny(uint64_t seed) {
  Tiny t;
  test::randomize(t.p, seed, 1.0f);
  Pcg32 rng(seed, 99);
  t.x[0] = 0.2f + 0.6f * rng.uniform01();
  t.x[1] = 0.2f + 0.6f * rng.uniform01();
  Workspace ws(t.p.arch(), 1);
  float probs[3];
  t.label = predict_one(t.p, ws, t.x, probs);
  return t;
}

// The first n correctly classified test images as columns, with their goals.
struct Images {
  Mat x;
  std::vector<Goal> goals;
  std::vector<uint32_t> index;
};
inline Images correct_test_images(const Params& p, size_t n) {
  const Dataset& test = test::mnist(Split::kTest);
  Images im;
  im.index = first_correct_images(p, test, n);
  im.x = dataset_columns(test, im.index);
  im.goals = dataset_goals(test, im.index);
  return im;
}

inline int predicted(const Params& p, const float* x) {
  Workspace ws(p.arch(), 1);
  std::vector<float> probs(size_t(p.w3.rows()));
  return predict_one(p, ws, x, probs.data());
}

inline const Model& street_smart_model() {
  static Model m = [] {
    Dataset data = test::head(test::mnist(Split::kTrain), 20000);
    Model model = make_model(Arch{}, 1);
    TrainConfig cfg = default_train_config();
    cfg.adversarial = fgsm_training(0.1f);
    Trainer t(cfg, Arch{});
    while (!t.train_steps(model.params, data, 1000) || !t.epoch_just_ended()) {
    }
    return model;
  }();
  return m;
}

inline const Model& pretrained_model() {
  static Model m = load_model(BOOKSMART_PRETRAINED).value();
  return m;
}

}  // namespace bs::test_robust
