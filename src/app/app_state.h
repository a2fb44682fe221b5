// Everything the interface shows, in one place. Panels draw from it and change it only through the small set
// of functions below, so training, analysis and drawing stay separate: training advances in bounded slices
// between frames (advance()), never inside a draw call.
//
// Two models live here: the pretrained one (shipped with the page, or given to the desktop app) and the one
// training live from a seed. The views show one of them (`show_pretrained`), and the reader can switch at any
// time; training goes on either way.
#pragma once

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/books.h"
#include "app/compare_state.h"
#include "app/data_feed.h"
#include "app/drawing.h"
#include "app/exports.h"
#include "app/robust_state.h"
#include "app/subspace_state.h"
#include "app/trial_state.h"
#include "app/ui_font.h"
#include "app/view_key.h"
#include "app/views.h"
#include "core/analysis/attack.h"
#include "core/analysis/dataset_stats.h"
#include "core/analysis/effective.h"
#include "core/analysis/optimized_image.h"
#include "core/analysis/sparsity.h"
#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/train/evaluate.h"
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

// The portrait ascents' share of a frame: steps run while it lasts, at least one of each. On a desktop core
// that is about 20 steps, on a phone-class core a few; the images are the same however the steps are sliced.
constexpr double kPortraitSliceMs = 2.0;
constexpr size_t kStatsImages = 2000;      // test images behind the dataset features, sparsity and accuracy
constexpr size_t kAutoStartImages = 4096;  // training images that must be in before auto mode starts training
constexpr double kAnalysisSliceMs =
    3.0;                           // a refresh's pass over the images, spread over frames: its share of each
constexpr float kAlphaMax = 3.0f;  // the overlay's alpha runs from 0 to this (the flip search's range too)

// The live model's training run: its recipe, its progress and its record.
struct TrainingRun {
  Model model;
  std::unique_ptr<Trainer> trainer;  // non-null once live training has started
  StartMode start_mode = StartMode::kAuto;
  bool auto_started = false;
  TrainConfig config = default_train_config();
  uint64_t seed = 1;
  bool playing = false;
  TrainingView history;
  float test_accuracy = 0;  // the whole test set at epoch ends, 2,000 images in between
  size_t test_accuracy_images = 0;
  // At each epoch's end, over the test images arrived by then; NaN with 0 images if none had.
  std::vector<float> epoch_accuracy;
  std::vector<size_t> epoch_accuracy_images;
  double images_per_second = 0;
  double last_train_ms = 0;     // time advance() spent training in its last call
  long long stop_at_step = -1;  // live training stops at this step (a shared link's replay), -1: no stop
  // Trained on another thread (the page's worker, remote_training.h): `trainer` then only mirrors its
  // progress and `model` receives its weights. Chosen before training starts.
  bool remote = false;
  long long run_id = 0;  // bumped at every reset, so that reports of an older run are dropped
  // The evaluation in progress, of the weights as they were when it started, spread over frames.
  Params eval_params;
  EvaluationBuilder eval_job;
  bool eval_epoch_end = false;  // an epoch's end: the whole test set, and an entry in epoch_accuracy
  float eval_at_epoch = 0, eval_loss = 0;  // the history point it completes
};

// What the views show of the model on view, refreshed on a timer while it changes.
struct Analysis {
  EffectiveWeights effective;
  DatasetStats stats;  // over the first kStatsImages analysis images
  Sparsity sparsity;
  float shown_accuracy = 0;  // of the model on view, over the same images
  bool dirty = true;
  long generation = 0;          // bumped by every refresh: views re-upload their images
  double last_time = -1;        // when the last refresh started (-1: a reader's action wants one now)
  double last_pass_s = 0;       // how long the last sliced pass took, start to finish
  DatasetStatsBuilder job;      // a refresh in progress, a slice per frame
  bool attack_pending = false;  // the finished refresh's attack runs next frame (publish_attack)
  const Dataset* job_data = nullptr;
  Workspace eval_ws{Arch{}, 500};  // reused by every evaluation, so the per-frame path allocates nothing
};

