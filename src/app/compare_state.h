// "Make it street-smart": a second model, trained in the page from the same seed with options that fight the
// leftover noise (weight decay, input noise, FGSM adversarial training, a smaller initialisation), compared
// side by side with the model on view: output patterns, off-span share, clean accuracy, and the attack
// survey.
#pragma once

#include <memory>

#include "app/subspace_state.h"
#include "core/analysis/alignment.h"
#include "core/analysis/attack_survey.h"
#include "core/analysis/effective.h"
#include "core/analysis/subspace.h"
#include "core/model/model.h"
#include "core/train/trainer.h"

namespace bs::app {

struct AppState;

struct StreetOptions {
  float weight_decay = 0.001f;
  bool decoupled = false;
  float input_noise = 0.0f;
  float fgsm_epsilon = 0.1f;
  // PGD-k adversarial training (core/train/adversarial.h) within this L-infinity radius; 0: off. When on it
  // replaces FGSM training.
  float pgd_epsilon = 0.0f;
  int pgd_steps = 5;
  float init_scale = 1.0f;
};

struct CompareSide {
  InitCoefficients init;  // the street-smart side's own (the book-smart side uses the subspace state's)
  EffectiveWeights effective;
  SpanReport span;
  bool has_span = false;
  float accuracy = 0;  // on the first kStatsImages test images
  size_t accuracy_images = 0;
  AttackSurvey survey;
  bool survey_ready = false;
  AttackSurveyBuilder job;
  long job_key = -1;  // model state the running or finished survey belongs to
  // Perceptual alignment (core/analysis/alignment.h) over the first kStatsImages test images.
  AlignmentBuilder alignment_job;
  bool alignment_ready = false;
  long alignment_key = -1;  // model state the running or finished alignment belongs to
  long key = -1;            // model state shown
};

constexpr double kCompareIntervalS = 1.0;

struct Compare {
  StreetOptions options;
  Model model;
  std::unique_ptr<Trainer> trainer;  // non-null once the street-smart model has started
  bool playing = false;
  long steps_key = 0;   // bumped by every training slice of the street-smart model
  CompareSide side[2];  // [0]: the model on view (book-smart), [1]: street-smart
  double last_refresh = -1;
  long generation = 0;  // bumped when the views' images change
  int next_job = 0;     // advance_compare's rotation: side i's survey is job 2i, its alignment 2i + 1
};

// The street-smart training recipe: the live recipe plus the options.
TrainConfig street_config(const AppState& s);
// (Re)starts the street-smart model from the state's seed with the current options.
void reset_street(AppState& s);
// Per frame while the Compare view is open: refreshes both sides on a timer and runs their surveys.
void advance_compare(AppState& s, double now, double survey_budget_ms);

}  // namespace bs::app
