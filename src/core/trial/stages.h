// A long computation cut into units small enough to run between two frames of an interface. Each stage is a
// function called again and again until it returns true; it keeps its progress in state it shares with the
// later stages. The CLI runs the same stages to the end in one go (run()), so the page and the CLI compute
// the same thing, and only the size of each unit differs (Slicing).
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <utility>
#include <vector>

namespace bs {

// How much one call of a stage does: test images attacked or measured, minibatch steps trained.
struct Slicing {
  int images = 1 << 30;
  int train_steps = 1000;
  // Light units for an interface frame (one or two milliseconds each in WebAssembly), so that several fit in
  // a frame's budget and the last one overruns it by little.
  static Slicing frame() { return {1, 1}; }
};

class Stages {
 public:
  using Stage = std::function<bool()>;
  void add(Stage s) { stages_.push_back(std::move(s)); }
  bool done() const { return next_ >= stages_.size(); }
  // One call of the current stage; nothing when done.
  void step() {
    if (done()) return;
    if (time_.size() < stages_.size()) time_.resize(stages_.size());
    const auto start = std::chrono::steady_clock::now();
    const bool finished = stages_[next_]();
    StageTime& t = time_[next_];
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    t.total_ms += ms;
    t.longest_ms = std::max(t.longest_ms, ms);
    ++t.calls;
    if (finished) ++next_;
  }
  void run() {
    while (!done()) step();
  }
  size_t finished() const { return next_; }
  size_t count() const { return stages_.size(); }
  // Where the time went, per stage: what to split when a unit makes an interface's frame late.
  struct StageTime {
    double total_ms = 0, longest_ms = 0;
    long calls = 0;
  };
  const std::vector<StageTime>& times() const { return time_; }

 private:
  std::vector<Stage> stages_;
  size_t next_ = 0;
  std::vector<StageTime> time_;
};

// What every experiment's job offers an interface: one unit of work at a time, whether it is done, and where
// its time went. A job adds its stages to stages_ when it is made.
class StagedJob {
 public:
  bool done() const { return stages_.done(); }
  void step() { stages_.step(); }
  const std::vector<Stages::StageTime>& stage_times() const { return stages_.times(); }
  size_t stage() const { return stages_.finished(); }
  size_t stages() const { return stages_.count(); }

 protected:
  Stages stages_;
};

}  // namespace bs
