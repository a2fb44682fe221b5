#include "app/robust_state.h"

#include <algorithm>
#include <cmath>

#include "app/app_state.h"
#include "app/clock.h"

namespace bs::app {

RobustnessSettings page_robustness_settings(Norm norm) {
  RobustnessSettings s;
  s.norm = norm;
  s.steps = 20;
  s.restarts = 1;
  s.square_queries = 500;
  return s;
}

void set_robust_norm(AppState& s, Norm norm) {
  RobustView& r = s.robust;
  if (r.norm == norm) return;
  r.norm = norm;
  r.image_key = r.survey_key = -1;
  r.image_job.reset();
  r.survey_job.reset();
  r.image_ready = false;
  r.survey.clear();
  r.passes = 0;
  ++r.generation;
}

namespace {

long image_key(const AppState& s) { return s.analysis.generation * 2 + (s.robust.norm == Norm::kL2 ? 1 : 0); }

void start_image_job(AppState& s) {
  RobustView& r = s.robust;
  r.image_key = image_key(s);
  const OverlayAttack& a = s.attack;
  Mat x = Eigen::Map<const Vec>(a.x.data(), kPixels);
  const int label = s.attack_label();
  const uint32_t id = a.custom ? 0 : uint32_t(a.index);
  r.image_job = std::make_unique<RobustnessJob>(s.shown().params, std::move(x), std::vector<Goal>{{label, -1, id}},
                                                page_robustness_settings(r.norm));
}

void start_survey(AppState& s) {
  RobustView& r = s.robust;
  r.survey_key = s.analysis.generation;
  const Params& p = s.shown().params;
  r.survey_job = std::make_unique<RobustnessJob>(p, s.test, first_correct_images(p, s.test, kRobustSurveyImages),
                                                 page_robustness_settings(r.norm));
}

}  // namespace

void advance_robustness(AppState& s, double budget_ms) {
  RobustView& r = s.robust;
  if (!s.has_model() || s.attack.x.empty() || s.test.size() == 0 || s.attack_label() < 0) return;
  if (image_key(s) != r.image_key) start_image_job(s);
  if (!r.survey_job && (r.survey_key != s.analysis.generation || r.passes == 0)) start_survey(s);
  const double start = now_ms();
  // The digit on view first: it is what the reader is looking at.
  while (r.image_job && now_ms() - start < budget_ms) {
    r.image_job->step();
    if (!r.image_job->done()) continue;
    r.image = r.image_job->results()[0];
    const float* clean = r.image_job->images().col(0).data();
    const float* adversarial = r.image_job->adversarial().col(0).data();
    r.clean.assign(clean, clean + kPixels);
    r.adversarial.assign(adversarial, adversarial + kPixels);
    float peak = 0;
    for (int k = 0; k < kPixels; ++k) peak = std::max(peak, std::fabs(adversarial[k] - clean[k]));
    r.change.resize(kPixels);
    for (int k = 0; k < kPixels; ++k) r.change[size_t(k)] = peak > 0 ? (adversarial[k] - clean[k]) / peak : 0.0f;
    r.image_ready = true;
    r.image_job.reset();
    ++r.generation;
  }
  while (r.survey_job && now_ms() - start < budget_ms) {
    r.survey_job->step();
    if (!r.survey_job->done()) continue;
    r.survey = r.survey_job->results();
    ++r.passes;
    r.survey_job.reset();
  }
}

}  // namespace bs::app
