#include "app/app_state.h"

#include <limits>

#include "core/analysis/optimized_image.h"
#include "core/train/evaluate.h"
#include "core/train/remote_run.h"
#include "core/util/clock.h"

namespace bs::app {
namespace {

// Training slices are this many optimizer steps; the time budget is checked between them.
constexpr int kStepsPerSlice = 8;
// A new analysis pass starts at most this often (seconds); with the pass spread over about eight frames, the
// views follow the training model a little over twice a second.
constexpr double kAnalysisIntervalS = 0.4;

// Test images an evaluation of the live model covers per frame: it runs in slices like the analysis, so an
// epoch's end (the whole test set) costs no long frame.
constexpr size_t kEvalImagesPerFrame = 1000;

// A finished evaluation of the live model: the test accuracy, an entry of the history, and at an epoch's end
// one of the per-epoch accuracies.
void record_evaluation(TrainingRun& r, double accuracy, size_t images, bool epoch_end, float at_epoch,
                       float loss) {
  r.test_accuracy = float(accuracy);
  r.test_accuracy_images = images;
  if (epoch_end) {
    r.epoch_accuracy.push_back(r.test_accuracy);
    r.epoch_accuracy_images.push_back(images);
  }
  r.history.at_epoch.push_back(at_epoch);
  r.history.loss.push_back(loss);
  r.history.accuracy.push_back(r.test_accuracy);
}

// An epoch that ended before any test image had arrived still gets its entry, with no accuracy (null in
// state()) and no images, so that entry i is always epoch i + 1's.
void record_unmeasured_epoch(TrainingRun& r) {
  r.epoch_accuracy.push_back(std::numeric_limits<float>::quiet_NaN());
  r.epoch_accuracy_images.push_back(0);
}

// Evaluates `images` more of the running evaluation; when it is done, records it.
void advance_evaluation(AppState& s, size_t images) {
  TrainingRun& r = s.run;
  if (!r.eval_job.running() || !r.eval_job.step(s.analysis.eval_ws, images)) return;
  const Evaluation ev = r.eval_job.take();
  record_evaluation(r, ev.accuracy(), ev.count, r.eval_epoch_end, r.eval_at_epoch, r.eval_loss);
}

// Where the live run is, in epochs (fractional).
float epochs_seen(const AppState& s) {
  const SplitCount train = training_set_count(s);
  const double epoch_size = double(train.declared ? train.declared : train.size);
  return float(double(s.run.trainer->images_seen()) / epoch_size);
}

Phase current_phase(const AppState& s);

}  // namespace

// At an epoch's end over the whole (arrived) test set, in between over the first 2,000 images.
void start_evaluation(AppState& s) {
  TrainingRun& r = s.run;
  const Dataset& data = s.analysis_data();
  if (data.size() == 0) {
    if (r.trainer->epoch_just_ended()) record_unmeasured_epoch(r);
    return;
  }
  if (r.eval_job.running())
    advance_evaluation(s, data.size());  // overdue (short early epochs): finish it now
  r.eval_params = r.model.params;        // same shapes: a copy, no allocation
  r.eval_epoch_end = r.trainer->epoch_just_ended();
  r.eval_at_epoch = epochs_seen(s);
  r.eval_loss = r.trainer->last_loss();
  r.eval_job.begin(r.eval_params, data, r.eval_epoch_end ? 0 : kCheckpointTestImages);
}

void record_checkpoint(AppState& s, double accuracy, size_t images) {
  TrainingRun& r = s.run;
  if (images == 0) {
    if (r.trainer->epoch_just_ended()) record_unmeasured_epoch(r);
    return;
  }
  record_evaluation(r, accuracy, images, r.trainer->epoch_just_ended(), epochs_seen(s),
                    r.trainer->last_loss());
}

namespace {

Phase current_phase(const AppState& s) {
  if (!s.has_model())
    return feed_failed(s) && training_set_count(s).size == 0 ? Phase::kError : Phase::kLoading;
  if (s.run.playing) return Phase::kTraining;
  if (s.run.trainer) return Phase::kPaused;
  return Phase::kReady;
}

}  // namespace

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::kLoading:
      return "loading";
    case Phase::kTraining:
      return "training";
    case Phase::kPaused:
      return "paused";
    case Phase::kReady:
      return "ready";
    case Phase::kError:
      return "error";
  }
  return "?";
}

namespace {
long next_state_serial() {
  static long serial = 0;
  return ++serial;
}
}  // namespace

