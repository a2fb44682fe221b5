#include "app/app_state.h"

#include <chrono>

#include "core/train/evaluate.h"

namespace bs::app {
namespace {

double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
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

void reset_training(AppState& s) {
  s.config.shuffle_seed = s.seed;
  s.model = make_model(Arch{}, s.seed);
  s.model_source = "training (seed " + std::to_string(s.seed) + ")";
  s.trainer = std::make_unique<Trainer>(s.config, Arch{});
  s.history = {};
  s.analysis_dirty = true;
}

void use_model(AppState& s, Model m, const std::string& source) {
  s.model = std::move(m);
  s.model_source = source;
  s.trainer = std::make_unique<Trainer>(s.config, Arch{});
  s.history = {};
  s.playing = false;
  s.analysis_dirty = true;
}

void refresh_overlay(AppState& s) {
  if (s.attack_x.empty()) return;
  s.blend.resize(kPixels);
  overlay(s.blend.data(), s.attack_x.data(), s.unit.data(), s.alpha, s.clip, kPixels);
  s.prediction = predict_overlay(s.model.params, s.probe_ws, s.attack_x.data(), s.unit.data(), s.alpha, s.clip,
                                 s.probs.data());
  ++s.generation;
}

void refresh_analysis(AppState& s) {
  s.effective = effective_weights(s.model.params);
  if (s.test.size() > 0) {
    s.stats = dataset_stats(s.model.params, s.test, kStatsImages);
    s.sparsity = sparsity(s.stats);
    if (s.attack_index < 0) {
      auto found = first_correct(s.model.params, s.test, s.attack_digit);
      s.attack_index = found.ok() ? (long long)found.value() : 0;
    }
    if (s.attack_index < 0 || size_t(s.attack_index) >= s.test.size()) s.attack_index = 0;
    s.attack_x = s.test.image_floats(size_t(s.attack_index));
    s.unit = unit_pattern(s.effective.pattern(s.pattern), kPixels);
    OverlaySettings settings;
    settings.clip = s.clip;
    s.flip = find_flip(s.model.params, s.probe_ws, s.attack_x.data(), s.unit.data(), s.target, settings);
    refresh_overlay(s);
  }
  s.analysis_dirty = false;
  ++s.generation;
}

void advance(AppState& s, double now, double budget_ms) {
  if (s.playing && s.trainer && s.train.size() > 0) {
    double start = now_ms();
    long long seen = s.trainer->images_seen();
    do {
      s.trainer->train_steps(s.model.params, s.train, 8);
      if (s.trainer->epoch_just_ended() || s.trainer->step() % 400 == 0) {
        Evaluation ev = evaluate(s.model.params, s.test, s.eval_ws, kStatsImages);
        s.test_accuracy = float(ev.accuracy());
        double epoch = double(s.trainer->images_seen()) / double(s.train.declared ? s.train.declared : s.train.size());
        s.history.at_epoch.push_back(float(epoch));
        s.history.loss.push_back(s.trainer->last_loss());
        s.history.accuracy.push_back(s.test_accuracy);
      }
    } while (now_ms() - start < budget_ms);
    double elapsed = std::max(1e-3, now_ms() - start);
    s.images_per_second = double(s.trainer->images_seen() - seen) / elapsed * 1000.0;
    s.analysis_dirty = true;
  }
  s.phase = s.phase == Phase::kError ? Phase::kError : s.playing ? Phase::kTraining : s.train.size() ? Phase::kReady : Phase::kLoading;
  // The analysis follows the model at most twice a second: it costs a pass over 2,000 test images.
  if (s.analysis_dirty && (s.last_analysis_time < 0 || now - s.last_analysis_time >= 0.5)) {
    refresh_analysis(s);
    s.last_analysis_time = now;
  }
}

}  // namespace bs::app
