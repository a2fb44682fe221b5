#include "core/trial/optimizers.h"

#include <algorithm>
#include <cmath>

#include "core/robust/deepfool.h"
#include "core/train/evaluate.h"
#include "core/trial/geometry.h"
#include "core/trial/recipe.h"
#include "core/util/median.h"

namespace bs {

double off_span_drift(const Model& m, const Subspace& subspace, int k) {
  const MatRM top = subspace.basis.topRows(std::clamp(k, 0, kPixels));
  auto off = [&](const MatRM& w) -> MatRM { return w - (w * top.transpose()) * top; };
  const double init = double(off(m.init.w1).norm());
  return init > 0 ? double(off(m.params.w1 - m.init.w1).norm()) / init : 0.0;
}

OptimizersJob::OptimizersJob(const Model& sgd, const Dataset& train, const Dataset& test,
                             const Subspace& subspace, uint64_t seed, int images, const TransferSettings& s,
                             Slicing slicing)
    : train_(train), test_(test), subspace_(subspace), images_(images), s_(s), slicing_(slicing) {
  rep_.k = s.k > 0 ? s.k : subspace.k_for(0.95);
  rep_.sgd.name = "sgd";
  rep_.sgd.model = sgd;
  rep_.adam.name = "adam";
  rep_.adam.model = make_model(Arch{}, seed);
  TrainConfig adam = default_train_config();
  adam.opt.kind = OptimizerKind::kAdam;
  adam.opt.lr = 1e-3f;
  adam.shuffle_seed = seed;
  trainer_ = std::make_unique<Trainer>(adam, Arch{});
  ws_ = std::make_unique<Workspace>(Arch{}, 500);
  stages_.add([this] {  // Adam's training: the recipe (train_recipe) with another optimizer
    if (train_.size() == 0 || epochs_ >= s_.epochs) return true;
    trainer_->train_steps(rep_.adam.model.params, train_, std::max(1, slicing_.train_steps));
    return trainer_->epoch_just_ended() && ++epochs_ >= s_.epochs;
  });
  for (OptimizerRun* r : {&rep_.sgd, &rep_.adam}) {
    stages_.add([this, r] {
      if (!eval_.running()) eval_.begin(r->model.params, test_);
      if (!eval_.step(*ws_, size_t(std::max(1, slicing_.images)) * 250)) return false;
      r->accuracy = eval_.take().accuracy();
      r->off_drift = off_span_drift(r->model, subspace_, rep_.k);
      r->off_span_norm = off_span_norm(r->model.params.w1, subspace_, rep_.k);
      return true;
    });
    add_radius(r);
  }
  add_transfer(true);
  add_transfer(false);
}

// A chunk of images at a time: DeepFool, then minimal-radius PGD one round of probes per call; on the first
// images both models classify correctly, so that the two are compared image by image.
void OptimizersJob::add_radius(OptimizerRun* r) {
  stages_.add([this, r] {
    const Params& p = r->model.params;
    if (next_ == 0 && !pgd_ && radii_.empty()) {
      idx_ = first_correct_images(rep_.sgd.model.params, test_, size_t(std::max(0, images_)),
                                  &rep_.adam.model.params);
      if (idx_.empty()) {
        r->median_radius = std::nanf("");
        return true;
      }
    }
    if (!pgd_) {
      const size_t count = std::min<size_t>(size_t(std::max(1, slicing_.images)), idx_.size() - next_);
      const std::vector<uint32_t> idx(idx_.begin() + long(next_), idx_.begin() + long(next_ + count));
      const Mat x = dataset_columns(test_, idx);
      const std::vector<Goal> goals = dataset_goals(test_, idx);
      DeepFoolSettings df;
      df.norm = Norm::kL2;
      deepfool_radius_ = deepfool_attack(p, x, goals, df).radius;
      std::vector<float> probs(kClasses), g(kPixels);
      for (size_t i = 0; i < idx.size(); ++i) {  // the margin's gradient against the runner-up
        const long c = long(i);
        predict_one(p, *ws_, x.col(c).data(), probs.data());
        const int y = goals[i].label;
        probs[size_t(y)] = -1;
        const int runner_up = int(std::max_element(probs.begin(), probs.end()) - probs.begin());
        margin_gradient(p, x.col(c).data(), y, runner_up, g.data());
        gradient_norms_.push_back(double(Eigen::Map<const Vec>(g.data(), kPixels).norm()));
      }
      RobustnessSettings rs = s_.attack;
      rs.norm = Norm::kL2;
      pgd_.emplace(minimal_radius_pgd_job(p, x, goals, rs, deepfool_radius_));
      return false;
    }
    pgd_->step();
    if (!pgd_->done()) return false;
    for (size_t i = 0; i < deepfool_radius_.size(); ++i)
      radii_.push_back(std::min(deepfool_radius_[i], pgd_->result().radius[i]));
    next_ += deepfool_radius_.size();
    pgd_.reset();
    if (next_ < idx_.size()) return false;
    r->median_radius = float(median(radii_));
    r->radii = std::move(radii_);
    r->gradient_norms = std::move(gradient_norms_);
    r->lipschitz = median(r->gradient_norms);
    radii_.clear();
    gradient_norms_.clear();
    next_ = 0;
    return true;
  });
}

void OptimizersJob::add_transfer(bool from_sgd) {
  stages_.add([this, from_sgd] {
    const OptimizerRun& maker = from_sgd ? rep_.sgd : rep_.adam;
    const OptimizerRun& other = from_sgd ? rep_.adam : rep_.sgd;
    if (!measure_)
      measure_ = std::make_unique<TransferMeasureJob>(maker.model.params, other.model.params, test_,
                                                      subspace_, rep_.k, s_, slicing_);
    measure_->step();
    (from_sgd ? rep_.sgd_to_adam : rep_.adam_to_sgd) = measure_->directions();
    (from_sgd ? rep_.sgd_to_adam_images : rep_.adam_to_sgd_images) = measure_->images();
    if (from_sgd) {
      rep_.correct_sgd = measure_->count_a();
      rep_.correct_adam = measure_->count_b();
    }
    if (!measure_->done()) return false;
    measure_.reset();
    return true;
  });
}

SeedMeasures optimizer_measures(const OptimizersReport& r, uint64_t seed) {
  SeedMeasures m;
  m.seed = seed;
  if (r.sgd.radii.empty() || r.sgd.radii.size() != r.adam.radii.size()) return m;
  const bool adam_more = r.adam.off_span_norm > r.sgd.off_span_norm;
  Measure ratio;
  ratio.statistic = Statistic::kRatioOfMedians;
  ratio.columns = {adam_more ? r.adam.radii : r.sgd.radii, adam_more ? r.sgd.radii : r.adam.radii};
  m.quantities["d.radius_ratio"] = std::move(ratio);
  if (!r.sgd_to_adam_images.empty() && r.sgd_to_adam_images.size() == r.adam_to_sgd_images.size()) {
    Measure t;
    t.statistic = Statistic::kSmallerRatioOfRates;
    constexpr size_t kPgd = 2;  // equal_direction_name(2)
    for (const std::vector<TransferImage>* way : {&r.sgd_to_adam_images, &r.adam_to_sgd_images}) {
      std::vector<double> hit_other, right_other, hit_own, right_own;
      for (const TransferImage& im : *way) {
        hit_other.push_back(im.flip_b[kPgd]);
        right_other.push_back(im.right_b);
        hit_own.push_back(im.flip_a[kPgd]);
        right_own.push_back(im.right_a);
      }
      for (std::vector<double>* c : {&hit_other, &right_other, &hit_own, &right_own}) t.columns.push_back(*c);
    }
    m.quantities["d.transfer.pgd_equal_norm"] = std::move(t);
  }
  if (r.sgd.off_span_norm > 0)
    m.checks["d.optimizers_differ"] =
        std::fabs(r.adam.off_span_norm - r.sgd.off_span_norm) / r.sgd.off_span_norm;
  return m;
}

OptimizersReport optimizers_experiment(const Model& sgd, const Dataset& train, const Dataset& test,
                                       const Subspace& subspace, uint64_t seed, int images,
                                       const TransferSettings& s) {
  OptimizersJob job(sgd, train, test, subspace, seed, images, s, Slicing{});
  while (!job.done()) job.step();
  return std::move(job.report());
}

}  // namespace bs