AppState::AppState() : serial(next_state_serial()) {}

std::unique_ptr<AppState> fresh_state(const AppState& old, Book book) {
  auto s = std::make_unique<AppState>();
  s->book = book;
  s->ui = old.ui;
  s->ui.notice.clear();
  s->ui.downloads.clear();
  s->ui.capture_requested = false;
  s->ui.phase = Phase::kLoading;
  s->ui.view_requested = true;
  s->run.config = recipe_after_switch(old.run.config, old.book, book);
  s->run.seed = old.run.seed;
  s->run.remote = old.run.remote;
  s->run.start_mode = old.run.start_mode;
  const BookInfo& info = book_info(book);
  s->attack.digit = info.overlay_from;
  s->attack.target = info.overlay_to;
  s->attack.pattern = NeuronId{3, info.overlay_to};
  return s;
}

std::string AppState::model_label() const {
  if (show_pretrained && has_pretrained) return pretrained_source;
  if (run.trainer) return "live training (seed " + std::to_string(run.seed) + ")";
  return "no model yet";
}

void reset_training(AppState& s) {
  TrainingRun& r = s.run;
  r.config.shuffle_seed = r.seed;
  // Epochs grow 4096, 8192, ... images and wait for them: the same seed trains the same way however the data
  // arrives (and matches `booksmart train --start-images 4096`).
  r.config.start_images = kAutoStartImages;
  r.model = make_model(Arch{}, r.seed);
  r.trainer = std::make_unique<Trainer>(r.config, Arch{});
  ++r.run_id;
  ++s.model_serial;
  if (r.eval_job.running()) r.eval_job.take();  // the old run's evaluation is dropped
  r.history = {};
  r.test_accuracy = 0;
  r.epoch_accuracy.clear();
  r.epoch_accuracy_images.clear();
  s.show_pretrained = false;
  s.analysis.dirty = true;
}

void use_pretrained(AppState& s, Model m, const std::string& source) {
  s.pretrained = std::move(m);
  s.pretrained_source = source;
  // Say how it was made when the file tells (the CLI writes its recipe into the metadata).
  const auto& md = s.pretrained.metadata;
  auto get = [&](const char* k) {
    auto it = md.find(k);
    return it == md.end() ? std::string() : it->second;
  };
  if (!get("epochs").empty() && !get("init_seed").empty())
    s.pretrained_source += " (" + get("epochs") + " epochs, seed " + get("init_seed") + ")";
  s.has_pretrained = true;
  s.show_pretrained = true;
  ++s.model_serial;
  s.analysis.dirty = true;
}

void show_model(AppState& s, bool pretrained) {
  bool want = pretrained ? s.has_pretrained : s.run.trainer != nullptr;
  if (!want || s.show_pretrained == pretrained) return;
  s.show_pretrained = pretrained;
  s.analysis.dirty = true;
  s.analysis.last_time = -1;  // switching is a reader's action: show it now
}

void add_notice(AppState& s, const std::string& message) {
  std::string& notice = s.ui.notice;
  if (notice.find(message) != std::string::npos) return;
  notice = notice.empty() ? message : notice + "\n" + message;
}

std::string browse_attack(AppState& s, int step) {
  if (!s.has_model()) return "there is no model yet to find a correctly classified image with";
  OverlayAttack& a = s.attack;
  auto found =
      next_correct(s.shown().params, s.analysis_data(), a.digit, size_t(std::max(0LL, a.index)), step);
  if (!found.ok()) return found.error();
  a.custom = false;
  a.index = (long long)found.value();
  s.analysis.dirty = true;
  return "";
}

void refresh_portraits(AppState& s, double now) {
  if (!s.has_model() || s.analysis.stats.count == 0) return;
  Portraits& p = s.portraits;
  const ViewKey key = s.selected_key();
  const ViewKey& latest = p.running() ? p.pending : p.key;
  if (!(key.model == latest.model && key.neuron == latest.neuron)) {
    // Another neuron starts at once. While training moves the model on, the same neuron's portraits follow
    // at most every 1.5 s, and an ascent on its way is let finish.
    const bool same_neuron = latest.neuron == key.neuron;
    if (!same_neuron || (!p.running() && !(p.time >= 0 && now - p.time < 1.5))) {
      p.pending = key;
      p.time = now;
      p.free_job.begin(s.shown().params, s.ui.selected, unconstrained_settings());
      p.regularised_job.begin(s.shown().params, s.ui.selected, regularised_settings());
    }
  }
  if (!p.running()) return;
  const bool done = step_within(
      now_ms(), kPortraitSliceMs,
      [&p] {
        const bool free_done = p.free_job.step(1);
        return p.regularised_job.step(1) && free_done;
      },
      1);
  if (!done) return;
  p.key = p.pending;
  p.top = top_activating(s.analysis.stats, p.key.neuron, 8);
  p.free = p.free_job.image();
  p.regularised = p.regularised_job.image();
}