// The overlay attack: which image, which pattern, how much of it, and what the model then says.
struct OverlayAttack {
  long long index = -1;            // test image being attacked (-1: pick the first correct digit)
  bool custom = false;             // the reader's own digit is attacked instead (custom_x)
  std::vector<float> custom_x;     // (784) the drawn digit
  int custom_label = -1;           // what the model read it as when the reader chose to attack it
  long long requested_index = -1;  // asked for (URL, set()) but not arrived yet
  int digit = 7;
  int target = 0;
  NeuronId pattern{3, 0};
  float alpha = 0;
  bool clip = true;
  FlipResult flip;
  std::vector<float> x;      // (784) the attacked image in [0, 1]; set by refresh_analysis
  std::vector<float> unit;   // (784) the pattern scaled to max |p| = 1; set by refresh_analysis
  std::vector<float> blend;  // (784) x(alpha); set by refresh_overlay
  std::vector<float> probs = std::vector<float>(10, 0.0f);
  int prediction = -1;
  long blend_generation = 0;  // bumped when only the blend changed (alpha moves)
  Workspace probe_ws{Arch{}, 1};
};

// Richer portraits of the selected neuron (view Neurons), recomputed when the selection or the model changes.
struct Portraits {
  std::vector<size_t> top;               // the most activating analysis images
  std::vector<float> free, regularised;  // gradient-ascent images
  ViewKey key;                           // what they show
  double time = -1;                      // when the ascents behind the shown or coming portraits began
  // The two ascents on their way, a slice each frame; what they will show. The portraits above change only
  // once both are done.
  InputAscent free_job, regularised_job;
  ViewKey pending;
  bool running() const { return free_job.running() || regularised_job.running(); }
};

// How the interface is shown: the view, the selection, the reader's preferences and messages, the frame's
// figures.
struct Presentation {
  View view = View::kNeurons;
  bool view_requested = true;  // the tab bar selects `view` on the next frame
  NeuronId selected{3, 0};
  bool embed = false;    // one view alone, no tabs (embed.html)
  bool compact = false;  // the view alone, no status line, save row or tabs (the story on a phone)
  bool dark = false;     // dark colours (the reader's prefers-color-scheme)
  bool onscreen = true;  // false while an embed is scrolled out of view: no frames, no training, no analysis
  std::string notice;    // visible, non-blocking message (errors at boundaries, invalid URL values)
  Phase phase = Phase::kLoading;
  double fps = 0;
  // The frame rate the status line shows: fps as it was at most a second ago. A figure that changes with
  // every flicker of the rate is never the same twice, and the page presents only changed frames.
  double status_fps = 0;
  double status_fps_ms = -1e9;  // when it was taken
  double frame_other_ms = 0;    // the frame's smoothed time outside training (drawing, analysis)
  double worst_frame_ms = 0;    // the slowest of the last 240 frames' work (advance, draw, texture uploads)
  // That frame's work in parts: advancing the state (training, the worker's reports, analysis slices),
  // drawing the panels (texture uploads included) and ImGui's render of the draw lists.
  std::array<double, 3> worst_frame_parts{};
  double median_app_ms =
      0;  // the median of the same frames' work outside training: what the app costs a frame
  // Their lower quartile: on a busy machine the operating system may pause the page's thread inside a frame
  // (a scheduler tick of about 4 ms), which inflates some frames but not the quicker quarter, so this is what
  // tracks the app's own cost when the machine is shared.
  double quartile_app_ms = 0;
  int draw_vertices = 0;      // vertices the last frame handed to the GPU: what the GPU's work grows with
  long frames_presented = 0;  // frames drawn and handed to the display (the page skips unchanged ones)
  std::array<float, 4>
      draw_area{};  // where the Draw pad was last drawn (x, y, width, height in display units)
  std::vector<Download> downloads;  // for the platform to deliver
  bool capture_requested = false;   // a PNG of the next frame
  UiFontState font;                 // the pixel ratio the font atlas was rasterised at
};

struct AppState {
  AppState();
  // Streams keep pointers to the datasets below: the state stays where it was made.
  AppState(const AppState&) = delete;
  AppState& operator=(const AppState&) = delete;

  // Which dataset this state holds. Another one is another state: a switch (the `dataset` field) only asks
  // for it here, and the platform replaces the whole state (fresh_state), so that no image, model or result
  // of one book can survive into the other.
  Book book = Book::kMnist;
  std::optional<Book> book_wanted;
  const long serial;  // unique to this state in the process: what was drawn for another state is stale

