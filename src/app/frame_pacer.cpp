#include "app/frame_pacer.h"

#include <algorithm>

namespace bs::app {

double FramePacer::next(double now_ms) {
  if (last_ >= 0) {
    const double interval = now_ms - last_;
    intervals_[count_++ % kWindow] = float(interval);
    if (count_ % kWindow == 0) {
      // The display's period is the quick end of the intervals (their 10th percentile), and the smallest such
      // value seen: frames can be late, never early. A copy on the stack: nth_element reorders it.
      auto sorted = intervals_;
      std::nth_element(sorted.begin(), sorted.begin() + kWindow / 10, sorted.end());
      const double quick = std::clamp(double(sorted[kWindow / 10]), 4.0, 50.0);
      period_ = period_ > 0 ? std::min(period_, quick) : quick;
    }
    if (period_ > 0) {
      const bool late = interval > 1.5 * period_;
      late_share_ = 0.95 * late_share_ + 0.05 * (late ? 1.0 : 0.0);
      if (late_share_ > 0.25) {
        work_ = std::max(kMinWorkMs, work_ * 0.97);
      } else if (!late) {
        work_ = std::min(kMaxWorkMs, work_ + 0.05);
      }
    }
  }
  last_ = now_ms;
  return work_;
}

}  // namespace bs::app
