#include "core/trial/features.h"

#include <algorithm>
#include <cmath>

#include "core/robust/pgd.h"
#include "core/robust/robustness.h"
#include "core/train/evaluate.h"

namespace bs {

FeaturesJob::FeaturesJob(const Params& a, const Dataset& train, const Dataset& test, const Subspace& subspace,
                         uint64_t seed, const FeaturesSettings& s, Slicing slicing)
    : a_(a), train_(train), test_(test), seed_(seed), s_(s), slicing_(slicing) {
  rep_.k = s.k > 0 ? s.k : subspace.k_for(0.95);
  rep_.images = std::min(s.images, train.size());
  top_ = subspace.basis.topRows(rep_.k);
  ws_ = std::make_unique<Workspace>(Arch{}, 500);
  for (const char* name : {"pgd", "off_span", "control"}) add_variant(name);
}

void FeaturesJob::add_variant(const char* name) {
  stages_.add([this, name] {  // the push, a chunk of training images at a time
    if (next_ == 0) {
      v_ = FeaturesVariant();
      v_.name = name;
      set_ = Dataset();
      set_.images.resize(rep_.images * kPixels);
      set_.labels.resize(rep_.images);
      set_.declared = uint32_t(rep_.images);
      reached_ = 0;
    }
    const size_t count = std::min(size_t(std::max(1, slicing_.images)) * 4, rep_.images - next_);
    std::vector<uint32_t> idx(count);
    for (size_t i = 0; i < count; ++i) idx[i] = uint32_t(next_ + i);
    const Mat x = dataset_columns(train_, idx);
    std::vector<Goal> goals = dataset_goals(train_, idx);
    for (Goal& g : goals) g.target = (g.label + 1) % kClasses;
    Mat pushed = x;
    if (v_.name != "control") {
      PgdSettings pgd;
      pgd.norm = Norm::kL2;
      pgd.steps = s_.steps;
      pgd.restarts = 1;
      pgd.seed = seed_;
      pgd.early_stop = false;  // the whole budget: the target's features as strong as the attack makes them
      if (v_.name == "off_span") {
        pgd.restrict_rows = &top_;
        pgd.restrict_complement = true;
        pgd.restrict_rounds = s_.restrict_rounds;
      }
      pushed = pgd_attack(a_, x, goals, std::vector<float>(count, s_.eps), pgd).adversarial;
    }
    Workspace ws(a_.arch(), 1);
    std::vector<float> probs(kClasses);
    // Pixels are stored as bytes: what the fresh model trains on, and what A is asked about.
    for (size_t i = 0; i < count; ++i) {
      const float* p = pushed.col(long(i)).data();
      const size_t at = next_ + i;
      for (int k = 0; k < kPixels; ++k)
        set_.images[at * kPixels + size_t(k)] = uint8_t(std::lround(std::clamp(p[k], 0.0f, 1.0f) * 255.0f));
      set_.labels[at] = uint8_t(goals[i].target);
      const std::vector<float> stored = set_.image_floats(at);
      reached_ += predict_one(a_, ws, stored.data(), probs.data()) == goals[i].target;
    }
    next_ += count;
    if (next_ < rep_.images) return false;
    v_.target_rate = rep_.images ? double(reached_) / double(rep_.images) : 0.0;
    v_.model = make_model(Arch{}, seed_);
    TrainConfig cfg = default_train_config();
    cfg.shuffle_seed = seed_;
    trainer_ = std::make_unique<Trainer>(cfg, Arch{});
    epochs_ = 0;
    next_ = 0;
    return true;
  });
  stages_.add([this] {  // the fresh model, trained on the set alone with the recipe (train_recipe)
    if (set_.size() == 0 || epochs_ >= s_.epochs) return true;
    trainer_->train_steps(v_.model.params, set_, std::max(1, slicing_.train_steps));
    return trainer_->epoch_just_ended() && ++epochs_ >= s_.epochs;
  });
  stages_.add([this] {  // its accuracy on the clean test set, true labels
    if (!eval_.running()) eval_.begin(v_.model.params, test_);
    if (!eval_.step(*ws_, size_t(std::max(1, slicing_.images)) * 250)) return false;
    v_.clean_test_accuracy = eval_.take().accuracy();
    rep_.variants.push_back(std::move(v_));
    trainer_.reset();
    return true;
  });
}

FeaturesReport features_experiment(const Params& a, const Dataset& train, const Dataset& test,
                                   const Subspace& subspace, uint64_t seed, const FeaturesSettings& s) {
  FeaturesJob job(a, train, test, subspace, seed, s, Slicing{});
  while (!job.done()) job.step();
  return std::move(job.report());
}

}  // namespace bs
