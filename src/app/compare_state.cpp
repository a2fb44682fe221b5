#include "app/compare_state.h"

#include "app/app_state.h"
#include "app/clock.h"
#include "core/train/evaluate.h"

namespace bs::app {
namespace {

void refresh_side(AppState& s, CompareSide& side, const Model& m, long key) {
  side.key = key;
  side.effective = effective_weights(m.params);
  const Dataset& data = s.analysis_data();
  Evaluation ev = evaluate(m.params, data, s.eval_ws, kStatsImages);
  side.accuracy = float(ev.accuracy());
  side.accuracy_images = ev.count;
  side.has_span = s.lab.ready() && m.has_init;
  if (side.has_span) {
    side.span = span_report(s.lab.subspace, s.lab.k, span_coefficients(s.lab.subspace, side.effective),
                            span_coefficients(s.lab.subspace, effective_weights(m.init)));
  }
}

}  // namespace

TrainConfig street_config(const AppState& s) {
  TrainConfig c = s.config;
  c.shuffle_seed = s.seed;
  c.start_images = kAutoStartImages;
  c.opt.weight_decay = s.compare.options.weight_decay;
  c.opt.decoupled_decay = s.compare.options.decoupled;
  c.input_noise = s.compare.options.input_noise;
  c.fgsm_epsilon = s.compare.options.fgsm_epsilon;
  return c;
}

void reset_street(AppState& s) {
  Compare& c = s.compare;
  c.model = make_model(Arch{}, s.seed, c.options.init_scale);
  c.trainer = std::make_unique<Trainer>(street_config(s), Arch{});
  ++c.steps_key;
  c.side[1] = CompareSide{};
  c.last_refresh = -1;
}

void advance_compare(AppState& s, double now, double survey_budget_ms) {
  Compare& c = s.compare;
  if (!s.has_model()) return;
  if (c.last_refresh < 0 || now - c.last_refresh >= kCompareIntervalS) {
    c.last_refresh = now;
    // Keys: the book-smart side follows the analysis generation, the street-smart side its training steps.
    const long keys[2] = {s.generation, c.steps_key};
    bool changed = false;
    for (int i = 0; i < 2; ++i) {
      if (i == 1 && !c.trainer) continue;
      if (c.side[i].key == keys[i] && c.side[i].has_span == s.lab.ready()) continue;
      refresh_side(s, c.side[i], i == 0 ? s.shown() : c.model, keys[i]);
      changed = true;
    }
    if (changed) ++c.generation;
  }
  if (!s.lab.ready() || s.test.size() == 0) return;
  // One survey at a time, the book-smart side first; each restarts when its model has moved on.
  const double start = now_ms();
  for (int i = 0; i < 2; ++i) {
    CompareSide& side = c.side[i];
    if (side.key < 0) continue;
    if (!side.job.running() && side.job_key != side.key) {
      AttackSetup setup;
      setup.source = s.attack_digit;
      setup.target = s.target;
      setup.k = s.lab.k;
      side.job_key = side.key;
      side.job.begin(i == 0 ? s.shown().params : c.model.params, s.lab.subspace, s.test, setup);
    }
    if (!side.job.running()) continue;
    bool done = false;
    while (!done && now_ms() - start < survey_budget_ms) done = side.job.step(16);
    if (done) {
      side.survey = side.job.take();
      side.survey_ready = true;
      ++c.generation;
    }
    return;  // this frame's budget went to this side
  }
}

}  // namespace bs::app
