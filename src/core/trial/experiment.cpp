#include "core/trial/experiment.h"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "core/trial/recipe.h"

namespace bs {

TrialSettings cli_trial_settings(bool quick, uint64_t seed) {
  TrialSettings t;
  t.span.attack.seed = seed;
  t.transfer.epochs = kRecipeEpochs;
  t.transfer.attack.seed = seed;
  t.thin.attack.seed = seed;
  t.tilt.attack.seed = seed;
  t.tilt.epochs = kRecipeEpochs;
  if (!quick) return t;
  t.span.images = 100;
  t.span.attack.steps = 20;
  t.span.attack.restarts = 1;
  t.transfer.epochs = 2;
  t.transfer.max_images = 100;
  t.transfer.attack.steps = 20;
  t.transfer.attack.restarts = 1;
  t.thin.epochs = 1;
  t.thin.images = 20;
  t.thin.attack.steps = 10;
  t.thin_train_images = 10000;
  t.optimizer_images = 30;
  t.features.images = 2000;
  t.features.epochs = 2;
  t.tilt.decays = {0.0f, 1e-2f};
  t.tilt.images = 30;
  t.tilt.attack.steps = 20;
  t.tilt.attack.restarts = 1;
  t.tilt.epochs = t.transfer.epochs;
  return t;
}

TrialSettings page_trial_settings() {
  TrialSettings p;
  RobustnessSettings light;
  light.norm = Norm::kL2;
  light.steps = 20;
  light.restarts = 1;
  p.span.images = 100;
  p.span.attack = light;
  p.transfer.epochs = 3;  // the recipe has 5; 3 keeps B's training within half a minute of frame slices
  p.transfer.max_images = 200;
  p.transfer.attack = light;
  p.thin.epochs = 1;
  p.thin.images = 20;
  p.thin.attack.steps = 10;
  p.thin.attack.restarts = 1;
  p.thin_train_images = 10000;
  p.optimizer_images = 30;
  p.features.images = 2000;
  p.features.epochs = 2;
  // f: the model on view (decay 0) against the recipe with decay 1e-2, the pair the rules judge, each
  // trained as the recipe says.
  p.tilt.decays = {0.0f, 1e-2f};
  p.tilt.epochs = kRecipeEpochs;
  p.tilt.images = 50;
  p.tilt.attack = light;
  return p;
}

constexpr std::array<ExperimentInfo, kExperimentCount> kExperiments = {{
    {Experiment::kSpan, "span", "a. Where minimal perturbations live",
     "Does the smallest change that fools the network lie in the directions the data use, or outside them?"},
    {Experiment::kTransfer, "transfer", "b. Two seeds",
     "Do the patterns that fool model A also fool model B, trained the same way from another seed?"},
    {Experiment::kThinBook, "thin", "c. The thin book",
     "Trained on images confined to d directions, where is the model easiest to attack?"},
    {Experiment::kOptimizers, "optimizers", "d. SGD against Adam",
     "Adam moves the weights the data barely touch far more than SGD does: does that change the attacks?"},
    {Experiment::kFeatures, "features", "e. Bugs or features",
     "Do the perturbations carry real patterns of the target class, enough to learn from?"},
    {Experiment::kTilt, "tilt", "f. Regularisation and tilt",
     "Weight decay shrinks the weights off the span and is said to tilt the boundary back: what does it do "
     "to the smallest attack?"},
}};

namespace {
constexpr bool experiments_in_enum_order() {
  for (size_t i = 0; i < kExperimentCount; ++i)
    if (kExperiments[i].experiment != Experiment(i)) return false;
  return true;
}
static_assert(experiments_in_enum_order(), "kExperiments: row i must describe Experiment(i)");
}  // namespace

const ExperimentInfo& experiment_info(Experiment e) {
  return kExperiments[size_t(e)];
}

const ExperimentInfo* find_experiment(const std::string& name) {
  for (const ExperimentInfo& info : kExperiments)
    if (name == info.name) return &info;
  return nullptr;
}

std::vector<std::string> experiment_names() {
  std::vector<std::string> out;
  for (const ExperimentInfo& info : kExperiments) out.push_back(info.name);
  return out;
}

namespace {

// Alternative i of the job variant runs Experiment(i).
template <Experiment e, typename Job>
constexpr bool job_at() {
  using Variant = std::variant<std::unique_ptr<MinimalSpanJob>, std::unique_ptr<TransferJob>,
                               std::unique_ptr<ThinBookJob>, std::unique_ptr<OptimizersJob>,
                               std::unique_ptr<FeaturesJob>, std::unique_ptr<TiltJob>>;
  return std::variant_size_v<Variant> == kExperimentCount &&
         std::is_same_v<std::variant_alternative_t<size_t(e), Variant>, std::unique_ptr<Job>>;
}
static_assert(job_at<Experiment::kSpan, MinimalSpanJob>() && job_at<Experiment::kTransfer, TransferJob>() &&
                  job_at<Experiment::kThinBook, ThinBookJob>() &&
                  job_at<Experiment::kOptimizers, OptimizersJob>() &&
                  job_at<Experiment::kFeatures, FeaturesJob>() && job_at<Experiment::kTilt, TiltJob>(),
              "ExperimentJob's variant: alternative i is Experiment(i)'s job");

}  // namespace

ExperimentJob::ExperimentJob(Experiment e, ExperimentInputs in, const TrialSettings& p, Slicing slicing)
    : in_(std::move(in)), p_(p) {
  const Dataset& train = *in_.train;
  const Dataset& test = *in_.test;
  const Subspace& sub = *in_.subspace;
  TransferSettings pair = p_.transfer;
  pair.source = in_.source;
  pair.target = in_.target;
  switch (e) {
    case Experiment::kSpan:
      job_ = std::make_unique<MinimalSpanJob>(in_.a.params, train, test, sub, p_.span, slicing);
      break;
    case Experiment::kTransfer:
      job_ = std::make_unique<TransferJob>(train, test, sub, in_.seed, in_.seed + 1, pair, slicing, &in_.a);
      break;
    case Experiment::kThinBook: {
      const Dataset* thin = &train;
      if (p_.thin_train_images) {
        thin_train_ = train.first(p_.thin_train_images);
        thin = &thin_train_;
      }
      job_ = std::make_unique<ThinBookJob>(*thin, test, sub, in_.seed, p_.thin, slicing);
      break;
    }
    case Experiment::kOptimizers:
      job_ = std::make_unique<OptimizersJob>(in_.a, train, test, sub, in_.seed, p_.optimizer_images, pair,
                                             slicing);
      break;
    case Experiment::kFeatures:
      job_ =
          std::make_unique<FeaturesJob>(in_.a.params, train, test, sub, in_.seed + 2, p_.features, slicing);
      break;
    case Experiment::kTilt:
      job_ = std::make_unique<TiltJob>(in_.a, train, test, sub, in_.seed, p_.tilt, slicing);
      break;
  }
}

ExperimentJob::~ExperimentJob() = default;

bool ExperimentJob::done() const {
  return std::visit([](const auto& job) { return job->done(); }, job_);
}

void ExperimentJob::step() {
  std::visit([](auto& job) { job->step(); }, job_);
}

namespace {

// Each experiment's progress, 0..1, while it runs.
double fraction(const MinimalSpanJob& j, const TrialSettings&) {
  return j.images_total() ? double(j.report().images.size()) / double(j.images_total()) : 0.0;
}
double fraction(const TransferJob& j, const TrialSettings& p) {
  const double train = double(j.epochs_done()) / std::max(1, p.transfer.epochs);
  const TransferMeasureJob* m = j.measure();
  const double measure = m && m->images_total() ? double(m->images_done()) / m->images_total() : 0.0;
  return 0.6 * std::min(1.0, train) + 0.4 * measure;
}
double fraction(const ThinBookJob& j, const TrialSettings&) {
  return double(j.runs().size()) / double(j.models_total());
}
double fraction(const OptimizersJob& j, const TrialSettings&) {
  return double(j.stage()) / double(j.stages());
}
double fraction(const FeaturesJob& j, const TrialSettings&) {
  return double(j.stage()) / double(j.stages());
}
double fraction(const TiltJob& j, const TrialSettings&) {
  return double(j.stage()) / double(j.stages());
}

// Each experiment's report, as encode_result_parts takes it.
struct Reports {
  const MinimalSpanReport* span = nullptr;
  const TransferReport* transfer = nullptr;
  int transfer_epochs = 0;
  const std::vector<ThinBookRun>* thin = nullptr;
  const OptimizersReport* optimizers = nullptr;
  const FeaturesReport* features = nullptr;
  const TiltReport* tilt = nullptr;
};
Reports reports(const MinimalSpanJob& j) {
  Reports r;
  r.span = &j.report();
  return r;
}
Reports reports(const TransferJob& j) {
  Reports r;
  r.transfer = &j.report();
  r.transfer_epochs = j.epochs_done();
  return r;
}
Reports reports(const ThinBookJob& j) {
  Reports r;
  r.thin = &j.runs();
  return r;
}
Reports reports(const OptimizersJob& j) {
  Reports r;
  r.optimizers = &j.report();
  return r;
}
Reports reports(const FeaturesJob& j) {
  Reports r;
  r.features = &j.report();
  return r;
}
Reports reports(const TiltJob& j) {
  Reports r;
  r.tilt = &j.report();
  return r;
}

}  // namespace

double ExperimentJob::progress() const {
  if (done()) return 1.0;
  return std::visit([this](const auto& job) { return fraction(*job, p_); }, job_);
}

std::vector<double> ExperimentJob::encoded() const {
  ResultHeader h;
  h.experiment = experiment();
  h.seed = in_.seed;
  h.source = in_.source;
  h.target = in_.target;
  h.done = done();
  h.progress = progress();
  h.stage_times = std::visit([](const auto& job) { return job->stage_times(); }, job_);
  const Reports r = std::visit([](const auto& job) { return reports(*job); }, job_);
  return encode_result_parts(std::move(h), r.span, r.transfer, r.transfer_epochs, r.thin, r.optimizers,
                             r.features, r.tilt);
}

ExperimentResult ExperimentJob::result() const {
  const std::vector<double> v = encoded();
  return decode_result(v.data(), v.size()).value();  // its own numbers: they always read back
}

}  // namespace bs
