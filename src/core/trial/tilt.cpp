#include "core/trial/tilt.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/robust/deepfool.h"
#include "core/trial/span_shares.h"
#include "core/util/median.h"

namespace bs {

TiltJob::TiltJob(const Model& book, const Dataset& train, const Dataset& test, const Subspace& subspace,
                 uint64_t seed, const TiltSettings& s, Slicing slicing)
    : train_(train), test_(test), subspace_(subspace), seed_(seed), s_(s), slicing_(slicing) {
  rep_.k = s.k > 0 ? s.k : subspace.k_for(0.95);
  ws_ = std::make_unique<Workspace>(Arch{}, 500);
  // The decay-0 model is the book's and the reference for the images: it comes first, whatever was asked.
  s_.decays.erase(std::remove(s_.decays.begin(), s_.decays.end(), 0.0f), s_.decays.end());
  s_.decays.insert(s_.decays.begin(), 0.0f);
  rep_.runs.resize(s_.decays.size());
  for (size_t i = 0; i < s_.decays.size(); ++i) {
    DecayRun& r = rep_.runs[i];
    r.decay = s_.decays[i];
    r.model = r.decay == 0.0f ? book : make_model(Arch{}, seed);
    if (r.decay != 0.0f) add_training(&r);
  }
  stages_.add([this] {  // the class means, for the tilt angles
    means_ = class_means(train_);
    return true;
  });
  for (DecayRun& r : rep_.runs) add_measures(&r);
}

// The recipe (train_recipe) with weight decay on the weights, not the biases.
void TiltJob::add_training(DecayRun* r) {
  stages_.add([this, r] {
    if (!trainer_) {
      TrainConfig cfg = default_train_config();
      cfg.opt.weight_decay = r->decay;
      cfg.shuffle_seed = seed_;
      trainer_ = std::make_unique<Trainer>(cfg, Arch{});
      epochs_ = 0;
    }
    if (train_.size() == 0 || epochs_ >= s_.epochs) {
      trainer_.reset();
      return true;
    }
    trainer_->train_steps(r->model.params, train_, std::max(1, slicing_.train_steps));
    if (!trainer_->epoch_just_ended() || ++epochs_ < s_.epochs) return false;
    trainer_.reset();
    return true;
  });
}

void TiltJob::add_measures(DecayRun* r) {
  stages_.add([this, r] {  // accuracy on the whole test set, and W1 off the span
    if (!eval_.running()) eval_.begin(r->model.params, test_);
    if (!eval_.step(*ws_, size_t(std::max(1, slicing_.images)) * 250)) return false;
    r->clean_accuracy = eval_.take().accuracy();
    r->off_span_norm = off_span_norm(r->model.params.w1, subspace_, rep_.k);
    return true;
  });
  // The minimal attacks, a chunk of images at a time: DeepFool, then minimal-radius PGD one round per call.
  stages_.add([this, r] {
    const Params& p = r->model.params;
    if (next_ == 0 && !pgd_ && r->images.empty()) {
      idx_ = first_correct_images(rep_.runs.front().model.params, test_, size_t(std::max(0, s_.images)), &p);
      if (idx_.empty()) return true;
    }
    if (!pgd_) {
      const size_t count = std::min<size_t>(size_t(std::max(1, slicing_.images)), idx_.size() - next_);
      chunk_.assign(idx_.begin() + long(next_), idx_.begin() + long(next_ + count));
      chunk_x_ = dataset_columns(test_, chunk_);
      const std::vector<Goal> goals = dataset_goals(test_, chunk_);
      DeepFoolSettings df;
      df.norm = Norm::kL2;
      deepfool_ = deepfool_attack(p, chunk_x_, goals, df);
      RobustnessSettings rs = s_.attack;
      rs.norm = Norm::kL2;
      pgd_.emplace(minimal_radius_pgd_job(p, chunk_x_, goals, rs, deepfool_.radius));
      return false;
    }
    pgd_->step();
    if (!pgd_->done()) return false;
    finish_chunk(r);
    pgd_.reset();
    next_ += chunk_.size();
    if (next_ < idx_.size()) return false;
    // The radius counts every image (+inf where no flip was found); the angle and the share exist only where
    // a perturbation does.
    std::vector<double> radius, angle;
    double share = 0;
    for (const TiltImage& im : r->images) {
      radius.push_back(im.radius);
      if (im.reached < 0) continue;
      angle.push_back(im.angle_deg);
      share += im.top_k_share;
    }
    r->median_radius = median(radius);
    r->median_angle_deg = median(angle);
    r->mean_top_k_share = angle.empty() ? std::nan("") : share / double(angle.size());
    next_ = 0;
    return true;
  });
}

// Each image of the chunk: the closer of the two attacks' points, its class, the tilt angle of the margin's
// gradient at the clean image, and the perturbation's top-k share.
void TiltJob::finish_chunk(DecayRun* r) {
  const Params& p = r->model.params;
  const AttackRun& pgd = pgd_->result();
  const Mat& x = chunk_x_;
  std::vector<float> delta(kPixels), toward(kPixels), means_diff(kPixels);
  for (size_t i = 0; i < chunk_.size(); ++i) {
    const bool use_pgd = pgd.radius[i] < deepfool_.radius[i];
    const AttackRun& best = use_pgd ? pgd : deepfool_;
    TiltImage im;
    im.index = chunk_[i];
    im.label = test_.label(chunk_[i]);
    im.radius = best.radius[i];
    im.reached = std::isfinite(im.radius) ? best.prediction[i] : -1;
    if (im.reached >= 0 && im.reached != im.label) {
      const long c = long(i);
      for (int k = 0; k < kPixels; ++k) delta[size_t(k)] = best.adversarial(k, c) - x(k, c);
      im.top_k_share = span_shares(subspace_, rep_.k, delta.data()).top_k;
      margin_gradient(p, x.col(c).data(), im.label, im.reached, toward.data());
      for (int k = 0; k < kPixels; ++k) means_diff[size_t(k)] = means_(k, im.reached) - means_(k, im.label);
      im.angle_deg = angle_deg(toward.data(), means_diff.data(), kPixels);
    } else {
      im.radius = std::numeric_limits<float>::infinity();
      im.reached = -1;
      im.angle_deg = std::nan("");
      im.top_k_share = std::nan("");
    }
    r->images.push_back(im);
  }
}

SeedMeasures tilt_measures(const TiltReport& r, uint64_t seed) {
  SeedMeasures m;
  m.seed = seed;
  const DecayRun* base = nullptr;
  const DecayRun* judged = nullptr;
  for (const DecayRun& run : r.runs) {
    if (run.decay == 0.0f) base = &run;
    if (run.decay == kJudgedDecay) judged = &run;
  }
  if (!base || !judged) return m;
  Measure radius, angle, share, top_k;
  radius.statistic = Statistic::kRatioOfMedians;
  angle.statistic = Statistic::kDifferenceOfMedians;
  share.statistic = Statistic::kDifferenceOfMeans;
  top_k.statistic = Statistic::kMean;
  for (Measure* x : {&radius, &angle, &share}) x->columns.resize(2);
  top_k.columns.resize(1);
  for (const TiltImage& b : judged->images) {
    if (b.reached >= 0)
      top_k.columns[0].push_back(b.top_k_share);
    else
      ++top_k.left_out;
    const auto a = std::find_if(base->images.begin(), base->images.end(),
                                [&](const TiltImage& x) { return x.index == b.index; });
    if (a == base->images.end()) continue;  // an image only one of the two models was measured on
    radius.columns[0].push_back(b.radius);
    radius.columns[1].push_back(a->radius);
    if (a->reached < 0 || b.reached < 0) {
      ++angle.left_out;
      ++share.left_out;
      continue;
    }
    angle.columns[0].push_back(b.angle_deg);
    angle.columns[1].push_back(a->angle_deg);
    share.columns[0].push_back(b.top_k_share);
    share.columns[1].push_back(a->top_k_share);
  }
  m.quantities["f.radius_ratio"] = std::move(radius);
  m.quantities["f.tilt_change"] = std::move(angle);
  m.quantities["f.share_change"] = std::move(share);
  m.quantities["f.top_k_share.1e-2"] = std::move(top_k);
  m.checks["f.decay_took"] =
      base->off_span_norm > 0 ? judged->off_span_norm / base->off_span_norm : std::nan("");
  m.checks["f.still_learns"] = judged->clean_accuracy;
  return m;
}

TiltReport tilt_experiment(const Model& book, const Dataset& train, const Dataset& test,
                           const Subspace& subspace, uint64_t seed, const TiltSettings& s) {
  TiltJob job(book, train, test, subspace, seed, s, Slicing{});
  while (!job.done()) job.step();
  return std::move(job.report());
}

}  // namespace bs