void refresh_overlay(AppState& s) {
  OverlayAttack& a = s.attack;
  if (a.x.empty()) return;
  a.blend.resize(kPixels);
  overlay(a.blend.data(), a.x.data(), a.unit.data(), a.alpha, a.clip, kPixels);
  a.prediction = predict_overlay(s.shown().params, a.probe_ws, a.x.data(), a.unit.data(), a.alpha, a.clip,
                                 a.probs.data());
  ++a.blend_generation;
}

namespace {

// What a finished pass (s.analysis.stats) over `data` with parameters `p` gives the figures: effective
// weights, sparsity and the accuracy on view.
void publish_figures(AppState& s, const Params& p, const Dataset& data) {
  Analysis& an = s.analysis;
  effective_weights(p, &an.effective);
  if (an.stats.count == 0) return;
  an.sparsity = sparsity(an.stats);
  size_t correct = 0;
  for (size_t i = 0; i < an.stats.count; ++i) correct += an.stats.predicted[i] == data.label(i);
  an.shown_accuracy = float(correct) / float(an.stats.count);
}

// The attack on the model `p` as of a finished pass over `data`.
void aim_attack(AppState& s, const Params& p, const Dataset& data) {
  const Analysis& an = s.analysis;
  OverlayAttack& a = s.attack;
  if (a.custom) {
    a.x = a.custom_x;
  } else {
    if (a.index < 0 || size_t(a.index) >= data.size()) {
      auto found = first_correct(p, data, a.digit);
      a.index = found.ok() ? (long long)found.value() : 0;
    }
    a.x = data.image_floats(size_t(a.index));
  }
  a.unit = unit_pattern(an.effective.pattern(a.pattern), kPixels);
  OverlaySettings settings;
  settings.clip = a.clip;
  a.flip = find_flip(p, a.probe_ws, a.x.data(), a.unit.data(), a.target, settings);
  refresh_overlay(s);
  refresh_lab(s, p);
  if (s.drawing.has_digit) classify_drawing(s);
}

// And what it gives the attack: the attacked image, the pattern, the flip search, the blend, the lab's
// directions and the drawing's reading. Then the refresh is whole, and the views' images follow its
// generation (the attack's images too: their keys are the generation alone).
void publish_attack(AppState& s, const Params& p, const Dataset& data) {
  Analysis& an = s.analysis;
  if (an.stats.count > 0) aim_attack(s, p, data);
  ++an.generation;
}

// Auto mode starts live training once enough images are in.
void start_when_ready(AppState& s) {
  TrainingRun& r = s.run;
  if (r.start_mode != StartMode::kAuto || r.auto_started) return;
  const SplitCount train = training_set_count(s);
  if (train.size < kAutoStartImages && !train.complete()) return;
  r.auto_started = true;
  reset_training(s);
  r.playing = true;
}

// The street-smart model's share of the frame's training time; returns the milliseconds it used.
double train_street(AppState& s, double budget_ms) {
  Compare& street = s.compare;
  const double start = now_ms();
  do {
    if (street.trainer->train_steps(street.model.params, s.train, kStepsPerSlice) == 0 &&
        !street.trainer->epoch_just_ended())
      break;  // waiting for images
  } while (now_ms() - start < budget_ms);
  ++street.steps_key;
  return now_ms() - start;
}

// The live model's training slices for about `budget_ms`, pausing at a shared link's step.
void train_live(AppState& s, double budget_ms) {
  TrainingRun& r = s.run;
  const double start = now_ms();
  const long long seen = r.trainer->images_seen();
  do {
    const int steps = steps_before_checkpoint(*r.trainer, r.stop_at_step, kStepsPerSlice);
    if (steps <= 0) {
      // A shared link's training step is reached: pause there, as the sharer saw it.
      r.playing = false;
      r.stop_at_step = -1;
      break;
    }
    r.trainer->train_steps(r.model.params, s.train, steps);
    if (at_checkpoint(*r.trainer)) start_evaluation(s);
  } while (now_ms() - start < budget_ms);
  const double elapsed = std::max(1e-3, now_ms() - start);
  r.last_train_ms += elapsed;
  r.images_per_second = double(r.trainer->images_seen() - seen) / elapsed * 1000.0;
  if (!s.show_pretrained) s.analysis.dirty = true;
}

// A test image asked for before it arrived becomes the attacked one once it is there.
void apply_requested_image(AppState& s) {
  OverlayAttack& a = s.attack;
  if (a.requested_index < 0 || size_t(a.requested_index) >= s.analysis_data().size()) return;
  a.index = a.requested_index;
  a.requested_index = -1;
  s.analysis.dirty = true;
}

// The analysis pass: a refresh starts at most every kAnalysisIntervalS once the model changed, and runs in
// slices. On a device slow enough that a pass outlasts that, the next one waits as long as the last one ran,
// so at most half the frames carry analysis while a live model changes under it.
void advance_analysis(AppState& s, double now) {
  Analysis& an = s.analysis;
  // More analysis images have arrived since the last refresh.
  if (an.stats.count < std::min(kStatsImages, s.analysis_data().size())) an.dirty = true;
  if (an.job.running()) {
    // At least one batch a frame, then more while the slice lasts: a slow device takes more frames, none
    // longer. The batches are the same however the pass is sliced, and so is its result.
    if (step_within(
            now_ms(), kAnalysisSliceMs, [&an] { return an.job.step(DatasetStatsBuilder::kBatch); }, 1)) {
      an.last_pass_s = now - an.last_time;
      an.job.take(&an.stats);
      publish_figures(s, an.job.params(), *an.job_data);
      an.attack_pending = true;
    }
    return;
  }
  if (an.attack_pending) {
    // The attack's share of a sliced refresh comes a frame after the figures': on a slow device the two
    // together would make that frame the slowest of all.
    an.attack_pending = false;
    publish_attack(s, an.job.params(), *an.job_data);
    return;
  }
  const double interval = std::max(kAnalysisIntervalS, 2 * an.last_pass_s);
  if (!an.dirty || (an.last_time >= 0 && an.stats.count > 0 && now - an.last_time < interval)) return;
  // The first pass with images runs whole (it is the reader's first figure); later ones in slices.
  an.last_time = now;
  if (an.stats.count == 0 || !s.has_model()) {
    refresh_analysis(s);
  } else {
    an.dirty = false;
    an.job_data = &s.analysis_data();
    an.job.begin(s.shown().params, *an.job_data, kStatsImages);
  }
}

}  // namespace

