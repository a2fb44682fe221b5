#include "app/app_state.h"

#include "app/clock.h"
#include "core/analysis/optimized_image.h"
#include "core/train/evaluate.h"

namespace bs::app {
namespace {

// Training slices are this many optimizer steps; the time budget is checked between them.
constexpr int kStepsPerSlice = 8;
// A new analysis pass starts at most this often (seconds); with the pass spread over about eight frames, the
// views follow the training model a little over twice a second.
constexpr double kAnalysisIntervalS = 0.4;
// The live model is evaluated on the analysis images every this many steps (and at each epoch's end).
constexpr long long kEvalEverySteps = 400;

void record_evaluation(AppState& s) {
  const Dataset& data = s.analysis_data();
  if (data.size() == 0) return;
  // At an epoch's end the whole (arrived) test set; in between the first 2,000 images, to keep frames short.
  Evaluation ev = evaluate(s.live.params, data, s.eval_ws, s.trainer->epoch_just_ended() ? 0 : kStatsImages);
  s.test_accuracy = float(ev.accuracy());
  s.test_accuracy_images = ev.count;
  if (s.trainer->epoch_just_ended()) {
    s.epoch_accuracy.push_back(s.test_accuracy);
    s.epoch_accuracy_images.push_back(ev.count);
  }
  double epoch_size = double(s.train.declared ? s.train.declared : s.train.size());
  s.history.at_epoch.push_back(float(double(s.trainer->images_seen()) / epoch_size));
  s.history.loss.push_back(s.trainer->last_loss());
  s.history.accuracy.push_back(s.test_accuracy);
}

Phase current_phase(const AppState& s) {
  if (!s.has_model()) return feed_failed(s) && s.train.size() == 0 ? Phase::kError : Phase::kLoading;
  if (s.playing) return Phase::kTraining;
  if (s.trainer) return Phase::kPaused;
  return Phase::kReady;
}

}  // namespace

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::kLoading: return "loading";
    case Phase::kTraining: return "training";
    case Phase::kPaused: return "paused";
    case Phase::kReady: return "ready";
    case Phase::kError: return "error";
  }
  return "?";
}

std::string AppState::model_label() const {
  if (show_pretrained && has_pretrained) return pretrained_source;
  if (trainer) return "live training (seed " + std::to_string(seed) + ")";
  return "no model yet";
}

void reset_training(AppState& s) {
  s.config.shuffle_seed = s.seed;
  // Epochs grow 4096, 8192, ... images and wait for them: the same seed trains the same way however the data
  // arrives (and matches `booksmart train --start-images 4096`).
  s.config.start_images = kAutoStartImages;
  s.live = make_model(Arch{}, s.seed);
  s.trainer = std::make_unique<Trainer>(s.config, Arch{});
  ++s.model_serial;
  s.history = {};
  s.test_accuracy = 0;
  s.epoch_accuracy.clear();
  s.epoch_accuracy_images.clear();
  s.show_pretrained = false;
  s.analysis_dirty = true;
}

void use_pretrained(AppState& s, Model m, const std::string& source) {
  s.pretrained = std::move(m);
  s.pretrained_source = source;
  // Say how it was made when the file tells (the CLI writes its recipe into the metadata).
  const auto& md = s.pretrained.metadata;
  auto get = [&](const char* k) { auto it = md.find(k); return it == md.end() ? std::string() : it->second; };
  if (!get("epochs").empty() && !get("init_seed").empty())
    s.pretrained_source += " (" + get("epochs") + " epochs, seed " + get("init_seed") + ")";
  s.has_pretrained = true;
  s.show_pretrained = true;
  ++s.model_serial;
  s.analysis_dirty = true;
}

void show_model(AppState& s, bool pretrained) {
  bool want = pretrained ? s.has_pretrained : s.trainer != nullptr;
  if (!want || s.show_pretrained == pretrained) return;
  s.show_pretrained = pretrained;
  s.analysis_dirty = true;
  s.last_analysis_time = -1;  // switching is a reader's action: show it now
}

void add_notice(AppState& s, const std::string& message) {
  if (s.notice.find(message) != std::string::npos) return;
  s.notice = s.notice.empty() ? message : s.notice + "\n" + message;
}

void refresh_portraits(AppState& s, double now) {
  if (!s.has_model() || s.stats.count == 0) return;
  const long key = s.generation * 256 + (s.selected.layer - 1) * 64 + s.selected.index;
  if (key == s.portrait_key) return;
  if (s.portrait_neuron == s.selected && s.portrait_time >= 0 && now - s.portrait_time < 1.5) return;
  s.portrait_key = key;
  s.portrait_neuron = s.selected;
  s.portrait_time = now;
  s.portrait_top = top_activating(s.stats, s.selected, 8);
  s.portrait_free = optimize_input(s.shown().params, s.selected, unconstrained_settings());
  s.portrait_regularised = optimize_input(s.shown().params, s.selected, regularised_settings());
}

void refresh_overlay(AppState& s) {
  if (s.attack_x.empty()) return;
  s.blend.resize(kPixels);
  overlay(s.blend.data(), s.attack_x.data(), s.unit.data(), s.alpha, s.clip, kPixels);
  s.prediction = predict_overlay(s.shown().params, s.probe_ws, s.attack_x.data(), s.unit.data(), s.alpha, s.clip,
                                 s.probs.data());
  ++s.overlay_generation;
}

