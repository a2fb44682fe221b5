#include "app/robust_state.h"

#include <algorithm>
#include <cmath>

#include "app/app_state.h"
#include "core/robust/objective.h"
#include "core/util/clock.h"

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
  RobustnessState& r = s.robust;
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

long long model_state_key(const AppState& s) {
  const bool live = !(s.show_pretrained && s.has_pretrained) && s.run.trainer;
  return (long long)shown_model_key(s) * (1LL << 40) + (live ? s.run.trainer->step() : 0);
}

namespace {

// The smallest blend of the targeted FGSM sign pattern that flips x to `target` (the Attacks view's FGSM
// direction): -sign(grad_x CE(x, target)), scaled by alpha, clipped to [0, 1].
FlipResult fgsm_flip(const Params& p, const std::vector<float>& x, int target) {
  Workspace ws(p.arch(), 1);
  ws.x.col(0) = Eigen::Map<const Vec>(x.data(), kPixels);
  attack_logits(p, ws, 1);
  const Goal towards{0, target, 0};
  objective_input_gradient(p, ws, 1, &towards, AttackLoss::kCrossEntropy);
  std::vector<float> dir(kPixels);
  for (int k = 0; k < kPixels; ++k) dir[size_t(k)] = float((ws.dx(k, 0) > 0) - (ws.dx(k, 0) < 0));
  return find_flip(p, ws, x.data(), dir.data(), target, OverlaySettings{});
}

long image_key(const AppState& s) {
  return s.analysis.generation * 2 + (s.robust.norm == Norm::kL2 ? 1 : 0);
}

void start_image_job(AppState& s) {
  RobustnessState& r = s.robust;
  r.image_key = image_key(s);
  const OverlayAttack& a = s.attack;
  Mat x = Eigen::Map<const Vec>(a.x.data(), kPixels);
  const int label = s.attack_label();
  const uint32_t id = a.custom ? 0 : uint32_t(a.index);
  r.image_job = std::make_unique<RobustnessJob>(
      s.shown().params, std::move(x), std::vector<Goal>{{label, -1, id}}, page_robustness_settings(r.norm));
  r.fgsm = fgsm_flip(s.shown().params, a.x, a.target);
}

void start_survey(AppState& s) {
  RobustnessState& r = s.robust;
  r.survey_key = model_state_key(s);
  const Params& p = s.shown().params;
  r.survey_job = std::make_unique<RobustnessJob>(
      p, s.test, first_correct_images(p, s.test, kRobustSurveyImages), page_robustness_settings(r.norm));
}

}  // namespace

const std::vector<ImageRobustness>& shown_survey(const RobustnessState& r) {
  return r.survey.empty() && r.survey_job ? r.survey_job->results() : r.survey;
}

void advance_robustness(AppState& s, double budget_ms) {
  RobustnessState& r = s.robust;
  if (!s.has_model() || s.attack.x.empty() || s.test.size() == 0 || s.attack_label() < 0) return;
  if (image_key(s) != r.image_key) start_image_job(s);
  // Another model on view (pretrained and live swapped, or a new run): its survey starts over at once. The
  // same model trained further: the running pass finishes first, so the plot keeps moving.
  if (r.survey_key >= 0 && model_state_key(s) >> 40 != r.survey_key >> 40) {
    r.survey_job.reset();
    r.survey.clear();
    r.passes = 0;
    ++r.generation;
  }
  if (!r.survey_job && (r.survey_key != model_state_key(s) || r.passes == 0)) start_survey(s);
  const double start = now_ms();
  // The digit on view first: it is what the reader is looking at.
  const auto step = [](auto& job) {
    return [&job] {
      job->step();
      return job->done();
    };
  };
  if (r.image_job && step_within(start, budget_ms, step(r.image_job))) {
    r.image = r.image_job->results()[0];
    const float* clean = r.image_job->images().col(0).data();
    r.clean.assign(clean, clean + kPixels);
    for (size_t a = 0; a < 3; ++a) {
      const Vec& point = r.image_job->last_points()[a];
      r.adversarial[a].assign(point.data(), point.data() + point.size());
      r.change[a].clear();
      if (point.size() != kPixels) continue;
      const float peak = (point - Eigen::Map<const Vec>(clean, kPixels)).cwiseAbs().maxCoeff();
      for (int k = 0; k < kPixels; ++k) r.change[a].push_back(peak > 0 ? (point[k] - clean[k]) / peak : 0.0f);
    }
    r.image_ready = true;
    r.image_job.reset();
    ++r.generation;
  }
  if (r.survey_job && step_within(start, budget_ms, step(r.survey_job))) {
    r.survey = r.survey_job->results();
    ++r.passes;
    r.survey_job.reset();
  }
}

}  // namespace bs::app
