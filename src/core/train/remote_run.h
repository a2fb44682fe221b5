// Live training on another thread: the page trains in a Web Worker while its interface draws
// (docs/development.md, "The training worker"). One side asks for a run, the other trains it and reports
// back. Both messages are flat arrays of numbers, which cross postMessage as they are and are checked on
// arrival; the weights travel beside a report as the six tensors of Params::tensors(), in that order.
//
// A run has an id that changes at every reset: a report of an older run is stale and is dropped. A report is
// a checkpoint at an epoch's end and every kCheckpointSteps steps: the training side measures the test
// accuracy there (it holds the test set too), so the showing side's frames carry none of it. The other
// reports only carry the latest weights to draw.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/nn/params.h"
#include "core/train/trainer.h"
#include "core/util/status.h"

namespace bs {

constexpr long long kCheckpointSteps = 400;

struct RunRequest {
  long long run = 0;
  uint64_t seed = 1;  // of the initial weights (below 2^32)
  // Its optimizer, batch, decay, shuffle seed and start_images; the street-smart options and projections
  // are not carried (the live run has none).
  TrainConfig config;
  bool playing = false;
  long long stop_at_step = -1;  // -1: no stop
};

struct RunReport {
  long long run = 0;
  TrainerProgress progress;
  double images_per_second = 0;
  bool checkpoint = false;
  // At a checkpoint, the test accuracy of these weights, measured by the training side over `test_images`
  // test images (all it has at an epoch's end, the first kCheckpointTestImages in between; 0: not measured).
  double test_accuracy = 0;
  size_t test_images = 0;
};

constexpr size_t kCheckpointTestImages = 2000;

std::vector<double> encode_request(const RunRequest& r);
Expected<RunRequest> decode_request(const double* v, size_t n);
std::vector<double> encode_report(const RunReport& r);
Expected<RunReport> decode_report(const double* v, size_t n);

// The weights as one flat array (Params::tensors() order) and back.
size_t flat_size(const Arch& a);
void params_to_flat(const Params& p, float* out);
void params_from_flat(Params& p, const float* in);

// Whether the trainer has just reached a checkpoint (an epoch's end, or a multiple of kCheckpointSteps):
// where either side measures the test accuracy.
inline bool at_checkpoint(const Trainer& t) {
  return t.epoch_just_ended() || t.step() % kCheckpointSteps == 0;
}

// How many steps the training side may run next without passing a checkpoint or the requested stop (at most
// `want`; 0 at the stop).
int steps_before_checkpoint(const Trainer& t, long long stop_at_step, int want);

}  // namespace bs
