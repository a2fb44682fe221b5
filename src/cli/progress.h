// A one-line progress bar with rate and ETA, redrawn in place on a terminal; silent otherwise (callers then
// print plain per-epoch lines).
#pragma once

#include <chrono>
#include <string>

namespace bs::cli {

class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled) {}
  // `done` of `total` units in the phase named `label`; redraws at most ~10 times a second.
  void update(const std::string& label, long long done, long long total, const char* unit);
  void clear();

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point phase_start_{}, last_draw_{};
  std::string label_;
  bool drawn_ = false;
};

}  // namespace bs::cli
