#include "core/trial/experiment.h"

#include <algorithm>
#include <utility>

namespace bs {

PageTrialSettings page_trial_settings() {
  PageTrialSettings p;
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
  p.features.images = 2000;
  p.features.steps = 10;
  p.features.epochs = 2;
  return p;
}

ExperimentJob::ExperimentJob(Experiment e, ExperimentInputs in, const PageTrialSettings& p, Slicing slicing)
    : e_(e), in_(std::move(in)), p_(p) {
  const Dataset& train = *in_.train;
  const Dataset& test = *in_.test;
  const Subspace& sub = *in_.subspace;
  TransferSettings pair = p_.transfer;
  pair.source = in_.source;
  pair.target = in_.target;
  switch (e) {
    case Experiment::kSpan:
      span_ = std::make_unique<MinimalSpanJob>(in_.a.params, train, test, sub, p_.span, slicing);
      break;
    case Experiment::kTransfer:
      transfer_ =
          std::make_unique<TransferJob>(train, test, sub, in_.seed, in_.seed + 1, pair, slicing, &in_.a);
      break;
    case Experiment::kThinBook:
      thin_train_ = train.first(p_.thin_train_images);
      thin_ = std::make_unique<ThinBookJob>(thin_train_, test, sub, in_.seed, p_.thin, slicing);
      break;
    case Experiment::kOptimizers:
      optimizers_ = std::make_unique<OptimizersJob>(in_.a, train, test, sub, in_.seed, p_.optimizer_images,
                                                    pair, slicing);
      break;
    case Experiment::kFeatures:
      features_ =
          std::make_unique<FeaturesJob>(in_.a.params, train, test, sub, in_.seed + 2, p_.features, slicing);
      break;
  }
}

ExperimentJob::~ExperimentJob() = default;

namespace {

// The running job's calls, whichever experiment it is.
template <typename Job, typename F>
auto with_job(Job& j, Experiment e, F f) {
  switch (e) {
    case Experiment::kSpan:
      return f(*j.span);
    case Experiment::kTransfer:
      return f(*j.transfer);
    case Experiment::kThinBook:
      return f(*j.thin);
    case Experiment::kOptimizers:
      return f(*j.optimizers);
    default:
      return f(*j.features);
  }
}

struct Jobs {
  MinimalSpanJob* span;
  TransferJob* transfer;
  ThinBookJob* thin;
  OptimizersJob* optimizers;
  FeaturesJob* features;
};

}  // namespace

bool ExperimentJob::done() const {
  const Jobs j{span_.get(), transfer_.get(), thin_.get(), optimizers_.get(), features_.get()};
  return with_job(j, e_, [](const auto& job) { return job.done(); });
}

void ExperimentJob::step() {
  const Jobs j{span_.get(), transfer_.get(), thin_.get(), optimizers_.get(), features_.get()};
  with_job(j, e_, [](auto& job) { job.step(); });
}

double ExperimentJob::progress() const {
  if (done()) return 1.0;
  switch (e_) {
    case Experiment::kSpan:
      return span_->images_total() ? double(span_->report().images.size()) / double(span_->images_total())
                                   : 0.0;
    case Experiment::kTransfer: {
      const double train = double(transfer_->epochs_done()) / std::max(1, p_.transfer.epochs);
      const TransferMeasureJob* m = transfer_->measure();
      const double measure = m && m->images_total() ? double(m->images_done()) / m->images_total() : 0.0;
      return 0.6 * std::min(1.0, train) + 0.4 * measure;
    }
    case Experiment::kThinBook:
      return double(thin_->runs().size()) / double(thin_->models_total());
    case Experiment::kOptimizers:
      return double(optimizers_->stage()) / double(optimizers_->stages());
    default:
      return double(features_->stage()) / double(features_->stages());
  }
}

std::vector<double> ExperimentJob::encoded() const {
  const Jobs j{span_.get(), transfer_.get(), thin_.get(), optimizers_.get(), features_.get()};
  ResultHeader h;
  h.experiment = e_;
  h.done = done();
  h.progress = progress();
  h.stage_times = with_job(j, e_, [](const auto& job) { return job.stage_times(); });
  return encode_result_parts(
      std::move(h), span_ ? &span_->report() : nullptr, transfer_ ? &transfer_->report() : nullptr,
      transfer_ ? transfer_->epochs_done() : 0, thin_ ? &thin_->runs() : nullptr,
      optimizers_ ? &optimizers_->report() : nullptr, features_ ? &features_->report() : nullptr);
}

ExperimentResult ExperimentJob::result() const {
  const std::vector<double> v = encoded();
  return decode_result(v.data(), v.size()).value();  // its own numbers: they always read back
}

}  // namespace bs
