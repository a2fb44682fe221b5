// Real MNIST for the unit tests (loaded once per process) and a small model trained on it.
#pragma once

#include "core/io/mnist_files.h"
#include "core/model/model.h"
#include "core/train/trainer.h"

namespace bs::test {

inline const Dataset& mnist(Split split) {
  static Dataset train = load_mnist_split(BOOKSMART_MNIST_DIR, Split::kTrain).value();
  static Dataset test = load_mnist_split(BOOKSMART_MNIST_DIR, Split::kTest).value();
  return split == Split::kTrain ? train : test;
}

inline Dataset head(const Dataset& d, size_t n) {
  Dataset out;
  out.images.assign(d.images.begin(), d.images.begin() + long(n * kPixels));
  out.labels.assign(d.labels.begin(), d.labels.begin() + long(n));
  out.declared = uint32_t(n);
  return out;
}

// The first 5,000 training images: the trial's tests' training set (a class has about 500 of them).
inline const Dataset& train_head() {
  static Dataset d = head(mnist(Split::kTrain), 5000);
  return d;
}

// Seed 1, the default recipe, one epoch over the first 20,000 training images (about 95 % on the test set).
inline const Model& small_trained_model() {
  static Model m = [] {
    Dataset data = head(mnist(Split::kTrain), 20000);
    Model model = make_model(Arch{}, 1);
    Trainer t(default_train_config(), Arch{});
    while (!t.train_steps(model.params, data, 1000) || !t.epoch_just_ended()) {
    }
    return model;
  }();
  return m;
}

// Seed 1, one epoch of `cfg` over `data`.
inline Params train_one_epoch(const TrainConfig& cfg, const Dataset& data) {
  Model m = make_model(Arch{}, 1);
  Trainer t(cfg, Arch{});
  while (!t.train_steps(m.params, data, 1000) || !t.epoch_just_ended()) {
  }
  return m.params;
}

}  // namespace bs::test