  // Data: grows while it streams in (feed), plus a few test digits shipped with the page so the first figures
  // need no download.
  Dataset train, test, samples;
  DataFeed feed;

  // The two models and which one the views show: the pretrained one (shipped with the page, or a file) and
  // the one training live.
  Model pretrained;
  bool has_pretrained = false;
  std::string pretrained_source = "pretrained";
  TrainingRun run;
  bool show_pretrained = true;
  long model_serial = 0;  // bumped whenever a model is (re)made or loaded: keys its initial weights

  Analysis analysis;
  OverlayAttack attack;
  Portraits portraits;
  SubspaceState subspace;  // the data subspace and the attack comparison (views Subspace and Attacks)
  RobustnessState robust;  // certified and attack radii (view Robustness)
  Compare compare;         // the street-smart model and the side-by-side comparison (view Compare)
  TrialState trial;        // the experiments on the explanations (view Trial)
  Drawing drawing;         // the reader's own digit (view Draw)
  Presentation ui;

  bool has_model() const { return has_pretrained || run.trainer != nullptr; }
  const Model& shown() const { return show_pretrained && has_pretrained ? pretrained : run.model; }
  // The images the analysis runs over: the streamed test set, or the shipped samples until it has more.
  const Dataset& analysis_data() const {
    return test.size() >= std::min(samples.size(), kStatsImages) ? test : samples;
  }
  std::string model_label() const;
  // The attacked image's label: the dataset's, or what the model read the reader's own digit as.
  int attack_label() const {
    if (attack.custom) return attack.custom_label;
    const Dataset& d = analysis_data();
    return attack.index >= 0 && size_t(attack.index) < d.size() ? d.label(size_t(attack.index)) : -1;
  }
  // What the views' images of the selected neuron depend on.
  ViewKey selected_key() const { return ViewKey{analysis.generation, 0, ui.selected, subspace.k}; }
};

// Starts live training from a fresh initialisation with the run's seed and config, and shows it.
// A new, empty state for `book`, keeping what the reader chose of `old` that does not depend on the data: the
// presentation (view, selection, colours, embed), the live training's recipe, seed, trainer and start mode.
// The overlay's pair becomes the book's default.
std::unique_ptr<AppState> fresh_state(const AppState& old, Book book);

void reset_training(AppState& s);
// Installs the pretrained model (or any model file) and shows it.
void use_pretrained(AppState& s, Model m, const std::string& source);
// Chooses the model on view.
void show_model(AppState& s, bool pretrained);
// Adds a notice for the reader (appended to any notice already showing).
void add_notice(AppState& s, const std::string& message);
// Attacks the next (step +1) or previous (-1) correctly classified test image of the attacked digit; returns
// "" or why there is none (the state is then unchanged).
std::string browse_attack(AppState& s, int step);
// Once per frame, in this order: starts auto training when enough images are in; trains the street-smart and
// the live model for about `budget_ms` milliseconds between them; advances the lab and the comparison when
// their views are open; advances the analysis (a refresh starts at most every 0.4 s once the model changed,
// and runs batches for about kAnalysisSliceMs per call, so no frame carries a whole pass; its results replace
// the old ones all at once); and computes what only the open view shows. `now` is seconds. Draw functions
// never compute: everything they show is made here or by a reader's action.
void advance(AppState& s, double now, double budget_ms);
// Starts evaluating the live model's weights as they are now (the history's next point; the whole test set at
// an epoch's end), spread over the next frames.
void start_evaluation(AppState& s);
// Records a test accuracy measured elsewhere (the training worker) at the live model's current progress, as
// start_evaluation's would be once done; `images` 0 (no test image yet) records only an epoch's end,
// unmeasured.
void record_checkpoint(AppState& s, double accuracy, size_t images);
// Recomputes effective weights, dataset features, sparsity and the attack now, in one go.
void refresh_analysis(AppState& s);
// Recomputes the blend and its prediction at the current alpha (cheap: one forward pass).
void refresh_overlay(AppState& s);
// The selected neuron's top activating images and optimized images: at once when the selection changes, at
// most every 1.5 s while the model does (each costs two 200-step gradient ascents).
void refresh_portraits(AppState& s, double now);

}  // namespace bs::app
