// Everything the interface shows, in one place. Panels draw from it and change it only through the small set of
// functions below, so training, analysis and drawing stay separate: training advances in bounded slices between
// frames (advance()), never inside a draw call.
//
// Two models live here: the pretrained one (shipped with the page, or given to the desktop app) and the one
// training live from a seed. The views show one of them (`show_pretrained`), and the reader can switch at any
// time; training goes on either way.
#pragma once

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "app/compare_state.h"
#include "app/data_feed.h"
#include "app/drawing.h"
#include "app/exports.h"
#include "app/lab_state.h"
#include "app/views.h"
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

// What happens once enough training images have arrived: start training live (auto), or keep showing the
// pretrained model until the reader presses Train (pretrained).
enum class StartMode { kAuto, kPretrained };

struct TrainingView {
  std::vector<float> loss;      // one point per evaluation
  std::vector<float> accuracy;  // test accuracy at the same points
  std::vector<float> at_epoch;  // x axis: epochs (fractional)
};

constexpr size_t kStatsImages = 2000;      // test images behind the dataset features, sparsity and accuracy
constexpr size_t kAutoStartImages = 4096;  // training images that must be in before auto mode starts training
constexpr size_t kAnalysisImagesPerFrame = 250;  // a refresh's pass over the images, spread over frames
constexpr float kAlphaMax = 3.0f;  // the overlay's alpha runs from 0 to this (the flip search's range too)

struct AppState {
  AppState() = default;
  // Streams keep pointers to the datasets below: the state stays where it was made.
  AppState(const AppState&) = delete;
  AppState& operator=(const AppState&) = delete;

  // Data: grows while it streams in (feed), plus a few test digits shipped with the page so the first figures
  // need no download.
  Dataset train, test, samples;
  DataFeed feed;

  // The two models and which one the views show.
  Model pretrained;
  bool has_pretrained = false;
  std::string pretrained_source = "pretrained";
  Model live;
  std::unique_ptr<Trainer> trainer;  // non-null once live training has started
  bool show_pretrained = true;
  StartMode start_mode = StartMode::kAuto;
  bool auto_started = false;

  // Live training.
  TrainConfig config = default_train_config();
  uint64_t seed = 1;
  bool playing = false;
  TrainingView history;
  float test_accuracy = 0;      // of the live model: the whole test set at epoch ends, 2,000 images in between
  size_t test_accuracy_images = 0;
  std::vector<float> epoch_accuracy;         // at each epoch's end, over the test images arrived by then
  std::vector<size_t> epoch_accuracy_images;
  float shown_accuracy = 0;     // of the model on view (over the analysis images)
  double images_per_second = 0;

  // Analysis of the shown model, refreshed on a timer while it changes.
  EffectiveWeights effective;
  DatasetStats stats;            // over the first kStatsImages analysis images
  Sparsity sparsity;
  bool analysis_dirty = true;
  long generation = 0;           // bumped by every analysis refresh: views re-upload their images
  long overlay_generation = 0;   // bumped when only the blend changed (alpha moves)
  double last_analysis_time = -1;
  DatasetStatsBuilder analysis_job;      // a refresh in progress, a slice per frame
  const Dataset* analysis_job_data = nullptr;
  double last_train_ms = 0;              // time advance() spent training in its last call

  // Selection and the overlay attack.
  NeuronId selected{3, 0};
  long long attack_index = -1;   // test image being attacked (-1: pick the first correct digit)
  bool attack_custom = false;    // the reader's own digit is attacked instead (custom_x)
  std::vector<float> custom_x;   // (784) the drawn digit
  int custom_label = -1;         // what the model read it as when the reader chose to attack it
  long long requested_index = -1;  // asked for (URL, set()) but not arrived yet
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

  // Buffers reused by every refresh, so the per-frame path allocates nothing.
  Workspace probe_ws{Arch{}, 1};
  Workspace eval_ws{Arch{}, 500};

  // The data subspace and the attack comparison (views Subspace and Attacks).
  Lab lab;
  // The street-smart model and the side-by-side comparison (view Compare).
  Compare compare;
  long model_serial = 0;         // bumped whenever a model is (re)made or loaded: keys its initial weights

  // The reader's own digit (view Draw), and where its pad was last drawn (x, y, width, height in display units).
  Drawing drawing;
  std::array<float, 4> draw_area{};

  // Richer portraits of the selected neuron (view Neurons), recomputed when the selection or the model changes.
  std::vector<size_t> portrait_top;          // the most activating analysis images
  std::vector<float> portrait_free, portrait_regularised;  // gradient-ascent images
  long portrait_key = -1;
  NeuronId portrait_neuron{0, 0};
  double portrait_time = -1;

  // Live training stops at this step (a shared link's replay), -1: no stop.
  long long stop_at_step = -1;

  // Downloads for the platform to deliver, and a PNG capture of the next frame.
  std::vector<Download> downloads;
  bool capture_requested = false;

  // Presentation.
  View view = View::kNeurons;
  bool view_requested = true;    // the tab bar selects `view` on the next frame
  bool embed = false;            // one view alone, no tabs (embed.html)
  bool dark = false;             // dark colours (the reader's prefers-color-scheme)
  std::string notice;            // visible, non-blocking message (errors at boundaries, invalid URL values)
  Phase phase = Phase::kLoading;
  double fps = 0;
  double frame_other_ms = 0;     // the platform loop's smoothed frame time outside training (drawing, analysis)

  bool has_model() const { return has_pretrained || trainer != nullptr; }
  const Model& shown() const { return show_pretrained && has_pretrained ? pretrained : live; }
  // The images the analysis runs over: the streamed test set, or the shipped samples until it has more.
  const Dataset& analysis_data() const { return test.size() >= std::min(samples.size(), kStatsImages) ? test : samples; }
  std::string model_label() const;
  // The attacked image's label: the dataset's, or what the model read the reader's own digit as.
  int attack_label() const {
    if (attack_custom) return custom_label;
    const Dataset& d = analysis_data();
    return attack_index >= 0 && size_t(attack_index) < d.size() ? d.label(size_t(attack_index)) : -1;
  }
};

// Starts live training from a fresh initialisation with the state's seed and config, and shows it.
void reset_training(AppState& s);
// Installs the pretrained model (or any model file) and shows it.
void use_pretrained(AppState& s, Model m, const std::string& source);
// Chooses the model on view.
void show_model(AppState& s, bool pretrained);
// Adds a notice for the reader (appended to any notice already showing).
void add_notice(AppState& s, const std::string& message);
// Runs training for about `budget_ms` milliseconds if playing, then advances the analysis: a refresh starts at
// most every 0.4 s once the model changed, and runs kAnalysisImagesPerFrame images per call, so no frame
// carries a whole pass; its results replace the old ones all at once. `now` is seconds.
void advance(AppState& s, double now, double budget_ms);
// Recomputes effective weights, dataset features, sparsity and the attack now, in one go.
void refresh_analysis(AppState& s);
// Recomputes the blend and its prediction at the current alpha (cheap: one forward pass).
void refresh_overlay(AppState& s);
// The selected neuron's top activating images and optimized images: at once when the selection changes, at
// most every 1.5 s while the model does (each costs two 200-step gradient ascents).
void refresh_portraits(AppState& s, double now);

}  // namespace bs::app
