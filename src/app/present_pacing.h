// How often the page hands a changed picture to the browser. Each presented frame costs the browser's
// compositor, and with software WebGL a CPU core, more than one frame's time: on a phone-class core (Chromium
// throttled 4x, 390x844) the page presented 13-21 changed pictures a second while the model trained and drew
// 41-50 frames a second; presenting them at most every 50 ms it drew 53-60. A change nobody asked for (a
// training report, an analysis refresh) can wait that long; what follows a reader's action (a drag, a key, a
// set() from the article) is presented at once, for a short while after the action too, since its effects
// may land a few frames later.
#pragma once

#include <limits>

namespace bs::app {

class PresentPacing {
 public:
  // `passive_interval_ms` 0: every changed picture is presented at once.
  explicit PresentPacing(double passive_interval_ms = 0, double reader_window_ms = 250)
      : interval_ms_(passive_interval_ms), reader_window_ms_(reader_window_ms) {}

  // The reader did something at `now_ms` (an input event, a request from the page).
  void reader_acted(double now_ms) { last_reader_ms_ = now_ms; }
  // Whether a changed picture may be presented at `now_ms`; if not, a later frame presents it.
  bool may_present(double now_ms) const {
    return now_ms - last_present_ms_ >= interval_ms_ || now_ms - last_reader_ms_ < reader_window_ms_;
  }
  void presented(double now_ms) { last_present_ms_ = now_ms; }

 private:
  static constexpr double kLongAgo = -std::numeric_limits<double>::infinity();
  double interval_ms_, reader_window_ms_;
  double last_present_ms_ = kLongAgo;
  double last_reader_ms_ = kLongAgo;
};

}  // namespace bs::app
