// Milliseconds on a monotonic clock: the time budgets of training, the subspace and the surveys inside a
// frame, and of the training worker's slices. One clock for the page, the worker, the desktop app and the
// CLI.
#pragma once

#include <chrono>

namespace bs {

inline double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

// A time-boxed slice of work done in steps: calls `step` (which returns true once the work is done) until the
// work is done or `budget_ms` have passed since `start_ms`, and says whether it is done. The first
// `min_steps` steps run whatever the clock says, so that a slow device takes more frames for the same work
// rather than none at all.
template <class Step>
bool step_within(double start_ms, double budget_ms, Step step, int min_steps = 0) {
  for (int i = 0;; ++i) {
    if (i >= min_steps && now_ms() - start_ms >= budget_ms) return false;
    if (step()) return true;
  }
}

}  // namespace bs