namespace {

// Everything derived from a finished pass (s.stats) over `data` with parameters `p`: effective weights,
// sparsity, the accuracy on view, and the attack.
void publish_analysis(AppState& s, const Params& p, const Dataset& data) {
  s.effective = effective_weights(p);
  ++s.generation;
  if (s.stats.count == 0) return;
  s.sparsity = sparsity(s.stats);
  size_t correct = 0;
  for (size_t i = 0; i < s.stats.count; ++i) correct += s.stats.predicted[i] == data.label(i);
  s.shown_accuracy = float(correct) / float(s.stats.count);
  if (s.attack_custom) {
    s.attack_x = s.custom_x;
  } else {
    if (s.attack_index < 0 || size_t(s.attack_index) >= data.size()) {
      auto found = first_correct(p, data, s.attack_digit);
      s.attack_index = found.ok() ? (long long)found.value() : 0;
    }
    s.attack_x = data.image_floats(size_t(s.attack_index));
  }
  s.unit = unit_pattern(s.effective.pattern(s.pattern), kPixels);
  OverlaySettings settings;
  settings.clip = s.clip;
  s.flip = find_flip(p, s.probe_ws, s.attack_x.data(), s.unit.data(), s.target, settings);
  refresh_overlay(s);
  refresh_lab(s, p);
  if (s.drawing.has_digit) classify_drawing(s);
}

}  // namespace

void refresh_analysis(AppState& s) {
  s.analysis_dirty = false;
  if (!s.has_model()) return;
  const Dataset& data = s.analysis_data();
  s.analysis_job.begin(s.shown().params, data, kStatsImages);
  s.analysis_job.step(data.size());
  s.analysis_job.take(&s.stats);
  publish_analysis(s, s.shown().params, data);
}

void advance(AppState& s, double now, double budget_ms) {
  if (s.start_mode == StartMode::kAuto && !s.auto_started &&
      (s.train.size() >= kAutoStartImages || s.train.complete())) {
    s.auto_started = true;
    reset_training(s);
    s.playing = true;
  }
  s.last_train_ms = 0;
  Compare& street = s.compare;
  const bool street_training = street.playing && street.trainer && s.train.size() > 0;
  if (street_training) {
    // The street-smart model shares the frame's training time with the live one.
    const double share = s.playing && s.trainer ? budget_ms / 2 : budget_ms;
    const double start = now_ms();
    do {
      if (street.trainer->train_steps(street.model.params, s.train, kStepsPerSlice) == 0 &&
          !street.trainer->epoch_just_ended())
        break;  // waiting for images
    } while (now_ms() - start < share);
    ++street.steps_key;
    s.last_train_ms += now_ms() - start;
    budget_ms -= share;
  }
  if (s.playing && s.trainer && s.train.size() > 0) {
    double start = now_ms();
    long long seen = s.trainer->images_seen();
    do {
      int steps = kStepsPerSlice;
      if (s.stop_at_step >= 0) steps = int(std::min<long long>(steps, s.stop_at_step - s.trainer->step()));
      if (steps <= 0) {
        // A shared link's training step is reached: pause there, as the sharer saw it.
        s.playing = false;
        s.stop_at_step = -1;
        break;
      }
      s.trainer->train_steps(s.live.params, s.train, steps);
      if (s.trainer->epoch_just_ended() || s.trainer->step() % kEvalEverySteps == 0) record_evaluation(s);
    } while (now_ms() - start < budget_ms);
    double elapsed = std::max(1e-3, now_ms() - start);
    s.last_train_ms += elapsed;
    s.images_per_second = double(s.trainer->images_seen() - seen) / elapsed * 1000.0;
    if (!s.show_pretrained) s.analysis_dirty = true;
  }
  if (s.requested_index >= 0 && size_t(s.requested_index) < s.analysis_data().size()) {
    s.attack_index = s.requested_index;
    s.requested_index = -1;
    s.analysis_dirty = true;
  }
  // More analysis images have arrived since the last refresh.
  if (s.stats.count < std::min(kStatsImages, s.analysis_data().size())) s.analysis_dirty = true;
  s.phase = current_phase(s);
  const bool comparing = s.view == View::kCompare;
  if (s.view == View::kSubspace || s.view == View::kAttacks || comparing) s.lab.wanted = true;
  advance_lab(s, s.view == View::kAttacks);
  if (comparing) advance_compare(s, now, kSurveyBudgetMs);
  if (s.analysis_job.running()) {
    if (s.analysis_job.step(kAnalysisImagesPerFrame)) {
      s.analysis_job.take(&s.stats);
      publish_analysis(s, s.analysis_job.params(), *s.analysis_job_data);
    }
  } else if (s.analysis_dirty && (s.last_analysis_time < 0 || s.stats.count == 0 || now - s.last_analysis_time >= kAnalysisIntervalS)) {
    // The first pass with images runs whole (it is the reader's first figure); later ones in slices.
    s.last_analysis_time = now;
    if (s.stats.count == 0 || !s.has_model()) {
      refresh_analysis(s);
    } else {
      s.analysis_dirty = false;
      s.analysis_job_data = &s.analysis_data();
      s.analysis_job.begin(s.shown().params, *s.analysis_job_data, kStatsImages);
    }
  }
}

}  // namespace bs::app
