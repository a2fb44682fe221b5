// The trial's experiments in the training worker, so that the page's frames carry none of their work. The
// page hands over one experiment at a time (bw_trial_request: which, on what model); once the worker's copy
// of the training and test sets is complete, it builds its own data subspace (the same code and chunks as
// the page's, so the same numbers), then runs the experiment in the same frame-sized units the page would
// use, so its figures equal the page's. shell/trainer-worker.js calls bw_trial_step() between training
// slices and posts bw_trial_result()'s numbers (core/trial/experiment.h) back.
#include <emscripten.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/subspace.h"
#include "core/trial/experiment.h"
#include "core/util/clock.h"
#include "platform/web/worker_data.h"

namespace {

// Images per subspace step: a multiple of the builder's 256-image chunk, so that its sums are the page's.
constexpr size_t kSubspaceStepImages = 1024;

struct TrialSide {
  bs::SubspaceBuilder builder;
  bs::Subspace subspace;
  std::optional<bs::ExperimentRequest> pending;
  std::unique_ptr<bs::ExperimentJob> job;
  std::vector<double> result;
  std::string message;
};

TrialSide& trial() {
  static TrialSide t;
  return t;
}

}  // namespace

extern "C" {

// The page's request for an experiment. It replaces whatever ran before (the page asks for the next only
// when the last is done, or anew after a reset). Returns "" or why the request was refused.
EMSCRIPTEN_KEEPALIVE const char* bw_trial_request(const double* v, int n) {
  auto q = bs::decode_experiment_request(v, size_t(n < 0 ? 0 : n));
  TrialSide& t = trial();
  if (!q.ok()) {
    t.message = q.error();
    return t.message.c_str();
  }
  t.job.reset();
  t.pending = std::move(q.value());
  t.message.clear();
  return t.message.c_str();
}

// Works on the trial for about `budget_ms`. Returns 0 when there is nothing to do now (no experiment, or the
// data still arriving), 1 after progress, 2 when the experiment has just finished.
EMSCRIPTEN_KEEPALIVE int bw_trial_step(double budget_ms) {
  TrialSide& t = trial();
  if (!t.pending && (!t.job || t.job->done())) return 0;
  const bs::Dataset& train = bs::worker::train_set();
  const bs::Dataset& test = bs::worker::test_set();
  if (!train.complete() || !test.complete()) return 0;  // each arriving chunk wakes the loop again
  const double start = bs::now_ms();
  if (t.subspace.empty()) {
    if (!t.builder.running()) t.builder.begin(train.size());
    bool built = false;
    do {
      built = t.builder.step(train, kSubspaceStepImages);
    } while (!built && bs::now_ms() - start < budget_ms);
    if (built) {
      t.subspace = t.builder.finish();
      t.builder = bs::SubspaceBuilder{};  // its sums and chunk buffers (8 MB) are no longer needed
    }
    return 1;
  }
  if (t.pending) {
    bs::ExperimentInputs in;
    in.train = &train;
    in.test = &test;
    in.subspace = &t.subspace;
    in.a = std::move(t.pending->a);
    in.seed = t.pending->seed;
    in.source = t.pending->source;
    in.target = t.pending->target;
    // The page's units (Slicing::frame()): a different slicing would round the figures differently.
    t.job = std::make_unique<bs::ExperimentJob>(t.pending->experiment, std::move(in),
                                                bs::page_trial_settings(), bs::Slicing::frame());
    t.pending.reset();
  }
  do {
    t.job->step();
  } while (!t.job->done() && bs::now_ms() - start < budget_ms);
  return t.job->done() ? 2 : 1;
}

// The running (or just finished) experiment's figures as numbers; bw_trial_result_size() is their count
// (0: no experiment has started).
EMSCRIPTEN_KEEPALIVE const double* bw_trial_result() {
  TrialSide& t = trial();
  t.result = t.job ? t.job->encoded() : std::vector<double>{};
  return t.result.data();
}
EMSCRIPTEN_KEEPALIVE int bw_trial_result_size() {
  return int(trial().result.size());
}

}  // extern "C"
