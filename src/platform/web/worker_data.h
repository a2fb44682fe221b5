// The training worker's copy of the data (trainer_worker.cpp streams it in), which the trial's experiments
// in the same worker read (trial_worker.cpp).
#pragma once

#include "core/data/dataset.h"

namespace bs::worker {

const Dataset& train_set();
const Dataset& test_set();

}  // namespace bs::worker
