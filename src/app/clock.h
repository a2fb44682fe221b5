// Milliseconds on a monotonic clock: the time budgets of training, the subspace and the surveys inside a
// frame.
#pragma once

#include <chrono>

namespace bs::app {

inline double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace bs::app
