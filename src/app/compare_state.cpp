#include "app/compare_state.h"

#include "app/app_state.h"
#include "core/train/evaluate.h"
#include "core/util/clock.h"

namespace bs::app {
namespace {

// `init` caches the model's initial weights in the principal basis under `model_key`.
void refresh_side(AppState& s, CompareSide& side, const Model& m, long key, InitCoefficients& init,
                  long model_key) {
  side.key = key;
  side.effective = effective_weights(m.params);
  const Dataset& data = s.analysis_data();
  Evaluation ev = evaluate(m.params, data, s.analysis.eval_ws, kStatsImages);
  side.accuracy = float(ev.accuracy());
  side.accuracy_images = ev.count;
  side.has_span = s.subspace.ready() && m.has_init;
  if (side.has_span) {
    side.span =
        span_report(s.subspace.basis, s.subspace.k, span_coefficients(s.subspace.basis, side.effective),
                    init.get(s.subspace.basis, m, model_key));
  }
}

}  // namespace

TrainConfig street_config(const AppState& s) {
  TrainConfig c = s.run.config;
  c.shuffle_seed = s.run.seed;
  c.start_images = kAutoStartImages;
  c.opt.weight_decay = s.compare.options.weight_decay;
  c.opt.decoupled_decay = s.compare.options.decoupled;
  c.input_noise = s.compare.options.input_noise;
  const StreetOptions& o = s.compare.options;
  c.adversarial = o.pgd_epsilon > 0 ? pgd_training(o.pgd_epsilon, o.pgd_steps, Norm::kLinf)
                                    : fgsm_training(o.fgsm_epsilon);
  return c;
}

void reset_street(AppState& s) {
  Compare& c = s.compare;
  c.model = make_model(Arch{}, s.run.seed, c.options.init_scale);
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
    const long keys[2] = {s.analysis.generation, c.steps_key};
    bool changed = false;
    for (int i = 0; i < 2; ++i) {
      if (i == 1 && !c.trainer) continue;
      if (c.side[i].key == keys[i] && c.side[i].has_span == s.subspace.ready()) continue;
      // The street-smart side's cache is emptied with the side when it restarts, so one key serves it.
      if (i == 0) {
        refresh_side(s, c.side[0], s.shown(), keys[0], s.subspace.init, shown_model_key(s));
      } else {
        refresh_side(s, c.side[1], c.model, keys[1], c.side[1].init, 0);
      }
      changed = true;
    }
    if (changed) ++c.generation;
  }
  if (!s.subspace.ready() || s.test.size() == 0) return;
  // Four jobs, one at a time: each side's attack survey and its perceptual alignment (over the same test
  // images as the CLI's compare). A running job keeps the frame's budget until it ends; the next to start is
  // the first stale one after the last started, so a model that keeps moving (live training) cannot starve
  // the others.
  const double start = now_ms();
  auto running = [&](int j) {
    const CompareSide& side = c.side[j / 2];
    return j % 2 ? side.alignment_job.running() : side.job.running();
  };
  int active = -1;
  for (int j = 0; j < 4; ++j)
    if (running(j)) active = j;
  for (int k = 0; k < 4 && active < 0; ++k) {
    const int j = (c.next_job + k) % 4;
    CompareSide& side = c.side[j / 2];
    const Params& p = j / 2 == 0 ? s.shown().params : c.model.params;
    if (side.key < 0) continue;
    if (j % 2 == 0 && side.job_key != side.key) {
      side.job_key = side.key;
      side.job.begin(p, s.subspace.basis, s.test, view_attack_setup(s));
    } else if (j % 2 == 1 && side.alignment_key != side.key && s.test.size() >= kStatsImages) {
      side.alignment_key = side.key;
      side.alignment_job.begin(p, s.test, kStatsImages);
    } else {
      continue;
    }
    active = j;
    c.next_job = (j + 1) % 4;
  }
  if (active < 0) return;
  CompareSide& side = c.side[active / 2];
  if (active % 2 == 0) {
    if (!run_survey_slice(side.job, start, survey_budget_ms)) return;
    side.survey = side.job.take();
    side.survey_ready = true;
  } else {
    if (!step_within(start, survey_budget_ms,
                     [&side] { return side.alignment_job.step(DatasetStatsBuilder::kBatch); }))
      return;
    side.alignment_ready = true;
  }
  ++c.generation;
}

}  // namespace bs::app
