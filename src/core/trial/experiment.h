// One experiment of the trial as a job an interface runs a unit at a time (stages.h), wherever it runs: in
// the page's own thread between frames, or in the training worker beside them. Either way the interface
// reads the same ExperimentResult, a copy of the figures so far without the models and perturbation
// matrices behind them, which crosses postMessage as a flat array of numbers (encode_result).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "core/analysis/subspace.h"
#include "core/data/dataset.h"
#include "core/model/model.h"
#include "core/trial/features.h"
#include "core/trial/minimal_span.h"
#include "core/trial/optimizers.h"
#include "core/trial/stages.h"
#include "core/trial/thin_book.h"
#include "core/trial/tilt.h"
#include "core/trial/transfer.h"
#include "core/util/status.h"

namespace bs {

// No kCount value: every switch over experiments stays exhaustive (-Wswitch), so a new one fails to compile
// wherever it has no case.
enum class Experiment { kSpan, kTransfer, kThinBook, kOptimizers, kFeatures, kTilt };
constexpr size_t kExperimentCount = size_t(Experiment::kTilt) + 1;  // the last experiment's, plus one

// The experiments, in one table that the CLI (--only, its JSON keys), the app (the Trial view, set({trial}),
// state().trial) and the page read; row i describes Experiment(i) (experiment.cpp checks it when it
// compiles). What each runs is ExperimentJob's variant: a job type per experiment.
struct ExperimentInfo {
  Experiment experiment;
  const char* name;      // in --only, the CLI's JSON, set({trial}), ?trial= and state().trial
  const char* title;     // its heading
  const char* question;  // what it asks, in one sentence
};
extern const std::array<ExperimentInfo, kExperimentCount> kExperiments;
const ExperimentInfo& experiment_info(Experiment e);
// The experiment called `name`, or nullptr.
const ExperimentInfo* find_experiment(const std::string& name);
// Every experiment's name, in table order.
std::vector<std::string> experiment_names();

// How each experiment is run: the CLI's (cli_trial_settings) or an interface's (page_trial_settings).
struct TrialSettings {
  MinimalSpanSettings span;
  TransferSettings transfer;  // also experiment d's; its epochs are model A's and B's
  ThinBookSettings thin;
  size_t thin_train_images = 0;  // the thin book trains on the first training images only (0: all)
  int optimizer_images = 200;    // source images attacked on each of d's models
  FeaturesSettings features;
  TiltSettings tilt;  // its epochs are model A's
};
// The CLI's: the full trial, or with `quick` fewer images, epochs and attack steps (every experiment still
// runs). The attacks' seed is `seed`.
TrialSettings cli_trial_settings(bool quick, uint64_t seed);
// An interface's, lighter than the CLI's so that each experiment ends within a minute even when it only gets
// a few milliseconds a frame; the Trial view states them.
TrialSettings page_trial_settings();

// What an experiment is run on. Model A (the model on view when it was asked for) serves a, b, d and e; the
// thin book trains its own. The transfer and optimizer experiments attack source -> target.
struct ExperimentInputs {
  const Dataset* train = nullptr;
  const Dataset* test = nullptr;
  const Subspace* subspace = nullptr;
  Model a;
  uint64_t seed = 1;
  int source = 7, target = 0;
};

// Which experiment, run with what seed on which pair, how far along, and where its time went.
struct ResultHeader {
  Experiment experiment = Experiment::kSpan;
  uint64_t seed = 1;           // model A's; B's is seed + 1, e's fresh models' seed + 2
  int source = 7, target = 0;  // the pair b and d attack
  bool done = false;
  double progress = 0;  // 0..1
  std::vector<Stages::StageTime> stage_times;
};

// The figures an interface shows, as they stand. Only the report of `experiment` is filled; models and
// perturbation matrices are left empty.
struct ExperimentResult : ResultHeader {
  MinimalSpanReport span;
  TransferReport transfer;
  int transfer_epochs = 0;  // B's epochs trained so far
  std::vector<ThinBookRun> thin;
  OptimizersReport optimizers;
  FeaturesReport features;
  TiltReport tilt;
};

class ExperimentJob {
 public:
  // The datasets and the subspace must outlive the job unchanged; the model is copied.
  ExperimentJob(Experiment e, ExperimentInputs in, const TrialSettings& p, Slicing slicing);
  ~ExperimentJob();
  ExperimentJob(const ExperimentJob&) = delete;
  ExperimentJob& operator=(const ExperimentJob&) = delete;

  Experiment experiment() const { return Experiment(job_.index()); }
  bool done() const;
  void step();
  // The figures so far as numbers (encode_result's), read straight from the running job's reports.
  std::vector<double> encoded() const;
  // The same figures decoded: the copy an interface keeps, the same whether it came through a worker or not.
  ExperimentResult result() const;

 private:
  double progress() const;

  ExperimentInputs in_;
  TrialSettings p_;
  Dataset thin_train_;
  // The running experiment's job: alternative i is Experiment(i)'s (std::visit over it fails to compile where
  // an experiment has no case). The jobs keep pointers into in_ and thin_train_, which stay put.
  std::variant<std::unique_ptr<MinimalSpanJob>, std::unique_ptr<TransferJob>, std::unique_ptr<ThinBookJob>,
               std::unique_ptr<OptimizersJob>, std::unique_ptr<FeaturesJob>, std::unique_ptr<TiltJob>>
      job_;
};

// Asking another thread for an experiment: which one, on what model A, with what seed and pair. The model
// crosses as its parameters and initial weights, flat (core/train/remote_run.h's order).
struct ExperimentRequest {
  Experiment experiment = Experiment::kSpan;
  uint64_t seed = 1;
  int source = 7, target = 0;
  Model a;
};
std::vector<double> encode_experiment_request(const ExperimentRequest& r);
Expected<ExperimentRequest> decode_experiment_request(const double* v, size_t n);

// The result as numbers and back. decode_result checks everything it reads and says what is wrong.
std::vector<double> encode_result(const ExperimentResult& r);
// The same from the header and the report of h.experiment (the others may be null).
std::vector<double> encode_result_parts(ResultHeader h, const MinimalSpanReport* span,
                                        const TransferReport* transfer, int transfer_epochs,
                                        const std::vector<ThinBookRun>* thin,
                                        const OptimizersReport* optimizers, const FeaturesReport* features,
                                        const TiltReport* tilt);
Expected<ExperimentResult> decode_result(const double* v, size_t n);

}  // namespace bs
