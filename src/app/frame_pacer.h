// How much work a frame may do (training, analysis slices, drawing) so that the page keeps the display's
// frame rate. A fixed 13 ms suits a desktop core with a GPU; where the GPU's work is done by the same CPU
// (software WebGL, or a phone's shared cores), frames come late and training must leave time for drawing. The
// pacer watches the intervals between frames: when many come late it lowers the budget (multiplicatively),
// and while they come on time it gives the time back (additively), up to the full budget.
#pragma once

#include <array>
#include <cstddef>

namespace bs::app {

class FramePacer {
 public:
  static constexpr double kMaxWorkMs = 13.0, kMinWorkMs = 3.0;

  // Called at the start of each frame with a clock in milliseconds; returns this frame's work budget.
  double next(double now_ms);
  double work_ms() const { return work_; }
  // The display's frame period as measured (the quicker intervals), 0 until a window has been seen.
  double period_ms() const { return period_; }

 private:
  static constexpr size_t kWindow = 60;
  double work_ = kMaxWorkMs;
  double last_ = -1;
  double period_ = 0;
  double late_share_ = 0;  // smoothed share of frames that came late
  std::array<float, kWindow> intervals_{};
  size_t count_ = 0;
};

}  // namespace bs::app
