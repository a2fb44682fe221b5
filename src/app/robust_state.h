// The Robustness view: the digit on view bracketed between its certified radius (IBP, CROWN: nothing closer
// changes its class) and its attack radii (PGD, DeepFool, Square: something that close does), beside the
// overlay pattern's and FGSM's flip points in the same norm; and the survey of the first kRobustSurveyImages
// correctly classified test images, certified and attacked accuracy against eps. Both run as RobustnessJob
// slices between frames while the view is open, each pass on a snapshot of the model on view; a new pass
// starts when a pass has finished and the model has moved on.
#pragma once

#include <array>
#include <memory>
#include <vector>

#include "core/analysis/attack.h"
#include "core/robust/robustness_job.h"

namespace bs::app {

struct AppState;

constexpr size_t kRobustSurveyImages = 200;
constexpr double kRobustBudgetMs = 5.0;  // per frame, while the view is open

// The page's attack settings: lighter than the CLI's defaults (20 PGD steps, 1 restart, 500 Square queries),
// so a pass over the survey's images takes tens of seconds of frame slices, not minutes.
RobustnessSettings page_robustness_settings(Norm norm);

struct RobustnessState {
  Norm norm = Norm::kLinf;
  // The digit on view.
  std::unique_ptr<RobustnessJob> image_job;
  ImageRobustness image;
  bool image_ready = false;
  std::vector<float> clean;  // (784) the finished image
  // Per attack (RobustnessJob::Attack: DeepFool, PGD, Square): its closest point, and the change from the
  // image scaled to max |change| = 1; empty where the attack found nothing or did not run.
  std::array<std::vector<float>, 3> adversarial, change;
  FlipResult fgsm;  // the targeted FGSM direction (towards the overlay's target) blended in until it flips
  long image_key = -1;  // analysis generation and norm the image job ran for
  // The survey.
  std::unique_ptr<RobustnessJob> survey_job;
  std::vector<ImageRobustness> survey;  // the last finished pass
  long long survey_key = -1;            // the model state of the running or last pass (model_state_key)
  int passes = 0;                       // finished
  long generation = 0;                  // bumped when the view's images change
};

// Changes whenever the model on view does: which model, and for the live one its training step.
long long model_state_key(const AppState& s);

// The survey's images to show: the last finished pass, or the first pass's images so far.
const std::vector<ImageRobustness>& shown_survey(const RobustnessState& r);

// Per frame while the Robustness view is open.
void advance_robustness(AppState& s, double budget_ms);
// Sets the norm; both jobs start again.
void set_robust_norm(AppState& s, Norm norm);

}  // namespace bs::app
