// Everything the interface shows, in one place. Panels draw from it and change it only through the small set of
// functions below, so training, analysis and drawing stay separate: training advances in bounded slices between
// frames (advance()), never inside a draw call.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/analysis/attack.h"
#include "core/analysis/dataset_stats.h"
#include "core/analysis/effective.h"
#include "core/analysis/sparsity.h"
#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/train/trainer.h"

namespace bs::app {

enum class Phase { kLoading, kTraining, kPaused, kReady, kError };
const char* phase_name(Phase p);

struct TrainingView {
  std::vector<float> loss;      // one point per evaluation
  std::vector<float> accuracy;  // test accuracy at the same points
  std::vector<float> at_epoch;  // x axis: epochs (fractional)
};

struct AppState {
  // Data: grows while it streams in.
  Dataset train, test;

  // Model and its training.
  Model model;
  std::string model_source = "untrained";  // "pretrained", "training (seed N)", ...
  TrainConfig config = default_train_config();
  uint64_t seed = 1;
  std::unique_ptr<Trainer> trainer;
  bool playing = false;
  TrainingView history;
  float test_accuracy = 0;
  double images_per_second = 0;

  // Analysis, refreshed from the model on a timer while it changes.
  EffectiveWeights effective;
  DatasetStats stats;            // over the first kStatsImages test images
  Sparsity sparsity;
  bool analysis_dirty = true;
  long generation = 0;           // bumped by every refresh: views re-upload images when it changes
  double last_analysis_time = -1;

  // Selection and the overlay attack.
  NeuronId selected{3, 0};
  long long attack_index = -1;   // test image being attacked (-1: pick the first correct 7)
  int attack_digit = 7;
  int target = 0;
  NeuronId pattern{3, 0};
  float alpha = 0;
  bool clip = true;
  FlipResult flip;
  std::vector<float> attack_x;   // (784) the attacked image in [0, 1]; set by refresh_analysis
  std::vector<float> unit;       // (784) the pattern scaled to max |p| = 1; set by refresh_analysis
  std::vector<float> blend;      // (784) x(alpha); set by refresh_overlay
  std::vector<float> probs = std::vector<float>(10, 0.0f);
  int prediction = -1;
  bool crossed_announced = false;

  // Buffers reused by every refresh, so the per-frame path allocates nothing.
  Workspace probe_ws{Arch{}, 1};
  Workspace eval_ws{Arch{}, 500};

  std::string notice;            // visible, non-blocking message (errors at boundaries)
  Phase phase = Phase::kLoading;
  double fps = 0;
};

constexpr size_t kStatsImages = 2000;

// Starts training from a fresh initialisation with the state's seed and config.
void reset_training(AppState& s);
// Replaces the model (e.g. pretrained); training state starts over from it.
void use_model(AppState& s, Model m, const std::string& source);
// Runs training for about `budget_ms` milliseconds if playing, then refreshes analysis when due. `now` is seconds.
void advance(AppState& s, double now, double budget_ms);
// Recomputes effective weights, dataset features, sparsity and the attack now.
void refresh_analysis(AppState& s);
// Recomputes the blend and its prediction at the current alpha (cheap: one forward pass).
void refresh_overlay(AppState& s);

}  // namespace bs::app
