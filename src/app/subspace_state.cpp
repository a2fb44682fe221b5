#include "app/subspace_state.h"

#include "app/app_state.h"
#include "core/analysis/attack.h"
#include "core/util/clock.h"

namespace bs::app {
const SpanCoefficients& InitCoefficients::get(const Subspace& s, const Model& m, long model_key) {
  if (key != model_key) {
    coef = span_coefficients(s, effective_weights(m.init));
    key = model_key;
  }
  return coef;
}

long shown_model_key(const AppState& s) {
  return s.model_serial * 2 + (s.show_pretrained ? 1 : 0);
}

AttackSetup view_attack_setup(const AppState& s) {
  AttackSetup a;
  a.source = s.attack.digit;
  a.target = s.attack.target;
  a.k = s.subspace.k;
  a.clip = s.attack.clip;
  return a;
}

bool run_survey_slice(AttackSurveyBuilder& job, double start_ms, double budget_ms) {
  return step_within(start_ms, budget_ms, [&job] { return job.step(16); });
}

void advance_lab(AppState& s) {
  SubspaceState& lab = s.subspace;
  if (lab.wanted && !lab.ready() && s.train.complete()) {
    if (!lab.builder.running()) lab.builder.begin(s.train.size());
    if (lab.builder.step(s.train, kSubspaceImagesPerFrame)) {
      const double start = now_ms();
      lab.basis = lab.builder.finish();
      lab.build_seconds = (now_ms() - start) / 1000.0;
      lab.k = lab.requested_k > 0 ? lab.requested_k : lab.basis.k_for(0.95);
      lab.requested_k = 0;
      if (s.has_model()) refresh_lab(s, s.shown().params);
    }
  }
}

void advance_survey(AppState& s) {
  SubspaceState& lab = s.subspace;
  if (!lab.ready() || !s.has_model() || s.test.size() == 0) return;
  if (!lab.survey_job.running() && lab.survey_generation != s.analysis.generation) {
    lab.survey_generation = s.analysis.generation;
    lab.survey_job.begin(s.shown().params, lab.basis, s.test, view_attack_setup(s));
  }
  if (lab.survey_job.running()) {
    if (run_survey_slice(lab.survey_job, now_ms(), kSurveyBudgetMs)) {
      lab.survey = lab.survey_job.take();
      lab.survey_ready = true;
      ++lab.generation;
    }
  }
}

void refresh_selected_split(AppState& s) {
  SubspaceState& lab = s.subspace;
  const ViewKey key = s.selected_key();
  if (!lab.ready() || s.analysis.effective.layer[0].size() == 0 || key == lab.split_key) return;
  lab.split_key = key;
  lab.split_in.resize(kPixels);
  lab.split_off.resize(kPixels);
  split_span(lab.basis, lab.k, s.analysis.effective.pattern(s.ui.selected), lab.split_in.data(),
             lab.split_off.data());
}

void refresh_lab(AppState& s, const Params& p) {
  SubspaceState& lab = s.subspace;
  if (!lab.ready() || s.analysis.effective.layer[0].size() == 0) return;
  const Model& m = s.shown();
  lab.report = span_report(lab.basis, lab.k, span_coefficients(lab.basis, s.analysis.effective),
                           lab.init.get(lab.basis, m, shown_model_key(s)));
  lab.never_lit_change = never_lit_max_change(lab.basis, p, m.init);
  if (!s.attack.x.empty()) {
    AttackSetup setup = view_attack_setup(s);
    FixedDirections fixed = fixed_directions(p, lab.basis, lab.k, s.attack.target);
    lab.image = attack_image(p, fixed, setup, s.attack.x.data(), size_t(std::max(0LL, s.attack.index)));
    lab.has_linear = lab.image.at[0].flipped;
    if (lab.has_linear) {
      std::vector<float> xa(kPixels);
      overlay(xa.data(), s.attack.x.data(), lab.image.direction[0].data(), lab.image.at[0].alpha,
              s.attack.clip, kPixels);
      lab.linear = linear_view(p, lab.basis, lab.k, s.attack.x.data(), xa.data(), lab.image.prediction,
                               s.attack.target);
    }
  }
  ++lab.generation;
}

}  // namespace bs::app
