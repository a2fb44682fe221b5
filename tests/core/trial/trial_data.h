// What the trial's tests share: the data subspace of the first training images, and seeded random
// directions.
#pragma once

#include <Eigen/Core>

#include "core/analysis/subspace.h"
#include "core/util/rng.h"
#include "tests/core/mnist_data.h"

namespace bs::test_trial {

inline const Subspace& head_subspace() {
  static Subspace s = data_subspace(bs::test::train_head());
  return s;
}

inline Eigen::VectorXf random_vector(uint64_t seed) {
  Pcg32 rng(seed);
  Eigen::VectorXf v(kPixels);
  for (int k = 0; k < kPixels; ++k) v[k] = rng.normal_portable();
  return v;
}

}  // namespace bs::test_trial
