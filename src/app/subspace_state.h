// The "why" views' state: the data subspace (computed in the page from the streamed training images, a slice
// per frame, once a view that needs it is opened), how the shown model's neurons split against it, and the
// fair attack comparison (one image under five directions, the linear view at the flip, and the flip-rate
// survey over every correctly classified test image of the source digit).
#pragma once

#include "app/view_key.h"
#include "core/analysis/attack_survey.h"
#include "core/analysis/linear_view.h"
#include "core/analysis/subspace.h"
#include "core/model/model.h"

namespace bs::app {

struct AppState;

constexpr size_t kSubspaceImagesPerFrame = 256;
constexpr double kSurveyBudgetMs = 4.0;  // per frame, while the Attacks view is open

// A model's initial weights in the principal basis: they never change for that model, so they are computed
// once per model (`key` says which) instead of at every refresh.
struct InitCoefficients {
  long key = -1;
  SpanCoefficients coef;
  const SpanCoefficients& get(const Subspace& s, const Model& m, long model_key);
};

struct SubspaceState {
  // The subspace: wanted once a view needs it; built over the whole training set once it has arrived.
  bool wanted = false;
  SubspaceBuilder builder;
  Subspace basis;
  double build_seconds = 0;  // the eigen-decomposition's time (the one step that cannot be sliced)
  int k = 0;                 // chosen by the reader; 0 until the subspace exists (then 95 % of the variance)
  int requested_k = 0;       // asked for (URL, set()) before the subspace existed; applied when it does

  // The shown model against it.
  InitCoefficients init;  // of the model on view (key: shown_model_key)
  SpanReport report;
  double never_lit_change = 0;

  // The attack comparison for the current image and target.
  ImageAttack image;
  LinearView linear;
  bool has_linear = false;
  AttackSurveyBuilder survey_job;
  AttackSurvey survey;
  bool survey_ready = false;
  long survey_generation = -1;  // analysis generation the survey (or the one running) belongs to
  long generation = 0;          // bumped whenever the lab's images change

  // The selected neuron's effective weights split at k (view Subspace), and what they were split for.
  std::vector<float> split_in, split_off;
  ViewKey split_key;
  bool ready() const { return !basis.empty(); }
};

// Which model is on view, for caches keyed by it: bumped by every new or loaded model and by switching.
long shown_model_key(const AppState& s);
// The attack setup of the Attacks and Compare views: the state's digit, target and clipping, the lab's k.
AttackSetup view_attack_setup(const AppState& s);
// Runs `job` until `budget_ms` have passed since `start_ms`; true once its result is ready to take.
bool run_survey_slice(AttackSurveyBuilder& job, double start_ms, double budget_ms);

// Per frame: builds the subspace, a slice at a time, once it is wanted and the training set is complete.
void advance_lab(AppState& s);
// Per frame while the Attacks view is open: the flip-rate survey of the model on view, in slices.
void advance_survey(AppState& s);
// After the shown model's analysis changed (or k, or the attacked image): recompute the span report, the
// image attack and the linear view.
void refresh_lab(AppState& s, const Params& p);
// The selected neuron's in-span and off-span parts, when the model, the selection or k changed.
void refresh_selected_split(AppState& s);

}  // namespace bs::app
