#include "core/trial/features.h"

#include <algorithm>
#include <cmath>

#include "core/robust/pgd.h"
#include "core/robust/robustness.h"
#include "core/train/evaluate.h"
#include "core/util/median.h"
#include "core/util/rng.h"

namespace bs {
namespace {

constexpr const char* kSetNames[kPushSets] = {"det",           "rand",        "det_off_span",
                                              "rand_off_span", "control_det", "control_rand"};
// The stream of rand's target draws (any fixed constant: the seed picks the draws).
constexpr uint64_t kRandStream = 0xe5e7;
// Pushes per call outside an interface (bounds the attack's working set).
constexpr size_t kChunk = 2048;

bool is_control(PushSet s) {
  return s == PushSet::kControlDet || s == PushSet::kControlRand;
}
bool off_span(PushSet s) {
  return s == PushSet::kDetOffSpan || s == PushSet::kRandOffSpan;
}
bool deterministic(PushSet s) {
  return s == PushSet::kDet || s == PushSet::kDetOffSpan || s == PushSet::kControlDet;
}

}  // namespace

const char* push_set_name(PushSet s) {
  return kSetNames[int(s)];
}

int FeaturesSettings::total_steps() const {
  const int radii = eps_grow > 0 ? 1 + int(std::ceil((eps_max - eps_start) / eps_grow - 1e-6f)) : 1;
  return std::max(1, steps) * std::max(1, radii);
}

FeaturesJob::FeaturesJob(const Params& a, const Dataset& train, const Dataset& test, const Subspace& subspace,
                         uint64_t seed, const FeaturesSettings& s, Slicing slicing)
    : a_(a), train_(train), test_(test), seed_(seed), s_(s), slicing_(slicing) {
  rep_.k = s.k > 0 ? s.k : subspace.k_for(0.95);
  rep_.images = std::min(s.images, train.size());
  top_ = subspace.basis.topRows(rep_.k);
  ws_ = std::make_unique<Workspace>(Arch{}, 500);
  Pcg32 rng(seed, kRandStream);
  rand_targets_.resize(rep_.images);
  for (size_t i = 0; i < rep_.images; ++i)
    rand_targets_[i] = uint8_t((train.label(i) + 1 + int(rng.below(kClasses - 1))) % kClasses);
  for (int set = 0; set < kPushSets; ++set) add_set(PushSet(set));
}

int FeaturesJob::target_of(PushSet set, size_t i) const {
  return deterministic(set) ? (train_.label(i) + 1) % kClasses : rand_targets_[i];
}

// Pushes the next chunk of images; those that reach their target, as stored bytes, join the set.
bool FeaturesJob::push_chunk(PushSet set) {
  const size_t per_call = slicing_.images >= int(kChunk) ? kChunk : size_t(std::max(1, slicing_.images));
  const size_t count = std::min(per_call, rep_.images - next_);
  std::vector<uint32_t> idx(count);
  for (size_t i = 0; i < count; ++i) idx[i] = uint32_t(next_ + i);
  const Mat x = dataset_columns(train_, idx);
  std::vector<Goal> goals = dataset_goals(train_, idx);
  for (size_t i = 0; i < count; ++i) goals[i].target = target_of(set, next_ + i);
  PgdSettings pgd;
  pgd.norm = Norm::kL2;
  pgd.restarts = 1;
  pgd.seed = seed_;
  pgd.early_stop = true;  // until A reads the target, and no further
  pgd.grow_every = std::max(1, s_.steps);
  pgd.grow_by = s_.eps_grow;
  pgd.eps_max = s_.eps_max;
  pgd.steps = s_.total_steps();
  pgd.byte_pixels = true;
  if (off_span(set)) {
    pgd.restrict_rows = &top_;
    pgd.restrict_complement = true;
    pgd.restrict_rounds = s_.restrict_rounds;
  }
  const AttackRun run = pgd_attack(a_, x, goals, std::vector<float>(count, s_.eps_start), pgd);
  for (size_t i = 0; i < count; ++i) {
    if (!run.success[i]) continue;
    const float* p = run.adversarial.col(long(i)).data();
    for (int k = 0; k < kPixels; ++k) set_.images.push_back(uint8_t(std::lround(p[k] * 255.0f)));
    set_.labels.push_back(uint8_t(goals[i].target));
    source_.push_back(uint8_t(goals[i].label));
    push_l2_.push_back(run.radius[i]);
    if (set == PushSet::kDet) kept_det_.push_back(idx[i]);
    if (set == PushSet::kRand) kept_rand_.push_back(idx[i]);
  }
  next_ += count;
  v_.attempted = next_;
  return next_ >= rep_.images;
}

// A control: the images its pushed set kept, unpushed, with that set's labels.
void FeaturesJob::make_control(PushSet set) {
  const std::vector<uint32_t>& kept = set == PushSet::kControlDet ? kept_det_ : kept_rand_;
  for (uint32_t i : kept) {
    set_.images.insert(set_.images.end(), train_.image(i), train_.image(i) + kPixels);
    set_.labels.push_back(uint8_t(target_of(set, i)));
    source_.push_back(uint8_t(train_.label(i)));
    push_l2_.push_back(0.0);
  }
  v_.attempted = kept.size();
}

void FeaturesJob::add_set(PushSet set) {
  stages_.add([this, set] {  // the set: pushes a chunk at a time, or the control at once
    if (next_ == 0) {
      v_ = FeaturesVariant();
      v_.name = push_set_name(set);
      set_ = Dataset();
      source_.clear();
      push_l2_.clear();
    }
    if (is_control(set)) {
      make_control(set);
    } else if (rep_.images > 0 && !push_chunk(set)) {
      return false;
    }
    set_.declared = uint32_t(set_.size());
    v_.kept = set_.size();
    v_.target_rate = v_.attempted ? double(v_.kept) / double(v_.attempted) : 0.0;
    v_.median_push_l2 = push_l2_.empty() ? 0.0 : median(push_l2_);
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
    const Evaluation e = eval_.take();
    v_.clean_test_accuracy = e.accuracy();
    v_.test_images = e.count;
    if (s_.keep_sets) {
      v_.set = std::move(set_);
      v_.source_labels = std::move(source_);
    }
    set_ = Dataset();
    source_.clear();
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

SeedMeasures features_measures(const FeaturesReport& r, uint64_t seed) {
  SeedMeasures m;
  m.seed = seed;
  for (const FeaturesVariant& v : r.variants) {
    Measure accuracy, push;
    accuracy.value = v.clean_test_accuracy;
    push.value = v.median_push_l2;
    m.quantities["e.clean_accuracy." + v.name] = accuracy;
    if (v.name.rfind("control", 0) == 0) continue;
    m.quantities["e.median_push_l2." + v.name] = push;
    m.checks["e.pushes_succeed." + v.name] = v.target_rate;
  }
  return m;
}

}  // namespace bs