void refresh_analysis(AppState& s) {
  Analysis& an = s.analysis;
  an.dirty = false;
  if (!s.has_model()) return;
  const Dataset& data = s.analysis_data();
  an.job.begin(s.shown().params, data, kStatsImages);
  an.job.step(data.size());
  an.job.take(&an.stats);
  an.attack_pending = false;  // a sliced refresh's attack is superseded
  publish_figures(s, s.shown().params, data);
  publish_attack(s, s.shown().params, data);
}

void advance(AppState& s, double now, double budget_ms) {
  start_when_ready(s);
  TrainingRun& r = s.run;
  r.last_train_ms = 0;
  if (s.compare.playing && s.compare.trainer && s.train.size() > 0) {
    // The street-smart model shares the frame's training time with the live one.
    const double share = r.playing && r.trainer ? budget_ms / 2 : budget_ms;
    r.last_train_ms += train_street(s, share);
    budget_ms -= share;
  }
  if (r.eval_job.running()) {
    // The evaluation's slice is training work: it comes out of the same budget.
    const double start = now_ms();
    advance_evaluation(s, kEvalImagesPerFrame);
    const double spent = now_ms() - start;
    r.last_train_ms += spent;
    budget_ms -= spent;
  }
  if (r.playing && r.trainer && !r.remote && s.train.size() > 0) train_live(s, std::max(0.0, budget_ms));
  apply_requested_image(s);
  s.ui.phase = current_phase(s);
  const ViewInfo& view = view_info(s.ui.view);
  if (view.needs_subspace) s.subspace.wanted = true;
  advance_lab(s);
  // Asked-for experiments run whatever the view: the article asks for them from any section.
  advance_trial(s, kTrialBudgetMs);
  advance_analysis(s, now);
  // What only one view shows is computed while that view is open.
  if (view.advance) view.advance(s, now);
}

}  // namespace bs::app
