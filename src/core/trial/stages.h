// A long computation cut into units small enough to run between two frames of an interface. Each stage is a
// function called again and again until it returns true; it keeps its progress in state it shares with the
// later stages. The CLI runs the same stages to the end in one go (run()), so the page and the CLI compute
// the same thing, and only the size of each unit differs (Slicing).
#pragma once

#include <functional>
#include <utility>
#include <vector>

namespace bs {

// How much one call of a stage does: test images attacked or measured, minibatch steps trained.
struct Slicing {
  int images = 1 << 30;
  int train_steps = 1000;
  // Light units for an interface frame (a few milliseconds each in WebAssembly).
  static Slicing frame() { return {1, 2}; }
};

class Stages {
 public:
  using Stage = std::function<bool()>;
  void add(Stage s) { stages_.push_back(std::move(s)); }
  bool done() const { return next_ >= stages_.size(); }
  // One call of the current stage; nothing when done.
  void step() {
    if (!done() && stages_[next_]()) ++next_;
  }
  void run() {
    while (!done()) step();
  }
  size_t finished() const { return next_; }
  size_t count() const { return stages_.size(); }

 private:
  std::vector<Stage> stages_;
  size_t next_ = 0;
};

}  // namespace bs
